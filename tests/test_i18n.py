"""Messages in Chinese or English: the catalogue holds every message the code shows, compiled
as committed, with the same placeholders; the commands speak the language asked for."""

from __future__ import annotations

import os
import pickle
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from generator import i18n
from generator.catalogue import LOCALES, extract, mo_bytes, po_bytes, po_path, read, update
from generator.errors import Problem, UnreadableFile
from site_fixtures import FIXTURE_CONTENT, write_config

ENTRY = "reports/dongcheng-2019-summary.yml"
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def fields(text: str) -> set[str] | None:
    """The names str.format() fills in `text`; None where it is no format string."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:  # a lone brace: words the code shows as they are, such as the YAML parser's
        return None


def key(message) -> tuple[str | None, str]:
    return message.context, message.id if isinstance(message.id, str) else message.id[0]


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_of_the_code_is_translated(locale):
    catalogue = {key(m): m for m in read(locale) if m.id}
    code = [m for m in extract() if m.id]
    assert len(code) > 200
    missing = [key(m) for m in code if key(m) not in catalogue]
    assert missing == [], "run `nox -s messages` and translate them"
    untranslated = [
        key(m) for m in code
        if catalogue[key(m)].fuzzy or not all(catalogue[key(m)].string if isinstance(m.id, tuple) else [catalogue[key(m)].string])
    ]
    assert untranslated == []


@pytest.mark.parametrize("locale", LOCALES)
def test_the_po_file_is_what_the_messages_session_writes(locale):
    # No message left that the code no longer has, none missing, in the session's order.
    assert po_path(locale).read_bytes() == po_bytes(update(locale))


@pytest.mark.parametrize("locale", LOCALES)
def test_the_committed_mo_file_is_the_compiled_po_file(locale):
    assert po_path(locale).with_suffix(".mo").read_bytes() == mo_bytes(read(locale))


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_the_placeholders_of_their_message(locale):
    wrong = []
    for message in read(locale):
        if not message.id or message.context == "field":
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = fields(ids[0])
        if wanted is not None:
            wrong += [(ids[0], text) for text in strings if fields(text) != wanted]
    assert wrong == []


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "zh_TW.UTF-8"}, "zh"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, "en"),  # LC_ALL comes before LANG
        ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LANGUAGE": "en", "LANG": "zh_CN.UTF-8"}, "en"),  # LANGUAGE comes first
        ({"LANGUAGE": "fr:zh_CN:en", "LANG": "C"}, "zh"),  # the first language it has
        ({"LANGUAGE": "", "LANG": "zh_CN.GB18030"}, "zh"),  # an empty one is not set
    ],
)
def test_the_language_follows_the_locale_in_gettexts_order(environ, language):
    assert i18n.language_from(environ) == language


def test_a_problem_reads_in_the_active_language():
    problem = Problem(ENTRY, "year", "'x' is not a year", 8)
    assert str(problem) == f"{ENTRY}:8: year: 'x' is not a year"
    i18n.activate("zh")
    assert str(problem) == f"{ENTRY}:8：year（年份）：'x' is not a year"
    assert str(Problem(ENTRY, "sources.0.file", "x")) == f"{ENTRY}：sources.0.file（来源文件）：x"
    assert str(Problem(ENTRY, "colour", "x")) == f"{ENTRY}：colour：x"


def test_stored_english_text_is_shown_translated():
    from generator.doubts import REASONS, shown_reason

    stored = REASONS["org_kind_named"].format(organization="城关镇总工会", kind="township")
    assert shown_reason(stored) == stored
    i18n.activate("zh")
    assert shown_reason(stored) == "从“城关镇总工会”看不出单位类型；“township”是根据正文推测的"
    assert shown_reason("written by a curator") == "written by a curator"


def test_a_skipped_file_crosses_processes_with_its_reason():
    error = pickle.loads(pickle.dumps(UnreadableFile(Path("a.txt"), "empty")))
    assert (error.file, error.reason, str(error)) == ("a.txt", "empty", "a.txt: empty")


# -- the commands ---------------------------------------------------------------------------------


def cli(*args: str, cwd: Path = ROOT, **environ: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in LOCALE_VARIABLES}
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        capture_output=True, text=True, cwd=cwd, env={**env, **environ}, timeout=300,
    )


@pytest.fixture(scope="module")
def bad_content(tmp_path_factory) -> tuple[Path, int]:
    """The sample content with `year: twenty` in one entry; the line it is on."""
    content = tmp_path_factory.mktemp("i18n") / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    lines = (content / ENTRY).read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(lines) if line.startswith("year:"))
    lines[number] = "year: twenty"
    (content / ENTRY).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return content, number + 1


def test_check_speaks_chinese_when_asked(bad_content):
    content, line = bad_content
    result = cli("--lang", "zh", "check", "--content", str(content))
    assert result.returncode == 1
    assert (
        f"{ENTRY}:{line}：year（年份）：“twenty”不是年份；请写成 2019 这样的四位数字" in result.stderr
    )
    assert "已检查" in result.stdout and "1 个错误" in result.stdout


def test_check_speaks_chinese_in_a_chinese_locale(bad_content):
    content, line = bad_content
    result = cli("check", "--content", str(content), LANG="zh_CN.UTF-8")
    assert f"{ENTRY}:{line}：year（年份）：“twenty”不是年份" in result.stderr


def test_check_speaks_english_when_asked_whatever_the_locale(bad_content):
    content, line = bad_content
    result = cli("--lang", "en", "check", "--content", str(content), LANG="zh_CN.UTF-8")
    assert f"{ENTRY}:{line}: year: 'twenty' is not a year; write it as four digits" in result.stderr
    assert "checked " in result.stdout and "1 errors" in result.stdout


def test_import_names_a_missing_path_and_a_skipped_file_in_chinese(tmp_path):
    result = cli("--lang", "zh", "import", str(tmp_path / "无此文件夹"), "--content", str(tmp_path / "content"))
    assert result.returncode == 1
    assert "错误：没有导入任何内容：给出的路径中有 1 个不存在" in result.stderr
    assert f"{tmp_path / '无此文件夹'}：没有这个文件或文件夹；请检查名称" in result.stderr

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "notes.xyz").write_text("不是报告", encoding="utf-8")
    (raw / "empty.txt").write_bytes(b"")
    result = cli("--lang", "zh", "import", str(raw), "--content", str(tmp_path / "content"), "--quiet")
    assert f"已跳过 {raw / 'notes.xyz'}：不支持的文件类型“.xyz”；请把报告另存为 .txt、.docx、.html 或 .pdf" in result.stdout
    assert f"已跳过 {raw / 'empty.txt'}：文件是空的，没有可导入的内容" in result.stdout
    assert "读取文件：0 个" in result.stdout
    english = cli("--lang", "en", "import", str(raw), "--content", str(tmp_path / "content"), "--quiet")
    assert f"skipped {raw / 'notes.xyz'}: unsupported file type '.xyz'" in english.stdout


def test_build_names_the_content_problems_in_chinese(bad_content, tmp_path):
    content, line = bad_content
    config = write_config(tmp_path)
    result = cli("--lang", "zh", "build", "--content", str(content), "--config", str(config), "--out", str(tmp_path / "site"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"错误：{content}：内容中有 1 个问题；请运行 report-archive check 查看" in result.stderr
    assert f"  {ENTRY}:{line}：year（年份）：“twenty”不是年份" in result.stderr
    assert not (tmp_path / "site").exists()
    english = cli("build", "--content", str(content), "--config", str(config), "--out", str(tmp_path / "site"))
    assert f"error: {content}: 1 problems in the content; run 'report-archive check'" in english.stderr


def test_help_is_in_the_language_asked_for():
    assert "检查 content/ 中的内容" in cli("--lang", "zh", "--help").stdout
    assert "validate content/" in cli("--help", LANG="C").stdout


def test_command_line_mistakes_are_explained_in_the_language_asked_for():
    result = cli("--lang", "zh", "import")
    assert result.returncode == 2
    assert "report-archive import：错误：缺少以下参数：paths" in result.stderr
    assert "error: the following arguments are required: paths" in cli("import").stderr


def test_the_systems_reason_is_said_in_the_language_asked_for(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "a.txt").write_text("x", encoding="utf-8")
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")
    result = cli("--lang", "zh", "import", str(tmp_path / "raw"), "--content", str(blocked / "content"))
    assert f"错误：{blocked / 'content'}：不是文件夹；请检查文件夹是否存在" in result.stderr
    english = cli("import", str(tmp_path / "raw"), "--content", str(blocked / "content"))
    assert f"error: {blocked / 'content'}: Not a directory; check that the folder exists" in english.stderr
