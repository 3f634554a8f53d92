"""The Jinja2 settings every page template shares, Markdown or HTML."""

from __future__ import annotations

from collections.abc import Callable

import jinja2

from generator import labels, links


def environment(*, autoescape: bool, own: type, shown: Callable[[object], str]) -> jinja2.Environment:
    """Templates from generator/render/templates. A value of type `own` (text we generated
    ourselves) is written as it is; any other text goes through `shown` first."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator.render", "templates"),
        autoescape=autoescape,
        finalize=_finalizer(own, shown),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(L=links, labels=labels, year_label=labels.year_label, field_labels=labels.field_labels)
    # A label is plain text like any other value: `shown` handles it.
    env.filters.update(
        kind=labels.ORG_KIND.__getitem__, period=labels.PERIOD.__getitem__, doctype=labels.DOC_TYPE.__getitem__
    )
    return env


def _finalizer(own: type, shown: Callable[[object], str]) -> Callable[[object], object]:
    def finalize(value: object) -> object:
        if isinstance(value, own):
            return value
        if value is None:
            return ""
        if isinstance(value, bool):
            raise TypeError("a boolean reached a template output")
        if isinstance(value, int):
            return str(value)
        return shown(value)

    return finalize


def unit_name(tax, report) -> str:
    """The unit a report is listed under: its registry name as shown on the site (told apart from
    units of the same name), else the name as written."""
    return tax.unit_label(report) or report.organization or "单位不详"


def unit_page(tax, report) -> str | None:
    """The page of the report's unit, when it is in the registry."""
    return links.unit_page(report.unit) if tax.unit_of(report) else None


def report_facts(tax, report, *, with_year: bool, with_type: bool) -> tuple[list[str], str]:
    """What a report's list item says after its title and unit (year, type: unless the page
    already says them), and its period when that is not the whole year."""
    facts = []
    if with_year:
        facts.append(labels.year_label(report.year))
    if with_type:
        facts.append(labels.DOC_TYPE[report.doc_type])
    period = f"（{labels.PERIOD[report.period]}）" if report.period not in ("annual", "unknown") else ""
    return facts, period
