"""One `report-archive import` over a folder of mixed formats, as a union office has them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from format_fixtures import (
    PLAN_PARAGRAPHS,
    PLAN_TITLE,
    build_docx,
    build_old_doc,
    build_pdf_lines,
    build_scanned_pdf,
    report_html,
)

SPEECH = [
    "在社区工会会员代表大会上的讲话",
    "同志们：",
    "这次会员代表大会是在社区各项工作全面推进的关键时期召开的。",
    "过去一年，社区工会紧紧围绕社区中心工作，",
    "在组建工会、维护权益、帮扶困难职工等方面做了大量工作。",
    "希望各位代表把大会精神带回去，团结带领广大职工建功立业。",
]

OPINION = """关于加强社区工会规范化建设的意见

为进一步加强社区工会规范化建设，充分发挥社区工会在服务职工、维护权益方面的作用，现提出如下意见。
一、健全组织机构。社区工会应依法依规按期换届，配齐配强工会主席和委员，做到有组织、有制度、有活动。
二、完善工作制度。建立会员代表大会、工会委员会议和经费审查制度，做到工作有计划、有记录、有总结。
三、加强阵地建设。建好职工之家和职工书屋，为职工提供学习、交流和活动的场所。
四、强化工作保障。社区党组织要把工会工作纳入整体工作安排，为工会开展工作提供必要的条件。
"""


def _mixed_folder(folder: Path) -> None:
    folder.mkdir()
    build_docx(folder, name="summary.docx")
    (folder / "plan.html").write_bytes(
        report_html("gb2312", PLAN_TITLE, PLAN_PARAGRAPHS).encode("gb18030")
    )
    build_pdf_lines(folder, "speech.pdf", [SPEECH])
    (folder / "opinion.txt").write_text(OPINION, encoding="utf-8")
    build_old_doc(folder, name="old-report.doc")
    build_scanned_pdf(folder, name="scan.pdf")


def test_import_a_folder_of_mixed_formats(tmp_path):
    raw, content = tmp_path / "raw", tmp_path / "content"
    _mixed_folder(raw)
    script = shutil.which("report-archive")  # the installed console script; same main() as -m
    command = [script] if script else [sys.executable, "-m", "generator"]
    result = subprocess.run(
        [*command, "import", str(raw), "--content", str(content)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    entries = [
        yaml.safe_load(p.read_text(encoding="utf-8")) for p in (content / "reports").glob("*.yml")
    ]
    firsts = {entry["sources"][0]["file"] for entry in entries}
    for name in ("summary.docx", "plan.html", "speech.pdf", "opinion.txt"):
        assert f"sources/{name}" in firsts, (name, firsts)
        assert (content / "sources" / name).read_bytes() == (raw / name).read_bytes()
    titles = {entry["title"] for entry in entries}
    assert {"2023年街道总工会工作总结", PLAN_TITLE} <= titles
    assert (
        f"skipped {raw / 'old-report.doc'}: .doc (old Word 97-2003 format) is not supported"
        in result.stdout
    )
    assert (
        f"skipped {raw / 'scan.pdf'}: this is a scanned PDF without a text layer" in result.stdout
    )
    assert not (content / "sources" / "old-report.doc").exists()
    assert "files read: 4" in result.stdout


def test_docx_import_keeps_word_headings_and_tables(tmp_path):
    from format_fixtures import REPORT_TITLE, TABLE_ROWS
    from generator.content import check_content
    from generator.importer.pipeline import import_paths

    raw = tmp_path / "raw"
    raw.mkdir()
    build_docx(raw, name="summary.docx")
    summary = import_paths([raw], tmp_path / "content", progress=False)
    assert summary.skipped == []
    (report,) = check_content(tmp_path / "content").reports
    assert report.title == REPORT_TITLE and not report.title_generated
    assert any("作者 街道总工会办公室" in note and "创建日期 2023-12-20" in note for note in report.import_notes)
    assert [s.heading for s in report.sections] == ["工作回顾"]
    level_two = report.sections[0].sections
    assert level_two[0].heading == "组织建设"
    tables = [block for _, section in report.iter_sections() for block in section.paragraphs if not isinstance(block, str)]
    assert [[list(row) for row in t.rows] for t in tables] == [[list(row) for row in TABLE_ROWS]]


def test_imported_original_is_downloadable_from_the_built_site(tmp_path):
    import re

    import lxml.html

    from generator.build import build_site
    from generator.importer.pipeline import import_paths

    raw = tmp_path / "raw"
    raw.mkdir()
    original = raw / "社区工会工作意见.txt"
    original.write_text(OPINION, encoding="utf-8")
    import_paths([raw], tmp_path / "content", progress=False)
    out = tmp_path / "site"
    build_site(content_dir=tmp_path / "content", config_path=Path(__file__).parent.parent / "site_config.yml", out_dir=out)
    (page,) = (out / "reports").glob("*.html")
    hrefs = lxml.html.fromstring(page.read_text(encoding="utf-8")).xpath("//@href")
    links = [href for href in hrefs if re.search(r"sources/.", href)]
    assert links, "the report page links to its original"
    published = (page.parent / links[0]).resolve()
    assert published.read_bytes() == original.read_bytes()
