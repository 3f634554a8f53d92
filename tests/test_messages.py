"""Messages a clerk can act on: Chinese labels read with a warning, validation in our words with
file, line and field, units suggested, missing paths refused, the way out of a wrong folder."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import run_cli
from generator import labels
from generator.content import check_content
from site_fixtures import FIXTURE_CONTENT

ENTRY = "reports/dongcheng-2019-summary.yml"
LABELS = (
    [("org_kind", label, code) for code, label in labels.ORG_KIND.items()]
    + [("period", label, code) for code, label in labels.PERIOD.items()]
    + [("doc_type", label, code) for code, label in labels.DOC_TYPE.items()]
    + [("script", label, code) for code, label in labels.SCRIPT.items()]
    + [
        ("org_kind", "醫院", "hospital"),  # Traditional script
        ("doc_type", "總結", "summary"),
        ("org_kind", "Hospital", "hospital"),  # the code in another case
        ("year", "2019年", 2019),
        ("year", "２０１９年度", 2019),
        ("year", "二〇一九年", 2019),
    ]
)


@pytest.fixture(scope="module")
def fixture_copy(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("messages") / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    return content


def with_line(content: Path, entry: str, field: str, value: str) -> int:
    """Sets `field: value` in the entry; the line it is on."""
    path = content / entry
    lines = (FIXTURE_CONTENT / entry).read_text(encoding="utf-8").splitlines()
    number = next((n for n, line in enumerate(lines) if line.startswith(f"{field}:")), len(lines))
    lines[number:number + 1] = [f"{field}: {value}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return number + 1


@pytest.mark.parametrize(("field", "label", "code"), LABELS, ids=[f"{f}={v}" for f, v, _ in LABELS])
def test_a_chinese_label_is_read_as_its_value_with_a_warning(fixture_copy, field, label, code):
    line = with_line(fixture_copy, ENTRY, field, label)
    result = check_content(fixture_copy)
    report = next(r for r in result.reports if r.id == "dongcheng-2019-summary")
    assert getattr(report, field) == code
    (warning,) = [p for p in result.problems if p.file == ENTRY]
    assert warning.severity == "warning" and not result.failed()
    assert str(warning) == f"{ENTRY}:{line}: {field}: '{label}' read as {code}; write `{field}: {code}` to drop this warning"


def test_a_unit_kind_in_the_registry_is_read_from_its_label(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    registry = content / "organizations.yml"
    registry.write_text(registry.read_text(encoding="utf-8").replace("  kind: federation", "  kind: 总工会"), encoding="utf-8")
    result = check_content(content)
    assert next(o for o in result.organizations if o.id == "city-federation").kind == "federation"
    (warning,) = result.problems
    assert str(warning) == "organizations.yml:9: kind: '总工会' read as federation; write `kind: federation` to drop this warning"


def test_a_wrong_value_names_file_line_field_and_the_values_to_write(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    kind_line = with_line(content, ENTRY, "org_kind", "城堡")
    year_line = with_line(content, "reports/dongcheng-2020-plan.yml", "year", "明年")
    result = run_cli("check", "--content", str(content))
    assert result.returncode == 1
    assert (
        f"{ENTRY}:{kind_line}: org_kind: '城堡' is not a value of org_kind; write one of street (街道), "
        "community (社区), township (乡镇), school (学校), enterprise (企业), hospital (医院), bank (银行), "
        "federation (总工会), government (机关事业单位), mine (矿山), other (其他)"
    ) in result.stderr
    assert (
        f"reports/dongcheng-2020-plan.yml:{year_line}: year: '明年' is not a year; write it as four digits, "
        "such as 2019 (1949-2100), or leave it empty if the report gives none"
    ) in result.stderr
    assert "Input should" not in result.stderr and "Traceback" not in result.stderr


def test_a_mistyped_unit_gets_its_line_and_the_nearest_units(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    line = with_line(content, ENTRY, "unit", "dongcheng-stret")
    by_name = with_line(content, "reports/dongcheng-2020-plan.yml", "unit", "东城街道总工会")
    result = run_cli("check", "--content", str(content))
    assert result.returncode == 1
    assert (
        f"{ENTRY}:{line}: unit: 'dongcheng-stret' is not in organizations.yml; did you mean "
        "'dongcheng-street' (东城街道工会)? Write that slug, or add the unit to organizations.yml"
    ) in result.stderr
    # A unit's name or alias written in place of its slug leads to the slug.
    assert re.search(
        rf"dongcheng-2020-plan\.yml:{by_name}: unit: '东城街道总工会' is not in organizations\.yml; "
        r"did you mean 'dongcheng-street' \(东城街道工会\)", result.stderr
    )


def test_importing_a_path_that_does_not_exist_is_an_error(tmp_path):
    there = tmp_path / "报告.txt"
    there.write_text("街道工会工作总结\n一、组织建设\n新建工会三家。\n", encoding="utf-8")
    content = tmp_path / "content"
    result = run_cli("import", "--quiet", str(there), str(tmp_path / "报吿.txt"), "--content", str(content))
    assert result.returncode == 1
    assert "nothing was imported: 1 of the paths given do not exist" in result.stderr
    assert f"{tmp_path / '报吿.txt'}: no such file or folder; check the name" in result.stderr
    assert not (content / "reports").exists()


def test_build_outside_the_archive_says_how_to_find_it(tmp_path):
    result = run_cli("build", cwd=tmp_path)
    assert result.returncode == 1
    assert (
        "error: site_config.yml: not found; run report-archive from the archive's folder "
        "(the one holding site_config.yml and content/), or pass --config FILE"
    ) in result.stderr


def test_build_says_which_labels_it_read_and_builds(tmp_path):
    """A build accepts a Chinese label as check does, and says so: the clerk who never runs
    check still learns what to write."""
    from site_fixtures import write_config

    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    line = with_line(content, ENTRY, "org_kind", "街道")
    config = write_config(tmp_path)
    result = run_cli("build", "--content", str(content), "--config", str(config), "--out", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    assert f"{ENTRY}:{line}: org_kind: '街道' read as street" in result.stderr
    assert "1 warning" in result.stdout
    again = run_cli("build", "--content", str(content), "--config", str(config), "--out", str(tmp_path / "site"))
    assert again.returncode == 0 and f"{ENTRY}:{line}: org_kind: '街道' read as street" in again.stderr  # entries reused
