"""The tables printed for one N (ours beside the baselines, with ratios) and the targets of issue 5."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

KB = 1024
MB = 1024 * 1024

# Targets of issue 5, stated for 10,000 reports (checked at every N all the same).
TARGETS = {
    "build_vs_hugo_pagefind": 1.5,  # full build time ÷ (Hugo build + Pagefind index)
    "incremental_share": 0.10,  # rebuild after one edit ÷ full build
    "peak_rss_mb": 1024.0,
    "site_vs_hugo": 1.5,  # our site's bytes ÷ Hugo's output
    "page_kb": 60.0,
    "import_mb_s": 5.0,
    "search_kb": 300.0,
    "search_cold_ms": 500.0,
    "search_warm_ms": 50.0,
}
TARGET_N = 10_000


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def checks(run: dict) -> list[dict]:
    """Every target: our figure, what it is compared with, PASS/MISS (None: not measured)."""
    ours = run["ours"]
    base = run.get("baselines", {})
    hugo = base.get("hugo") or {}
    reference = base.get("hugo+pagefind") or {}
    search = (run.get("search") or {}).get("ours") or {}
    out = []

    def add(name, value, target, unit, compare="<=", reference_text=""):
        ok = None if value is None else (value <= target if compare == "<=" else value >= target)
        out.append({"name": name, "value": value, "target": target, "unit": unit, "compare": compare,
                    "reference": reference_text, "ok": ok})

    full = ours["build"]["seconds"]
    add("full build ÷ (Hugo + Pagefind)", _ratio(full, reference.get("seconds")), TARGETS["build_vs_hugo_pagefind"], "×",
        reference_text=_reference_text(full, reference))
    add("edit one report: rebuild ÷ full build", ours["incremental"]["ratio_to_full"], TARGETS["incremental_share"], "×",
        reference_text=f"{ours['incremental']['seconds']:.1f} s vs {full:.1f} s")
    add("peak RSS (import, build)", ours["peak_rss_mb"], TARGETS["peak_rss_mb"], "MB")
    add("site size ÷ Hugo's output", _ratio(ours["site"]["bytes"], hugo.get("output_bytes")), TARGETS["site_vs_hugo"], "×",
        reference_text=f"{ours['site']['mb']:.1f} MB vs {hugo['output_mb']:.1f} MB" if hugo.get("output_bytes") else "no baseline")
    page = ours["site"]["page_bytes"]
    add("one report page", page / KB if page else None, TARGETS["page_kb"], "KB")
    imported = ours["import"]
    step = imported.get("step") or {}
    # The import's CPU, split: system time is mostly the file system making the sources and entries.
    cpu = f"; CPU user {step['user_s']:.1f} s, system {step['system_s']:.1f} s" if "user_s" in step else ""
    add("import speed", imported["mb_per_s"], TARGETS["import_mb_s"], "MB/s", compare=">=",
        reference_text=f"{imported['raw_bytes'] / MB:.1f} MB in {imported['seconds']:.1f} s{cpu}")
    cold_bytes = search.get("cold_bytes")
    add("search bytes, cold query (median)", cold_bytes / KB if cold_bytes is not None else None, TARGETS["search_kb"], "KB",
        reference_text=f"gzip {search['cold_gzip_bytes'] / KB:.0f} KB" if search.get("cold_gzip_bytes") is not None else "")
    def own(phase):
        value, complete = search.get(f"{phase}_page_ms"), search.get(f"{phase}_complete_ms")
        with_snippets = f"; with every snippet {complete:.0f} ms" if complete is not None else ""
        return with_snippets + (f"; the page's own figure {value:.0f} ms" if value is not None else "")

    add("search cold query (median)", search.get("cold_ms"), TARGETS["search_cold_ms"], "ms",
        reference_text=f"input to results, {search.get('front_end')}{own('cold')}" if search else "not measured")
    add("search warm query (median)", search.get("warm_ms"), TARGETS["search_warm_ms"], "ms",
        reference_text=f"input to results{own('warm')}" if search else "not measured")
    return out


def _reference_text(full: float, reference: dict) -> str:
    if reference.get("failed"):
        return f"Hugo + Pagefind failed: {reference['failed']}"
    return f"{full:.1f} s vs {reference['seconds']:.1f} s" if reference.get("seconds") else "no baseline"


def _fmt(value, digits: int = 1, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, int) and not digits:
        return f"{value:,}{unit}"
    return f"{value:,.{digits}f}{unit}"


def _rows(run: dict) -> list[tuple[str, dict]]:
    ours = run["ours"]
    search = run.get("search") or {}
    rows = [(
        "ours",
        {
            "seconds": ours["build"]["seconds"],
            "peak_rss_mb": ours["build"]["peak_rss_mb"],
            "output_bytes": ours["site"]["bytes"],
            "files": ours["site"]["files"],
            "page_bytes": ours["site"]["page_bytes"],
            "search": search.get("ours"),
        },
    )]
    for name in ("mkdocs-material", "hugo", "pagefind", "hugo+pagefind"):
        data = (run.get("baselines") or {}).get(name)
        if data:
            key = {"mkdocs-material": "mkdocs-material", "hugo+pagefind": "pagefind"}.get(name)
            rows.append((name, {**data, "search": search.get(key) if key else None}))
    return rows


def print_run(run: dict, console: Console) -> None:
    n = run["n"]
    ours = run["ours"]
    raw = run["raw"]
    console.print(
        f"\n[bold]{n:,} reports[/bold] over {run['units']:,} units · {raw['files']:,} raw files, "
        f"{raw['bytes'] / MB:.1f} MB ({raw['exact_duplicates']} exact + {raw['near_duplicates']} near duplicates, "
        f"{raw['traditional']} Traditional) · {ours['import']['entries']:,} entries imported · "
        f"Markdown for the baselines {run.get('markdown_bytes', 0) / MB:.1f} MB · repeat {run['repeat']}"
    )
    table = Table(title=f"Build at N = {n:,} (wall s median of {run['repeat']}; peak memory of the process tree)", show_lines=False)
    for column in ("tool", "build s", "peak RSS MB", "output MB", "files", "page KB",
                   "search cold ms", "warm ms", "cold KB", "time ours÷this", "size ours÷this"):
        table.add_column(column, justify="left" if column == "tool" else "right")
    our_s = ours["build"]["seconds"]
    our_bytes = ours["site"]["bytes"]
    for name, row in _rows(run):
        search = row.get("search") or {}
        table.add_row(
            f"{name} [red]failed[/red]" if row.get("failed") else name,
            _fmt(row.get("seconds"), 2),
            _fmt(row.get("peak_rss_mb"), 0),
            *_output_cells(row, search),
            _fmt(_ratio(our_s, row.get("seconds")), 2) if name != "ours" else "",
            _fmt(_ratio(our_bytes, row.get("output_bytes")), 2) if name != "ours" else "",
        )
    console.print(table)

    detail = Table(title="Ours, step by step")
    for column in ("import s", "import MB/s", "import RSS MB", "generate s", "site s", "search-index s",
                   "build s", "total s", "edit+rebuild s", "peak RSS MB"):
        detail.add_column(column, justify="right")
    build = ours["build"]
    detail.add_row(
        _fmt(ours["import"]["seconds"], 2),
        _fmt(ours["import"]["mb_per_s"], 2),
        _fmt(ours["import"]["peak_rss_mb"], 0),
        _fmt(build.get("generate_s"), 2),
        _fmt(build.get("site_s"), 2),
        _fmt(build.get("search_index_s"), 2),
        _fmt(build["seconds"], 2),
        _fmt(ours["total_s"], 2),
        _fmt(ours["incremental"]["seconds"], 2),
        _fmt(ours["peak_rss_mb"], 0),
    )
    console.print(detail)
    parts = ours["site"].get("breakdown") or {}
    if parts:
        console.print("  our site by folder (MB): " + ", ".join(f"{k} {v / MB:.1f}" for k, v in parts.items()))
    if build.get("stages"):
        memory = build.get("stage_peak_mb") or {}
        console.print("  build stages (s, peak MB of the process tree while it ran): " + ", ".join(
            f"{k} {v:.2f} s {_fmt(memory.get(k), 0)} MB" for k, v in build["stages"].items() if v is not None
        ))

    targets = Table(title=f"Targets of issue 5 (stated for {TARGET_N:,} reports)")
    for column in ("figure", "ours", "target", "", "detail"):
        targets.add_column(column, justify="left" if column in ("figure", "detail") else "right")
    for check in run["checks"]:
        verdict = "—" if check["ok"] is None else ("[green]PASS[/green]" if check["ok"] else "[red]MISS[/red]")
        digits = {"×": 3, "MB/s": 2}.get(check["unit"], 1)
        targets.add_row(
            check["name"],
            _fmt(check["value"], digits, f" {check['unit']}"),
            f"{check['compare']} {check['target']:g} {check['unit']}",
            verdict,
            check["reference"],
        )
    console.print(targets)
    for where, data in (run.get("search") or {}).items():
        if data and data.get("queries"):
            print_queries(where, data, console)
    for where, data in (run.get("search") or {}).items():
        if data and data.get("errors"):
            console.print(f"  [yellow]search {where}: {len(data['errors'])} failed queries: {data['errors'][:3]}[/yellow]")
    for note in run.get("notes", []):
        console.print(f"  note: {note}")


def print_queries(where: str, search: dict, console: Console) -> None:
    """Per query: cold (fresh page) and warm (after another query) figures."""
    table = Table(title=f"Search per query: {where} ({search['front_end']}); ms in the page from input to results, "
                  "all = until every snippet is in, page = the page's own figure, wall = from Python")
    for column in ("query", "results", "cold ms", "all ms", "page ms", "wall ms", "cold KB", "gzip KB",
                   "warm ms", "all ms ", "page ms ", "wall ms ", "warm KB", "error"):
        table.add_column(column, justify="left" if column in ("query", "error") else "right")
    by_query: dict[str, dict[str, dict]] = {}
    for row in search["queries"]:
        by_query.setdefault(row["query"], {})[row["phase"]] = row
    for query, phases in by_query.items():
        cold, warm = phases.get("cold") or {}, phases.get("warm") or {}
        table.add_row(
            query,
            _fmt((cold or warm).get("total"), 0),
            _fmt(cold.get("ms"), 0),
            _fmt(cold.get("complete_ms"), 0),
            _fmt(cold.get("page_ms"), 0),
            _fmt(cold.get("wall_ms"), 0),
            _fmt(cold["bytes"] / KB if cold else None, 0),
            _fmt(cold["gzip_bytes"] / KB if cold else None, 0),
            _fmt(warm.get("ms"), 0),
            _fmt(warm.get("complete_ms"), 0),
            _fmt(warm.get("page_ms"), 0),
            _fmt(warm.get("wall_ms"), 0),
            _fmt(warm["bytes"] / KB if warm else None, 0),
            "; ".join(filter(None, (cold.get("error"), warm.get("error")))),
        )
    console.print(table)


def print_header(meta: dict, console: Console) -> None:
    console.print(
        f"[bold]report-archive benchmark[/bold] · {meta['cpus']} CPUs · Python {meta['python']} · seed {meta['seed']} · "
        + " · ".join(f"{k} {v}" for k, v in meta.get("versions", {}).items() if v)
    )


def write_json(results: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _output_cells(row: dict, search: dict) -> list[str]:
    """Output MB, files, page KB and the search figures of one tool's row."""
    return [
        _fmt((row.get("output_bytes") or 0) / MB, 1),
        _fmt(row.get("files"), 0),
        _fmt(row["page_bytes"] / KB if row.get("page_bytes") else None, 1),
        _fmt(search.get("cold_ms"), 0),
        _fmt(search.get("warm_ms"), 0),
        _fmt(search["cold_bytes"] / KB if search.get("cold_bytes") is not None else None, 0),
    ]
