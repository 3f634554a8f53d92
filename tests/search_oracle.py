"""The plain answer to a search: which reports' text contains every term, by substring."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.content import load_archive
from generator.search.documents import SearchDoc, search_documents
from generator.search.fold import fold
from generator.search.index import build_index
from generator.search.query import SearchIndex
from generator.taxonomy import build_taxonomy


@dataclass
class Indexed:
    docs: list[SearchDoc]
    folded: list[str]
    index: SearchIndex

    def expected(self, query: str) -> set[str]:
        terms = fold(query).split()
        return {
            doc.report_id
            for doc, text in zip(self.docs, self.folded, strict=True)
            if terms and all(term in text for term in terms)
        }


def index_content(content: Path) -> Indexed:
    archive = load_archive(content)
    tax = build_taxonomy(archive.reports, archive.organizations, latest=5, related_count=3)
    docs, units = search_documents(tax)
    return Indexed(docs, [fold(d.text) for d in docs], SearchIndex(build_index(docs, units)))
