"""A reader's walk through the built sample site in headless Chromium, with no network beyond 127.0.0.1."""

from __future__ import annotations

import pytest

from site_fixtures import CHROMIUM, CHROMIUM_ARGS, foreign_requests, serve_folder, shared_sample

playwright = pytest.importorskip("playwright.sync_api")


pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser_page(tmp_path_factory):
    sample = shared_sample(tmp_path_factory)
    with serve_folder(sample.site) as base, playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        requests: list[str] = []
        dialogs: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        yield base, page, requests, dialogs
        browser.close()


def test_walk_home_unit_report_next_year(browser_page):
    base, page, requests, dialogs = browser_page
    page.goto(base)
    assert "本馆收录 6 篇" in page.inner_text("article")

    page.click("article >> text=按单位浏览")
    page.click("article >> text=东城街道工会")
    assert page.url.endswith("/units/dongcheng-street.html")
    assert "时间线" in page.inner_text("article")

    page.click("article >> text=东城街道工会2019年工作总结")
    assert page.url.endswith("/reports/dongcheng-2019-summary.html")
    article = page.inner_text("article")
    assert "抓组织建设" in article and "东城区" in article

    page.click(".archive-links >> text=东城街道工会2020年工作计划")
    assert page.url.endswith("/reports/dongcheng-2020-plan.html")
    assert "上一篇" in page.inner_text(".archive-links")

    page.click(".archive-card >> text=2020年")
    assert page.url.endswith("/years/2020.html")
    year = page.inner_text("article")
    assert "东城街道工会2020年工作计划" in year and "关于开展2020年金秋助学活动的通知" in year

    page.wait_for_load_state("networkidle")
    assert requests and foreign_requests(requests) == []
    assert dialogs == []


def test_hostile_report_shows_text_and_runs_nothing(browser_page):
    base, page, requests, dialogs = browser_page
    page.goto(base + "reports/street-anon-speech.html")
    page.wait_for_load_state("networkidle")
    text = page.inner_text(".archive-body")
    assert (
        "<script>alert(1)</script>" in text and "{{ x }}" in text and '--8<-- "/etc/passwd"' in text
    )
    assert page.locator(".archive-body script, .archive-body img, .archive-body b").count() == 0
    assert page.title().startswith("在工会工作会议上的讲话 <script>alert(1)</script>")
    assert dialogs == [] and foreign_requests(requests) == []


def test_search_finds_chinese_words_offline(browser_page):
    base, page, requests, _ = browser_page
    page.goto(base)
    page.fill("#archive-search-input", "安康杯")
    page.press("#archive-search-input", "Enter")
    page.wait_for_selector('#archive-search-results[data-status="done"]', timeout=10000)
    results = page.inner_text("#archive-search-results")
    assert "东城街道工会2019年工作总结" in results and "东城街道工会2020年工作计划" in results
    assert foreign_requests(requests) == []


def test_search_shows_hostile_text_as_text(browser_page):
    base, page, requests, dialogs = browser_page
    page.goto(base + "search.html?q=alert")
    page.wait_for_selector('#archive-search-results[data-status="done"]', timeout=10000)
    results = page.locator("#archive-search-results")
    assert "<script>alert(1)</script>" in results.inner_text()
    assert results.locator("script, img, iframe").count() == 0
    assert dialogs == [] and foreign_requests(requests) == []
