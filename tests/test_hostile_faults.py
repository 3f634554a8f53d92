"""Faults: a build or import killed part-way (SIGKILL) never damages what is already in site/ or
content/, the next run succeeds, and two builds started at once do not corrupt each other.

The runs are real `report-archive` processes, killed at a moment found by watching the file
system (the build's staging folder, the import's first written entry), not after a blind sleep.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml

from conftest import DEFAULT_SOURCES, ROOT, run_cli
from generator import writer
from generator.importer.pipeline import import_paths
from site_fixtures import FIXTURE_CONTENT, build_sample, tree_bytes, write_config

SHA = "0dca7b6909144cfce5e8e5ba12ffdcee9b9a41c90b72b4f272260d1a42018cb6"
TOPICS = "职工之家 安康杯竞赛 困难帮扶 劳模工作室 女职工权益 集体协商 技能比武 送温暖 农民工入会 文体活动".split()


def big_content(folder: Path, reports: int = 300) -> Path:
    """The sample content plus enough reports that MkDocs runs for a few seconds."""
    content = folder / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    for n in range(reports):
        topic = TOPICS[n % len(TOPICS)]
        entry = {
            "id": f"gen-{n:04d}",
            "title": f"东城街道工会第{n}号工作总结",
            "unit": "dongcheng-street",
            "year": 1990 + n % 30,
            "lead": [f"第{n}号报告：今年以来围绕{topic}开展工作。" * 5],
            "sections": [{"heading": f"一、抓好{topic}", "paragraphs": [f"完成{topic}任务{n}项。" * 10]}],
            "sources": [{"file": "sources/a01_dongcheng.txt", "lines": [1, 8], "sha256": SHA}],
        }
        (content / "reports" / f"gen-{n:04d}.yml").write_text(
            yaml.safe_dump(entry, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    return content


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )


def wait_for(condition, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, f"finished before the moment to kill it: {process.communicate()}"
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.002)


def kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.communicate()
    assert process.returncode == -signal.SIGKILL


def staging(out: Path) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.new-*"))


def test_build_killed_part_way_leaves_the_previous_site_and_the_next_build_succeeds(tmp_path):
    previous = build_sample(tmp_path)  # the published site: the six sample reports
    before = tree_bytes(previous.site)
    content = big_content(tmp_path)
    config = write_config(tmp_path)
    build = start("build", "--content", str(content), "--config", str(config), "--out", str(previous.site))
    # MkDocs is writing the new site into the staging folder: the worst moment to die.
    wait_for(lambda: any(any(s.iterdir()) for s in staging(previous.site)), build)
    kill(build)
    assert tree_bytes(previous.site) == before
    assert staging(previous.site), "the kill landed mid-build: a staging folder is left behind"
    again = run_cli("build", "--content", str(content), "--config", str(config), "--out", str(previous.site))
    assert again.returncode == 0, again.stderr
    assert (previous.site / "reports" / "gen-0299.html").is_file()
    assert staging(previous.site) == []  # what the killed build left is cleared away


def test_build_killed_between_the_swap_renames_gets_the_previous_site_back(tmp_path):
    """Between its two renames a build has moved site/ aside and not yet put the new one there.

    A kill in that instant cannot be timed from outside, so the test leaves the file system
    exactly as that kill leaves it; the next build (here one that fails) must restore site/.
    """
    previous = build_sample(tmp_path)
    before = tree_bytes(previous.site)
    previous.site.rename(tmp_path / ".site.old-k1ll3d")
    theme = tmp_path / "broken-theme"
    theme.mkdir()
    (theme / "main.html").write_text('{% extends "base.html" %}{% block content %}{{ 1 // 0 }}{% endblock %}')
    config = write_config(tmp_path / "broken", text=f"site_name: 测试\ntheme_dir: {theme}\n")
    failed = run_cli("build", "--content", str(FIXTURE_CONTENT), "--config", str(config), "--out", str(previous.site))
    assert failed.returncode == 1 and "MkDocs failed" in failed.stderr and "Traceback" not in failed.stderr
    assert tree_bytes(previous.site) == before
    assert not list(tmp_path.glob(".site.old-*"))


def _wait_until_gone(pattern: str, folder: Path, seconds: float = 60.0) -> list[Path]:
    deadline = time.monotonic() + seconds
    while (left := list(folder.glob(pattern))) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def test_the_replaced_site_is_removed_after_the_build_without_holding_its_lock(tmp_path):
    site = tmp_path / "site"
    for number in range(2000):
        (site / "reports").mkdir(parents=True, exist_ok=True)
        (site / "reports" / f"{number}.html").write_text("旧")
    with writer.locked(site):
        new = writer.staging_dir(site)
        (new / "index.html").write_text("新")
        writer.swap_in(new, site)
    assert sorted(p.name for p in site.iterdir()) == ["index.html"]
    assert not list(tmp_path.glob(".site.old-*")) and not list(tmp_path.glob(".site.new-*"))
    with writer.locked(site):  # free at once, while the old tree may still be going
        pass
    assert _wait_until_gone(".site.trash-*", tmp_path) == []


def test_a_tree_left_half_removed_is_never_taken_for_the_site(tmp_path):
    site = tmp_path / "site"
    trash = tmp_path / ".site.trash-k1ll3d"
    (trash / "reports").mkdir(parents=True)
    (trash / "index.html").write_text("旧")
    with writer.locked(site):  # no site/: only a tree being removed, which is no previous site
        assert not site.exists()
    assert _wait_until_gone(".site.trash-*", tmp_path) == []


def test_what_a_killed_build_left_is_set_aside_at_once_and_removed(tmp_path):
    site = tmp_path / "site"
    (site / "reports").mkdir(parents=True)
    (site / "index.html").write_text("现")
    leftovers = [tmp_path / ".site.new-k1ll3d", tmp_path / ".site.old-0lder", tmp_path / ".site.trash-h4lf"]
    for tree in leftovers:
        (tree / "reports").mkdir(parents=True)
        for number in range(500):
            (tree / "reports" / f"{number}.html").write_text("旧")
    with writer.locked(site):
        # The next build starts with no staging folder or old site of another build in its way.
        assert not list(tmp_path.glob(".site.new-*")) and not list(tmp_path.glob(".site.old-*"))
        assert (site / "index.html").read_text() == "现"
    assert _wait_until_gone(".site.trash-*", tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == [".build-site.lock", "site"]


def test_two_builds_started_at_once_do_not_corrupt_each_other(tmp_path):
    content = big_content(tmp_path)
    config = write_config(tmp_path)
    out = tmp_path / "site"
    args = ("build", "--content", str(content), "--config", str(config), "--out", str(out))
    first, second = start(*args), start(*args)
    results = [(p.wait(timeout=300), *p.communicate()) for p in (first, second)]
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 1], results
    (_, _, refused), = [r for r in results if r[0] == 1]
    assert refused.strip() == (
        f"error: {tmp_path}: another 'build-site' is running on this folder; wait for it to finish and run again"
    )
    reference = tmp_path / "reference"
    assert run_cli("build", "--content", str(content), "--config", str(config), "--out", str(reference)).returncode == 0
    assert tree_bytes(out) == tree_bytes(reference)  # the build that ran is whole and untouched
    assert staging(out) == []


def _files(content: Path) -> dict[str, bytes]:
    return {path: data for path, data in tree_bytes(content).items() if not path.endswith(".lock")}


def test_import_killed_part_way_leaves_content_consistent(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for source in sorted(DEFAULT_SOURCES.glob("*.txt")):
        shutil.copy(source, raw / source.name)
    reference = tmp_path / "reference"
    expected = len(import_paths([raw], reference, progress=False).written)
    for attempt in range(5):  # until the kill lands while entries are being written
        content = tmp_path / f"content-{attempt}"
        importer = start("import", str(raw), "--content", str(content), "--quiet")
        reports = content / "reports"
        wait_for(lambda: reports.is_dir() and any(reports.glob("*.yml")), importer)  # noqa: B023
        kill(importer)
        written = len(list(reports.glob("*.yml")))
        if written < expected:
            break
    assert 0 < written < expected, "no kill landed while the entries were being written"
    # Consistent: whatever was written is a valid archive (no entry names a missing unit or source).
    checked = run_cli("check", "--content", str(content))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"{written} reports" in checked.stdout
    again = run_cli("import", str(raw), "--content", str(content), "--quiet")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "conflict" not in again.stdout
    assert _files(content) == _files(reference)  # the same archive as an import never killed


def test_import_killed_while_reading_leaves_content_untouched(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    before = _files(content)
    raw = tmp_path / "raw"
    raw.mkdir()
    for source in sorted(DEFAULT_SOURCES.glob("*.txt")):
        shutil.copy(source, raw / source.name)
    importer = start("import", str(raw), "--content", str(content), "--quiet")
    lock = content / ".import.lock"
    wait_for(lambda: lock.is_file() and lock.read_text().strip() == str(importer.pid), importer)
    kill(importer)
    assert _files(content) == before
    assert run_cli("check", "--content", str(content)).returncode == 0
    assert os.path.exists(lock)  # the lock file stays, but the lock itself died with the process
    second = run_cli("import", str(raw), "--content", str(content), "--quiet")
    assert second.returncode == 0, second.stderr
