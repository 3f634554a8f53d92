"""Every URL and path rule of the site, in one place.

Paths are relative to the generated docs folder (MkDocs resolves and checks
the `.md` links). They are built only from ids, slugs, years and doc types
that match strict ASCII patterns, so no report text can reach a URL.
"""

from __future__ import annotations

import posixpath
import re

from generator.errors import BuildError
from generator.i18n import N_, _
from generator.model import DOC_TYPES, ID_PATTERN, MAX_YEAR, MIN_YEAR

HOME = "index.md"
UNITS_INDEX = "units/index.md"
YEARS_INDEX = "years/index.md"
TYPES_INDEX = "types/index.md"
COVERAGE = "coverage.md"
DATA = "data.md"
SEARCH = "search.md"
SEARCH_INDEX = "search"  # the index files, beside the pages
FEED = "feed.xml"
CATALOG_JSON = "catalog.json"
CATALOG_CSV = "catalog.csv"
SOURCES_DIR = "sources"  # the original files, offered as downloads
SOURCE_VIEWS_DIR = "source-views"  # each report's source lines, as pages the build makes
AS_IS_DIRS = (SOURCES_DIR, SOURCE_VIEWS_DIR)


def published_as_is(path: str) -> bool:
    """Files the build puts into the site itself, beside MkDocs: the original sources and
    their views, tens of thousands of files MkDocs need not list."""
    return path.startswith((f"{SOURCES_DIR}/", f"{SOURCE_VIEWS_DIR}/"))


REPORT_ID = N_("report id")
UNIT_SLUG = N_("unit slug")

# Original files are published under their own base name when it is plain ASCII.
SOURCE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,100}\.[A-Za-z0-9]{1,5}$")
# Suffixes every static host serves as plain text or as a download, never as a page. Any
# other original (a web page, .svg, .xml ...) is published with ".txt" added: a browser
# must never run a scraped page's scripts on the archive's own site.
INERT_SUFFIXES = frozenset({".txt", ".pdf", ".docx", ".doc"})
PLAIN_TEXT = ".txt"


def _checked_id(value: str, what: str) -> str:
    if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
        raise BuildError(
            _("{what} {value!r} cannot be used in a URL (expected lowercase ASCII id)").format(what=_(what), value=value)
        )
    return value


def report_page(report_id: str) -> str:
    return f"reports/{_checked_id(report_id, REPORT_ID)}.md"


def unit_page(slug: str) -> str:
    return f"units/{_checked_id(slug, UNIT_SLUG)}.md"


def year_page(year: int | None) -> str:
    if year is None:
        return "years/unknown.md"
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise BuildError(_("year {year!r} cannot be used in a URL").format(year=year))
    return f"years/{year}.md"


def type_page(doc_type: str) -> str:
    if doc_type not in DOC_TYPES:
        raise BuildError(_("document type {doc_type!r} cannot be used in a URL").format(doc_type=doc_type))
    return f"types/{doc_type}.md"


def source_download(file: str, sha256: str) -> str:
    """Where the original file `file` (relative to the content folder) is published.

    Plain ASCII names keep their name; others (工作总结.docx) are published under
    their content hash, so a URL never depends on how a file happened to be named.
    """
    name = posixpath.basename(file.replace("\\", "/"))
    suffix = posixpath.splitext(name)[1].lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,5}", suffix):
        raise BuildError(
            _("source file name {name!r} has no usable file type; rename the file with its type (.txt, .docx ...)").format(
                name=name
            )
        )
    published = name if SOURCE_NAME.fullmatch(name) else f"{sha256[:16]}{suffix}"
    return f"{SOURCES_DIR}/{_inert(published)}"


def download_name(name: str) -> str:
    """The name a downloaded original is saved under: its own, made inert as its URL is."""
    return _inert(name)


def _inert(name: str) -> str:
    # Case matters: a host may know ".txt" and not ".TXT".
    return name if posixpath.splitext(name)[1] in INERT_SUFFIXES else name + PLAIN_TEXT


def source_view(report_id: str) -> str:
    """The page of a report's source lines."""
    return f"{SOURCE_VIEWS_DIR}/{_checked_id(report_id, REPORT_ID)}.html"


def relative(from_page: str, target: str) -> str:
    """A link from one docs path to another, as written in the generated Markdown.

    Both are clean relative paths (no "." or ".." parts), so this is plain string work:
    posixpath.relpath would ask the operating system for the current folder every time.
    """
    source, goal = from_page.split("/")[:-1], target.split("/")
    common = 0
    while common < len(source) and common < len(goal) - 1 and source[common] == goal[common]:
        common += 1
    return "/".join([".."] * (len(source) - common) + goal[common:])


def page_url(path: str) -> str:
    """The published URL of a docs path, relative to the site root (use_directory_urls: false)."""
    if path.endswith(".md"):
        return path[: -len(".md")] + ".html"
    return path


def absolute_url(site_url: str, path: str) -> str:
    """A URL for feeds and catalogs: absolute when the site URL is known, else site-relative."""
    url = page_url(path)
    return f"{site_url.rstrip('/')}/{url}" if site_url else url
