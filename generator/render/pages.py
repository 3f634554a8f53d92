"""Render every page of the site from the taxonomy: Markdown, or HTML for report and unit pages."""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

import jinja2

from generator import links
from generator.config import SiteConfig
from generator.model import Report
from generator.render import body, cards, citation, html, templating
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
    """One list item per report: title link, its unit (linked to the unit's page), then
    templating.report_facts."""
    tax = ctx["tax"]
    lines = []
    for report in reports:
        facts, period = templating.report_facts(tax, report, with_year=with_year, with_type=with_type)
        shown = [_link(ctx, report.title, links.report_page(report.id))]
        if with_unit:
            unit, target = templating.unit_name(tax, report), templating.unit_page(tax, report)
            shown.append(Md(_link(ctx, unit, target) + "{: ." + html.UNIT_LINK + " }") if target else inline(unit))
        lines.append("- " + " · ".join([*shown, *map(inline, facts)]) + inline(period))
    return Md("\n".join(lines))


Shows = tuple[tuple[str, tuple[str, ...]], ...]
_ID = operator.attrgetter("id")


@dataclass(frozen=True)
class PagePlan:
    """A page before it is rendered: its template and values, and what it shows."""

    path: str
    template: str
    values: Callable[[], dict]  # made only when the page is rendered
    # (role, report ids) of the reports the page shows, in order; role "report": all of it,
    # "year": years (not reports), any other role: only what lists show of a report
    # (render/reuse.py). None: always rendered.
    shows: Shows | None = None


def render_pages(ctx: Context) -> Iterator[tuple[str, str]]:
    """(docs path, page source) of every page, in a fixed order."""
    render = renderer(ctx)
    for plan in page_plans(ctx):
        yield plan.path, render(plan)


def renderer(ctx: Context):
    markdown_env, html_env = environment(), html.environment()

    def render(plan: PagePlan) -> str:
        env = html_env if plan.template.endswith(".html.j2") else markdown_env
        return env.get_template(plan.template).render(page=plan.path, tax=ctx.tax, site=ctx.site, **plan.values())

    return render


def page_plans(ctx: Context) -> Iterator[PagePlan]:
    tax = ctx.tax
    every_report = listed(tax)  # pages of archive-wide figures and lists
    yield PagePlan(links.HOME, "home.md.j2", dict, every_report)
    yield PagePlan(links.DATA, "data.md.j2", dict, every_report)
    yield PagePlan(links.SEARCH, "search.md.j2", dict, every_report)
    yield PagePlan(links.UNITS_INDEX, "units.md.j2", dict, every_report)
    for unit in tax.units:
        path = links.unit_page(unit.org.id)
        yield PagePlan(path, "unit.html.j2", partial(_unit_values, tax, path, unit), _shown("listed", unit.reports))
    yield PagePlan(links.YEARS_INDEX, "years.md.j2", dict, every_report)
    years = [year for year, _ in tax.years if year is not None]
    every_year = (("year", tuple(map(str, years))),)
    for year, reports in tax.years:
        yield PagePlan(
            links.year_page(year),
            "year.html.j2",
            partial(dict, year=year, reports=reports, years=years),
            every_year + _shown("listed", reports),
        )
    if None not in dict(tax.years):
        yield PagePlan(
            links.year_page(None), "year.html.j2", partial(dict, year=None, reports=(), years=years), every_year
        )
    yield PagePlan(links.TYPES_INDEX, "types.md.j2", dict, every_report)
    for doc_type, reports in tax.types:
        if not reports:
            continue  # nothing to list: no page, and no link to one
        yield PagePlan(
            links.type_page(doc_type),
            "type.html.j2",
            partial(dict, doc_type=doc_type, reports=reports, timeline=_by_year(reports)),
            _shown("listed", reports),
        )
    if ctx.site.show.coverage:
        yield PagePlan(links.COVERAGE, "coverage.md.j2", partial(dict, years=years), every_report)
    for report in tax.reports:
        path = links.report_page(report.id)
        yield PagePlan(path, "report.html.j2", partial(report_values, ctx, path, report), _report_shows(tax, report))


def _unit_values(tax: Taxonomy, path: str, unit) -> dict:
    return {
        "unit": unit,
        "card": cards.unit_card(path, unit.org, tax, len(unit.reports)),
        "timeline": _by_year(unit.reports),
    }


def listed(tax: Taxonomy) -> Shows:
    return _shown("listed", tax.reports)


def _shown(role: str, reports) -> Shows:
    return ((role, tuple(map(_ID, reports))),)


def _report_shows(tax: Taxonomy, report: Report) -> Shows:
    cross = tax.links[report.id]
    return (
        ("report", (report.id,)),
        ("previous", (cross.previous.id,) if cross.previous else ()),
        ("next", (cross.next.id,) if cross.next else ()),
        ("year-previous", (cross.year_previous.id,) if cross.year_previous else ()),
        ("year-next", (cross.year_next.id,) if cross.year_next else ()),
        ("same-year-kind", tuple(map(_ID, cross.same_year_kind))),
        ("related", tuple(map(_ID, cross.related))),
    )


def _by_year(reports) -> list[tuple[int | None, list[Report]]]:
    """Runs of reports of the same year, in the order given."""
    return [(year, list(group)) for year, group in itertools.groupby(reports, lambda r: r.year)]


def report_values(ctx: Context, path: str, report: Report) -> dict:
    org = ctx.tax.unit_of(report)
    unit_label = ctx.tax.unit_label(report)
    cited = citation.cited_work(report, org, ctx.site)
    return {
        "report": report,
        "org": org,
        "unit_label": unit_label,
        "card": cards.report_card(path, report, org, ctx.site.show, unit_label),
        "cite": cards.cite_box(citation.citation(cited)),
        "head": {"description": citation.description(report), "meta": citation.head_meta(cited)},
        "cross": ctx.tax.links[report.id],
        "body": body.body(report),
        "toc": body.toc(report),
        "sections": body.section_count(report),
        "show": ctx.site.show,
    }
