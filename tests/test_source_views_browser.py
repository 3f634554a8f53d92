"""Every published source opened in headless Chromium from the site's own origin: a hostile
web page and a text file of markup run nothing; the report page leads to its source view."""

from __future__ import annotations

import pytest

from generator import links
from site_fixtures import CHROMIUM, CHROMIUM_ARGS, serve_folder
from source_fixtures import (
    CANONICAL,
    GB_LINES,
    GB_NAME,
    PAGE_NAME,
    build_hostile_archive,
    published_sources,
)

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser

# What any of the hostile scripts would leave behind.
STORAGE = "() => JSON.stringify(Object.keys(localStorage))"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    archive = build_hostile_archive(tmp_path_factory.mktemp("hostile-browser"))
    with serve_folder(archive.site) as base, playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context()  # one origin, one localStorage for every file opened
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        yield archive, base, page, dialogs
        browser.close()


def test_no_published_source_runs_a_script(site):
    archive, base, page, dialogs = site
    files = published_sources(archive.site)
    assert len(files) == 6
    opened = []
    for file in files:
        path = file.relative_to(archive.site).as_posix()
        page.goto(base + path)
        page.wait_for_load_state("load")
        title = page.title()
        assert "RAN" not in title and "ONERROR" not in title, path
        assert page.evaluate(STORAGE) == "[]", path
        assert page.locator("script, img, svg").count() == 0, path  # nothing rendered as markup
        opened.append(path)
    assert any(path.endswith(".html.txt") for path in opened)  # the web page itself, as text
    assert page.evaluate(STORAGE) == "[]" and dialogs == []


def test_original_page_is_shown_as_text_not_rendered(site):
    archive, base, page, _ = site
    entry = archive.entries[PAGE_NAME]
    page.goto(base + links.source_download(entry["sources"][0]["file"], entry["sources"][0]["sha256"]))
    assert "<script>document.title" in page.inner_text("body")
    assert page.evaluate(STORAGE) == "[]"


def test_report_page_leads_to_its_source_lines_and_address(site):
    archive, base, page, dialogs = site
    entry = archive.entries[PAGE_NAME]
    page.goto(base + f"reports/{entry['id']}.html")
    card = page.locator(".archive-card")
    assert PAGE_NAME in card.inner_text()
    address = card.locator(f'a[href="{CANONICAL}"]')
    assert address.count() == 1 and set(address.get_attribute("rel").split()) >= {"nofollow", "noopener"}
    card.locator(f"a:text-is('{PAGE_NAME}')").click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"{links.source_view(entry['id'])}#source-1")
    view = page.inner_text("main")
    assert "全年新建非公企业工会九个" in view and '<script>alert("text")</script>' in view
    assert page.title().startswith("原文：和平街道工会2019年工作总结")
    assert page.evaluate(STORAGE) == "[]" and dialogs == []


def test_gb18030_source_reads_as_chinese(site):
    archive, base, page, _ = site
    entry = archive.entries[GB_NAME]
    page.goto(base + links.source_view(entry["id"]))
    assert page.evaluate("document.characterSet") == "UTF-8"
    numbers = page.locator("#source-1 th").all_inner_texts()
    assert numbers == [str(n) for n in range(3, 10)]
    assert page.locator("#source-1 td").all_inner_texts() == GB_LINES[2:9]
