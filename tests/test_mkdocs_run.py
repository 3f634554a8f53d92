"""Running MkDocs (generator/render/mkdocs_run.py) on a small docs folder of its own: warnings
fail the build with what they name; a dirty update is no warning."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from generator.errors import BuildError
from generator.render.mkdocs_run import _not_the_dirty_warning, run_mkdocs


def _project(root: Path, pages: dict[str, str]) -> Path:
    docs = root / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    for name, text in pages.items():
        (docs / name).write_text(text, encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(f"site_name: 小档案\ndocs_dir: {docs}\ntheme: mkdocs\n", encoding="utf-8")
    return config


def test_a_page_linking_nowhere_fails_with_mkdocs_warning(tmp_path):
    config = _project(tmp_path, {"index.md": "# 首页\n\n[去年](nowhere.md)\n"})
    with pytest.raises(BuildError) as failed:
        run_mkdocs(config, tmp_path / "site", epoch=0)
    assert any("nowhere.md" in problem.message for problem in failed.value.problems)


def test_a_dirty_update_writes_only_the_changed_page_and_warns_of_nothing(tmp_path):
    config = _project(tmp_path, {"index.md": "# 首页\n", "other.md": "# 其他\n"})
    site = tmp_path / "site"
    run_mkdocs(config, site, epoch=0)
    untouched = (site / "index.html").stat().st_mtime_ns
    (tmp_path / "docs" / "other.md").write_text("# 其他\n\n新的一段。\n", encoding="utf-8")
    run_mkdocs(config, site, epoch=0, update=True)  # strict: the dirty warning would fail it
    assert "新的一段" in (site / "other" / "index.html").read_text(encoding="utf-8")
    assert (site / "index.html").stat().st_mtime_ns == untouched


def _record(function: str, level: int, message: str) -> logging.LogRecord:
    return logging.LogRecord("mkdocs.commands.build", level, "build.py", 1, message, None, None, func=function)


def test_only_the_warning_of_build_itself_is_dropped_whatever_it_says():
    assert not _not_the_dirty_warning(_record("build", logging.WARNING, "any wording of a later MkDocs"))
    assert _not_the_dirty_warning(_record("_build_page", logging.WARNING, "A 'dirty' build is being performed"))
    assert _not_the_dirty_warning(_record("build", logging.ERROR, "a failed build"))
