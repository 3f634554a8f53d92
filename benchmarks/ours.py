"""Our pipeline, as a user runs it: `report-archive import`, then `report-archive build`."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.measure import (
    Step,
    breakdown,
    median,
    python_command,
    run_step,
    set_aside,
    stage_peaks,
    tree_size,
)
from generator.yamlio import dump, load, write_atomic

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CONFIG = ROOT / "site_config.yml"
# Stages of --timings: the site (MkDocs), the search index (built in a process of its own,
# beside the others: its seconds overlap theirs) and the wait for it at the end.
SITE_STAGES = ("mkdocs",)
SEARCH_STAGES = ("search_index", "golden_queries", "search_write")
PARALLEL_WAIT = ("search_wait",)
EDIT_MARK = "（本段已由编辑修订。）"


@dataclass
class BuildRun:
    step: Step
    stages: dict[str, float] = field(default_factory=dict)
    total: float | None = None  # as the build itself reports it
    clock_end: float | None = None  # seconds into the step when the build's clock stopped

    def stage_memory(self) -> dict[str, float | None]:
        """Peak MB of the process tree while each stage ran (sampled)."""
        end = self.clock_end if self.clock_end is not None else self.step.seconds
        return stage_peaks(self.step.samples, stage_windows(self.stages, self.total, end))

    def as_dict(self) -> dict:
        return {"step": self.step.as_dict(), "stages": self.stages, "total": self.total,
                "clock_end_s": None if self.clock_end is None else round(self.clock_end, 3),
                "stage_peak_mb": self.stage_memory()}


def stage_windows(stages: dict[str, float], total: float | None, clock_end: float) -> dict[str, tuple[float, float]]:
    """When each stage ran, in seconds since the build process started.

    The build reports durations only. Its clock stops `clock_end` seconds in (when it writes its
    timings) and started `total` seconds before; the main stages follow one another in the order
    reported (a stage met twice is reported once, summed), and the search index is built beside
    them, from the end of the taxonomy on."""
    if not stages or total is None:
        return {}
    start = max(0.0, clock_end - total)
    windows: dict[str, tuple[float, float]] = {}
    for name, seconds in stages.items():
        if name in SEARCH_STAGES:
            continue
        windows[name] = (start, start + seconds)
        start += seconds
    search_start = windows.get("taxonomy", (0.0, max(0.0, clock_end - total)))[1]
    for name in SEARCH_STAGES:
        if name in stages:
            windows[name] = (search_start, search_start + stages[name])
            search_start += stages[name]
    return windows


def split_stages(stages: dict[str, float]) -> dict[str, float | None]:
    """generate / site / search index seconds out of the stages the build reports."""
    if not stages:  # the build failed before writing its timings
        return {"generate": None, "site": None, "search_index": None}
    generate = sum(v for k, v in stages.items() if k not in SITE_STAGES + SEARCH_STAGES + PARALLEL_WAIT)
    return {
        "generate": generate,
        "site": sum(stages.get(k, 0.0) for k in SITE_STAGES),
        "search_index": sum(stages.get(k, 0.0) for k in SEARCH_STAGES),
    }


def run_import(raw: Path, content: Path, logs: Path) -> Step:
    set_aside(content)
    return run_step(
        "ours-import",
        python_command("-m", "generator", "import", str(raw), "--content", str(content), "--quiet"),
        log_dir=logs,
    )


def run_build(content: Path, config: Path, site: Path, logs: Path, name: str) -> BuildRun:
    timings_file = logs / f"{name}-timings.json"
    timings_file.unlink(missing_ok=True)
    command = python_command(
        "-m", "generator", "build", "--content", str(content), "--config", str(config), "--out", str(site),
        "--timings", str(timings_file),
    )
    step = run_step(name, command, log_dir=logs)
    run = BuildRun(step)
    if timings_file.is_file():
        data = json.loads(timings_file.read_text(encoding="utf-8"))
        run.stages = {k: float(v) for k, v in (data.get("stages") or {}).items()}
        run.total = data.get("total")
        run.clock_end = timings_file.stat().st_mtime - step.started_at
    return run


def reset_site(site: Path) -> None:
    """A full build: no site and no build folder left from an earlier run."""
    for folder in (site, site.parent / ".build" / site.name):
        set_aside(folder)


def edit_one_report(content: Path) -> str:
    """A curator's edit: one paragraph of one report (the middle one by id) changes."""
    files = sorted((content / "reports").glob("*.yml"))
    path = files[len(files) // 2]
    data = load(path.read_text(encoding="utf-8"))
    blocks = data.get("lead") or []
    target = next((i for i, block in enumerate(blocks) if isinstance(block, str)), None)
    if target is not None:
        blocks[target] = blocks[target] + EDIT_MARK
    else:
        section = data["sections"][0]
        section["paragraphs"] = [*(section.get("paragraphs") or []), EDIT_MARK]
    write_atomic(path, dump(data))
    return path.stem


def median_report_page(site: Path) -> int | None:
    sizes = sorted(p.stat().st_size for p in (site / "reports").glob("*.html")) if (site / "reports").is_dir() else []
    return sizes[len(sizes) // 2] if sizes else None


def search_index_size(site: Path) -> dict[str, int]:
    """The search files our site publishes (under search/)."""
    size, files = tree_size(site / "search") if (site / "search").is_dir() else (0, 0)
    return {"bytes": size, "files": files}


def run_ours(raw: Path, raw_bytes: int, work: Path, config: Path, repeat: int, logs: Path) -> dict:
    content = work / "content"
    site = work / "site"
    imported = run_import(raw, content, logs)
    entries = len(list((content / "reports").glob("*.yml")))
    builds: list[BuildRun] = []
    for number in range(max(1, repeat)):
        reset_site(site)
        builds.append(run_build(content, config, site, logs, f"ours-build-{number + 1}"))
    edited = edit_one_report(content)
    incremental = run_build(content, config, site, logs, "ours-build-incremental")
    site_bytes, site_files = tree_size(site)
    full_s = median(b.step.seconds for b in builds)
    parts = [split_stages(b.stages) for b in builds]
    return {
        "import": {
            "step": imported.as_dict(),
            "seconds": round(imported.seconds, 3),
            "peak_rss_mb": round(imported.peak_rss_mb, 1),
            "raw_bytes": raw_bytes,
            "mb_per_s": round(raw_bytes / 1024 / 1024 / imported.seconds, 3),
            "entries": entries,
        },
        "build": {
            "runs": [b.as_dict() for b in builds],
            "seconds": round(full_s, 3),
            "peak_rss_mb": round(max(b.step.peak_rss_mb for b in builds), 1),
            "generate_s": _round(median(p["generate"] for p in parts)),
            "site_s": _round(median(p["site"] for p in parts)),
            "search_index_s": _round(median(p["search_index"] for p in parts)),
            "stages": {k: _round(median(b.stages.get(k) for b in builds)) for k in builds[0].stages},
            "stage_peak_mb": _median_stage_memory(builds),
        },
        "incremental": {
            "edited": edited,
            "run": incremental.as_dict(),
            "seconds": round(incremental.step.seconds, 3),
            "peak_rss_mb": round(incremental.step.peak_rss_mb, 1),
            "ratio_to_full": round(incremental.step.seconds / full_s, 3) if full_s else None,
        },
        "site": {
            "bytes": site_bytes,
            "mb": round(site_bytes / 1024 / 1024, 2),
            "files": site_files,
            "page_bytes": median_report_page(site),
            "search_index": search_index_size(site),
            "breakdown": breakdown(site),
        },
        "total_s": round(imported.seconds + full_s, 3),
        "peak_rss_mb": round(max(imported.peak_rss_mb, *(b.step.peak_rss_mb for b in builds), incremental.step.peak_rss_mb), 1),
    }


def _median_stage_memory(builds: list[BuildRun]) -> dict[str, float | None]:
    peaks = [b.stage_memory() for b in builds]
    return {k: _round(median(p.get(k) for p in peaks), 1) for k in peaks[0]}


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)
