"""What needs review: each doubtful report with the source lines it came from and why the
importer was unsure of each field."""

from __future__ import annotations

import functools
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator import yamlio
from generator.content import ORGANIZATIONS_FILE, REPORTS_DIR, check_entry_text
from generator.doubts import shown_note, shown_reason
from generator.errors import ArchiveError, Problem
from generator.fingerprint import digest
from generator.model import Organization, Report, Source
from generator.validation import load_model

# The entry fields the form corrects, and the needs_review names each one settles.
EDITABLE = ("unit", "org_kind", "place", "year", "period", "doc_type", "title", "date")
SETTLES = {"unit": ("organization", "unit")}

FIELD_LABEL = {
    "unit": "单位",
    "organization": "单位",
    "org_kind": "单位类型",
    "place": "地点",
    "year": "年份",
    "period": "时段",
    "doc_type": "类型",
    "title": "标题",
    "date": "日期",
    "body": "正文",
}

# Why a field is doubtful, where the entry gives no reason of its own (review_reasons).
_DEFAULT_REASON = {
    "organization": "没能从落款或正文确定是哪个单位。",
    "unit": "没能从落款或正文确定是哪个单位。",
    "org_kind": "没能从单位名称判断单位类型。",
    "place": "原文中没有找到地点。",
    "year": "原文中没有找到年份。",
    "period": "没能确定报告所涉的时段。",
    "doc_type": "没能确定文件类型。",
    "date": "没能确定成文日期。",
    "body": "正文中有乱码或缺字，按原样保留（见导入说明）。",
}


@dataclass(frozen=True)
class Doubt:
    field: str  # as listed in needs_review
    label: str
    reason: str


@dataclass(frozen=True)
class Excerpt:
    """The lines of one source a report came from, as the importer read them."""

    file: str
    first: int
    last: int
    lines: tuple[tuple[int, str], ...]
    problem: str | None = None  # why the lines cannot be shown


@dataclass(frozen=True)
class ReviewItem:
    report: Report
    base: str  # digest of the entry file as shown: a correction applies only to it
    doubts: tuple[Doubt, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Listed:
    """What the queue needs of one entry, read without validating it."""

    id: str
    title: str
    unit: str | None
    doubtful: bool  # needs_review is not empty


class Listing:
    """Every entry's id, title, unit and doubts. A file is read again only once it changed
    (its size, times or inode), so that the page costs little on a large archive; only the
    reports a page shows are validated (review_items)."""

    def __init__(self, content: Path) -> None:
        self.content = content
        self._known: dict[str, tuple[tuple, Listed | None]] = {}

    def entries(self) -> list[Listed]:
        folder = self.content / REPORTS_DIR
        try:
            with os.scandir(folder) as listing:
                files = sorted((e for e in listing if e.name.endswith(".yml") and e.is_file(follow_symlinks=False)), key=lambda e: e.name)
        except OSError:  # no reports yet
            files = []
        # Filled aside and swapped in whole: the preview answers requests on several threads.
        known, fresh = self._known, {}
        for entry in files:
            stat = entry.stat()
            key = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
            found = known.get(entry.name)
            fresh[entry.name] = found if found and found[0] == key else (key, _listed(Path(entry.path)))
        self._known = fresh
        return [listed for _, listed in fresh.values() if listed is not None]


def _listed(path: Path) -> Listed | None:
    """None for a file that is no valid entry: the preview's build reports it."""
    try:
        data = yamlio.load(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, yaml.YAMLError):
        return None
    if not isinstance(data, dict) or data.get("id") != path.stem or not isinstance(data.get("title"), str):
        return None
    unit = data.get("unit") if isinstance(data.get("unit"), str) else None
    return Listed(path.stem, data["title"], unit, bool(data.get("needs_review")))


@dataclass(frozen=True)
class Queue:
    doubtful: list[str]  # ids of the reports that need review, in id order
    organizations: list[Organization]
    titles: dict[str, str]  # every report's title by id
    unit_counts: dict[str, int]  # reports per unit slug


def load_queue(content: Path, listing: Listing | None = None) -> Queue:
    entries = (listing or Listing(content)).entries()
    counts = Counter(entry.unit for entry in entries if entry.unit)
    return Queue(
        [entry.id for entry in entries if entry.doubtful],
        load_units(content),
        {entry.id: entry.title for entry in entries},
        dict(counts),
    )


def load_units(content: Path) -> list[Organization]:
    """The registry's valid units (an invalid one is reported by the preview's build)."""
    path = content / ORGANIZATIONS_FILE
    try:
        stat = path.stat()
    except OSError:
        return []
    return list(_units(str(path), (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)))


@functools.lru_cache(maxsize=4)
def _units(path: str, key: tuple) -> tuple[Organization, ...]:
    """Read again only once the file changed (`key`: its size, times and inode)."""
    try:
        data = yamlio.load(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError, yaml.YAMLError):
        return ()
    problems: list[Problem] = []  # a unit check refuses is left out; check says why
    found = (load_model(Organization, item, ORGANIZATIONS_FILE, {}, problems) for item in data if isinstance(data, list))
    return tuple(unit for unit in found if unit is not None)


def review_items(content: Path, ids: list[str]) -> list[ReviewItem]:
    """The reports of `ids` that are valid entries and need review, validated as `check` does."""
    items = []
    for report_id in ids:
        try:
            raw = (content / REPORTS_DIR / f"{report_id}.yml").read_bytes()
        except OSError:  # removed since it was listed
            continue
        report, _ = check_entry_text(raw.decode("utf-8", "replace"), report_id)
        if report is not None and report.needs_review:
            items.append(ReviewItem(report, digest(raw), tuple(doubts(report)), tuple(map(shown_note, report.import_notes))))
    return items


def entry_digest(content: Path, report_id: str) -> str:
    return digest((content / REPORTS_DIR / f"{report_id}.yml").read_bytes())


def doubts(report: Report) -> list[Doubt]:
    reasons = report.review_reasons
    out = []
    for name in report.needs_review:
        reason = shown_reason(reasons[name]) if reasons.get(name) else _default_reason(report, name)
        out.append(Doubt(name, FIELD_LABEL.get(name, name), reason))
    return out


def _default_reason(report: Report, name: str) -> str:
    if name == "title":
        return "原文没有标题，现有标题是按单位、年份和类型拟定的。" if report.title_generated else "没能确定标题。"
    if name == "year" and report.year_placeholder:
        return f"原文只写了“{report.year_placeholder}”。"
    return _DEFAULT_REASON.get(name, "导入时没能确定。")


def form_field(doubt_field: str) -> str | None:
    """The form field that settles a needs_review name (None: the form cannot, e.g. body)."""
    for field, names in SETTLES.items():
        if doubt_field in names:
            return field
    return doubt_field if doubt_field in EDITABLE else None


def excerpts(content: Path, report: Report) -> list[Excerpt]:
    return [_excerpt(content, source) for source in report.sources]


def _excerpt(content: Path, source: Source) -> Excerpt:
    first, last = source.lines
    path = content / source.file
    try:
        if not path.resolve().is_relative_to(content.resolve()):
            raise OSError("outside the content folder")
        stat = path.stat()
        blocks = _blocks(str(path), stat.st_mtime_ns, stat.st_size)
    except (OSError, ArchiveError) as error:
        return Excerpt(source.file, first, last, (), f"无法读取来源文件：{error}")
    return Excerpt(source.file, first, last, tuple((n, t) for n, t in blocks if first <= n <= last))


@functools.lru_cache(maxsize=32)
def _blocks(path: str, mtime_ns: int, size: int) -> tuple[tuple[int, str], ...]:
    """A source's numbered lines, as its view page on the site numbers them (the importer's own
    reader, a large text file window by window); cached while the file is unchanged
    (`mtime_ns`, `size` are the key)."""
    from generator.render.source_views import numbered_lines

    return tuple(numbered_lines(Path(path)))


def exists(content: Path, report_id: str) -> bool:
    path = content / REPORTS_DIR / f"{report_id}.yml"
    return path.is_file() and not os.path.islink(path)
