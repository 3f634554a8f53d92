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
from generator.i18n import N_, _, system_reason
from generator.importer.readers import READERS, Block, read_source
from generator.importer.readers import text as text_reader
from generator.model import Report, Source
from generator.render import templating
from generator.render.escape import one_line, verbatim
from generator.render.html import external_link, href

CANNOT_READ = N_("cannot read {file!r} ({problem}); check that the file is in the content folder")
NOT_PUBLISHED = N_("source files cannot be published")

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
    report names, each file read once while they fit in HELD_CHARS (views are made file by
    file, view_order; a copy's lines may be in a file read before)."""

    HELD_CHARS = 64 * 2**20

    def __init__(self, content_dir: Path, reports: Iterable[Report]) -> None:
        self.content_dir = content_dir
        self.wanted: dict[str, list[tuple[int, int]]] = {}
        for report in reports:
            for source in report.sources:
                self.wanted.setdefault(source.file, []).append(source.lines)
        self._held: OrderedDict[str, tuple[dict[int, str], int]] = OrderedDict()  # file -> lines, their size
        self._held_chars = 0

    def of(self, source: Source) -> list[tuple[int, str]]:
        held = self._file(source.file)
        first, last = source.lines
        return [(number, held[number]) for number in range(first, last + 1) if number in held]

    def _file(self, file: str) -> dict[int, str]:
        if file in self._held:
            self._held.move_to_end(file)
            return self._held[file][0]
        held = self._read(file)
        size = sum(map(len, held.values()))
        self._held[file] = held, size
        self._held_chars += size
        while self._held_chars > self.HELD_CHARS and len(self._held) > 1:
            self._held_chars -= self._held.popitem(last=False)[1][1]
        return held

    def _read(self, file: str) -> dict[int, str]:
        wanted = _Ranges(self.wanted.get(file, ()))
        try:
            return {n: text for n, text in numbered_lines(self.content_dir / file) if wanted.hold(n)}
        except (OSError, SourceError) as error:
            why = system_reason(error) if isinstance(error, OSError) else getattr(error, "reason", str(error))
            problem = Problem(file, "sources.file", _(CANNOT_READ).format(file=file, problem=why))
            raise BuildError(_("source views cannot be made"), [problem]) from None


class _Ranges:
    """Line ranges, asked about lines in ascending order: a file of thousands of reports is
    read line by line against its ranges once, not each line against every range."""

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for first, last in sorted(ranges):
            if merged and first <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], last)
            else:
                merged.append([first, last])
        self._ranges, self._at, self._last = merged, 0, 0

    def hold(self, line: int) -> bool:
        if line < self._last:  # not ascending after all: look from the start
            self._at = 0
        self._last = line
        while self._at < len(self._ranges) and self._ranges[self._at][1] < line:
            self._at += 1
        return self._at < len(self._ranges) and self._ranges[self._at][0] <= line


def numbered_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, text) of a source file, numbered as its reader numbers blocks."""
    reader = READERS.get(path.suffix.lower())
    blocks: Iterable[Block]
    if reader == "text" and os.stat(path).st_size >= text_reader.LARGE_FILE:
        blocks = (block for window in text_reader.TextWindows(path, "") for block in window.blocks)
    else:
        blocks = read_source(path).blocks
    for block in blocks:
        # A table is shown whole at its first line, as an entry's range names it (a web page's
        # table counts a line per row, but a report ending in one ends at its first).
        yield block.line, block.text if block.table is None else "\n".join(map("\t".join, block.table))


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
