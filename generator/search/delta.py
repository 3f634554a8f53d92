"""Update the published index after a few reports changed, instead of rebuilding it.

The previous index's d/ and p/ shards (the base) are hard-linked into the new
folder and never written to: they are the live site's files too. The documents
whose text differs from the base's get their records again, in the base's record
format and shard numbering, in delta shards (dd/, dp/); the manifest lists those
documents and which delta shards exist. A reader drops the listed documents from
a base record and adds the delta record's (query.py, archive-search.js), which
gives exactly the record of a full build. Everything else is small and made
afresh; text files that did not change are linked too.

Each index carries its IndexState (index.py), so the next build knows which
documents differ from the base: edits accumulate in the delta against the same
base until there are too many and a full build makes a new base.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from generator.search.documents import SearchDoc, SearchUnit
from generator.search.fold import fold
from generator.search.index import (
    FORMAT,
    STATE_FILE,
    FolderSink,
    IndexState,
    MemorySink,
    code_points,
    fold_fingerprint,
    manifest,
    text_file,
    text_fingerprint,
    text_payload,
    text_vocabulary,
    write_documents,
    write_postings,
)
from generator.update import digest


def delta_limit(docs: int) -> int:
    """The most documents a delta may hold; beyond it the index is built in full.

    A query fetches, beside each base shard, its delta shard (when there is one), in the same
    round. With k of n documents in the delta, a delta shard weighs about 2k/n of a base shard
    (its records name their gram for a few documents only): measured at 10,000 reports, 99
    documents add 2% to the shard bytes a query fetches, and the manifest lists k numbers
    (plus a bit per shard). Beyond that a full build, which also makes a fresh base, is due.
    A small archive may still take 16 edits: its shards are small, and so are the deltas.
    """
    return max(16, docs // 100)


@dataclass(frozen=True)
class Plan:
    previous: Path
    state: IndexState  # the previous index's
    changed: list[int]  # documents whose text differs from the base's, ascending


def plan_update(docs: list[SearchDoc], previous: Path) -> Plan | None:
    """How to update `previous` to `docs`; None when it cannot be (a full build is due).
    Raises on files that are not what an index of ours would hold."""
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
    changed = [n for n, doc in enumerate(docs) if text_fingerprint(doc.text) != state.base[n]]
    if len(changed) > delta_limit(len(docs)):
        return None
    return Plan(previous, state, changed)


def write_update(docs: list[SearchDoc], units: list[SearchUnit], plan: Plan, sink: FolderSink) -> None:
    """The base linked from the previous index, the delta of `plan.changed`, the rest afresh."""
    state, previous = plan.state, str(plan.previous)
    for family in ("d", "p"):
        for number, size in enumerate(state.sizes[family]):
            path = f"{family}/{number}.bin"
            sink.link(path, os.path.join(previous, path), size)
    delta = None
    if plan.changed:
        codes, starts = code_points([fold(docs[n].text) for n in plan.changed])
        records = MemorySink()  # a shard gets records three times (1-, 2-, 3-grams): one write
        written = write_postings(
            codes,
            starts,
            np.array(plan.changed, dtype=np.int64),
            (state.d_shards, state.p_shards),
            ("dd", "dp"),
            records,
            parts=1,  # a few documents: one pass
        )
        for path, data in records.files().items():
            sink.put(path, data)
        delta = {
            "docs": plan.changed,
            "d": shard_bitmap(written["dd"], state.d_shards),
            "p": shard_bitmap(written["dp"], state.p_shards),
        }
    k_shards = write_documents(docs, units, text_vocabulary([doc.text for doc in docs]), sink)
    files, text_sizes = [], []
    for number, doc in enumerate(docs):
        payload = text_payload(doc, units[doc.unit])
        files.append(digest(payload))
        path = f"text/{number}.bin"
        if files[-1] == state.files[number]:
            sink.link(path, os.path.join(previous, path), state.sizes["text"][number])
        else:
            sink.put(path, text_file(payload))
        text_sizes.append(sink.size(path))
    # The base stays the previous one's; only the text files may have changed.
    new_state = IndexState(
        state.fold,
        state.d_shards,
        state.p_shards,
        state.ids,
        state.base,
        files,
        {"d": state.sizes["d"], "p": state.sizes["p"], "text": text_sizes},
    )
    sink.put(STATE_FILE, new_state.to_bytes())
    sink.put(
        "manifest.json",
        manifest(len(docs), len(units), state.d_shards, state.p_shards, k_shards, delta),
    )


def shard_bitmap(numbers: set[int], shards: int) -> str:
    """Base64 of a bit per shard (bit n % 8 of byte n // 8): which delta shards exist."""
    bits = np.zeros(shards, dtype=np.uint8)
    bits[sorted(numbers)] = 1
    return base64.b64encode(np.packbits(bits, bitorder="little").tobytes()).decode("ascii")


def read_bitmap(text: str) -> set[int]:
    bits = np.unpackbits(np.frombuffer(base64.b64decode(text), dtype=np.uint8), bitorder="little")
    return set(np.flatnonzero(bits).tolist())
