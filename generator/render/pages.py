"""Render every page of the site from the taxonomy: Markdown, or HTML for report and unit pages."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

import jinja2

from generator import links
from generator.config import SiteConfig
from generator.model import Report
from generator.render import body, cards, html, templating
from generator.render.escape import Md, front_matter, inline
from generator.taxonomy import Taxonomy


@dataclass(frozen=True)
class Context:
    """What every template can look up."""

    tax: Taxonomy
    site: SiteConfig


def environment() -> jinja2.Environment:
    # Markdown, not HTML: plain text is made inert Markdown instead of autoescaped.
    env = templating.environment(autoescape=False, own=Md, shown=inline)
    env.globals.update(
        link=_link,
        url=_url,
        ascii=_ascii,
        unit_name=_unit_name,
        report_list=_report_list,
        front_matter=front_matter,
    )
    return env


_ASCII = re.compile(r"^[A-Za-z0-9 -]*$")


def _ascii(value: str) -> Md:
    """Our own ASCII tokens (anchors, language tags, indentation), written as is."""
    if not _ASCII.fullmatch(value):
        raise ValueError(f"not a plain ASCII token: {value!r}")
    return Md(value)


@jinja2.pass_context
def _link(ctx, text: object, target: str, anchor: str = "") -> Md:
    """A Markdown link from the page being rendered to `target` (a docs path from links.py)."""
    fragment = f"#{_ascii(anchor)}" if anchor else ""
    return Md(f"[{inline(text)}]({links.relative(ctx['page'], target)}{fragment})")


@jinja2.pass_context
def _url(ctx, target: str) -> Md:
    return Md(links.relative(ctx["page"], target))


@jinja2.pass_context
def _unit_name(ctx, report: Report) -> Md:
    return inline(templating.unit_name(ctx["tax"], report))


@jinja2.pass_context
def _report_list(
    ctx, reports, with_unit: bool = True, with_year: bool = True, with_type: bool = True
) -> Md:
    """One list item per report: title link, then templating.report_facts."""
    lines = []
    for report in reports:
        facts, period = templating.report_facts(
            ctx["tax"], report, with_unit=with_unit, with_year=with_year, with_type=with_type
        )
        title = _link(ctx, report.title, links.report_page(report.id))
        lines.append("- " + " · ".join([title, *map(inline, facts)]) + inline(period))
    return Md("\n".join(lines))


def render_pages(ctx: Context) -> Iterator[tuple[str, str]]:
    """(docs path, page source) of every page, in a fixed order."""
    markdown_env, html_env = environment(), html.environment()
    tax = ctx.tax

    def page(template: str, path: str, **values) -> tuple[str, str]:
        env = html_env if template.endswith(".html.j2") else markdown_env
        return path, env.get_template(template).render(page=path, tax=tax, site=ctx.site, **values)

    yield page("home.md.j2", links.HOME)
    yield page("data.md.j2", links.DATA)
    yield page("search.md.j2", links.SEARCH)
    yield page("units.md.j2", links.UNITS_INDEX)
    for unit in tax.units:
        path = links.unit_page(unit.org.id)
        yield page(
            "unit.html.j2",
            path,
            unit=unit,
            card=cards.unit_card(path, unit.org, tax, len(unit.reports)),
            timeline=_by_year(unit.reports),
        )
    yield page("years.md.j2", links.YEARS_INDEX)
    years = [year for year, _ in tax.years if year is not None]
    for year, reports in tax.years:
        yield page("year.html.j2", links.year_page(year), year=year, reports=reports, years=years)
    if None not in dict(tax.years):
        yield page("year.html.j2", links.year_page(None), year=None, reports=(), years=years)
    yield page("types.md.j2", links.TYPES_INDEX)
    for doc_type, reports in tax.types:
        yield page("type.html.j2", links.type_page(doc_type), doc_type=doc_type, reports=reports, timeline=_by_year(reports))
    if ctx.site.show.coverage:
        yield page("coverage.md.j2", links.COVERAGE, years=years)
    for report in tax.reports:
        path = links.report_page(report.id)
        yield page("report.html.j2", path, report=report, **report_values(ctx, path, report))


def _by_year(reports) -> list[tuple[int | None, list[Report]]]:
    """Runs of reports of the same year, in the order given."""
    return [(year, list(group)) for year, group in itertools.groupby(reports, lambda r: r.year)]


def report_values(ctx: Context, path: str, report: Report) -> dict:
    org = ctx.tax.unit_of(report)
    return {
        "card": cards.report_card(path, report, org, ctx.site.show),
        "cross": ctx.tax.links[report.id],
        "body": body.body(report),
        "toc": body.toc(report),
        "sections": body.section_count(report),
        "show": ctx.site.show,
    }
