"""A segment → a draft entry: body, metadata, title, id and provenance."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from generator.importer.dedup import Copy, fingerprint_text, make_copy
from generator.importer.metadata import Metadata, extract
from generator.importer.script import to_traditional
from generator.importer.segment import Segment
from generator.importer.structure import Body, build_body
from generator.importer.titles import is_title
from generator.labels import DOC_TYPE
from generator.model import Source

# Generated titles name the document kind; "other" reads better as 文稿 in a title.
DOC_TYPE_TITLES = {**DOC_TYPE, "other": "文稿"}
PERIOD_TITLES = {"first-half": "上半年", "second-half": "下半年", "multi-year": "", "annual": "", "unknown": ""}


@dataclass(frozen=True)
class Draft:
    source: Source
    text: str
    fingerprint: Copy
    report_id: str
    body: Body
    meta: Metadata
    damaged_lines: tuple[int, ...]
    hints: dict[str, str]


def report_id_for(text: str) -> str:
    """Stable and derived from the content alone: the same text always gets the same id."""
    return "r-" + hashlib.sha256(fingerprint_text(text).encode("utf-8")).hexdigest()[:10]


def draft_report(file: str, segment: Segment) -> Draft:
    paragraphs = [p.text for p in segment.paragraphs]
    body = build_body(segment.paragraphs)
    text = segment.text()
    source = Source(file=file, lines=(segment.first, segment.last), sha256=segment.source.sha256, kind="original")
    damaged = tuple(p.first for p in segment.paragraphs if p.damaged)
    hints = dict(segment.source.hints)
    if body.title is None and is_title(hints.get("title", "")) and hints["title"] in text:
        body.title = hints["title"]  # the file's title property, where the text carries it too
    return Draft(source, text, make_copy(0, text), report_id_for(text), body, extract(body, paragraphs), damaged, hints)


def generated_title(meta: Metadata) -> str:
    when = f"{meta.year}年" if meta.year else (meta.year_placeholder or "")
    title = f"{meta.organization or '工会'}{when}{PERIOD_TITLES[meta.period]}{DOC_TYPE_TITLES[meta.doc_type]}"
    return to_traditional(title) if meta.script == "traditional" else title


_HINT_NAMES = {"title": "标题", "author": "作者", "created": "创建日期", "modified": "修改日期", "date": "发布日期"}


def hint_notes(hints: dict[str, str]) -> list[str]:
    """The file's own properties, kept for a curator to weigh: hints, never truths."""
    found = [f"{label} {hints[key]}" for key, label in _HINT_NAMES.items() if hints.get(key)]
    return [f"file properties (hints): {'; '.join(found)}"] if found else []


def report_dict(draft: Draft, sources: list[Source]) -> dict:
    meta, body = draft.meta, draft.body
    notes = hint_notes(draft.hints)
    if draft.damaged_lines:
        lines = ", ".join(f"L{n}" for n in draft.damaged_lines)
        notes.append(f"damaged text kept as found (mojibake or lost characters) at {draft.source.file} {lines}")
    review = list(dict.fromkeys(meta.needs_review + (["body"] if draft.damaged_lines else [])))
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
        "needs_review": review,
        "import_notes": notes,
    }
