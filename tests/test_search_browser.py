"""Typing queries into the real site's search box in headless Chromium, over the default archive."""

from __future__ import annotations

import pytest

from conftest import run_cli
from generator.search.fold import fold
from generator.search.query import occurrences
from search_oracle import index_content
from site_fixtures import CHROMIUM, CHROMIUM_ARGS, REPO, foreign_requests, serve_folder

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

CONTENT = REPO / "content"


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    site = tmp_path_factory.mktemp("search-site") / "site"
    result = run_cli(
        "build",
        "--content",
        str(CONTENT),
        "--config",
        str(REPO / "site_config.yml"),
        "--out",
        str(site),
    )
    assert result.returncode == 0, result.stderr
    assert "golden queries passed" in result.stdout
    oracle = index_content(CONTENT)
    with serve_folder(site) as base, playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(base + "search.html")
        yield base, page, oracle, requests
        browser.close()


def type_query(page, query: str) -> set[str]:
    """Type into the header box and collect every result (following 更多结果)."""
    page.fill("#archive-search-input", query)
    page.wait_for_function(
        """q => { const list = document.querySelector('#archive-search-results');
                  return list.dataset.query === q && list.dataset.status === 'done'; }""",
        arg=query,
        timeout=10000,
    )
    return all_results(page)


def wait_for_snippets(page) -> None:
    page.wait_for_selector('#archive-search-results[data-snippets="done"]', timeout=10000)


def all_results(page) -> set[str]:
    while page.is_visible("#archive-search-more"):
        shown = page.locator(".archive-result").count()
        page.click("#archive-search-more")
        page.wait_for_function(f"document.querySelectorAll('.archive-result').length > {shown}")
    ids = page.eval_on_selector_all(
        ".archive-result", "items => items.map(i => i.dataset.reportId)"
    )
    assert (
        len(ids)
        == len(set(ids))
        == int(page.get_attribute("#archive-search-results", "data-total"))
    )
    return set(ids)


@pytest.mark.parametrize(
    "query",
    [
        "职代会",
        "困难职工",
        "工会",
        "会",
        "2013年",
        "工资集体协商",
        "xx",
        "工会 困难职工",
        "不存在的词语组合",
    ],
)
def test_typed_query_finds_exactly_the_reports_containing_it(archive, query):
    _, page, oracle, _ = archive
    assert type_query(page, query) == oracle.expected(query)


def relevance_order(oracle, terms: list[str], boosted: set[str]) -> list[str]:
    """The page's order by relevance: per term its matches, plus 20 where it is one of the
    report's keywords (only for `boosted` terms); then the newer year, then index order."""
    rows = []
    for number, (doc, text) in enumerate(zip(oracle.docs, oracle.folded, strict=True)):
        counts = [occurrences(text, term) for term in terms]
        if all(counts):
            keywords = {fold(k) for k in doc.keywords}
            score = sum(c + 20 * (t in keywords and t in boosted) for c, t in zip(counts, terms, strict=True))
            year = doc.year - 1900 if doc.year else -1
            rows.append((-score, -year, number, doc.report_id))
    return [report_id for *_, report_id in sorted(rows)]


def ordered_results(page, query: str) -> list[str]:
    type_query(page, query)  # every result shown
    return page.eval_on_selector_all(".archive-result", "items => items.map(i => i.dataset.reportId)")


def test_keywords_raise_their_reports_in_the_order(archive):
    """A keyword record sits in the shard the query fetches anyway: the term's own d/ shard,
    or the p/ shard of its first 3-gram. Queries are chosen where the boost changes the order."""
    _, page, oracle, _ = archive
    keywords = sorted({fold(k) for doc in oracle.docs for k in doc.keywords})
    short = next(k for k in keywords if len(k) <= 3
                 and relevance_order(oracle, [k], {k}) != relevance_order(oracle, [k], set()))
    long, other = next((k, t) for k in keywords if len(k) > 3 for t in ("工作", "工会", "职工")
                       if relevance_order(oracle, [k, t], {k, t}) != relevance_order(oracle, [k, t], {t}))
    assert ordered_results(page, short) == relevance_order(oracle, [short], {short})
    assert ordered_results(page, f"{long} {other}") == relevance_order(oracle, [long, other], {long, other})


def test_compound_inside_a_longer_word(archive):
    _, page, oracle, _ = archive
    inner, outer = type_query(page, "全国总工会"), type_query(page, "中华全国总工会")
    assert outer and outer < inner == oracle.expected("全国总工会")


def test_traditional_finds_simplified_and_simplified_finds_traditional(archive):
    _, page, oracle, _ = archive
    traditional = type_query(page, "工會")
    simplified = type_query(page, "工会")
    assert traditional == simplified == oracle.expected("工会")
    written_traditional = {d.report_id for d in oracle.docs if "工會" in d.text}
    written_simplified = {
        d.report_id for d in oracle.docs if "工会" in d.text and "工會" not in d.text
    }
    assert written_traditional and written_simplified
    assert written_traditional | written_simplified <= simplified
    assert type_query(page, "職代會") == type_query(page, "职代会") != set()


def test_results_highlight_the_query_and_link_to_the_report(archive):
    base, page, _, _ = archive
    type_query(page, "困难职工")
    wait_for_snippets(page)
    first = page.locator(".archive-result").first
    assert "困难职工" in first.locator("mark").all_inner_texts()
    assert " · " in first.locator(".archive-result__meta").inner_text()
    href = first.locator("a.archive-result__title").get_attribute("href")
    page.click(".archive-result >> nth=0 >> a.archive-result__title")
    assert "/reports/r-" in page.url
    assert "困难职工" in page.inner_text("article")
    page.goto(base + "search.html")
    assert href.startswith("reports/")


def test_results_come_with_their_own_text_files_and_nothing_archive_wide(archive):
    """A result's title, unit, year and type come with its own text file (its head and first
    chunk), which also serves its snippet unless the match lies in a later chunk; the filters'
    counts follow from the facets/ shards of the matches, and the units offered are named by the
    head of a match of each. No file lists every report."""
    base, page, oracle, requests = archive
    page.goto(base + "search.html")
    requests.clear()
    page.fill("#archive-search-input", "困难职工")  # the first page of results, no more
    page.wait_for_function(
        """() => { const list = document.querySelector('#archive-search-results');
                   return list.dataset.query === '困难职工' && list.dataset.status === 'done'; }"""
    )
    wait_for_snippets(page)
    page.wait_for_selector('#archive-search-results[data-facets="done"]', state="attached")
    expected = oracle.expected("困难职工")
    shown = page.eval_on_selector_all(".archive-result", "items => items.map(i => i.dataset.reportId)")
    assert shown and set(shown) <= expected and len(shown) == min(10, len(expected))
    title_of = {d.report_id: d.title for d in oracle.docs}
    assert page.locator("a.archive-result__title").all_inner_texts() == [title_of[r] for r in shown]
    number_of = {d.report_id: n for n, d in enumerate(oracle.docs)}
    fetched = [url.split("/search/", 1)[1] for url in requests if "/search/" in url]
    texts = {path.split("/")[1].split(".")[0] for path in fetched if path.startswith("text/")}
    chunks = {name for name in texts if "-" in name}  # text/N-K.bin: a later chunk of N's text
    shown_heads = {str(number_of[r]) for r in shown}
    assert shown_heads <= texts - chunks
    assert len(texts - chunks - shown_heads) <= 10  # a head read for the name of a unit offered
    assert {name.split("-")[0] for name in chunks} <= shown_heads
    assert {path.split("/")[0] for path in fetched} <= {"manifest.json", "fold.json", "d", "p", "text", "facets", "units"}
    for item in page.locator(".archive-result").all():
        assert {"困难职工", "困難職工"} & set(item.locator("mark").all_inner_texts())


def test_filter_by_year_and_by_unit(archive):
    _, page, oracle, _ = archive
    everything = type_query(page, "工会")
    year_of = {d.report_id: d.year for d in oracle.docs}
    page.select_option("#archive-filter-year", "2013")
    page.wait_for_function(
        "document.querySelector('#archive-search-results').dataset.status === 'done'"
    )
    in_2013 = all_results(page)
    assert in_2013 and in_2013 < everything and all(year_of[r] == 2013 for r in in_2013)
    assert "year=2013" in page.url
    page.select_option("#archive-filter-year", "")
    page.wait_for_function(
        "document.querySelector('#archive-search-results').dataset.status === 'done'"
    )
    page.wait_for_selector('#archive-search-results[data-facets="done"]', state="attached")
    options = page.eval_on_selector_all(
        "#archive-filter-unit option", "os => os.map(o => [o.value, o.textContent])"
    )
    value, label = options[1]
    count = int(label.rsplit("（", 1)[1].rstrip("）"))
    page.select_option("#archive-filter-unit", value)
    page.wait_for_function(
        "document.querySelector('#archive-search-results').dataset.status === 'done'"
    )
    in_unit = all_results(page)
    unit_of = {d.report_id: d.unit for d in oracle.docs}
    assert len(in_unit) == count and len({unit_of[r] for r in in_unit}) == 1
    page.select_option("#archive-filter-unit", "")


def test_header_box_on_any_page_opens_the_results(archive):
    base, page, oracle, requests = archive
    page.goto(base + "years/index.html")
    page.fill("#archive-search-input", "送温暖")
    page.press("#archive-search-input", "Enter")
    page.wait_for_url("**/search.html?q=*")
    page.wait_for_selector('#archive-search-results[data-status="done"]')
    assert all_results(page) == oracle.expected("送温暖")
    assert foreign_requests(requests) == []


def test_a_failed_download_is_tried_again_by_the_next_query(archive):
    base, page, oracle, _ = archive
    page.goto(base + "search.html")
    page.route("**/search/manifest.json", lambda route: route.abort())
    try:
        page.fill("#archive-search-input", "工会")
        page.wait_for_selector('#archive-search-results[data-status="error"]', state="attached", timeout=10000)
    finally:
        page.unroute("**/search/manifest.json")
    assert type_query(page, "职代会") == oracle.expected("职代会")
