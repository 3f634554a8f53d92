"""The site's search page over an index updated with a delta, in headless Chromium."""

from __future__ import annotations

import os
import shutil

import pytest

from generator.build import build_site
from generator.content import load_archive
from generator.search.stage import build_search
from generator.taxonomy import build_taxonomy
from search_oracle import index_content
from site_fixtures import CHROMIUM, CHROMIUM_ARGS, REPO, serve_folder
from test_search_browser import type_query
from test_search_delta import content_copy, edit, splice

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

NEW = "职工书屋读书月活动圆满落幕"


@pytest.fixture(scope="module")
def updated_site(tmp_path_factory):
    """A site built in full, then one report edited and the index updated as a build does it:
    from the published index into a new folder, which then replaces it."""
    root = tmp_path_factory.mktemp("delta-site")
    content = content_copy(root)
    site = root / "site"
    build_site(content_dir=content, config_path=REPO / "site_config.yml", out_dir=site)
    report_id, old = edit(content, 5, splice(NEW))
    old_only = old[len(old) // 2 : len(old) // 2 + 10]
    oracle = index_content(content)
    archive = load_archive(content)
    tax = build_taxonomy(archive.reports, archive.organizations, latest=5, related_count=3)
    outcome = build_search(tax, content, root / "new-search", previous=site / "search")
    assert outcome.incremental and outcome.delta_docs == 1
    os.rename(site / "search", root / "old-search")
    os.rename(root / "new-search", site / "search")
    with serve_folder(site) as base, playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        responses: list[tuple[str, int]] = []
        page.on("response", lambda response: responses.append((response.url, response.status)))
        page.goto(base + "search.html")
        yield page, oracle, report_id, old_only, responses
        browser.close()
    shutil.rmtree(root / "old-search")


def test_the_new_text_is_found_and_the_old_is_not(updated_site):
    page, oracle, report_id, old_only, responses = updated_site
    assert type_query(page, NEW) == {report_id} == oracle.expected(NEW)
    assert report_id not in type_query(page, old_only)
    assert type_query(page, old_only) == oracle.expected(old_only)
    # Short grams that only the old text had: their base document lists must drop the report.
    gone = [old_only[i : i + n] for n in (2, 3) for i in range(len(old_only) - n + 1)]
    gone = [gram for gram in gone if gram.strip() and not oracle.expected(gram)]
    assert gone
    for gram in gone[:4]:
        assert type_query(page, gram) == set()
    # The edited report was matched in its own text; the index has no other delta files.
    fetched = [url.split("/search/", 1)[1] for url, _ in responses if "/search/" in url]
    assert f"text/{edited_number(page)}.bin" in fetched
    assert {path.split("/")[0] for path in fetched} <= {
        "manifest.json", "fold.json", "facets", "units", "d", "p", "text"
    }
    assert [url for url, status in responses if status != 200] == []


def edited_number(page) -> int:
    manifest = page.evaluate("fetch('search/manifest.json').then((r) => r.json())")
    [number] = manifest["delta"]["docs"]
    return number


@pytest.mark.parametrize("query", ["工会", "书屋", "读书月", "圆满落幕 工会", NEW[3:9], "职代会"])
def test_queries_over_base_and_delta_find_exactly_the_reports(updated_site, query):
    page, oracle, _, _, responses = updated_site
    assert type_query(page, query) == oracle.expected(query)
    assert [url for url, status in responses if status != 200] == []
