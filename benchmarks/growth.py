"""How our figures grow with the archive: every size in one table, and each stage's growth.

`growth(runs)` turns the runs of one benchmark into plain data (kept in the JSON, so two
benchmarks can be compared); `print_sizes` and `print_growth` print it. A stage's growth
factor per report at N is (value at N ÷ N) ÷ (value at the smallest N ÷ the smallest N):
1.00× grows as the archive does, above it faster.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

# Our build's stages as `report-archive build --timings` names them, in the order they run;
# search_index runs beside taxonomy..mkdocs in a process of its own.
STAGES = ("load", "taxonomy", "render", "write", "mkdocs", "search_index", "search_wait")
REFERENCE_N = 10_000  # the issue states its targets for 10,000 reports
FASTER = 1.10  # a growth factor per report above this is shown as growing faster than the archive
NO_RATIO = "–"


def _ok_runs(runs: list[dict]) -> list[dict]:
    return sorted((run for run in runs if "error" not in run), key=lambda run: run["n"])


def _metrics(run: dict) -> dict[str, tuple[float | None, float | None]]:
    """(seconds, peak MB of the process tree) of each measured part of one run."""
    ours = run["ours"]
    build = ours["build"]
    stages = build.get("stages") or {}
    memory = build.get("stage_peak_mb") or {}
    rows = {"import": (ours["import"]["seconds"], ours["import"]["peak_rss_mb"])}
    for name in (*STAGES, *(k for k in stages if k not in STAGES)):
        rows[name] = (stages.get(name), memory.get(name))
    rows["total"] = (build["seconds"], build["peak_rss_mb"])
    incremental = ours["incremental"]
    rows["edit one report"] = (incremental["seconds"], incremental.get("peak_rss_mb"))
    rows["peak memory (all steps)"] = (None, ours["peak_rss_mb"])
    return rows


def per_report(values: dict[str, float | None], base_n: int) -> dict[str, float | None]:
    """Growth factor per report at each N (keys are N as text, as in the JSON) against base_n."""
    base = values.get(str(base_n))
    factors: dict[str, float | None] = {}
    for n, value in values.items():
        if int(n) == base_n:
            continue
        factors[n] = round((value / int(n)) / (base / base_n), 3) if value is not None and base else None
    return factors


def growth(runs: list[dict]) -> dict:
    """Per measured part: seconds and MB at each N and their growth per report; and the issue's figures."""
    ok = _ok_runs(runs)
    if not ok:
        return {"sizes": [], "base_n": None, "stages": [], "figures": {}}
    base_n = ok[0]["n"]
    by_run = {str(run["n"]): _metrics(run) for run in ok}
    names = list(dict.fromkeys(name for metrics in by_run.values() for name in metrics))
    stages = []
    for name in names:
        seconds = {n: metrics.get(name, (None, None))[0] for n, metrics in by_run.items()}
        memory = {n: metrics.get(name, (None, None))[1] for n, metrics in by_run.items()}
        stages.append({
            "name": name,
            "seconds": seconds,
            "memory_mb": memory,
            "seconds_per_report": per_report(seconds, base_n),
            "memory_per_report": per_report(memory, base_n),
        })
    return {"sizes": [run["n"] for run in ok], "base_n": base_n, "stages": stages, "figures": _figures(ok)}


def _figures(ok: list[dict]) -> dict:
    """The figures the issue asks for, at every N."""
    reference = next((run for run in ok if run["n"] == REFERENCE_N), ok[0])
    largest = ok[-1]
    build_per_report = {
        "n": largest["n"],
        "reference_n": reference["n"],
        "seconds_per_report": round(largest["ours"]["build"]["seconds"] / largest["n"], 6),
        "reference_seconds_per_report": round(reference["ours"]["build"]["seconds"] / reference["n"], 6),
    }
    build_per_report["factor"] = round(
        build_per_report["seconds_per_report"] / build_per_report["reference_seconds_per_report"], 3
    )
    return {
        "build_per_report": build_per_report,
        "peak_memory_mb": {str(run["n"]): run["ours"]["peak_rss_mb"] for run in ok},
        "edit": {
            str(run["n"]): {"seconds": run["ours"]["incremental"]["seconds"],
                            "share_of_full_build": run["ours"]["incremental"]["ratio_to_full"]}
            for run in ok
        },
        "import": {
            str(run["n"]): {"mb_per_s": run["ours"]["import"]["mb_per_s"],
                            "raw_mb": round(run["ours"]["import"]["raw_bytes"] / 1024 / 1024, 2),
                            "seconds": run["ours"]["import"]["seconds"]}
            for run in ok
        },
    }


# --- printing ------------------------------------------------------------------


def _num(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _factor(value: float | None) -> str:
    if value is None:
        return "—"
    text = f"{value:.2f}× per report"
    return f"[bold red]{text}[/bold red]" if value > FASTER else text


def reference_cell(run: dict) -> tuple[str, str]:
    """The Hugo + Pagefind cell and the ratio cell of one run ("–" when there is no reference)."""
    reference = (run.get("baselines") or {}).get("hugo+pagefind")
    if not reference:
        return "not run", NO_RATIO
    if reference.get("failed"):
        return f"[red]failed: {reference['failed']}[/red]", NO_RATIO
    ours = run["ours"]["build"]["seconds"]
    return f"{reference['seconds']:,.2f} s", f"{ours / reference['seconds']:.2f}" if reference["seconds"] else NO_RATIO


def print_sizes(runs: list[dict], console: Console) -> None:
    """One row per N: import, build, peak memory, the Hugo + Pagefind reference and our ratio to it."""
    table = Table(title="All sizes: ours (wall s; peak memory of the whole process tree) beside Hugo + Pagefind")
    for column in ("reports", "import", "import MB/s", "build", "peak RSS (tree)", "Hugo + Pagefind", "ratio"):
        table.add_column(column, justify="left" if column == "Hugo + Pagefind" else "right")
    for run in sorted(runs, key=lambda run: run["n"]):
        if "error" in run:
            reason = run["error"].splitlines()[0]
            table.add_row(f"{run['n']:,}", f"[red]failed: {reason}[/red]", "", "", "", "", NO_RATIO)
            continue
        ours = run["ours"]
        table.add_row(
            f"{run['n']:,}",
            f"{_num(ours['import']['seconds'], 2)} s",
            _num(ours["import"]["mb_per_s"], 2),
            f"{_num(ours['build']['seconds'], 2)} s",
            f"{_num(ours['peak_rss_mb'], 0)} MB",
            *reference_cell(run),
        )
    console.print(table)


def print_growth(data: dict, console: Console) -> None:
    """Each stage's seconds and memory at every N, and how it grows per report against the smallest N."""
    sizes, base_n = data["sizes"], data["base_n"]
    if len(sizes) < 2:
        console.print("  growth: needs two sizes or more (--reports N1 N2 ...)")
        return
    later = [n for n in sizes if n != base_n]
    table = Table(title=f"Growth: per report against N = {base_n:,} "
                  f"(1.00× grows as the archive does; above {FASTER:.2f}× in red); MB = peak of the process tree")
    table.add_column("stage")
    for n in sizes:
        table.add_column(f"s @{n:,}", justify="right")
    for n in sizes:
        table.add_column(f"MB @{n:,}", justify="right")
    for n in later:
        table.add_column(f"time @{n:,}", justify="right")
    for n in later:
        table.add_column(f"memory @{n:,}", justify="right")
    for stage in data["stages"]:
        table.add_row(
            stage["name"],
            *(_num(stage["seconds"].get(str(n)), 2) for n in sizes),
            *(_num(stage["memory_mb"].get(str(n)), 0) for n in sizes),
            *(_factor(stage["seconds_per_report"].get(str(n))) for n in later),
            *(_factor(stage["memory_per_report"].get(str(n))) for n in later),
        )
    console.print(table)
    for line in growth_lines(data):
        console.print(f"  {line}")


def growth_lines(data: dict) -> list[str]:
    """The issue's figures in words, and which stages grow faster than the archive."""
    figures = data["figures"]
    build = figures["build_per_report"]
    lines = [
        f"full build per report at {build['n']:,}: {build['seconds_per_report'] * 1000:.2f} ms, "
        f"{build['factor']:.2f}× the {build['reference_n']:,} figure ({build['reference_seconds_per_report'] * 1000:.2f} ms)",
        "peak memory of the whole process tree (import, builds, edit): "
        + " · ".join(f"{int(n):,}: {mb:,.0f} MB" for n, mb in figures["peak_memory_mb"].items()),
        "edit one report and rebuild: "
        + " · ".join(f"{int(n):,}: {e['seconds']:.2f} s ({_share(e['share_of_full_build'])} of the full build)"
                     for n, e in figures["edit"].items()),
        "import speed (raw bytes ÷ import seconds): "
        + " · ".join(f"{int(n):,}: {i['mb_per_s']:.2f} MB/s ({i['raw_mb']:.1f} MB in {i['seconds']:.1f} s)"
                     for n, i in figures["import"].items()),
    ]
    faster = [
        f"{stage['name']} ({kind} {max(v for v in factors.values() if v is not None):.2f}×)"
        for stage in data["stages"]
        for kind, factors in (("time", stage["seconds_per_report"]), ("memory", stage["memory_per_report"]))
        if any(v is not None and v > FASTER for v in factors.values())
    ]
    lines.append("grows faster than the archive: " + (", ".join(faster) if faster else "nothing"))
    return lines


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"
