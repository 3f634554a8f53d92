"""Small raw archives for import tests: distinct reports in UTF-8, GB18030 and Big5, with copies.

Paragraphs come from the default archive's own sources, so the texts read like reports; the
units, years and titles are made here.
"""

from __future__ import annotations

import random
from pathlib import Path

from generator.importer.script import to_traditional

UNITS = ("红旗街道总工会", "东湖社区工会", "青山镇总工会", "实验中学工会", "人民医院工会", "城建公司工会")
KINDS = ("工作总结", "工作计划", "工作报告")


def _paragraphs(sources: Path) -> list[str]:
    """Long lines of the sources that end a sentence: body paragraphs, not titles or chrome."""
    lines = []
    for path in sorted(sources.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if len(line) >= 40 and line.endswith("。"):
                lines.append(line)
    return sorted(set(lines))


def _report(rng: random.Random, paragraphs: list[str], number: int) -> str:
    unit, kind, year = rng.choice(UNITS), rng.choice(KINDS), rng.randint(2012, 2023)
    body = [f"{unit}{year}年{kind}", f"{year}年，{unit}围绕第{number + 1}项重点任务扎实推进各项工作。"]
    for heading in ("一、主要工作", "二、存在的问题", "三、下一步打算"):
        body.append(heading)
        body.extend(rng.sample(paragraphs, 2))
    return "\n".join(body) + "\n"


def write_raw_archive(folder: Path, sources: Path, reports: int, seed: int) -> None:
    """`reports` distinct reports, one a file, a fifth of them copied into a second file and a
    tenth in Traditional script (half of those as Big5, the rest as GB18030 or UTF-8)."""
    rng = random.Random(seed)
    paragraphs = _paragraphs(sources)
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(reports):
        text, encoding = _report(rng, paragraphs, number), rng.choice(("utf-8", "gb18030"))
        if number % 10 == 3:
            text, encoding = to_traditional(text), "big5" if number % 20 == 3 else encoding
        (folder / f"report-{number:03}.txt").write_bytes(text.encode(encoding, errors="replace"))
        if number % 5 == 1:
            (folder / f"copy-{number:03}.txt").write_bytes(text.encode("utf-8"))
