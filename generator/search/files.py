"""The published index's files other than the d/ and p/ shards: what index.py and delta.py
write, and query.py and search-engine.js read.

Nothing a query fetches grows with the archive. A result's title, link, unit, type and
snippet come from its own text file (text/N.bin: the report's head and the first chunk of its
text), the rest of the text in further chunks (text/N-K.bin) fetched only when a snippet's
match lies beyond the first. Years are given by document numbers: documents are numbered newest
year first (documents.py), so the manifest lists where each year's documents begin. The other
facets, needed for every match only when the search page counts or filters them, are in shards of
SHARD_ITEMS documents (facets/S.bin). A unit the filters offer is named by a match's own text
file; the units' shards of as many names (units/S.bin) serve a chosen unit that no match has.
"""

from __future__ import annotations

import gzip
import json
import zlib

from generator import labels
from generator.model import DOC_TYPES, ORG_KINDS
from generator.search.documents import SearchDoc, SearchUnit
from generator.search.fold import BREAK

# 8: doc numbers by year, facets/ and units/ shards, text chunks (no docs.bin, facets.bin, units.bin)
FORMAT = 8
# Documents per facets/ shard and units per units/ shard; the browser reads it from the manifest.
SHARD_ITEMS = 512
# A text chunk ends at the first line break past this many UTF-16 units: a snippet's line is
# always whole in one chunk.
CHUNK_UNITS = 1000
YEAR_BASE = 1900  # years are stored as one byte: year - YEAR_BASE, 0 when unknown


def manifest(docs: list[SearchDoc], units: int, d_shards: int, p_shards: int, delta=None) -> bytes:
    """manifest.json; `delta` only in an index with a delta (a full one stays as it was)."""
    fields = {
        "format": FORMAT,
        "docs": len(docs),
        "units": units,
        "d_shards": d_shards,
        "p_shards": p_shards,
        "shard_items": SHARD_ITEMS,
        "year_base": YEAR_BASE,
        "years": year_runs(docs),
        "kinds": [labels.ORG_KIND[k] for k in ORG_KINDS],
        "types": [labels.DOC_TYPE[t] for t in DOC_TYPES],
    }
    if delta is not None:
        fields["delta"] = delta
    return json_bytes(fields)


def year_code(year: int | None) -> int:
    return year - YEAR_BASE if year else 0


def year_runs(docs: list[SearchDoc]) -> list[list[int]]:
    """[first document, year code] where each year's run of documents begins: at most one per
    year, whatever the number of reports."""
    runs: list[list[int]] = []
    for number, doc in enumerate(docs):
        code = year_code(doc.year)
        if not runs or runs[-1][1] != code:
            runs.append([number, code])
    return runs


def year_codes(manifest_fields: dict) -> bytes:
    """A byte per document: its year code, from the manifest's runs."""
    runs, docs = manifest_fields["years"], manifest_fields["docs"]
    ends = [first for first, _ in runs[1:]] + [docs]
    return b"".join(bytes([code]) * (end - first) for (first, code), end in zip(runs, ends, strict=True))


# ---- facets and unit names, in shards ----


def facets_shard(docs: list[SearchDoc], units: list[SearchUnit]) -> bytes:
    """The unit (u32), unit kind (u8) and type (u8) of each of `docs`, column after column."""
    unit_numbers = b"".join(doc.unit.to_bytes(4, "little") for doc in docs)
    kinds = bytes(ORG_KINDS.index(units[doc.unit].kind) for doc in docs)
    types = bytes(DOC_TYPES.index(doc.doc_type) for doc in docs)
    return gzip.compress(unit_numbers + kinds + types, mtime=0)


def units_shard(units: list[SearchUnit]) -> bytes:
    return gzip.compress(json_bytes([unit.name for unit in units]), mtime=0)


def shard_files(docs: list[SearchDoc], units: list[SearchUnit]) -> dict[str, bytes]:
    """facets/S.bin and units/S.bin, SHARD_ITEMS documents or units each."""
    files = {}
    for start in range(0, len(docs), SHARD_ITEMS):
        files[f"facets/{start // SHARD_ITEMS}.bin"] = facets_shard(docs[start : start + SHARD_ITEMS], units)
    for start in range(0, len(units), SHARD_ITEMS):
        files[f"units/{start // SHARD_ITEMS}.bin"] = units_shard(units[start : start + SHARD_ITEMS])
    return files


# ---- a report's text files ----


def text_path(doc: int, chunk: int = 0) -> str:
    return f"text/{doc}.bin" if chunk == 0 else f"text/{doc}-{chunk}.bin"


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def text_chunks(text: str) -> list[str]:
    """`text` in pieces of whole lines (each but the last ending with its break), a new piece
    starting once one reaches CHUNK_UNITS."""
    chunks, current, size = [], [], 0
    for line in text.split(BREAK):
        current.append(line)
        size += utf16_length(line) + 1
        if size >= CHUNK_UNITS:
            chunks.append(BREAK.join(current) + BREAK)
            current, size = [], 0
    if current:
        chunks.append(BREAK.join(current))
    elif chunks:  # the text ended with a whole chunk: its last break is not the text's
        chunks[-1] = chunks[-1][: -len(BREAK)]
    return chunks or [""]


def text_payloads(doc: SearchDoc, unit: SearchUnit) -> list[bytes]:
    """What a result shows, in one small download (its head: names, link, type, section anchors,
    where each chunk starts, and the first chunk), then the text's further chunks."""
    chunks = text_chunks(doc.text)
    starts = [0]
    for chunk in chunks[:-1]:
        starts.append(starts[-1] + utf16_length(chunk))
    head = {
        "r": doc.report_id,
        "h": doc.title,
        "u": doc.url,
        "n": unit.name,
        "d": DOC_TYPES.index(doc.doc_type),
        "b": doc.body_start,
        "s": [list(section) for section in doc.sections],
        "c": starts,
        "t": chunks[0],
    }
    return [json_bytes(head), *(json_bytes({"t": chunk}) for chunk in chunks[1:])]


def text_file(payload: bytes) -> bytes:
    return gzip.compress(payload, compresslevel=6, mtime=0)


def read_payload(data: bytes) -> dict:
    """What text_file wrapped. zlib reads the gzip wrapper itself: the gzip module's own reader
    costs more than the inflating, for a hundred thousand small files."""
    return json.loads(zlib.decompress(data, wbits=31))


def read_text(files, doc: int) -> dict:
    """A document's head, with "t" its whole text (its chunks joined)."""
    head = read_payload(files[text_path(doc)])
    rest = [read_payload(files[text_path(doc, k)])["t"] for k in range(1, len(head["c"]))]
    return {**head, "t": "".join([head["t"], *rest])}


def json_bytes(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
