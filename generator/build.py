"""The build, in phases: load -> taxonomy -> render -> write -> mkdocs -> search -> swap.

The search index needs only the taxonomy, so it is built in a process of its own
while the pages are rendered and MkDocs runs (search/stage.py). Everything goes
into a staging folder; the site is swapped in only when all of it succeeded.
What the last build left, and what each phase may reuse of it, is the build
state's (state.py): the phases are given plain data, never its files.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from generator import links, writer
from generator.config import LoadedConfig, load_config
from generator.content import Archive, load_archive
from generator.errors import BuildError, Problem
from generator.i18n import N_, Messages, _
from generator.model import Report
from generator.parallel import BackgroundCall, collector_paused, heap_frozen, release_memory
from generator.render.docs_folder import DocsFolder
from generator.render.mkdocs_config import mkdocs_yaml
from generator.render.mkdocs_run import run_mkdocs
from generator.search.golden import GoldenOutcome
from generator.search.index_state import fold_fingerprint
from generator.search.known import KnownDocuments
from generator.search.stage import SearchJob, SearchOutcome
from generator.state import BuildState, site_fingerprint
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
    """load -> taxonomy -> render -> write (with the search index started beside them) ->
    mkdocs -> search -> swap; on any failure the published site stays as it was."""
    clock = Stopwatch()
    state = BuildState(build_folder(out_dir))
    with writer.locked(out_dir):
        with _Staging(out_dir) as staging:
            made = _make_docs(content_dir, config_path, out_dir, state, staging, clock)
            _mkdocs(made.site, state, staging, clock)
            with clock.stage("search_wait"):
                index = staging.add_search_index()
            state.remember_site(staging.folder, made.site.fingerprint)
        with clock.stage("write"):
            writer.swap_in(staging.folder, out_dir)
    return BuildResult(
        out_dir=out_dir,
        reports=made.reports,
        units=made.units,
        pages=made.pages,
        files=made.files + index.files,
        golden=index.golden,
        warnings=made.warnings,
        timings={**index.seconds, **clock.total()},
        updated=made.site.update,
        rendered=made.rendered,
        search_delta=index.delta_docs if index.incremental else None,
    )


@dataclass(frozen=True)
class _SitePlan:
    """How MkDocs makes the site: its settings, the build's date, and whether it updates the
    published site (a linked copy, in MkDocs' dirty mode) instead of making every page."""

    settings: str  # mkdocs.yml
    epoch: int
    fingerprint: str  # of everything every page depends on
    update: bool


@dataclass(frozen=True)
class _Made:
    """What the phases before MkDocs leave: their figures, never their data."""

    site: _SitePlan
    reports: int
    units: int
    pages: int
    files: int
    rendered: int
    warnings: tuple[Problem, ...]


def _make_docs(
    content_dir: Path, config_path: Path, out_dir: Path, state: BuildState, staging: _Staging, clock: Stopwatch
) -> _Made:
    """load -> taxonomy -> render -> write, the search index started beside them. What they
    hold is freed when this returns, before MkDocs reads every page again."""
    with clock.stage("load"):
        config, archive = _load(content_dir, config_path, state)
    site = _plan_site(config, archive, state, out_dir)
    # An update keeps what it loaded until its pages are written: no collection need scan it again.
    with heap_frozen(site.update):
        with clock.stage("taxonomy"):
            tax = _taxonomy(config, archive, state)
        staging.start_search(_search_job(tax, archive, content_dir, out_dir, state, site))
        if site.update:
            staging.start_copy()
        docs = DocsFolder(state, config, archive)
        with clock.stage("render"):  # each file written as it is made
            files = docs.render(tax, content_dir)
            docs.write(files)
        with clock.stage("write"):
            state.mkdocs_yml.write_text(site.settings, encoding="utf-8")
    paths = files.paths()
    return _Made(
        site=site,
        reports=len(tax.reports),
        units=len(tax.units),
        pages=sum(path.endswith(".md") for path in paths),
        files=len(paths),
        rendered=docs.rendered,
        warnings=(*config.warnings, *archive.warnings),
    )


def _load(content_dir: Path, config_path: Path, state: BuildState) -> tuple[LoadedConfig, Archive]:
    config = load_config(config_path)
    for problem in config.warnings:
        print(_("warning: {problem}").format(problem=problem), file=sys.stderr)
    with collector_paused():
        archive = load_archive(content_dir, known=state.entries())
    for problem in archive.warnings:
        print(_("warning: {problem}").format(problem=problem), file=sys.stderr)
    return config, archive


def _plan_site(config: LoadedConfig, archive: Archive, state: BuildState, out_dir: Path) -> _SitePlan:
    settings = mkdocs_yaml(config, state.docs.resolve())
    epoch = source_date_epoch(archive.reports)
    fingerprint = site_fingerprint(settings, config.theme_path, epoch)
    return _SitePlan(settings, epoch, fingerprint, update=state.reusable_site(out_dir, fingerprint))


def _taxonomy(config: LoadedConfig, archive: Archive, state: BuildState) -> Taxonomy:
    related = config.site.show.related
    kept = state.taxonomy(related)
    tax = build_taxonomy(
        archive.reports,
        archive.organizations,
        latest=config.site.show.latest,
        related_count=related,
        kept=kept,
        text_keys=archive.digests,
    )
    state.keep_taxonomy(kept)
    return tax


def _search_job(
    tax: Taxonomy, archive: Archive, content_dir: Path, out_dir: Path, state: BuildState, site: _SitePlan
) -> SearchJob:
    """The search index, started in its own process; an update's runs at a lower priority."""
    known = KnownDocuments(state.search_documents(fold_fingerprint()), archive.digests)
    previous = out_dir / links.SEARCH_INDEX
    return SearchJob(tax, content_dir, state.search, previous=previous, known=known, yielding=site.update)


def _mkdocs(site: _SitePlan, state: BuildState, staging: _Staging, clock: Stopwatch) -> None:
    if not site.update:
        # The pages are on disk and the search process has its own copy of what it needs:
        # their memory goes back before MkDocs reads all the pages again.
        release_memory()
    state.forget_site()
    with clock.stage("copy"):
        staging.wait_for_copy()
    with clock.stage("mkdocs"):
        run_mkdocs(state.mkdocs_yml, staging.folder, site.epoch, update=site.update)
        for folder in links.AS_IS_DIRS:
            writer.mirror_links(state.as_is / folder, staging.folder / folder)
    if not (staging.folder / "index.html").is_file():
        raise BuildError(
            _("MkDocs wrote no index.html into {folder}; the site was not replaced").format(folder=staging.folder)
        )


class _Staging:
    """The new site's folder beside the published one, and the processes that fill it while
    the pages are made: the search index and, for an update, the published site's linked copy.
    If the build fails, they are stopped and the folder removed."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self._folder: Path | None = None
        self._search: SearchJob | None = None
        self._copying: BackgroundCall | None = None

    @property
    def folder(self) -> Path:
        if self._folder is None:
            self._folder = writer.staging_dir(self.out_dir)
        return self._folder

    def __enter__(self) -> _Staging:
        return self

    def __exit__(self, kind, error, trace) -> None:
        if kind is None:
            return
        for job in (self._search, self._copying):
            if job is not None:
                job.cancel()
        if self._folder is not None:
            writer.discard(self._folder)

    def start_search(self, job: SearchJob) -> None:
        self._search = job

    def start_copy(self) -> None:
        """The published site, linked into the new one while the pages are made."""
        self._copying = BackgroundCall(writer.linked_copy, self.out_dir, self.folder, (links.SEARCH_INDEX,), yielding=True)

    def wait_for_copy(self) -> None:
        if self._copying is not None:
            self._copying.wait()

    def add_search_index(self) -> SearchOutcome:
        index = self._search.result()
        os.rename(index.folder, self.folder / links.SEARCH_INDEX)
        return index


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
