"""The original web page's address, where the input names it: a page's canonical link or
og:url, or a line such as `来源：http://…`, `原文地址：…`, `URL: …` (left out of the text as
page chrome, clean.py). Only http and https addresses are kept (model.unusable_url)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from generator.importer.clean import SOURCE_LABEL
from generator.model import unusable_url

# A labelled address alone on its line; the address in the ASCII characters a URL is written with.
_LABELLED = re.compile(SOURCE_LABEL + r"((?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+)\s*$")
_TRAILING = ".,;:!?)'"


def usable(url: str) -> str | None:
    """`url` as an entry keeps it, or None: a bare `www.` gets http://, trailing punctuation goes."""
    url = url.strip().rstrip(_TRAILING)
    if url.lower().startswith("www."):
        url = "http://" + url
    return None if unusable_url(url) else url


def from_line(text: str) -> str | None:
    match = _LABELLED.match(text.strip())
    return usable(match.group(1)) if match else None


def from_page(page) -> str | None:
    """A parsed page's own address: <link rel=canonical>, else <meta property="og:url">."""
    for link in page.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            found = usable(link.get("href") or "")
            if found:
                return found
    for meta in page.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").strip().lower() == "og:url":
            found = usable(meta.get("content") or "")
            if found:
                return found
    return None


def for_segments(spans: Sequence[tuple[int, int]], lines: Sequence[tuple[int, str]]) -> list[str | None]:
    """The address of each segment (first, last line) from labelled lines (line, text): a line
    belongs to the segment it lies in, else to the nearest one (a tie to the one after it, as a
    page's address is more often written above its text than below)."""
    found: list[str | None] = [None] * len(spans)
    if not spans:
        return found
    for line, text in sorted(lines):
        url = from_line(text)
        if url is None:
            continue
        nearest = min(range(len(spans)), key=lambda i: (_distance(line, spans[i]), spans[i][0] < line))
        found[nearest] = found[nearest] or url
    return found


def _distance(line: int, span: tuple[int, int]) -> int:
    first, last = span
    return first - line if line < first else max(0, line - last)
