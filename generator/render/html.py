"""Pages that grow with the archive written as HTML: reports, units, and the year and type lists.

There is one such page per report and per unit, and the lists run to thousands
of items; MkDocs puts them into the
theme as they are (mkdocs_hooks.py) instead of converting Markdown, which
would take most of the build. Every text reaches the page through `text()`
or `paragraph()`: cleaned like the Markdown pages, then HTML-escaped.
"""

from __future__ import annotations

import jinja2
from markupsafe import Markup, escape

from generator import links
from generator.render import templating
from generator.render.escape import front_matter, one_line, paragraph_lines


def text(value: object) -> Markup:
    """One line of shown text, escaped."""
    return escape(one_line(value))


def paragraph(value: str) -> Markup:
    return escape("\n".join(paragraph_lines(value)))


def href(page: str, target: str, anchor: str = "") -> str:
    """The relative URL from the page being rendered to `target` (a docs path from links.py)."""
    return links.page_url(links.relative(page, target)) + (f"#{anchor}" if anchor else "")


# Markup.format is slow; these helpers build many thousands of tags, so they concatenate
# strings that are escaped already.
def link(
    page: str, label: object, target: str, anchor: str = "", download: str | None = None, css_class: str = ""
) -> Markup:
    """A link to a page of the site; `download`: the file's name, to save it instead of opening it."""
    extra = (f' download="{text(download)}"' if download is not None else "") + (f' class="{css_class}"' if css_class else "")
    return Markup(f'<a{extra} href="{escape(href(page, target, anchor))}">{text(label)}</a>')


def external_link(url: str) -> Markup:
    """A link to another site (an entry's source_url, validated as http or https by the model)."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"not a web address: {url!r}")
    return Markup(f'<a href="{escape(url)}" rel="nofollow noopener noreferrer">{text(url)}</a>')


# A unit named after a report's title in a list: a link, quieter than the title's.
UNIT_LINK = "archive-unit"


def definition_list(rows: list[tuple[str, list[Markup]]]) -> Markup:
    """<dl> with one <dt> per term that has values and one <dd> per value."""
    parts = ["<dl>"]
    for term, values in rows:
        if values:
            parts.append(f"<dt>{text(term)}</dt>")
            parts.extend(f"<dd>{escape(value)}</dd>" for value in values)
    parts.append("</dl>")
    return Markup("\n".join(parts))


def environment() -> jinja2.Environment:
    # Plain text is cleaned like Markdown text, then autoescaped.
    env = templating.environment(autoescape=True, own=Markup, shown=one_line)
    env.globals.update(
        link=_link,
        unit_name=_unit_name,
        report_list=_report_list,
        front_matter=lambda title, **head: Markup(front_matter(title, html_page=True, **head)),
        breadcrumbs=_breadcrumbs,
    )
    return env


@jinja2.pass_context
def _breadcrumbs(ctx, *trail: tuple[object, str | None]) -> Markup:
    """(label, docs path) pairs from the home page down; the page itself last, with no path."""
    items = [
        f"<li>{link(ctx['page'], label, target)}</li>" if target else f'<li aria-current="page">{text(label)}</li>'
        for label, target in trail
    ]
    return Markup('<nav class="archive-breadcrumbs" aria-label="位置">\n<ol>\n' + "\n".join(items) + "\n</ol>\n</nav>")


@jinja2.pass_context
def _link(ctx, label: object, target: str, anchor: str = "") -> Markup:
    return link(ctx["page"], label, target, anchor)


@jinja2.pass_context
def _unit_name(ctx, report) -> Markup:
    return text(templating.unit_name(ctx["tax"], report))


@jinja2.pass_context
def _report_list(ctx, reports, with_unit: bool = True, with_year: bool = True, with_type: bool = True) -> Markup:
    """One list item per report: title link, its unit (linked to the unit's page), then
    templating.report_facts."""
    tax, page = ctx["tax"], ctx["page"]
    items = []
    for report in reports:
        facts, period = templating.report_facts(tax, report, with_year=with_year, with_type=with_type)
        shown = [link(page, report.title, links.report_page(report.id))]
        if with_unit:
            unit, target = templating.unit_name(tax, report), templating.unit_page(tax, report)
            shown.append(link(page, unit, target, css_class=UNIT_LINK) if target else text(unit))
        items.append(f"<li>{' · '.join([*shown, *map(text, facts)])}{text(period)}</li>")
    return Markup("<ul>\n" + "\n".join(items) + "\n</ul>")
