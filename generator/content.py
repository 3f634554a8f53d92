"""Loading and validating content/: every problem found in one pass, with file, line and field."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from generator import yamlio
from generator.errors import EntryError, Problem
from generator.model import Organization, Report

REPORTS_DIR = "reports"
ORGANIZATIONS_FILE = "organizations.yml"


@dataclass(frozen=True)
class Archive:
    reports: list[Report]
    organizations: list[Organization]


@dataclass
class CheckResult:
    reports: list[Report] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0

    def errors(self, strict: bool = False) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error" or strict]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors(strict))

    def review_lines(self) -> list[str]:
        lines = []
        for report in self.reports:
            if report.needs_review:
                lines.append(f"{REPORTS_DIR}/{report.id}.yml: review {', '.join(report.needs_review)} ({report.title})")
            for note in report.import_notes:
                lines.append(f"{REPORTS_DIR}/{report.id}.yml: note: {note}")
        return lines

    def summary_line(self) -> str:
        errors = sum(p.severity == "error" for p in self.problems)
        warnings = len(self.problems) - errors
        return f"checked {self.files} files: {len(self.reports)} reports, {len(self.organizations)} units, {errors} errors, {warnings} warnings"


def _key_lines(node: yaml.Node | None) -> dict[str, int]:
    """Top-level key → 1-based line, for messages that point into the file."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}


def _read_yaml(path: Path, label: str, problems: list[Problem]):
    try:
        text = path.read_text(encoding="utf-8")
        return yaml.load(text, Loader=yamlio.Loader), _key_lines(yaml.compose(text, Loader=yamlio.Loader))
    except UnicodeDecodeError:
        problems.append(Problem(label, "", "not UTF-8 text; save the file as UTF-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        reason = getattr(error, "problem", None) or str(error)
        problems.append(Problem(label, "yaml", f"{reason}; fix the YAML syntax", mark.line + 1 if mark else None))
    except OSError as error:
        problems.append(Problem(label, "", f"cannot be read ({error.strerror})"))
    return None, {}


def _validation_problems(error: ValidationError, label: str, lines: dict[str, int]) -> list[Problem]:
    out = []
    for item in error.errors():
        loc = [str(part) for part in item["loc"]]
        name = ".".join(loc) or "(entry)"
        message = item["msg"].removeprefix("Value error, ")
        out.append(Problem(label, name, message, lines.get(loc[0]) if loc else None))
    return out


def _load_model(model, data, label: str, lines: dict[str, int], problems: list[Problem]):
    if not isinstance(data, dict):
        problems.append(Problem(label, "", "expected a mapping of field: value"))
        return None
    try:
        obj = model.model_validate(data)
    except ValidationError as error:
        problems.extend(_validation_problems(error, label, lines))
        return None
    for name in obj.unknown_fields():
        problems.append(Problem(label, name, "unknown field (ignored; an error with --strict)", lines.get(name), "warning"))
    return obj


def _load_reports(content: Path, result: CheckResult) -> None:
    folder = content / REPORTS_DIR
    for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        label = f"{REPORTS_DIR}/{path.name}"
        result.files += 1
        data, lines = _read_yaml(path, label, result.problems)
        if data is None and not lines:
            if path.stat().st_size == 0:
                result.problems.append(Problem(label, "", "file is empty; delete it or restore the entry"))
            continue
        report = _load_model(Report, data, label, lines, result.problems)
        if report is None:
            continue
        if report.id != path.stem:
            result.problems.append(Problem(label, "id", f"'{report.id}' does not match the file name '{path.stem}'", lines.get("id")))
        for number, source in enumerate(report.sources):
            if not (content / source.file).is_file():
                result.problems.append(Problem(label, f"sources.{number}.file", f"'{source.file}' not found in the content folder", lines.get("sources")))
        result.reports.append(report)


def _load_organizations(content: Path, result: CheckResult) -> None:
    path = content / ORGANIZATIONS_FILE
    if not path.is_file():
        return
    result.files += 1
    data, _ = _read_yaml(path, ORGANIZATIONS_FILE, result.problems)
    if data is None:
        return
    if not isinstance(data, list):
        result.problems.append(Problem(ORGANIZATIONS_FILE, "", "expected a list of units"))
        return
    for number, item in enumerate(data):
        org = _load_model(Organization, item, f"{ORGANIZATIONS_FILE}[{number}]", {}, result.problems)
        if org:
            result.organizations.append(org)


def _cross_check(result: CheckResult) -> None:
    seen: dict[str, int] = {}
    for number, org in enumerate(result.organizations):
        if org.id in seen:
            result.problems.append(Problem(ORGANIZATIONS_FILE, f"[{number}].id", f"duplicate slug '{org.id}' (also unit #{seen[org.id]})"))
        seen.setdefault(org.id, number)
    for number, org in enumerate(result.organizations):
        if org.parent and org.parent not in seen:
            result.problems.append(Problem(ORGANIZATIONS_FILE, f"[{number}].parent", f"unknown unit '{org.parent}'"))
    ids: set[str] = set()
    for report in result.reports:
        label = f"{REPORTS_DIR}/{report.id}.yml"
        if report.id in ids:
            result.problems.append(Problem(label, "id", f"duplicate id '{report.id}'"))
        ids.add(report.id)
        if report.unit and report.unit not in seen:
            result.problems.append(Problem(label, "unit", f"'{report.unit}' is not in {ORGANIZATIONS_FILE}; add the unit there or fix the slug"))


def check_content(content: Path, strict: bool = False) -> CheckResult:
    result = CheckResult()
    if not content.is_dir():
        result.problems.append(Problem(str(content), "", "content folder not found"))
        return result
    _load_reports(content, result)
    _load_organizations(content, result)
    _cross_check(result)
    result.reports.sort(key=lambda r: r.id)
    return result


def load_archive(content: Path, strict: bool = False) -> Archive:
    """The validated archive, or EntryError listing every problem."""
    result = check_content(content, strict=strict)
    errors = result.errors(strict)
    if errors:
        raise EntryError(f"{content}: {len(errors)} problems in the content; run 'report-archive check'", errors)
    return Archive(result.reports, result.organizations)
