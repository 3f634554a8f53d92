"""python -m benchmarks --reports 1000 10000 [--units M] [--repeat 1] [--out FILE] [--pagefind-memory-cap GB] ..."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from rich.console import Console

from benchmarks import browser, growth, measure, report, synthetic
from benchmarks.baselines import BASELINE_TIMEOUT_S, PAGEFIND_MEMORY_CAP_GB, Limits
from benchmarks.measure import StepFailed
from benchmarks.ours import DEFAULT_CONFIG
from benchmarks.runner import meta, run_one, say, work_root

DEFAULT_OUT = Path("bench-results") / "bench-results.json"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Import and build N synthetic reports with report-archive and, from the same "
        "reports, with MkDocs + Material, Hugo and Pagefind; print the figures and write JSON.",
    )
    parser.add_argument("--reports", type=int, nargs="+", default=[1000, 10000], metavar="N", help="archive sizes (default: 1000 10000)")
    parser.add_argument("--units", type=int, default=None, metavar="M", help="units per archive (default: N/5)")
    parser.add_argument("--repeat", type=int, default=1, help="full builds per tool; the median is reported (default: 1)")
    parser.add_argument("--seed", type=int, default=5, help="seed of the synthetic archive (default: 5)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"JSON results (default: {DEFAULT_OUT})")
    parser.add_argument("--work", type=Path, default=None, help="folder for the archives and sites (default: the system temp folder); never inside the repository")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="site configuration for our build")
    parser.add_argument("--skip-baselines", action="store_true", help="only our pipeline")
    parser.add_argument("--skip-mkdocs", action="store_true", help="no MkDocs + Material baseline (the slowest)")
    parser.add_argument("--skip-search", action="store_true", help="no browser search figures")
    parser.add_argument("--no-baseline-search", action="store_true", help="search figures for our site only")
    parser.add_argument("--pagefind-memory-cap", type=float, default=PAGEFIND_MEMORY_CAP_GB, metavar="GB",
                        help="address space Pagefind may map (RLIMIT_AS); past it its allocations fail and that N's "
                        "Hugo + Pagefind is reported as failed; 0: no cap (default: %(default)g)")
    parser.add_argument("--step-timeout", type=float, default=None, metavar="S", help="kill a step of ours (import, a build) after S seconds; that N is reported as failed")
    parser.add_argument("--baseline-timeout", type=float, default=BASELINE_TIMEOUT_S, metavar="S",
                        help="stop a baseline step (MkDocs, Hugo, Pagefind) after S seconds and report that tool as failed; "
                        "0: no limit (default: %(default)g)")
    parser.add_argument("--queries", nargs="+", default=list(browser.DEFAULT_QUERIES), help="search queries (default: %(default)s)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if any(n < 1 for n in args.reports) or args.repeat < 1:
        raise SystemExit("--reports and --repeat must be positive")
    if args.pagefind_memory_cap < 0 or args.baseline_timeout < 0:
        raise SystemExit("--pagefind-memory-cap and --baseline-timeout must be 0 (no limit) or more")
    console = Console(width=170)
    measure.DEFAULT_TIMEOUT = args.step_timeout
    root = work_root(args.work)
    results = {"meta": meta(args.seed, args.queries), "runs": []}
    results["meta"]["work"] = str(root)
    seeds = synthetic.load_seed_text()
    report.print_header(results["meta"], console)
    status = 0
    try:
        for n in args.reports:
            try:
                run = run_one(
                    n,
                    units=args.units,
                    seed=args.seed,
                    repeat=args.repeat,
                    root=root,
                    config=args.config.resolve(),
                    queries=args.queries,
                    skip_baselines=args.skip_baselines,
                    skip_mkdocs=args.skip_mkdocs,
                    skip_search=args.skip_search,
                    baseline_search=not args.no_baseline_search,
                    seeds=seeds,
                    limits=Limits(args.pagefind_memory_cap or None, args.baseline_timeout or None),
                )
            except StepFailed as error:
                console.print(f"[red]N = {n}: a step failed[/red]\n{error}")
                results["runs"].append({"n": n, "error": str(error)})
                status = 1
                continue
            results["runs"].append(run)
            report.print_run(run, console)
            report.write_json(results, args.out)
    finally:
        # Removed only now: deleting one size's files slows the next size's steps (measure.set_aside).
        if args.keep:
            measure.remove_set_aside(root)
        else:
            say(f"removing the work folder {root}")
            shutil.rmtree(root, ignore_errors=True)
    results["growth"] = growth.growth(results["runs"])
    report.write_json(results, args.out)
    say(f"results written to {args.out}" + (f"; work folder kept at {root}" if args.keep else ""))
    growth.print_sizes(results["runs"], console)
    growth.print_growth(results["growth"], console)
    return status


if __name__ == "__main__":
    sys.exit(main())
