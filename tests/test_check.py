"""`report-archive check`: every problem at once, as file:line: field: message, exit 1, no traceback."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import run_cli


def copy_content(imported_seeds: Path, tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(imported_seeds, content)
    return content


def entry_paths(content: Path) -> list[Path]:
    return sorted((content / "reports").glob("*.yml"))


def test_valid_content_passes(imported_seeds):
    result = run_cli("check", "--content", str(imported_seeds))
    assert result.returncode == 0, result.stderr
    assert "31 reports" in result.stdout and "0 errors" in result.stdout


def test_all_problems_reported_in_one_run(imported_seeds, tmp_path):
    content = copy_content(imported_seeds, tmp_path)
    first, second, third, fourth = entry_paths(content)[:4]
    first.write_text("id: [unclosed\n", encoding="utf-8")
    data = yaml.safe_load(second.read_text(encoding="utf-8"))
    data["year"] = 3024
    data["org_kind"] = "castle"
    second.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    data = yaml.safe_load(third.read_text(encoding="utf-8"))
    data["unit"] = "no-such-unit"
    third.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    data = yaml.safe_load(fourth.read_text(encoding="utf-8"))
    del data["sources"]
    fourth.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    result = run_cli("check", "--content", str(content))
    out = result.stdout + result.stderr
    assert result.returncode == 1
    assert "Traceback" not in out
    assert re.search(rf"reports/{first.name}:\d+: yaml: ", out)
    assert f"reports/{second.name}:" in out and "year: 3024 is not a plausible year" in out
    assert "org_kind: 'castle' is not a value of org_kind; write one of street (街道), community (社区)" in out
    assert f"reports/{third.name}" in out and "unit: 'no-such-unit' is not in organizations.yml" in out
    assert f"reports/{fourth.name}: sources: is missing; add a line `sources: …` with its value" in out


def test_entry_with_unknown_field_warns_and_fails_under_strict(imported_seeds, tmp_path):
    content = copy_content(imported_seeds, tmp_path)
    entry = entry_paths(content)[0]
    entry.write_text(entry.read_text(encoding="utf-8") + "colour: red\n", encoding="utf-8")
    relaxed = run_cli("check", "--content", str(content))
    assert relaxed.returncode == 0
    assert f"reports/{entry.name}:" in relaxed.stdout and "colour: unknown field" in relaxed.stdout
    strict = run_cli("check", "--strict", "--content", str(content))
    assert strict.returncode == 1


def test_entries_with_duplicate_ids_and_unit_slugs_are_errors(imported_seeds, tmp_path):
    content = copy_content(imported_seeds, tmp_path)
    first, second = entry_paths(content)[:2]
    shutil.copy(first, content / "reports" / "r-0000000000.yml")
    units = yaml.safe_load((content / "organizations.yml").read_text(encoding="utf-8"))
    units.append(dict(units[0]))
    (content / "organizations.yml").write_text(yaml.safe_dump(units, allow_unicode=True), encoding="utf-8")
    result = run_cli("check", "--content", str(content))
    assert result.returncode == 1
    assert "does not match the file name" in result.stderr
    assert f"duplicate id '{first.stem}'" in result.stderr
    assert f"duplicate slug '{units[0]['id']}'" in result.stderr


def test_source_with_other_bytes_than_its_entries_record_is_an_error(imported_seeds, tmp_path):
    content = copy_content(imported_seeds, tmp_path)
    entry = entry_paths(content)[0]
    source = yaml.safe_load(entry.read_text(encoding="utf-8"))["sources"][0]["file"]
    with open(content / source, "ab") as handle:
        handle.write("\n补充一行。\n".encode())
    result = run_cli("check", "--content", str(content))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    line = next(n for n, text in enumerate(entry.read_text(encoding="utf-8").splitlines(), 1) if text.startswith("sources:"))
    assert f"reports/{entry.name}:{line}: sources.0.sha256: '{source}' is not the file this report was imported from" in result.stderr


def test_review_lists_what_needs_a_person(imported_seeds):
    result = run_cli("check", "--review", "--content", str(imported_seeds))
    assert result.returncode == 0
    assert "review" in result.stdout
    assert "damaged text kept as found" in result.stdout  # mojibake in the Traditional seeds is flagged


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: 2\na: 3\n",
        "a:\n  x: 1\n  x: 2\nb:\n- c: 1\n  c: 2\n- d: [1, 2]\n  d: 3\nb: 4\n",
        "- {k: 1, k: 2}\n- [ {z: 1, z: 2} ]\n",
        "plain scalar\n",
        "",
    ],
)
def test_alias_free_yaml_gets_the_full_checks_problems(text):
    # Entries without aliases take a shorter path: the same problems, in the same order.
    from generator import content as content_module

    loader = content_module._Loader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    assert content_module._duplicate_keys(node, "x.yml") == content_module._structure_problems(node, "x.yml")
