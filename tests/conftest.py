"""Shared fixtures in pipeline order: raw seeds → imported content."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import i18n
from generator.importer.pipeline import import_paths

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCES = ROOT / "content" / "sources"


@pytest.fixture(autouse=True)
def english_messages(monkeypatch):
    """Tests read the English messages, whatever the machine's locale: LANGUAGE comes first in
    gettext's order, for the commands the tests run too."""
    monkeypatch.setenv("LANGUAGE", "en")
    i18n.activate("en")
    yield
    i18n.activate("en")


def unavailable(message: str) -> None:
    """Skip a test whose corpus or tool is missing here, but fail it under CI, where the
    project installs or lays out everything: a missing piece there must not pass as green."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (CI=true: CI must have it)", pytrace=False)
    pytest.skip(message)


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The real command line, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], capture_output=True, text=True, cwd=cwd or ROOT, timeout=600
    )


@pytest.fixture(scope="session")
def imported_seeds(tmp_path_factory) -> Path:
    """The default archive's raw sources imported once into a fresh content folder."""
    content = tmp_path_factory.mktemp("seeds") / "content"
    raw = tmp_path_factory.mktemp("raw")
    for source in sorted(DEFAULT_SOURCES.glob("*.txt")):
        shutil.copy(source, raw / source.name)
    summary = import_paths([raw], content, progress=False)
    assert not summary.skipped and not summary.conflicts
    return content
