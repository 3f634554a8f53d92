"""A report page in headless Chromium: the cite box filled in and copied, and on a phone the
report's first lines on the first screen."""

from __future__ import annotations

import datetime

import pytest

from generator.build import build_site
from generator.content import load_archive
from site_fixtures import (
    CHROMIUM,
    CHROMIUM_ARGS,
    REPO,
    foreign_requests,
    serve_folder,
    shared_sample,
    write_config,
)

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser

REPORT = "reports/dongcheng-2019-summary.html"


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def sample_base(tmp_path_factory):
    with serve_folder(shared_sample(tmp_path_factory).site) as base:
        yield base


def _cite(page, name: str) -> str:
    return page.inner_text(f'[data-cite-format="{name}"] pre code')


def test_copy_buttons_put_each_format_on_the_clipboard(browser, sample_base):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(sample_base + REPORT)
    today = datetime.date.today()
    address = sample_base + REPORT
    gbt = _cite(page, "gbt")
    assert gbt == f"东城街道工会. 东城街道工会2019年工作总结[R/OL]. 测试档案馆, 2019(2019-12-20)[{today.isoformat()}]. {address}."
    page.click('[data-cite-format="gbt"] .archive-cite__copy')
    page.wait_for_function("document.querySelector('[data-cite-format=gbt] .archive-cite__copy').textContent === '已复制'")
    assert page.evaluate("navigator.clipboard.readText()") == gbt
    for name, expected in (
        ("bibtex", [f"  url          = {{{address}}},", f"  urldate      = {{{today.isoformat()}}},"]),
        ("ris", [f"UR  - {address}", f"Y2  - {today.strftime('%Y/%m/%d')}"]),
    ):
        page.click(f'[data-cite-format="{name}"] summary')
        page.click(f'[data-cite-format="{name}"] .archive-cite__copy')
        page.wait_for_function(
            f"document.querySelector('[data-cite-format={name}] .archive-cite__copy').textContent === '已复制'"
        )
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == _cite(page, name)
        for line in expected:
            assert line in copied.split("\n")
    assert foreign_requests(requests) == []
    context.close()


def test_without_a_clipboard_the_text_is_selected(browser, sample_base):
    context = browser.new_context()
    context.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    page = context.new_page()
    page.goto(sample_base + REPORT)
    page.click('[data-cite-format="gbt"] .archive-cite__copy')
    assert page.evaluate("window.getSelection().toString()") == _cite(page, "gbt")
    assert page.inner_text('[data-cite-format="gbt"] .archive-cite__copy') == "已选中，请按 Ctrl+C 复制"
    context.close()


@pytest.fixture(scope="module")
def long_report(tmp_path_factory):
    """The default archive built, and its report with the most sections: a real long report."""
    root = tmp_path_factory.mktemp("default-archive")
    build_site(content_dir=REPO / "content", config_path=write_config(root), out_dir=root / "site")
    longest = max(load_archive(REPO / "content").reports, key=lambda r: sum(1 for _ in r.iter_sections()))
    assert sum(1 for _ in longest.iter_sections()) >= 10
    with serve_folder(root / "site") as base:
        yield f"{base}reports/{longest.id}.html"


_TOPS = """() => {
  const box = selector => document.querySelector(selector).getBoundingClientRect();
  const toc = document.querySelector('.archive-toc');
  return {
    card: box('.archive-card').bottom,
    paragraph: box('.archive-body p').top,
    tocOpen: toc.open,
    tocShown: getComputedStyle(toc).display !== 'none',
    sidebarToc: box('.md-sidebar--secondary').width > 0 && getComputedStyle(document.querySelector('.md-sidebar--secondary')).display !== 'none',
  };
}"""


def test_on_a_phone_the_report_begins_on_the_first_screen(browser, long_report):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(long_report)
    tops = page.evaluate(_TOPS)
    # The card, then at once the body: the contents are one closed line.
    assert tops["paragraph"] < 844, tops
    assert tops["paragraph"] - tops["card"] < 200, tops
    assert tops["tocShown"] and not tops["tocOpen"]
    page.click(".archive-toc summary")
    assert page.evaluate("document.querySelector('.archive-toc').open")
    context.close()


def test_on_a_wide_screen_the_contents_show_once(browser, long_report):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(long_report)
    tops = page.evaluate(_TOPS)
    assert not tops["tocShown"] and tops["sidebarToc"], tops
    assert tops["paragraph"] < 900
    context.close()
