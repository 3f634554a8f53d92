"""Golden queries: every build proves its search index against the entries before publishing it.

For each query of content/search-queries.yml, and for a sample of queries drawn from
the reports' own text, the index must return exactly the reports whose folded text
contains the query (search/plain.py), as `report-archive search` and the page would.
A query may also pin reports it must find (`must_find`), a curator's promise: a pinned
report that is gone, or whose text no longer holds the query, fails the build. New
reports never do. The file's older form, `reports:` instead of `must_find:`, reads
the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.errors import BuildError, Problem
from generator.i18n import N_, Messages, _
from generator.model import Organization, Report
from generator.search.plain import PlainSearch, terms_of
from generator.search.query import SearchIndex

GOLDEN_FILE = "search-queries.yml"
FIELDS = ("query", "must_find")
OLD_PINS = "reports"  # what must_find was called before

QUERY = N_("query '{query}'")
MESSAGES = Messages({
    "not_yaml": N_("not valid YAML ({problem}); fix the syntax"),
    "not_list": N_("expected a list of queries, each `- query: words` with an optional `must_find: [r-…]`"),
    "not_mapping": N_("expected `query: words` with an optional `must_find: [r-…]`"),
    "no_query": N_("a query needs its words: write `query: words to find`"),
    "query_not_text": N_("the query should be text; write `query: words to find`"),
    "pins_not_list": N_("should be a list of report ids, such as [r-0123456789]"),
    "unknown_field": N_("is not a field of a golden query; use query and must_find"),
    "both_pins": N_("both must_find and reports are given; keep must_find"),
    "invalid": N_("{file} is invalid; fix the lines below"),
    "pin_gone": N_("must find {report}, but that entry is gone (reports/{report}.yml no longer exists); "
    "restore the entry, or remove {report} from must_find"),
    "pin_lost_text": N_("must find {report}, but its text no longer contains '{term}'; "
    "restore those words in reports/{report}.yml, or remove {report} from must_find"),
    "pins_failed": N_("a golden query no longer finds a report it must find ({file}); nothing was published"),
    "index_misses": N_("the search index misses {reports}, whose text contains it"),
    "index_extra": N_("the search index finds {reports}, whose text does not contain it"),
    "index_wrong": N_("the search index does not answer as the entries say, so it was not published; "
    "delete the build folder (.build/) and build again, and if this persists, report it "
    "with the queries below"),
})


@dataclass(frozen=True)
class GoldenQuery:
    query: str
    must_find: tuple[str, ...] = ()
    line: int | None = None  # in the golden file


@dataclass(frozen=True)
class GoldenOutcome:
    queries: int = 0  # from the golden file
    sampled: int = 0  # drawn from the reports' text
    pins: int = 0  # pinned reports found


def load_golden(path: Path) -> list[GoldenQuery]:
    where = path.name
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        raise BuildError(MESSAGES["invalid"].format(file=where), [
            Problem(where, "", MESSAGES["not_yaml"].format(problem=problem), mark.line + 1 if mark else None)
        ]) from None
    if root is None:
        return []
    if not isinstance(root, yaml.SequenceNode):
        raise BuildError(MESSAGES["invalid"].format(file=where), [Problem(where, "", MESSAGES["not_list"], 1)])
    queries, problems = [], []
    for node in root.value:
        golden = _golden_query(node, where, problems)
        if golden is not None:
            queries.append(golden)
    if problems:
        raise BuildError(MESSAGES["invalid"].format(file=where), problems)
    return queries


def _golden_query(node: yaml.Node, where: str, problems: list[Problem]) -> GoldenQuery | None:
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        problems.append(Problem(where, "", MESSAGES["not_mapping"], line))
        return None
    found = len(problems)
    values = {}
    for key, value in node.value:
        name = key.value if isinstance(key, yaml.ScalarNode) else "?"
        at = key.start_mark.line + 1
        if name not in (*FIELDS, OLD_PINS):
            problems.append(Problem(where, name, MESSAGES["unknown_field"], at))
        elif name == "query" and not (isinstance(value, yaml.ScalarNode) and value.value.strip()):
            problems.append(Problem(where, name, MESSAGES["query_not_text"], at))
        elif name != "query" and not _id_list(value):
            problems.append(Problem(where, name, MESSAGES["pins_not_list"], at))
        else:
            values[name] = value.value if name == "query" else tuple(item.value for item in value.value)
    if "must_find" in values and OLD_PINS in values:
        problems.append(Problem(where, OLD_PINS, MESSAGES["both_pins"], line))
    if "query" not in values and len(problems) == found:
        problems.append(Problem(where, "query", MESSAGES["no_query"], line))
    if len(problems) > found:
        return None
    return GoldenQuery(values["query"], values.get("must_find", values.get(OLD_PINS, ())), line)


def _id_list(node: yaml.Node) -> bool:
    return isinstance(node, yaml.SequenceNode) and all(isinstance(item, yaml.ScalarNode) for item in node.value)


def check_golden(index: SearchIndex, content_dir: Path, plain: PlainSearch) -> GoldenOutcome:
    """Prove `index` against `plain` (the entries' texts) on the golden and the sampled queries,
    and every pin of the golden file; BuildError on any failure."""
    path = content_dir / GOLDEN_FILE
    golden = load_golden(path) if path.is_file() else []
    pin_problems = [p for query in golden for p in _pin_problems(query, plain)]
    if pin_problems:
        raise BuildError(MESSAGES["pins_failed"].format(file=GOLDEN_FILE), pin_problems)
    listed = {g.query for g in golden}
    sampled = [q for q in plain.sample_queries() if q not in listed]
    checked = [(g.query, g.line, GOLDEN_FILE) for g in golden] + [(q, None, "sampled") for q in sampled]
    wrong = [p for query, line, where in checked if (p := _index_problem(index, plain, query, line, where))]
    if wrong:
        raise BuildError(MESSAGES["index_wrong"], wrong)
    return GoldenOutcome(len(golden), len(sampled), sum(len(g.must_find) for g in golden))


def check_pins(content_dir: Path, reports: list[Report], organizations: list[Organization]) -> list[Problem]:
    """The golden file's problems and its pins' failures, from the entries alone: what `check`
    can tell before a build. Only the pinned reports are read."""
    path = content_dir / GOLDEN_FILE
    if not path.is_file():
        return []
    try:
        golden = load_golden(path)
    except BuildError as error:
        return error.problems
    pinned = {report for query in golden for report in query.must_find}
    plain = PlainSearch.of([report for report in reports if report.id in pinned], organizations)
    return [problem for query in golden for problem in _pin_problems(query, plain)]


def _pin_problems(golden: GoldenQuery, plain: PlainSearch) -> list[Problem]:
    problems = []
    for report in golden.must_find:
        text = plain.text_of(report)
        if text is None:
            message = MESSAGES["pin_gone"].format(report=report)
        else:
            missing = [term for term in terms_of(golden.query) if term not in text]
            if not missing:
                continue
            message = MESSAGES["pin_lost_text"].format(report=report, term=" ".join(missing))
        problems.append(Problem(GOLDEN_FILE, _(QUERY).format(query=golden.query), message, golden.line))
    return problems


def _index_problem(index: SearchIndex, plain: PlainSearch, query: str, line: int | None, where: str) -> Problem | None:
    found, expected = index.report_ids(query), plain.report_ids(query)
    if found == expected:
        return None
    parts = []
    if expected - found:
        parts.append(MESSAGES["index_misses"].format(reports=", ".join(sorted(expected - found))))
    if found - expected:
        parts.append(MESSAGES["index_extra"].format(reports=", ".join(sorted(found - expected))))
    return Problem(where, _(QUERY).format(query=query), _("; ").join(parts), line)
