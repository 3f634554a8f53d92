"""A report page for readers: how to cite it, its meta tags, breadcrumbs, and the reports before
and after it in its unit and its year; an update after a year changed equals a full build."""

from __future__ import annotations

import html as html_lib
import re
import shutil

import lxml.html
import pytest

from generator.config import SiteConfig
from generator.model import Report
from generator.render import citation
from site_fixtures import (
    FIXTURE_CONTENT,
    REPO,
    build_sample,
    check_links,
    shared_sample,
    tree_bytes,
    write_config,
)

REPORT = "reports/dongcheng-2019-summary.html"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return shared_sample(tmp_path_factory)


def page(sample, path: str):
    return lxml.html.fromstring((sample.site / path).read_text(encoding="utf-8"))


def cite_texts(tree) -> dict[str, str]:
    """Each format's text as the page shows it before its script runs."""
    return {
        box.get("data-cite-format"): box.xpath(".//pre/code")[0].text_content()
        for box in tree.xpath('//*[@class="archive-cite__format"]')
    }


def head_meta(tree) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for meta in tree.xpath("//head/meta[@name]"):
        found.setdefault(meta.get("name"), []).append(meta.get("content"))
    return found


# ---- the formats ----


def bibtex_fields(entry: str) -> tuple[str, str, dict[str, str]]:
    """(type, key, fields) of one entry, reading braces as BibTeX does: a value runs to its
    matching brace, and every brace in the entry is matched."""
    head = re.match(r"@(\w+)\{([^,\s]+),\n", entry)
    assert head, entry
    fields, position = {}, head.end()
    while True:
        field = re.compile(r"\s*(\w+)\s*=\s*\{").match(entry, position)
        if not field:
            break
        depth, start = 1, field.end()
        position = start
        while depth:
            assert position < len(entry), f"unbalanced braces in {field.group(1)}"
            depth += {"{": 1, "}": -1}.get(entry[position], 0)
            position += 1
        fields[field.group(1)] = entry[start : position - 1]
        assert entry[position] == ",", entry[position:]
        position += 1
    assert entry[position:].strip() == "}", entry[position:]
    return head.group(1), head.group(2), fields


def ris_fields(text: str) -> list[tuple[str, str]]:
    lines = text.split("\n")
    for line in lines:
        assert re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line), line
    assert lines[0].startswith("TY  - ") and lines[-1] == "ER  - "
    return [(line[:2], line[6:]) for line in lines]


def test_the_cite_box_gives_three_formats_of_the_report(sample):
    texts = cite_texts(page(sample, REPORT))
    assert texts["gbt"] == (
        "东城街道工会. 东城街道工会2019年工作总结[R/OL]. 测试档案馆, 2019(2019-12-20)[引用日期]. 本页网址."
    )
    kind, key, fields = bibtex_fields(texts["bibtex"])
    assert (kind, key) == ("misc", "dongcheng-2019-summary")
    assert fields["author"] == "{东城街道工会}" and fields["title"] == "{东城街道工会2019年工作总结}"
    assert fields["year"] == "2019" and fields["date"] == "2019-12-20"
    assert fields["howpublished"] == "测试档案馆" and fields["note"] == "工作总结"
    ris = dict(ris_fields(texts["ris"]))
    assert ris["TY"] == "RPRT" and ris["AU"] == "东城街道工会" and ris["TI"] == "东城街道工会2019年工作总结"
    assert ris["PY"] == "2019" and ris["DA"] == "2019/12/20/" and ris["PB"] == "测试档案馆"


def test_a_report_of_no_known_year_or_unit_is_cited_as_such(sample):
    texts = cite_texts(page(sample, "reports/no4-school-report.html"))
    assert "四中工会. 四中工会工作报告[R/OL]. 测试档案馆, [出版年不详][引用日期]" in texts["gbt"]
    assert "year" not in bibtex_fields(texts["bibtex"])[2]
    assert "PY" not in dict(ris_fields(texts["ris"]))


def _report(**fields) -> Report:
    base = {
        "id": "r-1",
        "title": "标题",
        "lead": ["正文。"],
        "sources": [{"file": "sources/a.txt", "lines": [1, 2], "sha256": "0" * 64, "kind": "original"}],
    }
    return Report.model_validate(base | fields)


def test_each_format_escapes_what_is_special_to_it():
    title = "年度}总结{ 100% & #1 $x_y^2~ \\end \u202e反转\n第二行"
    work = citation.cited_work(_report(title=title, organization="某某工会", year=2020), None, SiteConfig(site_name="档案馆"))
    bibtex = "".join(part if isinstance(part, str) else part.placeholder for part in citation.bibtex(work))
    fields = bibtex_fields(bibtex)[2]
    assert fields["author"] == "{某某工会}"
    assert fields["title"] == (
        r"{年度\textbraceright{}总结\textbraceleft{} 100\% \& \#1 \$x\_y\^{}2\~{} \textbackslash{}end 反转 第二行}"
    )
    ris = "".join(part if isinstance(part, str) else part.placeholder for part in citation.ris(work))
    assert dict(ris_fields(ris))["TI"] == "年度}总结{ 100% & #1 $x_y^2~ \\end 反转 第二行"


def test_an_unsigned_report_is_cited_as_anonymous():
    work = citation.cited_work(_report(), None, SiteConfig(site_name="档案馆"))
    assert work.author == "佚名"


def test_the_description_is_the_start_of_the_lead():
    long = "工会" * 100
    assert citation.description(_report(lead=[long])) == long[:119] + "…"
    assert citation.description(_report(lead=["短的导语。"])) == "短的导语。"
    sections = [{"heading": "一、", "paragraphs": [{"rows": [["表"]]}, "第一段。"]}]
    assert citation.description(_report(lead=[], sections=sections)) == "第一段。"


# ---- the page's head ----


def test_citation_meta_and_description_are_the_pages_own(sample):
    summary, speech = page(sample, REPORT), page(sample, "reports/street-anon-speech.html")
    meta = head_meta(summary)
    assert meta["citation_title"] == ["东城街道工会2019年工作总结"]
    assert meta["citation_author"] == ["东城街道工会"]
    assert meta["citation_publication_date"] == ["2019/12/20"] and meta["citation_date"] == ["2019/12/20"]
    assert meta["citation_publisher"] == ["测试档案馆"] and meta["citation_language"] == ["zh"]
    assert meta["description"] == ["今年以来，街道工会在区总工会的指导下，以建设职工之家为抓手，深入开展安康杯竞赛和送温暖活动。"]
    other = head_meta(speech)
    assert other["citation_title"] == ["在工会工作会议上的讲话 <script>alert(1)</script>"]
    assert other["description"][0].startswith("同志们：<script>alert(1)</script> 这次会议")
    unit, year = head_meta(page(sample, "units/dongcheng-street.html")), head_meta(page(sample, "years/2019.html"))
    assert unit["description"] == ["东城街道工会在本馆的 2 篇工作文稿，按年份排列。"]
    assert year["description"] == ["2019年各级工会的 3 篇工作文稿，按单位类型排列。"]
    assert head_meta(page(sample, "index.html"))["description"] == ["测试用的小档案。"]
    assert "citation_title" not in unit
    assert not summary.xpath('//link[@rel="canonical"]')  # no site_url: no address to name


def test_with_a_site_url_the_page_names_its_address(tmp_path):
    config = write_config(tmp_path, text=f"site_name: 测试档案馆\nsite_url: https://example.org/archive\ntheme_dir: {REPO / 'theme'}\n")
    from generator.build import build_site

    build_site(content_dir=FIXTURE_CONTENT, config_path=config, out_dir=tmp_path / "site")
    tree = lxml.html.fromstring((tmp_path / "site" / REPORT).read_text(encoding="utf-8"))
    address = "https://example.org/archive/reports/dongcheng-2019-summary.html"
    assert tree.xpath('//link[@rel="canonical"]/@href') == [address]
    assert head_meta(tree)["citation_abstract_html_url"] == [address]
    texts = cite_texts(tree)
    assert texts["gbt"].endswith(f"[引用日期]. {address}.")
    assert bibtex_fields(texts["bibtex"])[2]["url"] == address
    assert dict(ris_fields(texts["ris"]))["UR"] == address
    assert not tree.xpath('//*[@data-cite-slot="url"]')


# ---- breadcrumbs, previous and next ----


def crumbs(tree) -> list[tuple[str, str | None]]:
    return [
        (item.text_content(), (item.xpath("a/@href") or [None])[0])
        for item in tree.xpath('//nav[@class="archive-breadcrumbs"]//li')
    ]


def test_breadcrumbs_lead_home(sample):
    assert crumbs(page(sample, REPORT)) == [
        ("首页", "../index.html"),
        ("按单位", "../units/index.html"),
        ("东城街道工会", "../units/dongcheng-street.html"),
        ("东城街道工会2019年工作总结", None),
    ]
    assert crumbs(page(sample, "reports/golden-autumn-notice.html"))[1:3] == [
        ("按年份", "../years/index.html"),
        ("2020年", "../years/2020.html"),
    ]
    assert crumbs(page(sample, "units/dongcheng-street.html")) == [
        ("首页", "../index.html"), ("按单位", "index.html"), ("东城街道工会", None),
    ]
    assert crumbs(page(sample, "years/2019.html"))[1:] == [("按年份", "index.html"), ("2019年", None)]
    broken, external = check_links(sample.site)
    assert broken == [] and external == []


def neighbours(tree) -> dict[str, str]:
    """Label -> the report page it links to, of the page's previous and next links."""
    found = {}
    for item in tree.xpath('//nav[@class="archive-links"]//li'):
        label = item.text_content().split("：")[0]
        if label.endswith(("上一篇", "下一篇")):
            found[label] = item.xpath("a/@href")[0]
    return found


def listed_reports(tree) -> list[str]:
    return [href.split("/")[-1] for href in tree.xpath("//article//li/a/@href") if "reports/" in href]


def test_previous_and_next_follow_the_unit_and_the_year_pages(sample):
    year = listed_reports(page(sample, "years/2019.html"))
    assert year == ["dongcheng-2019-summary.html", "street-anon-speech.html", "xx-community-opinion.html"]
    for before, after in zip(year, year[1:]):
        assert neighbours(page(sample, "reports/" + before))["同年的下一篇"] == after
        assert neighbours(page(sample, "reports/" + after))["同年的上一篇"] == before
    assert listed_reports(page(sample, "units/dongcheng-street.html")) == [
        "dongcheng-2019-summary.html", "dongcheng-2020-plan.html",
    ]
    assert neighbours(page(sample, REPORT)) == {
        "该单位的下一篇": "dongcheng-2020-plan.html", "同年的下一篇": "street-anon-speech.html",
    }
    assert neighbours(page(sample, "reports/dongcheng-2020-plan.html"))["该单位的上一篇"] == "dongcheng-2019-summary.html"


def test_an_update_after_a_year_changed_equals_a_full_build(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    build_sample(tmp_path, content)
    entry = content / "reports" / "xx-community-opinion.yml"
    entry.write_text(entry.read_text(encoding="utf-8").replace("year: 2019", "year: 2020"), encoding="utf-8")
    updated = build_sample(tmp_path, content)
    assert updated.result.updated
    full = build_sample(tmp_path / "full", content)
    without_search = {path: data for path, data in tree_bytes(updated.site).items() if not path.startswith("search/")}
    assert without_search == {path: data for path, data in tree_bytes(full.site).items() if not path.startswith("search/")}
    # Its neighbours in the year it left and in the one it joined link to it no more, or now.
    speech = lxml.html.fromstring((updated.site / "reports/street-anon-speech.html").read_text(encoding="utf-8"))
    assert "同年的下一篇" not in neighbours(speech)
    plan = lxml.html.fromstring((updated.site / "reports/dongcheng-2020-plan.html").read_text(encoding="utf-8"))
    assert neighbours(plan)["同年的下一篇"] == "xx-community-opinion.html"


def test_text_of_a_cite_box_is_escaped_html(sample):
    source = (sample.docs / "reports/street-anon-speech.md").read_text(encoding="utf-8")
    box = source[source.index('<section class="archive-cite"') : source.index("</section>")]
    assert "<script>" not in box and "&lt;script&gt;" in box
    assert html_lib.unescape(box).count("<script>alert(1)</script>") == 3

