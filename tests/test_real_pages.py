"""The importer over the real-page corpus (../shared/real-pages), scored by the shared evaluator.

The pages are read where they lie; none of their text is copied into the project. Without the
corpus the test is skipped, except under CI=true, where a missing corpus is a failure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.importer.pipeline import import_paths
from seed_truth import SHARED

PAGES = SHARED / "real-pages"
EVALUATOR = SHARED / "tools" / "eval_import.py"

# Share of the corpus's reports (or fields) the importer must get right.
FLOORS = {
    "found_percent": 95.0,
    "split_percent": 95.0,
    "fields_percent": 90.0,
    "organization_percent": 85.0,
    "year_percent": 95.0,
}
# Entries still holding page chrome, at most (share of the entries).
MAX_CHROME_PERCENT = 5.0


def _corpus_or_skip() -> None:
    if (PAGES / "raw").is_dir() and (PAGES / "truth").is_dir() and EVALUATOR.is_file():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"the real-page corpus is missing ({PAGES}); CI must run against it")
    pytest.skip("the real-page corpus is not beside the project")


@pytest.fixture(scope="module")
def scores(tmp_path_factory) -> dict:
    _corpus_or_skip()
    content = tmp_path_factory.mktemp("pages") / "content"
    summary = import_paths([PAGES / "raw"], content, progress=False)
    assert not summary.skipped and not summary.conflicts
    out = content.parent / "scores.json"
    command = [sys.executable, str(EVALUATOR), "--mode", "pages", "--truth", str(PAGES / "truth"),
               "--raw", str(PAGES / "raw"), "--content", str(content), "--json", str(out)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    data = json.loads(Path(out).read_text(encoding="utf-8"))
    totals = data["totals"]
    totals["found_percent"] = 100.0 * totals["found"] / totals["reports"]
    totals["split_percent"] = 100.0 * totals["split"] / totals["reports"]
    totals["chrome_percent"] = 100.0 * totals["boilerplate_left"] / max(totals["entries"], 1)
    print("\nreal pages:", result.stdout.strip().splitlines()[-1])
    print("per field:", ", ".join(f"{k[:-8]} {v:.1f}%" for k, v in totals.items() if k.endswith("_percent")))
    for miss in data["misses"]:
        print("  ", miss)
    return totals


@pytest.mark.parametrize("measure", sorted(FLOORS))
def test_real_pages_meet_the_floor(scores, measure):
    assert scores[measure] >= FLOORS[measure], f"{measure}: {scores[measure]:.1f}% < {FLOORS[measure]}%"


def test_real_pages_keep_no_chrome_and_no_pinyin(scores):
    assert scores["chrome_percent"] <= MAX_CHROME_PERCENT, f"{scores['boilerplate_left']} entries hold page chrome"
    assert scores["pinyin_left"] == 0
