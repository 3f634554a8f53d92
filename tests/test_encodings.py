"""Raw text arrives in many encodings and line endings; the entries come out the same.

Empty and binary files: test_hostile_inputs.py.
"""

from __future__ import annotations

import codecs

import opencc
import pytest

from generator.content import check_content
from generator.importer.pipeline import import_paths

REPORT = (
    "20xx年，街道工会在区总工会的正确领导下，认真开展各项工作，现总结如下：\n"
    "一、加强组织建设\n"
    "全年新建工会组织十三家，发展会员八百七十三人。\n"
    "二、维护职工权益\n"
    "签订工资集体协议，帮扶困难职工一百二十人。\n"
)


@pytest.mark.parametrize(
    ("encoding", "prefix", "newline"),
    [
        ("utf-8", b"", "\n"),
        ("utf-8", codecs.BOM_UTF8, "\r\n"),
        ("gb18030", b"", "\r\n"),
        ("big5", b"", "\n"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "\r\n"),
        ("utf-8", b"", "\r"),
    ],
    ids=["utf-8", "utf-8-bom-crlf", "gb18030-crlf", "big5", "utf-16-bom-crlf", "utf-8-lone-cr"],
)
def test_encodings_and_line_endings(tmp_path, encoding, prefix, newline):
    script = opencc.OpenCC("s2t").convert if encoding == "big5" else str
    text = script(REPORT)
    raw = tmp_path / "raw" / "report.txt"
    raw.parent.mkdir()
    raw.write_bytes(prefix + text.replace("\n", newline).encode(encoding))
    content = tmp_path / "content"
    summary = import_paths([raw], content, progress=False)
    assert summary.skipped == [] and len(summary.written) == 1
    (report,) = check_content(content).reports
    assert [s.heading for s in report.sections] == [script("一、加强组织建设"), script("二、维护职工权益")]
    assert report.sources[0].lines == (1, 5)
    assert report.year is None and report.year_placeholder == "20xx年"
