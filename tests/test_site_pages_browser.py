"""The pages a reader finds their way with, on the project's own archive, in headless Chromium:
the nav's current section, units of one name told apart, the coverage grid on a phone, the 404
page under a sub-path and a printed report."""

from __future__ import annotations

import gzip
import json
import re

import lxml.html
import pytest

from generator.build import build_site
from site_fixtures import (
    CHROMIUM,
    CHROMIUM_ARGS,
    REPO,
    check_links,
    foreign_requests,
    serve,
    write_config,
)

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser

SUB_PATH = "sub/archive"
SITE_NAME = "测试档案馆"  # write_config's


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The project's own archive, built with an empty site_url, at /sub/archive/ of a folder."""
    root = tmp_path_factory.mktemp("pages")
    served = root / "served"
    out = served / SUB_PATH
    out.parent.mkdir(parents=True)
    build_site(content_dir=REPO / "content", config_path=write_config(root), out_dir=out)
    return served, out


@pytest.fixture(scope="module")
def browser(site):
    served, _ = site
    with serve(served, not_found=f"{SUB_PATH}/404.html") as base, playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield f"{base}/{SUB_PATH}/", chromium
        chromium.close()


def _page(browser, width: int = 1280):
    base, chromium = browser
    page = chromium.new_page(viewport={"width": width, "height": 800})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    return base, page, requests


def _links(path) -> dict[str, str]:
    """Link text -> href of a page's article."""
    tree = lxml.html.fromstring(path.read_text(encoding="utf-8"))
    return {a.text_content().strip(): a.get("href") for a in tree.xpath("//article//a[@href]")}


def test_missing_page_under_a_sub_path_is_chinese_styled_and_leads_home(browser):
    base, page, requests = _page(browser)
    response = page.goto(base + "reports/no-such-report.html")
    assert response.status == 404
    assert page.inner_text("article h1") == "页面不存在"
    assert page.title().startswith("页面不存在")
    # Material's stylesheet and ours are loaded from the site's root, not from the host's.
    assert page.eval_on_selector("body", "b => getComputedStyle(b).fontFamily").startswith('"PingFang SC"')
    assert page.eval_on_selector(".md-header", "h => getComputedStyle(h).position") == "sticky"
    page.fill(".archive-not-found__search input", "工会")
    page.click(".archive-not-found__search button")
    assert page.url == base + "search.html?q=%E5%B7%A5%E4%BC%9A"
    page.goto(base + "no/such/folder/")
    page.click("article >> text=按年份浏览")
    assert page.url == base + "years/index.html"
    page.goto(base + "units/missing.html")
    page.click("article >> text=首页")
    assert page.url == base + "index.html"
    assert "本馆收录" in page.inner_text("article")
    page.wait_for_load_state("networkidle")
    assert foreign_requests(requests) == []
    assert not [url for url in requests if url.startswith(base.split(SUB_PATH)[0]) and SUB_PATH not in url]
    page.close()


def test_nav_marks_the_section_of_a_unit_a_year_and_a_type_page(browser, site):
    base, page, _ = _page(browser)
    for path, section in (
        ("units/gong-si-gong-hui-11bd7f.html", "按单位"),
        ("units/index.html", "按单位"),
        ("years/2010.html", "按年份"),
        ("types/summary.html", "按类型"),
    ):
        page.goto(base + path)
        marked = page.locator(".md-nav--primary .md-nav__item--active > .md-nav__link")
        # The section's own page shows its entry as a label and a link: one entry either way.
        assert {text.strip() for text in marked.all_inner_texts()} == {section}, path
    page.goto(base + "reports/r-11bd7f6898.html")
    assert page.locator(".md-nav--primary .md-nav__item--active").count() == 0
    page.close()


def test_year_pages_link_unit_names(site):
    _, out = site
    links = _links(out / "years/2013.html")
    assert links["北京市總工會"] == "../units/bei-jing-shi-zong-gong-hui.html"


def test_units_of_one_name_have_labels_of_their_own(site):
    _, out = site
    for path in ("units/index.html", "coverage.html"):
        labels = [text for text in _links(out / path) if re.match(r"(街道工会|公司工会)（", text)]
        street = [label for label in labels if label.startswith("街道工会")]
        company = [label for label in labels if label.startswith("公司工会")]
        assert len(set(street)) == len(street) == 4 and "街道工会（金乡县）" in street, path
        assert len(set(company)) == len(company) == 3, path
        assert "街道工会" not in _links(out / path)
    # The search filter shows the same labels.
    names = [name for shard in (out / "search/units").iterdir() for name in json.loads(gzip.decompress(shard.read_bytes()))]
    assert "街道工会（金乡县）" in names and "公司工会（20xx年工作报告）" in names


def test_search_filter_offers_units_of_one_name_apart(browser):
    base, page, _ = _page(browser)
    page.goto(base + "search.html?q=" + "街道工会")
    page.wait_for_selector('#archive-search-results[data-status="done"]', timeout=10000)
    page.wait_for_selector('#archive-search-results[data-facets="done"]', state="attached", timeout=10000)
    options = page.locator("#archive-filter-unit option").all_inner_texts()
    street = [text for text in options if text.startswith("街道工会")]
    assert len(street) == 4 and any(text.startswith("街道工会（金乡县）") for text in street)
    # A result names its unit as the filter does.
    assert "街道工会（金乡县）" in page.inner_text("#archive-search-results")
    page.close()


def test_no_link_to_an_empty_type_page(site):
    _, out = site
    assert not (out / "types/notice.html").exists() and not (out / "types/other.html").exists()
    pages = [p.read_text(encoding="utf-8") for p in out.rglob("*.html")]
    assert not [text for text in pages if re.search(r'href="?[./]*types/(notice|other)\.html', text)]
    home = lxml.html.fromstring((out / "index.html").read_text(encoding="utf-8")).text_content()
    assert "其中 29 篇年份不详；有年份的报告从 2010 年到 2013 年。" in home
    broken, _ = check_links(out)
    assert broken == []


def test_coverage_grid_on_a_phone_scrolls_with_a_cue_and_keeps_the_unit_column(browser):
    base, page, _ = _page(browser, width=390)
    page.goto(base + "coverage.html")
    hint = page.locator(".archive-coverage__hint")
    assert hint.is_visible() and "左右滑动" in hint.inner_text()
    box = hint.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    wrap = ".archive-coverage .md-typeset__scrollwrap"
    assert page.eval_on_selector(wrap, "w => w.scrollWidth > w.clientWidth")
    first = page.locator(".archive-coverage tbody tr:first-child td:first-child")
    before = first.bounding_box()["x"]
    page.eval_on_selector(wrap, "w => { w.scrollLeft = w.scrollWidth; }")
    page.wait_for_function(f"document.querySelector('{wrap}').scrollLeft > 0")
    # Scrolled to the end, the unit column is still at the left edge (past the table's padding).
    assert -1 <= first.bounding_box()["x"] <= before + 1
    last = page.locator(".archive-coverage thead th:last-child")
    assert last.inner_text() == "不详" and last.bounding_box()["x"] + last.bounding_box()["width"] <= 391
    page.close()
    _, wide, _ = _page(browser, width=1280)
    wide.goto(base + "coverage.html")
    assert not wide.locator(".archive-coverage__hint").is_visible()
    wide.close()


def test_a_printed_report_names_the_archive_and_its_address(browser):
    base, page, _ = _page(browser)
    page.goto(base + "reports/r-11bd7f6898.html")
    source = page.locator(".archive-print-source")
    assert not source.is_visible()
    page.emulate_media(media="print")
    assert source.is_visible()
    assert source.inner_text().strip() == f"本页出自{SITE_NAME}，网址：{base}reports/r-11bd7f6898.html"
    assert not page.locator(".md-header").is_visible() and not page.locator(".md-sidebar--primary").is_visible()
    page.close()
