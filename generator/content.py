"""Loading and validating content/: every problem found in one pass, with file, line and field."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator import doubts, suggest, yamlio
from generator.errors import EntryError, Problem
from generator.fingerprint import digest
from generator.i18n import N_, Messages, _, system_reason
from generator.model import Organization, Report
from generator.state import FileResults
from generator.validation import load_model

# The YAML parser's words for the mistakes a curator makes most (an unclosed bracket or quote,
# a colon too many, a wrong indent), so they are read in the curator's language too.
YAML_WORDS = (
    N_("while parsing a flow sequence"),
    N_("while parsing a flow mapping"),
    N_("while parsing a block mapping"),
    N_("while parsing a block collection"),
    N_("while scanning a quoted scalar"),
    N_("while scanning a simple key"),
    N_("did not find expected ',' or ']'"),
    N_("did not find expected ',' or '}'"),
    N_("did not find expected key"),
    N_("did not find expected '-' indicator"),
    N_("could not find expected ':'"),
    N_("found unexpected end of stream"),
    N_("mapping values are not allowed in this context"),
    N_("found character that cannot start any token"),
    N_("found undefined alias"),
)
ID_NOT_NAME = N_("'{id}' does not match the file name '{name}'; make the id and the file name the same")
MESSAGES = Messages({
    "no_content": N_("content folder not found; run report-archive from the archive's folder "
    "(the one holding content/), or pass --content DIR"),
    "duplicate_slug": N_("duplicate slug '{slug}' (also on line {line}); give one of the units another slug"),
})

REPORTS_DIR = "reports"
SOURCES_DIR = "sources"  # the raw files entries were imported from
ORGANIZATIONS_FILE = "organizations.yml"


@dataclass(frozen=True)
class Archive:
    reports: list[Report]
    organizations: list[Organization]
    digests: dict[str, str] = field(default_factory=dict)  # report id -> digest of its entry file
    # report id -> digest of what lists and catalogs show of it: everything but the body
    listed: dict[str, str] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)  # e.g. a value written by its Chinese label


@dataclass
class CheckResult:
    reports: list[Report] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    digests: dict[str, str] = field(default_factory=dict)  # file label -> digest of its bytes
    listed: dict[str, str] = field(default_factory=dict)  # file label -> listed_digest of its report
    review_at: dict[str, dict[str, int]] = field(default_factory=dict)  # file label -> key lines, where doubted
    unit_lines: dict[str, int] = field(default_factory=dict)  # file label -> line of its unit
    organization_lines: list[dict[str, int]] = field(default_factory=list)  # key lines of each unit

    def errors(self, strict: bool = False) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error" or strict]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors(strict))

    def review_lines(self) -> list[str]:
        """Each doubted field of each entry, with its reason and how to clear it; the import notes."""
        lines = []
        for report in self.reports:
            label = f"{REPORTS_DIR}/{report.id}.yml"
            at = self.review_at.get(label, {})
            if report.needs_review:
                head = doubts.MESSAGES["report"].format(title=report.title, count=len(report.needs_review))
                lines.append(str(Problem(label, "", head)))
                for name in report.needs_review:
                    line = at.get(name) or at.get("needs_review")
                    lines.append(str(Problem(label, name, doubts.review_message(report, name), line)))
            for note in report.import_notes:
                lines.append(str(Problem(label, "", doubts.MESSAGES["note"].format(note=doubts.shown_note(note)))))
        doubted = sum(bool(report.needs_review) for report in self.reports)
        if doubted:
            lines.append(doubts.MESSAGES["how_to_clear"].format(reports=doubted))
        return lines

    def summary_line(self) -> str:
        errors = sum(p.severity == "error" for p in self.problems)
        warnings = len(self.problems) - errors
        return _("checked {files} files: {reports} reports, {units} units, {errors} errors, {warnings} warnings").format(
            files=self.files, reports=len(self.reports), units=len(self.organizations), errors=errors, warnings=warnings
        )


def _key_lines(node: yaml.Node | None) -> dict[str, int]:
    """Top-level key → 1-based line, for messages that point into the file. In a list of
    mappings (the unit registry), `[n]` → the item's line and `[n].key` → its key's line."""
    if isinstance(node, yaml.SequenceNode):
        lines = {}
        for number, item in enumerate(node.value):
            lines[f"[{number}]"] = item.start_mark.line + 1
            lines.update({f"[{number}].{key}": line for key, line in _key_lines(item).items()})
        return lines
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}


def _item_lines(lines: dict[str, int], count: int) -> list[dict[str, int]]:
    """_key_lines of a list, item by item: key → line, and "" → the item's line."""
    items: list[dict[str, int]] = [{} for _ in range(count)]
    for key, line in lines.items():
        number, _, field = key[1:].partition("]")
        if key.startswith("[") and number.isdigit() and int(number) < count:
            items[int(number)][field.removeprefix(".")] = line
    return items


class _Loader(yamlio.Loader):
    """Dates stay text when parsed, so that a wrong one (2019-13-45) is reported by the
    model with its field and line, together with the entry's other problems."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


# Deeper YAML is refused before it is parsed: libyaml builds nodes recursively and
# crashes the whole process (a segmentation fault) somewhere past 20,000 levels.
MAX_DEPTH = 1000


def _too_deep(text: str) -> int | None:
    """The line where the text nests more than MAX_DEPTH levels, or None."""
    # Every level needs an indicator, so few indicators mean a shallow file: no second pass.
    if sum(text.count(c) for c in "[{:-?") < MAX_DEPTH:
        return None
    depth = 0
    for event in yaml.parse(text, Loader=yamlio.Loader):  # events come from a flat state machine
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return event.start_mark.line + 1
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
    return None


def _read_yaml(path: Path, label: str, problems: list[Problem], digests: dict | None = None):
    """(data, key lines) of a YAML file, or (None, {}) with its problems; `digests` gets the
    digest of the file's bytes under `label`."""
    try:
        raw = path.read_bytes()
        if digests is not None:
            digests[label] = digest(raw)
        return parse_yaml(raw.decode("utf-8"), label, problems)
    except UnicodeDecodeError:
        problems.append(Problem(label, "", _("not UTF-8 text; save the file as UTF-8")))
    except OSError as error:
        problems.append(Problem(label, "", _("cannot be read ({error}); check the file's permissions").format(error=system_reason(error))))
    return None, {}


def parse_yaml(text: str, label: str, problems: list[Problem]):
    """(data, key lines) of YAML text, or (None, {}) with its problems."""
    try:
        deep_line = _too_deep(text)
        if deep_line:
            problems.append(Problem(label, "yaml", _("nested more than {depth} levels deep, which no entry is; fix the YAML structure").format(depth=MAX_DEPTH), deep_line))
            return None, {}
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            structure = _structure_problems(node, label) if "*" in text else _duplicate_keys(node, label)
            if structure:
                problems.extend(structure)
                return None, {}
            return (loader.construct_document(node) if node is not None else None), _key_lines(node)
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        reason = _(getattr(error, "problem", None) or str(error))
        context, start = getattr(error, "context", None), getattr(error, "context_mark", None)
        context = context and _(context)
        if context and start and mark and start.line != mark.line:
            # Point at where the broken construct starts (an unclosed quote), not where parsing gave up.
            reason = _("{context} that starts here, {reason} (line {line})").format(context=context, reason=reason, line=mark.line + 1)
            mark = start
        problems.append(Problem(label, "yaml", _("{reason}; fix the YAML syntax").format(reason=reason), mark.line + 1 if mark else None))
    except RecursionError:
        problems.append(Problem(label, "yaml", _("nested too deeply to be an entry; fix the YAML structure")))
    except (ValueError, TypeError, OverflowError) as error:  # e.g. a date like 2019-13-45
        problems.append(Problem(label, "yaml", _("a value cannot be read ({error}); fix it (dates are written 2019-12-31)").format(error=error)))
    return None, {}


def check_entry_text(text: str, report_id: str) -> tuple[Report | None, list[Problem]]:
    """The report that `text` would be as the entry file of `report_id`, validated as every
    entry is; or None with its problems (errors only: unknown fields are kept)."""
    label = f"{REPORTS_DIR}/{report_id}.yml"
    problems: list[Problem] = []
    data, lines = parse_yaml(text, label, problems)
    report = load_model(Report, data, label, lines, problems) if not problems else None
    if report is not None and report.id != report_id:
        problems.append(Problem(label, "id", _(ID_NOT_NAME).format(id=report.id, name=report_id), lines.get("id")))
    errors = [p for p in problems if p.severity == "error"]
    return (report if not errors else None), errors


# Values an entry may hold once YAML aliases (*name) are expanded; a real entry has a few thousand.
MAX_VALUES = 1_000_000


def _structure_problems(root: yaml.Node | None, label: str) -> list[Problem]:
    """YAML that parses but must not be trusted: keys given twice (one would be silently
    dropped), and aliases that expand a small file into millions of values."""
    problems: list[Problem] = []
    sizes: dict[int, int] = {}  # node -> number of values once expanded
    started: set[int] = set()
    stack = [(root, False)] if root is not None else []
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children = [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else (
            node.value if isinstance(node, yaml.SequenceNode) else []
        )
        if not children_done:
            if id(node) in started:  # reached again before it was finished: it contains itself
                line = node.start_mark.line + 1
                return [Problem(label, "yaml", _("a value contains itself through an alias (*name); write the value out"), line)]
            started.add(id(node))
            stack.append((node, True))
            stack += [(child, False) for child in children if id(child) not in sizes]
            continue
        sizes[id(node)] = min(1 + sum(sizes[id(child)] for child in children), MAX_VALUES + 1)
        if isinstance(node, yaml.MappingNode):
            problems += _keys_given_twice(node, label)
    if root is not None and sizes[id(root)] > MAX_VALUES:
        problems.append(Problem(label, "yaml", _("its aliases (*name) expand to more than {count} values; write the values out instead").format(count=f"{MAX_VALUES:,}")))
    return problems


def _duplicate_keys(root: yaml.Node | None, label: str) -> list[Problem]:
    """_structure_problems for YAML without aliases (no '*' in it): a plain tree, so only
    keys given twice can be wrong. Same problems in the same order, without the bookkeeping."""
    problems: list[Problem] = []
    if root is not None and not isinstance(root, yaml.ScalarNode):
        _tree_duplicates(root, label, problems)
    return problems


def _tree_duplicates(node: yaml.Node, label: str, problems: list[Problem]) -> None:
    mapping = isinstance(node, yaml.MappingNode)
    children = [n for pair in node.value for n in pair] if mapping else node.value
    for child in reversed(children):
        if not isinstance(child, yaml.ScalarNode):
            _tree_duplicates(child, label, problems)
    if mapping:
        problems += _keys_given_twice(node, label)


def _keys_given_twice(mapping: yaml.MappingNode, label: str) -> list[Problem]:
    problems, first = [], {}
    for key, _value in mapping.value:
        if isinstance(key, yaml.ScalarNode):
            line = key.start_mark.line + 1
            if key.value in first:
                problems.append(Problem(label, key.value, _("is given twice (first on line {line}); keep one").format(line=first[key.value]), line))
            first.setdefault(key.value, line)
    return problems


def outside_links(content: Path) -> list[Problem]:
    """Symbolic links under content/ that lead outside it: never read, always an error."""
    root = content.resolve()
    problems = []
    for path in _links(content):
        if not _inside(root, path):
            problems.append(Problem(
                path.relative_to(content).as_posix(), "",
                _(
                    "is a link to a file outside the content folder and is not read; "
                    "put the file itself here instead of a link"
                ),
            ))
    return problems


def _links(content: Path) -> Iterator[Path]:
    """Every symbolic link under `content`, folder by folder, by name; links are not followed.
    The folder listing says what is a link, so tens of thousands of files cost no extra call."""
    folders = [str(content)]
    while folders:
        with os.scandir(folders.pop()) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
        yield from (Path(entry.path) for entry in entries if entry.is_symlink())
        folders += reversed([entry.path for entry in entries if entry.is_dir(follow_symlinks=False)])


def _listing(folder: Path) -> dict[str, os.DirEntry]:
    """The folder's entries by name; none if it is missing (or not a folder)."""
    try:
        with os.scandir(folder) as entries:
            return {entry.name: entry for entry in entries}
    except OSError:
        return {}


def _inside(root: Path, path: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a link loop
        return False


class _Containment:
    """Whether paths lead inside the content folder. Resolving every path asks the system
    about each of its parts; only links and the folders they sit in need it. Paths are
    strings: a Path per entry and source costs a tenth of a second at archive scale."""

    def __init__(self, content: Path) -> None:
        self.root = content.resolve()
        self._folders: dict[str, bool] = {}

    def __call__(self, path: str, is_link: bool | None = None) -> bool:
        """`is_link`: whether `path` is a symbolic link, where a folder listing told already."""
        try:
            if os.path.basename(path) in ("", ".", "..") or (os.path.islink(path) if is_link is None else is_link):
                return _inside(self.root, Path(path))
        except OSError:
            return False
        folder = os.path.dirname(path)
        if folder not in self._folders:
            self._folders[folder] = _inside(self.root, Path(folder))
        return self._folders[folder]


def _load_reports(content: Path, result: CheckResult, refused: set[str], known: FileResults | None, digests: dict[str, str] | None) -> None:
    """`digests`: where given, each source's bytes are compared with the sha256 its entries record
    (path -> sha256 of the files read so far)."""
    folder = content / REPORTS_DIR
    inside = _Containment(content)
    # One listing of each folder tells which names are links and which are files: tens of
    # thousands of entries and sources are not asked about one by one.
    listed = _listing(folder)
    names = sorted(name for name in listed if name.endswith(".yml"))
    sources = {f"{SOURCES_DIR}/{name}": entry for name, entry in _listing(content / SOURCES_DIR).items()}
    if known is not None:
        known.keep_only({ORGANIZATIONS_FILE} | set(names))
    for name in names:
        entry = listed[name]
        label = f"{REPORTS_DIR}/{name}"
        result.files += 1
        if label in refused or not inside(entry.path, entry.is_symlink()):
            continue
        loaded = _load_report(entry.path, label, result, known)
        if loaded is None:
            continue
        report, lines = loaded
        if report.needs_review:
            result.review_at[label] = lines
        if report.unit is not None and "unit" in lines:
            result.unit_lines[label] = lines["unit"]
        for number, source in enumerate(report.sources):
            listed_source = sources.get(source.file)
            plain_file = (
                listed_source is not None
                and not listed_source.is_symlink()
                and listed_source.is_file(follow_symlinks=False)
            )
            target = listed_source.path if plain_file else os.path.join(content, source.file)
            if not inside(target, False if plain_file else None):
                result.problems.append(Problem(label, f"sources.{number}.file", _("'{file}' leads outside the content folder (a link?); put the file itself under content/sources/").format(file=source.file), lines.get("sources")))
            elif not plain_file and not os.path.isfile(target):
                result.problems.append(Problem(label, f"sources.{number}.file", _("'{file}' not found in the content folder; restore the file or correct the path").format(file=source.file), lines.get("sources")))
            elif digests is not None and _known_sha256(target, digests) != source.sha256:
                result.problems.append(Problem(label, f"sources.{number}.sha256", _(
                    "'{file}' is not the file this report was imported from (its bytes have another sha256); "
                    "restore that file, or import the report's file again"
                ).format(file=source.file), lines.get("sources")))
        result.reports.append(report)


def _load_report(path: str, label: str, result: CheckResult, known: FileResults | None):
    """(report, key lines), or None with its problems. An entry that loaded without any
    problem is kept in `known` as parsed and, while its file is untouched, not parsed again
    (it is always validated: a validated model would be kept at twice its size)."""
    found, stat = known.find(path) if known is not None else (None, None)
    problems: list[Problem] = []
    if found is not None:
        data, lines, result.digests[label], listed = found
    else:
        data, lines = _read_yaml(Path(path), label, problems, result.digests)
        listed = None
    report = None
    stem = os.path.splitext(os.path.basename(path))[0]
    if data is None and not lines:
        if os.stat(path).st_size == 0:
            problems.append(Problem(label, "", _("file is empty; delete it or restore the entry")))
    else:
        report = load_model(Report, data, label, lines, problems)
        if report is not None and report.id != stem:
            problems.append(Problem(label, "id", _(ID_NOT_NAME).format(id=report.id, name=stem), lines.get("id")))
        if report is not None:
            result.listed[label] = listed or listed_digest(report)
    result.problems += problems
    if found is None and report is not None and stat is not None and not problems:
        known.put(os.path.basename(path), stat, (data, lines, result.digests[label], result.listed[label]))
    return (report, lines) if report is not None else None


def _load_organizations(content: Path, result: CheckResult, refused: set[str], known: FileResults | None) -> None:
    path = content / ORGANIZATIONS_FILE
    if not path.is_file() or ORGANIZATIONS_FILE in refused:
        return
    result.files += 1
    found, stat = known.find(path) if known is not None else (None, None)
    problems: list[Problem] = []
    data, lines = found if found is not None else _read_yaml(path, ORGANIZATIONS_FILE, problems)
    if data is not None and not isinstance(data, list):
        problems.append(Problem(ORGANIZATIONS_FILE, "", _("expected a list of units, each starting with `- id: slug`")))
    elif data is not None:
        for item, at in zip(data, _item_lines(lines, len(data)), strict=True):
            org = load_model(Organization, item, ORGANIZATIONS_FILE, at, problems)
            if org:
                result.organizations.append(org)
                result.organization_lines.append(at)
    result.problems += problems
    if found is None and stat is not None and data is not None and not problems:
        known.put(ORGANIZATIONS_FILE, stat, (data, lines))


def _cross_check(result: CheckResult) -> None:
    seen: dict[str, int] = {}
    orgs = result.organizations
    for number, org in enumerate(orgs):
        at = result.organization_lines[number]
        if org.id in seen:
            first = result.organization_lines[seen[org.id]].get("id")
            message = MESSAGES["duplicate_slug"].format(slug=org.id, line=first)
            result.problems.append(Problem(ORGANIZATIONS_FILE, "id", message, at.get("id")))
        seen.setdefault(org.id, number)
    for number, org in enumerate(orgs):
        if org.parent and org.parent not in seen:
            message = suggest.unknown_unit(org.parent, orgs, ORGANIZATIONS_FILE)
            result.problems.append(Problem(ORGANIZATIONS_FILE, "parent", message, result.organization_lines[number].get("parent")))
    ids: set[str] = set()
    for report in result.reports:
        label = f"{REPORTS_DIR}/{report.id}.yml"
        if report.id in ids:
            result.problems.append(Problem(label, "id", _("duplicate id '{id}'; give one of the entries another id and file name").format(id=report.id)))
        ids.add(report.id)
        if report.unit and report.unit not in seen:
            message = suggest.unknown_unit(report.unit, orgs, ORGANIZATIONS_FILE)
            result.problems.append(Problem(label, "unit", message, result.unit_lines.get(label)))


def file_sha256(path: str | Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _known_sha256(path: str, digests: dict[str, str]) -> str:
    if path not in digests:
        digests[path] = file_sha256(path)
    return digests[path]


def check_content(content: Path, strict: bool = False, known: FileResults | None = None, verify_sources: bool = False) -> CheckResult:
    """`verify_sources`: the sources' bytes are compared with the sha256 their entries record too
    (the check command; a build only needs the files to be there)."""
    result = CheckResult()
    if not content.is_dir():
        result.problems.append(Problem(str(content), "", MESSAGES["no_content"]))
        return result
    result.problems += outside_links(content)
    refused = {p.file for p in result.problems}
    _load_reports(content, result, refused, known, {} if verify_sources else None)
    _load_organizations(content, result, refused, known)
    if known is not None:
        known.save()
    _cross_check(result)
    result.reports.sort(key=lambda r: r.id)
    return result


def load_archive(content: Path, strict: bool = False, known: FileResults | None = None) -> Archive:
    """The validated archive, or EntryError listing every problem. `known`: entries loaded
    before, reused while their files are untouched."""
    result = check_content(content, strict=strict, known=known)
    errors = result.errors(strict)
    if errors:
        raise EntryError(
            _("{folder}: {count} problems in the content; run 'report-archive check'").format(folder=content, count=len(errors)),
            errors,
        )
    labels = {report.id: f"{REPORTS_DIR}/{report.id}.yml" for report in result.reports}
    return Archive(
        reports=result.reports,
        organizations=result.organizations,
        digests={rid: result.digests[label] for rid, label in labels.items()},
        listed={rid: result.listed[label] for rid, label in labels.items()},
        warnings=[p for p in result.problems if p.severity != "error"],
    )


def listed_digest(report: Report) -> str:
    """What lists, indexes and catalogs show of a report: all of it but the body."""
    listed = report.model_dump_json(exclude={"lead", "sections"})
    return digest(listed.encode("utf-8"))
