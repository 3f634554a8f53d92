"""Shared helpers for the site tests: one sample build per session, link checks, a local server."""

from __future__ import annotations

import contextlib
import functools
import posixpath
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from browser import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: F401 - shared with the browser tests
from generator.build import BuildResult, build_folder, build_site

TESTS = Path(__file__).parent
REPO = TESTS.parent
FIXTURE_CONTENT = TESTS / "fixtures" / "site_content"
GOLDENS = TESTS / "goldens" / "site"


def write_config(folder: Path, text: str | None = None, **show: object) -> Path:
    """A site_config.yml in `folder` that uses the project's theme."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "site_config.yml"
    if text is None:
        lines = [
            "site_name: 测试档案馆",
            "site_description: 测试用的小档案。",
            f"theme_dir: {REPO / 'theme'}",
        ]
        if show:
            lines.append("show:")
            lines += [
                f"  {key}: {str(value).lower() if isinstance(value, bool) else value}"
                for key, value in show.items()
            ]
        text = "\n".join(lines) + "\n"
    path.write_text(text, encoding="utf-8")
    return path


@dataclass(frozen=True)
class SampleSite:
    site: Path
    docs: Path
    result: BuildResult


def build_sample(root: Path, content: Path = FIXTURE_CONTENT) -> SampleSite:
    config = write_config(root)
    out = root / "site"
    result = build_site(content_dir=content, config_path=config, out_dir=out)
    return SampleSite(out, build_folder(out) / "docs", result)


@functools.cache
def _shared(root: Path) -> SampleSite:
    return build_sample(root)


def shared_sample(tmp_path_factory) -> SampleSite:
    """The fixture content built once per test session, whichever module asks first."""
    return _shared(tmp_path_factory.getbasetemp() / "shared-sample")


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.refs.append(value)
            if name in ("id", "name") and value:
                self.ids.add(value)


def _parse(path: Path) -> _Refs:
    parser = _Refs()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def check_links(site: Path) -> tuple[list[str], list[str]]:
    """(broken internal links, external links) over every href/src of site/**/*.html."""
    broken, external = [], []
    parsed = {p: _parse(p) for p in sorted(site.rglob("*.html"))}
    for page, refs in parsed.items():
        for ref in refs.refs:
            parts = urlsplit(ref)
            if parts.scheme or parts.netloc:
                external.append(f"{page.relative_to(site)}: {ref}")
                continue
            target = _resolve(site, page, unquote(parts.path))
            if target is None or not target.is_file():
                broken.append(f"{page.relative_to(site)}: {ref}")
            elif parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else _parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page.relative_to(site)}: {ref} (no such anchor)")
    return broken, external


def _resolve(site: Path, page: Path, path: str) -> Path | None:
    if not path:
        return page
    if path.startswith("/"):
        joined = posixpath.normpath(path.lstrip("/"))
    else:
        joined = posixpath.normpath(posixpath.join(page.parent.relative_to(site).as_posix(), path))
    if joined.startswith(".."):
        return None
    target = site / joined
    return target / "index.html" if path.endswith("/") or target.is_dir() else target


@contextlib.contextmanager
def serve_folder(folder: Path):
    """Serve `folder` on 127.0.0.1 (a free port) in a thread; yields the base URL."""
    with serve(folder) as base:
        yield f"{base}/"


def foreign_requests(requests: list[str]) -> list[str]:
    """Requests that left 127.0.0.1 (the site must work offline)."""
    return [
        url
        for url in requests
        if urlsplit(url).hostname not in ("127.0.0.1",) and not url.startswith(("data:", "blob:"))
    ]
