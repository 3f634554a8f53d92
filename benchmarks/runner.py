"""One benchmark run: synthetic archive -> ours -> baselines -> search -> figures."""

from __future__ import annotations

import os
import platform
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from rich.console import Console

from benchmarks import baselines, browser, ours, report, synthetic
from benchmarks.measure import median, tree_size

ROOT = Path(__file__).resolve().parents[1]
log = Console(stderr=True, highlight=False)


def say(message: str) -> None:
    log.print(f"[dim]{datetime.now().strftime('%H:%M:%S')}[/dim] {message}")


def chromium_available(executable: str = browser.CHROMIUM) -> bool:
    return os.path.exists(executable) or shutil.which("chromium") is not None


def work_root(work: Path | None) -> Path:
    """Where the archives and sites go: never inside the repository."""
    base = Path(work) if work else Path(tempfile.gettempdir())
    base.mkdir(parents=True, exist_ok=True)
    base = base.resolve()
    if base == ROOT or ROOT in base.parents:
        raise SystemExit(f"--work {base} is inside the repository; choose a folder outside {ROOT}")
    return Path(tempfile.mkdtemp(prefix="report-archive-bench-", dir=base))


def _median_run(runs: list[baselines.ToolRun]) -> dict:
    """Figures of the median-time run (sizes do not vary between runs)."""
    data = [r.as_dict() for r in runs]
    seconds = median(d["seconds"] for d in data)
    chosen = min(data, key=lambda d: abs(d["seconds"] - seconds))
    return {**chosen, "seconds": round(seconds, 3), "peak_rss_mb": max(d["peak_rss_mb"] for d in data),
            "runs_s": [d["seconds"] for d in data]}


def run_baselines(content: Path, work: Path, repeat: int, logs: Path, skip_mkdocs: bool) -> tuple[dict, dict, list[str]]:
    """Figures per tool, the folders to search, and notes."""
    notes: list[str] = []
    exported = baselines.export_reports(content)
    have = baselines.available()
    results: dict[str, dict] = {"markdown": {"reports": len(exported.reports), "bytes": exported.bytes}}
    sites: dict[str, Path] = {}
    mkdocs_runs, hugo_runs, pagefind_runs, combined = [], [], [], []
    if not skip_mkdocs:
        project = work / "mkdocs"
        baselines.write_mkdocs_project(exported, project)
        for number in range(repeat):
            say(f"  mkdocs + material build {number + 1}/{repeat}")
            mkdocs_runs.append(baselines.build_mkdocs(project, logs))
        sites["mkdocs-material"] = project / "site"
    if have["hugo"]:
        project = work / "hugo"
        baselines.write_hugo_project(exported, project)
        for number in range(repeat):
            say(f"  hugo build {number + 1}/{repeat}")
            hugo = baselines.build_hugo(project, logs)
            hugo_runs.append(hugo)
            if have["pagefind"]:
                say(f"  pagefind index {number + 1}/{repeat}")
                pagefind = baselines.build_pagefind(hugo.output, logs)
                pagefind_runs.append(pagefind)
                combined.append((hugo, pagefind))
        sites["hugo"] = project / "public"
        if not have["pagefind"]:
            notes.append("pagefind is not installed (pip install 'pagefind[extended]'): no Hugo + Pagefind reference")
        elif not baselines.pagefind_is_extended():
            notes.append("pagefind is not the extended binary: Chinese is not segmented")
    else:
        notes.append("hugo is not installed (apt-get install hugo): no Hugo or Pagefind figures")
    if mkdocs_runs:
        results["mkdocs-material"] = _median_run(mkdocs_runs)
    if hugo_runs:
        results["hugo"] = _median_run(hugo_runs)
    if pagefind_runs:
        results["pagefind"] = _median_run(pagefind_runs)
        sums = [h.step.seconds + p.step.seconds for h, p in combined]
        public_bytes, public_files = tree_size(sites["hugo"])
        results["hugo+pagefind"] = {
            "name": "hugo+pagefind",
            "seconds": round(median(sums), 3),
            "runs_s": [round(s, 3) for s in sums],
            "peak_rss_mb": max(max(h.step.peak_rss_mb, p.step.peak_rss_mb) for h, p in combined),
            "output_bytes": public_bytes,
            "output_mb": round(public_bytes / 1024 / 1024, 2),
            "files": public_files,
            "page_bytes": results["hugo"]["page_bytes"],
        }
    return results, sites, notes


def run_one(
    n: int,
    *,
    units: int | None,
    seed: int,
    repeat: int,
    root: Path,
    config: Path,
    queries: list[str],
    skip_baselines: bool,
    skip_mkdocs: bool,
    skip_search: bool,
    baseline_search: bool,
    seeds: synthetic.SeedText,
) -> dict:
    work = root / f"n{n}"
    logs = work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    unit_count = units or max(1, n // 5)
    say(f"[bold]N = {n:,}[/bold]: writing the synthetic archive ({unit_count:,} units) into {work}")
    started = time.perf_counter()
    manifest = synthetic.write_raw_archive(work / "raw", n, unit_count, seed, seeds)
    synth_s = time.perf_counter() - started
    say(f"  {manifest.files:,} raw files, {manifest.bytes / 1024 / 1024:.1f} MB in {synth_s:.1f} s; ours: import and {repeat} full build(s)")
    run: dict = {
        "n": n,
        "units": unit_count,
        "seed": seed,
        "repeat": repeat,
        "raw": manifest.as_dict(),
        "synth_s": round(synth_s, 3),
        "notes": [],
    }
    run["ours"] = ours.run_ours(work / "raw", manifest.bytes, work / "ours", config, repeat, logs)
    if run["ours"]["import"]["entries"] != n:
        run["notes"].append(f"import made {run['ours']['import']['entries']} entries from {n} distinct reports")
    sites: dict[str, Path] = {}
    if not skip_baselines:
        say("  baselines from the same entries")
        base, sites, notes = run_baselines(work / "ours" / "content", work / "baselines", repeat, logs, skip_mkdocs)
        run["markdown_bytes"] = base.pop("markdown")["bytes"]
        run["baselines"] = base
        run["notes"] += notes
    run["search"] = {}
    if skip_search:
        run["notes"].append("search not measured (--skip-search)")
    elif not chromium_available():
        run["notes"].append(f"no chromium at {browser.CHROMIUM}: search not measured")
    else:
        our_site = work / "ours" / "site"
        front = browser.front_end_for(our_site)
        if front != "archive":
            run["notes"].append("our site has no search.html: measured Material's search box on it instead")
        say(f"  search in chromium: ours ({front})")
        run["search"]["ours"] = browser.measure_search(our_site, front, queries)
        if baseline_search and "mkdocs-material" in sites:
            say("  search in chromium: mkdocs-material")
            # Material loads its whole index (150 MB at 10,000 reports) per cold query: three queries do.
            run["search"]["mkdocs-material"] = browser.measure_search(
                sites["mkdocs-material"], "material", queries[:3], timeout_ms=180_000
            )
        if baseline_search and "hugo" in sites and (sites["hugo"] / "pagefind").is_dir():
            say("  search in chromium: pagefind")
            run["search"]["pagefind"] = browser.measure_search(sites["hugo"], "pagefind", queries)
    run["checks"] = report.checks(run)
    return run


def meta(seed: int, queries: list[str]) -> dict:
    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "cpus": baselines.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "seed": seed,
        "queries": queries,
        "versions": baselines.tool_versions(),
        "targets": report.TARGETS,
        "argv": sys.argv[1:],
    }
