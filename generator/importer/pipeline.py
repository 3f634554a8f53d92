"""Import: raw files → entries under content/reports/, the unit registry and the import log.

All work happens in memory first; files are written only when everything is
known, each one atomically, so a failed run leaves content/ as it was.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from generator.content import ORGANIZATIONS_FILE, REPORTS_DIR, check_content
from generator.errors import SourceError
from generator.importer.dedup import group_copies, make_copy, relation
from generator.importer.entries import Draft, draft_report, report_dict
from generator.importer.readers import SourceText, read_source, supported
from generator.importer.segment import segment_source
from generator.importer.units import Registry
from generator.locking import folder_lock
from generator.model import Report, Source
from generator.yamlio import dump, load, write_atomic

SOURCES_DIR = "sources"
IMPORT_LOG = "import-log.yml"
STATE_FILE = ".import-state.json"


@dataclass
class ImportSummary:
    files_read: int = 0
    segments: int = 0
    duplicates: int = 0
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    failed: bool = False

    def render(self) -> str:
        lines = [
            f"files read: {self.files_read}",
            f"reports found: {self.segments} ({self.duplicates} duplicate copies merged)",
            f"entries written: {len(self.written)}, unchanged: {self.unchanged}",
        ]
        lines += [f"skipped {path}: {why}" for path, why in self.skipped]
        lines += [f"conflict: {c}" for c in self.conflicts]
        return "\n".join(lines)


def collect_files(paths: list[Path], summary: ImportSummary) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts))
        elif path.exists():
            found = [path]
        else:
            summary.skipped.append((str(path), "not found"))
            continue
        for file in found:
            (files if supported(file) else []).append(file)
            if not supported(file):
                summary.skipped.append((str(file), f"unsupported file type '{file.suffix or '(none)'}'"))
    return files


def _source_name(file: Path, source: SourceText, content: Path) -> str:
    """Where the original lives inside content/, copying it in if it came from elsewhere."""
    folder = content / SOURCES_DIR
    try:
        return file.resolve().relative_to(content.resolve()).as_posix()
    except ValueError:
        pass
    target = folder / file.name
    if target.exists() and hashlib.sha256(target.read_bytes()).hexdigest() != source.sha256:
        target = folder / f"{file.stem}-{source.sha256[:8]}{file.suffix}"
    return target.relative_to(content).as_posix()


def _read_all(files: list[Path], content: Path, summary: ImportSummary, progress: bool):
    from rich.progress import Progress

    read: list[tuple[str, Path, SourceText]] = []
    with Progress(disable=not progress, transient=True) as bar:
        task = bar.add_task("reading", total=len(files))
        for file in files:
            try:
                source = read_source(file)
                name = _source_name(file, source, content)
                read.append((name, file, source))
                summary.files_read += 1
            except SourceError as error:
                summary.skipped.append((str(file), str(error).removeprefix(f"{file}: ")))
            bar.advance(task)
    return read


def _drafts(read, log: dict) -> list[Draft]:
    drafts: list[Draft] = []
    for name, _, source in read:
        segmented = segment_source(source)
        log[name] = _log_header(source)
        log[name]["left_out"] = [
            {"lines": [r.line, r.line], "reason": r.reason, "text": r.text} for r in segmented.removals
        ]
        drafts += [draft_report(name, segment) for segment in segmented.segments if segment.paragraphs]
    return drafts


def _log_header(source: SourceText) -> dict:
    return {"sha256": source.sha256, "encoding": source.encoding, "blocks": len(source.blocks), "warnings": list(source.warnings)}


def _group(drafts: list[Draft], existing: list[Report]):
    """Groups of copies; existing entries come first so new copies join them."""
    copies = [make_copy(i, r.plain_text()) for i, r in enumerate(existing)]
    copies += [make_copy(len(existing) + i, d.text) for i, d in enumerate(drafts)]
    return group_copies(copies)


def import_paths(paths: list[Path], content: Path, progress: bool = True) -> ImportSummary:
    summary = ImportSummary()
    content.mkdir(parents=True, exist_ok=True)
    with folder_lock(content, "import"):
        files = collect_files(paths, summary)
        read = _read_all(files, content, summary, progress)
        checked = check_content(content)
        reimported = {name for name, _, _ in read}
        # Entries from the files being imported are rebuilt; the others take part in deduplication.
        existing = [r for r in checked.reports if not any(s.file in reimported for s in r.sources)]
        log: dict = {}
        drafts = _drafts(read, log)
        summary.segments = len(drafts)
        registry = Registry(list(checked.organizations))
        reports = _assemble(drafts, existing, registry, log, summary)
        _copy_sources(read, content)
        _write(content, reports, registry, log, summary)
    return summary


def _assemble(drafts, existing, registry, log, summary) -> list[Report]:
    reports: list[Report] = []
    offset = len(existing)
    for group in _group(drafts, existing):
        members = [(copy.key, kind) for copy, kind in group]
        summary.duplicates += len(members) - 1
        if members[0][0] < offset:
            extra = [drafts[k - offset] for k, _ in members[1:] if k >= offset]
            if extra:
                reports.append(_extend(existing[members[0][0]], extra, log))
            continue
        group_drafts = [drafts[k - offset] for k, _ in members]
        reports.append(_build(group_drafts, registry, log))
    return reports


def _build(group: list[Draft], registry: Registry, log: dict) -> Report:
    # The fullest copy carries the text; the others are recorded as copies of it.
    primary = _best_copy(group)
    sources = [primary.source]
    for draft in group:
        if draft is primary:
            continue
        kind = relation(draft.fingerprint, primary.fingerprint) or "near"
        sources.append(Source(file=draft.source.file, lines=draft.source.lines, sha256=draft.source.sha256, kind=kind))
        _log_duplicate(log, draft, primary.report_id, kind)
    data = report_dict(primary, sources)
    data["unit"] = registry.unit_for(data["organization"], data["org_kind"], data["place"], data["id"])
    return Report.model_validate(data)


def _quality(draft: Draft) -> float:
    return len(draft.fingerprint.text) - 200 * len(draft.damaged_lines)


def _best_copy(group: list[Draft]) -> Draft:
    """The earliest copy, unless a later one is clearly fuller or less damaged."""
    best = group[0]
    for draft in group[1:]:
        if _quality(draft) > _quality(best) * 1.05:
            best = draft
    return best


def _extend(report: Report, extra: list[Draft], log: dict) -> Report:
    sources = list(report.sources)
    for draft in extra:
        if any(s.file == draft.source.file and s.lines == draft.source.lines for s in sources):
            continue
        sources.append(Source(file=draft.source.file, lines=draft.source.lines, sha256=draft.source.sha256, kind="near"))
        _log_duplicate(log, draft, report.id, "near")
    return report.model_copy(update={"sources": sources})


def _log_duplicate(log: dict, draft: Draft, report_id: str, kind: str) -> None:
    log[draft.source.file]["left_out"].append(
        {"lines": list(draft.source.lines), "reason": f"duplicate copy ({kind}) of {report_id}", "text": None}
    )


def _copy_sources(read, content: Path) -> None:
    for name, file, _ in read:
        target = content / name
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, target)


def _write(content: Path, reports: list[Report], registry: Registry, log: dict, summary: ImportSummary) -> None:
    state_path = content / STATE_FILE
    state = json.loads(state_path.read_text(encoding="utf-8")) if state_path.is_file() else {}
    for report in sorted(reports, key=lambda r: r.id):
        relative = f"{REPORTS_DIR}/{report.id}.yml"
        text = dump(report_dict_for_file(report))
        if _write_if_safe(content / relative, text, state.get(relative), summary, relative):
            state[relative] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if registry.added:
        organizations = [o.model_dump(mode="json") for o in registry.organizations]
        write_atomic(content / ORGANIZATIONS_FILE, dump(organizations))
    _write_log(content, log)
    write_atomic(state_path, json.dumps(dict(sorted(state.items())), indent=1, ensure_ascii=False) + "\n")


def _write_if_safe(path: Path, text: str, recorded: str | None, summary: ImportSummary, relative: str) -> bool:
    if path.exists():
        current = path.read_text(encoding="utf-8")
        if current == text:
            summary.unchanged += 1
            return True
        if recorded != hashlib.sha256(current.encode("utf-8")).hexdigest():
            summary.conflicts.append(f"{relative} was edited by hand; kept it, the importer's version was not written")
            return False
    write_atomic(path, text)
    summary.written.append(relative)
    return True


def _write_log(content: Path, log: dict) -> None:
    path = content / IMPORT_LOG
    merged = (load(path.read_text(encoding="utf-8")) or {}) if path.is_file() else {}
    merged.update(log)
    for entry in merged.values():
        entry["left_out"].sort(key=lambda item: (item["lines"][0], item["reason"]))
    text = "# What the importer left out of the entries, and why.\n" + dump(dict(sorted(merged.items())))
    write_atomic(path, text)


def report_dict_for_file(report: Report) -> dict:
    return report.model_dump(mode="json", exclude_none=False)

