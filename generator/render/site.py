"""Everything the site is made of, as (docs path -> how to make its bytes): each file is made
when it is written, so the pages of a whole archive are never held at once."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path

from generator import links
from generator.config import SiteConfig
from generator.errors import BuildError, Problem
from generator.i18n import _, system_reason
from generator.render import data, source_views
from generator.render.pages import Context, Shows, listed, page_plans, renderer
from generator.render.reuse import PageReuse
from generator.render.source_views import CANNOT_READ, NOT_PUBLISHED
from generator.taxonomy import Taxonomy


@dataclass
class RenderedSite:
    files: dict[str, Callable[[], bytes]]  # docs path -> its maker, of what is made anew (in making order)
    kept: list[str] = field(default_factory=list)  # files in the docs folder that are current
    fingerprints: dict[str, str] = field(default_factory=dict)  # docs path -> what it shows, for reuse


@dataclass(frozen=True)
class _Output:
    path: str
    kind: str  # template name, or what else makes the file
    make: Callable[[], bytes]
    shows: Shows | None  # see PagePlan.shows; role "file": a file's identity


def render_site(tax: Taxonomy, site: SiteConfig, content_dir: Path, reuse: PageReuse | None = None) -> RenderedSite:
    rendered = RenderedSite({})
    for output in _outputs(tax, site, content_dir):
        fingerprint = reuse.fingerprint(output.path, output.kind, output.shows) if reuse else None
        if fingerprint is not None:
            rendered.fingerprints[output.path] = fingerprint
        if reuse and reuse.current(output.path, fingerprint):
            rendered.kept.append(output.path)
        else:
            rendered.files[output.path] = output.make
    return rendered


def _outputs(tax: Taxonomy, site: SiteConfig, content_dir: Path) -> Iterator[_Output]:
    ctx = Context(tax, site)
    render = renderer(ctx)
    for plan in page_plans(ctx):
        yield _Output(plan.path, plan.template, partial(_encoded, render, plan), plan.shows)
    rows = cache(partial(data.catalog_rows, tax, site))
    every_report = listed(tax)
    yield _Output(links.CATALOG_JSON, "catalog.json", lambda: data.catalog_json(rows()).encode("utf-8"), every_report)
    yield _Output(links.CATALOG_CSV, "catalog.csv", lambda: data.catalog_csv(rows()).encode("utf-8"), every_report)
    yield _Output(links.FEED, "feed", lambda: data.atom_feed(tax, site).encode("utf-8"), every_report)
    if site.show.source_downloads:
        for path, source in source_files(tax).items():
            yield _Output(path, "source", partial(_read_source, content_dir, source), _files_shown(content_dir, [source]))
    lines = source_views.SourceLines(content_dir, tax.reports)
    for report in source_views.view_order(tax.reports):
        files = _files_shown(content_dir, dict.fromkeys(s.file for s in report.sources))
        shows = (("source-view", (report.id,)), *files) if files else None
        page = partial(source_views.view_page, report, site, lines)
        yield _Output(links.source_view(report.id), source_views.TEMPLATE, page, shows)


def _encoded(render, plan) -> bytes:
    return render(plan).encode("utf-8")


def _files_shown(content_dir: Path, sources) -> Shows | None:
    """The identity of each file, by which a page made from it is known; None if one is missing."""
    found = []
    for source in sources:
        try:
            stat = os.stat(os.path.join(content_dir, source))
        except OSError:
            return None  # read, and reported, when it is made
        found.append(f"{source}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ctime_ns}\0{stat.st_ino}")
    return (("file", tuple(found)),)


def _read_source(content_dir: Path, source: str) -> bytes:
    try:
        return (content_dir / source).read_bytes()
    except OSError as error:
        problem = Problem(source, "sources.file", _(CANNOT_READ).format(file=source, problem=system_reason(error)))
        raise BuildError(_(NOT_PUBLISHED), [problem]) from None


def source_files(tax: Taxonomy) -> dict[str, str]:
    """Where the original file of every report is published (links.source_download()): the
    download path, and the source file under the content folder."""
    origin: dict[str, str] = {}
    problems = []
    for report in tax.reports:
        for source in report.sources:
            target = links.source_download(source.file, source.sha256)
            if origin.setdefault(target, source.file) != source.file:
                problems.append(
                    Problem(
                        f"reports/{report.id}.yml",
                        "sources.file",
                        _("{file!r} and {other!r} share one download name; rename one of the two files").format(
                            file=source.file, other=origin[target]
                        ),
                    )
                )
    if problems:
        raise BuildError(_(NOT_PUBLISHED), problems)
    return origin
