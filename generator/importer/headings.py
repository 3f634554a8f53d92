"""Numbered headings as Chinese reports write them: 一、 / （一） / 1、 / （1）."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

CN_DIGITS = "零〇○一二三四五六七八九"
CN_NUMERAL = r"[一二三四五六七八九十]{1,3}"

# Rank 1 is the highest level. Full-width brackets only: cleaning restored them.
_LEVELS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^(?P<num>{CN_NUMERAL})\s*[、.．，,：:]")),
    (2, re.compile(rf"^[（(](?P<num>{CN_NUMERAL})[）)]\s*[、.．]?")),
    (3, re.compile(r"^(?P<num>\d{1,2})\s*(?:、|[.．](?!\d))")),
    (4, re.compile(r"^[（(](?P<num>\d{1,2})[）)]|^(?P<num2>\d{1,2})[）)](?!\s*\d)")),
    (5, re.compile(r"^(?P<num>[①②③④⑤⑥⑦⑧⑨⑩])")),
)
# 第一，… as a speech numbers its parts: a heading only where it stands on its own line.
_ORDINAL = re.compile(rf"^第(?P<num>{CN_NUMERAL})\s*[，,、：:]")
# A plan by months: 一月份 alone on its line heads that month's items.
_MONTH = re.compile(rf"^(?P<num>{CN_NUMERAL})月份?$")

# A heading that stands alone is short and has no sentence inside it.
_SENTENCE_END = re.compile(r"[。；;！!？?]")
STANDALONE_MAX = 50
RUN_IN_MAX = 45


@dataclass(frozen=True)
class Enumerator:
    level: int
    number: int
    prefix: str  # the enumerator as written, e.g. "一、"


_CN_VALUES = {ch: i for i, ch in enumerate("零一二三四五六七八九")}
# A year's digits as written in words (二〇一九): 〇, ○ and the letters typed for it are zero.
_YEAR_DIGITS = {"〇": "0", "○": "0", "Ｏ": "0", "О": "0", "O": "0"} | {ch: str(i) for ch, i in _CN_VALUES.items()}


def year_digits(text: str) -> str:
    """二〇一九 → 2019, character by character; any other character as it is."""
    return "".join(_YEAR_DIGITS.get(ch, ch) for ch in text)


def cn_to_int(numeral: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20; digits pass through."""
    # isdecimal, not isdigit: '①'.isdigit() is true, but int('①') fails.
    if numeral.isdecimal():
        return int(numeral)
    if numeral in "①②③④⑤⑥⑦⑧⑨⑩":
        return "①②③④⑤⑥⑦⑧⑨⑩".index(numeral) + 1
    if "十" not in numeral:
        return _CN_VALUES.get(numeral, 0)
    tens, _, ones = numeral.partition("十")
    return (_CN_VALUES.get(tens, 1) if tens else 1) * 10 + (_CN_VALUES.get(ones, 0) if ones else 0)


# What an enumerator can start with (\d: any decimal digit); other text is ruled out at once.
_FIRST = frozenset("一二三四五六七八九十（(①②③④⑤⑥⑦⑧⑨⑩第")


def enumerator(text: str) -> Enumerator | None:
    if not text or not (text[0] in _FIRST or text[0].isdecimal()):
        return None  # every paragraph is asked, several times over
    return _numbered(text)


@lru_cache(maxsize=1 << 12)  # splitting and structure ask about each numbered paragraph several times
def _numbered(text: str) -> Enumerator | None:
    for level, pattern in _LEVELS:
        match = pattern.match(text)
        if match:
            return Enumerator(level, cn_to_int(match.group("num") or match.group("num2")), match.group(0))
    match = _ORDINAL.match(text)
    if match and is_standalone(text):
        return Enumerator(1, cn_to_int(match.group("num")), match.group(0))
    match = _MONTH.match(text)
    if match and cn_to_int(match.group("num")) <= 12:
        return Enumerator(1, cn_to_int(match.group("num")), match.group(0))
    return None


# "主题：内容" carries its body on the line.
_LABELLED = re.compile(r"[:：].{4,}")


def is_standalone(text: str) -> bool:
    """A whole line that is only a heading (no sentence follows it on the line)."""
    if len(text) > STANDALONE_MAX:
        return False
    body = text.rstrip("。:：;；")
    return not _SENTENCE_END.search(body) and not _LABELLED.search(body)


def split_run_in(text: str) -> tuple[str, str]:
    """Split a run-in heading from its body: through the first 。 or ：, else before a space or comma."""
    match = re.search(r"[。：:]", text)
    space = text.find(" ")
    if match and match.end() <= RUN_IN_MAX and not 0 <= space < match.start():
        return text[: match.end()], text[match.end() :].strip()
    parts = text.split(" ")
    if len(parts) > 1:
        head = []
        for part in parts:
            if re.search(r"[，,。；;]", part) or len(part) > 30:
                break
            head.append(part)
        if head and len(head) < len(parts):
            return " ".join(head), " ".join(parts[len(head) :]).strip()
        found = enumerator(text)
        if found and len(found.prefix) + 2 < len(parts[0]) <= RUN_IN_MAX and not re.search(r"[。；;]", parts[0]):
            return parts[0], " ".join(parts[1:]).strip()  # a heading set off by a space, as PDF text has it
    comma = re.search(r"[，,]", text)
    if comma and comma.start() <= RUN_IN_MAX:
        return text[: comma.start()], text[comma.end() :].strip()
    return text, ""


# Unnumbered headings that open a plan part: 下半年工作计划, 今后的工作打算.
PLAN_HEADING = re.compile(
    r"^(?:下半年|今后|明年|来年|新的一年|下一步|[0-9xX×_]{2,4}年)(?:的)?(?:工会)?工作(?:计划|計劃|打算|安排|思路|要点|要點|重点|重點)$"
)
