"""Answer queries from the built index files, the way the browser does.

The build uses it to run the golden queries against what it is about to
publish; the tests use it to compare the index with a plain substring search.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from generator.errors import ArchiveError
from generator.search.index import FolderFiles, shard_of


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

    def report_ids(self, query: str) -> set[str]:
        return {self.report_id(doc) for doc in self.search(query)}

    def match(self, term: str) -> dict[int, int]:
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
        record = self.doc_list(term, family="k")
        return set(record.docs) if record else set()

    def doc_list(self, gram: str, family: str = "d") -> Record | None:
        shards = self.manifest[f"{family}_shards"]
        data = self.files[f"{family}/{shard_of(gram, shards)}.bin"]
        for cps, reader in _records(data):
            count = reader.read()
            docs, doc = [], 0
            for _ in range(count):
                doc += reader.read()
                docs.append(doc)
            counts = [reader.read() for _ in range(count)]
            if cps == gram:
                return Record(docs, counts)
        return None

    def positions(self, gram: str, wanted: set[int]) -> dict[int, list[int]]:
        data = self.files[f"p/{shard_of(gram, self.manifest['p_shards'])}.bin"]
        for cps, reader in _records(data):
            count = reader.read()
            found, doc = {}, 0
            for _ in range(count):
                doc += reader.read()
                position, places = 0, []
                for _ in range(reader.read()):
                    position += reader.read()
                    places.append(position)
                if doc in wanted:
                    found[doc] = places
            if cps == gram:
                return found
        return {}

    # ---- documents ----

    @cached_property
    def _doc_rows(self) -> list[list]:
        rows: list[list] = []
        block = 0
        while f"docs/{block}.json" in self.files:
            rows.extend(json.loads(self.files[f"docs/{block}.json"]))
            block += 1
        return rows

    def report_id(self, doc: int) -> str:
        return self._doc_rows[doc][0]

    def report_row(self, doc: int) -> list:
        """[report id, title, url, keywords]"""
        return self._doc_rows[doc]


def open_site_index(site: Path) -> SearchIndex:
    folder = site / "search"
    if not (folder / "manifest.json").is_file():
        raise ArchiveError(f"{folder}: no search index here; run 'report-archive build' first")
    return SearchIndex(FolderFiles(folder))


def cheapest_chain(costs: list[int]) -> list[int]:
    """Offsets of 3-grams that cover the whole term (each step at most 3), least total cost."""
    last = len(costs) - 1
    best: list[tuple[int, list[int]]] = [(costs[0], [0])]
    for offset in range(1, last + 1):
        reachable = [best[o] for o in range(max(0, offset - 3), offset)]
        cost, path = min(reachable, key=lambda item: item[0])
        best.append((cost + costs[offset], path + [offset]))
    return best[last][1]


class _Varints:
    def __init__(self, data: bytes, at: int = 0) -> None:
        self.data, self.at = data, at

    def read(self) -> int:
        value = shift = 0
        while True:
            byte = self.data[self.at]
            self.at += 1
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                return value
            shift += 7


def _records(data: bytes):
    """(gram, reader positioned after the gram) for each record; the caller reads the rest."""
    reader = _Varints(data)
    while reader.at < len(data):
        length = reader.read()
        yield "".join(chr(reader.read()) for _ in range(length)), reader
