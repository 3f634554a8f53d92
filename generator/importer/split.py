"""Splitting one cleaned file into report segments.

Two shapes occur: titled collections, where a site label (第一篇:, 【篇2】, 篇3)
opens each piece, and untitled concatenations, where reports run back to back
and the only seam is a fresh lead paragraph before numbering restarting at 一、.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from generator.importer.headings import PLAN_HEADING, enumerator, is_standalone
from generator.importer.titles import DOC_NUMBER, ORG_LINE, is_title

_LABEL_MAX = 50
_NUM = r"[\d一二三四五六七八九十]{1,3}"
_DOC_KIND = r"(?:总结|總結|计划|計劃|报告|報告|讲话|講話|方案|要点|要點|致辞|致辭|讲话稿|講話稿)"
_LABEL_PATTERNS = (
    re.compile(rf"^(?:第{_NUM}篇|篇{_NUM})\s*[:：]"),
    re.compile(rf"(?:【\s*第?\s*{_NUM}\s*篇\s*】|【\s*篇\s*{_NUM}\s*】|篇\s*【\s*{_NUM}\s*】|[（(]\s*篇\s*{_NUM}\s*[）)])\s*$"),
    re.compile(rf"(?:篇|范文|範文|例文)\s*{_NUM}\s*$"),
    re.compile(rf"^[【\[]?(?:范文|範文|例文|精选|精選)\s*{_NUM}[】\]]?\s*[:：]?"),
    # 总结一：…, a sample's number before its title
    re.compile(r"^(?:总结|總結|计划|計劃|报告|報告|讲话|講話|方案)[一二三四五六七八九十]{1,3}\s*[:：]"),
    # …工作计划1, …范文 第一篇：: a sample's number after its title
    re.compile(rf"{_DOC_KIND}\s*\d{{1,2}}\s*$|第{_NUM}篇\s*[:：]?\s*$"),
)
# A site's contents list flattened into one line: the same title with 篇1, 篇2, 篇3 ….
_CONTENTS_MARK = re.compile(r"篇\s*\d{1,3}")
# Where a marker stands inside a run-on line: …希望对你有帮助。某某工作总结【第一篇】今年以来…
INLINE_LABEL = re.compile(rf"【\s*第?\s*{_NUM}\s*篇\s*】|【\s*篇\s*{_NUM}\s*】")
_LABEL_MARKS = (
    re.compile(rf"^(?:第{_NUM}篇|[【\[]?(?:范文|範文|例文|精选|精選|总结|總結|计划|計劃|报告|報告|讲话|講話|方案|篇)\s*{_NUM}[】\]]?)\s*[:：]"),
    re.compile(rf"(?:【\s*第?\s*{_NUM}\s*篇\s*】|篇\s*【\s*{_NUM}\s*】|[（(]\s*篇\s*{_NUM}\s*[）)]|第{_NUM}篇\s*[:：]?|篇\s*{_NUM}|(?<=[结結划劃告话話案点點辞辭稿])\s*\d{{1,2}}|(?:范文|範文|例文)\s*{_NUM})\s*$"),
)
_SAMPLE_WORDS = re.compile(r"(?:范文|範文|例文|模板|精选|精選)\s*(?:[（(]\s*\d{1,2}\s*[）)])?\s*$")
# "一：XX工会工作总结" labels count only when they come in a series.
_SERIES_LABEL = re.compile(
    rf"^{_NUM}[:：]\s*\S.{{0,30}}(?:总结|總結|计划|計劃|报告|報告|讲话|講話|意见|意見|汇报|匯報)\s*$"
)


@dataclass(frozen=True)
class Paragraph:
    text: str
    first: int
    last: int
    damaged: bool = False
    style: str | None = None  # "heading-N" where the source format marks a heading
    table: tuple[tuple[str, ...], ...] | None = None


# Every label holds one of these; most lines hold none (one search rules them out).
_LABEL_HINT = re.compile(r"篇|范文|範文|例文|精选|精選|总结|總結|计划|計劃|报告|報告|讲话|講話|方案|要点|要點|致辞|致辭")


def is_label(text: str) -> bool:
    text = text.strip()
    return len(text) <= _LABEL_MAX and bool(_LABEL_HINT.search(text)) and any(p.search(text) for p in _LABEL_PATTERNS)


def is_contents_list(text: str) -> bool:
    return text.count("篇") >= 3 and len(_CONTENTS_MARK.findall(text)) >= 3


def label_lines(lines: list[tuple[int, str]]) -> set[int]:
    """Indexes (in `lines`) of site labels that open pieces of a titled collection."""
    labels = {index for index, (_, text) in enumerate(lines) if is_label(text) or is_contents_list(text)}
    series = {index for index, (_, text) in enumerate(lines) if _SERIES_LABEL.match(text.strip())}
    if len(series) >= 2:
        labels |= series
    return labels


def label_title(text: str) -> str | None:
    """The title a label gives its piece: the label without its number, brackets and 范文."""
    text = text.strip()
    if is_contents_list(text):
        text = text[: _CONTENTS_MARK.search(text).start()]
    for mark in _LABEL_MARKS:
        text = mark.sub("", text).strip()
    text = _SAMPLE_WORDS.sub("", text.strip("【】[]（）() ：:")).strip("【】[] ：:")
    return text if len(text) >= 4 else None


# --- hard wraps ----------------------------------------------------------------

_TERMINAL = tuple("。！？!?：:；;”\"」』）)…—")
_SOFT_END = tuple("，,、")
_DATE_END = re.compile(r"[年月]\s*[\d〇○零一二三四五六七八九十xX×_]{1,3}\s*日(?:印发|印發)?$")
_LABEL_START = re.compile(r"^.{1,5}[:：]")


def _joinable(a: Paragraph, b: Paragraph, blank_between: bool) -> bool:
    if a.style or b.style or a.table or b.table:
        return False
    if enumerator(b.text) or (enumerator(a.text) and is_standalone(a.text)):
        return False
    if a.text.endswith(_TERMINAL) or _DATE_END.search(a.text) or _LABEL_START.match(b.text):
        return False
    if is_title(a.text) or (is_title(b.text) and len(b.text) >= 6):
        return False
    if DOC_NUMBER.match(a.text) or DOC_NUMBER.match(b.text) or ORG_LINE.match(a.text):
        return False
    if PLAN_HEADING.match(a.text) or PLAN_HEADING.match(b.text):
        return False
    if blank_between:
        return a.text.endswith(_SOFT_END)
    return len(a.text) >= 12


def join_hard_wraps(lines: list[Paragraph]) -> list[Paragraph]:
    """One paragraph per line ('' for blank) → paragraphs, rejoining wrapped lines."""
    paragraphs: list[Paragraph] = []
    blank_between = False
    for current in lines:
        number, text, damaged = current.first, current.text, current.damaged
        if not text:
            blank_between = True
            continue
        if paragraphs and _joinable(paragraphs[-1], current, blank_between):
            prev = paragraphs[-1]
            paragraphs[-1] = Paragraph(prev.text + text, prev.first, number, prev.damaged or damaged)
        else:
            paragraphs.append(current)
        blank_between = False
    return paragraphs


# --- untitled concatenations --------------------------------------------------

_OPENING = (
    re.compile(r"^(?:[\d〇○零一二三四五六七八九]{2,4}|[0-9]{0,2}[xX×_*＿]{1,4})年(?:以来|以來|度)?[，,]"),
    re.compile(r"^(?:今年以来|今年以來|本年度|今年|去年|近年来|多年来|多年來|三年来)[，,]?"),
    re.compile(r"^.{0,40}在.{1,40}(?:领导|領導|指导|指導|帮助|幫助|关心|支持|部署)下"),
)
# An opening that announces what follows, or greets an audience, settles it.
_DECISIVE_OPENING = (
    re.compile(r"(?:如下|以下[^。]{0,16})[:：]$"),
    re.compile(r"^.{0,12}(?:同志们|同志們|代表们|代表們|朋友们|朋友們)[:：]$"),
)
_CLOSING = re.compile(
    r"^(?:今后|今後|下一步)|不足|差距|有待|总之|總之|回顾|回顧|回首|展望|在新的一年|新的一年里|再立新功"
)
_CONTINUATION = re.compile(r"^(?:下半年|今后|今後|明年|来年|新的一年|下一步|[0-9xX×_]{2,4}年下半年)")


def looks_like_lead(text: str) -> bool:
    if any(p.search(text) for p in _DECISIVE_OPENING):
        return True
    return any(p.search(text) for p in _OPENING) and not _CLOSING.search(text)


def looks_like_closing(text: str) -> bool:
    return bool(_CLOSING.search(text))


def split_concatenation(paragraphs: list[Paragraph]) -> list[list[Paragraph]]:
    """Cut where top-level numbering restarts at 一 after a fresh lead (or none)."""
    cuts: list[int] = []
    seen_first = False
    for index, paragraph in enumerate(paragraphs):
        found = enumerator(paragraph.text)
        if not found or found.level != 1:
            continue
        if found.number == 1 and seen_first:
            start = _segment_start(paragraphs, index, cuts[-1] if cuts else 0)
            if start is not None:
                cuts.append(start)
        seen_first = True
    bounds = [0, *cuts, len(paragraphs)]
    return [paragraphs[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]


def _segment_start(paragraphs: list[Paragraph], heading: int, floor: int) -> int | None:
    """Where the report whose numbering restarts at `heading` begins, or None if it continues."""
    if heading > floor and _CONTINUATION.match(paragraphs[heading - 1].text):
        return None
    start = heading
    while start - 1 > floor and not enumerator(paragraphs[start - 1].text) and looks_like_lead(paragraphs[start - 1].text):
        start -= 1
    if start < heading and _CONTINUATION.match(paragraphs[start].text):
        return None
    if start < heading and start - 2 > floor:
        before, neutral = paragraphs[start - 2], paragraphs[start - 1]
        if not enumerator(neutral.text) and looks_like_closing(before.text) and not looks_like_closing(neutral.text):
            start -= 1
    return start


# A top-level heading inside a run-on page line; it counts after a sentence's end or a space.
_INNER_HEADING = re.compile(r"[一二三四五六七八九十]{1,2}、\S{2}")
_BEFORE_HEADING = tuple("。！？!?：:；; \t")
RUN_ON_MIN = 200


def split_run_on_headings(p: Paragraph) -> list[Paragraph]:
    """A long run-on line (a page flattened into one line) cut before each 一、 heading in it."""
    text = p.text
    if len(text) < RUN_ON_MIN or "、" not in text:
        return [p]
    cuts = [m.start() for m in _INNER_HEADING.finditer(text, 1) if text[m.start() - 1] in _BEFORE_HEADING]
    if not cuts:
        return [p]
    bounds = [0, *cuts, len(text)]
    pieces = (text[a:b].strip() for a, b in zip(bounds, bounds[1:]))
    return [replace(p, text=piece) for piece in pieces if piece]


# A heading glued onto the sentence before it, its enumerator lost: …。、制定措施
_LOST_HEADING = re.compile(r"(?<=[。！？])、([^。]{2,40})$")
# A plan part's heading glued onto the sentence before it: …。下半年工作计划…
_GLUED_PLAN = re.compile(r"(?<=[。！？])((?:下半年|今后|明年)(?:的)?工作(?:计划|打算|安排))(?=[\u4e00-\u9fff])")


def glue_split(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """Separate headings glued onto the previous sentence: '…。、制定措施' or '…。下半年工作计划…',
    and those inside a run-on line."""
    out: list[Paragraph] = []
    for whole in paragraphs:
        if whole.style or whole.table:
            out.append(whole)
            continue
        out += split_run_on_headings(whole)
    paragraphs, out = out, []
    for p in paragraphs:
        if p.style or p.table:
            out.append(p)
            continue
        # Each needs its words in the text; most paragraphs have none (the patterns are slow to rule out).
        text = p.text
        lost = _LOST_HEADING.search(text) if "。、" in text or "！、" in text or "？、" in text else None
        plan = _GLUED_PLAN.search(text) if "工作" in text and ("下半年" in text or "今后" in text or "明年" in text) else None
        if lost:
            out += [replace(p, text=p.text[: lost.start()]), replace(p, text=lost.group(0), first=p.last)]
        elif plan:
            out += [
                replace(p, text=p.text[: plan.start()]),
                replace(p, text=plan.group(1)),
                replace(p, text=p.text[plan.end() :]),
            ]
        else:
            out.append(p)
    return out
