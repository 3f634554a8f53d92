"""The benchmark of issue 5 works end to end at a tiny N (CI proves it runs; figures are not judged)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from benchmarks import growth, runner, synthetic
from benchmarks.baselines import Limits, build_pagefind, hugo_binary, pagefind_binary
from benchmarks.browser import CHROMIUM
from benchmarks.measure import (
    SET_ASIDE,
    StepFailed,
    remove_set_aside,
    run_step,
    set_aside,
    stage_peaks,
)
from benchmarks.ours import reset_site, stage_windows

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


def test_folders_of_earlier_steps_are_set_aside_and_removed_when_the_run_ends(tmp_path):
    site = tmp_path / "n10" / "ours" / "site"
    build_folder = site.parent / ".build" / "site"
    for folder in (site, build_folder):
        (folder / "reports").mkdir(parents=True)
        (folder / "reports" / "a.html").write_text("页", encoding="utf-8")
    reset_site(site)
    assert not site.exists() and not build_folder.exists()
    (kept,) = (site.parent / SET_ASIDE).iterdir()
    assert (kept / "reports" / "a.html").read_text(encoding="utf-8") == "页"
    set_aside(tmp_path / "missing")  # nothing to move
    remove_set_aside(tmp_path)
    assert not list(tmp_path.rglob(SET_ASIDE)) and (tmp_path / "n10" / "ours").is_dir()


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
    assert "All sizes" in done.stdout and "growth: needs two sizes or more" in done.stdout
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
    assert set(build["stage_peak_mb"]) >= set(growth.STAGES) and build["stage_peak_mb"]["mkdocs"] > 10
    assert "samples" not in build["runs"][0]["step"]  # the memory timeline stays out of the JSON
    assert ours["incremental"]["seconds"] > 0 and ours["incremental"]["ratio_to_full"] > 0
    assert ours["site"]["files"] > N and ours["site"]["mb"] > 0
    assert 1_000 < ours["site"]["page_bytes"] < 1_000_000
    assert ours["total_s"] >= build["seconds"]
    stages = {stage["name"]: stage for stage in results["growth"]["stages"]}
    assert results["growth"]["sizes"] == [N] and stages["render"]["seconds"][str(N)] == build["stages"]["render"]

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
            assert baselines["pagefind"]["failed"] is None and baselines["pagefind"]["step"]["memory_cap_gb"] == 20

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


# --- growth and the tables after all sizes, on made-up runs -----------------------------


def _made_up_run(n: int, scale: float, *, reference: dict | None = None) -> dict:
    """A run whose stages take `scale` times their 1,000-report seconds; render grows twice as fast."""
    stages = {"search_index": 1.0 * scale, "load": 2.0 * scale, "taxonomy": 3.0 * scale,
              "render": 4.0 * scale * scale, "write": 1.0 * scale, "mkdocs": 5.0 * scale, "search_wait": 0.5}
    build_s = 20.0 * scale
    run = {
        "n": n,
        "ours": {
            "import": {"seconds": 10.0 * scale, "peak_rss_mb": 300.0, "mb_per_s": 0.5, "raw_bytes": int(5.0 * scale * 1024 * 1024)},
            "build": {"seconds": build_s, "peak_rss_mb": 400.0 * scale, "stages": stages,
                      "stage_peak_mb": {name: 100.0 * scale for name in stages}},
            "incremental": {"seconds": 2.0, "peak_rss_mb": 350.0, "ratio_to_full": round(2.0 / build_s, 3)},
            "peak_rss_mb": 400.0 * scale,
        },
    }
    if reference is not None:
        run["baselines"] = {"hugo+pagefind": reference}
    return run


RUNS = [
    _made_up_run(1_000, 1.0, reference={"name": "hugo+pagefind", "seconds": 10.0}),
    _made_up_run(10_000, 10.0, reference={"name": "hugo+pagefind", "seconds": None,
                                          "failed": "pagefind: allocation failed after 812 s, memory cap 20 GB"}),
    {"n": 30_000, "error": "python -m generator import timed out after 600 s:\n..."},
]


def _printed(print_function, data) -> str:
    console = Console(record=True, width=400, color_system=None)
    print_function(data, console)
    return console.export_text()


def _cells(text: str) -> list[list[str]]:
    """The header and the rows of the printed table, cell by cell."""
    lines = [line for line in text.splitlines() if line.startswith(("┃", "│"))]
    return [[cell.strip() for cell in line[1:-1].replace("┃", "│").split("│")] for line in lines]


def test_growth_per_report_against_the_smallest_size():
    data = growth.growth(RUNS)
    assert data["sizes"] == [1_000, 10_000] and data["base_n"] == 1_000  # the failed N is left out
    stages = {stage["name"]: stage for stage in data["stages"]}
    assert list(stages)[:9] == ["import", *growth.STAGES, "total"]
    assert stages["load"]["seconds"] == {"1000": 2.0, "10000": 20.0}
    assert stages["load"]["seconds_per_report"] == {"10000": 1.0}
    assert stages["render"]["seconds_per_report"] == {"10000": 10.0}  # 4 s -> 400 s for 10× the reports
    assert stages["search_wait"]["seconds_per_report"] == {"10000": 0.1}
    assert stages["import"]["memory_per_report"] == {"10000": 0.1}  # 300 MB at both sizes
    assert stages["mkdocs"]["memory_mb"] == {"1000": 100.0, "10000": 1000.0}
    assert stages["peak memory (all steps)"]["seconds"] == {"1000": None, "10000": None}
    figures = data["figures"]
    assert figures["build_per_report"] == {"n": 10_000, "reference_n": 10_000, "factor": 1.0,
                                           "seconds_per_report": 0.02, "reference_seconds_per_report": 0.02}
    assert figures["edit"]["10000"] == {"seconds": 2.0, "share_of_full_build": 0.01}
    assert figures["import"]["1000"] == {"mb_per_s": 0.5, "raw_mb": 5.0, "seconds": 10.0}
    json.dumps(data)  # kept in the results file as it is


def test_growth_without_the_reference_size_compares_with_the_smallest():
    data = growth.growth([_made_up_run(2_000, 1.0), _made_up_run(6_000, 4.5)])
    assert data["figures"]["build_per_report"]["reference_n"] == 2_000
    assert data["figures"]["build_per_report"]["factor"] == 1.5  # 4.5× the time for 3× the reports


def test_growth_table_shows_each_stage_and_what_grows_faster():
    text = _printed(growth.print_growth, growth.growth(RUNS))
    header, *rows = _cells(text)
    assert header == ["stage", "s @1,000", "s @10,000", "MB @1,000", "MB @10,000", "time @10,000", "memory @10,000"]
    rows = {row[0]: row[1:] for row in rows}
    assert list(rows) == ["import", *growth.STAGES, "total", "edit one report", "peak memory (all steps)"]
    assert rows["render"] == ["4.00", "400.00", "100", "1,000", "10.00× per report", "1.00× per report"]
    assert rows["import"] == ["10.00", "100.00", "300", "300", "1.00× per report", "0.10× per report"]
    assert rows["peak memory (all steps)"] == ["—", "—", "400", "4,000", "—", "1.00× per report"]
    assert "full build per report at 10,000: 20.00 ms, 1.00× the 10,000 figure" in text
    assert "edit one report and rebuild: 1,000: 2.00 s (10.0% of the full build) · 10,000: 2.00 s (1.0% of the full build)" in text
    assert "import speed (raw bytes ÷ import seconds): 1,000: 0.50 MB/s (5.0 MB in 10.0 s)" in text
    assert "peak memory of the whole process tree (import, builds, edit): 1,000: 400 MB · 10,000: 4,000 MB" in text
    assert "grows faster than the archive: render (time 10.00×)" in text
    assert "load (" not in text


def test_growth_needs_two_sizes():
    assert "needs two sizes or more" in _printed(growth.print_growth, growth.growth(RUNS[:1]))


def test_sizes_table_says_why_a_reference_failed_and_gives_no_ratio():
    header, *cells = _cells(_printed(growth.print_sizes, RUNS))
    assert header == ["reports", "import", "import MB/s", "build", "peak RSS (tree)", "Hugo + Pagefind", "ratio"]
    assert cells[0] == ["1,000", "10.00 s", "0.50", "20.00 s", "400 MB", "10.00 s", "2.00"]
    assert cells[1][0] == "10,000" and cells[1][-1] == growth.NO_RATIO
    assert cells[1][5].startswith("failed: pagefind: allocation failed after 812 s")
    assert cells[2][0] == "30,000" and cells[2][1].startswith("failed: python -m generator import timed out")


# --- memory of the stages, and the memory cap -------------------------------------------


def test_stage_windows_follow_the_build_clock():
    stages = {"search_index": 3.0, "load": 1.0, "taxonomy": 2.0, "render": 2.0, "mkdocs": 4.0, "search_wait": 0.5}
    windows = stage_windows(stages, total=9.5, clock_end=11.5)  # the clock starts 2 s in
    assert windows["load"] == (2.0, 3.0) and windows["taxonomy"] == (3.0, 5.0)
    assert windows["mkdocs"] == (7.0, 11.0) and windows["search_wait"] == (11.0, 11.5)
    assert windows["search_index"] == (5.0, 8.0)  # beside render and mkdocs, once the taxonomy is done
    samples = [(t / 10, 100.0 + (500.0 if 70 <= t <= 90 else 0.0)) for t in range(116)]
    peaks = stage_peaks(samples, {**windows, "instant": (4.01, 4.02)})
    assert peaks["load"] == 100.0 and peaks["mkdocs"] == 600.0 and peaks["search_index"] == 600.0
    assert peaks["instant"] == 100.0  # shorter than a sample: the nearest one
    assert stage_windows({}, None, 3.0) == {}


ALLOCATE_1_GB = "b = bytearray(1024 * 1024 * 1024); print('allocated')"


def test_memory_cap_fails_the_allocation_and_says_so(tmp_path):
    step = run_step("capped", [sys.executable, "-c", ALLOCATE_1_GB], log_dir=tmp_path, check=False, memory_cap_gb=0.5)
    assert step.returncode == 1 and step.memory_cap_gb == 0.5
    assert step.failure.startswith("allocation failed after ") and step.failure.endswith(" s, memory cap 0.5 GB")
    assert "allocated" not in Path(step.log).read_text()
    with pytest.raises(StepFailed, match="allocation failed"):
        run_step("capped", [sys.executable, "-c", ALLOCATE_1_GB], log_dir=tmp_path, memory_cap_gb=0.5)
    free = run_step("free", [sys.executable, "-c", ALLOCATE_1_GB], log_dir=tmp_path, memory_cap_gb=4)
    assert free.failure is None and "allocated" in Path(free.log).read_text()


def test_a_killed_step_is_reported_as_killed(tmp_path):
    step = run_step("killed", [sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"],
                    log_dir=tmp_path, check=False)
    assert step.failure.startswith("killed (SIGKILL")


def _tiny_site(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for number in range(3):
        (folder / f"p{number}.html").write_text(
            f"<html lang=zh><body><h1>第{number}份工作总结</h1><p>职工代表大会审议了工会经费预算。</p></body></html>",
            encoding="utf-8")
    return folder


@pytest.mark.skipif(pagefind_binary() is None, reason="pagefind is not installed")
def test_pagefind_past_its_memory_cap_is_reported_not_raised(tmp_path):
    site = _tiny_site(tmp_path / "public")
    capped = build_pagefind(site, tmp_path / "logs", Limits(pagefind_memory_cap_gb=0.1))
    assert capped.failed.startswith("allocation failed after") and "memory cap 0.1 GB" in capped.failed
    assert capped.as_dict()["failed"] == capped.failed
    fine = build_pagefind(site, tmp_path / "logs")
    assert fine.failed is None and fine.files > 0 and fine.step.memory_cap_gb == 20


@pytest.mark.skipif(hugo_binary() is None or pagefind_binary() is None, reason="hugo or pagefind is not installed")
def test_a_failed_pagefind_leaves_the_run_going(tmp_path):
    results, sites, notes = runner.run_baselines(
        ROOT / "content", tmp_path / "work", repeat=2, logs=tmp_path / "logs", skip_mkdocs=True,
        limits=Limits(pagefind_memory_cap_gb=0.1),
    )
    assert results["hugo"]["seconds"] > 0 and not results["hugo"]["failed"]
    assert results["pagefind"]["seconds"] is None and results["pagefind"]["failed_at_s"] >= 0
    assert results["hugo+pagefind"]["seconds"] is None
    assert results["hugo+pagefind"]["failed"].startswith("pagefind: allocation failed")
    assert "pagefind" not in sites  # nothing to search
    assert any(note.startswith("Hugo + Pagefind failed at N = ") for note in notes)


@pytest.mark.skipif(hugo_binary() is None, reason="hugo is not installed")
def test_baselines_past_their_time_limit_are_reported_and_the_run_goes_on(tmp_path):
    results, sites, notes = runner.run_baselines(
        ROOT / "content", tmp_path / "work", repeat=2, logs=tmp_path / "logs", skip_mkdocs=False,
        limits=Limits(timeout_s=0.05),
    )
    for tool in ("mkdocs-material", "hugo"):
        assert results[tool]["seconds"] is None and results[tool]["failed"].startswith("timed out after")
        assert tool not in sites
    if "hugo+pagefind" in results:
        assert results["hugo+pagefind"]["failed"].startswith("hugo: timed out after")
        assert any(note.startswith("Hugo + Pagefind failed at N = ") for note in notes)
