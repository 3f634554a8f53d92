"""The header's search box on a report page, in headless Chromium, over the default archive:
results as one types (the search page's engine), `/`, the keyboard, and advice when nothing
is found."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import run_cli
from generator.build import build_site
from generator.search.fold import fold
from generator.search.index import shard_of
from search_oracle import index_content
from site_fixtures import CHROMIUM, CHROMIUM_ARGS, REPO, foreign_requests, serve_folder
from test_search_browser import relevance_order, type_query

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

CONTENT = REPO / "content"
SHOWN = 8
BOX = "#archive-search-input"
PANEL = "#archive-suggest"


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    site = tmp_path_factory.mktemp("header-search") / "site"
    build_site(content_dir=CONTENT, config_path=REPO / "site_config.yml", out_dir=site)
    report = sorted((site / "reports").glob("r-*.html"))[0].name
    with serve_folder(site) as base, playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        yield site, f"{base}reports/{report}", page, index_content(CONTENT), requests
        browser.close()


def cli_ids(site, query: str) -> list[str]:
    """`report-archive search QUERY --site SITE`: the report ids, one per line."""
    result = run_cli("search", query, "--site", str(site))
    assert result.returncode == 0, result.stderr
    return [line.split("\t")[0] for line in result.stdout.splitlines()]


def typed(page, query: str) -> list[str]:
    """Type `query` key by key into the header box; the ids listed once its answer is shown."""
    page.click(BOX)
    page.fill(BOX, "")
    page.type(BOX, query, delay=30)
    page.wait_for_selector(f'{PANEL}[data-status="done"][data-query="{query}"]', timeout=10000)
    return shown(page)


def shown(page) -> list[str]:
    return page.eval_on_selector_all(f"{PANEL} [role=option]", "os => os.map(o => o.dataset.reportId)")


def test_typing_on_a_report_page_shows_the_first_results_before_enter(archive):
    site, report, page, oracle, requests = archive
    page.goto(report)
    ids = typed(page, "工会")
    everything = cli_ids(site, "工会")
    assert len(everything) > SHOWN and page.url == report  # no Enter: still on the report page
    assert ids == relevance_order(oracle, ["工会"], {"工会"})[:SHOWN]
    assert set(ids) < set(everything)
    assert page.inner_text(f"{PANEL} .archive-suggest__status").startswith(f"找到 {len(everything)} 篇报告")
    page.wait_for_selector(f'{PANEL}[data-snippets="done"]', timeout=10000)
    marks = page.eval_on_selector_all(f"{PANEL} [role=option] mark", "ms => ms.map(m => m.textContent)")
    assert marks and {fold(mark) for mark in marks} == {"工会"}
    assert foreign_requests(requests) == []


def test_the_list_equals_the_command_and_the_search_page(archive):
    """The list is the command's first results, in its order (both rank as the search page
    does), and the search page's first results."""
    site, report, page, oracle, _ = archive
    page.goto(report)
    assert typed(page, "安康杯") == cli_ids(site, "安康杯") != []
    assert typed(page, "農民工") == cli_ids(site, "农民工") != []
    listed = typed(page, "工作 职工")
    assert listed == cli_ids(site, "工作 职工")[:SHOWN] and len(listed) == SHOWN
    page.goto(report.rsplit("/reports/", 1)[0] + "/search.html")
    type_query(page, "工作 职工")
    on_search_page = page.eval_on_selector_all(".archive-result", "items => items.map(i => i.dataset.reportId)")
    assert listed == on_search_page[:SHOWN]


def test_a_slow_answer_to_an_earlier_keystroke_never_replaces_a_newer_one(archive):
    site, report, page, _, _ = archive
    page.goto(report)
    manifest = page.evaluate("fetch('../search/manifest.json').then((r) => r.json())")
    early, late = "职", "职代会"
    shard = f"**/search/d/{shard_of(early, manifest['d_shards'])}.bin"
    assert shard_of(early, manifest["d_shards"]) != shard_of(late, manifest["d_shards"])
    held = []
    page.route(shard, lambda route: held.append(route))
    try:
        page.click(BOX)
        page.type(BOX, early)
        for _ in range(100):  # until the query for 职 has asked for its shard, which is held
            if held:
                break
            page.wait_for_timeout(50)
        assert held
        ids = typed(page, late)
    finally:
        for route in held:
            route.continue_()
        page.unroute(shard)
    page.wait_for_timeout(300)  # the answer for 职 arrives now, after the newer one
    assert page.get_attribute(PANEL, "data-query") == late and shown(page) == ids
    expected = cli_ids(site, late)
    assert ids == expected[:SHOWN]


def test_slash_focuses_the_box_but_not_while_typing_elsewhere(archive):
    _, report, page, _, _ = archive
    page.goto(report)
    page.click("article")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "archive-search-input"
    assert page.input_value(BOX) == ""  # the key itself is not typed
    page.evaluate("document.querySelector('article').append(document.createElement('textarea'))")
    page.click("article textarea")
    page.keyboard.type("1/2")
    assert page.input_value("article textarea") == "1/2"
    assert page.evaluate("document.activeElement.tagName") == "TEXTAREA"


def test_arrow_down_then_enter_opens_the_first_result(archive):
    _, report, page, _, _ = archive
    page.goto(report)
    first = typed(page, "职代会")[0]
    assert page.get_attribute(BOX, "role") == "combobox"
    assert page.get_attribute(BOX, "aria-expanded") == "true"
    listbox = page.get_attribute(BOX, "aria-controls")
    assert page.get_attribute(f"#{listbox}", "role") == "listbox"
    page.keyboard.press("ArrowDown")
    option = page.get_attribute(BOX, "aria-activedescendant")
    assert page.get_attribute(f"#{option}", "aria-selected") == "true"
    assert page.get_attribute(f"#{option}", "data-report-id") == first
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    assert page.get_attribute(BOX, "aria-activedescendant") == option
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/reports/{first}.html*")
    assert "职代会" in fold(page.inner_text("article"))


def test_escape_closes_the_list_and_enter_opens_the_search_page(archive):
    site, report, page, _, _ = archive
    page.goto(report)
    typed(page, "送温暖")
    page.keyboard.press("Escape")
    assert page.is_hidden(PANEL) and page.get_attribute(BOX, "aria-expanded") == "false"
    assert page.input_value(BOX) == "送温暖"
    page.keyboard.press("ArrowDown")  # opens it again
    assert page.is_visible(PANEL)
    page.keyboard.press("Escape")
    page.mouse.click(5, 300)  # a click elsewhere closes it
    assert page.is_hidden(PANEL)
    page.click(BOX)  # a click in the box shows it again
    assert page.is_visible(PANEL)
    page.keyboard.press("Escape")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search.html?q=*")
    assert parse_qs(urlsplit(page.url).query)["q"] == ["送温暖"]
    page.wait_for_selector('#archive-search-results[data-status="done"]')
    assert page.get_attribute("#archive-search-results", "data-total") == str(len(cli_ids(site, "送温暖")))


def test_see_all_opens_the_search_page_with_every_result(archive):
    site, report, page, _, _ = archive
    page.goto(report)
    typed(page, "工会")
    total = len(cli_ids(site, "工会"))
    link = page.locator(f"{PANEL} .archive-suggest__all")
    assert link.inner_text() == f"查看全部 {total} 篇结果"
    link.click()
    page.wait_for_url("**/search.html?q=*")
    page.wait_for_selector('#archive-search-results[data-status="done"]')
    assert page.get_attribute("#archive-search-results", "data-total") == str(total)


def test_an_empty_result_says_what_to_try(archive):
    _, report, page, _, _ = archive
    page.goto(report)
    assert typed(page, "不存在的词语组合") == []
    text = page.inner_text(PANEL)
    assert "找到 0 篇报告" in text and "没有找到包含“不存在的词语组合”的报告" in text
    assert "减少字数" in text and "“不存”" in text
    assert "简繁体本来就视为相同" in text
    assert page.is_hidden(f"{PANEL} .archive-suggest__all")
    assert typed(page, "工会 不存在的词语") == []
    assert "少输入一个词" in page.inner_text(PANEL)


def test_the_search_page_offers_to_lift_a_filter_that_left_nothing(archive):
    site, report, page, _, _ = archive
    base = report.rsplit("/reports/", 1)[0]
    total = len(cli_ids(site, "困难职工"))
    page.goto(f"{base}/search.html?q=困难职工&year=1999")
    page.wait_for_selector('#archive-search-results[data-status="done"]', state="attached")
    page.wait_for_selector('#archive-search-results[data-facets="done"]', state="attached")  # counted after
    advice = page.inner_text("#archive-search-advice")
    assert f"取消筛选：不加筛选时有 {total} 篇报告包含“困难职工”" in advice
    # The filter that left nothing stays in view, with its count.
    assert page.eval_on_selector("#archive-filter-year", "s => s.selectedOptions[0].textContent") == "1999年（0）"
    page.click("#archive-search-advice button")
    page.wait_for_function(
        "t => document.querySelector('#archive-search-results').dataset.total === t", arg=str(total)
    )
    assert page.inner_text("#archive-search-advice") == ""
    assert page.input_value("#archive-filter-year") == ""
