"""What the search index holds for each report: its text, facets and where it links."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from generator import labels, links
from generator.model import Block, Organization, Report, Section, Table
from generator.render.body import heading_id
from generator.search.fold import BREAK, displayed
from generator.taxonomy import Taxonomy, chronological

NO_UNIT = "未登记单位"


@dataclass(frozen=True)
class SearchUnit:
    name: str  # as shown, told apart from units of the same name (Unit.label)
    url: str  # relative to the site root; "" when the unit has no page
    kind: str


@dataclass(frozen=True)
class SearchDoc:
    """One report as the index sees it; documents are numbered newest year first (unknown
    last), and within a year in unit, then year order: a query's ties are ordered by the newer
    year, then by number, so the year needs no file of its own (files.py)."""

    report_id: str
    url: str
    title: str
    unit: int  # index into the unit table
    year: int | None
    doc_type: str
    keywords: tuple[str, ...]
    text: str  # displayed text: title, names, labels and body, one segment per line
    sections: tuple[tuple[int, str], ...]  # (UTF-16 offset into text, anchor), ascending
    body_start: int  # UTF-16 offset where the report's own text begins (after names and labels)


def search_documents(
    tax: Taxonomy, document: Callable[[Report, int, Taxonomy], SearchDoc] | None = None
) -> tuple[list[SearchDoc], list[SearchUnit]]:
    """Every report's document, newest year first, then in unit and year order; `document` makes
    one (the last build's, where nothing it is made of changed: search/known.py)."""
    units = [
        SearchUnit(unit.label, links.page_url(links.unit_page(unit.org.id)), unit.org.kind)
        for unit in tax.units
    ]
    ordered = [(index, report) for index, unit in enumerate(tax.units) for report in unit.reports]
    loose = sorted((r for r in tax.reports if r.unit is None), key=chronological)
    if loose:
        units.append(SearchUnit(NO_UNIT, "", "other"))
        ordered += [(len(units) - 1, report) for report in loose]
    ordered.sort(key=lambda item: -(item[1].year or 0))  # stable: unit, then year order within a year
    document = document or make_document
    docs = [document(report, index, tax) for index, report in ordered]
    return docs, units


def make_document(report: Report, unit: int, tax: Taxonomy) -> SearchDoc:
    segments, body_start = _segments(report, tax.unit_of(report))
    return SearchDoc(
        report_id=report.id,
        url=links.page_url(links.report_page(report.id)),
        title=report.title,
        unit=unit,
        year=report.year,
        doc_type=report.doc_type,
        keywords=tax.keywords.get(report.id, ()),
        text=BREAK.join(segments.parts),
        sections=tuple(segments.anchors),
        body_start=body_start,
    )


def search_text(report: Report, org: Organization | None) -> str:
    """The text a report is found by (SearchDoc.text), without a taxonomy: `org`, its unit."""
    return BREAK.join(_segments(report, org)[0].parts)


def _segments(report: Report, org: Organization | None) -> tuple[_Segments, int]:
    """The report's segments: title, names and labels, then the body, which starts at the
    UTF-16 offset returned with them."""
    segments = _Segments()
    segments.add(report.title)
    segments.add(report.organization or "")
    if org is not None:
        for name in (org.name, *org.aliases):
            segments.add(name)
    segments.add(labels.year_label(report.year) if report.year else report.year_placeholder or "")
    segments.add(labels.DOC_TYPE[report.doc_type])
    body_start = segments.utf16
    for block in report.lead:
        segments.add_block(block)
    for index, section in enumerate(report.sections, start=1):
        _add_section(segments, section, (index,))
    return segments, body_start


def _add_section(segments: _Segments, section: Section, path: tuple[int, ...]) -> None:
    segments.anchor(heading_id(path))
    segments.add(section.heading)
    for block in section.paragraphs:
        segments.add_block(block)
    for index, child in enumerate(section.sections, start=1):
        _add_section(segments, child, path + (index,))


class _Segments:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.anchors: list[tuple[int, str]] = []
        self.utf16 = 0

    def add(self, text: str) -> None:
        text = displayed(text).strip()
        if text:
            self.parts.append(text)
            self.utf16 += len(text.encode("utf-16-le")) // 2 + 1

    def add_block(self, block: Block) -> None:
        if isinstance(block, Table):
            for row in block.rows:
                for cell in row:
                    self.add(cell)
        else:
            self.add(block)

    def anchor(self, name: str) -> None:
        self.anchors.append((self.utf16, name))
