"""The live preview as a curator uses it, in headless Chromium: `report-archive serve` runs in a
process of its own on a copy of the default archive; corrections are made on its review page,
and a broken entry is reported on the served pages until it is fixed."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from site_fixtures import CHROMIUM, CHROMIUM_ARGS, REPO

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser

REPORT = "r-11bd7f6898"  # 公司工会工作总结: its place, year and title need review
NEW_UNIT, NEW_UNIT_NAME = "wu-hu-gong-si-gong-hui", "芜湖公司工会"
BROKEN = "r-006c6648ed"
TIMEOUT = 90  # seconds for one rebuild on a busy two-core machine; a good one takes a few
SHOTS = Path(os.environ.get("REVIEW_SHOTS", "")) if os.environ.get("REVIEW_SHOTS") else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.read().decode("utf-8", "replace")


def wait_for(condition, what: str, timeout: float = TIMEOUT):
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = condition()
        except (urllib.error.URLError, ConnectionError):
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.3)


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    root = tmp_path_factory.mktemp("preview")
    content = root / "content"
    shutil.copytree(REPO / "content", content, ignore=shutil.ignore_patterns("*.lock"))
    config = root / "site_config.yml"
    config.write_text(
        (REPO / "site_config.yml").read_text(encoding="utf-8").replace("theme_dir: theme", f"theme_dir: {REPO / 'theme'}"),
        encoding="utf-8",
    )
    port = free_port()
    log = open(root / "serve.log", "w+", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--content", str(content), "--config", str(config), "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for(lambda: process.poll() is not None or "<html" in fetch(base + "index.html"), "the first build")
        assert process.poll() is None, (root / "serve.log").read_text(encoding="utf-8")
        yield base, content
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    yield page
    page.close()


def shot(page, name: str) -> None:
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / name))


def test_correct_unit_and_year_on_the_review_page(preview, page):
    base, content = preview
    entry = content / "reports" / f"{REPORT}.yml"
    original = entry.read_text(encoding="utf-8")

    page.goto(base + "_review/")
    shot(page, "review-page.png")
    card = page.locator(f"section[data-report={REPORT}]")
    assert "原文中没有找到年份" in card.inner_text()
    card.locator("select[name=unit]").select_option(NEW_UNIT)
    assert card.locator("select[name=org_kind]").input_value() == "enterprise"  # the unit's kind
    card.locator("input[name=year]").fill("2016")
    card.locator("button[type=submit]").click()
    assert "已保存" in page.inner_text(".notice")

    # The entry changed in those lines only; its other doubts remain.
    assert entry.read_text(encoding="utf-8") == (
        original.replace("unit: gong-si-gong-hui-11bd7f\n", f"unit: {NEW_UNIT}\n")
        .replace("year: null\n", "year: 2016\n")
        .replace("needs_review:\n- place\n- year\n- title\n", "needs_review:\n- place\n- title\n")
    )

    report_url = base + f"reports/{REPORT}.html"
    wait_for(lambda: NEW_UNIT_NAME in fetch(report_url) and "2016年" in fetch(report_url), "the report page rebuilt")
    page.goto(report_url)
    card_text = page.inner_text(".archive-card")
    assert NEW_UNIT_NAME in card_text and "2016年" in card_text
    page.goto(base + f"units/{NEW_UNIT}.html")
    unit_page = page.inner_text("article")
    assert "公司工会工作总结" in unit_page and "2016" in unit_page


def test_a_broken_entry_is_shown_in_the_page_until_fixed(preview, page):
    base, content = preview
    entry = content / "reports" / f"{BROKEN}.yml"
    good = entry.read_text(encoding="utf-8")
    report_url = base + f"reports/{BROKEN}.html"
    page.goto(report_url)
    assert page.locator("#preview-build-failure").count() == 0

    entry.write_text(good.replace("year: null\n", "year: abc\n"), encoding="utf-8")
    try:
        # Live reload brings the failure into the open page by itself.
        overlay = page.wait_for_selector("#preview-build-failure", timeout=TIMEOUT * 1000)
        text = overlay.inner_text()
        line = good.splitlines().index("year: null") + 1
        assert f"reports/{BROKEN}.yml:{line}: year:" in text
        assert "学校工会20xx年工作总结" in page.inner_text("article")  # the last good page is still served
        shot(page, "build-error.png")
        assert "reports/" + BROKEN in fetch(base + "_review/")  # the review page says it too
    finally:
        entry.write_text(good, encoding="utf-8")
    page.wait_for_selector("#preview-build-failure", state="detached", timeout=TIMEOUT * 1000)
    assert "学校工会20xx年工作总结" in page.inner_text("article")
