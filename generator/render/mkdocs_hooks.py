"""MkDocs hooks of the generated mkdocs.yml: what scales with the archive skips MkDocs' slow paths.

Report and unit pages (one per report, one per unit) and the year and type
lists are HTML already (html.py). Converting them as Markdown would take most of the build, so their
source becomes the page content as it is; the table of contents and the
anchors that MkDocs would have collected are read from our own headings.

The published source files and their views are not MkDocs' to list: the build links them into
the site itself (writer.mirror_links), and an update leaves them to it.

An update (build.py) runs MkDocs in its dirty mode on a copy of the published
site made of hard links. Every file MkDocs is about to write (the files its own
`File.is_modified()` finds newer than their copy) is removed from the copy first,
so it writes a new file instead of writing through a link into the live site;
what the build no longer makes is removed at the end.

Every HTML page MkDocs writes is minified (minify.py), so an update writes the
same bytes as a full build.

MkDocs holds every page's content from reading it until all pages are written: at archive
scale, gigabytes. The pages written as HTML hold a marker instead, and their text is read again
from the docs folder when their page is written (on_post_page).
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

import jinja2
from mkdocs.structure.toc import get_toc
from mkdocs.utils.meta import YAML_RE

from generator import links
from generator.render.escape import HTML_PAGE
from generator.render.minify import minified
from generator.state import TEMPLATES_DIR

_outputs: set[str] = set()  # every file this build's site holds, when updating a copy


def on_files(files, config):
    _outputs.clear()
    site = Path(config.site_dir)
    if any(site.iterdir()):  # an update: the copy of the published site is there
        _make_room(files, config, site)
    return files


def _make_room(files, config, site: Path) -> None:
    written = [site / name for name in config.theme.static_templates]
    written += [path.with_name(path.name + ".gz") for path in written]
    for file in files:
        # A file removed here stays modified when MkDocs asks again; an unmodified one is untouched.
        if file.is_modified():
            written.append(Path(file.abs_dest_path))
        _outputs.add(file.abs_dest_path)
    _outputs.update(str(path) for path in written)
    for path in written:
        path.unlink(missing_ok=True)


def on_env(env, config, files):
    # The theme's templates compiled once, not at every build (a tenth of a second each time).
    folder = Path(config.config_file_path).parent / TEMPLATES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
    return env


def on_template_context(context, template_name, config):
    # MkDocs gives an error page absolute links ("/assets/...") when there is no site URL,
    # which break under a sub-path: relative ones instead, resolved by the page (theme/404.html).
    if template_name == "404.html" and not config.site_url:
        context["base_url"] = "."
    return context


# A page under one of these folders is in that section of the nav: its entry is marked.
_SECTIONS = {"units/": links.UNITS_INDEX, "years/": links.YEARS_INDEX, "types/": links.TYPES_INDEX}
_marked: list = []  # nav entries marked for the page being rendered


def on_page_context(context, page, config, nav):
    folder = page.file.src_uri.partition("/")[0] + "/"
    section = _SECTIONS.get(folder)
    if section and section != page.file.src_uri:
        for entry in nav.pages:
            if entry.file.src_uri == section:
                entry.active = True
                _marked.append(entry)
    return context


def on_post_page(output, page, config):
    for entry in _marked:
        entry.active = False
    _marked.clear()
    if page.content in _MARKERS:
        output = output.replace(page.content, _body(page.file.content_string), 1)
    return minified(output)


def on_post_template(output_content, template_name, config):
    # The theme's own pages (404.html), not sitemap.xml.
    return minified(output_content) if template_name.endswith(".html") else output_content


def on_post_build(config):
    if _outputs:
        _remove_stale(Path(config.site_dir), _outputs)
        _outputs.clear()


def _remove_stale(site: Path, outputs: set[str]) -> None:
    """Files of the copied site that this build did not make (pages of removed reports).
    The published sources and their views are the build's to keep or remove (writer.mirror_links)."""
    as_is = tuple(os.path.join(site, folder) for folder in links.AS_IS_DIRS)
    inside = tuple(folder + os.sep for folder in as_is)
    for folder, dirs, names in os.walk(site, topdown=False):
        if folder in as_is or folder.startswith(inside):
            continue
        for name in names:
            path = os.path.join(folder, name)
            if path not in outputs:
                os.unlink(path)
        for name in dirs:
            if os.path.join(folder, name) not in as_is:
                with contextlib.suppress(OSError):
                    os.rmdir(os.path.join(folder, name))  # only once empty

_HEADING = re.compile(r'<h([2-4]) id="([^"]+)">(.*?)</h\1>')
_ID = re.compile(r'\sid="([^"]+)"')


def on_page_markdown(markdown, page, config, files):
    if page.meta.get(HTML_PAGE) is True:
        page.render = lambda config, files: _as_is(page, markdown)
    return markdown


# What a page written as HTML holds until it is written; the theme adds a title to a page
# whose content has no "<h1", so the marker has one where the page does.
_MARKER, _MARKER_WITH_TITLE = "<!--report-archive:page-->", "<!--report-archive:page <h1-->"
_MARKERS = (_MARKER, _MARKER_WITH_TITLE)


def _as_is(page, html: str) -> None:
    page.toc = get_toc(_toc_tokens(html))
    page.present_anchor_ids = set(_ID.findall(html))
    page.content = _MARKER_WITH_TITLE if "<h1" in html else _MARKER
    page.markdown = ""  # its title is in its metadata
    del page.render  # the text it holds


def _body(source: str) -> str:
    """The page's text without its front matter, as MkDocs reads it (mkdocs.utils.meta)."""
    found = YAML_RE.match(source)
    return source[found.end() :].lstrip("\n") if found else source


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
