"""The importer against the seeds' hand-checked ground truth."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator.content import check_content
from generator.importer.pipeline import IMPORT_LOG, import_paths
from generator.model import Report
from seed_truth import (
    SEEDS_DIR,
    TRUTH_DIR,
    first_content_line,
    load_boilerplate,
    load_truth,
    normalize,
    normalize_heading,
    require_shared,
)


@pytest.fixture(autouse=True, scope="module")
def _seed_truth_beside():
    require_shared(TRUTH_DIR, SEEDS_DIR)


FIELDS = ("organization", "org_kind", "year", "year_placeholder", "period", "doc_type", "top_headings")


def reports(content: Path) -> list[Report]:
    result = check_content(content)
    assert not result.problems, [str(p) for p in result.problems]
    return result.reports


def entry_of(segment, entries: list[Report]) -> tuple[Report, int] | None:
    """The entry holding a truth segment, and the index of the matching source."""
    start, end = segment.lines
    starts = {start, first_content_line(segment.file, start)}
    for report in entries:
        for index, source in enumerate(report.sources):
            if Path(source.file).name == segment.file and source.lines[1] == end and source.lines[0] in starts:
                return report, index
    return None


def test_one_entry_per_unique_report(imported_seeds):
    assert len(reports(imported_seeds)) == 31


def test_every_segment_range_matches_the_truth(imported_seeds):
    entries = reports(imported_seeds)
    missing = [s.key for s in load_truth() if entry_of(s, entries) is None]
    assert missing == []


def test_duplicate_copies_are_recorded_in_sources(imported_seeds):
    entries = reports(imported_seeds)
    truth = {s.key: s for s in load_truth()}
    copies = [s for s in truth.values() if s.data["duplicate_of"]]
    assert len(copies) == 6
    for copy in copies:
        report, _ = entry_of(copy, entries)
        original, _ = entry_of(truth[copy.data["duplicate_of"]], entries)
        assert report.id == original.id, f"{copy.key} should share an entry with {copy.data['duplicate_of']}"
        kinds = {s.kind for s in report.sources[1:]}
        assert kinds <= {"exact", "near"} and kinds
    assert sum(len(r.sources) - 1 for r in entries) == 6


def test_no_boilerplate_or_pinyin_in_entries(imported_seeds):
    text = "\n".join(normalize(r.plain_text()) for r in reports(imported_seeds))
    for file, strings in load_boilerplate().items():
        for string in strings:
            assert string not in text, f"boilerplate from {file} left in an entry: {string}"
    raw = "\n".join(r.plain_text() for r in reports(imported_seeds))
    assert not re.search(r"[\u4e00-\u9fff]\(([a-zü]|[\u00e0-\u01dc])+\)", raw)


def _agreement(segment, report: Report) -> dict[str, bool]:
    values = {name: getattr(report, name) for name in FIELDS[:-1]}
    result = {name: segment.accepts(name, value) for name, value in values.items()}
    mine = [normalize_heading(s.heading) for s in report.sections]
    result["top_headings"] = mine == [normalize_heading(h) for h in segment.data["top_headings"]]
    return result


def test_metadata_agrees_with_truth_for_ninety_percent(imported_seeds):
    entries = reports(imported_seeds)
    per_field = {name: 0 for name in FIELDS}
    compared = 0
    for segment in load_truth():
        report, index = entry_of(segment, entries)
        if index != 0:
            continue  # metadata and headings come from the copy the text was taken from
        compared += 1
        for name, ok in _agreement(segment, report).items():
            per_field[name] += ok
    total = sum(per_field.values()) / (compared * len(FIELDS))
    print("\nagreement per field:", {k: f"{v}/{compared}" for k, v in per_field.items()}, f"total {total:.1%}")
    assert compared == 31
    assert total >= 0.90


def test_every_line_is_in_an_entry_or_in_the_import_log(imported_seeds):
    entries = reports(imported_seeds)
    log = yaml.safe_load((imported_seeds / IMPORT_LOG).read_text(encoding="utf-8"))
    for seed in sorted(SEEDS_DIR.glob("*.txt")):
        lines = seed.read_text(encoding="utf-8").split("\n")
        covered: set[int] = set()
        for report in entries:
            for source in report.sources:
                if Path(source.file).name == seed.name:
                    covered |= set(range(source.lines[0], source.lines[1] + 1))
        logged = {item["lines"][0] for item in log[f"sources/{seed.name}"]["left_out"]}
        lost = [n for n, text in enumerate(lines, 1) if text.strip() and n not in covered | logged]
        assert lost == [], f"{seed.name}: lines neither imported nor logged: {lost}"


def test_entries_are_valid_ascii_ids_and_round_trip(imported_seeds):
    from generator.importer.pipeline import report_dict_for_file
    from generator.yamlio import dump

    for path in sorted((imported_seeds / "reports").glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        report = Report.model_validate(yaml.safe_load(text))
        assert report.id.isascii() and path.stem == report.id
        assert dump(report_dict_for_file(report)) == text


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.endswith(".lock")}


def test_reimport_changes_no_file(imported_seeds, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(imported_seeds, content)
    before = _tree(content)
    summary = import_paths([content / "sources"], content, progress=False)
    assert summary.written == [] and summary.unchanged == 31
    assert _tree(content) == before


def test_hand_edited_entry_is_kept_and_reported(imported_seeds, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(imported_seeds, content)
    entry = sorted((content / "reports").glob("*.yml"))[0]
    edited = entry.read_text(encoding="utf-8").replace("title_generated: true", "title_generated: false", 1)
    edited = re.sub(r"^title: .*$", "title: 经人工校对的标题", edited, count=1, flags=re.M)
    entry.write_text(edited, encoding="utf-8")
    summary = import_paths([content / "sources"], content, progress=False)
    assert entry.read_text(encoding="utf-8") == edited
    assert len(summary.conflicts) == 1 and entry.name in summary.conflicts[0]
