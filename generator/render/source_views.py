"""Each report's source lines as a page of the site: the original files' text, read again as
the importer read it (so lines are numbered as in the entry's `sources`), decoded and escaped.

The original bytes are offered only as downloads (links.source_download): a scraped web
page published as it is would run its scripts on the archive's own site. A view page holds
nothing but escaped text, and its Content-Security-Policy forbids scripts besides.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from markupsafe import Markup, escape

from generator import labels, links
from generator.config import SiteConfig
from generator.errors import BuildError, Problem, SourceError
from generator.importer.readers import READERS, Block, read_source
from generator.importer.readers import text as text_reader
from generator.model import Report, Source
from generator.render import templating
from generator.render.escape import one_line, verbatim
from generator.render.html import external_link, href

TEMPLATE = "source.html.j2"


@dataclass(frozen=True)
class Excerpt:
    """One source of a report, as its view shows it."""

    source: Source
    kind: str  # labels.COPY_KIND
    download: str | None  # relative URL of the original bytes; None when downloads are off
    download_name: str
    rows: Markup  # the numbered lines, as table rows


class SourceLines:
    """The lines of the files reports were imported from: of each file only the lines some
    report names, and only a few files at once (views are made file by file: view_order)."""

    HELD = 4

    def __init__(self, content_dir: Path, reports: Iterable[Report]) -> None:
        self.content_dir = content_dir
        self.wanted: dict[str, list[tuple[int, int]]] = {}
        for report in reports:
            for source in report.sources:
                self.wanted.setdefault(source.file, []).append(source.lines)
        self._held: OrderedDict[str, dict[int, str]] = OrderedDict()

    def of(self, source: Source) -> list[tuple[int, str]]:
        held = self._file(source.file)
        first, last = source.lines
        return [(number, held[number]) for number in range(first, last + 1) if number in held]

    def _file(self, file: str) -> dict[int, str]:
        if file in self._held:
            self._held.move_to_end(file)
            return self._held[file]
        ranges = sorted(self.wanted.get(file, ()))
        try:
            held = {n: text for n, text in numbered_lines(self.content_dir / file) if _within(n, ranges)}
        except (OSError, SourceError) as error:
            why = error.strerror if isinstance(error, OSError) else str(error)
            raise BuildError(
                "source views cannot be made", [Problem(file, "sources.file", f"cannot read {file!r} ({why})")]
            ) from None
        self._held[file] = held
        if len(self._held) > self.HELD:
            self._held.popitem(last=False)
        return held


def _within(number: int, ranges: list[tuple[int, int]]) -> bool:
    return any(first <= number <= last for first, last in ranges)


def numbered_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, text) of a source file, numbered as its reader numbers blocks."""
    reader = READERS.get(path.suffix.lower())
    blocks: Iterable[Block]
    if reader == "text" and os.stat(path).st_size >= text_reader.LARGE_FILE:
        blocks = (block for window in text_reader.TextWindows(path, "") for block in window.blocks)
    else:
        blocks = read_source(path).blocks
    for block in blocks:
        if block.table is None:
            yield block.line, block.text
        elif reader == "html":  # a table takes a line per row there (readers/html.py)
            for offset, row in enumerate(block.table):
                yield block.line + offset, "\t".join(row)
        else:
            yield block.line, "\n".join("\t".join(row) for row in block.table)


def view_order(reports: Iterable[Report]) -> list[Report]:
    """Reports by the file they were imported from, so that each file is read about once."""
    return sorted(reports, key=lambda r: (r.sources[0].file, r.sources[0].lines, r.id))


@cache
def _environment():
    # Titles and names on one line; the source lines keep their blanks (_rows).
    return templating.environment(autoescape=True, own=Markup, shown=one_line)


def view_page(report: Report, site: SiteConfig, lines: SourceLines) -> bytes:
    page = links.source_view(report.id)
    excerpts = [_excerpt(page, number, source, site, lines) for number, source in enumerate(report.sources, 1)]
    html = _environment().get_template(TEMPLATE).render(
        report=report,
        site=site,
        excerpts=excerpts,
        address=external_link(report.source_url) if report.source_url else None,
        home=href(page, links.HOME),
        report_url=href(page, links.report_page(report.id)),
    )
    return html.encode("utf-8")


def _excerpt(page: str, number: int, source: Source, site: SiteConfig, lines: SourceLines) -> Excerpt:
    download = href(page, links.source_download(source.file, source.sha256)) if site.show.source_downloads else None
    kind, name = labels.COPY_KIND[source.kind], links.download_name(source.arrived_name)
    return Excerpt(source, kind, download, name, _rows(number, lines.of(source)))


def _rows(number: int, lines: list[tuple[int, str]]) -> Markup:
    # Joined here, not looped in the template: a view holds hundreds of lines, the site thousands of views.
    return Markup("\n".join(
        f'<tr id="source-{number}-{line}"><th>{line}</th><td>{escape(verbatim(text))}</td></tr>' for line, text in lines
    ))
