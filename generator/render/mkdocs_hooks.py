"""MkDocs hooks of the generated mkdocs.yml: what scales with the archive skips MkDocs' slow paths.

Report and unit pages (one per report, one per unit) and the year and type
lists are HTML already (html.py). Converting them as Markdown would take most of the build, so their
source becomes the page content as it is; the table of contents and the
anchors that MkDocs would have collected are read from our own headings.

The published source files are hard-linked into the site instead of copied:
the build folder never rewrites a file in place (writer.py), so a link stays
what it was when the site was built.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from mkdocs.structure.toc import get_toc

from generator import links
from generator.render.escape import HTML_PAGE

_linked: list[tuple[str, str]] = []  # (source, destination) of this build's source files


def on_files(files, config):
    _linked.clear()
    for file in list(files):
        if file.src_uri.startswith(f"{links.SOURCES_DIR}/") and not file.is_documentation_page():
            _linked.append((file.abs_src_path, file.abs_dest_path))
            files.remove(file)
    return files


def on_post_build(config):
    for source, destination in _linked:
        Path(destination).parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, destination)
        except OSError:  # another file system, or no hard links there
            shutil.copyfile(source, destination)
    _linked.clear()

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
