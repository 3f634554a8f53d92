"""A report's body (lead, sections, tables) as escaped Markdown."""

from __future__ import annotations

from generator.model import Block, Report, Section, Table
from generator.render.escape import Md, inline, paragraph


def heading_id(path: tuple[int, ...]) -> str:
    """Stable anchor of a section: s1, s1-2, ... (Chinese headings give no usable slug)."""
    return "s" + "-".join(str(n) for n in path)


def body(report: Report) -> Md:
    parts = [_block(block) for block in report.lead]
    for index, section in enumerate(report.sections, start=1):
        parts.extend(_section(section, (index,)))
    return Md("\n\n".join(part for part in parts if part))


def toc(report: Report) -> list[tuple[int, str, Md]]:
    """(depth, anchor, escaped heading) of every section, depth first."""
    entries: list[tuple[int, str, Md]] = []

    def walk(sections: list[Section], path: tuple[int, ...]) -> None:
        for index, section in enumerate(sections, start=1):
            entries.append((len(path) + 1, heading_id(path + (index,)), inline(section.heading)))
            walk(section.sections, path + (index,))

    walk(report.sections, ())
    return entries


def _section(section: Section, path: tuple[int, ...]) -> list[str]:
    level = min(len(path) + 1, 6)
    parts = [f"{'#' * level} {inline(section.heading)} {{: #{heading_id(path)} }}"]
    parts.extend(_block(block) for block in section.paragraphs)
    for index, child in enumerate(section.sections, start=1):
        parts.extend(_section(child, path + (index,)))
    return parts


def _block(block: Block) -> str:
    if isinstance(block, Table):
        return _table(block)
    return paragraph(block)


def _table(table: Table) -> str:
    rows = [row for row in table.rows if row]
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    lines = []
    for number, row in enumerate(rows):
        cells = [inline(cell) or "&#160;" for cell in row] + ["&#160;"] * (width - len(row))
        lines.append("| " + " | ".join(cells) + " |")
        if number == 0:
            lines.append("|" + " --- |" * width)
    return "\n".join(lines)
