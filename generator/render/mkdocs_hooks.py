"""MkDocs hooks of the generated mkdocs.yml: what scales with the archive skips MkDocs' slow paths.

Report and unit pages (one per report, one per unit) and the year and type
lists are HTML already (html.py). Converting them as Markdown would take most of the build, so their
source becomes the page content as it is; the table of contents and the
anchors that MkDocs would have collected are read from our own headings.

The published source files are hard-linked into the site instead of copied:
the build folder never rewrites a file in place (writer.py), so a link stays
what it was when the site was built.

An update (build.py) runs MkDocs in its dirty mode on a copy of the published
site made of hard links. Every file MkDocs is about to write is removed from the
copy first, so it writes a new file instead of writing through a link into the
live site; what the build no longer makes is removed at the end.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from pathlib import Path

import jinja2
from mkdocs.structure.toc import get_toc

from generator import links
from generator.render.escape import HTML_PAGE
from generator.update import CACHE_DIR

_linked: list[tuple[str, str]] = []  # (source, destination) of this build's source files
_outputs: set[str] = set()  # every file this build's site holds, when updating a copy


def on_files(files, config):
    _linked.clear()
    _outputs.clear()
    for file in list(files):
        if file.src_uri.startswith(f"{links.SOURCES_DIR}/") and not file.is_documentation_page():
            _linked.append((file.abs_src_path, file.abs_dest_path))
            files.remove(file)
    site = Path(config.site_dir)
    if any(site.iterdir()):  # an update: the copy of the published site is there
        _make_room(files, config, site)
    return files


def _make_room(files, config, site: Path) -> None:
    written = [site / name for name in config.theme.static_templates]
    written += [path.with_name(path.name + ".gz") for path in written]
    for file in files:
        modified = file.is_modified()  # MkDocs' own test of what its dirty mode writes again
        file.is_modified = lambda modified=modified: modified  # MkDocs asks again: same answer, no stat
        if modified:
            written.append(Path(file.abs_dest_path))
        _outputs.add(file.abs_dest_path)
    _outputs.update(str(path) for path in written)
    _outputs.update(destination for _, destination in _linked)
    for path in written:
        path.unlink(missing_ok=True)


def on_env(env, config, files):
    # The theme's templates compiled once, not at every build (a tenth of a second each time).
    folder = Path(config.config_file_path).parent / CACHE_DIR / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
    return env


def on_post_build(config):
    linked = _Links()
    for source, destination in _linked:
        if linked.already(source, destination):
            continue
        target = Path(destination)
        if target.exists():
            if os.path.samefile(source, target):
                continue
            target.unlink()
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:  # another file system, or no hard links there
            shutil.copyfile(source, target)
    _linked.clear()
    if _outputs:
        _remove_stale(Path(config.site_dir), _outputs)
        _outputs.clear()


class _Links:
    """Which destinations are links to their sources already (an update's copy of the site
    holds the last build's links), told by one listing of each folder instead of asking
    about every file."""

    def __init__(self) -> None:
        self._inodes: dict[str, dict[str, int]] = {}
        self._devices: dict[str, int | None] = {}

    def already(self, source: str, destination: str) -> bool:
        source_folder, source_name = os.path.split(source)
        folder, name = os.path.split(destination)
        if self._device(source_folder) is None or self._device(source_folder) != self._device(folder):
            return False  # inode numbers can only be compared on one file system
        inode = self._listing(folder).get(name)
        return inode is not None and inode == self._listing(source_folder).get(source_name)

    def _device(self, folder: str) -> int | None:
        if folder not in self._devices:
            try:
                self._devices[folder] = os.stat(folder).st_dev
            except OSError:
                self._devices[folder] = None
        return self._devices[folder]

    def _listing(self, folder: str) -> dict[str, int]:
        """Regular files (not links) by name, with their inode numbers."""
        if folder not in self._inodes:
            try:
                with os.scandir(folder) as entries:
                    self._inodes[folder] = {e.name: e.inode() for e in entries if e.is_file(follow_symlinks=False)}
            except OSError:
                self._inodes[folder] = {}
        return self._inodes[folder]


def _remove_stale(site: Path, outputs: set[str]) -> None:
    """Files of the copied site that this build did not make (pages of removed reports)."""
    for folder, dirs, names in os.walk(site, topdown=False):
        for name in names:
            path = os.path.join(folder, name)
            if path not in outputs:
                os.unlink(path)
        for name in dirs:
            with contextlib.suppress(OSError):
                os.rmdir(os.path.join(folder, name))  # only once empty

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
