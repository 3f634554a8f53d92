"""A report's body (lead, sections, tables) and its table of contents, as escaped HTML."""

from __future__ import annotations

from markupsafe import Markup

from generator.model import Block, Report, Section, Table
from generator.render.html import paragraph, text


def heading_id(path: tuple[int, ...]) -> str:
    """Stable anchor of a section: s1, s1-2, ... (Chinese headings give no usable slug)."""
    return "s" + "-".join(str(n) for n in path)


def body(report: Report) -> Markup:
    parts = [_block(block) for block in report.lead]
    for index, section in enumerate(report.sections, start=1):
        parts.extend(_section(section, (index,)))
    return Markup("\n").join(part for part in parts if part)


def section_count(report: Report) -> int:
    def count(sections: list[Section]) -> int:
        return sum(1 + count(section.sections) for section in sections)

    return count(report.sections)


def toc(report: Report) -> Markup:
    """Nested lists of links to every section."""

    def items(sections: list[Section], path: tuple[int, ...]) -> Markup:
        rows = []
        for index, section in enumerate(sections, start=1):
            here = path + (index,)
            inner = items(section.sections, here) if section.sections else Markup("")
            rows.append(
                Markup('<li><a href="#{}">{}</a>{}</li>').format(heading_id(here), text(section.heading), inner)
            )
        return Markup("\n<ul>\n{}\n</ul>\n").format(Markup("\n").join(rows))

    return items(report.sections, ()).strip()


def _section(section: Section, path: tuple[int, ...]) -> list[Markup]:
    level = min(len(path) + 1, 6)
    parts = [Markup('<h{0} id="{1}">{2}</h{0}>').format(level, heading_id(path), text(section.heading))]
    parts.extend(_block(block) for block in section.paragraphs)
    for index, child in enumerate(section.sections, start=1):
        parts.extend(_section(child, path + (index,)))
    return parts


def _block(block: Block) -> Markup:
    if isinstance(block, Table):
        return _table(block)
    shown = paragraph(block)
    return Markup("<p>{}</p>").format(shown) if shown else Markup("")


def _table(table: Table) -> Markup:
    rows = [row for row in table.rows if row]
    if not rows:
        return Markup("")
    width = max(len(row) for row in rows)

    def cells(row: list[str], tag: str) -> Markup:
        padded = [text(cell) for cell in row] + [Markup("")] * (width - len(row))
        return Markup("").join(Markup("<{0}>{1}</{0}>").format(tag, cell) for cell in padded)

    head = Markup("<thead>\n<tr>{}</tr>\n</thead>").format(cells(rows[0], "th"))
    lines = Markup("\n").join(Markup("<tr>{}</tr>").format(cells(row, "td")) for row in rows[1:])
    return Markup("<table>\n{}\n<tbody>\n{}\n</tbody>\n</table>").format(head, lines)
