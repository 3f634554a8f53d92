"""The Jinja2 settings every page template shares, Markdown or HTML."""

from __future__ import annotations

from collections.abc import Callable

import jinja2

from generator import labels, links


def environment(*, autoescape: bool, finalize: Callable[[object], object], label: Callable) -> jinja2.Environment:
    """Templates from generator/render/templates; `finalize` decides how a value is written,
    `label(table)` how a label (unit kind, period, document type) is."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator.render", "templates"),
        autoescape=autoescape,
        finalize=finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(L=links, labels=labels, year_label=labels.year_label)
    env.filters.update(
        kind=label(labels.ORG_KIND), period=label(labels.PERIOD), doctype=label(labels.DOC_TYPE)
    )
    return env


def unit_name(tax, report) -> str:
    """The unit a report is listed under: its registry name, else the name as written."""
    org = tax.unit_of(report)
    return org.name if org else report.organization or "单位不详"


def report_facts(tax, report, *, with_unit: bool, with_year: bool, with_type: bool) -> tuple[list[str], str]:
    """What a report's list item says after its title (unit, year, type: unless the page already
    says them), and its period when that is not the whole year."""
    facts = []
    if with_unit:
        facts.append(unit_name(tax, report))
    if with_year:
        facts.append(labels.year_label(report.year))
    if with_type:
        facts.append(labels.DOC_TYPE[report.doc_type])
    period = f"（{labels.PERIOD[report.period]}）" if report.period not in ("annual", "unknown") else ""
    return facts, period
