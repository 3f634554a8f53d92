"""An import on every core writes exactly what an import in one process writes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

from conftest import DEFAULT_SOURCES, ROOT
from generator.content import file_sha256
from generator.importer import pipeline
from generator.importer.readers import text as text_reader
from generator.parallel import fork_context, mapped, worker_pool
from raw_archive import write_raw_archive

needs_workers = pytest.mark.skipif(
    fork_context() is None or (os.cpu_count() or 1) < 2, reason="no second core or no fork: the import runs in one process"
)


def _raw(folder: Path) -> Path:
    """Seed dumps (several reports and duplicate copies each), synthetic reports in GB18030 and
    Big5 with copies across files, and a file that cannot be imported."""
    raw = folder / "raw"
    write_raw_archive(raw, DEFAULT_SOURCES, reports=40, seed=11)
    for source in sorted(DEFAULT_SOURCES.glob("*.txt")):
        shutil.copy(source, raw / source.name)
    (raw / "empty.txt").write_bytes(b"")
    return raw


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.endswith(".lock")}


def _import(raw: Path, content: Path, monkeypatch, parallel_from: int) -> pipeline.ImportSummary:
    used = []

    @contextmanager
    def spy(tasks, minimum, **options):
        with worker_pool(tasks, minimum, **options) as pool:
            used.append(pool is not None)
            yield pool

    with monkeypatch.context() as patch:
        patch.setattr(pipeline, "PARALLEL_FROM", parallel_from)
        patch.setattr(pipeline, "worker_pool", spy)
        # The seed dumps are read window by window, in the main process, between the workers' files.
        patch.setattr(text_reader, "LARGE_FILE", 40_000)
        summary = pipeline.import_paths([raw], content, progress=False)
    assert used == [parallel_from == 1]
    return summary


@needs_workers
def test_parallel_import_writes_the_files_of_an_import_in_one_process(tmp_path, monkeypatch):
    raw = _raw(tmp_path)
    alone = _import(raw, tmp_path / "alone", monkeypatch, parallel_from=10**9)
    spread = _import(raw, tmp_path / "spread", monkeypatch, parallel_from=1)
    assert _tree(tmp_path / "spread") == _tree(tmp_path / "alone")
    assert spread == alone
    assert spread.duplicates > 0 and spread.skipped == [(str(raw / "empty.txt"), text_reader.EMPTY)]


@needs_workers
def test_parallel_reimport_into_the_archive_changes_no_file(tmp_path, monkeypatch):
    """Entries already in the archive: every file is read before the copies are grouped."""
    raw = _raw(tmp_path)
    content = tmp_path / "content"
    first = _import(raw, content, monkeypatch, parallel_from=1)
    before = _tree(content)
    again = _import(raw, content, monkeypatch, parallel_from=1)
    assert again.written == [] and again.unchanged == len(first.written)
    assert _tree(content) == before


def _sources_match_their_entries(content: Path) -> set[str]:
    """Every source an entry names holds the bytes the entry records; the names of the sources."""
    named = set()
    for path in (content / "reports").glob("*.yml"):
        for source in yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]:
            assert file_sha256(content / source["file"]) == source["sha256"], (path.name, source)
            named.add(source["file"])
    return named


@pytest.mark.parametrize("parallel_from", [1, 10**9], ids=["workers", "in-line"])
def test_different_files_with_one_name_are_both_kept(tmp_path, monkeypatch, parallel_from):
    """x.txt from two folders: the first keeps its name, the second gets part of its hash in its
    name, an identical third copy adds nothing; entries name the file that holds their text."""
    seeds = sorted(DEFAULT_SOURCES.glob("*.txt"))[:2]
    raw = tmp_path / "raw"
    for folder, seed in (("a", seeds[0]), ("b", seeds[1]), ("c", seeds[0])):
        (raw / folder).mkdir(parents=True)
        shutil.copy(seed, raw / folder / "x.txt")
    content = tmp_path / "content"
    _import(raw, content, monkeypatch, parallel_from)
    second = file_sha256(seeds[1])
    assert sorted(p.name for p in (content / "sources").iterdir()) == sorted(["x.txt", f"x-{second[:8]}.txt"])
    assert (content / "sources" / "x.txt").read_bytes() == seeds[0].read_bytes()
    assert _sources_match_their_entries(content) == {"sources/x.txt", f"sources/x-{second[:8]}.txt"}
    before = _tree(content)
    again = _import(raw, content, monkeypatch, parallel_from)
    assert again.written == [] and _tree(content) == before


def test_a_file_placed_while_another_of_its_name_is_read_does_not_lose_it(tmp_path, monkeypatch):
    """A worker chooses b/x.txt's name while sources/x.txt is free; before it copies the file,
    the import places a/x.txt there. b/x.txt must still be copied in (under its hashed name)."""
    seeds = sorted(DEFAULT_SOURCES.glob("*.txt"))[:2]
    for folder, seed in (("a", seeds[0]), ("b", seeds[1])):
        (tmp_path / folder).mkdir()
        shutil.copy(seed, tmp_path / folder / "x.txt")
    content = tmp_path / "content"
    (content / "sources").mkdir(parents=True)
    real_segment = pipeline.segment_source

    def segment_while_the_first_is_placed(source, *args, **kwargs):
        shutil.copy(seeds[0], content / "sources" / "x.txt")  # as _place_source would, meanwhile
        return real_segment(source, *args, **kwargs)

    monkeypatch.setattr(pipeline, "segment_source", segment_while_the_first_is_placed)
    item = pipeline._open(tmp_path / "b" / "x.txt", content, content.resolve(), {})
    first = file_sha256(seeds[0])
    pipeline._place_source(item, content, {"sources/x.txt": first})
    assert item.name == f"sources/x-{file_sha256(seeds[1])[:8]}.txt"
    assert (content / item.name).read_bytes() == seeds[1].read_bytes()
    assert sorted(p.name for p in (content / "sources").iterdir()) == sorted(["x.txt", Path(item.name).name])


def test_small_inputs_are_worked_in_line():
    with worker_pool(3, minimum=4) as pool:
        assert pool is None
        assert list(mapped(pool, str.upper, ["a", "b"])) == ["A", "B"]


@needs_workers
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="process states are read from /proc")
def test_workers_leave_when_their_parent_is_killed():
    parent = subprocess.Popen([sys.executable, "-c", _PIDS_SCRIPT], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    workers = [int(pid) for pid in parent.stdout.readline().split()]
    assert workers and parent.pid not in workers
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while any(map(_running, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in workers if _running(pid)]
    for pid in left:  # not to leave them running when the test fails
        os.kill(pid, signal.SIGKILL)
    assert left == []


_PIDS_SCRIPT = """
import os, time
from generator.parallel import mapped, worker_pool

def pid(_):
    time.sleep(0.01)
    return os.getpid()

with worker_pool(2, 1) as pool:
    print(*sorted(set(mapped(pool, pid, range(40)))), flush=True)
    time.sleep(60)
"""


def _running(pid: int) -> bool:
    """Alive and not a zombie (a killed worker may wait for whoever reaps orphans)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"
