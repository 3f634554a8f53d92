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


def _summarize(runs: list[baselines.ToolRun]) -> dict:
    """The median run, or the failure when a run failed (a tool is not run again after one)."""
    failed = next((run for run in runs if run.failed), None)
    if failed is None:
        return _median_run(runs)
    return {**failed.as_dict(), "seconds": None, "failed_at_s": round(failed.step.seconds, 1)}


def _combined(hugo_runs: list[baselines.ToolRun], pagefind_runs: list[baselines.ToolRun], public: Path) -> dict:
    """Hugo's build plus Pagefind's index, the reference of issue 5; failed if either failed."""
    steps = [run.step for run in (*hugo_runs, *pagefind_runs) if run.step]
    peak = max((step.peak_rss_mb for step in steps), default=None)
    failed = next((run for run in (*hugo_runs, *pagefind_runs) if run.failed), None)
    if failed is not None or not pagefind_runs:
        why = f"{failed.name}: {failed.failed}" if failed else "hugo: no build"
        return {"name": "hugo+pagefind", "seconds": None, "failed": why, "peak_rss_mb": peak}
    sums = [h.step.seconds + p.step.seconds for h, p in zip(hugo_runs, pagefind_runs)]
    public_bytes, public_files = tree_size(public)
    return {
        "name": "hugo+pagefind",
        "seconds": round(median(sums), 3),
        "runs_s": [round(s, 3) for s in sums],
        "peak_rss_mb": peak,
        "output_bytes": public_bytes,
        "output_mb": round(public_bytes / 1024 / 1024, 2),
        "files": public_files,
        "page_bytes": hugo_runs[0].page_bytes,
    }


def _run_hugo_and_pagefind(
    exported: baselines.Exported, project: Path, repeat: int, logs: Path, with_pagefind: bool, limits: baselines.Limits
) -> tuple[list[baselines.ToolRun], list[baselines.ToolRun]]:
    """Hugo's builds and Pagefind's index of each; stops at the first failure."""
    baselines.write_hugo_project(exported, project)
    hugo_runs: list[baselines.ToolRun] = []
    pagefind_runs: list[baselines.ToolRun] = []
    for number in range(repeat):
        say(f"  hugo build {number + 1}/{repeat}")
        hugo = baselines.build_hugo(project, logs, limits)
        hugo_runs.append(hugo)
        if hugo.failed:
            say(f"  [red]hugo failed: {hugo.failed}[/red]")
            break
        if with_pagefind:
            cap = f" (memory cap {limits.pagefind_memory_cap_gb:g} GB)" if limits.pagefind_memory_cap_gb else ""
            say(f"  pagefind index {number + 1}/{repeat}{cap}")
            pagefind = baselines.build_pagefind(hugo.output, logs, limits)
            pagefind_runs.append(pagefind)
            if pagefind.failed:
                say(f"  [red]pagefind failed: {pagefind.failed}[/red]")
                break
    return hugo_runs, pagefind_runs


def run_baselines(
    content: Path, work: Path, repeat: int, logs: Path, skip_mkdocs: bool, limits: baselines.Limits = baselines.DEFAULT_LIMITS
) -> tuple[dict, dict, list[str]]:
    """Figures per tool, the folders to search (by search front end), and notes."""
    notes: list[str] = []
    exported = baselines.export_reports(content)
    have = baselines.available()
    results: dict[str, dict] = {"markdown": {"reports": len(exported.reports), "bytes": exported.bytes}}
    sites: dict[str, Path] = {}
    if not skip_mkdocs:
        project = work / "mkdocs"
        baselines.write_mkdocs_project(exported, project)
        mkdocs_runs = []
        for number in range(repeat):
            say(f"  mkdocs + material build {number + 1}/{repeat}")
            mkdocs_runs.append(baselines.build_mkdocs(project, logs, limits))
            if mkdocs_runs[-1].failed:
                say(f"  [red]mkdocs + material failed: {mkdocs_runs[-1].failed}[/red]")
                break
        results["mkdocs-material"] = _summarize(mkdocs_runs)
        if not mkdocs_runs[-1].failed:
            sites["mkdocs-material"] = project / "site"
    if not have["hugo"]:
        notes.append("hugo is not installed (apt-get install hugo): no Hugo or Pagefind figures")
        return results, sites, notes
    project = work / "hugo"
    hugo_runs, pagefind_runs = _run_hugo_and_pagefind(
        exported, project, repeat, logs, have["pagefind"], limits
    )
    results["hugo"] = _summarize(hugo_runs)
    if pagefind_runs:
        results["pagefind"] = _summarize(pagefind_runs)
    if have["pagefind"]:
        results["hugo+pagefind"] = _combined(hugo_runs, pagefind_runs, project / "public")
        if not results["hugo+pagefind"].get("failed"):
            sites["pagefind"] = project / "public"
        else:
            notes.append(f"Hugo + Pagefind failed at N = {len(exported.reports):,}: {results['hugo+pagefind']['failed']}")
        if not baselines.pagefind_is_extended():
            notes.append("pagefind is not the extended binary: Chinese is not segmented")
    else:
        notes.append("pagefind is not installed (pip install 'pagefind[extended]'): no Hugo + Pagefind reference")
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
    limits: baselines.Limits,
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
        base, sites, notes = run_baselines(
            work / "ours" / "content", work / "baselines", repeat, logs, skip_mkdocs, limits
        )
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
        if baseline_search and "pagefind" in sites:
            say("  search in chromium: pagefind")
            run["search"]["pagefind"] = browser.measure_search(sites["pagefind"], "pagefind", queries)
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
