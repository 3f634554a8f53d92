"""What a build keeps of an index for the next one to update it (delta.py): the state file
beside the index's files, and the facts compared per document. Below index.py, delta.py and
known.py, which all read it, so that none of them imports another for it.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import lru_cache

from generator.fingerprint import digest
from generator.search.documents import SearchDoc, SearchUnit
from generator.search.files import FORMAT, json_bytes, text_payloads
from generator.search.fold import fold_table

STATE_FILE = "state.json.gz"  # IndexState: read by the next build, never by the browser


@dataclass(frozen=True)
class IndexState:
    """Fingerprints of what the index's files were made from. It sits in the index folder,
    so it always describes the files beside it; the browser never fetches it."""

    fold: str  # the fold table the d/ and p/ shards were made with
    d_shards: int
    p_shards: int
    ids: list[str]  # report id of every document number
    base: list[str]  # each document's text as the d/ and p/ shards (the base) hold it
    files: list[str]  # digest of each document's text files' payloads
    # bytes of every d/ and p/ file, and per document of each of its text files: checked before linking
    sizes: dict[str, list]
    keywords: dict[str, list]  # per d/ or p/ file with keyword records: [their digest, their bytes]

    def to_bytes(self) -> bytes:
        fields = {name: getattr(self, name) for name in self.__dataclass_fields__}
        return gzip.compress(json_bytes({"format": FORMAT, **fields}), compresslevel=1, mtime=0)

    @classmethod
    def from_bytes(cls, data: bytes) -> IndexState:
        """Raises ValueError unless it is a whole state of this format."""
        raw = json.loads(gzip.decompress(data))
        if not isinstance(raw, dict) or raw.pop("format", None) != FORMAT:
            raise ValueError("not a state of this index format")
        state = cls(**raw)
        docs = len(state.ids)
        counts = {"d": state.d_shards, "p": state.p_shards, "text": docs}
        if not (
            all(isinstance(v, list) for v in (state.ids, state.base, state.files))
            and len(state.base) == len(state.files) == docs
            and isinstance(state.sizes, dict)
            and all(len(state.sizes.get(key) or []) == count for key, count in counts.items())
            and all(isinstance(sizes, list) and sizes for sizes in state.sizes["text"])
            and all(n >= 1 and n & (n - 1) == 0 for n in (state.d_shards, state.p_shards))
            and isinstance(state.keywords, dict)
        ):
            raise ValueError("inconsistent index state")
        return state


@dataclass(frozen=True)
class DocFacts:
    """What the index compares of a document with the last build's."""

    fingerprint: str  # text_fingerprint of its text
    payload: str  # payload_digest of its text files
    chars: str  # the distinct characters of its text: the vocabulary is theirs together


def document_facts(doc: SearchDoc, unit: SearchUnit) -> DocFacts:
    return DocFacts(
        text_fingerprint(doc.text), payload_digest(text_payloads(doc, unit)), "".join(sorted(set(doc.text)))
    )


def all_facts(docs: list[SearchDoc], units: list[SearchUnit]) -> list[DocFacts]:
    return [document_facts(doc, units[doc.unit]) for doc in docs]


def payload_digest(payloads: list[bytes]) -> str:
    # A payload is JSON, which never holds a raw NUL: the separator keeps the files apart.
    return digest(b"\0".join(payloads))


def text_fingerprint(text: str) -> str:
    """A document's text as indexed: with the fold table, it determines its d and p records."""
    return digest(text.encode("utf-8", "surrogatepass"))


@lru_cache(maxsize=1)
def fold_fingerprint() -> str:
    return digest(json_bytes(sorted(fold_table().items())))


def part_fingerprints(parts: dict[str, bytes]) -> dict[str, list]:
    return {path: [digest(part), len(part)] for path, part in parts.items()}
