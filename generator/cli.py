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
from generator.i18n import LANGUAGES, N_, Messages, _, activate, ngettext, system_reason

MESSAGES = Messages({
    "search_row": N_("{id}\t{matches}\t{title}"),
    "search_count": N_("{count} reports"),
    "search_from_entries": N_("no search index in {site}/ yet: answered from the entries in {content}/ "
    "('report-archive build' makes the site's index)"),
    "search_nothing": N_("no search index in {site}/ and no content folder {content}/ here; run report-archive "
    "from the archive's folder (the one holding content/), or pass --site or --content"),
})


CONFIG_HELP = N_("site configuration (default: site_config.yml)")
# argparse's own words a user meets (its help and its errors about the command line); it looks
# them up with gettext, here in our catalogue (see _argparse_in_our_language).
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("options"),
    N_("positional arguments"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
)


def _add_content(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"), help=_("content folder (default: content/)"))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="report-archive", description=_("Archive of trade-union reports."))
    parser.add_argument("--debug", action="store_true", help=_("show a traceback on errors"))
    parser.add_argument(
        "--lang", choices=LANGUAGES, help=_("language of the messages (default: the locale's, zh or en)")
    )
    commands = parser.add_subparsers(dest="command", required=True)

    imp = commands.add_parser("import", help=_("import raw reports into content/reports/"))
    imp.add_argument("paths", nargs="+", type=Path, help=_("files or folders to import"))
    _add_content(imp)
    imp.add_argument("--quiet", action="store_true", help=_("no progress bar"))

    check = commands.add_parser("check", help=_("validate content/"))
    _add_content(check)
    check.add_argument("--review", action="store_true", help=_("list what needs a person's eye"))
    check.add_argument("--strict", action="store_true", help=_("treat warnings as errors"))

    build = commands.add_parser("build", help=_("build the site"))
    _add_content(build)
    build.add_argument("--config", type=Path, default=Path("site_config.yml"), help=_(CONFIG_HELP))
    build.add_argument("--out", type=Path, default=Path("site"), help=_("where the site goes (default: site/)"))
    build.add_argument("--timings", type=Path, help=_("write seconds per build stage to this JSON file"))

    search = commands.add_parser("search", help=_("query the built site's search index, or the entries before a build"))
    search.add_argument("query", help=_("words to find (all must occur)"))
    search.add_argument("--site", type=Path, default=Path("site"), help=_("built site (default: site/)"))
    _add_content(search)
    search.add_argument("--entries", action="store_true", help=_("answer from the entries in the content folder, not the built site"))

    serve = commands.add_parser("serve", help=_("live preview that rebuilds when content/ changes, with a review page at /_review/"))
    _add_content(serve)
    serve.add_argument("--config", type=Path, default=Path("site_config.yml"), help=_(CONFIG_HELP))
    serve.add_argument("--host", default="127.0.0.1", help=_("address to serve on (default: 127.0.0.1, this machine only)"))
    serve.add_argument("--port", type=int, default=8000, help=_("port to serve on (default: 8000)"))
    return parser


def run_import(args: argparse.Namespace) -> int:
    from generator.importer.pipeline import import_paths

    summary = import_paths(args.paths, args.content, progress=not args.quiet)
    print(summary.render())
    return 1 if summary.conflicts or summary.failed else 0


def run_check(args: argparse.Namespace) -> int:
    from generator.content import check_content
    from generator.search.golden import check_pins

    result = check_content(args.content, strict=args.strict, verify_sources=True)
    if not result.failed():  # a pinned report that did not load would seem gone
        result.problems += check_pins(args.content, result.reports, result.organizations)
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
    from generator.search.query import has_index, open_site_index

    if args.entries or not has_index(args.site):
        return _search_entries(args)
    index = open_site_index(args.site)
    found = index.ranked(args.query)
    for doc, matches in found:
        report_id, title = index.report_row(doc)[:2]
        print(MESSAGES["search_row"].format(id=report_id, matches=matches, title=title))
    print(MESSAGES["search_count"].format(count=len(found)), file=sys.stderr)
    return 0


def _search_entries(args: argparse.Namespace) -> int:
    from generator.search.plain import entries_search

    if not args.content.is_dir():
        raise ArchiveError(MESSAGES["search_nothing"].format(site=args.site, content=args.content))
    plain = entries_search(args.content)
    found = plain.search(args.query)
    for report_id in sorted(found, key=lambda r: (-found[r], r)):
        print(MESSAGES["search_row"].format(id=report_id, matches=found[report_id], title=plain.titles[report_id]))
    if not args.entries:
        print(MESSAGES["search_from_entries"].format(site=args.site, content=args.content), file=sys.stderr)
    print(MESSAGES["search_count"].format(count=len(found)), file=sys.stderr)
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


def _language(argv: list[str] | None) -> str | None:
    """--lang, read before the parser is made: its help is in that language too."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--lang")
    known, _rest = early.parse_known_args(argv)
    return known.lang if known.lang in LANGUAGES else None


def _argparse_in_our_language() -> None:
    """argparse translates through the gettext functions it imported as its module's `_` and
    `ngettext`; pointed at ours, its usage line and errors follow --lang and the locale."""
    argparse._ = _
    argparse.ngettext = ngettext


def main(argv: list[str] | None = None) -> int:
    activate(_language(argv))
    _argparse_in_our_language()
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ArchiveError as error:
        if args.debug:
            traceback.print_exc()
        print(_("error: {message}").format(message=error), file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except ImportError as error:  # a required library is missing: say which, not a traceback
        if args.debug:
            traceback.print_exc()
        name = getattr(error, "name", None) or str(error)
        print(
            _(
                "error: the library {name!r} is missing or broken; "
                "reinstall the project's dependencies (pip install -e .)"
            ).format(name=name),
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print(_("interrupted"), file=sys.stderr)
        return 130
    except OSError as error:  # a folder that cannot be written, a disk that is full ...
        if args.debug:
            traceback.print_exc()
        where = _("{file}: ").format(file=error.filename) if error.filename else ""
        print(
            _(
                "error: {where}{problem}; check that the folder exists, "
                "that you may write to it and that the disk is not full"
            ).format(where=where, problem=system_reason(error)),
            file=sys.stderr,
        )
        return 1
    except Exception as error:  # a bug: still one clear line, the traceback only with --debug
        if args.debug:
            traceback.print_exc()
        print(
            _(
                "error: unexpected {kind}: {problem}; this is a bug in report-archive. Run the command "
                "again with --debug (report-archive --debug ...) and send the output to the maintainers"
            ).format(kind=type(error).__name__, problem=error),
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
