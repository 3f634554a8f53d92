"""Update the published index after a few reports changed, instead of rebuilding it.

The previous index's d/ and p/ shards (the base) are hard-linked into the new
folder and never written to: they are the live site's files too. A shard whose
keyword records (index.keyword_parts) changed is the one exception: it is
written anew, its gram records copied from the base. The manifest
lists the documents whose text differs from the base's (the delta). A reader
drops them from every base record and matches their texts directly: it has
them anyway, in their text/ files, which the page fetches once, as soon as it
has the manifest (query.py, search-engine.js). A query then costs no request
more than over a full index, and a match in a delta document is a plain
substring count in its folded text, which is what its records would say.
Everything else is small and made afresh; text files that did not change are
linked too.

Each index carries its IndexState (index_state.py), so the next build knows which
documents differ from the base: edits accumulate in the delta against the same
base until there are too many and a full build makes a new base.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from generator.errors import BuildError
from generator.i18n import _
from generator.search.documents import SearchDoc, SearchUnit
from generator.search.files import FORMAT, manifest, text_file, text_path, text_payloads
from generator.search.index import (
    NOT_RECORDED,
    FolderSink,
    keyword_parts,
    shard_file,
    shard_records,
    text_vocabulary,
    write_documents,
    write_texts,
)
from generator.search.index_state import (
    STATE_FILE,
    DocFacts,
    IndexState,
    all_facts,
    fold_fingerprint,
    part_fingerprints,
)
from generator.state import FEW_CHANGES

# The delta's text files, which a page fetches before its first query: a cold query's bytes.
DELTA_TEXT_BYTES = 48_000


def delta_limit(docs: int) -> int:
    """The most documents a delta may hold; beyond it the index is built in full.

    The manifest lists them, and every query matches their texts one by one. The bytes of
    their text files are bounded too (DELTA_TEXT_BYTES, about ten reports), except for a
    delta of one document, whatever its size.
    """
    return max(FEW_CHANGES, docs // 100)


@dataclass(frozen=True)
class Plan:
    previous: Path
    state: IndexState  # the previous index's
    changed: list[int]  # documents whose text differs from the base's, ascending


def plan_update(
    docs: list[SearchDoc], units: list[SearchUnit], previous: Path, facts: list[DocFacts] | None = None
) -> Plan | None:
    """How to update `previous` to `docs` (whose `facts` are known, or made here); None when it
    cannot be (a full build is due). Raises on files that are not what an index of ours would hold."""
    if not (previous / "manifest.json").is_file():
        return None
    old = json.loads((previous / "manifest.json").read_bytes())
    if not isinstance(old, dict) or old.get("format") != FORMAT:
        return None
    state = IndexState.from_bytes((previous / STATE_FILE).read_bytes())
    if (old.get("docs"), old.get("d_shards"), old.get("p_shards")) != (
        len(state.ids),
        state.d_shards,
        state.p_shards,
    ):
        raise ValueError("the manifest and the state of the previous index disagree")
    # Records are keyed by document number: the same reports must have the same numbers.
    if state.fold != fold_fingerprint() or state.ids != [doc.report_id for doc in docs]:
        return None
    facts = facts or all_facts(docs, units)
    changed = [n for n, fact in enumerate(facts) if fact.fingerprint != state.base[n]]
    if len(changed) > delta_limit(len(docs)):
        return None
    if len(changed) > 1 and delta_text_bytes(docs, units, changed) > DELTA_TEXT_BYTES:
        return None
    return Plan(previous, state, changed)


def delta_text_bytes(docs: list[SearchDoc], units: list[SearchUnit], changed: list[int]) -> int:
    return sum(len(text_file(payload)) for n in changed for payload in text_payloads(docs[n], units[docs[n].unit]))


def write_update(
    docs: list[SearchDoc], units: list[SearchUnit], plan: Plan, sink: FolderSink, facts: list[DocFacts] | None = None
) -> None:
    """The base linked from the previous index, `plan.changed` listed as the delta, the rest afresh."""
    facts = facts or all_facts(docs, units)
    state, previous = plan.state, str(plan.previous)
    keywords = keyword_parts(docs, state.d_shards, state.p_shards)
    fingerprints = part_fingerprints(keywords)
    sizes: dict[str, list[int]] = {"d": [], "p": []}
    for family in ("d", "p"):
        for number, size in enumerate(state.sizes[family]):
            path = f"{family}/{number}.bin"
            source = os.path.join(previous, path)
            old = state.keywords.get(path)
            if old == fingerprints.get(path):
                sink.link(path, source, size)
            else:
                records = shard_records(_read_exactly(source, size))
                records = records[: len(records) - (old[1] if old else 0)]
                sink.put(path, shard_file(records + keywords.get(path, b"")))
            sizes[family].append(sink.size(path))
    delta = {"docs": plan.changed} if plan.changed else None
    # A text's distinct characters are what its text adds to the vocabulary.
    write_documents(docs, units, text_vocabulary([fact.chars for fact in facts]), sink)
    files, text_sizes = [fact.payload for fact in facts], []
    for number, doc in enumerate(docs):
        if files[number] == state.files[number]:
            text_sizes.append(_link_texts(number, state.sizes["text"][number], previous, sink))
        else:
            text_sizes.append(write_texts(number, doc, units[doc.unit], sink))
    # The base stays the previous one's gram records; keyword records and text files are current.
    new_state = IndexState(
        state.fold,
        state.d_shards,
        state.p_shards,
        state.ids,
        state.base,
        files,
        {**sizes, "text": text_sizes},
        fingerprints,
    )
    sink.put(STATE_FILE, new_state.to_bytes())
    sink.put(
        "manifest.json",
        manifest(docs, len(units), state.d_shards, state.p_shards, delta),
    )


def _link_texts(number: int, sizes: list[int], previous: str, sink: FolderSink) -> list[int]:
    """A document's unchanged text files, linked from the previous index; their sizes."""
    for chunk, size in enumerate(sizes):
        path = text_path(number, chunk)
        sink.link(path, os.path.join(previous, path), size)
    return list(sizes)


def _read_exactly(path: str, size: int) -> bytes:
    """A base shard's bytes, which must be what the previous index recorded."""
    with open(path, "rb") as handle:
        data = handle.read(size + 1)
    if len(data) != size:
        raise BuildError(
            _(NOT_RECORDED).format(path=path)
        )
    return data
