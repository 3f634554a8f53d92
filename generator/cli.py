"""Command line: import | check | build | search | serve.

Every user-facing error is an ArchiveError: printed as `file: field: message`,
exit status 1, no traceback unless --debug.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from pathlib import Path

from generator.errors import ArchiveError


def _add_content(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content/)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="report-archive", description="Archive of trade-union reports.")
    parser.add_argument("--debug", action="store_true", help="show a traceback on errors")
    commands = parser.add_subparsers(dest="command", required=True)

    imp = commands.add_parser("import", help="import raw reports into content/reports/")
    imp.add_argument("paths", nargs="+", type=Path, help="files or folders to import")
    _add_content(imp)
    imp.add_argument("--quiet", action="store_true", help="no progress bar")

    check = commands.add_parser("check", help="validate content/")
    _add_content(check)
    check.add_argument("--review", action="store_true", help="list what needs a person's eye")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")

    build = commands.add_parser("build", help="build the site")
    _add_content(build)
    build.add_argument("--config", type=Path, default=Path("site_config.yml"))
    build.add_argument("--out", type=Path, default=Path("site"))
    build.add_argument("--timings", type=Path, help="write seconds per build stage to this JSON file")

    search = commands.add_parser("search", help="query the built site's search index")
    search.add_argument("query", help="words to find (all must occur)")
    search.add_argument("--site", type=Path, default=Path("site"), help="built site (default: site/)")

    serve = commands.add_parser("serve", help="live preview that rebuilds when content/ changes, with a review page at /_review/")
    _add_content(serve)
    serve.add_argument("--config", type=Path, default=Path("site_config.yml"))
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    return parser


def run_import(args: argparse.Namespace) -> int:
    from generator.importer.pipeline import import_paths

    summary = import_paths(args.paths, args.content, progress=not args.quiet)
    print(summary.render())
    return 1 if summary.conflicts or summary.failed else 0


def run_check(args: argparse.Namespace) -> int:
    from generator.content import check_content

    result = check_content(args.content, strict=args.strict, verify_sources=True)
    for problem in result.problems:
        print(problem, file=sys.stderr if problem.severity == "error" else sys.stdout)
    if args.review:
        for line in result.review_lines():
            print(line)
    print(result.summary_line())
    return 1 if result.failed(strict=args.strict) else 0


def run_build(args: argparse.Namespace) -> int:
    from generator.build import build_site

    result = build_site(content_dir=args.content, config_path=args.config, out_dir=args.out)
    print(result.summary_line())
    if args.timings:
        stages = dict(result.timings)
        total = stages.pop("total")
        args.timings.write_text(json.dumps({"stages": stages, "total": total}, indent=2) + "\n")
    return 0


def run_search(args: argparse.Namespace) -> int:
    from generator.search.query import open_site_index

    index = open_site_index(args.site)
    found = index.search(args.query)
    for doc in sorted(found, key=lambda d: (-found[d], d)):
        report_id, title = index.report_row(doc)[:2]
        print(f"{report_id}\t{found[doc]}\t{title}")
    print(f"{len(found)} reports", file=sys.stderr)
    return 0


def run_serve(args: argparse.Namespace) -> int:
    from generator.serve import serve

    serve(content_dir=args.content, config_path=args.config, host=args.host, port=args.port)
    return 0


COMMANDS = {
    "import": run_import,
    "check": run_check,
    "build": run_build,
    "search": run_search,
    "serve": run_serve,
}


def run() -> None:
    """The command's entry point: main(), then out at once. Every file is closed by then; what
    is left is the interpreter freeing the archive object by object, which takes a large
    build or import half a second."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ArchiveError as error:
        if args.debug:
            traceback.print_exc()
        print(f"error: {error}", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except ImportError as error:  # a required library is missing: say which, not a traceback
        if args.debug:
            traceback.print_exc()
        name = getattr(error, "name", None) or str(error)
        print(
            f"error: the library {name!r} is missing or broken; "
            "reinstall the project's dependencies (pip install -e .)",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except OSError as error:  # a folder that cannot be written, a disk that is full ...
        if args.debug:
            traceback.print_exc()
        where = f"{error.filename}: " if error.filename else ""
        print(
            f"error: {where}{error.strerror or error}; check that the folder exists, "
            "that you may write to it and that the disk is not full",
            file=sys.stderr,
        )
        return 1
    except Exception as error:  # a bug: still one clear line, the traceback only with --debug
        if args.debug:
            traceback.print_exc()
        print(
            f"error: unexpected {type(error).__name__}: {error}; this is a bug in report-archive. "
            "Run the command again with --debug (report-archive --debug ...) and send the output to the maintainers",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
