"""The benchmark of issue 5 works end to end at a tiny N (CI proves it runs; figures are not judged)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import synthetic
from benchmarks.baselines import hugo_binary, pagefind_binary
from benchmarks.browser import CHROMIUM
from benchmarks.measure import run_step

ROOT = Path(__file__).resolve().parent.parent
N = 30
CHECKS = {
    "full build ÷ (Hugo + Pagefind)",
    "edit one report: rebuild ÷ full build",
    "peak RSS (import, build)",
    "site size ÷ Hugo's output",
    "one report page",
    "import speed",
    "search bytes, cold query (median)",
    "search cold query (median)",
    "search warm query (median)",
}


def _digest(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_synthetic_archive_is_deterministic_and_realistic(tmp_path):
    seeds = synthetic.load_seed_text()
    first = synthetic.write_raw_archive(tmp_path / "a", 120, seed=7, seeds=seeds)
    synthetic.write_raw_archive(tmp_path / "b", 120, seed=7, seeds=seeds)
    synthetic.write_raw_archive(tmp_path / "c", 120, seed=8, seeds=seeds)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")
    assert first.units == 24 and first.files == 120 + first.exact_duplicates + first.near_duplicates
    assert 3_000 < first.bytes / first.files < 8_000  # about 5 KB a report, like 51 MB / 10,000
    assert first.traditional > 0 and first.encodings.get("gb18030", 0) > 0
    assert set(first.doc_types) <= {"summary", "plan", "report", "speech", "opinion"}
    for path in sorted((tmp_path / "a").glob("*.txt")):
        try:
            title = path.read_bytes().decode("utf-8").splitlines()[0]
        except UnicodeDecodeError:
            continue  # GB18030 or Big5
        assert title.endswith(("总结", "计划", "报告", "讲话", "意见", "總結", "計劃", "報告", "講話", "意見")), title


def test_peak_rss_includes_grandchildren(tmp_path):
    allocate = "b = bytearray(200 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])"
    wrapper = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {allocate!r}], check=True)"
    step = run_step("rss", [sys.executable, "-c", wrapper], log_dir=tmp_path)
    assert step.returncode == 0 and step.seconds > 0
    assert step.peak_rss_mb >= 200


def test_benchmark_end_to_end(tmp_path):
    out = tmp_path / "results.json"
    command = [
        sys.executable, "-m", "benchmarks",
        "--reports", str(N), "--out", str(out), "--work", str(tmp_path / "work"),
        "--queries", "工会", "工會", "--no-baseline-search",
    ]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "ours" in done.stdout and "Targets of issue 5" in done.stdout
    assert not any((tmp_path / "work").iterdir()), "the work folder is cleaned up"

    results = json.loads(out.read_text(encoding="utf-8"))
    assert results["meta"]["cpus"] >= 1 and results["meta"]["versions"]["mkdocs"]
    (run,) = results["runs"]
    assert run["n"] == N and run["units"] == N // 5
    assert run["raw"]["files"] >= N and run["raw"]["bytes"] > 50_000

    ours = run["ours"]
    assert ours["import"]["entries"] == N
    assert ours["import"]["mb_per_s"] > 0 and ours["import"]["peak_rss_mb"] > 10
    build = ours["build"]
    assert build["seconds"] > 0 and build["peak_rss_mb"] > 10
    assert build["generate_s"] > 0 and build["site_s"] > 0 and build["search_index_s"] is not None
    assert ours["incremental"]["seconds"] > 0 and ours["incremental"]["ratio_to_full"] > 0
    assert ours["site"]["files"] > N and ours["site"]["mb"] > 0
    assert 1_000 < ours["site"]["page_bytes"] < 1_000_000
    assert ours["total_s"] >= build["seconds"]

    baselines = run["baselines"]
    assert run["markdown_bytes"] > 50_000
    mkdocs = baselines["mkdocs-material"]
    assert mkdocs["seconds"] > 0 and mkdocs["files"] > N and mkdocs["page_bytes"] > 1_000
    if hugo_binary():
        assert baselines["hugo"]["files"] > N and baselines["hugo"]["output_bytes"] > 0
        if pagefind_binary():
            assert baselines["pagefind"]["files"] > 0
            combined = baselines["hugo+pagefind"]
            assert combined["seconds"] == pytest.approx(
                sum(baselines[name]["seconds"] for name in ("hugo", "pagefind")), rel=0.5
            )
            assert combined["output_bytes"] > baselines["hugo"]["output_bytes"]

    checks = {check["name"]: check for check in run["checks"]}
    assert set(checks) == CHECKS
    assert checks["import speed"]["value"] > 0 and checks["one report page"]["value"] > 0
    # The import's CPU comes with its speed: user time is ours, system time mostly the file system's.
    step = run["ours"]["import"]["step"]
    assert step["user_s"] > 0
    assert f"CPU user {step['user_s']:.1f} s, system {step['system_s']:.1f} s" in checks["import speed"]["reference"]
    if hugo_binary() and pagefind_binary():
        assert checks["full build ÷ (Hugo + Pagefind)"]["value"] > 0
        assert checks["site size ÷ Hugo's output"]["value"] > 0

    if os.path.exists(CHROMIUM) or shutil.which("chromium"):
        search = run["search"]["ours"]
        assert not search["errors"], search["errors"]
        assert search["cold_ms"] > 0 and search["warm_ms"] > 0
        assert search["cold_bytes"] > 0
        assert {q["phase"] for q in search["queries"]} == {"cold", "warm"}
