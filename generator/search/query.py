"""Answer queries from the built index files, the way the browser does.

The build uses it to run the golden queries against what it is about to
publish; the tests use it to compare the index with a plain substring search.
An index with a delta (search/delta.py) is read as the browser reads it: the
records without the delta's documents, and those documents matched by their
folded texts.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate
from pathlib import Path

import numpy as np

from generator.errors import ArchiveError
from generator.i18n import _
from generator.search.files import read_payload, read_text, text_path, year_codes
from generator.search.index import FolderFiles, keyword_home, shard_of, shard_records
from generator.search.index_state import STATE_FILE, IndexState

# A term that is one of a report's keywords weighs like this many matches (as on the page).
KEYWORD_WEIGHT = 20
DECODED_SHARDS = 32  # decoded, a shard takes about ten times its bytes: tens of MB at most


@dataclass(frozen=True)
class Record:
    docs: list[int]
    counts: list[int]


class SearchIndex:
    def __init__(self, files: Mapping[str, bytes]) -> None:
        """`files`: the index, by path under search/."""
        self.files = files
        self.manifest = json.loads(files["manifest.json"])
        table = json.loads(files["fold.json"])
        self._fold = dict(zip(table["from"], table["to"], strict=True))
        delta = self.manifest.get("delta")
        self._replaced = frozenset(delta["docs"]) if delta else frozenset()  # their records are void
        self._decoded: dict[str, list[int]] = {}  # oldest first

    # ---- queries ----

    def terms(self, query: str) -> list[str]:
        return "".join(self._fold.get(char, char) for char in query).split()

    def search(self, query: str) -> dict[int, int]:
        """Document number -> number of matches, for documents holding every term."""
        result: dict[int, int] | None = None
        for term in self.terms(query):
            found = self.match(term)
            if result is None:
                result = found
            else:
                result = {doc: result[doc] + found[doc] for doc in result if doc in found}
            if not result:
                return {}
        return result or {}

    def ranked(self, query: str) -> list[tuple[int, int]]:
        """(document, matches) of `search`, in the search page's order: matches plus a weight
        for each term that is one of the report's keywords, then the newer year, then the index's
        order (search-engine.js and search-order.js)."""
        found = self.search(query)
        scores = dict(found)
        for term in self.terms(query):
            for doc in self.keyword_docs(term) & found.keys():
                scores[doc] += KEYWORD_WEIGHT
        years = self._years
        return sorted(found.items(), key=lambda item: (-scores[item[0]], -years[item[0]], item[0]))

    def report_ids(self, query: str) -> set[str]:
        return {self.report_id(doc) for doc in self.search(query)}

    def match(self, term: str) -> dict[int, int]:
        found = self._base_match(term)
        for doc, text in self._delta_texts.items():
            count = occurrences(text, term)
            if count:
                found[doc] = count
        return found

    def _base_match(self, term: str) -> dict[int, int]:
        if len(term) <= 3:
            record = self.doc_list(term)
            return dict(zip(record.docs, record.counts, strict=True)) if record else {}
        grams = [term[i : i + 3] for i in range(len(term) - 2)]
        records = [self.doc_list(gram) for gram in grams]
        if not all(records):
            return {}
        candidates = set(records[0].docs).intersection(*(r.docs for r in records[1:]))
        if not candidates:
            return {}
        chain = cheapest_chain([sum(r.counts) for r in records])
        starts: dict[int, set[int]] | None = None
        for offset in chain:
            positions = self.positions(grams[offset], candidates)
            shifted = {doc: {p - offset for p in found} for doc, found in positions.items()}
            if starts is None:
                starts = shifted
            else:
                starts = {d: starts[d] & shifted[d] for d in starts if d in shifted}
            starts = {d: s for d, s in starts.items() if s}
            candidates = set(starts)
        return {doc: len(found) for doc, found in (starts or {}).items()}

    # ---- records ----

    def keyword_docs(self, term: str) -> set[int]:
        home = keyword_home(term, self.manifest["d_shards"], self.manifest["p_shards"])
        return _keyword_docs(self._values(home), term, positions=home.startswith("p/"))

    def doc_list(self, gram: str) -> Record | None:
        shard = shard_of(gram, self.manifest["d_shards"])
        record = _doc_list(self._values(f"d/{shard}.bin"), gram)
        if not self._replaced or record is None:
            return record
        pairs = [(d, c) for d, c in zip(record.docs, record.counts, strict=True) if d not in self._replaced]
        return Record([d for d, _ in pairs], [c for _, c in pairs]) if pairs else None

    def positions(self, gram: str, wanted: set[int]) -> dict[int, list[int]]:
        shard = shard_of(gram, self.manifest["p_shards"])
        return _positions(self._values(f"p/{shard}.bin"), gram, wanted - self._replaced)

    @cached_property
    def _delta_texts(self) -> dict[int, str]:
        """The delta's documents, folded with the browser's table."""
        texts = {}
        for doc in sorted(self._replaced):
            text = read_text(self.files, doc)["t"]
            texts[doc] = "".join(self._fold.get(char, char) for char in text)
        return texts

    def _values(self, path: str) -> list[int]:
        """A shard's varints, decoded once; the shards used last are kept (queries share grams)."""
        values = self._decoded.pop(path, None)
        if values is None:
            values = _varints(shard_records(self.files[path]))
            if len(self._decoded) >= DECODED_SHARDS:
                del self._decoded[next(iter(self._decoded))]
        self._decoded[path] = values
        return values

    # ---- documents ----

    @cached_property
    def _ids(self) -> list[str]:
        """Every document's report id, from the state beside the index (the browser reads a
        result's id from its own text file)."""
        return IndexState.from_bytes(self.files[STATE_FILE]).ids

    @cached_property
    def _years(self) -> bytes:
        """A byte per document: its year's code (files.year_codes), 0 where it has none."""
        return year_codes(self.manifest)

    def report_id(self, doc: int) -> str:
        return self._ids[doc]

    def report_row(self, doc: int) -> list[str]:
        """[report id, title, url], from the document's text file as the page reads it."""
        head = read_payload(self.files[text_path(doc)])
        return [head["r"], " ".join(head["h"].splitlines()), head["u"]]


def has_index(site: Path) -> bool:
    return (site / "search" / "manifest.json").is_file()


def open_site_index(site: Path) -> SearchIndex:
    folder = site / "search"
    if not has_index(site):
        raise ArchiveError(_("{folder}: no search index here; run 'report-archive build' first").format(folder=folder))
    return SearchIndex(FolderFiles(folder))


def occurrences(text: str, term: str) -> int:
    """Places where `term` starts in `text`, overlapping ones too: what the index counts."""
    count, at = 0, text.find(term)
    while at >= 0:
        count += 1
        at = text.find(term, at + 1)
    return count


def cheapest_chain(costs: list[int]) -> list[int]:
    """Offsets of 3-grams that cover the whole term (each step at most 3), least total cost."""
    last = len(costs) - 1
    best: list[tuple[int, list[int]]] = [(costs[0], [0])]
    for offset in range(1, last + 1):
        reachable = [best[o] for o in range(max(0, offset - 3), offset)]
        cost, path = min(reachable, key=lambda item: item[0])
        best.append((cost + costs[offset], path + [offset]))
    return best[last][1]


def _varints(data: bytes) -> list[int]:
    """Every varint of a shard, decoded at once with numpy: far quicker than byte by byte."""
    raw = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(raw < 0x80)
    if not len(ends):
        return []
    starts = np.append(0, ends[:-1] + 1)
    raw = raw[: ends[-1] + 1]
    shift = np.arange(len(raw)) - np.repeat(starts, ends - starts + 1)
    return np.add.reduceat((raw & 0x7F).astype(np.int64) << (7 * shift), starts).tolist()


def _record_head(values: list[int], at: int, target: list[int]) -> tuple[bool, int, int]:
    """Whether the record at `at` is the target gram's, its document count, where its body starts."""
    length = values[at]
    return values[at + 1 : at + 1 + length] == target, values[at + 1 + length], at + 2 + length


def _seek(values: list[int], target: list[int], *, positions: bool) -> tuple[int, int]:
    """(document count, where the body starts) of the gram record of `target` in a d/ shard
    (or a p/ one, `positions`); (-1, where the keyword records begin) when there is none."""
    at = 0
    while at < len(values) and values[at]:  # 0: the keyword records begin
        found, count, at = _record_head(values, at, target)
        if found:
            return count, at
        if positions:
            for _ in range(count):  # per document: doc delta, count, positions
                at += 2 + values[at + 1]
        else:
            at += 2 * count
    return -1, at


def _doc_list(values: list[int], gram: str) -> Record | None:
    count, at = _seek(values, [ord(char) for char in gram], positions=False)
    if count < 0:
        return None
    return Record(list(accumulate(values[at : at + count])), values[at + count : at + 2 * count])


def _positions(values: list[int], gram: str, wanted: set[int] | frozenset[int]) -> dict[int, list[int]]:
    count, at = _seek(values, [ord(char) for char in gram], positions=True)
    places, doc = {}, 0
    for _number in range(max(count, 0)):
        doc += values[at]
        number = values[at + 1]
        if doc in wanted:
            places[doc] = list(accumulate(values[at + 2 : at + 2 + number]))
        at += 2 + number
    return places


def _keyword_docs(values: list[int], term: str, *, positions: bool) -> set[int]:
    """The documents of `term`'s keyword record, after the gram records of a d/ or p/ shard."""
    _, at = _seek(values, [], positions=positions)
    at += 1
    target = [ord(char) for char in term]
    while at < len(values):
        found, count, at = _record_head(values, at, target)
        if found:
            return set(accumulate(values[at : at + count]))
        at += count
    return set()
