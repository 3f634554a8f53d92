"""Metadata cards (a definition list) for report and unit pages, as HTML."""

from __future__ import annotations

from markupsafe import Markup, escape

from generator import labels, links
from generator.config import ShowConfig
from generator.model import Organization, Report, Source
from generator.render import citation
from generator.render.html import definition_list, external_link, link, text
from generator.taxonomy import Taxonomy


def report_card(page: str, report: Report, org: Organization | None, show: ShowConfig, unit_label: str | None = None) -> Markup:
    """`unit_label`: the name the unit is shown under (told apart from others of its name)."""
    unit = link(page, unit_label or org.name, links.unit_page(org.id)) if org else text(report.organization or "单位不详")
    year = link(page, labels.year_label(report.year), links.year_page(report.year))
    if report.year is None and report.year_placeholder:
        year += text(f"（原文作“{report.year_placeholder}”）")
    signed = report.organization if org and report.organization and report.organization != org.name else None
    rows = [
        ("单位", [unit]),
        ("原文署名", [text(signed)] if signed else []),
        ("单位类型", [text(labels.ORG_KIND[report.org_kind])]),
        ("地点", [text(report.place)] if report.place else []),
        ("年份", [year]),
        ("时段", [text(labels.PERIOD[report.period])]),
        ("类型", [link(page, labels.DOC_TYPE[report.doc_type], links.type_page(report.doc_type))]),
        ("日期", [text(report.date.isoformat())] if report.date else []),
        ("文字", [text(labels.SCRIPT[report.script])]),
        ("标题", [text("原文无标题，由整理者拟定")] if report.title_generated else []),
        ("来源", [_source(page, report.id, n, s, show.source_downloads) for n, s in enumerate(report.sources, 1)]),
        ("原文地址", [external_link(report.source_url)] if report.source_url else []),
    ]
    return definition_list(rows)


def _source(page: str, report_id: str, number: int, source: Source, downloads: bool) -> Markup:
    """The file's name, linked to its lines on the report's source view; the original as a download."""
    name = source.arrived_name
    shown = link(page, name, links.source_view(report_id), anchor=f"source-{number}")
    first, last = source.lines
    shown += text(f"，第 {first}–{last} 行（{labels.COPY_KIND[source.kind]}）")
    if downloads:
        download = links.download_name(name)
        original = link(page, "下载原始文件", links.source_download(source.file, source.sha256), download=download)
        shown += Markup("（") + original + Markup("）")
    return shown


def unit_card(page: str, org: Organization, tax: Taxonomy, count: int) -> Markup:
    parent = tax.orgs.get(org.parent) if org.parent else None
    rows = [
        ("单位类型", [text(labels.ORG_KIND[org.kind])]),
        ("所在地", [text(org.place)] if org.place else []),
        (
            "上级单位",
            [link(page, parent.name, links.unit_page(parent.id)) if parent else text(org.parent)]
            if org.parent
            else [],
        ),
        ("别名", [text("、".join(org.aliases))] if org.aliases else []),
        ("报告数", [text(str(count))]),
    ]
    return definition_list(rows)


def cite_text(parts: tuple[citation.Part, ...]) -> Markup:
    """A citation as escaped text; a slot as a span that the page fills in when it is read."""
    shown = []
    for part in parts:
        if isinstance(part, citation.Slot):
            shown.append(f'<span data-cite-slot="{part.name}">{escape(part.placeholder)}</span>')
        else:
            shown.append(str(escape(part)))
    return Markup("".join(shown))



def cite_box(cited: citation.Citation) -> dict[str, Markup]:
    """Each format's text, by format."""
    return {"gbt": cite_text(cited.gbt), "bibtex": cite_text(cited.bibtex), "ris": cite_text(cited.ris)}
