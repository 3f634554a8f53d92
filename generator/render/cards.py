"""Metadata cards (a definition list) for report and unit pages."""

from __future__ import annotations

from generator import labels, links
from generator.config import ShowConfig
from generator.model import Organization, Report
from generator.render.escape import Md, inline
from generator.taxonomy import Taxonomy


def link(page: str, text: object, target: str) -> Md:
    return Md(f"[{inline(text)}]({links.relative(page, target)})")


def definition_list(rows: list[tuple[str, list[Md]]]) -> Md:
    """`term` then one `:   definition` line per value; a blank line between terms."""
    blocks = []
    for term, values in rows:
        if values:
            blocks.append("\n".join([inline(term), *(f":   {value}" for value in values)]))
    return Md("\n\n".join(blocks))


def report_card(page: str, report: Report, org: Organization | None, show: ShowConfig) -> Md:
    unit = (
        link(page, org.name, links.unit_page(org.id))
        if org
        else inline(report.organization or "单位不详")
    )
    year = link(page, labels.year_label(report.year), links.year_page(report.year))
    if report.year is None and report.year_placeholder:
        year = Md(year + inline(f"（原文作“{report.year_placeholder}”）"))
    signed = (
        report.organization
        if org and report.organization and report.organization != org.name
        else None
    )
    rows = [
        ("单位", [unit]),
        ("原文署名", [inline(signed)] if signed else []),
        ("单位类型", [inline(labels.ORG_KIND[report.org_kind])]),
        ("地点", [inline(report.place)] if report.place else []),
        ("年份", [year]),
        ("时段", [inline(labels.PERIOD[report.period])]),
        ("类型", [link(page, labels.DOC_TYPE[report.doc_type], links.type_page(report.doc_type))]),
        ("日期", [inline(report.date.isoformat())] if report.date else []),
        ("文字", [inline(labels.SCRIPT[report.script])]),
        ("标题", [inline("原文无标题，由整理者拟定")] if report.title_generated else []),
        ("来源", [_source(page, s, show.source_downloads) for s in report.sources]),
    ]
    return definition_list(rows)


def _source(page: str, source, downloads: bool) -> Md:
    name = source.file.replace("\\", "/").split("/")[-1]
    shown = (
        Md(link(page, name, links.source_download(source.file, source.sha256)) + "{: download }")
        if downloads
        else inline(name)
    )
    first, last = source.lines
    return Md(shown + inline(f"，第 {first}–{last} 行（{labels.COPY_KIND[source.kind]}）"))


def unit_card(page: str, org: Organization, tax: Taxonomy, count: int) -> Md:
    parent = tax.orgs.get(org.parent) if org.parent else None
    rows = [
        ("单位类型", [inline(labels.ORG_KIND[org.kind])]),
        ("所在地", [inline(org.place)] if org.place else []),
        (
            "上级单位",
            [link(page, parent.name, links.unit_page(parent.id)) if parent else inline(org.parent)]
            if org.parent
            else [],
        ),
        ("别名", [inline("、".join(org.aliases))] if org.aliases else []),
        ("报告数", [inline(str(count))]),
    ]
    return definition_list(rows)
