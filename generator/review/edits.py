"""A curator's corrections written back to content/: an entry's fields, a new unit, the merge
or rename of units with every report that refers to them.

Every write changes only the fields it corrects (yamledit keeps the rest of the file byte for
byte), is validated by the same schema as `check` before it is written, and goes through a
temporary file, so nothing is ever half-written. An entry changed here no longer has the bytes
the importer recorded for it (.import-state.json), so a later import keeps it and reports a
conflict instead of overwriting the curator's edit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path
from typing import Any

import yaml

from generator import yamlio
from generator.content import ORGANIZATIONS_FILE, REPORTS_DIR, check_entry_text
from generator.errors import ArchiveError, Problem
from generator.fingerprint import digest
from generator.importer.units import Registry
from generator.locking import folder_lock
from generator.model import Organization, Report
from generator.review.queue import EDITABLE, SETTLES
from generator.validation import load_model
from generator.yamledit import edit_items, set_fields

FIELD_ORDER = tuple(Report.model_fields)


class EditError(ArchiveError):
    """A correction that cannot be written; nothing was changed."""


@dataclass(frozen=True)
class NewUnit:
    name: str
    kind: str = "other"
    place: str | None = None


@dataclass(frozen=True)
class Correction:
    report_id: str
    base: str  # digest of the entry file the curator saw
    values: dict[str, Any]  # form field -> value (None clears it)
    confirmed: frozenset[str] = field(default_factory=frozenset)  # doubts confirmed as they are
    new_unit: NewUnit | None = None


def correct(content: Path, correction: Correction) -> list[str]:
    """Write the correction; the names of the fields written (none: nothing to change)."""
    with folder_lock(content, "import"):
        path = content / REPORTS_DIR / f"{correction.report_id}.yml"
        text = path.read_text(encoding="utf-8")
        if digest(text.encode("utf-8")) != correction.base:
            raise EditError("这篇报告在你打开核对页之后被改动过，没有写入；请刷新页面再核对一次。")
        report = _valid(text, correction.report_id)
        registry = _Registry.read(content)
        values = dict(correction.values)
        if correction.new_unit is not None:
            values["unit"] = registry.add(correction.new_unit, correction.report_id)
        if values.get("unit") is not None and values["unit"] not in registry.slugs():
            raise EditError(f"单位 {values['unit']!r} 不在单位名录（{ORGANIZATIONS_FILE}）中。")
        fields = _changed_fields(text, report, values, correction.confirmed)
        if not fields:
            return []
        new_text = set_fields(text, fields, FIELD_ORDER)
        _valid(new_text, correction.report_id)
        registry.write()  # units first: an entry never names a unit the registry lacks
        yamlio.write_atomic(path, new_text)
        return list(fields)


def _valid(text: str, report_id: str) -> Report:
    report, problems = check_entry_text(text, report_id)
    if report is None:
        raise EditError("改动后的条目没有通过校验，没有写入：", problems)
    return report


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, Date) else value


def _changed_fields(text: str, report: Report, values: dict[str, Any], confirmed: frozenset[str]) -> dict[str, Any]:
    """The fields to write: the values that differ, and what is left of needs_review (and of
    review_reasons) once the corrected and the confirmed fields are settled."""
    fields = {name: values[name] for name in EDITABLE if name in values and values[name] != _plain(getattr(report, name))}
    settled = set(confirmed)
    for name in fields:
        settled.update(SETTLES.get(name, (name,)))
    remaining = [name for name in report.needs_review if name not in settled]
    if remaining != report.needs_review:
        fields["needs_review"] = remaining
        reasons = (yamlio.load(text) or {}).get("review_reasons")
        if isinstance(reasons, dict) and settled & set(reasons):
            fields["review_reasons"] = {k: v for k, v in reasons.items() if k not in settled}
    return fields


class _Registry:
    """organizations.yml as read, with the edits to write: items replaced, removed, added."""

    def __init__(self, path: Path, text: str, data: list[dict], units: list[Organization]) -> None:
        self.path, self.text, self.data, self.units = path, text, data, units
        self.replace: dict[int, dict | None] = {}
        self.append: list[dict] = []

    @classmethod
    def read(cls, content: Path) -> _Registry:
        path = content / ORGANIZATIONS_FILE
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        try:
            data = (yamlio.load(text) or []) if text else []
        except yaml.YAMLError:
            data = None
        if not isinstance(data, list):
            raise EditError(f"{ORGANIZATIONS_FILE} 不是单位列表；请先用 report-archive check 找出并修正。")
        problems: list[Problem] = []
        # As check reads it: Chinese labels (kind: 街道) are read as their stored values.
        units = [load_model(Organization, item, ORGANIZATIONS_FILE, {}, problems) for item in data]
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise EditError(f"{ORGANIZATIONS_FILE} 有错误，请先用 report-archive check 找出并修正：", errors)
        return cls(path, text, data, units)

    def slugs(self) -> set[str]:
        kept = {u.id for n, u in enumerate(self.units) if not (n in self.replace and self.replace[n] is None)}
        return kept | {item["id"] for item in self.append}

    def index(self, slug: str) -> int:
        for number, unit in enumerate(self.units):
            if unit.id == slug:
                return number
        raise EditError(f"单位 {slug!r} 不在单位名录（{ORGANIZATIONS_FILE}）中。")

    def add(self, unit: NewUnit, report_id: str) -> str:
        if not unit.name.strip():
            raise EditError("新单位的名称是空的；请写上单位名称。")
        registry = Registry(list(self.units))
        slug = registry.unit_for(unit.name.strip(), unit.kind, unit.place or None, report_id)
        for org in registry.added:
            self.append.append(org.model_dump(mode="json"))
        return slug

    def write(self) -> None:
        if self.replace or self.append:
            yamlio.write_atomic(self.path, edit_items(self.text, self.replace, self.append))


def reports_of_unit(content: Path, slug: str) -> list[Path]:
    """The entry files whose unit is `slug` (read only where the slug occurs in the text)."""
    found = []
    for path in sorted((content / REPORTS_DIR).glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        if slug in text:
            try:
                data = yamlio.load(text)
            except yaml.YAMLError:
                raise EditError(f"{REPORTS_DIR}/{path.name} 无法读取（YAML 有误），可能也属于这个单位；请先修正它。") from None
            if isinstance(data, dict) and data.get("unit") == slug:
                found.append(path)
    return found


def _repoint(content: Path, old: str, new: str) -> list[str]:
    """Every report of unit `old` now of unit `new`; their ids."""
    written = []
    for path in reports_of_unit(content, old):
        text = path.read_text(encoding="utf-8")
        new_text = set_fields(text, {"unit": new}, FIELD_ORDER)
        _valid(new_text, path.stem)
        yamlio.write_atomic(path, new_text)
        written.append(path.stem)
    return written


def merge_units(content: Path, source: str, target: str) -> list[str]:
    """Unit `source` is the same as `target`: its reports go to `target`, its names become
    `target`'s aliases (so an import finds them there), and it leaves the registry."""
    if source == target:
        raise EditError("要合并的是同一个单位。")
    with folder_lock(content, "import"):
        registry = _Registry.read(content)
        gone, kept = registry.index(source), registry.index(target)
        names = [registry.units[gone].name, *registry.units[gone].aliases]
        _add_aliases(registry, kept, names)
        registry.replace[gone] = None
        _reparent(registry, source, target)
        _check_registry(registry)
        moved = _repoint(content, source, target)  # target exists: every step is consistent
        registry.write()
        return moved


def rename_unit(content: Path, slug: str, name: str, new_slug: str | None = None) -> list[str]:
    """A unit's new name (the old one stays as an alias) and, if given, new slug, with every
    report of the unit updated; the ids of the reports updated."""
    name = name.strip()
    if not name:
        raise EditError("新名称是空的；请写上单位名称。")
    with folder_lock(content, "import"):
        registry = _Registry.read(content)
        number = registry.index(slug)
        unit = registry.units[number]
        item = dict(registry.data[number])
        if name != unit.name:
            item["name"] = name
            item["aliases"] = _with_names(unit.aliases, [unit.name], name)
        if not new_slug or new_slug == slug:
            registry.replace[number] = item
            _check_registry(registry)
            registry.write()
            return []
        if new_slug in registry.slugs():
            raise EditError(f"单位代号 {new_slug!r} 已被其他单位使用；请换一个。")
        item["id"] = new_slug
        reports_of_unit(content, slug)  # every entry readable, before anything is written
        # The new slug first, then the reports, then the old slug leaves: each step consistent.
        registry.append.append(item)
        _check_registry(registry)
        registry.write()
        moved = _repoint(content, slug, new_slug)
        registry = _Registry.read(content)
        registry.replace[registry.index(slug)] = None
        _reparent(registry, slug, new_slug)
        registry.write()
        return moved


def _with_names(aliases: list[str], names: list[str], own: str) -> list[str]:
    return list(dict.fromkeys(a for a in [*aliases, *names] if a != own))


def _add_aliases(registry: _Registry, number: int, names: list[str]) -> None:
    item = dict(registry.replace.get(number) or registry.data[number])
    item["aliases"] = _with_names(list(item.get("aliases") or []), names, item["name"])
    registry.replace[number] = item


def _reparent(registry: _Registry, old: str, new: str) -> None:
    for number, unit in enumerate(registry.units):
        if unit.parent == old and registry.replace.get(number, unit) is not None:
            item = dict(registry.replace.get(number) or registry.data[number])
            item["parent"] = new
            registry.replace[number] = item


def _check_registry(registry: _Registry) -> None:
    items = [registry.replace.get(n, d) for n, d in enumerate(registry.data)]
    problems: list[Problem] = []
    for number, item in enumerate([*items, *registry.append]):
        if item is not None:  # validated as check validates it
            load_model(Organization, item, f"{ORGANIZATIONS_FILE}[{number}]", {}, problems)
    problems = [p for p in problems if p.severity == "error"]
    if problems:
        raise EditError("单位名录改动后没有通过校验，没有写入：", problems)
