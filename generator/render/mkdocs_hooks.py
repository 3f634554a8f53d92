"""MkDocs hooks of the generated mkdocs.yml: pages written as HTML skip Markdown.

Report and unit pages (one per report, one per unit) are HTML already
(html.py). Converting them as Markdown would take most of the build, so their
source becomes the page content as it is; the table of contents and the
anchors that MkDocs would have collected are read from our own headings.
"""

from __future__ import annotations

import re

from mkdocs.structure.toc import get_toc

from generator.render.escape import HTML_PAGE

_HEADING = re.compile(r'<h([2-4]) id="([^"]+)">(.*?)</h\1>')
_ID = re.compile(r'\sid="([^"]+)"')


def on_page_markdown(markdown, page, config, files):
    if page.meta.get(HTML_PAGE) is True:
        page.render = lambda config, files: _as_is(page, markdown)
    return markdown


def _as_is(page, html: str) -> None:
    page.content = html
    page.toc = get_toc(_toc_tokens(html))
    page.present_anchor_ids = set(_ID.findall(html))


def _toc_tokens(html: str) -> list[dict]:
    """Headings h2-h4 nested by level, as Python-Markdown's toc extension gives them."""
    root: list[dict] = []
    open_levels: list[tuple[int, list[dict]]] = [(1, root)]
    for level, anchor, title in _HEADING.findall(html):
        level = int(level)
        while open_levels[-1][0] >= level:
            open_levels.pop()
        token = {"level": level, "id": anchor, "name": title, "children": []}
        open_levels[-1][1].append(token)
        open_levels.append((level, token["children"]))
    return root
