"""Injection: report text is shown as text in the built site, never run, never included.

One site is built for the whole module (tests/hostile_site.py): the sample content plus one
entry per kind of payload (tests/hostile/injection/reports/), with the payloads in the title,
the unit's name, the organisation, the place, the lead, headings, paragraphs and table cells.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from hostile_site import SNIPPET_SECRET, article, hostile_sample, markup_leaks, visible


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return hostile_sample(tmp_path_factory)


def report(site, case: str) -> tuple[str, str]:
    """(whole page, the text a reader sees in the page's article) of one hostile entry."""
    page = (site.site / "reports" / f"{case}.html").read_text(encoding="utf-8")
    return page, visible(article(page))


def assert_shown(text: str, *payloads: str) -> None:
    for payload in payloads:
        for line in payload.split("\n"):  # paragraphs keep their lines; blank lines go
            assert line.strip() in text, line


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def tags(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def foreign_tags(html: str) -> list[tuple[str, dict[str, str]]]:
    """Tags but the page's own parts (an archive-* class: the contents, the cite box)."""
    return [(t, a) for t, a in tags(html) if not (a.get("class") or "").startswith("archive-")]


def test_no_payload_becomes_markup_on_any_page(site):
    pages = sorted(site.site.rglob("*.html"))
    assert len(pages) > 30
    leaks = {p.relative_to(site.site).as_posix(): markup_leaks(p.read_text(encoding="utf-8")) for p in pages}
    assert {page: found for page, found in leaks.items() if found} == {}


def test_script_tags_are_shown_as_text(site):
    page, text = report(site, "inj-script")
    assert_shown(
        text,
        "<script>alert('INJ-script')</script>",
        "<SCRIPT SRC=//evil.example/INJ.js></SCRIPT>",
        "<scr<script>ipt>alert('INJ-nested')</scr</script>ipt>",
    )
    assert not [t for t, _ in tags(article(page)) if t == "script"]
    assert "<title>&lt;script&gt;alert(" in page  # the page title is escaped too


def test_iframes_objects_and_embeds_are_shown_as_text(site):
    page, text = report(site, "inj-iframe")
    assert_shown(text, '<iframe src="https://evil.example/INJ"></iframe>', '<embed src="INJ.swf">')
    assert not [t for t, _ in tags(article(page)) if t in ("iframe", "object", "embed")]


def test_event_handler_attributes_are_shown_as_text(site):
    page, text = report(site, "inj-event-handlers")
    assert_shown(text, "<img src=x onerror=alert('INJ-img')>", "<svg onload=alert('INJ-svg')>")
    handlers = [(t, a) for t, attrs in tags(page) for a in attrs if a.startswith("on")]
    assert handlers == []


def test_javascript_and_data_links_are_not_links(site):
    page, text = report(site, "inj-links")
    assert_shown(
        text,
        "[点我](javascript:alert('INJ-js'))",
        "<a href=\"javascript:alert('INJ-a')\">链接</a>",
        "[数据](data:text/html;base64,SU5KLWRhdGE=)",
        "<https://evil.example/INJ-autolink>",
        "[evil]: javascript:alert('INJ-ref')",
    )
    targets = [a.get("href", a.get("src", "")) for _, a in tags(page) if "href" in a or "src" in a]
    bad = [t for t in targets if re.match(r"\s*(javascript|data|vbscript):", t, re.I) or "evil.example" in t]
    assert bad == []


def test_raw_html_blocks_are_shown_as_text(site):
    page, text = report(site, "inj-raw-html")
    assert_shown(
        text,
        '<div markdown="1">**INJ-bold**</div>',
        "<details open><summary>INJ-details</summary>隐藏</details>",
        "<style>body { display: none } /* INJ-style */</style>",
        "<!-- INJ-comment -->",
        "&lt;script&gt;INJ-entities&lt;/script&gt;",  # entities stay as typed, not decoded into a tag
    )
    body = article(page)
    assert not [t for t, _ in foreign_tags(body) if t in ("details", "summary", "form", "input", "style")]
    assert "<strong>INJ" not in body


def test_jinja_expressions_and_statements_are_not_evaluated(site):
    page, text = report(site, "inj-jinja")
    assert_shown(
        text,
        "{{ 7*191 }} 与 {{ config }}",
        "{% for x in range(3) %}INJ-loop{% endfor %}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{# INJ-comment #} {% raw %} {% endraw %}",
    )
    assert "INJ-loopINJ-loop" not in text.replace(" ", "")
    for path in site.site.rglob("*.html"):
        assert "1337" not in visible(path.read_text(encoding="utf-8")), path  # 7*191


def test_snippet_includes_do_not_read_local_files(site):
    page, text = report(site, "inj-snippets")
    assert_shown(
        text,
        '--8<-- "tests/hostile/injection/snippet-secret.txt"',
        '--8<-- "/etc/passwd"',
        '--8<-- "../../../../../../etc/hostname"',
    )
    for folder in (site.site, site.docs):
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                assert SNIPPET_SECRET.encode() not in data and b"root:x:0:0" not in data, path


def test_admonitions_are_shown_as_text(site):
    page, text = report(site, "inj-admonitions")
    assert_shown(text, '!!! danger "INJ-admonition"', '??? note "INJ-collapsible"', "!!! note inline end")
    found = [(t, a) for t, a in foreign_tags(article(page)) if "admonition" in a.get("class", "") or t == "details"]
    assert found == []


def test_attribute_lists_are_shown_as_text(site):
    page, text = report(site, "inj-attribute-lists")
    assert_shown(
        text,
        "段落 {: #inj-evil .md-hidden onclick=\"alert('INJ-attr')\" }",
        '{: style="display:none" data-inj="INJ-style" }',
        "标题 {#inj-heading}",
    )
    found = [
        (t, a)
        for t, a in tags(article(page))
        if a.get("id") in ("inj-evil", "inj-heading") or "style" in a or "md-hidden" in a.get("class", "")
    ]
    assert found == []


def test_hostile_unit_name_and_place_are_shown_as_text(site):
    page = (site.site / "units" / "inj-unit.html").read_text(encoding="utf-8")
    text = visible(article(page))
    assert "<script>alert('INJ-unit')</script>{{ 7*191 }}工会" in text
    assert "<img src=x onerror=alert('INJ-place')>" in text
    assert markup_leaks(page) == []


def test_feed_and_catalog_carry_payloads_as_data(site):
    feed = ET.fromstring((site.site / "feed.xml").read_bytes())  # well-formed: nothing broke out
    titles = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert "<script>alert('INJ-script')</script> 的报告" in titles
    assert "<script" not in (site.site / "feed.xml").read_text(encoding="utf-8")
