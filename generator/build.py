"""The build: config -> entries -> taxonomy -> pages -> MkDocs, search index beside them -> swap.

The search index needs only the taxonomy, so it is built in a process of its own
while the pages are rendered and MkDocs runs (search/stage.py). Everything goes
into a staging folder; the site is swapped in only when all of it succeeded.
MkDocs runs in strict mode so any warning fails the build.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from generator import links, update, writer
from generator.config import LoadedConfig, load_config
from generator.content import Archive, load_archive
from generator.errors import BuildError, Problem
from generator.i18n import N_, Messages, _
from generator.model import Report
from generator.parallel import BackgroundCall, collector_paused, heap_frozen, release_memory
from generator.render.mkdocs_config import mkdocs_yaml
from generator.render.reuse import PageReuse, file_identity
from generator.render.site import render_site
from generator.search.golden import GoldenOutcome
from generator.search.known import DOCUMENTS_FILE, KnownDocuments
from generator.search.stage import SearchJob
from generator.taxonomy import Taxonomy, build_taxonomy


@dataclass(frozen=True)
class BuildResult:
    out_dir: Path
    reports: int
    units: int
    pages: int
    files: int
    golden: GoldenOutcome = field(default_factory=GoldenOutcome)
    warnings: tuple[Problem, ...] = field(default=())
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    updated: bool = False  # the published site was updated, not built anew
    rendered: int = 0  # docs files rendered anew (the others were current)
    search_delta: int | None = None  # reports in the search index's delta; None: built in full

    def summary_line(self) -> str:
        warned = MESSAGES["warnings"].format(count=len(self.warnings)) if self.warnings else ""
        delta = "" if self.search_delta is None else MESSAGES["delta"].format(count=self.search_delta)
        return MESSAGES["summary"].format(
            verb=MESSAGES["updated" if self.updated else "built"],
            out=self.out_dir,
            reports=self.reports,
            units=self.units,
            pages=self.pages,
            files=self.files,
            rendered=self.rendered,
            golden=self.golden.queries,
            pins=self.golden.pins,
            sampled=self.golden.sampled,
        ) + delta + warned


MESSAGES = Messages({
    "summary": N_("{verb} {out}: {reports} reports, {units} units, {pages} pages, {files} generated files, "
    "{rendered} docs files rendered, {golden} golden queries passed ({pins} pinned reports found), "
    "{sampled} queries sampled from the reports passed"),
    "built": N_("built"),
    "updated": N_("updated"),
    "delta": N_(" (search index updated: {count} changed reports)"),
    "warnings": N_(", {count} warning(s)"),
})


def build_folder(out_dir: Path) -> Path:
    """Where the generated Markdown and mkdocs.yml go (never committed)."""
    return out_dir.parent / ".build" / out_dir.name


class Stopwatch:
    """Seconds spent in each stage, for --timings and the benchmark."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._started = time.perf_counter()

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start

    def total(self) -> dict[str, float]:
        return {**self.seconds, "total": time.perf_counter() - self._started}


def build_site(*, content_dir: Path, config_path: Path, out_dir: Path) -> BuildResult:
    clock = Stopwatch()
    work = build_folder(out_dir)
    with writer.locked(out_dir):
        with clock.stage("load"):
            config = load_config(config_path)
            for problem in config.warnings:
                print(_("warning: {problem}").format(problem=problem), file=sys.stderr)
            with collector_paused():
                archive = load_archive(content_dir, known=update.entry_results(work))
            warnings = (*config.warnings, *archive.warnings)
            for problem in archive.warnings:
                print(_("warning: {problem}").format(problem=problem), file=sys.stderr)
        settings = mkdocs_yaml(config, (work / "docs").resolve())
        epoch = source_date_epoch(archive.reports)
        fingerprint = update.site_fingerprint(settings, config.theme_path, epoch)
        reuse = update.reusable_site(out_dir, work, fingerprint)
        # An update keeps what it loaded until it ends: no collection need scan it again.
        with heap_frozen(reuse):
            with clock.stage("taxonomy"):
                tax = build_taxonomy(
                    archive.reports,
                    archive.organizations,
                    latest=config.site.show.latest,
                    related_count=config.site.show.related,
                    cache=update.Cache(work),
                    text_keys=archive.digests,
                )
            known = KnownDocuments(work / update.CACHE_DIR / DOCUMENTS_FILE, archive.digests)
            search = SearchJob(tax, content_dir, work / "search", out_dir / links.SEARCH_INDEX, known, yielding=reuse)
            staging = copying = None
            try:
                staging = writer.staging_dir(out_dir)
                if reuse:  # the published site, linked into the new one while the pages are made
                    copying = BackgroundCall(writer.linked_copy, out_dir, staging, (links.SEARCH_INDEX,), yielding=True)
                with clock.stage("render"):
                    pages = _PageCache(work, config, archive)
                    files = pages.render(tax, content_dir)
                with clock.stage("write"):
                    pages.write(files)
                    (work / "mkdocs.yml").write_text(settings, encoding="utf-8")
                counts = (len(tax.reports), len(tax.units), *_page_and_file_counts(files), pages.rendered)
                del files, tax, archive, pages
                if not reuse:
                    # The pages are on disk and the search process has its own copy of what it
                    # needs: their memory goes back before MkDocs reads all the pages again.
                    release_memory()
                update.forget_site(work)
                if copying is not None:
                    with clock.stage("copy"):
                        copying.wait()
                with clock.stage("mkdocs"):
                    run_mkdocs(work / "mkdocs.yml", staging, epoch, update=reuse)
                    for folder in links.AS_IS_DIRS:
                        writer.mirror_links(work / AS_IS_DIR / folder, staging / folder)
                if not (staging / "index.html").is_file():
                    raise BuildError(
                        _("MkDocs wrote no index.html into {folder}; the site was not replaced").format(folder=staging)
                    )
                with clock.stage("search_wait"):
                    index = search.result()
                os.rename(index.folder, staging / links.SEARCH_INDEX)
                update.remember_site(work, staging, fingerprint)
            except BaseException:
                search.cancel()
                if copying is not None:
                    copying.cancel()
                if staging is not None:
                    writer.discard(staging)
                raise
            with clock.stage("write"):
                writer.swap_in(staging, out_dir)
    reports, units, pages, files, rendered = counts
    return BuildResult(
        out_dir,
        reports,
        units,
        pages,
        files + index.files,
        index.golden,
        warnings,
        {**index.seconds, **clock.total()},
        reuse,
        rendered,
        index.delta_docs if index.incremental else None,
    )


AS_IS_DIR = "as-is"  # files published as they are, linked into the site beside MkDocs


class _PageCache:
    """The docs folder, the folder of files published as they are (links.published_as_is), and
    the fingerprints of what they hold (render/reuse.py): a file whose fingerprint is unchanged
    is neither made nor written."""

    def __init__(self, work: Path, config: LoadedConfig, archive: Archive) -> None:
        self.docs = work / "docs"
        self.as_is = work / AS_IS_DIR
        self._docs, self._as_is = str(self.docs), str(self.as_is)  # joined with a path per file
        self.config = config
        self.cache = update.Cache(work)
        units = "\0".join(org.model_dump_json() for org in archive.organizations)
        self.registry = update.joined_digest(update.code_fingerprint(), config.site.model_dump_json(), units)
        self.shared = self.registry
        self.digests = archive.digests
        self.listed = archive.listed
        self.fingerprints: dict[str, str] = {}
        self.rendered = 0  # files rendered (the others were current)

    def render(self, tax: Taxonomy, content_dir: Path) -> writer.FileSet:
        # A unit's label depends on the reports of other units of its name: shared like the registry.
        labels = "\0".join(f"{slug}\1{label}" for slug, label in sorted(tax.unit_labels.items()))
        self.shared = update.joined_digest(self.registry, labels)
        previous = self.cache.load("pages", self.shared) or {}
        reuse = PageReuse(self.located, previous, self.digests, self.listed, self.shared)
        rendered = render_site(tax, self.config.site, content_dir, reuse)
        self.fingerprints = rendered.fingerprints
        self.rendered = len(rendered.files)
        files = writer.FileSet()
        files.update(rendered.files)
        for path in rendered.kept:
            files.keep(path)
        return files

    def located(self, path: str) -> str:
        return os.path.join(self._as_is if links.published_as_is(path) else self._docs, path)

    def write(self, files: writer.FileSet) -> None:
        # The fingerprints describe the folders: never left behind while they change.
        self.cache.forget("pages")
        files.part(lambda path: not links.published_as_is(path)).write(self.docs)
        files.part(links.published_as_is).write(self.as_is)
        written = {
            path: [fingerprint, *file_identity(self.located(path))] for path, fingerprint in self.fingerprints.items()
        }
        self.cache.save("pages", self.shared, written)


def _page_and_file_counts(files: writer.FileSet) -> tuple[int, int]:
    paths = files.paths()
    return sum(path.endswith(".md") for path in paths), len(paths)


def source_date_epoch(reports: list[Report]) -> int:
    """The build's date, from the content (or SOURCE_DATE_EPOCH), never from the clock."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return int(os.environ["SOURCE_DATE_EPOCH"])
    days = [r.date for r in reports if r.date] + [datetime(r.year, 1, 1).date() for r in reports if r.year]
    newest = max(days, default=None)
    return (
        int(datetime(newest.year, newest.month, newest.day, tzinfo=timezone.utc).timestamp())
        if newest
        else 0
    )


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.problems: list[Problem] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.problems.append(Problem("mkdocs", record.name, record.getMessage(), severity="error"))


def _not_the_dirty_warning(record: logging.LogRecord) -> bool:
    # Dirty mode warns that navigation may go stale; an update only runs when nothing
    # shared by all pages changed (update.site_fingerprint), and strict mode would fail on it.
    return not record.getMessage().startswith("A 'dirty' build is being performed")


@contextlib.contextmanager
def _mkdocs_logging() -> Iterator[_Collect]:
    """Collect MkDocs' warnings for our error report instead of printing them."""
    logger = logging.getLogger("mkdocs")
    handler, propagate, level = _Collect(), logger.propagate, logger.level
    logger.addHandler(handler)
    logger.propagate, logger.level = False, logging.INFO
    build_logger = logging.getLogger("mkdocs.commands.build")
    build_logger.addFilter(_not_the_dirty_warning)
    try:
        yield handler
    finally:
        build_logger.removeFilter(_not_the_dirty_warning)
        logger.removeHandler(handler)
        logger.propagate, logger.level = propagate, level


@contextlib.contextmanager
def _environment(name: str, value: str) -> Iterator[None]:
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


def run_mkdocs(config_file: Path, site_dir: Path, epoch: int, update: bool = False) -> None:
    """MkDocs into `site_dir`: empty for a full build; for an update, a linked copy of the
    published site, of which MkDocs' dirty mode writes only the pages whose source changed."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config as load_mkdocs_config
    from mkdocs.exceptions import MkDocsException

    with _mkdocs_logging() as collected, _environment("SOURCE_DATE_EPOCH", str(epoch)):
        try:
            build(
                load_mkdocs_config(
                    config_file=str(config_file), strict=True, site_dir=str(site_dir.resolve())
                ),
                dirty=update,
            )
        except (MkDocsException, SystemExit) as error:
            raise BuildError(_("MkDocs failed: {problem}").format(problem=error), collected.problems) from None
        except Exception as error:  # a theme template or plugin crashed: still a failed build
            raise BuildError(
                _("MkDocs failed: {problem}").format(problem=f"{type(error).__name__}: {error}"), collected.problems
            ) from error
    if collected.problems:  # strict mode should have stopped already; never publish with warnings
        raise BuildError(_("MkDocs reported warnings; fix what they name (the template or page) and build again"), collected.problems)
