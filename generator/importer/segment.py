"""One SourceText → report segments plus the log of what was left out."""

from __future__ import annotations

from dataclasses import dataclass

from generator.importer.clean import (
    Removal,
    chrome_reason,
    clean_line,
    pinyin_annotations,
    remove_pinyin,
)
from generator.importer.layout import LEFT_OUT
from generator.importer.readers import SourceText
from generator.importer.split import (
    Paragraph,
    glue_split,
    join_hard_wraps,
    label_lines,
    split_concatenation,
)


@dataclass(frozen=True)
class Segment:
    source: SourceText
    paragraphs: list[Paragraph]

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
    raw = [(b.line, remove_pinyin(b.text)[0].strip()) for b in source.blocks]
    # Pinyin readings are left out of the text: the log says so, one item per line.
    for block in source.blocks:
        found = [] if block.table else pinyin_annotations(block.text)
        if found:
            removals.append(Removal(block.line, " ".join(found), "pinyin annotations"))
    labels = label_lines(raw)
    title_line = int(source.hints.get("title_block") or 0)
    for block, (number, text) in zip(source.blocks, raw):
        reason = None if block.table else chrome_reason(text)
        if block.table:
            rows = tuple(tuple(clean_line(cell, number)[0] for cell in row) for row in block.table)
            kept.append(Paragraph(text, number, number, table=rows))
        elif number in labels:
            removals.append(Removal(number, text, "site label"))
            kept = []
            pieces.append(kept)
        elif reason:
            removals.append(Removal(number, text, f"page chrome ({reason})"))
        elif not text:
            kept.append(Paragraph("", number, number))
        else:
            cleaned, fragments, damaged = clean_line(text, number)
            removals.extend(fragments)
            if block.style in LEFT_OUT:  # kept in the segment for its place; the entry has it as fields
                removals.append(Removal(number, cleaned, "signature or date line (the entry's organization and date)"))
            style = "title" if number == title_line else block.style
            kept.append(Paragraph(cleaned, number, number, damaged, style=style))
    if labels and preamble:
        removals.extend(_preamble(pieces.pop(0)))
    segments = []
    for piece in pieces:
        paragraphs = glue_split(join_hard_wraps(piece))
        segments += [Segment(source, part) for part in split_concatenation(paragraphs)]
    return SegmentedSource(source, segments, sorted(removals, key=lambda r: r.line))


def _preamble(lines: list[Paragraph]) -> list[Removal]:
    """Before a collection's first label only page chrome stands (page titles, intros)."""
    return [Removal(p.first, p.text, "page chrome (before the first piece)") for p in lines if p.text]
