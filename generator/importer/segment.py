"""One SourceText → report segments plus the log of what was left out."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from generator.importer.clean import (
    Removal,
    chrome_reason,
    clean_line,
    pinyin_annotations,
    remove_pinyin,
)
from generator.importer.layout import LEFT_OUT
from generator.importer.readers import Block, SourceText
from generator.importer.split import (
    INLINE_LABEL,
    Paragraph,
    glue_split,
    join_hard_wraps,
    label_lines,
    label_title,
    split_concatenation,
)


@dataclass(frozen=True)
class Segment:
    source: SourceText
    paragraphs: list[Paragraph]
    label_title: str | None = None  # the title the site's label gave the piece, if any

    @property
    def first(self) -> int:
        return self.paragraphs[0].first

    @property
    def last(self) -> int:
        return self.paragraphs[-1].last

    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)


@dataclass
class SegmentedSource:
    source: SourceText
    segments: list[Segment]
    removals: list[Removal]


def segment_source(source: SourceText, preamble: bool = True) -> SegmentedSource:
    """Segments and removals; `preamble`: the blocks start the file (see _preamble)."""
    removals: list[Removal] = []
    kept: list[Paragraph] = []
    pieces: list[list[Paragraph]] = [kept]
    titles: list[str | None] = [None]
    # Pinyin readings are left out of the text: the log says so, one item per line.
    for block in source.blocks:
        found = [] if block.table else pinyin_annotations(block.text)
        if found:
            removals.append(Removal(block.line, " ".join(found), "pinyin annotations"))
    blocks = split_inline_labels(source.blocks)
    raw = [(b.line, remove_pinyin(b.text)[0].strip()) for b in blocks]
    labels = label_lines(raw)
    teasers = teaser_lines(raw)
    title_line = int(source.hints.get("title_block") or 0)
    for index, (block, (number, text)) in enumerate(zip(blocks, raw)):
        reason = None if block.table else chrome_reason(text)
        if block.table:
            rows = tuple(tuple(clean_line(cell, number)[0] for cell in row) for row in block.table)
            kept.append(Paragraph(text, number, number, table=rows))
        elif index in labels:
            removals.append(Removal(number, text, "site label"))
            kept = []
            pieces.append(kept)
            titles.append(label_title(text))
        elif index in teasers:
            removals.append(Removal(number, text, "page chrome (teaser of another article)"))
        elif reason:
            removals.append(Removal(number, text, f"page chrome ({reason})"))
        elif not text:
            kept.append(Paragraph("", number, number))
        else:
            cleaned, fragments, damaged = clean_line(text, number)
            removals.extend(fragments)
            if block.style in LEFT_OUT:  # kept in the segment for its place; the entry has it as fields
                removals.append(Removal(number, cleaned, "signature or date line (the entry's organization and date)"))
            left = chrome_reason(cleaned) if fragments and cleaned else None
            if left:  # what the fragments leave is chrome too: a row of empty images leaves "|"
                removals.append(Removal(number, cleaned, f"page chrome ({left})"))
                continue
            style = "title" if number == title_line else block.style
            kept.append(Paragraph(cleaned, number, number, damaged, style=style))
    if labels and preamble:
        removals.extend(_preamble(pieces.pop(0)))
        titles.pop(0)
    segments = []
    for piece, title in zip(pieces, titles):
        paragraphs = glue_split(join_hard_wraps(piece))
        parts = split_concatenation(paragraphs)
        segments += [Segment(source, part, title if number == 0 else None) for number, part in enumerate(parts)]
    return SegmentedSource(source, segments, sorted(removals, key=lambda r: r.line))


def split_inline_labels(blocks: list[Block]) -> list[Block]:
    """A run-on line holding a collection's marker (…朋友。某某总结【第一篇】今年以来…) cut into
    what stands before the marked title, the title with its marker, and the text after it."""
    out: list[Block] = []
    for block in blocks:
        match = None if block.table or "【" not in block.text else INLINE_LABEL.search(block.text)
        if match is None or not block.text[match.end() :].strip():
            out.append(block)
            continue
        before = block.text[: match.start()]
        cut = max(before.rfind(mark) for mark in "。！？!?") + 1
        pieces = (before[:cut], block.text[cut : match.end()], block.text[match.end() :])
        out += [replace(block, text=piece) for piece in pieces if piece.strip()]
    return out


_READ_MORE_HINT = re.compile(r"更多|全文|查看|點擊|点击")


def teaser_lines(lines: list[tuple[int, str]]) -> set[int]:
    """Indexes of teasers of other articles: a ※- or ●-marked title and a line or two, ended by a
    'read more' link."""
    teasers: set[int] = set()
    for index, (_, text) in enumerate(lines):
        if len(text) > 20 or not _READ_MORE_HINT.search(text) or chrome_reason(text) != "read-more link":
            continue
        for back in range(index - 1, max(-1, index - 4), -1):
            before = lines[back][1]
            if not before:
                break
            if before.startswith(("※", "●")):
                teasers.update(range(back, index))
                break
    return teasers


def _preamble(lines: list[Paragraph]) -> list[Removal]:
    """Before a collection's first label only page chrome stands (page titles, intros)."""
    return [Removal(p.first, p.text, "page chrome (before the first piece)") for p in lines if p.text]
