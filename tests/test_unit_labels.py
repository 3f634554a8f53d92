"""Units of one name are told apart by place, else by their first report, wherever they are named."""

from __future__ import annotations

import shutil

from generator.content import load_archive
from generator.model import Organization, Report
from generator.unit_labels import display_names
from site_fixtures import FIXTURE_CONTENT, REPO, build_sample, tree_bytes

SOURCE = [{"file": "sources/a.txt", "lines": [1, 2], "sha256": "0" * 64}]


def _org(slug: str, name: str, place: str | None = None) -> Organization:
    return Organization(id=slug, name=name, place=place, anonymous=True)


def _report(rid: str, title: str, **fields) -> Report:
    return Report(id=rid, title=title, sources=SOURCE, lead=["正文。"], **fields)


def test_a_name_of_its_own_is_shown_as_it_is():
    assert display_names([(_org("a", "东城街道工会"), None), (_org("b", "西城街道工会"), None)]) == {
        "a": "东城街道工会",
        "b": "西城街道工会",
    }


def test_place_first_then_the_first_reports_title_then_its_year_and_type():
    shown = display_names(
        [
            (_org("a", "街道工会", "金乡县"), _report("r1", "街道工会20xx年工作总结")),
            (_org("b", "街道工会"), _report("r2", "街道工会2019年工作总结")),
            (_org("c", "街道工会"), _report("r3", "在职工大会上的讲话", year=2018, doc_type="speech")),
            (_org("d", "街道工会"), None),
        ]
    )
    assert shown == {
        "a": "街道工会（金乡县）",
        "b": "街道工会（2019年工作总结）",
        "c": "街道工会（2018年讲话）",
        "d": "街道工会（暂无报告）",
    }


def test_a_shared_place_and_a_shared_title_still_give_distinct_labels():
    shown = display_names(
        [
            (_org("a", "公司工会", "芜湖"), _report("r1", "公司工会工作总结")),
            (_org("b", "公司工会", "芜湖"), _report("r2", "公司工会工作计划")),
            (_org("c", "公司工会"), _report("r3", "公司工会工作计划")),
            (_org("d", "公司工会"), _report("r4", "公司工会工作计划")),
        ]
    )
    assert shown["a"] == "公司工会（芜湖，工作总结）" and shown["b"] == "公司工会（芜湖，工作计划）"
    assert shown["c"] == "公司工会（工作计划，c）" and shown["d"] == "公司工会（工作计划，d）"


def test_every_unit_of_the_archive_has_a_label_of_its_own():
    archive = load_archive(REPO / "content")
    first = {}
    for report in sorted(archive.reports, key=lambda r: r.id):
        first.setdefault(report.unit, report)
    shown = display_names((org, first.get(org.id)) for org in archive.organizations)
    assert len(set(shown.values())) == len(archive.organizations)
    street = sorted(label for label in shown.values() if label.startswith("街道工会"))
    assert len(street) == 4 and "街道工会（金乡县）" in street and "街道工会" not in street
    assert len([label for label in shown.values() if label.startswith("公司工会（")]) == 3


def test_an_update_after_a_label_changes_equals_a_full_build(tmp_path):
    """A unit's label follows its first report: a page listing only its second report changes too."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    first = content / "reports" / "street-anon-speech.yml"
    second = first.read_text(encoding="utf-8").replace("id: street-anon-speech", "id: street-anon-2020")
    (content / "reports" / "street-anon-2020.yml").write_text(second.replace("year: 2019", "year: 2020"), encoding="utf-8")
    before = build_sample(tmp_path, content)
    assert "街道工会（2019年讲话）" in (before.site / "years/2020.html").read_text(encoding="utf-8")
    first.write_text(first.read_text(encoding="utf-8").replace("year: 2019", "year: 2018"), encoding="utf-8")
    after = build_sample(tmp_path, content)
    assert after.result.updated
    assert "街道工会（2018年讲话）" in (after.site / "years/2020.html").read_text(encoding="utf-8")
    full = build_sample(tmp_path / "full", content)
    # The same site, file for file, but for the search index's layout; its unit names and
    # texts (where a result's unit is named) are the same too.
    same = ("search/units/", "search/text/")
    kept = [
        {path: data for path, data in tree_bytes(site).items() if not path.startswith("search/") or path.startswith(same)}
        for site in (after.site, full.site)
    ]
    assert any(path.startswith("search/text/") for path in kept[0]) and kept[0] == kept[1]
