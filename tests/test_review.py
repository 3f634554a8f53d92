"""Corrections from the preview's review page written back to content/: fields of an entry, new
units, unit merges and renames, and the page's refusals. Real files, real WSGI requests."""

from __future__ import annotations

import io
import shutil
import urllib.parse
from pathlib import Path

import pytest

from generator import yamlio
from generator.content import check_content
from generator.model import Report
from generator.review import edits
from generator.review.app import ReviewApp
from generator.review.queue import entry_digest, load_queue
from generator.yamledit import set_fields

DEFAULT_CONTENT = Path(__file__).parents[1] / "content"
REPORT = "r-11bd7f6898"  # 公司工会工作总结: place, year and title need review
OTHER_UNIT = "wu-hu-gong-si-gong-hui"


@pytest.fixture
def content(tmp_path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT, folder, ignore=shutil.ignore_patterns("*.lock"))
    return folder


def entry(content: Path, report_id: str) -> str:
    return (content / "reports" / f"{report_id}.yml").read_text(encoding="utf-8")


def entries(content: Path) -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted((content / "reports").glob("*.yml"))}


def registry(content: Path) -> dict[str, dict]:
    return {item["id"]: item for item in yamlio.load((content / "organizations.yml").read_text(encoding="utf-8"))}


def assert_valid(content: Path) -> None:
    assert check_content(content).errors() == []


# ---- layout kept ----


def test_setting_a_field_to_its_own_value_changes_no_byte_of_any_default_entry():
    order = list(Report.model_fields)
    for path in sorted((DEFAULT_CONTENT / "reports").glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        for key, value in yamlio.load(text).items():
            assert set_fields(text, {key: value}, order) == text, (path.name, key)


def test_set_fields_keeps_comments_and_adds_a_missing_field_after_its_predecessor():
    text = "id: a\ntitle: 旧标题  # 原文如此\nsources: []\n# 结尾的注释\n"
    new = set_fields(text, {"title": "新标题", "year": 2019}, ["id", "title", "year", "sources"])
    assert new == "id: a\ntitle: 新标题  # 原文如此\nyear: 2019\nsources: []\n# 结尾的注释\n"


# ---- correcting a report ----


def test_correction_writes_only_the_corrected_lines_and_settles_their_doubts(content):
    before = entries(content)
    written = edits.correct(content, edits.Correction(REPORT, entry_digest(content, REPORT), {"unit": OTHER_UNIT, "year": 2016}))
    assert written == ["unit", "year", "needs_review"]
    expected = (
        before[REPORT]
        .replace("unit: gong-si-gong-hui-11bd7f\n", f"unit: {OTHER_UNIT}\n")
        .replace("year: null\n", "year: 2016\n")
        .replace("needs_review:\n- place\n- year\n- title\n", "needs_review:\n- place\n- title\n")
    )
    after = entries(content)
    assert after[REPORT] == expected
    assert {k: v for k, v in after.items() if k != REPORT} == {k: v for k, v in before.items() if k != REPORT}
    assert_valid(content)


def test_confirmed_doubts_leave_needs_review_and_their_reasons(content):
    path = content / "reports" / f"{REPORT}.yml"
    path.write_text(entry(content, REPORT) + "review_reasons:\n  place: 落款没有地名\n  title: 原文无标题\n", encoding="utf-8")
    edits.correct(content, edits.Correction(REPORT, entry_digest(content, REPORT), {"place": None}, frozenset({"place", "title"})))
    data = yamlio.load(entry(content, REPORT))
    assert data["needs_review"] == ["year"] and data["review_reasons"] == {}


def test_a_new_unit_is_added_to_the_registry_before_the_report_names_it(content):
    new = edits.NewUnit("红星机械厂工会", "enterprise", "芜湖")
    edits.correct(content, edits.Correction(REPORT, entry_digest(content, REPORT), {}, new_unit=new))
    slug = yamlio.load(entry(content, REPORT))["unit"]
    assert registry(content)[slug]["name"] == "红星机械厂工会" and registry(content)[slug]["place"] == "芜湖"
    # Its layout kept too: the registry only grew by the new unit.
    assert (content / "organizations.yml").read_text(encoding="utf-8").startswith((DEFAULT_CONTENT / "organizations.yml").read_text(encoding="utf-8"))
    assert_valid(content)


@pytest.mark.parametrize(
    "values",
    [{"year": 3000}, {"unit": "no-such-unit"}, {"title": " "}],
    ids=["implausible-year", "unknown-unit", "blank-title"],
)
def test_an_invalid_correction_is_refused_and_writes_nothing(content, values):
    before = entries(content), (content / "organizations.yml").read_bytes()
    with pytest.raises(edits.EditError):
        edits.correct(content, edits.Correction(REPORT, entry_digest(content, REPORT), values))
    assert (entries(content), (content / "organizations.yml").read_bytes()) == before


def test_a_correction_of_an_entry_changed_since_it_was_shown_is_refused(content):
    base = entry_digest(content, REPORT)
    path = content / "reports" / f"{REPORT}.yml"
    path.write_text(entry(content, REPORT).replace("year: null", "year: 2015"), encoding="utf-8")
    with pytest.raises(edits.EditError, match="改动过"):
        edits.correct(content, edits.Correction(REPORT, base, {"year": 2016}))
    assert "year: 2015\n" in entry(content, REPORT)


def test_a_reimport_keeps_the_curators_correction(content, tmp_path):
    from generator.importer.pipeline import import_paths

    edits.correct(content, edits.Correction(REPORT, entry_digest(content, REPORT), {"year": 2016}))
    corrected = entry(content, REPORT)
    raw = tmp_path / "raw"
    raw.mkdir()
    source = yamlio.load(corrected)["sources"][0]["file"]
    shutil.copy(content / source, raw)
    summary = import_paths([raw], content, progress=False)
    assert any(REPORT in conflict for conflict in summary.conflicts)
    assert entry(content, REPORT) == corrected


# ---- merges and renames ----


def units_of(content: Path) -> dict[str, str | None]:
    return {rid: yamlio.load(text).get("unit") for rid, text in entries(content).items()}


def test_merge_moves_every_report_and_keeps_the_names_as_aliases(content):
    edits.correct(content, edits.Correction(REPORT, entry_digest(content, REPORT), {"unit": "wen-hua-gong-si-gong-hui"}))
    before, units = entries(content), units_of(content)
    moved = edits.merge_units(content, "wen-hua-gong-si-gong-hui", OTHER_UNIT)
    expected = sorted(rid for rid, unit in units.items() if unit == "wen-hua-gong-si-gong-hui")
    assert sorted(moved) == expected and len(expected) == 2
    after = units_of(content)
    assert all(after[rid] == OTHER_UNIT for rid in expected)
    for rid in expected:  # only the unit line changed
        assert entries(content)[rid] == before[rid].replace("unit: wen-hua-gong-si-gong-hui\n", f"unit: {OTHER_UNIT}\n")
    assert {rid: text for rid, text in entries(content).items() if rid not in expected} == {
        rid: text for rid, text in before.items() if rid not in expected
    }
    orgs = registry(content)
    assert "wen-hua-gong-si-gong-hui" not in orgs and "文化公司工会" in orgs[OTHER_UNIT]["aliases"]
    assert_valid(content)


def test_rename_keeps_the_old_name_as_alias_and_moves_reports_to_the_new_slug(content):
    units = units_of(content)
    slug = units[REPORT]
    moved = edits.rename_unit(content, slug, "某某集团公司工会", "mou-mou-ji-tuan")
    assert moved == [REPORT]
    orgs = registry(content)
    assert slug not in orgs and orgs["mou-mou-ji-tuan"]["name"] == "某某集团公司工会"
    assert orgs["mou-mou-ji-tuan"]["aliases"] == ["公司工会"]
    assert units_of(content) == {**units, REPORT: "mou-mou-ji-tuan"}
    assert_valid(content)
    load_queue(content)  # the review page still reads the archive


def test_rename_to_a_taken_or_invalid_slug_is_refused(content):
    before = entries(content), (content / "organizations.yml").read_bytes()
    for new_slug in (OTHER_UNIT, "Not A Slug"):
        with pytest.raises(edits.EditError):
            edits.rename_unit(content, "wen-hua-gong-si-gong-hui", "文化集团工会", new_slug)
    assert (entries(content), (content / "organizations.yml").read_bytes()) == before


# ---- the review page's refusals ----


def call(app: ReviewApp, method: str, path: str, form: dict | None = None, **environ) -> tuple[str, str]:
    body = urllib.parse.urlencode(form or {}, doseq=True).encode()
    env = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "SERVER_PORT": "8000",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        **environ,
    }
    status = []
    out = app(env, lambda s, headers: status.append(s))
    return status[0], b"".join(out).decode()


def test_review_page_lists_doubtful_reports_with_their_source_lines(content):
    app = ReviewApp(content, lambda: None)
    status, html = call(app, "GET", "/_review/")
    assert status == "200 OK" and f'data-report="{REPORT}"' in html
    assert "原文中没有找到年份" in html and app.token in html
    first_source_line = "企业的和谐发展"  # line 209 of the report's source
    assert first_source_line in html


@pytest.mark.parametrize(
    "environ, form",
    [
        ({"REMOTE_ADDR": "192.168.1.20"}, {}),
        ({"HTTP_HOST": "attacker.example:8000"}, {}),
        ({"HTTP_ORIGIN": "http://attacker.example"}, {}),
        ({}, {"token": "guessed"}),
    ],
    ids=["other-machine", "rebound-host", "other-origin", "wrong-token"],
)
def test_review_writes_are_refused_from_elsewhere(content, environ, form):
    app = ReviewApp(content, lambda: None)
    before = entries(content)
    fields = {"token": app.token, "id": REPORT, "base": entry_digest(content, REPORT), "year": "2016", **form}
    status, html = call(app, "POST", "/_review/correct", fields, **environ)
    assert status == "403 Forbidden" and entries(content) == before


@pytest.mark.parametrize("report_id", ["../organizations", "r-0000000000", "R-11BD7F6898"])
def test_a_request_names_only_existing_entries(content, report_id):
    app = ReviewApp(content, lambda: None)
    before = entries(content)
    fields = {"token": app.token, "id": report_id, "base": "x", "year": "2016"}
    status, _ = call(app, "POST", "/_review/correct", fields)
    assert status == "404 Not Found" and entries(content) == before


def test_a_form_value_that_is_no_year_is_shown_back_in_chinese(content):
    app = ReviewApp(content, lambda: None)
    before = entries(content)
    fields = {"token": app.token, "id": REPORT, "base": entry_digest(content, REPORT), "year": "二〇一六"}
    status, html = call(app, "POST", "/_review/correct", fields)
    assert status == "400 Bad Request" and "年份：请写成四位数字" in html and 'value="二〇一六"' in html
    assert entries(content) == before


def test_merge_repoints_units_whose_parent_left(content):
    text = (content / "organizations.yml").read_text(encoding="utf-8")
    data = yamlio.load(text)
    number = next(i for i, item in enumerate(data) if item["id"] == "wen-hua-gong-si-gong-hui")
    from generator.yamledit import edit_items

    (content / "organizations.yml").write_text(
        edit_items(text, {number: {**data[number], "parent": "hou-qin-chu-gong-hui"}}), encoding="utf-8"
    )
    edits.merge_units(content, "hou-qin-chu-gong-hui", OTHER_UNIT)
    assert registry(content)["wen-hua-gong-si-gong-hui"]["parent"] == OTHER_UNIT
    assert_valid(content)


# ---- the preview server ----


def test_serve_shows_the_errors_until_the_first_good_build_and_never_builds_the_review_page(content, tmp_path):
    import threading
    import time
    import urllib.error
    import urllib.request

    from generator.serve import make_server
    from site_fixtures import write_config

    entry_path = content / "reports" / f"{REPORT}.yml"
    good = entry_path.read_text(encoding="utf-8")
    entry_path.write_text(good.replace("year: null\n", "year: abc\n"), encoding="utf-8")
    out = tmp_path / "preview"
    server = make_server(content_dir=content, config_path=write_config(tmp_path), host="127.0.0.1", port=0, out_dir=out)
    threading.Thread(target=server.serve, daemon=True).start()

    def get(path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{server.server_address[1]}{path}", timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def poll(path: str, condition, deadline: float) -> tuple[int, str]:
        while True:
            try:
                answer = get(path)
                if condition(*answer):
                    return answer
            except urllib.error.URLError:
                pass
            assert time.monotonic() < deadline, f"timed out waiting on {path}"
            time.sleep(0.2)

    try:
        deadline = time.monotonic() + 60
        while server.server_address[1] == 0:
            time.sleep(0.05)
        status, html = poll("/", lambda s, h: True, deadline)
        assert status == 404 and f"reports/{REPORT}.yml" in html and "year" in html and "livereload" in html
        entry_path.write_text(good, encoding="utf-8")
        status, html = poll("/", lambda s, h: s == 200, deadline + 60)
        assert "preview-build-failure" not in html and 'href="/_review/"' in html
        assert not any("_review" in p.name for p in out.rglob("*"))
        assert "_review" not in (out / "index.html").read_text(encoding="utf-8")
    finally:
        server.shutdown(wait=True)


def test_units_are_merged_from_the_units_page(content):
    app = ReviewApp(content, lambda: None)
    status, html = call(app, "GET", "/_review/units")
    assert status == "200 OK" and "文化公司工会" in html
    form = {"token": app.token, "source": "wen-hua-gong-si-gong-hui", "target": OTHER_UNIT}
    status, _ = call(app, "POST", "/_review/units/merge", form)
    assert status == "303 See Other" and "wen-hua-gong-si-gong-hui" not in registry(content)
    status, html = call(app, "POST", "/_review/units/merge", {**form, "source": OTHER_UNIT})
    assert status == "400 Bad Request" and "同一个单位" in html


def test_a_registry_written_with_chinese_labels_is_read_as_check_reads_it(content):
    """`kind: 街道` is a valid registry entry for check; the review page offers the unit and
    edits the registry as well."""
    from generator.review.queue import load_units

    registry = content / "organizations.yml"
    text = registry.read_text(encoding="utf-8")
    registry.write_text(text.replace("kind: street", "kind: 街道"), encoding="utf-8")
    assert "kind: 街道" in registry.read_text(encoding="utf-8")
    assert not check_content(content).failed()
    units = load_units(content)
    street = next(u for u in units if u.kind == "street")
    assert len(units) == len(yamlio.load(registry.read_text(encoding="utf-8")))
    edits.rename_unit(content, street.id, street.name + "（更名）")  # the same slug: no report changes
    assert f"name: {street.name}（更名）" in registry.read_text(encoding="utf-8")
    assert not check_content(content).failed()
