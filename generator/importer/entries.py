"""A segment → a draft entry: body, metadata, title, id and provenance."""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, fields
from functools import cached_property

from generator.doubts import DAMAGED_NOTE, HINTS_NOTE, import_reasons
from generator.importer.dedup import core_digest, fingerprint_text
from generator.importer.layout import LEFT_OUT, NO_LAYOUT, Layout
from generator.importer.metadata import Metadata, extract
from generator.importer.script import to_traditional
from generator.importer.segment import Segment
from generator.importer.split import Paragraph
from generator.importer.structure import Body, build_body
from generator.importer.titles import is_title
from generator.labels import DOC_TYPE
from generator.model import Source

# Generated titles name the document kind; "other" reads better as 文稿 in a title.
DOC_TYPE_TITLES = {**DOC_TYPE, "other": "文稿"}
PERIOD_TITLES = {"first-half": "上半年", "second-half": "下半年", "multi-year": "", "annual": "", "unknown": ""}


@dataclass(frozen=True)
class Draft:
    """A report as found, before it is made into an entry. It goes from the worker that read
    it to the grouping and back to a worker: it carries its text once (the paragraphs)."""

    source: Source
    report_id: str
    core_digest: bytes  # exact copies share it (dedup.core_digest)
    core_size: int  # characters of the text as deduplication compares it (fingerprint_text)
    damaged_lines: tuple[int, ...]
    hints: dict[str, str]
    # The segment's paragraphs (not the segment: it holds the whole source's blocks), but those
    # whose content the layout holds (a signature, a date line), pickled by the worker that found
    # them: the grouping passes them on to the worker that makes the entry without unpickling them.
    packed_paragraphs: bytes
    layout: Layout = NO_LAYOUT
    source_url: str | None = None  # the original page's address (importer/source_url.py)

    def __getstate__(self) -> dict:
        # Sent between processes as its fields alone: what is worked out from them is worked out again.
        return {f.name: self.__dict__[f.name] for f in fields(self)}

    @cached_property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        return pickle.loads(self.packed_paragraphs)

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)

    # Structure and metadata are worked out only for the copy that becomes an entry:
    # most segments of a large dump are duplicate copies, and metadata is the slow step.
    @cached_property
    def body(self) -> Body:
        body = build_body(list(self.paragraphs))
        title = self.hints.get("title", "")
        if body.title is None and is_title(title) and title in self.text:
            body.title = title  # the file's title property, where the text carries it too
        return body

    @cached_property
    def meta(self) -> Metadata:
        # A collection's label is the site's wording: a hint for the kind of document, never its title.
        return extract(self.body, [p.text for p in self.paragraphs], self.layout, self.hints.get("label_title"))


def report_id_for(text: str) -> str:
    """Stable and derived from the content alone: the same text always gets the same id."""
    return _report_id(fingerprint_text(text))


def _report_id(core: str) -> str:
    return "r-" + hashlib.sha256(core.encode("utf-8")).hexdigest()[:10]


def draft_report(file: str, segment: Segment, source_url: str | None = None) -> tuple[Draft, str]:
    """The draft, and the text its copies are compared on (fingerprint_text)."""
    core = fingerprint_text(segment.text())
    source = Source(file=file, lines=(segment.first, segment.last), sha256=segment.source.sha256, kind="original")
    damaged = tuple(p.first for p in segment.paragraphs if p.damaged)
    hints = dict(segment.source.hints)
    if segment.label_title:
        hints["label_title"] = segment.label_title
    paragraphs = tuple(p for p in segment.paragraphs if p.style not in LEFT_OUT)
    layout = segment.source.layout.within(segment.first, segment.last)
    draft = Draft(
        source=source,
        report_id=_report_id(core),
        core_digest=core_digest(core),
        core_size=len(core),
        damaged_lines=damaged,
        hints=hints,
        packed_paragraphs=pickle.dumps(paragraphs, pickle.HIGHEST_PROTOCOL),
        layout=layout,
        source_url=source_url,
    )
    draft.__dict__["paragraphs"] = paragraphs  # known here: not unpickled again in this process
    return draft, core


def generated_title(meta: Metadata) -> str:
    when = f"{meta.year}年" if meta.year else (meta.year_placeholder or "")
    title = f"{meta.organization or '工会'}{when}{PERIOD_TITLES[meta.period]}{DOC_TYPE_TITLES[meta.doc_type]}"
    return to_traditional(title) if meta.script == "traditional" else title


_HINT_NAMES = {"title": "标题", "author": "作者", "created": "创建日期", "modified": "修改日期", "date": "发布日期"}


def hint_notes(hints: dict[str, str]) -> list[str]:
    """The file's own properties, kept for a curator to weigh: hints, never truths."""
    found = [f"{label} {hints[key]}" for key, label in _HINT_NAMES.items() if hints.get(key)]
    return [HINTS_NOTE.format(hints="; ".join(found))] if found else []


def report_dict(draft: Draft, sources: list[Source]) -> dict:
    meta, body = draft.meta, draft.body
    notes = hint_notes(draft.hints)
    damaged = None
    if draft.damaged_lines:
        damaged = (draft.source.file, ", ".join(f"L{n}" for n in draft.damaged_lines))
        notes.append(DAMAGED_NOTE.format(file=damaged[0], lines=damaged[1]))
    review = list(dict.fromkeys(meta.needs_review + (["body"] if draft.damaged_lines else [])))
    notes += meta.notes
    reasons = import_reasons(review, meta.review_reasons, damaged)
    return {
        "id": draft.report_id,
        "title": body.title or generated_title(meta),
        "title_generated": body.title is None,
        "organization": meta.organization,
        "unit": None,
        "org_kind": meta.org_kind,
        "place": meta.place,
        "year": meta.year,
        "year_placeholder": meta.year_placeholder,
        "period": meta.period,
        "doc_type": meta.doc_type,
        "date": meta.date.isoformat() if meta.date else None,
        "script": meta.script,
        "lead": body.lead,
        "sections": [s.as_dict() for s in body.sections],
        "sources": [s.model_dump(mode="json") for s in sources],
        **({"source_url": draft.source_url} if draft.source_url else {}),
        "needs_review": review,
        "review_reasons": reasons,
        "import_notes": notes,
    }
