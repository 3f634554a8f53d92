"""The hostile sample site: the sample content plus every hostile entry of tests/hostile/,
built once per test session, and oracles that tell shown text from injected markup.

Every injected payload carries the marker INJ. Shown as text, it is harmless; found in a
tag's attributes, in a script or style element or in an HTML comment, it was injected.
"""

from __future__ import annotations

import functools
import html as html_lib
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

from site_fixtures import FIXTURE_CONTENT, SampleSite, build_sample

HOSTILE = Path(__file__).parent / "hostile"
SNIPPET_SECRET = "SNIPPET-SECRET-7f3a"


def hostile_content(folder: Path) -> Path:
    content = folder / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    for part in ("injection", "unicode"):
        for path in sorted((HOSTILE / part / "reports").glob("*.yml")):
            shutil.copy(path, content / "reports" / path.name)
    registry = content / "organizations.yml"
    extra = (HOSTILE / "injection" / "organizations-extra.yml").read_text(encoding="utf-8")
    registry.write_text(registry.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return content


@functools.cache
def _hostile(root: Path) -> SampleSite:
    return build_sample(root, hostile_content(root))


def hostile_sample(tmp_path_factory) -> SampleSite:
    """Built once per session, whichever module asks first."""
    return _hostile(tmp_path_factory.getbasetemp() / "hostile-sample")


_TEXT_META = re.compile(r"description|citation_[a-z_]+")


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.leaks: list[str] = []
        self._raw: str | None = None  # inside <script> or <style>

    def handle_starttag(self, tag, attrs):
        text_meta = tag == "meta" and _TEXT_META.fullmatch(dict(attrs).get("name") or "")
        for name, value in attrs:
            if text_meta and name == "content":
                continue  # a page's description and citation are its text, as an attribute's value
            if "inj" in name.lower() or "INJ" in (value or ""):
                self.leaks.append(f"<{tag} {name}={value!r}>")
        if tag in ("script", "style"):
            self._raw = tag

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self._raw = None

    def handle_endtag(self, tag):
        if tag == self._raw:
            self._raw = None

    def handle_data(self, data):
        if self._raw and "INJ" in data:
            self.leaks.append(f"<{self._raw}>{data[:80]}")

    def handle_comment(self, data):
        if "INJ" in data:
            self.leaks.append(f"<!--{data[:80]}-->")


def markup_leaks(page: str) -> list[str]:
    """Every place where a payload became markup instead of text."""
    parser = _Markup()
    parser.feed(page)
    parser.close()
    return parser.leaks


def article(page: str) -> str:
    """The page's own content, without Material's header, sidebars and footer."""
    return page[page.index("<article") : page.index("</article>")]


def visible(page: str) -> str:
    """The text a reader sees (tags become spaces, character references are decoded)."""
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))
