"""Golden queries: what the archive's curators expect search to find, checked at every build."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from generator import yamlio
from generator.errors import BuildError, Problem
from generator.search.query import SearchIndex

GOLDEN_FILE = "search-queries.yml"


class GoldenQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str
    reports: list[str]


def load_golden(path: Path) -> list[GoldenQuery]:
    where = path.name
    try:
        raw = yamlio.load(path.read_text(encoding="utf-8"))
    except Exception as error:
        raise BuildError(f"{where}: not valid YAML ({error})") from None
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise BuildError(f"{where}: expected a list of {{query, reports}} entries")
    queries, problems = [], []
    for number, item in enumerate(raw, start=1):
        try:
            queries.append(GoldenQuery.model_validate(item))
        except ValidationError as error:
            for issue in error.errors():
                field = ".".join(str(p) for p in issue["loc"]) or "entry"
                problems.append(Problem(where, f"[{number}].{field}", issue["msg"]))
    if problems:
        raise BuildError(f"{where} is invalid", problems)
    return queries


def check_golden(index: SearchIndex, content_dir: Path) -> int:
    """Run every golden query against the built index; fail the build on any difference."""
    path = content_dir / GOLDEN_FILE
    if not path.is_file():
        return 0
    queries = load_golden(path)
    problems = []
    for golden in queries:
        found, expected = index.report_ids(golden.query), set(golden.reports)
        missing, extra = sorted(expected - found), sorted(found - expected)
        if missing or extra:
            detail = "; ".join(
                part
                for part in (
                    f"not found: {', '.join(missing)}" if missing else "",
                    f"found but not expected: {', '.join(extra)}" if extra else "",
                )
                if part
            )
            problems.append(Problem(GOLDEN_FILE, f"query {golden.query!r}", detail))
    if problems:
        raise BuildError(
            "search results differ from the golden queries; fix the index or, if the content "
            f"changed on purpose, update {GOLDEN_FILE} (report-archive search QUERY lists the results)",
            problems,
        )
    return len(queries)
