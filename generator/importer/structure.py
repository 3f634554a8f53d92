"""One segment's paragraphs → title, lead and nested sections."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from generator.importer.headings import PLAN_HEADING, enumerator, is_standalone, split_run_in
from generator.importer.split import Paragraph
from generator.importer.titles import ORG_LINE, ORG_THEN_TITLE, SUBTITLE_DASH, is_title


@dataclass
class SectionDraft:
    heading: str
    level: int
    paragraphs: list = field(default_factory=list)  # str, or {"rows": [...]} for a table
    sections: list[SectionDraft] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "heading": self.heading,
            "paragraphs": list(self.paragraphs),
            "sections": [s.as_dict() for s in self.sections],
        }


@dataclass
class Body:
    title: str | None
    org_line: str | None
    lead: list
    sections: list[SectionDraft]
    repeated_titles: list[Paragraph]
    subtitle: str | None = None  # ——在…上的讲话: the occasion and the kind, never the title


_KIND_WORDS = r"(?:总结|總結|计划|計劃|报告|報告|讲话|講話|讲话稿|講話稿|方案|要点|要點)"
# A title run on into the text, as pages and PDF extracts have it: …工作报告范文(2)实行一年…,
# 某某工作总结 一、加强领导…
_RUN_ON_TITLE = re.compile(
    rf"^(?:\d{{1,2}}、)?(?P<title>[^，。；：,;:\s]{{4,30}}?{_KIND_WORDS}(?:(?:范文|範文)(?:[（(]\d{{1,2}}[）)])?\s*|\s+))(?P<rest>\S.{{20,}})$"
)


def split_run_on_title(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """The first paragraph cut in two where it opens with a title run on into the text."""
    if not paragraphs or paragraphs[0].style or paragraphs[0].table:
        return paragraphs
    first = paragraphs[0]
    match = _RUN_ON_TITLE.match(first.text)
    if not match or enumerator(match.group("title")):
        return paragraphs
    title = replace(first, text=match.group("title").strip(), last=first.first, style="title")
    return [title, replace(first, text=match.group("rest")), *paragraphs[1:]]


_TITLE_PIECE = re.compile(r"^[^，。；：,;:！？!?、]{1,24}$")


def join_split_title(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """A title set over several short lines at the top (a cover: 局机关 / 工会 / 上半年 /
    工作总结, or a long title broken in two) joined into one title line."""
    pieces: list[Paragraph] = []
    for p in paragraphs[:6]:
        if p.style or p.table or not _TITLE_PIECE.match(p.text) or enumerator(p.text) or (is_title(p.text) and not pieces):
            break
        pieces.append(p)
        if len(pieces) >= 2 and is_title("".join(x.text for x in pieces)):
            joined = "".join(x.text for x in pieces)
            title = Paragraph(joined, pieces[0].first, pieces[-1].last, style="title")
            return [title, *paragraphs[len(pieces) :]]
    return paragraphs


def is_subtitle(text: str) -> bool:
    return bool(SUBTITLE_DASH.match(text)) and len(text) <= 60 and "。" not in text


def take_title(paragraphs: list[Paragraph]) -> tuple[str | None, str | None, list[Paragraph], list[Paragraph]]:
    """Title and organisation lines at the top; returns (title, org, rest, repeated titles).

    Of two title lines at the top the later is the report's own: the first is the page's
    (often relabelled) title."""
    title = org = None
    title_span = (0, 0)  # the lines the title was read from
    rest: list[Paragraph] = []
    repeated: list[Paragraph] = []
    paragraphs = join_split_title(split_run_on_title(paragraphs))
    for index, p in enumerate(paragraphs):
        if index < 6 and is_subtitle(p.text):
            rest.append(p)
            continue
        if index >= 6 or (title and len(p.text) > 45):
            rest.extend(paragraphs[index:])
            break
        if p.table or (p.style or "").startswith("heading-"):
            rest.append(p)
            continue
        if title is None and p.style == "title":
            title = p.text
            title_span = (p.first, p.last)
            continue
        combined = ORG_THEN_TITLE.match(p.text)
        if title is None and combined and is_title(combined.group(2)):
            org, title = combined.group(1), combined.group(2)
            title_span = (p.first, p.last)
        elif title is None and is_title(p.text) and not p.text.endswith((":", "：")):
            title = p.text
            title_span = (p.first, p.last)
        elif title is not None and p.text == title:
            repeated.append(p)
        elif title is not None and not rest and is_title(p.text) and not PLAN_HEADING.match(p.text) and not SUBTITLE_DASH.match(p.text):
            repeated.append(Paragraph(title, *title_span))
            title, title_span = p.text, (p.first, p.last)
        elif org is None and ORG_LINE.match(p.text) and index < 3:
            org = p.text
            rest.append(p)
        else:
            rest.append(p)
    return title, org, rest, repeated


def _style_level(p: Paragraph) -> int:
    return int(p.style.rsplit("-", 1)[1]) if p.style and p.style.startswith("heading-") else 0


def top_level(paragraphs: list[Paragraph]) -> int | None:
    levels = {e.level for p in paragraphs if (e := enumerator(p.text))}
    if 1 in levels:
        return 1
    if 2 in levels:
        return 2
    standalone = {e.level for p in paragraphs if (e := enumerator(p.text)) and is_standalone(p.text)}
    return min(standalone) if standalone else None


def _heading_of(p: Paragraph, top: int | None) -> tuple[int, str, str] | None:
    """(level, heading, remainder) when the paragraph opens a section."""
    text = p.text
    if p.style and p.style.startswith("heading-"):
        return int(p.style.rsplit("-", 1)[1]), text, ""
    if p.table:
        return None
    if text.startswith("、") and len(text) <= 42:
        return top or 1, text, ""
    if PLAN_HEADING.match(text.rstrip("：:")) and not text.endswith(("：", ":")):
        return top or 1, text, ""
    found = enumerator(text)
    if not found or top is None or found.level < top:
        return None
    if is_standalone(text):
        head, _, after = text.partition(" ")
        # a whole heading phrase, then a sentence run on after a space (not a stray space inside the heading)
        if len(head) >= len(found.prefix) + 8 and len(after) >= 15 and re.search(r"[、，,“”]", after) and re.match(r"[\u4e00-\u9fff]", head[-1:]):
            return found.level, head, after
        return found.level, text, ""
    if found.level == top:
        heading, rest = split_run_in(text)
        return found.level, heading, rest
    return None


def _item_level(p: Paragraph) -> int | None:
    found = None if p.style or p.table else enumerator(p.text)
    return found.level if found else None


def list_items(rest: list[Paragraph], top: int | None) -> set[int]:
    """Indexes of numbered items below the top level that stay paragraphs.

    Sibling items (1、 2、 3、 under one heading) are headings only if every one of them acts as
    one: short, no closing sentence, and followed by text of its own before the next item.
    Otherwise the run is a list, and all its items stay paragraphs alike."""
    kept: set[int] = set()
    runs: dict[int, list[int]] = {}  # level -> the items of its current run
    levels = [_item_level(p) for p in rest]

    def acts_as_heading(index: int) -> bool:
        following = index + 1 < len(rest)
        return following and levels[index + 1] != levels[index] and is_standalone(rest[index].text)

    def close(levels) -> None:
        for level in list(levels):
            run = runs.pop(level, [])
            if not all(acts_as_heading(index) for index in run):
                kept.update(run)

    for index, p in enumerate(rest):
        level = levels[index]
        if level is None or top is None:
            if (p.style or "").startswith("heading-"):
                close(runs)
            continue
        if level <= top:
            close(runs)  # a higher heading ends every list under the last one
            continue
        close([deeper for deeper in runs if deeper > level])
        runs.setdefault(level, []).append(index)
    close(runs)
    return kept


def build_body(paragraphs: list[Paragraph]) -> Body:
    title, org, rest, repeated = take_title(paragraphs)
    top = top_level(rest)
    items = list_items(rest, top)
    # Word's own heading styles sit above any numbering typed into the text.
    styled = max((_style_level(p) for p in rest), default=0)
    lead: list = []
    roots: list[SectionDraft] = []
    stack: list[SectionDraft] = []
    for index, p in enumerate(rest):
        opened = None if index in items else _heading_of(p, top)
        if opened is None:
            block = {"rows": [list(row) for row in p.table]} if p.table else p.text
            (stack[-1].paragraphs if stack else lead).append(block)
            continue
        level, heading, remainder = opened
        level += 0 if _style_level(p) else styled
        while stack and stack[-1].level >= level:
            stack.pop()
        section = SectionDraft(heading, level)
        (stack[-1].sections if stack else roots).append(section)
        stack.append(section)
        if remainder:
            section.paragraphs.append(remainder)
    subtitle = next((p.text for p in rest[:3] if is_subtitle(p.text)), None)
    return Body(title, org, lead, roots, repeated, subtitle)
