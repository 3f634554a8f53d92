"""Paths: no id, slug, unit name or source name makes the tool read or write outside the content,
build and output folders, and a symbolic link in content/ that leads outside is refused, not followed.

(The writer's own guard against '../' outputs: test_build.py::test_writer_refuses_duplicates_and_escapes.)
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import run_cli
from generator.model import unsafe_file_name
from site_fixtures import FIXTURE_CONTENT, tree_bytes, write_config

SECRET = "OUTSIDE-SECRET-91c2"
SHA = "0dca7b6909144cfce5e8e5ba12ffdcee9b9a41c90b72b4f272260d1a42018cb6"


def sample_content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    return content


def entry(report_id: str = "crafted", unit: str | None = None, file: str = "sources/a01_dongcheng.txt") -> dict:
    return {
        "id": report_id,
        "title": "东城街道工会2019年工作总结",
        "unit": unit,
        "lead": ["全年新建工会组织十三家。"],
        "sources": [{"file": file, "lines": [1, 8], "sha256": SHA}],
    }


def write_entry(content: Path, data: dict, name: str = "crafted.yml") -> Path:
    path = content / "reports" / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def secret_outside(tmp_path: Path) -> Path:
    """A file outside every folder the tool may touch, that must never be read into the archive."""
    outside = tmp_path / "elsewhere"
    outside.mkdir(exist_ok=True)
    secret = outside / "secret.yml"
    secret.write_text(yaml.safe_dump(entry("evil") | {"title": SECRET}, allow_unicode=True), encoding="utf-8")
    return secret


def check(content: Path):
    result = run_cli("check", "--content", str(content))
    assert "Traceback" not in result.stdout + result.stderr
    return result


def build(tmp_path: Path, content: Path):
    config = write_config(tmp_path / "config")
    result = run_cli("build", "--content", str(content), "--config", str(config), "--out", str(tmp_path / "site"))
    assert "Traceback" not in result.stdout + result.stderr
    return result


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink()}


@pytest.mark.parametrize(
    "file",
    [
        "../../etc/passwd",
        "/etc/passwd",
        "C:/Windows/win.ini",
        "sources\\..\\..\\etc\\passwd",
        "sources/report:2019.txt",
        "sources/CON.txt",
        "sources/lpt1",
        "sources/bell\x07.txt",
        "sources/" + "长" * 100 + ".txt",
    ],
    ids=["dotdot", "absolute", "windows-drive", "backslash", "colon", "reserved-con", "reserved-lpt1", "control-char", "very-long"],
)
def test_source_name_that_could_leave_or_break_the_archive_is_refused(tmp_path, file):
    content = sample_content(tmp_path)
    write_entry(content, entry(file=file))
    result = check(content)
    assert result.returncode == 1
    assert "reports/crafted.yml:" in result.stderr and "sources.0.file:" in result.stderr, result.stderr


@pytest.mark.parametrize(
    "value",
    ["../evil", "/etc/passwd", "a\\b", "c:evil", "con", "nul", "com1", "r-\x07bell", "x" * 100],
    ids=["dotdot", "absolute", "backslash", "colon", "reserved-con", "reserved-nul", "reserved-com1", "control-char", "very-long"],
)
def test_crafted_report_id_and_unit_slug_are_refused(tmp_path, value):
    content = sample_content(tmp_path)
    write_entry(content, entry(report_id=value))
    registry = content / "organizations.yml"
    registry.write_text(
        registry.read_text(encoding="utf-8") + yaml.safe_dump([{"id": value, "name": "某工会"}], allow_unicode=True),
        encoding="utf-8",
    )
    result = check(content)
    assert result.returncode == 1
    assert "reports/crafted.yml:" in result.stderr and " id: " in result.stderr, result.stderr
    assert re.search(r"organizations\.yml:\d+: id:", result.stderr), result.stderr


HOSTILE_RAW_NAMES = [
    "CON.txt",
    "nul.txt",
    "report:2019.txt",
    "up\\..\\..\\evil.txt",
    "bell\x07ring.txt",
    "tab\there.txt",
    "zero\u200bwidth.txt",
    "trailing dot..txt",
    "长" * 80 + ".txt",
    "报告 .txt",
]


def test_crafted_names_never_write_outside_the_content_and_output_folders(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    orgs = ["../../../etc/passwd工会", "C:\\Windows\\CON工会", "/abs/path工会", "NUL工会", "长" * 300 + "工会"]
    topics = ["职工之家", "安康杯竞赛", "困难帮扶", "劳模工作室", "女职工权益", "集体协商", "技能比武", "送温暖", "农民工入会", "文体活动"]
    for number, name in enumerate(HOSTILE_RAW_NAMES):
        org, topic = orgs[number % len(orgs)], topics[number]
        (raw / name).write_text(
            f"{org}2013年工作总结\n2013年，{org}在区总工会的正确领导下，围绕{topic}开展工作，现总结如下：\n"
            f"一、抓好{topic}\n{topic}是全年的重点，{topic}工作覆盖全体会员{number + 3}个小组。\n",
            encoding="utf-8",
        )
    before = files_under(tmp_path)
    imported = run_cli("import", str(raw), "--content", str(tmp_path / "content"), "--quiet")
    assert imported.returncode == 0 and "Traceback" not in imported.stderr, imported.stdout + imported.stderr
    assert f"files read: {len(HOSTILE_RAW_NAMES)}" in imported.stdout
    stored = sorted((tmp_path / "content" / "sources").iterdir())
    assert len(stored) == len(HOSTILE_RAW_NAMES)
    assert [p.name for p in stored if unsafe_file_name(p.name)] == []
    assert check(tmp_path / "content").returncode == 0
    assert build(tmp_path, tmp_path / "content").returncode == 0
    new = files_under(tmp_path) - before
    allowed = ("content/", "site/", ".build/", "config/")
    assert [path for path in new if not path.startswith(allowed) and path != ".build-site.lock"] == []
    # Unit names (CON工会 ...) are text on pages; only their ASCII slugs become file names.
    units = yaml.safe_load((tmp_path / "content" / "organizations.yml").read_text(encoding="utf-8"))
    assert {"CON工会", "NUL工会"} <= {u["name"] for u in units}
    pages = {p.name for p in (tmp_path / "site" / "units").iterdir()}
    assert pages >= {f"{u['id']}.html" for u in units} and all(name.isascii() for name in pages)


def test_symlink_in_content_reports_pointing_outside_is_refused(tmp_path):
    content = sample_content(tmp_path)
    (content / "reports" / "evil.yml").symlink_to(secret_outside(tmp_path))
    result = check(content)
    assert result.returncode == 1
    assert (
        "reports/evil.yml: is a link to a file outside the content folder and is not read; "
        "put the file itself here instead of a link" in result.stderr
    )
    assert SECRET not in result.stdout + result.stderr
    built = build(tmp_path, content)
    assert built.returncode == 1 and not (tmp_path / "site").exists()


def test_symlink_in_content_sources_pointing_outside_is_never_published(tmp_path):
    content = sample_content(tmp_path)
    source = content / "sources" / "a01_dongcheng.txt"
    source.unlink()
    source.symlink_to(secret_outside(tmp_path))
    result = check(content)
    assert result.returncode == 1
    assert "sources/a01_dongcheng.txt: is a link to a file outside the content folder" in result.stderr
    assert "'sources/a01_dongcheng.txt' leads outside the content folder" in result.stderr
    assert build(tmp_path, content).returncode == 1
    assert not (tmp_path / "site").exists()
    for path in (tmp_path / ".build").rglob("*") if (tmp_path / ".build").exists() else []:
        assert path.is_dir() or SECRET.encode() not in path.read_bytes()


def test_symlinked_sources_folder_pointing_outside_is_refused(tmp_path):
    content = sample_content(tmp_path)
    shutil.move(content / "sources", tmp_path / "elsewhere-sources")
    (content / "sources").symlink_to(tmp_path / "elsewhere-sources", target_is_directory=True)
    result = check(content)
    assert result.returncode == 1
    assert "sources: is a link to a file outside the content folder" in result.stderr


def test_import_into_content_with_a_link_outside_changes_nothing(tmp_path):
    content = sample_content(tmp_path)
    secret = secret_outside(tmp_path)
    (content / "reports" / "evil.yml").symlink_to(secret)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "report.txt").write_text("东城街道工会2013年工作总结\n一、组织建设\n全年新建工会十三家。\n", encoding="utf-8")
    def unlocked(tree: dict) -> dict:
        return {path: data for path, data in tree.items() if not path.endswith(".lock")}

    before, secret_before = unlocked(tree_bytes(content)), secret.read_bytes()
    result = run_cli("import", str(raw), "--content", str(content), "--quiet")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "links to files outside the content folder; nothing was imported" in result.stderr
    assert "reports/evil.yml: is a link to a file outside the content folder" in result.stderr
    assert unlocked(tree_bytes(content)) == before and secret.read_bytes() == secret_before


def test_symlink_in_an_imported_folder_pointing_outside_is_skipped(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "real.txt").write_text("东城街道工会2013年工作总结\n一、组织建设\n全年新建工会十三家。\n", encoding="utf-8")
    secret = tmp_path / "elsewhere" / "private.txt"
    secret.parent.mkdir()
    secret.write_text(f"{SECRET}\n一、不该被读入\n私人文件。\n", encoding="utf-8")
    (raw / "link.txt").symlink_to(secret)
    result = run_cli("import", str(raw), "--content", str(tmp_path / "content"), "--quiet")
    assert result.returncode == 0, result.stderr
    assert (
        f"skipped {raw / 'link.txt'}: a link to a file outside the folder being imported; "
        "copy the file itself into the folder" in result.stdout
    )
    assert files_under(tmp_path / "content" / "sources") == {"real.txt"}
    for path in (tmp_path / "content").rglob("*"):
        assert path.is_dir() or SECRET.encode() not in path.read_bytes()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_walked_folder_with_a_pipe_and_a_dangling_link_finishes(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "real.txt").write_text("东城街道工会2013年工作总结\n一、组织建设\n全年新建工会十三家。\n", encoding="utf-8")
    os.mkfifo(raw / "pipe.txt")
    (raw / "dangling.txt").symlink_to(tmp_path / "nothing-here.txt")
    result = run_cli("import", str(raw), "--content", str(tmp_path / "content"), "--quiet")
    assert result.returncode == 0 and "files read: 1" in result.stdout, result.stdout + result.stderr


def test_content_path_that_is_a_file_gives_a_clear_error(tmp_path):
    content = tmp_path / "content"
    content.write_text("not a folder", encoding="utf-8")
    raw = tmp_path / "report.txt"
    raw.write_text("东城街道工会2013年工作总结\n一、组织建设\n全年新建工会十三家。\n", encoding="utf-8")
    result = run_cli("import", str(raw), "--content", str(content), "--quiet")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"error: {content}: this is a file, not a folder; give the content folder with --content" in result.stderr
    assert content.read_text(encoding="utf-8") == "not a folder"


def test_unwritable_content_folder_gives_a_clear_error(tmp_path):
    """A file system error is one line naming the path and what to check, not a traceback."""
    content = tmp_path / "content"
    (content / "reports").mkdir(parents=True)
    (content / "sources").write_text("a file where the sources folder belongs", encoding="utf-8")
    raw = tmp_path / "report.txt"
    raw.write_text("东城街道工会2013年工作总结\n一、组织建设\n全年新建工会十三家。\n", encoding="utf-8")
    result = run_cli("import", str(raw), "--content", str(content), "--quiet")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"error: {content / 'sources'}")
    assert "check that the folder exists, that you may write to it and that the disk is not full" in result.stderr
