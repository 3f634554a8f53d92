"""What the importer doubted: its reason is kept with the entry, `check --review` says why and how
to clear it, and the site's notice names the doubted fields on those reports only."""

from __future__ import annotations

import re
import shutil

import pytest

from conftest import run_cli
from generator.content import check_content
from generator.importer.pipeline import import_paths
from generator.yamlio import dump, load
from site_fixtures import FIXTURE_CONTENT, shared_sample

# No title line, no year, no place: the importer doubts all three.
UNDATED = (
    "公司工会在上级工会的领导下，围绕企业中心工作，现将工作总结如下：\n"
    "一、建设职工书屋\n"
    "新购图书八百册，全年借阅两千余人次。\n"
    "二、开展节日慰问\n"
    "端午、中秋走访一线班组，慰问职工二百余人。\n"
)


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw") / "总结.txt"
    raw.write_text(UNDATED, encoding="utf-8")
    content = tmp_path_factory.mktemp("review") / "content"
    import_paths([raw], content, progress=False)
    return content


def test_the_importer_keeps_a_reason_for_each_doubted_field(imported):
    (report,) = check_content(imported).reports
    assert {"year", "place", "title"} <= set(report.needs_review)
    assert set(report.review_reasons) == set(report.needs_review)
    assert report.review_reasons["year"].startswith("the text gives no year of its own")
    assert report.review_reasons["title"] == "the text has no title line; the title was made from the unit, year and type"


def test_check_review_gives_the_reason_and_how_to_clear_each_field(imported):
    result = run_cli("check", "--review", "--content", str(imported))
    assert result.returncode == 0, result.stderr
    (entry,) = (imported / "reports").glob("*.yml")
    label = f"reports/{entry.name}"
    year_line = next(n for n, line in enumerate(entry.read_text(encoding="utf-8").splitlines(), 1) if line.startswith("year:"))
    assert (
        f"{label}:{year_line}: year: the text gives no year of its own (no date, no '2019年工作总结') and no placeholder "
        "such as 20xx年; write the year in `year:`, or leave it empty if the report gives none, "
        "then remove year from needs_review"
    ) in result.stdout.splitlines()
    assert re.search(rf"^{re.escape(label)}:\d+: place: the text names no province, city, district or county; ", result.stdout, re.M)
    assert (
        "1 report(s) with fields to review. To clear one: correct the field in the entry (or find it right) and "
        "remove it from needs_review, or use the review page of 'report-archive serve'"
    ) in result.stdout


def test_a_cleared_field_is_no_longer_listed_and_older_entries_get_the_usual_reason(imported, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(imported, content)
    (entry,) = (content / "reports").glob("*.yml")
    data = load(entry.read_text(encoding="utf-8"))
    data["year"] = 2018
    data["needs_review"] = [f for f in data["needs_review"] if f != "year"]
    del data["review_reasons"]  # an entry imported before reasons were kept
    entry.write_text(dump(data), encoding="utf-8")
    out = run_cli("check", "--review", "--content", str(content)).stdout
    assert ": year:" not in out
    assert ": place: the text names no province, city, district or county;" in out


def test_the_notice_names_the_doubted_fields_on_those_reports_only(tmp_path_factory):
    sample = shared_sample(tmp_path_factory)
    doubted = {
        path.stem
        for path in (FIXTURE_CONTENT / "reports").glob("*.yml")
        if load(path.read_text(encoding="utf-8")).get("needs_review")
    }
    assert doubted == {"no4-school-report"}
    for page in (sample.site / "reports").glob("*.html"):
        html = page.read_text(encoding="utf-8")
        if page.stem in doubted:
            assert "本条目的整理结果尚待人工核对。以下字段尚待核对：年份。" in html
        else:
            assert "尚待人工核对" not in html, page.name
