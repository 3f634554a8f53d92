"""A report's body (lead, sections, tables) and its table of contents, as escaped HTML."""

from __future__ import annotations

from markupsafe import Markup

from generator.model import Block, Report, Section, Table
from generator.render.html import paragraph, text


def heading_id(path: tuple[int, ...]) -> str:
    """Stable anchor of a section: s1, s1-2, ... (Chinese headings give no usable slug)."""
    return "s" + "-".join(str(n) for n in path)


# Markup.format is slow at this scale: strings are escaped by text() and paragraph() and joined.
def body(report: Report) -> Markup:
    parts = [_block(block) for block in report.lead]
    for index, section in enumerate(report.sections, start=1):
        parts.extend(_section(section, (index,)))
    return Markup("\n".join(part for part in parts if part))


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
            rows.append(f'<li><a href="#{heading_id(here)}">{text(section.heading)}</a>{inner}</li>')
        return Markup("\n<ul>\n" + "\n".join(rows) + "\n</ul>\n")

    return items(report.sections, ()).strip()


def _section(section: Section, path: tuple[int, ...]) -> list[str]:
    level = min(len(path) + 1, 6)
    parts = [f'<h{level} id="{heading_id(path)}">{text(section.heading)}</h{level}>']
    parts.extend(_block(block) for block in section.paragraphs)
    for index, child in enumerate(section.sections, start=1):
        parts.extend(_section(child, path + (index,)))
    return parts


def _block(block: Block) -> str:
    if isinstance(block, Table):
        return _table(block)
    shown = paragraph(block)
    return f"<p>{shown}</p>" if shown else ""


def _table(table: Table) -> str:
    rows = [row for row in table.rows if row]
    if not rows:
        return ""
    width = max(len(row) for row in rows)

    def cells(row: list[str], tag: str) -> str:
        padded = [text(cell) for cell in row] + [""] * (width - len(row))
        return "".join(f"<{tag}>{cell}</{tag}>" for cell in padded)

    head = f"<thead>\n<tr>{cells(rows[0], 'th')}</tr>\n</thead>"
    lines = "\n".join(f"<tr>{cells(row, 'td')}</tr>" for row in rows[1:])
    return f"<table>\n{head}\n<tbody>\n{lines}\n</tbody>\n</table>"
