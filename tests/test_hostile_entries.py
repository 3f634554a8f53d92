"""Hostile entries under content/reports/: every one is reported by `check` (and refused by `build`)
as `file:line: field: message; what to do`, exit 1, no traceback; the archive is never changed.

The hostile files live in tests/hostile/entries/ (the 10 MB body is generated at test time).
Related cases elsewhere: unknown fields and duplicate ids in test_check.py
(test_entry_with_unknown_field_warns_and_fails_under_strict,
test_entries_with_duplicate_ids_and_unit_slugs_are_errors), every problem in one run
(test_check.py::test_all_problems_reported_in_one_run), an unknown unit at build time
(test_build.py::test_unknown_unit_is_an_error_naming_the_report).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import run_cli
from site_fixtures import FIXTURE_CONTENT, tree_bytes, write_config

HOSTILE = Path(__file__).parent / "hostile" / "entries"


def content_with(tmp_path: Path, *names: str) -> Path:
    """The sample content plus the named hostile entries."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    for name in names:
        shutil.copy(HOSTILE / name, content / "reports" / name)
    return content


def check(content: Path, *options: str, cwd: Path | None = None):
    before = tree_bytes(content)
    result = run_cli("check", *options, "--content", str(content), cwd=cwd)
    assert "Traceback" not in result.stdout + result.stderr
    assert tree_bytes(content) == before, "check must never change the content"
    return result


def assert_refused(result, *patterns: str) -> None:
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    for pattern in patterns:
        assert re.search(pattern, out), f"{pattern!r} not in:\n{out}"


def test_entry_with_malformed_yaml_is_reported_with_file_and_line(tmp_path):
    result = check(content_with(tmp_path, "malformed-yaml.yml"))
    # Line 4 opens the quote that is never closed: that is where the clerk must look.
    assert_refused(
        result,
        r"reports/malformed-yaml\.yml:4: yaml: while scanning a quoted scalar that starts here, "
        r"found unexpected end of stream \(line 9\); fix the YAML syntax",
    )


def test_entry_with_wrong_types_names_every_field_and_line(tmp_path):
    result = check(content_with(tmp_path, "wrong-types.yml"))
    assert_refused(
        result,
        r"reports/wrong-types\.yml:2: title: Input should be a valid string; correct the value",
        r"reports/wrong-types\.yml:3: year: Input should be a valid integer",
        r"reports/wrong-types\.yml:4: date: Input should be a valid date",  # 2019-13-45
        r"reports/wrong-types\.yml:5: lead: Input should be a valid list",
        r"reports/wrong-types\.yml:6: needs_review: Input should be a valid list",
        r"reports/wrong-types\.yml:7: sources: Input should be a valid list",
    )


def test_entry_missing_required_fields_names_each_one(tmp_path):
    result = check(content_with(tmp_path, "missing-fields.yml"))
    for field in ("id", "title", "sources"):
        assert_refused(result, rf"reports/missing-fields\.yml: {field}: Field required; add this field")


def test_entry_with_blank_title_is_an_error(tmp_path):
    result = check(content_with(tmp_path, "blank-title.yml"))
    assert_refused(result, r"reports/blank-title\.yml:2: title: title is empty; write the report's title")


@pytest.mark.parametrize("year", [0, 3024])
def test_entry_with_impossible_year_is_an_error(tmp_path, year):
    result = check(content_with(tmp_path, f"year-{year}.yml"))
    assert_refused(
        result,
        rf"reports/year-{year}\.yml:3: year: {year} is not a plausible year \(1949-2100\); correct it",
    )


def test_entry_pointing_at_a_unit_not_in_the_registry_is_an_error(tmp_path):
    result = check(content_with(tmp_path, "unknown-unit.yml"))
    assert_refused(
        result,
        r"reports/unknown-unit\.yml: unit: 'no-such-unit' is not in organizations\.yml; "
        r"add the unit there or fix the slug",
    )


def test_entry_with_empty_body_is_an_error(tmp_path):
    result = check(content_with(tmp_path, "empty-body.yml"))
    assert_refused(
        result,
        r"reports/empty-body\.yml: \(entry\): body is empty: neither lead nor sections; "
        r"add the report's text under lead: or sections:",
    )


@pytest.mark.parametrize(
    ("name", "pattern"),
    [
        ("duplicate-key.yml", r":5: title: is given twice \(first on line 2\); keep one"),
        ("alias-bomb.yml", r": yaml: its aliases \(\*name\) expand to more than 1,000,000 values"),
        ("self-alias.yml", r":3: yaml: a value contains itself through an alias"),
        ("python-tag.yml", r":2: yaml: could not determine a constructor for the tag .*python/object"),
        ("not-a-mapping.yml", r": expected a mapping of field: value; an entry is one report"),
        ("not-utf8.yml", r": not UTF-8 text; save the file as UTF-8"),
    ],
)
def test_entry_with_untrustworthy_yaml_is_refused(tmp_path, name, pattern):
    """YAML that parses but must not be taken as is: keys given twice, alias bombs, Python tags ..."""
    result = check(content_with(tmp_path, name), cwd=tmp_path)
    assert_refused(result, re.escape(f"reports/{name}") + pattern)
    assert not (tmp_path / "hostile-python-tag-ran").exists()  # no tag is ever executed


def test_entry_nested_too_deeply_is_refused_without_crashing(tmp_path):
    """200,000 levels crashed libyaml (a segmentation fault, no message at all)."""
    content = content_with(tmp_path)
    (content / "reports" / "deep.yml").write_text(
        "id: deep\ntitle: t\nlead: " + "[" * 200_000 + "]" * 200_000 + "\n", encoding="utf-8"
    )
    result = check(content)
    # Whichever stops the parse (libyaml's own limit or ours), the clerk is told the file and
    # line, and no traceback.
    assert_refused(result, r"reports/deep\.yml:3: yaml: .*(nest|deep).*; fix the YAML")
    assert "Traceback" not in result.stdout + result.stderr


def test_entry_with_sections_nested_too_deeply_is_refused(tmp_path):
    content = content_with(tmp_path)
    section = {"heading": "最内层", "paragraphs": ["文字"]}
    for level in range(20):
        section = {"heading": f"第{level}层", "sections": [section]}
    entry = yaml.safe_load((content / "reports" / "dongcheng-2020-plan.yml").read_text(encoding="utf-8"))
    entry["sections"] = [section]
    (content / "reports" / "dongcheng-2020-plan.yml").write_text(
        yaml.safe_dump(entry, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    assert_refused(
        check(content),
        r"reports/dongcheng-2020-plan\.yml: \(entry\): sections are nested 21 levels deep \(at most 12\)",
    )


def test_build_refuses_hostile_entries_and_keeps_the_previous_site(tmp_path):
    content = content_with(tmp_path)
    config = write_config(tmp_path)
    site = tmp_path / "site"
    first = run_cli("build", "--content", str(content), "--config", str(config), "--out", str(site))
    assert first.returncode == 0, first.stderr
    before = tree_bytes(site)
    for path in sorted(HOSTILE.glob("*.yml")):
        shutil.copy(path, content / "reports" / path.name)
    result = run_cli("build", "--content", str(content), "--config", str(config), "--out", str(site))
    assert_refused(result, r"problems in the content; run 'report-archive check'")
    listed = {line.split(":")[0].strip() for line in result.stderr.splitlines()[1:]}
    # Every broken entry is listed in the one run (the unknown field is only a warning).
    expected = {f"reports/{p.name}" for p in HOSTILE.glob("*.yml")} - {"reports/unknown-field.yml"}
    assert expected <= listed, expected - listed
    assert "Traceback" not in result.stderr
    assert tree_bytes(site) == before


def test_errors_have_no_traceback_but_debug_shows_one(tmp_path):
    content = content_with(tmp_path, "empty-body.yml")
    config = write_config(tmp_path)
    args = ("build", "--content", str(content), "--config", str(config), "--out", str(tmp_path / "site"))
    plain = run_cli(*args)
    assert plain.returncode == 1 and "Traceback" not in plain.stderr
    assert plain.stderr.startswith("error: ")
    debug = run_cli("--debug", *args)
    assert debug.returncode == 1 and "Traceback (most recent call last)" in debug.stderr


def _ten_mb_entry(content: Path) -> tuple[Path, str]:
    paragraph = "继续推进职工之家建设，完善厂务公开和职代会制度，深化安康杯竞赛。" * 20
    count = 10 * 2**20 // len(paragraph.encode("utf-8")) + 1
    entry = {
        "id": "ten-mb-body",
        "title": "十兆字节的报告",
        "unit": "dongcheng-street",
        "year": 2019,
        "lead": [f"第{n}段：{paragraph}" for n in range(count)],
        "sources": [
            {
                "file": "sources/a01_dongcheng.txt",
                "lines": [1, 8],
                "sha256": "0dca7b6909144cfce5e8e5ba12ffdcee9b9a41c90b72b4f272260d1a42018cb6",
            }
        ],
    }
    path = content / "reports" / "ten-mb-body.yml"
    path.write_text(yaml.safe_dump(entry, allow_unicode=True, sort_keys=False, width=10**9), encoding="utf-8")
    assert path.stat().st_size > 10 * 2**20
    return path, f"第{count - 1}段：{paragraph}"


def test_entry_with_10_mb_body_passes_check(tmp_path):
    content = content_with(tmp_path)
    _ten_mb_entry(content)
    result = check(content)
    assert result.returncode == 0, result.stderr
    assert "7 reports" in result.stdout and "0 errors" in result.stdout


def test_entry_with_10_mb_body_builds_with_all_its_text(tmp_path):
    content = content_with(tmp_path)
    _, last = _ten_mb_entry(content)
    site = tmp_path / "site"
    result = run_cli(
        "build", "--content", str(content), "--config", str(write_config(tmp_path)), "--out", str(site)
    )
    assert result.returncode == 0, result.stderr
    page = (site / "reports" / "ten-mb-body.html").read_text(encoding="utf-8")
    assert page.count("继续推进职工之家建设") > 10 * 2**20 // 100  # every paragraph is there
    assert last[:40] in page
