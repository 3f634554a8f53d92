"""Unicode: invisible and direction-changing characters never reach entries or pages, confusable
slugs are refused, and years are read in every digit form Chinese reports use.

Raw inputs: tests/hostile/unicode/; the entry with zero-width characters and right-to-left
overrides in every field is built into the shared hostile site (tests/hostile_site.py).
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import run_cli
from generator.importer.dedup import fingerprint_text
from generator.importer.metadata import own_year, stated_date
from generator.importer.pipeline import import_paths
from hostile_site import article, hostile_sample, visible
from site_fixtures import FIXTURE_CONTENT

UNICODE = Path(__file__).parent / "hostile" / "unicode"
INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
HEADINGS = ["一、加强组织建设", "二、维护职工权益"]


def imported(tmp_path: Path, name: str) -> tuple[dict, str]:
    content = tmp_path / "content"
    summary = import_paths([UNICODE / name], content, progress=False)
    assert summary.skipped == [] and len(summary.written) == 1
    (path,) = (content / "reports").glob("*.yml")
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text), text


def test_zero_width_characters_are_removed_on_import(tmp_path):
    entry, text = imported(tmp_path, "zero-width.txt")
    assert not INVISIBLE.search(text)
    assert entry["title"] == "东城街道工会2013年工作总结" and entry["doc_type"] == "summary"
    assert entry["organization"] == "东城街道工会" and entry["year"] == 2013
    assert [s["heading"] for s in entry["sections"]] == HEADINGS


def test_right_to_left_override_is_removed_on_import(tmp_path):
    entry, text = imported(tmp_path, "right-to-left-override.txt")
    assert not INVISIBLE.search(text)
    raw = (UNICODE / "right-to-left-override.txt").read_text(encoding="utf-8")
    parts = [entry["title"], *entry["lead"]]
    for section in entry["sections"]:
        parts += [section["heading"], *section["paragraphs"]]
    assert "אבג" in parts[-1]  # the text itself is all kept, in order
    assert fingerprint_text("".join(parts)) == fingerprint_text(INVISIBLE.sub("", raw))


def test_right_to_left_override_and_zero_width_in_an_entry_never_reach_the_page(tmp_path_factory):
    site = hostile_sample(tmp_path_factory)
    page = (site.site / "reports" / "uni-direction-and-zero-width.html").read_text(encoding="utf-8")
    assert not INVISIBLE.search(page)
    assert "<title>东城街道工会结总作工2019年工作总结 - " in page  # shown in stored order, not reversed
    text = visible(article(page)).replace(" ", "")
    assert "今年以来，街道工会在区总工会的指导下开展工作。EVIL-REVERSED" in text
    assert "一、抓组织建设" in text and "全年新建基层工会12家。右到左" in text


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("unit", "dоngcheng-street"),  # Cyrillic о
        ("unit", "dongcheng-strееt"),  # Cyrillic е
        ("id", "ｄongcheng-2020-plan"),  # full-width ｄ
        ("id", "dongcheng-２020-plan"),  # full-width ２
        ("id", "dongcheng\u200b-2020-plan"),  # zero-width space
    ],
    ids=["cyrillic-o-slug", "cyrillic-e-slug", "full-width-letter-id", "full-width-digit-id", "zero-width-id"],
)
def test_confusable_characters_in_ids_and_slugs_are_refused(tmp_path, field, value):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    path = content / "reports" / "dongcheng-2020-plan.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data[field] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run_cli("check", "--content", str(content))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    expected = (
        f"unit: '{value}' is not in organizations.yml"
        if field == "unit"
        else "reports/dongcheng-2020-plan.yml:1: id: must be lowercase ASCII letters, digits and '-'"
    )
    assert expected in result.stderr, result.stderr


def test_confusable_characters_in_a_registry_slug_are_refused(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    registry = content / "organizations.yml"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace("- id: no4-school", "- id: nо4-school"), encoding="utf-8"
    )
    result = run_cli("check", "--content", str(content))
    assert result.returncode == 1
    assert re.search(r"organizations\.yml:\d+: id: slug must be non-empty lowercase ASCII letters", result.stderr)


def test_full_width_digits_in_year_are_read(tmp_path):
    entry, _ = imported(tmp_path, "full-width-year.txt")
    assert entry["year"] == 2013
    assert entry["title"] == "东城街道工会２０１３年工作总结"  # the title stays as written


def test_chinese_numeral_year_is_read(tmp_path):
    entry, _ = imported(tmp_path, "chinese-numeral-year.txt")
    assert entry["year"] == 2013


@pytest.mark.parametrize(
    "lead",
    ["2013年，街道工会", "２０１３年，街道工会", "２0１3年，街道工会", "二〇一三年，街道工会", "二零一三年度，街道工会", "二○一三年，街道工会"],
)
def test_every_digit_form_of_a_year_is_read(lead):
    assert own_year(lead, []) == 2013


@pytest.mark.parametrize("line", ["二〇一三年十二月二十日", "２０１３年１２月２０日", "2013年12月20日", "二〇一三年１２月20日"])
def test_every_digit_form_of_a_date_is_read(line):
    assert stated_date(["东城街道工会", line]) == date(2013, 12, 20)


@pytest.mark.parametrize("text", ["²⁰¹³年，街道工会", "①②③④年，街道工会"])
def test_digit_like_symbols_are_not_years_and_do_not_crash(text):
    assert own_year(text, []) is None


def test_circled_number_headings_do_not_crash_the_importer(tmp_path):
    """'①'.isdigit() is true but int('①') fails: this crashed every import of such a report."""
    entry, _ = imported(tmp_path, "circled-number-headings.txt")
    assert [s["heading"] for s in entry["sections"]][:1] == ["一、加强组织建设"]
    assert "① 新建工会组织十三家。" in yaml.safe_dump(entry, allow_unicode=True)
