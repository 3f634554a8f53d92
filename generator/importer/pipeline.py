"""Import: raw files → entries under content/reports/, the unit registry and the import log.

All work happens in memory first; files are written only when everything is
known (but the sources, copied as the files are read), each one atomically
and in an order that keeps content/ consistent at every moment (sources, then
units, then entries, then the log), so a failed or killed run leaves a content/
that `check` accepts.

Large text files are read window by window and duplicate copies are dropped as
soon as they are recognised, so memory grows with the distinct reports found,
not with the size of the input.

What each file or report needs on its own runs on every core (generator.parallel):
reading, splitting, drafting and copying a file, the structure, metadata and file text
of a new entry, dumping the log. What depends on the order of the input stays in this
process: naming the sources and grouping the copies (as the files come in), and
proposing units.
"""

from __future__ import annotations

import bisect
import gc
import hashlib
import json
import os
import shutil
import sys
import time
import unicodedata
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import accumulate
from pathlib import Path, PurePosixPath

import numpy as np
from pydantic import ValidationError

from generator.content import (
    ORGANIZATIONS_FILE,
    REPORTS_DIR,
    SOURCES_DIR,
    check_content,
    file_sha256,
    outside_links,
)
from generator.errors import EntryError, Problem, SourceError, UnreadableFile
from generator.i18n import N_, Messages, _, system_reason
from generator.importer import orgs, source_url
from generator.importer.dedup import Grouper, core_digest, fingerprint_text, sketch
from generator.importer.entries import Draft, draft_report, report_dict
from generator.importer.readers import READERS, SourceText, read_bytes, read_source, supported
from generator.importer.readers import text as text_reader
from generator.importer.segment import SegmentedSource, segment_source
from generator.importer.units import Registry, propose_slug
from generator.locking import folder_lock
from generator.model import Report, Source, unsafe_file_name
from generator.parallel import mapped, worker_pool
from generator.yamlio import dump, load, temporary_beside, write_atomic, write_beside

IMPORT_LOG = "import-log.yml"
STATE_FILE = ".import-state.json"
# A window's last segment may go on in the next window; it is carried over, up to this size.
MAX_CARRY_CHARS = 4 * 1024 * 1024
READING = N_("reading")


MESSAGES = Messages({
    "files_read": N_("files read: {count}"),
    "reports_found": N_("reports found: {count} ({duplicates} duplicate copies merged)"),
    "entries_written": N_("entries written: {count} ({new} new, {changed} changed), unchanged: {unchanged}"),
    "entry": N_("  {change}: {path}  {title}"),
    "new": N_("new"),
    "changed": N_("changed"),
    "skipped": N_("skipped {path}: {why}"),
    "conflict": N_("conflict: {what}"),
    "next": N_("next: report-archive check --review (what to verify), then report-archive build"),
    "missing_paths": N_("nothing was imported: {count} of the paths given do not exist"),
    "missing_path": N_("no such file or folder; check the name, or give the full path "
    "(a relative path is read from the folder the command runs in)"),
})


@dataclass(frozen=True)
class WrittenEntry:
    path: str  # under the content folder
    title: str
    new: bool  # a new entry, not a changed one


@dataclass
class ImportSummary:
    files_read: int = 0
    segments: int = 0
    duplicates: int = 0
    written: list[WrittenEntry] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    failed: bool = False

    def render(self) -> str:
        new = sum(entry.new for entry in self.written)
        lines = [
            MESSAGES["files_read"].format(count=self.files_read),
            MESSAGES["reports_found"].format(count=self.segments, duplicates=self.duplicates),
            MESSAGES["entries_written"].format(
                count=len(self.written), new=new, changed=len(self.written) - new, unchanged=self.unchanged
            ),
        ]
        lines += [
            MESSAGES["entry"].format(change=MESSAGES["new" if e.new else "changed"], path=e.path, title=e.title)
            for e in self.written
        ]
        lines += [MESSAGES["skipped"].format(path=path, why=why) for path, why in self.skipped]
        lines += [MESSAGES["conflict"].format(what=c) for c in self.conflicts]
        if self.written:
            lines.append(MESSAGES["next"])
        return "\n".join(lines)


def collect_files(paths: list[Path], summary: ImportSummary) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts))
            found = [p for p in found if not _link_out_of(p, path, summary)]
        elif path.is_file():
            found = [path]
        elif path.exists() or path.is_symlink():
            # A pipe or device would block the read forever; a dangling link has nothing to read.
            summary.skipped.append((str(path), _("not a regular file (a link to nothing, a pipe or a device); import the report file itself")))
            continue
        else:  # gone since import_paths looked
            summary.skipped.append((str(path), MESSAGES["missing_path"]))
            continue
        for file in found:
            (files if supported(file) else []).append(file)
            if not supported(file):
                summary.skipped.append((str(file), _("unsupported file type '{suffix}'; save the report as .txt, .docx, .html or .pdf").format(suffix=file.suffix or _("(none)"))))
    return files


def _link_out_of(file: Path, folder: Path, summary: ImportSummary) -> bool:
    """A symbolic link inside an imported folder to a file elsewhere is not read."""
    if not file.is_symlink() or file.resolve().is_relative_to(folder.resolve()):
        return False
    summary.skipped.append((str(file), _("a link to a file outside the folder being imported; copy the file itself into the folder")))
    return True


def _source_name(file: Path, sha256: str, content: Path, real_content: Path, real_folders: dict[Path, str]) -> tuple[str, bool]:
    """Where the original lives inside content/ (real_content: content.resolve()), and whether
    the archive holds it there already (else it is to be copied in)."""
    real, folder = _real_path(file, real_folders), f"{real_content}{os.sep}"
    inside = real[len(folder) :].replace(os.sep, "/") if real.startswith(folder) else None
    if inside is not None:
        why = next(filter(None, map(unsafe_file_name, inside.split("/"))), None)
        if why:
            raise UnreadableFile(file, _("the file's name {problem}; rename it and import it again").format(problem=why))
        return inside, True
    name = f"{SOURCES_DIR}/{safe_name(file.name, sha256)}"
    target = content / name
    if not target.exists():
        # Asked once: the import may place another file here meanwhile (see _place_source).
        return name, False
    if file_sha256(target) == sha256:
        return name, True
    name = _hashed_name(name, sha256)
    return name, (content / name).exists()  # a name with the file's own hash: the same file


def _real_path(file: Path, real_folders: dict[Path, str]) -> str:
    """os.path.realpath(file), from its folder's as resolved once for the import (real_folders):
    a file that is no link only adds its name to it."""
    folder = real_folders.get(file.parent)
    if folder is None or file.is_symlink():
        return os.path.realpath(file)
    return os.path.join(folder, file.name)


def _hashed_name(name: str, sha256: str) -> str:
    """The name a file gets where another file holds its own name."""
    path = PurePosixPath(name)
    return str(path.with_name(f"{path.stem}-{sha256[:8]}{path.suffix}"))


def safe_name(name: str, sha256: str) -> str:
    """The file's own name if it is safe on every system; else a tidied name with part of its hash.

    Raw files come with names no archive should carry: control characters, '\\' or ':',
    Windows device names (CON, NUL ...), hundreds of characters.
    """
    name = unicodedata.normalize("NFC", name)
    if not unsafe_file_name(name):
        return name
    path = Path(name)
    suffix = path.suffix.lower() if path.suffix[1:].isascii() and path.suffix[1:].isalnum() else ""
    stem = "".join("_" if c in '\\/:*?"<>|' or not c.isprintable() else c for c in name[: len(name) - len(suffix)])
    stem = stem.strip(" ._")[:60].rstrip(" .") or "source"
    return f"{stem}-{sha256[:8]}{suffix}"


@dataclass
class _Input:
    """One raw file, read and split into drafts at once, or (a large text file) window by window when its turn comes."""

    name: str  # where the original lives inside content/
    file: Path
    sha256: str
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)
    lines: int = 0  # blocks read
    left_out: list[dict] = field(default_factory=list)
    # Its reports not yet grouped, each with its sketch.
    drafts: list[tuple[Draft, np.ndarray]] = field(default_factory=list)
    windows: text_reader.TextWindows | None = None
    staged: str | None = None  # a copy of the file in the archive's sources, under a temporary name

    def add(self, segmented: SegmentedSource) -> None:
        """Draft the segments found (each with its sketch), and note what was left out of them."""
        self.left_out += [{"lines": [r.line, r.line], "reason": r.reason, "text": r.text} for r in segmented.removals]
        segments = [segment for segment in segmented.segments if segment.paragraphs]
        for segment, url in zip(segments, _source_urls(segmented, segments)):
            draft, core = draft_report(self.name, segment, url)
            self.drafts.append((draft, sketch(core)))

    def rename(self, name: str) -> None:
        self.name = name
        self.drafts = [(replace(d, source=d.source.model_copy(update={"file": name})), s) for d, s in self.drafts]

    def log_entry(self) -> dict:
        source = self.windows or self  # a large file's encoding and warnings are known once it was read
        return {"sha256": self.sha256, "encoding": source.encoding, "blocks": self.lines, "warnings": list(source.warnings), "left_out": self.left_out}


def _source_urls(segmented: SegmentedSource, segments: list) -> list[str | None]:
    """Each segment's original address: the page's own, else a labelled line near it."""
    page = segmented.source.hints.get("source_url")
    if page:
        return [page] * len(segments)
    labelled = [(removal.line, removal.text) for removal in segmented.removals]
    return source_url.for_segments([(s.first, s.last) for s in segments], labelled)


def _is_large_text(file: Path) -> bool:
    return READERS.get(file.suffix.lower()) == "text" and os.stat(file).st_size >= text_reader.LARGE_FILE


# Below this many files, reading them in one process is quicker than starting others.
PARALLEL_FROM = 200


def _open_all(files: list[Path], content: Path, summary: ImportSummary, progress: Progress, pool: Executor | None) -> Iterator[_Input]:
    """The files read, split and drafted, in order; those that cannot be read are skipped."""
    # Each file is its own work: all cores.
    real_folders = {folder: os.path.realpath(folder) for folder in {file.parent for file in files}}
    read = partial(_open, content=content, real_content=content.resolve(), real_folders=real_folders)
    opened = mapped(pool, read, files, chunksize=_chunk(len(files)))
    placed: dict[str, str] = {}
    for number, (file, item) in enumerate(zip(files, opened), start=1):
        progress.files(number, len(files))
        if isinstance(item, SourceError):
            summary.skipped.append((str(file), getattr(item, "reason", str(item))))
            continue
        summary.files_read += 1
        _place_source(item, content, placed)
        yield item


def _open(file: Path, content: Path, real_content: Path, real_folders: dict[Path, str]) -> _Input | SourceError:
    """One file read, split into drafts (a large text file only checked: it is read in its turn)
    and copied into the archive's sources under a temporary name (see _place_source)."""
    try:
        data = None
        if _is_large_text(file):
            sha256 = text_reader.scan(file)
            windows = text_reader.TextWindows(file, sha256)
            name, held = _source_name(file, sha256, content, real_content, real_folders)
            item = _Input(name, file, sha256, windows=windows)
        else:
            data = read_bytes(file)
            source = read_source(file, data)
            name, held = _source_name(file, source.sha256, content, real_content, real_folders)
            item = _Input(name, file, source.sha256, source.encoding, list(source.warnings), len(source.blocks))
            item.add(segment_source(source))
        item.staged = None if held else _staged_copy(file, content / item.name, data)
    except SourceError as error:
        return error
    return item


def _staged_copy(file: Path, target: Path, data: bytes | None = None) -> str:
    """A copy of `file` (of `data`, its bytes as they were read, if given) beside `target` under
    a temporary name. Copying is done by the worker that read the file (new files are costly to
    make on some file systems): the import only renames the copy. Whether `target` exists now
    does not say whether it holds this file: the import may have placed another file of the
    same name since the name was chosen."""
    # Made outside the `try`: a folder that cannot hold it is the archive's problem, not this file's.
    fd, staged = temporary_beside(target)
    try:
        with open(fd, "wb") as copy:
            if data is not None:
                copy.write(data)
            else:
                with open(file, "rb") as original:
                    shutil.copyfileobj(original, copy)
    except OSError as error:
        Path(staged).unlink(missing_ok=True)
        raise UnreadableFile(
            file, _("could not be copied into the archive ({error}); check that the disk is not full").format(error=system_reason(error))
        ) from error
    return staged


def _place_source(item: _Input, content: Path, placed: dict[str, str]) -> None:
    """The item's copy renamed onto its name, in input order (name -> sha256 in `placed`): of two
    different files with one name, the first keeps it and the second gets part of its hash in its
    name, as it would beside a file the archive holds already."""
    if placed.setdefault(item.name, item.sha256) != item.sha256:
        item.rename(_hashed_name(item.name, item.sha256))
        placed[item.name] = item.sha256
    if item.staged is None:
        return
    target = content / item.name
    if target.exists():  # an identical file placed already, or a worker staged it before it was
        Path(item.staged).unlink()
    else:
        os.replace(item.staged, target)
    item.staged = None


def _drafts(item: _Input, progress: Progress) -> Iterator[list[tuple[Draft, np.ndarray]]]:
    """The file's drafts; a large file's window by window, so that memory stays bounded."""
    if item.windows is not None:
        for segmented in segment_windows(iter(item.windows)):
            progress.bytes(item.file, item.windows.done_bytes, item.windows.size)
            if segmented.source.blocks:
                item.lines = segmented.source.blocks[-1].line
            item.add(segmented)
            yield item.drafts
            item.drafts = []
    else:
        yield item.drafts
        item.drafts = []


def segment_windows(windows: Iterator[SourceText]) -> Iterator[SegmentedSource]:
    """Segments of a file read in windows, as if it had been read at once.

    A window's last segment may go on in the next window, so its lines (and
    whatever follows the previous segment) are carried over and segmented again
    with the next window; a piece without any seam is cut at MAX_CARRY_CHARS.
    """
    carry: list = []
    started = False  # a segment was kept: the blocks no longer start the file
    window = next(windows, None)
    while window is not None:
        following = next(windows, None)
        blocks = carry + window.blocks
        result = segment_source(replace(window, blocks=blocks), preamble=not started)
        carry = []
        if following is not None:
            if len(result.segments) >= 2:
                # a line cut at a collection's marker may end one segment and start the next
                cut = min(result.segments[-2].last, result.segments[-1].first - 1)
            else:
                cut = blocks[0].line - 1  # no seam yet: carry everything
            kept = [b for b in blocks if b.line > cut]
            if sum(len(b.text) for b in kept) <= MAX_CARRY_CHARS:
                carry = kept
                segments = [s for s in result.segments if s.last <= cut]
                result = SegmentedSource(result.source, segments, [r for r in result.removals if r.line <= cut])
        started = started or bool(result.segments)
        yield result
        window = following


def import_paths(paths: list[Path], content: Path, progress: bool = True) -> ImportSummary:
    missing = [path for path in paths if not path.exists() and not path.is_symlink()]
    if missing:  # a mistyped path: nothing is imported, rather than a part of what was meant
        problems = [Problem(str(path), "", MESSAGES["missing_path"]) for path in missing]
        raise SourceError(MESSAGES["missing_paths"].format(count=len(missing)), problems)
    summary = ImportSummary()
    if content.exists() and not content.is_dir():
        raise EntryError(_("{file}: this is a file, not a folder; give the content folder with --content").format(file=content))
    content.mkdir(parents=True, exist_ok=True)
    files = collect_files(paths, summary)
    # The workers start before the lock is taken (one left behind by a killed import must not
    # hold it), with jieba loaded: they share it rather than each loading it for itself.
    with (
        _no_cycle_collection(),
        worker_pool(len(files), PARALLEL_FROM, prepare=orgs.load) as pool,
        folder_lock(content, "import"),
        Progress(progress) as bar,
    ):
        links = outside_links(content)
        if links:
            raise EntryError(
                _("{file}: links to files outside the content folder; nothing was imported").format(file=content), links
            )
        _remove_leftovers(content)
        checked = check_content(content)
        opened = _open_all(files, content, summary, bar, pool)
        existing: list[Report] = []
        if checked.reports:
            # Which entries are rebuilt depends on the names of all inputs: every file is read first.
            opened = list(opened)
            reimported = {item.name for item in opened}
            # Entries from the files being imported are rebuilt; the others take part in deduplication.
            existing = [r for r in checked.reports if not any(s.file in reimported for s in r.sources)]
        log: dict = {}
        # Otherwise each file is grouped as soon as it was read, while the workers read the next ones.
        groups = _group_drafts(opened, existing, log, summary, bar)
        registry = Registry(list(checked.organizations))
        with _EntryFiles(content) as entry_files:
            reports = _assemble(groups, registry, log, summary, pool, entry_files)
            del groups  # the copies' provenance is in the reports and the log now
            _drop_annotations_of_copies(log)
            _write(content, reports, registry, log, summary, pool, entry_files)
    return summary


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector off (and so in the workers forked meanwhile) for the import.

    An import keeps millions of objects alive (drafts, the shingle index) and makes no
    reference cycles worth collecting: the collector would walk them over and over, which
    takes a sixth of a large import.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _remove_leftovers(content: Path) -> None:
    """Half-written temporary files of an import that was killed (we hold the lock: none is running)."""
    for folder in (content, content / REPORTS_DIR, content / SOURCES_DIR):
        for leftover in folder.glob(".*.tmp") if folder.is_dir() else []:
            if leftover.is_file() and not leftover.is_symlink():
                leftover.unlink()


@dataclass
class _Group:
    """Copies of one report: an existing entry, or the fullest new copy, plus every copy's provenance."""

    existing: Report | None = None
    size: int = 0  # every copy, existing entries included
    members: list[tuple[Source, bytes]] = field(default_factory=list)  # new copies: provenance, core digest
    best: Draft | None = None
    best_index: int = 0
    source_url: str | None = None  # the first copy's that names one

    def add(self, draft: Draft) -> None:
        self.size += 1
        self.source_url = self.source_url or draft.source_url
        self.members.append((draft.source, draft.core_digest))
        # The earliest copy, unless a later one is clearly fuller or less damaged.
        if self.existing is None and (self.best is None or _quality(draft) > _quality(self.best) * 1.05):
            self.best, self.best_index = draft, len(self.members) - 1


def _quality(draft: Draft) -> float:
    return draft.core_size - 200 * len(draft.damaged_lines)


def _group_drafts(opened: Iterable[_Input], existing: list[Report], log: dict, summary: ImportSummary, progress: Progress) -> list[_Group]:
    """Every new copy, grouped with its other copies (existing entries come first so new copies join them)."""
    grouper = Grouper()
    groups: list[_Group] = []
    for report in existing:
        core = fingerprint_text(report.plain_text())
        number, _ = grouper.add(core_digest(core), sketch(core))
        if number == len(groups):
            groups.append(_Group(existing=report))
        groups[number].size += 1
    for item in opened:
        for drafts in _drafts(item, progress):
            for draft, shingles in drafts:
                summary.segments += 1
                group, _ = grouper.add(draft.core_digest, shingles)
                if group == len(groups):
                    groups.append(_Group())
                groups[group].add(draft)
        log[item.name] = item.log_entry()
    return groups


@dataclass(frozen=True)
class _NewEntry:
    """A new entry's file, made (and validated) by a worker but for the line naming its unit:
    units are proposed in input order, by this process, once the entry is made."""

    id: str
    title: str
    organization: str | None
    org_kind: str
    place: str | None
    before_unit: str
    after_unit: str
    slug: str  # the slug proposed for its unit (units.propose_slug): pinyin is slow for the one process
    # Title lines kept out of the body (a page's relabelled title, a repeated title): for the log.
    left_out: tuple[tuple[int, int, str], ...] = ()  # (first line, last line, text)

    def text(self, unit: str | None) -> str:
        return self.before_unit + dump({"unit": unit}) + self.after_unit


# An entry to write: an existing entry, or a new entry's id, file text and title.
Entry = Report | tuple[str, str, str]


def _assemble(
    groups: list[_Group], registry: Registry, log: dict, summary: ImportSummary, pool: Executor | None, entry_files: _EntryFiles
) -> list[Entry]:
    new = [group for group in groups if group.existing is None]
    # Structure and metadata, the slow step, are each report's own: all cores. Units are
    # then proposed in order, so that slugs come out as they would one by one.
    jobs = ((_with_address(group), _copies(group)) for group in new)
    drafted = mapped(pool, _entry_data, jobs, chunksize=_chunk(len(new)))
    reports: list[Entry] = []
    for group in groups:
        summary.duplicates += group.size - 1
        if group.existing is not None:
            if group.members:
                reports.append(_extend(group.existing, group.members, log, group.source_url))
            continue
        sources, data = next(drafted)
        report = _build(group, sources, data, registry, log)
        group.best = None  # made into an entry (or logged): its draft can go
        if report is not None:
            entry_files.stage(_entry_path(report), report[1])  # written meanwhile, placed by _write
            reports.append(report)
    return reports


def _with_address(group: _Group) -> Draft:
    """The fullest copy, with another copy's address where it names none itself."""
    best = group.best
    return best if best.source_url or not group.source_url else replace(best, source_url=group.source_url)


def _chunk(count: int) -> int:
    """Tasks sent to a worker at once: a few chunks per worker, so that they finish together."""
    return max(1, min(64, count // (8 * (os.cpu_count() or 1))))


def _copies(group: _Group) -> list[Source]:
    """The fullest copy carries the text; the others are recorded as copies of it."""
    digest = group.members[group.best_index][1]
    sources = [group.best.source]
    for number, (source, other) in enumerate(group.members):
        if number != group.best_index:
            kind = "exact" if other == digest else "near"
            sources.append(Source(file=source.file, lines=source.lines, sha256=source.sha256, kind=kind))
    return sources


_UNIT_LINE = "\nunit: null\n"  # a top-level key's line: nothing nested starts a line so


def _entry_data(job: tuple[Draft, list[Source]]) -> tuple[list[Source], _NewEntry | str | None]:
    """The copies, and the entry (but its unit); None for a copy with no report text;
    or why it cannot be an entry."""
    draft, sources = job
    if not draft.body.lead and not draft.body.sections:
        return sources, None
    data = report_dict(draft, sources)
    try:
        report = Report.model_validate(data)
    except ValidationError as error:
        # Not expected; but then the text goes to the log instead of crashing the import.
        return sources, f"could not be made into an entry ({error.errors()[0]['msg']}); please report this"
    before, found, after = dump(report_dict_for_file(report)).partition(_UNIT_LINE)
    assert found, "an entry without a unit line"
    dropped = tuple((p.first, p.last, p.text) for p in draft.body.repeated_titles)
    slug = propose_slug(report.organization)
    return sources, _NewEntry(report.id, report.title, report.organization, report.org_kind, report.place, before + "\n", after, slug, dropped)


def _build(group: _Group, sources: list[Source], data: _NewEntry | str | None, registry: Registry, log: dict) -> tuple[str, str, str] | None:
    primary = group.best
    if data is None:
        # A title or a signature alone is no report: its lines stay in the import log.
        for source, _ in group.members:
            _log_lines(log, source, "no report text under it (a title or heading alone)", primary)
        return None
    for source in sources[1:]:
        _log_duplicate(log, source, primary.report_id, source.kind)
    if isinstance(data, str):
        for source, _ in group.members:
            _log_lines(log, source, data, primary)
        return None
    for first, last, text in data.left_out:
        reason = "title line kept out of the body (a page's own or repeated title)"
        log[primary.source.file]["left_out"].append({"lines": [first, last], "reason": reason, "text": text})
    unit = registry.unit_for(data.organization, data.org_kind, data.place, data.id, data.slug)
    return data.id, data.text(unit), data.title


def _extend(report: Report, members: list[tuple[Source, bytes]], log: dict, address: str | None) -> Report:
    """An existing entry with the new copies' provenance, and their page's address where it had none."""
    sources = list(report.sources)
    for source, _kind in members:
        if any(s.file == source.file and s.lines == source.lines for s in sources):
            continue
        sources.append(Source(file=source.file, lines=source.lines, sha256=source.sha256, kind="near"))
        _log_duplicate(log, source, report.id, "near")
    return report.model_copy(update={"sources": sources, "source_url": report.source_url or address})


def _drop_annotations_of_copies(log: dict) -> None:
    """A duplicate copy is logged as a whole; its pinyin annotations need no lines of their own."""
    for entry in log.values():
        copies = sorted(tuple(i["lines"]) for i in entry["left_out"] if i["reason"].startswith("duplicate copy"))
        starts = [first for first, _ in copies]
        ends = list(accumulate((last for _, last in copies), max))
        entry["left_out"] = [
            i
            for i in entry["left_out"]
            if i["reason"] != "pinyin annotations" or not _within(i["lines"][0], starts, ends)
        ]


def _within(line: int, starts: list[int], ends: list[int]) -> bool:
    """Whether `line` falls in one of the ranges (sorted starts, running maximum of their ends)."""
    index = bisect.bisect_right(starts, line) - 1
    return index >= 0 and ends[index] >= line


def _log_duplicate(log: dict, source: Source, report_id: str, kind: str) -> None:
    log[source.file]["left_out"].append(
        {"lines": list(source.lines), "reason": f"duplicate copy ({kind}) of {report_id}", "text": None}
    )


def _log_lines(log: dict, source: Source, reason: str, draft: Draft) -> None:
    text = "\n".join(p.text for p in draft.paragraphs if p.text)
    log[source.file]["left_out"].append({"lines": list(source.lines), "reason": reason, "text": text})


class Progress:
    """What the import is doing: a bar on a terminal, plain lines otherwise (logs, CI), nothing when quiet."""

    EVERY_SECONDS = 2.0

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.terminal = enabled and sys.stderr.isatty()
        self._bar = None
        self._task = None
        self._said = 0.0
        self._last = ""

    def __enter__(self) -> Progress:
        if self.terminal:
            from rich.console import Console
            from rich.progress import Progress as Bar

            self._bar = Bar(console=Console(stderr=True), transient=True)
            self._bar.start()
            self._task = self._bar.add_task(_(READING), total=None)
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()

    def files(self, done: int, total: int, what: str = READING) -> None:
        if self._bar is not None:
            self._bar.update(self._task, description=_(what), completed=done, total=total)
        elif self.enabled and (done == total or self._due()):
            self._say(_("{stage}: {done} of {total} files").format(stage=_(what), done=done, total=total))

    def bytes(self, file: Path, done: int, total: int) -> None:
        if self._bar is not None:
            self._bar.update(self._task, description=_("splitting {file}").format(file=file.name), completed=done, total=total)
        elif self.enabled and (done == total or self._due()):
            self._say(
                _("splitting {file}: {done} of {total} MB ({percent}%)").format(
                    file=file.name, done=f"{done / 2**20:.0f}", total=f"{total / 2**20:.0f}", percent=100 * done // max(total, 1)
                )
            )

    def _due(self) -> bool:
        return time.monotonic() - self._said >= self.EVERY_SECONDS

    def _say(self, line: str) -> None:
        if line != self._last:
            self._said, self._last = time.monotonic(), line
            print(line, file=sys.stderr, flush=True)


def _write(
    content: Path, reports: list[Entry], registry: Registry, log: dict, summary: ImportSummary, pool: Executor | None, entry_files: _EntryFiles
) -> None:
    ordered = sorted(reports, key=_entry_id)
    # A worker dumps the log meanwhile; it is written last.
    log_text = pool.submit(_log_text, content, log) if pool is not None else None
    for entry in ordered:
        if isinstance(entry, Report):  # an existing entry with new copies: its file is made now
            entry_files.stage(_entry_path(entry), _entry_text(entry))
    # Units first: an entry must never name a unit the registry does not have yet.
    if registry.added:
        organizations = [o.model_dump(mode="json") for o in registry.organizations]
        write_atomic(content / ORGANIZATIONS_FILE, dump(organizations))
    state = entry_files.state
    for entry in ordered:
        relative = _entry_path(entry)
        staged = entry_files.place(relative)
        if staged.outcome == "conflict":
            summary.conflicts.append(
                _("{file} was edited by hand; kept it, the importer's version was not written").format(file=relative)
            )
            continue
        summary.unchanged += staged.outcome == "unchanged"
        if staged.outcome in ("new", "changed"):
            summary.written.append(WrittenEntry(relative, _entry_title(entry), staged.outcome == "new"))
        state[relative] = staged.digest
    write_atomic(content / IMPORT_LOG, log_text.result() if log_text else _log_text(content, log))
    write_atomic(content / STATE_FILE, json.dumps(dict(sorted(state.items())), indent=1, ensure_ascii=False) + "\n")


def _entry_id(entry: Entry) -> str:
    return entry.id if isinstance(entry, Report) else entry[0]


def _entry_path(entry: Entry) -> str:
    """Where the entry's file lives, under the content folder."""
    return f"{REPORTS_DIR}/{_entry_id(entry)}.yml"


def _entry_text(entry: Entry) -> str:
    return dump(report_dict_for_file(entry)) if isinstance(entry, Report) else entry[1]


def _entry_title(entry: Entry) -> str:
    return entry.title if isinstance(entry, Report) else entry[2]


@dataclass(frozen=True)
class _Staged:
    """An entry's file checked against content/ and, where it is to be written, written
    beside its place under a temporary name."""

    outcome: str  # "new", "changed", "unchanged", or "conflict": the file was edited by hand since it was written
    digest: str  # sha256 of the importer's text
    temporary: str | None = None


def _stage(path: Path, text: str, recorded: str | None) -> _Staged:
    data = text.encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    exists = path.exists()
    if exists:
        current = path.read_text(encoding="utf-8")
        if current == text:
            return _Staged("unchanged", digest)
        if recorded != hashlib.sha256(current.encode("utf-8")).hexdigest():
            return _Staged("conflict", digest)
    return _Staged("changed" if exists else "new", digest, write_beside(path, data))


class _EntryFiles:
    """Entries' files, written under temporary names by two threads as the entries are made
    (while the workers make the next ones), and renamed onto their places by `place` once the
    unit registry they name is written. Those not placed are removed on the way out."""

    def __init__(self, content: Path) -> None:
        self.content = content
        path = content / STATE_FILE
        # The sha256 of each entry's file as the importer last wrote it: a file that differs was edited by hand.
        self.state: dict[str, str] = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        self._staged: dict[str, Future] = {}  # not placed yet
        self._replaced: list[Future] = []  # staged again before they were placed
        # Making a new file is mostly the system's work, which two can do side by side.
        self._writers = ThreadPoolExecutor(2)

    def __enter__(self) -> _EntryFiles:
        return self

    def __exit__(self, *exc) -> None:
        self._writers.shutdown(wait=True)
        for staged in [*self._staged.values(), *self._replaced]:
            temporary = None if staged.exception() else staged.result().temporary
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)

    def stage(self, relative: str, text: str) -> None:
        if relative in self._staged:
            self._replaced.append(self._staged[relative])
        self._staged[relative] = self._writers.submit(_stage, self.content / relative, text, self.state.get(relative))

    def place(self, relative: str) -> _Staged:
        result = self._staged[relative].result()
        if result.temporary is not None:
            os.replace(result.temporary, self.content / relative)
        del self._staged[relative]
        return result


def _log_text(content: Path, log: dict) -> str:
    """The import log: the earlier imports' entries, updated with this one's."""
    path = content / IMPORT_LOG
    merged = (load(path.read_text(encoding="utf-8")) or {}) if path.is_file() else {}
    merged.update(log)
    for entry in merged.values():
        entry["left_out"].sort(key=lambda item: (item["lines"][0], item["reason"]))
    return "# What the importer left out of the entries, and why.\n" + dump(dict(sorted(merged.items())))


def report_dict_for_file(report: Report) -> dict:
    data = report.model_dump(mode="json", exclude_none=False)
    if data["source_url"] is None:  # optional: entries without it stay as they were written
        del data["source_url"]
    return data

