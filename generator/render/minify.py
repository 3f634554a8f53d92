"""Every HTML page the build writes, minified: Material's templates leave about a sixth of
a page as indentation.

The options keep a page valid and parsed to the same document: closing tags and the
<html> and <head> opening tags stay, attribute values lose their quotes only where the
standard allows it, and scripts and styles are left as they are (Material's are minified
already, and <script id="__config"> holds JSON). Comments are dropped.

minify-html turns every run of whitespace in a text into one space, and drops whitespace
between blocks, as a browser would when showing them, with one exception: Firefox drops a
line break between two Chinese characters where Chrome shows a space (CSS Text 3, segment
breaks). A line break between two non-ASCII characters of a text is kept as it is.

The <title> is kept as it is too: minify-html writes its text unescaped (valid, as only
</title> can end it, but a reader that does not know that would find tags in a report's
title) and lowercases a "</TITLE" in it. So is an escaped "<" in an attribute value (a
report's title in its citation_title meta tag), which minify-html would write as it is.
"""

from __future__ import annotations

import re

import minify_html

# Private-use characters hold the place of what is kept: the build drops them from every
# text it shows (escape.py).
_KEPT_BREAK = "\ue000"
_KEPT_TITLE = "\ue001"
_KEPT_LT = "\ue002"
# A line break after a non-ASCII character and before one, in a text: the next angle
# bracket opens a tag (in a tag, it would close it).
_WIDE_BREAK = re.compile(r"\n(?<=[^\x00-\x7f]\n)(?=[ \t]*[^\x00-\x7f][^<>]*<)")
_TITLE = re.compile(r"<title>([^<]*)</title>")


def minified(html: str) -> str:
    if any(kept in html for kept in (_KEPT_BREAK, _KEPT_TITLE, _KEPT_LT)):  # only from a setting: the page stays as it is
        return html
    html = html.replace("&lt;", _KEPT_LT)
    title = _TITLE.search(html)
    if title:
        html = html[: title.start(1)] + _KEPT_TITLE + html[title.end(1) :]
    smaller = minify_html.minify(
        _WIDE_BREAK.sub(_KEPT_BREAK, html),
        keep_closing_tags=True,
        keep_html_and_head_opening_tags=True,
        minify_css=False,
        minify_js=False,
    )
    if title:
        smaller = smaller.replace(_KEPT_TITLE, title.group(1), 1)
    return smaller.replace(_KEPT_BREAK, "\n").replace(_KEPT_LT, "&lt;")
