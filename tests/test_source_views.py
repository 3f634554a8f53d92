"""Published sources: each report's lines as an escaped UTF-8 page, originals only as inert
downloads, and the original page's address (source_url) found, validated and shown."""

from __future__ import annotations

import html as html_lib
import json
import re

import lxml.html
import pytest
import yaml
from pydantic import ValidationError

from format_fixtures import TABLE_ROWS, build_docx, build_html, build_pdf
from generator import links
from generator.build import build_site
from generator.importer import source_url
from generator.importer.pipeline import import_paths
from generator.model import Report, Source
from site_fixtures import tree_bytes, write_config
from source_fixtures import (
    CANONICAL,
    GB_LINES,
    GB_NAME,
    GB_URL,
    PAGE_NAME,
    build_hostile_archive,
    published_sources,
)

SHA = "ab" * 32


def attributes(html: str, tag: str) -> list[dict[str, str]]:
    return [dict(element.attrib) for element in lxml.html.fromstring(html).iter(tag)]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return build_hostile_archive(tmp_path_factory.mktemp("hostile-sources"))


# ---- finding the address ----


def _page(head: str):
    return lxml.html.document_fromstring(f"<html><head>{head}</head><body><p>正文</p></body></html>")


def test_address_from_canonical_link_before_og_url():
    page = _page('<meta property="og:url" content="https://a.example/og"><link rel="Canonical" href="https://a.example/c">')
    assert source_url.from_page(page) == "https://a.example/c"


def test_address_from_og_url_when_no_usable_canonical():
    page = _page('<link rel="canonical" href="/relative/page.html"><meta property="og:url" content="http://b.example/x?id=3">')
    assert source_url.from_page(page) == "http://b.example/x?id=3"


def test_no_address_from_other_schemes():
    page = _page('<link rel="canonical" href="javascript:alert(1)"><meta property="og:url" content="data:text/html,x">')
    assert source_url.from_page(page) is None


@pytest.mark.parametrize(
    ("line", "address"),
    [
        ("来源：http://www.example.cn/a/2019/1.html", "http://www.example.cn/a/2019/1.html"),
        ("原文地址: https://example.com/p?id=7&x=1", "https://example.com/p?id=7&x=1"),
        ("URL: https://example.com/report.", "https://example.com/report"),
        ("网址：www.example.gov.cn/gh/12.html", "http://www.example.gov.cn/gh/12.html"),
        ("本文链接：https://example.com/x\u3000", "https://example.com/x"),
        ("来源：工人日报", None),
        ("来源：javascript:alert(1)", None),
        ("我们访问了 http://example.com 的网站", None),
    ],
)
def test_address_from_a_labelled_line(line, address):
    assert source_url.from_line(line) == address


def test_a_labelled_line_belongs_to_the_report_it_is_nearest():
    spans = [(3, 10), (14, 20)]
    lines = [(2, "来源：http://a.example/1"), (12, "来源：http://a.example/2"), (30, "一般的行")]
    assert source_url.for_segments(spans, lines) == ["http://a.example/1", "http://a.example/2"]


def test_source_url_is_validated_and_optional():
    body = {"id": "r-1", "title": "某工会工作总结", "lead": ["正文"], "sources": [{"file": "sources/a.txt", "lines": [1, 2], "sha256": SHA}]}
    assert Report.model_validate(body).source_url is None
    assert Report.model_validate({**body, "source_url": "https://x.example/a"}).source_url == "https://x.example/a"
    for bad in ("javascript:alert(1)", "ftp://x.example/a", "https://x.example/a b", 'https://x.example/"><script>', "https://"):
        with pytest.raises(ValidationError, match="source_url"):
            Report.model_validate({**body, "source_url": bad})


# ---- where originals are published ----


@pytest.mark.parametrize(
    ("file", "published"),
    [
        ("sources/a01.txt", "sources/a01.txt"),
        ("sources/report.docx", "sources/report.docx"),
        ("sources/scan.pdf", "sources/scan.pdf"),
        ("sources/page.html", "sources/page.html.txt"),
        ("sources/page.HTM", "sources/page.HTM.txt"),
        ("sources/notes.md", "sources/notes.md.txt"),
        ("sources/pic.svg", "sources/pic.svg.txt"),
        ("sources/工作总结.html", f"sources/{SHA[:16]}.html.txt"),
        ("sources/工作总结.txt", f"sources/{SHA[:16]}.txt"),
    ],
)
def test_originals_are_never_published_as_markup(file, published):
    assert links.source_download(file, SHA) == published


def test_the_name_a_file_arrived_with():
    assert Source(file=f"sources/报告-{SHA[:8]}.txt", lines=(1, 2), sha256=SHA).arrived_name == "报告.txt"
    assert Source(file="sources/报告-12345678.txt", lines=(1, 2), sha256=SHA).arrived_name == "报告-12345678.txt"


# ---- the built site ----


def test_no_published_source_is_markup(archive):
    files = published_sources(archive.site)
    views = [p for p in files if p.parent.name == "source-views"]
    originals = [p for p in files if p.parent.name == "sources"]
    assert len(views) == 3 and len(originals) == 3
    assert all(p.suffix in (".txt", ".docx", ".doc", ".pdf") for p in originals)
    for view in views:
        html = view.read_text(encoding="utf-8")
        tree = lxml.html.fromstring(html)
        assert tree.xpath("//script | //img | //svg | //iframe | //object | //embed") == []
        assert not any(name.startswith("on") for el in tree.iter() if isinstance(el.tag, str) for name in el.attrib)
        assert "default-src 'none'" in html  # no script could run even if one got in


def test_hostile_page_view_shows_its_text_escaped(archive):
    entry = archive.entries[PAGE_NAME]
    view = (archive.site / links.source_view(entry["id"])).read_text(encoding="utf-8")
    assert '&lt;script&gt;alert(&#34;text&#34;)&lt;/script&gt;' in view
    assert f"<dd>{PAGE_NAME}</dd>" in view
    assert {"download": PAGE_NAME + ".txt", "href": f"../sources/{entry['sources'][0]['sha256'][:16]}.html.txt"} in attributes(view, "a")


def test_gb18030_view_is_utf8_and_numbered_as_the_entry(archive):
    entry = archive.entries[GB_NAME]
    assert entry["sources"][0]["lines"] == [3, 9]
    data = (archive.site / links.source_view(entry["id"])).read_bytes()
    html = data.decode("utf-8")  # strict: the page is UTF-8
    assert '<meta charset="utf-8">' in html
    rows = re.findall(r'<tr id="source-1-(\d+)"><th>(\d+)</th><td>(.*?)</td></tr>', html)
    assert [(int(a), int(n)) for a, n, _ in rows] == [(n, n) for n in range(3, 10)]
    assert [text for _, _, text in rows] == GB_LINES[2:9]
    # The original bytes stay GB18030, as a download under a name that is not the page's.
    original = archive.site / links.source_download(entry["sources"][0]["file"], entry["sources"][0]["sha256"])
    assert original.read_bytes() == (archive.content / entry["sources"][0]["file"]).read_bytes()


def test_report_page_links_view_download_and_address(archive):
    entry = archive.entries[GB_NAME]
    assert entry["source_url"] == GB_URL
    html = (archive.site / f"reports/{entry['id']}.html").read_text(encoding="utf-8")
    found = attributes(html, "a")
    assert {"href": f"../source-views/{entry['id']}.html#source-1"} in found
    assert {"href": GB_URL, "rel": "nofollow noopener noreferrer"} in found
    assert GB_NAME in html
    assert archive.entries[PAGE_NAME]["source_url"] == CANONICAL


def test_catalog_lists_address_and_view(archive):
    rows = {row["id"]: row for row in json.loads((archive.site / "catalog.json").read_text(encoding="utf-8"))["reports"]}
    entry = archive.entries[GB_NAME]
    assert rows[entry["id"]]["source_url"] == GB_URL
    assert rows[entry["id"]]["source_view"] == links.source_view(entry["id"])


def test_update_after_an_address_is_added_equals_a_full_build(tmp_path):
    archive = build_hostile_archive(tmp_path / "first")
    entry = archive.entries["markup-lines.txt"]
    path = archive.content / "reports" / f"{entry['id']}.yml"
    path.write_text(path.read_text(encoding="utf-8") + "source_url: https://c.example/dongfeng\n", encoding="utf-8")
    config = write_config(tmp_path / "first")
    updated = build_site(content_dir=archive.content, config_path=config, out_dir=archive.site)
    full = build_site(content_dir=archive.content, config_path=config, out_dir=tmp_path / "full")
    assert updated.updated and not full.updated
    view = (archive.site / links.source_view(entry["id"])).read_text(encoding="utf-8")
    assert 'href="https://c.example/dongfeng"' in view
    search = f"{links.SEARCH_INDEX}/"
    assert {k: v for k, v in tree_bytes(archive.site).items() if not k.startswith(search)} == {
        k: v for k, v in tree_bytes(tmp_path / "full").items() if not k.startswith(search)
    }


def test_a_later_copy_gives_an_existing_entry_its_address(tmp_path):
    lines = ["城南街道工会2022年工作总结", *(f"第{n}项工作：街道工会组织职工开展技能竞赛和困难帮扶，参与职工三百余人。" for n in range(1, 5))]
    first, second, content = tmp_path / "a", tmp_path / "b", tmp_path / "content"
    first.mkdir(), second.mkdir()
    (first / "chengnan.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    paragraphs = "".join(f"<p>{line}</p>" for line in lines[1:])
    (second / "chengnan.html").write_text(
        f'<html><head><link rel="canonical" href="https://d.example/cn/2022.html"></head>'
        f"<body><article><h1>{lines[0]}</h1>{paragraphs}</article></body></html>",
        encoding="utf-8",
    )
    import_paths([first], content, progress=False)
    (entry,) = (content / "reports").glob("*.yml")
    assert "source_url" not in entry.read_text(encoding="utf-8")
    import_paths([second], content, progress=False)
    (again,) = (content / "reports").glob("*.yml")
    text = again.read_text(encoding="utf-8")
    assert again == entry and "source_url: https://d.example/cn/2022.html" in text and "sources/chengnan.html" in text


def test_views_of_word_web_and_pdf_sources_follow_the_entries_lines(tmp_path):
    raw, content = tmp_path / "raw", tmp_path / "content"
    raw.mkdir()
    build_docx(raw, name="summary.docx")
    build_html(raw, name="page.htm", charset="gb2312", encoding="gb18030")
    build_pdf(raw, name="scan.pdf")
    import_paths([raw], content, progress=False)
    site = tmp_path / "site"
    build_site(content_dir=content, config_path=write_config(tmp_path), out_dir=site)
    seen = set()
    for path in (content / "reports").glob("*.yml"):
        entry = yaml.safe_load(path.read_text(encoding="utf-8"))
        html = (site / links.source_view(entry["id"])).read_text(encoding="utf-8")
        for number, source in enumerate(entry["sources"], 1):  # the copies merged are shown too
            first, last = source["lines"]
            found = re.findall(rf'<tr id="source-{number}-\d+"><th>(\d+)</th><td>(.*?)</td>', html, re.S)
            rows = [(int(n), html_lib.unescape(text)) for n, text in found]
            assert rows[0][0] == first and rows[-1][0] == last and all(first <= n <= last for n, _ in rows)
            shown = "\n".join(text for _, text in rows)
            assert "\t".join(TABLE_ROWS[1]) in shown or source["file"].endswith(".pdf")
            seen.add(source["file"].rsplit(".", 1)[1])
    assert seen == {"docx", "htm", "pdf"}
    assert list((site / "sources").glob("*.htm")) == []
    assert (site / "sources" / "page.htm.txt").is_file()
