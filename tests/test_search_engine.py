"""The page's search engine (theme/assets/javascripts/search-engine.js) under `node --test`,
compared with `report-archive search` on the same sites: the fixture sample, the default
archive, and the default archive after an edit updated its index with a delta."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import unavailable
from generator.build import build_site
from generator.cli import main
from generator.content import load_archive
from generator.search.files import read_text
from generator.search.index import FolderFiles
from generator.search.stage import build_search
from generator.taxonomy import build_taxonomy
from site_fixtures import REPO, TESTS, shared_sample
from test_search_delta import content_copy, edit, splice

NODE = shutil.which("node")


@pytest.fixture(autouse=True, scope="module")
def _node_here():
    if NODE is None:
        unavailable("Node.js 18 or newer is needed (apt-get install nodejs)")

NEW = "职工书屋读书月活动圆满落幕"
QUERIES = [
    "工会",
    "工會",
    "职代会",
    "困难职工",
    "全国总工会",
    "中华全国总工会",
    "2013年",
    "2019年",
    "工会 困难职工",
    "工會 2019",
    "会",
    "ＸＸ",
    "工资集体协商",
    "送温暖",
    "不存在的词语组合",
]


def full_and_delta_sites(root: Path) -> tuple[Path, Path]:
    """The default archive built in full (its index kept aside as a site of its own), then one
    report edited and the index updated in place, with a delta."""
    content = content_copy(root)
    site = root / "site"
    build_site(content_dir=content, config_path=REPO / "site_config.yml", out_dir=site)
    full = root / "full"
    shutil.copytree(site / "search", full / "search")
    edit(content, 5, splice(NEW))
    archive = load_archive(content)
    tax = build_taxonomy(archive.reports, archive.organizations, latest=5, related_count=3)
    outcome = build_search(tax, content, root / "new-search", previous=site / "search")
    assert outcome.incremental and outcome.delta_docs == 1
    shutil.rmtree(site / "search")
    os.rename(root / "new-search", site / "search")
    return full, site


def phrases(site: Path) -> list[str]:
    """Stretches of the first report's text that has a long line, as typed: a short phrase (two
    3-grams), a longer one (a chain of 3-grams over position records) and the end of a line."""
    files = FolderFiles(site / "search")
    texts = (read_text(files, n) for n in range(json.loads(files["manifest.json"])["docs"]))
    line = next(line for text in texts for line in text["t"][text["b"] :].split("\n") if len(line) >= 30)
    return [line[3:7], line[5:17], line[-3:]]


def cli_answers(site: Path, queries: list[str]) -> dict[str, str]:
    """What `report-archive search QUERY --site SITE` prints for each query."""
    answers = {}
    for query in [*queries, *phrases(site)]:
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            assert main(["search", query, "--site", str(site)]) == 0
        answers[query] = out.getvalue()
    return answers


def test_the_engine_answers_as_report_archive_search(tmp_path_factory):
    sample = shared_sample(tmp_path_factory).site
    default, updated = full_and_delta_sites(tmp_path_factory.mktemp("engine-sites"))
    sites = [
        {"site": str(sample), "answers": cli_answers(sample, ["工会", "工會", "2019年", "工会 2020", "不存在"])},
        {"site": str(default), "answers": cli_answers(default, QUERIES)},
        {"site": str(updated), "answers": cli_answers(updated, ["工会", "书屋", NEW, NEW[3:9], "圆满落幕 工会", "不存在"])},
    ]
    env = {**os.environ, "SEARCH_ENGINE_SITES": json.dumps(sites, ensure_ascii=False)}
    result = subprocess.run(
        [NODE, "--test", str(TESTS / "engine")], capture_output=True, text=True, env=env, cwd=REPO, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "# fail 0" in result.stdout and "# pass 0" not in result.stdout
