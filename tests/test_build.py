"""The site build on the sample content: pages, links, safety, data out, determinism, failures."""

from __future__ import annotations

import codecs
import csv
import html as html_lib
import io
import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import lxml.html
import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import writer
from generator.build import build_site
from generator.cli import main
from generator.errors import ArchiveError, BuildError, LockError
from generator.parallel import YIELDING_NICENESS, BackgroundCall
from generator.render.escape import inline, paragraph
from generator.render.minify import minified
from generator.render.mkdocs_config import mkdocs_config
from generator.search.query import open_site_index
from site_fixtures import (
    FIXTURE_CONTENT,
    GOLDENS,
    REPO,
    build_sample,
    check_links,
    shared_sample,
    tree_bytes,
    write_config,
)

HOSTILE = "reports/street-anon-speech.html"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return shared_sample(tmp_path_factory)


def read(sample, path: str) -> str:
    return (sample.site / path).read_text(encoding="utf-8")


def article(sample, path: str) -> str:
    """The page's own content, without Material's header, sidebars and footer."""
    html = read(sample, path)
    return html[html.index("<article") : html.index("</article>")]


def visible(html: str) -> str:
    """The text a reader sees (tags become spaces, character references are decoded)."""
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def requoted(html: str) -> str:
    """A page or part of one written again by a parser, every attribute value in quotes: a
    minified page leaves them out where it may. Attributes keep the page's order."""
    return lxml.html.tostring(lxml.html.fromstring(html), encoding="unicode")


def attributes(html: str, tag: str) -> list[dict[str, str]]:
    """The attributes of every `tag` element, however the page orders and quotes them."""
    return [dict(element.attrib) for element in lxml.html.fromstring(html).iter(tag)]


# ---- the build as a whole ----


def test_build_reports_what_it_built(sample):
    assert sample.result.reports == 6
    assert sample.result.units == 6
    assert sample.result.summary_line().startswith(f"built {sample.site}: 6 reports, 6 units")


def test_every_page_is_built(sample):
    expected = [
        "index.html",
        "data.html",
        "coverage.html",
        "units/index.html",
        "years/index.html",
        "types/index.html",
        "years/2019.html",
        "years/2020.html",
        "years/unknown.html",
        "units/dongcheng-street.html",
        "units/street-anon-1.html",
        "units/street-anon-2.html",
        "catalog.json",
        "catalog.csv",
        "feed.xml",
        "sources/a01_dongcheng.txt",
        "source-views/dongcheng-2019-summary.html",
        "404.html",
        "sitemap.xml",
        *(f"types/{t}.html" for t in ("summary", "plan", "report", "speech", "opinion", "notice")),
        *(f"reports/{p.stem}.html" for p in (FIXTURE_CONTENT / "reports").glob("*.yml")),
    ]
    assert [path for path in expected if not (sample.site / path).is_file()] == []
    assert not (sample.site / "types/other.html").exists()  # no report is of this type


def test_no_broken_internal_links_and_no_external_ones(sample):
    broken, external = check_links(sample.site)
    assert broken == []
    assert external == []


def test_no_request_to_other_hosts_in_any_page(sample):
    for page in sample.site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), page  # quoted or not


def test_sidebar_does_not_list_reports(sample):
    html = read(sample, "reports/dongcheng-2019-summary.html")
    sidebar = html[html.index("md-sidebar--primary") : html.index("md-sidebar--secondary")]
    assert "reports/" not in sidebar
    assert "按单位" in sidebar and "按年份" in sidebar and "按类型" in sidebar


def test_generated_mkdocs_config(sample):
    config = (sample.docs.parent / "mkdocs.yml").read_text(encoding="utf-8")
    assert "language: zh" in config and "font: false" in config
    assert "snippets" not in config


def test_zero_mkdocs_warnings_means_strict_mode(tmp_path):
    cfg = write_config(tmp_path)
    from generator.config import load_config

    config = mkdocs_config(load_config(cfg), tmp_path / "docs")
    assert config["validation"]["links"]["not_found"] == "warn"
    assert config["validation"]["links"]["anchors"] == "warn"


# ---- pages ----


def test_home_counts_and_ways_in(sample):
    text = visible(article(sample, "index.html"))
    assert "本馆收录 6 篇工会工作文稿，来自 4 个单位。其中 1 篇年份不详；有年份的报告从 2019 年到 2020 年。" in text
    assert "年份不详 1" in text and "2019年 3" in text
    assert "街道 3" in text and "学校 1" in text
    # A type no report has is neither counted nor linked: its page would be empty.
    assert "工作总结 1" in text and "其他" not in text
    assert "types/other.html" not in article(sample, "index.html")
    assert "最新报告" in text


def test_report_card_and_toc(sample):
    html = article(sample, "reports/dongcheng-2019-summary.html")
    text = visible(html)
    for fact in (
        "单位 东城街道工会",
        "单位类型 街道",
        "地点 东城区",
        "年份 2019年",
        "时段 全年",
        "类型 工作总结",
        "日期 2019-12-20",
        "来源 a01_dongcheng.txt ，第 1–8 行（原始来源）（ 下载原始文件 ）",
    ):
        assert fact in text
    quoted = requoted(html)
    assert 'href="#s1-1"' in quoted and '<h3 id="s1-1">（一）规范化建设</h3>' in quoted
    assert {"href": "../source-views/dongcheng-2019-summary.html#source-1"} in attributes(html, "a")
    assert {"download": "a01_dongcheng.txt", "href": "../sources/a01_dongcheng.txt"} in attributes(html, "a")


def test_html_pages_keep_the_themes_table_of_contents(sample):
    """Report pages skip Markdown; Material's own table of contents is still built from their headings."""
    page = read(sample, "reports/dongcheng-2019-summary.html")
    quoted = requoted(page)
    sidebar = quoted[quoted.index("md-nav--secondary") : quoted.index('class="md-content"')]
    assert re.findall(r'href="#(s[\d-]+)"', sidebar) == ["s1", "s1-1", "s2"]
    assert "<title>东城街道工会2019年工作总结 - 测试档案馆</title>" in page


def test_unknown_year_shows_placeholder(sample):
    text = visible(article(sample, "reports/no4-school-report.html"))
    assert "年份 年份不详 （原文作“20xx年”）" in text
    assert "原文无标题，由整理者拟定" in text
    assert "本条目的整理结果尚待人工核对" in text
    assert "四中工会工作报告" in visible(article(sample, "years/unknown.html"))


def test_traditional_report_is_marked(sample):
    html = article(sample, "reports/xx-community-opinion.html")
    assert {"class": "archive-body", "lang": "zh-Hant"} in attributes(html, "div")
    assert "文字 繁体" in visible(html)


def test_anonymous_units_are_never_merged(sample):
    first = visible(article(sample, "units/street-anon-1.html"))
    second = visible(article(sample, "units/street-anon-2.html"))
    assert "在工会工作会议上的讲话" in first
    assert "暂无报告" in second and "在工会工作会议上的讲话" not in second


def test_unit_timeline_and_previous_next(sample):
    unit = article(sample, "units/dongcheng-street.html")
    assert unit.index("2019年") < unit.index("2020年")
    first = requoted(article(sample, "reports/dongcheng-2019-summary.html"))
    second = requoted(article(sample, "reports/dongcheng-2020-plan.html"))
    assert '下一篇：<a href="dongcheng-2020-plan.html">' in first and "上一篇" not in first
    assert '上一篇：<a href="dongcheng-2019-summary.html">' in second


def test_same_year_peers_and_related_by_content(sample):
    html = requoted(article(sample, "reports/dongcheng-2019-summary.html"))
    links = html[html.index('class="archive-links"') :]
    peers = links[links.index("同年同类单位") : links.index("内容相关")]
    assert "street-anon-speech.html" in peers and "xx-community-opinion.html" not in peers
    related = links[links.index("内容相关") :]
    assert related.index("dongcheng-2020-plan.html") < related.index("golden-autumn-notice.html")


def test_year_page_groups_by_unit_kind(sample):
    text = visible(article(sample, "years/2019.html"))
    assert text.index("街道") < text.index("东城街道工会2019年工作总结") < text.index("社区")


def test_type_pages_and_coverage(sample):
    assert "东城街道工会2020年工作计划" in visible(article(sample, "types/plan.html"))
    coverage = article(sample, "coverage.html")
    row = coverage[coverage.index("units/dongcheng-street.html") :].split("</tr>")[0]
    assert (
        "reports/dongcheng-2019-summary.html" in row and "reports/dongcheng-2020-plan.html" in row
    )


# ---- safety ----


def test_hostile_text_is_shown_not_run(sample):
    html = read(sample, HOSTILE)
    body = article(sample, HOSTILE)
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>" not in body
    tree = lxml.html.fromstring(html)
    assert "javascript:" not in "".join(tree.xpath("//@href"))
    assert tree.xpath('//*[@id="evil"]') == []
    assert "root:" not in html  # no file was included
    text = visible(body)
    for shown in (
        "<script>alert(1)</script>",
        "{{ x }}",
        "{% raw %}",
        '--8<-- "/etc/passwd"',
        "!!! note",
        "[x](javascript:alert(1))",
        "=====",
        "* 不是列表",
        "1. 不是编号",
    ):
        assert shown in text, shown
    assert (
        "<title>在工会工作会议上的讲话 &lt;script&gt;alert(1)&lt;/script&gt; - 测试档案馆</title>"
        in html
    )


def test_search_index_holds_report_text_as_data(sample):
    import gzip
    import json

    search = sample.site / "search"
    assert (search / "manifest.json").is_file() and not list(search.rglob("*.html"))
    texts = [json.loads(gzip.decompress(p.read_bytes()))["t"] for p in (search / "text").iterdir()]
    # The hostile title is kept as it was written; the page sets it as text, never as HTML.
    assert any("<script>alert(1)</script>" in text for text in texts)
    assert not any("archive-links" in text for text in texts)  # cross-links are not searched


@settings(max_examples=300, deadline=None, database=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60))
def test_any_paragraph_renders_as_its_own_text(text):
    extensions = ["toc", "tables", "attr_list", "def_list", "md_in_html"]
    source = paragraph(text)
    html = markdown.markdown(source, extensions=extensions)
    lines = (re.sub(r"[ \t\u3000]+", " ", line).strip() for line in _printable(text).split("\n"))
    expected = "\n".join(line for line in lines if line)
    inner = html.removeprefix("<p>").removesuffix("</p>")
    assert "<" not in inner
    assert html_lib.unescape(inner) == expected


def _printable(text: str) -> str:
    import unicodedata

    # Zero-width and text-direction characters are dropped too (a right-to-left override could spoof a page).
    text = re.sub(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]", "", text)
    return "".join(
        c for c in text if c == "\n" or unicodedata.category(c) not in ("Cc", "Cs", "Co")
    )


def test_inline_keeps_one_line():
    assert "\n" not in inline("a\nb")
    assert inline("<x>") == "&#60;x&#62;"


# ---- data out ----


def test_catalog_json_and_csv(sample):
    text = read(sample, "catalog.json")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":")) + "\n"  # compact
    catalog = json.loads(text)["reports"]
    assert [entry["id"] for entry in catalog] == sorted(entry["id"] for entry in catalog)
    school = next(entry for entry in catalog if entry["id"] == "no4-school-report")
    assert school["year"] is None and school["year_placeholder"] == "20xx年"
    assert school["url"] == "reports/no4-school-report.html"
    assert school["sources"][0]["download"] == "sources/a03_school.txt"
    raw = (sample.site / "catalog.csv").read_bytes()
    assert raw.startswith(codecs.BOM_UTF8 + "编号,标题,单位,".encode())  # opens right in a Chinese Excel
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert [row["编号"] for row in rows] == [entry["id"] for entry in catalog]
    assert rows[0]["标题"] == catalog[0]["title"]
    by_id = {row["编号"]: row for row in rows}
    assert by_id["no4-school-report"]["年份原文写法"] == "20xx年" and by_id["no4-school-report"]["年份"] == ""
    assert by_id["no4-school-report"]["单位类型"] == "学校" and by_id["no4-school-report"]["文档类型"] == "工作报告"
    # Units of one name are told apart in the table as on the site; the JSON keeps the registry name.
    anon = next(entry for entry in catalog if entry["id"] == "street-anon-speech")
    assert anon["unit_name"] == "街道工会" and by_id["street-anon-speech"]["单位"] == anon["unit_label"] != "街道工会"


def test_atom_feed(sample):
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.fromstring((sample.site / "feed.xml").read_bytes())
    entries = feed.findall("a:entry", ns)
    assert len(entries) == 6
    assert entries[0].find("a:title", ns).text == "关于开展2020年金秋助学活动的通知"
    assert any("<script>" in e.find("a:title", ns).text for e in entries)  # text, escaped in XML
    feed_link = {"rel": "alternate", "type": "application/atom+xml"}
    assert any(feed_link.items() <= link.items() for link in attributes(read(sample, "index.html"), "link"))


def test_sources_are_published_as_is(sample):
    assert (sample.site / "sources/a02_shequ.txt").read_bytes() == (
        FIXTURE_CONTENT / "sources/a02_shequ.txt"
    ).read_bytes()


# ---- minified pages ----


def test_every_page_is_minified_and_stays_valid(sample):
    # Sources are published as they are; their views keep each line's blanks (white-space: pre-wrap).
    pages = [p for p in sample.site.rglob("*.html") if p.parent.name not in ("sources", "source-views")]
    assert len(pages) > 20 and sample.site / "404.html" in pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert re.search(r">\s*\n\s*<", html) is None, page  # no indentation between tags
        # The doctype, the <html> and <head> opening tags and every closing tag are kept.
        assert html.startswith("<!doctype html><html ") and "<head>" in html, page
        assert html.endswith("</body></html>") and "</li>" in html, page
        config = lxml.html.fromstring(html).get_element_by_id("__config")
        assert json.loads(config.text)["features"] == ["navigation.top", "toc.follow"], page


def _with_lead(tmp_path: Path, lead: str) -> str:
    """The built page of a report whose lead paragraph is `lead`."""
    content = _copy_content(tmp_path)
    entry = content / "reports" / "dongcheng-2019-summary.yml"
    text = entry.read_text(encoding="utf-8")
    old = "  - 今年以来，街道工会在区总工会的指导下，以建设职工之家为抓手，深入开展安康杯竞赛和送温暖活动。\n"
    entry.write_text(text.replace(old, f"  - {json.dumps(lead, ensure_ascii=False)}\n"), encoding="utf-8")
    return read(build_sample(tmp_path, content), "reports/dongcheng-2019-summary.html")


def test_minified_report_text_shows_as_before(tmp_path):
    lead = "街道工会在区总工会的指导下，\n以建设职工之家为抓手，  深入开展Safety\nCup竞赛\n和送温暖活动。"
    page = _with_lead(tmp_path, lead)
    # A line break between Chinese characters stays one: Firefox shows nothing there, Chrome
    # a space, as before minifying. Between Latin letters every browser shows a space. Runs of
    # spaces were one space before minifying too.
    assert "<p>街道工会在区总工会的指导下，\n以建设职工之家为抓手， 深入开展Safety Cup竞赛\n和送温暖活动。</p>" in page


def test_minified_keeps_preformatted_text_and_the_title():
    assert minified("<div>\n  <pre>  a\n\n   b </pre>\n</div>") == "<div><pre>  a\n\n   b </pre></div>"
    assert minified("<textarea>  a\n b</textarea>") == "<textarea>  a\n b</textarea>"
    # minify-html would write the title unescaped and lowercase "</TITLE" in it.
    title = "<title>&lt;/TITLE&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>"
    assert minified(f"<head>\n  {title}\n</head>") == f"<head>{title}</head>"


# ---- determinism and goldens ----


def test_second_build_is_byte_identical(sample, tmp_path):
    again = build_sample(tmp_path)
    assert tree_bytes(again.site) == tree_bytes(sample.site)
    assert tree_bytes(again.docs) == tree_bytes(sample.docs)


GOLDEN_PAGES = [
    "index.md",
    "coverage.md",
    "units/dongcheng-street.md",
    "years/2019.md",
    "years/unknown.md",
    "types/plan.md",
    "reports/dongcheng-2019-summary.md",
    "reports/street-anon-speech.md",
    "reports/xx-community-opinion.md",
    "reports/no4-school-report.md",
    "feed.xml",
    "catalog.csv",
]


@pytest.mark.parametrize("path", GOLDEN_PAGES)
def test_golden_pages(sample, path):
    actual = (sample.docs / path).read_text(encoding="utf-8")
    golden = GOLDENS / path
    if os.environ.get("UPDATE_GOLDENS"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), f"no golden for {path}: run with UPDATE_GOLDENS=1"
    assert actual == golden.read_text(encoding="utf-8")


# ---- failures leave the previous site alone ----


def _copy_content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    return content


def test_failed_build_keeps_previous_site(tmp_path):
    site = build_sample(tmp_path).site
    before = tree_bytes(site)
    theme = tmp_path / "broken-theme"
    theme.mkdir()
    (theme / "main.html").write_text(
        '{% extends "base.html" %}{% block content %}{{ 1 // 0 }}{% endblock %}'
    )
    config = write_config(tmp_path / "cfg", text=f"site_name: 测试\ntheme_dir: {theme}\n")
    with pytest.raises(BuildError, match="MkDocs failed"):
        build_site(content_dir=FIXTURE_CONTENT, config_path=config, out_dir=site)
    assert tree_bytes(site) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")] == []


def test_unknown_unit_is_an_error_naming_the_report(tmp_path):
    content = _copy_content(tmp_path)
    path = content / "reports" / "dongcheng-2020-plan.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("unit: dongcheng-street", "unit: nowhere"),
        encoding="utf-8",
    )
    with pytest.raises(ArchiveError) as caught:
        build_site(
            content_dir=content, config_path=write_config(tmp_path), out_dir=tmp_path / "site"
        )
    assert "nowhere" in str(caught.value) + " ".join(map(str, caught.value.problems))
    assert not (tmp_path / "site").exists()


def test_duplicate_unit_slug_is_an_error(tmp_path):
    content = _copy_content(tmp_path)
    orgs = content / "organizations.yml"
    orgs.write_text(
        orgs.read_text(encoding="utf-8") + "- id: no4-school\n  name: 另一个四中工会\n",
        encoding="utf-8",
    )
    with pytest.raises(ArchiveError) as caught:
        build_site(
            content_dir=content, config_path=write_config(tmp_path), out_dir=tmp_path / "site"
        )
    assert "no4-school" in str(caught.value) + " ".join(map(str, caught.value.problems))


def test_concurrent_build_is_refused(tmp_path):
    out = tmp_path / "site"
    with writer.locked(out), pytest.raises(LockError, match="another"):
        build_site(content_dir=FIXTURE_CONTENT, config_path=write_config(tmp_path), out_dir=out)


def test_stale_files_disappear(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / "stale.html").write_text("old")
    build_sample(tmp_path)
    assert not (out / "stale.html").exists() and (out / "index.html").is_file()


def test_rebuild_rewrites_only_what_changed(tmp_path):
    content = _copy_content(tmp_path)
    first = build_sample(tmp_path, content)
    before = {p: p.stat().st_mtime_ns for p in first.docs.rglob("*") if p.is_file()}
    entry = content / "reports" / "dongcheng-2019-summary.yml"
    entry.write_text(entry.read_text(encoding="utf-8").replace("发展会员860名", "发展会员861名"), encoding="utf-8")
    (first.docs / "stale.md").write_text("left over")
    second = build_sample(tmp_path, content)
    after = {p: p.stat().st_mtime_ns for p in second.docs.rglob("*") if p.is_file()}
    changed = sorted(p.relative_to(second.docs).as_posix() for p in after if before.get(p) != after[p])
    assert changed == ["reports/dongcheng-2019-summary.md"]
    assert not (second.docs / "stale.md").exists()
    assert "发展会员861名" in (second.site / "reports/dongcheng-2019-summary.html").read_text(encoding="utf-8")


def test_writer_replaces_links_instead_of_following_them(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("keep")
    root = tmp_path / "docs"
    root.mkdir()
    (root / "a.md").symlink_to(outside)
    files = writer.FileSet()
    files.add("a.md", b"new")
    files.write(root)
    assert outside.read_text() == "keep"
    assert not (root / "a.md").is_symlink() and (root / "a.md").read_bytes() == b"new"


def test_writer_makes_each_file_when_it_writes_it(tmp_path):
    """A whole archive's pages are never held at once: a file is made only once the one
    before it is on disk, in the order they were given, and the bytes made are what is written."""
    root = tmp_path / "docs"
    made: list[str] = []

    def maker(path: str, before: str | None):
        def make() -> bytes:
            if before is not None:
                assert (root / before).read_bytes() == before.encode()  # written before this is made
            assert not (root / path).exists()
            made.append(path)
            return path.encode()

        return make

    order = ["z/last-named.md", "a/first-named.md", "m.md"]
    files = writer.FileSet()
    files.update({path: maker(path, before) for path, before in zip(order, [None, *order])})
    files.add("plain.md", b"given as bytes")
    files.write(root)
    assert made == order
    assert {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.md")} == {
        **{path: path.encode() for path in order},
        "plain.md": b"given as bytes",
    }


def test_writer_refuses_duplicates_and_escapes():
    files = writer.FileSet()
    files.add("a/b.md", b"x")
    with pytest.raises(BuildError, match="two outputs"):
        files.add("a/b.md", b"y")
    with pytest.raises(BuildError, match="outside"):
        files.add("../evil.md", b"z")


def test_cli_build_error_exits_1_without_traceback(tmp_path, capsys):
    config = write_config(tmp_path, text="site_name: ''\n")
    code = main(
        [
            "build",
            "--content",
            str(FIXTURE_CONTENT),
            "--config",
            str(config),
            "--out",
            str(tmp_path / "s"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 1 and "site_name" in err and "Traceback" not in err


# ---- serve ----


def test_serve_rebuilds_when_content_changes(tmp_path):
    import threading
    import time
    import urllib.error
    import urllib.request

    from generator.serve import make_server

    content = _copy_content(tmp_path)
    server = make_server(
        content_dir=content,
        config_path=write_config(tmp_path),
        host="127.0.0.1",
        port=0,
        out_dir=tmp_path / "preview",
    )
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while server.server_address[1] == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        url = f"http://127.0.0.1:{server.server_address[1]}/reports/dongcheng-2020-plan.html"
        # The port is known once bound; the server listens a moment later.
        while True:
            try:
                first = urllib.request.urlopen(url).read().decode()
                break
            except urllib.error.URLError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        assert "东城街道工会2020年工作计划" in first
        entry = content / "reports" / "dongcheng-2020-plan.yml"
        entry.write_text(
            entry.read_text(encoding="utf-8").replace(
                "title: 东城街道工会2020年工作计划", "title: 修改后的标题"
            ),
            encoding="utf-8",
        )
        page = ""
        while "修改后的标题" not in page and time.monotonic() < deadline + 20:
            time.sleep(0.2)
            page = urllib.request.urlopen(url).read().decode()
        assert "修改后的标题" in page
    finally:
        server.shutdown(wait=True)


# ---- the project's own content ----

DEFAULT_CONTENT = Path(__file__).parents[1] / "content"


@pytest.mark.skipif(
    not any((DEFAULT_CONTENT / "reports").glob("*.yml")), reason="no imported content yet"
)
def test_default_content_builds_without_warnings_or_broken_links(tmp_path):
    result = build_site(
        content_dir=DEFAULT_CONTENT,
        config_path=Path(__file__).parents[1] / "site_config.yml",
        out_dir=tmp_path / "site",
    )
    assert result.warnings == () and result.reports == len(
        list((DEFAULT_CONTENT / "reports").glob("*.yml"))
    )
    assert check_links(tmp_path / "site") == ([], [])


def test_relative_paths_from_the_project_folder(tmp_path, monkeypatch):
    shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    write_config(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = build_site(content_dir=Path("content"), config_path=Path("site_config.yml"), out_dir=Path("site"))
    assert result.reports == 6
    assert (tmp_path / "site" / "reports" / "dongcheng-2019-summary.html").is_file()
    assert (tmp_path / ".build" / "site" / "docs" / "index.md").is_file()


def _inodes_and_bytes(root: Path) -> dict[str, tuple[int, bytes]]:
    return {p.relative_to(root).as_posix(): (p.stat().st_ino, p.read_bytes()) for p in root.rglob("*") if p.is_file()}


def test_update_after_an_edit_equals_a_full_build(tmp_path):
    content = _copy_content(tmp_path)
    first = build_sample(tmp_path, content)
    assert not first.result.updated
    published = _inodes_and_bytes(first.site)
    entry = content / "reports" / "dongcheng-2019-summary.yml"
    entry.write_text(entry.read_text(encoding="utf-8").replace("发展会员860名", "发展会员861名"), encoding="utf-8")
    second = build_sample(tmp_path, content)
    assert second.result.updated
    # Pages that do not show the edited report were neither rendered nor written.
    assert second.result.rendered < first.result.rendered
    updated = _inodes_and_bytes(second.site)
    # Only the edited page and MkDocs' site-wide files are new; the rest is shared with the
    # site that was live during the update, and holds what it held: never written through.
    new = sorted(path for path, (inode, _) in updated.items() if published.get(path, (None,))[0] != inode)
    assert [path for path in new if not path.startswith("search/")] == [
        "404.html", "reports/dongcheng-2019-summary.html", "sitemap.xml", "sitemap.xml.gz",
    ]
    assert [path for path in updated if path not in new and updated[path][1] != published[path][1]] == []
    assert "发展会员861名" in (second.site / "reports/dongcheng-2019-summary.html").read_text(encoding="utf-8")
    full = build_sample(tmp_path / "full", content)
    assert _without_search(tree_bytes(second.site)) == _without_search(tree_bytes(full.site))
    # The search index was updated, not rebuilt; it answers as the full build's does.
    assert second.result.search_delta == 1 and full.result.search_delta is None
    updated_index, full_index = open_site_index(second.site), open_site_index(full.site)
    for query in ("发展会员861名", "发展会员860名", "工会", "职工", "东城"):
        assert updated_index.report_ids(query) == full_index.report_ids(query)
    assert updated_index.report_ids("发展会员861名") == {"dongcheng-2019-summary"}
    # Of the pages that show the edited report, only its own page shows its text: its unit, year
    # and type pages only list it. One page more was rendered than when nothing changed.
    unchanged = build_sample(tmp_path, content)
    assert unchanged.result.updated and second.result.rendered == unchanged.result.rendered + 1


def test_update_after_a_title_edit_renders_the_lists_that_show_it(tmp_path):
    content = _copy_content(tmp_path)
    build_sample(tmp_path, content)
    unchanged = build_sample(tmp_path, content)
    entry = content / "reports" / "dongcheng-2019-summary.yml"
    text = entry.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    entry.write_text(text.replace(title, "title: 东城区总工会二〇一九年工作总结（修订）"), encoding="utf-8")
    second = build_sample(tmp_path, content)
    assert second.result.updated and second.result.rendered > unchanged.result.rendered + 1
    full = build_sample(tmp_path / "full", content)
    assert _without_search(tree_bytes(second.site)) == _without_search(tree_bytes(full.site))
    assert "（修订）" in (second.site / "units" / "dongcheng-street.html").read_text(encoding="utf-8")


def test_update_publishes_the_sources_as_they_are_now(tmp_path):
    content = _copy_content(tmp_path)
    first = build_sample(tmp_path, content)
    sources = first.site / "sources"
    kept, changed, gone = (sources / name for name in ("a01_dongcheng.txt", "a02_shequ.txt", "a03_school.txt"))
    kept_inode, old_bytes = kept.stat().st_ino, changed.read_bytes()
    published_changed = changed.stat().st_ino
    source = content / "sources" / "a02_shequ.txt"
    new_bytes = source.read_bytes() + "补记。\n".encode()
    source.write_bytes(new_bytes)  # written in place: the published site must not follow it
    for entry in (content / "reports").glob("*.yml"):
        if "sources/a03_school.txt" in entry.read_text(encoding="utf-8"):
            entry.unlink()
    second = build_sample(tmp_path, content)
    assert second.result.updated
    assert kept.stat().st_ino == kept_inode  # the unchanged source is the very file it was
    assert changed.read_bytes() == new_bytes and not gone.exists()
    assert old_bytes != new_bytes and published_changed != changed.stat().st_ino
    full = build_sample(tmp_path / "full", content)
    assert tree_bytes(sources) == tree_bytes(full.site / "sources")
    assert sorted(p.name for p in sources.iterdir()) == sorted(
        name for name in os.listdir(content / "sources") if name != "a03_school.txt"
    )


def _without_search(tree: dict[str, bytes]) -> dict[str, bytes]:
    return {path: data for path, data in tree.items() if not path.startswith("search/")}


def test_update_after_a_report_is_removed_equals_a_full_build(tmp_path):
    content = _copy_content(tmp_path)
    build_sample(tmp_path, content)
    (content / "reports" / "xx-community-opinion.yml").unlink()
    second = build_sample(tmp_path, content)
    assert second.result.updated
    assert not (second.site / "reports/xx-community-opinion.html").exists()
    full = build_sample(tmp_path / "full", content)
    assert not full.result.updated
    assert tree_bytes(second.site) == tree_bytes(full.site)


def test_a_changed_theme_builds_the_site_anew(tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "theme", theme)
    config = write_config(tmp_path / "cfg", text=f"site_name: 测试\ntheme_dir: {theme}\n")
    out = tmp_path / "site"
    build_site(content_dir=FIXTURE_CONTENT, config_path=config, out_dir=out)
    assert build_site(content_dir=FIXTURE_CONTENT, config_path=config, out_dir=out).updated
    css = next(theme.rglob("*.css"))
    css.write_text(css.read_text(encoding="utf-8") + "\n.changed{}\n", encoding="utf-8")
    again = build_site(content_dir=FIXTURE_CONTENT, config_path=config, out_dir=out)
    assert not again.updated
    assert ".changed{}" in (out / css.relative_to(theme)).read_text(encoding="utf-8")


def test_only_pages_that_changed_are_rendered_again(tmp_path):
    first = build_sample(tmp_path)
    unchanged = build_sample(tmp_path)  # archive-wide pages and data files only
    assert unchanged.result.updated and unchanged.result.rendered < first.result.rendered
    page = first.docs / "reports/dongcheng-2020-plan.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n<p>changed by hand</p>\n", encoding="utf-8")
    again = build_sample(tmp_path)
    assert again.result.rendered == unchanged.result.rendered + 1
    assert "changed by hand" not in page.read_text(encoding="utf-8")
    assert tree_bytes(again.site) == tree_bytes(first.site)


def _link_into(source: str, target: str) -> None:
    os.link(source, target)


def _record_niceness(target: str) -> None:
    Path(target).write_text(str(os.nice(0)), encoding="utf-8")


def test_a_yielding_background_call_runs_at_a_lower_priority(tmp_path):
    ours = os.nice(0)
    BackgroundCall(_record_niceness, str(tmp_path / "plain")).wait()
    BackgroundCall(_record_niceness, str(tmp_path / "yielding"), yielding=True).wait()
    assert int((tmp_path / "plain").read_text(encoding="utf-8")) == ours
    assert int((tmp_path / "yielding").read_text(encoding="utf-8")) == min(19, ours + YIELDING_NICENESS)
    assert os.nice(0) == ours


def test_a_background_call_is_done_by_wait_and_its_failure_is_a_build_error(tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("x", encoding="utf-8")
    call = BackgroundCall(_link_into, str(source), str(tmp_path / "b.txt"))
    call.wait()
    assert os.path.samefile(source, tmp_path / "b.txt")
    failing = BackgroundCall(_link_into, str(source), str(tmp_path / "b.txt"))  # b.txt exists now
    with pytest.raises(BuildError, match="_link_into failed"):
        failing.wait()
