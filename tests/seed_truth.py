"""The seed ground truth (../shared/seed-truth beside the project) and how to compare with it."""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("REPORT_ARCHIVE_SHARED", ROOT.parent / "shared"))
TRUTH_DIR = SHARED / "seed-truth"
SEEDS_DIR = SHARED / "seeds"

_PINYIN = re.compile(r"\(([a-zü]|[\u00e0-\u01dc])+\)")


def normalize(text: str | None) -> str | None:
    """The truth README's normalization: NFKC, pinyin annotations out."""
    if text is None:
        return None
    return _PINYIN.sub("", unicodedata.normalize("NFKC", text)).strip()


def normalize_heading(text: str) -> str:
    return re.sub(r"[。:\s]+$", "", normalize(text))


@dataclass(frozen=True)
class TruthSegment:
    file: str
    index: int
    data: dict

    @property
    def key(self) -> str:
        return f"{self.file[:3]}#{self.index}"

    @property
    def lines(self) -> tuple[int, int]:
        return tuple(self.data["lines"])

    def accepts(self, field: str, value) -> bool:
        wanted = [self.data.get(field), *self.data.get("accept", {}).get(field, [])]
        if field in ("doc_type",) and {"summary", "report"} & set(wanted):
            wanted += ["summary", "report"]
        if field in ("organization", "year_placeholder", "title"):
            return normalize(value) in [normalize(w) for w in wanted]
        return value in wanted


def require_shared(*folders: Path) -> None:
    """Skip when a corpus of ../shared is not beside the project, but fail under CI, where it
    always is: a missing corpus there must not pass as a green run."""
    missing = [str(folder) for folder in folders if not folder.is_dir()]
    if not missing:
        return
    message = f"corpus not beside the project: {', '.join(missing)}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (CI=true: CI always has it)", pytrace=False)
    pytest.skip(message)


def load_truth() -> list[TruthSegment]:
    segments = []
    for path in sorted(TRUTH_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for report in data["reports"]:
            segments.append(TruthSegment(data["file"], report["index"], report))
    return segments


def load_boilerplate() -> dict[str, list[str]]:
    out = {}
    for path in sorted(TRUTH_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[data["file"]] = [normalize(b) for b in data.get("boilerplate") or []]
    return out


def first_content_line(file: str, line: int) -> int:
    """The first non-blank line after a label line, for 'starts at the content' ranges."""
    lines = (SEEDS_DIR / file).read_text(encoding="utf-8").split("\n")
    number = line + 1
    while number <= len(lines) and not lines[number - 1].strip():
        number += 1
    return number
