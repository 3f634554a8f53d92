"""Hostile raw inputs: the importer reads what can be read, skips the rest with a reason a clerk
can act on, and never crashes, never loses text and never touches content/ for a file it skips.

Small hostile files live in tests/hostile/inputs/; the big ones (1 MB line, 9 MB and 100 MB
files) are generated at test time. BOM, CRLF and lone CR line endings are covered by
test_encodings.py::test_encodings_and_line_endings (ids utf-8-bom-crlf, utf-8-lone-cr ...).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import DEFAULT_SOURCES, ROOT
from generator import yamlio
from generator.content import check_content
from generator.importer.dedup import fingerprint_text
from generator.importer.pipeline import import_paths
from generator.importer.readers import read_source
from generator.importer.readers.text import LARGE_FILE, TextWindows

INPUTS = Path(__file__).parent / "hostile" / "inputs"
HEADINGS = ["一、加强组织建设", "二、维护职工权益"]


def import_cli(tmp_path: Path, *paths: Path, prefix: list[str] | None = None) -> subprocess.CompletedProcess:
    content = tmp_path / "content"
    command = [*(prefix or []), sys.executable, "-m", "generator", "import", *map(str, paths)]
    result = subprocess.run(
        [*command, "--content", str(content), "--quiet"], capture_output=True, text=True, cwd=ROOT, timeout=600
    )
    assert "Traceback" not in result.stdout + result.stderr
    return result


def entries(content: Path) -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((content / "reports").glob("*.yml"))]


def import_log(content: Path) -> dict:
    return yamlio.load((content / "import-log.yml").read_text(encoding="utf-8"))


def skipped(result, path: Path) -> str:
    match = re.search(rf"^skipped {re.escape(str(path))}: (.*)$", result.stdout, re.M)
    assert match, result.stdout
    return match.group(1)


def test_empty_file_is_skipped_with_a_reason(tmp_path):
    result = import_cli(tmp_path, INPUTS / "empty.txt")
    assert result.returncode == 0
    assert skipped(result, INPUTS / "empty.txt").startswith("the file is empty; nothing to import")
    assert not (tmp_path / "content" / "sources" / "empty.txt").exists()


def test_binary_file_named_txt_is_skipped_with_a_reason(tmp_path):
    result = import_cli(tmp_path, INPUTS / "photo.txt")  # a PNG image renamed .txt
    assert skipped(result, INPUTS / "photo.txt") == (
        "this is not a text file (binary content); export the report as .txt, .docx, .html or .pdf"
    )
    assert not (tmp_path / "content" / "reports").exists()
    assert not (tmp_path / "content" / "sources").exists()


def test_unsupported_file_type_is_skipped_with_a_reason(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "notes.xyz").write_text("工会", encoding="utf-8")
    assert skipped(import_cli(tmp_path, raw), raw / "notes.xyz") == "unsupported file type '.xyz'"


def test_undecodable_bytes_cost_only_the_damaged_characters(tmp_path):
    assert import_paths([INPUTS / "undecodable.txt"], tmp_path / "content", progress=False).skipped == []
    (entry,) = entries(tmp_path / "content")
    # Before: the whole file fell back to GB18030 and every line turned into mojibake.
    assert entry["title"] == "东城街道工会2013年工作总结" and entry["year"] == 2013
    assert entry["lead"][1:] == ["一\ufffd\ufffd\ufffd、加强组织建设", "全年新建工会组织十三家，发展会员八百七十三人。"]
    assert entry["sections"][0]["paragraphs"] == ["签订工资集体协议，帮扶困难职工一百二十人。"]
    assert "body" in entry["needs_review"]  # the damaged line is flagged for a person
    (log,) = import_log(tmp_path / "content").values()
    assert log["warnings"] == ["undecodable bytes replaced with U+FFFD on 1 lines (lines 3)"]


def test_nul_bytes_are_removed_and_noted(tmp_path):
    assert import_paths([INPUTS / "nul.txt"], tmp_path / "content", progress=False).skipped == []
    (entry,) = entries(tmp_path / "content")
    assert entry["sections"][0]["paragraphs"] == ["全年新建工会组织十三家，发展会员八百七十三人。"]
    assert entry["sections"][1]["paragraphs"] == ["签订工资集体协议，帮扶困难职工一百二十人。"]
    (log,) = import_log(tmp_path / "content").values()
    assert log["warnings"] == ["3 NUL characters removed"]


def test_mixed_encodings_in_one_file_are_both_read(tmp_path):
    # UTF-8, then GBK
    assert import_paths([INPUTS / "mixed-encodings.txt"], tmp_path / "content", progress=False).skipped == []
    (entry,) = entries(tmp_path / "content")
    assert [s["heading"] for s in entry["sections"]] == HEADINGS
    assert entry["sections"][1]["paragraphs"] == ["签订工资集体协议，帮扶困难职工一百二十人。"]
    assert entry["needs_review"] == ["place"]  # nothing damaged
    (log,) = import_log(tmp_path / "content").values()
    assert log["encoding"] == "utf-8+gb18030"
    assert log["warnings"] == ["mixed encodings: 2 lines decoded as gb18030 (lines 5-6), the others as UTF-8"]


def test_single_1_mb_line_is_imported_whole(tmp_path):
    sentence = "街道工会组织职工开展技能竞赛和困难帮扶活动。"
    raw = tmp_path / "one-line.txt"
    raw.write_text(sentence * (2**20 // len(sentence.encode()) + 1), encoding="utf-8")
    assert raw.stat().st_size > 2**20 and raw.read_bytes().count(b"\n") == 0
    result = import_cli(tmp_path, raw)
    assert result.returncode == 0, result.stderr
    (entry,) = entries(tmp_path / "content")
    text = "".join(entry["lead"]) + "".join(p for s in entry["sections"] for p in s["paragraphs"])
    assert fingerprint_text(text) == fingerprint_text(raw.read_text(encoding="utf-8"))


def _without_root_powers() -> list[str]:
    """A command prefix under which file permissions hold (root reads any file otherwise)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without util-linux's setpriv: root can read any file")
    caps = "-dac_override,-dac_read_search"
    return [setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}"]


def test_unreadable_file_is_skipped_with_a_reason(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(INPUTS / "mixed-encodings.txt", raw / "readable.txt")
    locked = raw / "locked.txt"
    locked.write_text("工会工作总结\n一、组织建设\n全年新建工会。\n", encoding="utf-8")
    locked.chmod(0)
    try:
        result = import_cli(tmp_path, raw, prefix=_without_root_powers())
    finally:
        locked.chmod(0o644)
    assert result.returncode == 0, result.stderr
    assert skipped(result, locked) == "cannot be read (Permission denied); check the file's permissions"
    assert "files read: 1" in result.stdout  # the readable file is still imported
    assert [p.name for p in (tmp_path / "content" / "sources").iterdir()] == ["readable.txt"]


def test_pipe_named_txt_is_skipped_not_read(tmp_path):
    """Reading a named pipe would wait forever for a writer."""
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    result = import_cli(tmp_path, fifo)
    assert skipped(result, fifo).startswith("not a regular file (a link to nothing, a pipe or a device)")


def test_import_reports_every_bad_file_in_one_run(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(INPUTS, raw)
    (raw / "notes.xyz").write_text("x", encoding="utf-8")
    result = import_cli(tmp_path, raw)
    assert result.returncode == 0, result.stderr
    for name in ("empty.txt", "photo.txt", "notes.xyz"):
        skipped(result, raw / name)
    assert "files read: 3" in result.stdout
    assert len(entries(tmp_path / "content")) == 1  # three copies of one report, merged
    assert not check_content(tmp_path / "content").problems


@pytest.mark.slow
def test_text_file_with_a_line_over_16_mb_is_refused(tmp_path):
    raw = tmp_path / "dump.txt"
    with raw.open("wb") as handle:
        handle.write("街道工会工作总结\n".encode())
        for _ in range(17):
            handle.write(b"x" * 2**20)  # one line of 17 MB: a database dump, not a report
    result = import_cli(tmp_path, raw)
    assert skipped(result, raw).startswith("a line is longer than 16 MB, so this is not a report")


@pytest.mark.parametrize(
    ("encoding", "newline"),
    [("utf-8", "\n"), ("utf-8-sig", "\r\n"), ("utf-16", "\r\n"), ("gb18030", "\r"), ("utf-8+gbk", "\n")],
    ids=["utf-8-lf", "utf-8-bom-crlf", "utf-16-crlf", "gb18030-lone-cr", "mixed-encodings"],
)
def test_windowed_reading_gives_the_lines_of_a_whole_read(tmp_path, encoding, newline):
    """Windows cut anywhere (inside a CRLF, inside a character) must give the same numbered lines."""
    lines = [f"第{n}行：街道工会开展职工之家建设{'。' * (n % 7)}" for n in range(400)] + ["", "末行"]
    if encoding == "utf-8+gbk":
        data = b"".join((line + newline).encode("gbk" if n % 3 else "utf-8") for n, line in enumerate(lines))
    else:
        data = newline.join(lines).encode(encoding)
    path = tmp_path / "report.txt"
    path.write_bytes(data)
    whole = read_source(path)
    for size in (7, 64, 1000):
        windows = TextWindows(path, whole.sha256, window_bytes=size)
        blocks = [(b.line, b.text) for window in windows for b in window.blocks]
        assert blocks == [(b.line, b.text) for b in whole.blocks], size
        assert (windows.encoding, windows.warnings) == (whole.encoding, whole.warnings)


def _seed_dump() -> bytes:
    return b"".join(path.read_bytes() for path in sorted(DEFAULT_SOURCES.glob("*.txt")))


def _bodies(content: Path) -> dict[str, tuple]:
    return {e["id"]: (e["title"], tuple(e["lead"]), yaml.safe_dump(e["sections"])) for e in entries(content)}


def test_large_file_read_in_windows_gives_the_entries_of_a_whole_read(tmp_path):
    few, many = tmp_path / "few.txt", tmp_path / "many.txt"
    dump = _seed_dump()
    # Three copies have every seam many copies have (start, copy to copy, end).
    few.write_bytes(dump * 3)
    many.write_bytes(dump * (LARGE_FILE // len(dump) + 2))  # above LARGE_FILE: read in windows
    import_paths([few], tmp_path / "whole", progress=False)
    summary = import_paths([many], tmp_path / "windows", progress=False)
    assert _bodies(tmp_path / "windows") == _bodies(tmp_path / "whole")
    copies = summary.segments - len(summary.written)
    (log,) = import_log(tmp_path / "windows").values()
    assert sum(item["reason"].startswith("duplicate copy") for item in log["left_out"]) == copies
    assert not check_content(tmp_path / "windows").problems


@pytest.mark.slow
def test_100_mb_text_file_is_imported_in_bounded_memory_with_progress(tmp_path):
    dump = _seed_dump()
    raw = tmp_path / "everything.txt"
    with raw.open("wb") as handle:
        for _ in range(100 * 2**20 // len(dump) + 1):
            handle.write(dump)
    size = raw.stat().st_size
    assert size >= 100 * 2**20
    errors = tmp_path / "stderr.txt"
    with errors.open("w") as err:  # progress goes to stderr, shown as lines when it is not a terminal
        process = subprocess.Popen(
            [sys.executable, "-m", "generator", "import", str(raw), "--content", str(tmp_path / "content")],
            stdout=subprocess.PIPE, stderr=err, cwd=ROOT, text=True,
        )
        out = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, errors.read_text()
    peak_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
    assert peak_mb < 600, f"peak memory {peak_mb:.0f} MB for a {size / 2**20:.0f} MB file"
    progress = re.findall(r"^splitting everything\.txt: (\d+) of 100 MB \((\d+)%\)$", errors.read_text(), re.M)
    assert len(progress) >= 5 and progress[-1] == ("100", "100"), errors.read_text()
    few = tmp_path / "few.txt"
    few.write_bytes(dump * 3)
    import_paths([few], tmp_path / "whole", progress=False)
    whole = _bodies(tmp_path / "whole")
    assert _bodies(tmp_path / "content") == whole
    assert f"entries written: {len(whole)}," in out
    assert (tmp_path / "content" / "sources" / "everything.txt").stat().st_size == size
