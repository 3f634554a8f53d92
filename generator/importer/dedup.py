"""Exact and near copies of one report, found by comparing 6-character shingles."""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

SHINGLE = 6
# Share of the shorter copy's shingles found in the longer one: templates that
# merely share phrasing stay well below this (about 0.3 in practice).
NEAR_THRESHOLD = 0.6
# Copies are compared on a fixed quarter of their shingles (chosen by hash, so the same
# quarter in every copy): the share is estimated as well, at a quarter of the cost.
SKETCH_MASK = 3
# A shingle held by more reports than this is stock phrasing; the few best candidates are checked.
COMMON = 64
CANDIDATES = 8


def fingerprint_text(text: str) -> str:
    """Only letters and digits count: punctuation and spacing differ between copies."""
    return re.sub(r"[^\w]|_", "", text)


def shingles(text: str) -> frozenset[str]:
    return _shingles(fingerprint_text(text))


def _shingles(core: str) -> frozenset[str]:
    return frozenset(core[i : i + SHINGLE] for i in range(max(1, len(core) - SHINGLE + 1)))


@dataclass(frozen=True)
class Copy:
    """One segment's text as the comparison sees it."""

    key: int
    text: str
    shingles: frozenset[str]


def make_copy(key: int, text: str) -> Copy:
    return Copy(key, fingerprint_text(text), shingles(text))


def relation(a: Copy, b: Copy) -> str | None:
    """'exact', 'near' or None."""
    if a.text == b.text:
        return "exact"
    small, large = sorted((a.shingles, b.shingles), key=len)
    if not small:
        return None
    shared = len(small & large) / len(small)
    return "near" if shared >= NEAR_THRESHOLD else None


class Grouper:
    """Copies grouped as they arrive, in input order.

    A copy is compared with the first copy of each group only, so only first
    copies keep their shingles: memory grows with the number of distinct
    reports, not with the size of the input. An exact copy of a group's first
    copy is recognised by its text alone, without shingles.
    """

    def __init__(self) -> None:
        self.firsts: list[Copy] = []
        self._index: dict[str, list[int]] = {}
        self._exact: dict[str, int] = {}

    def add(self, core: str) -> tuple[int, str]:
        """(group number, "original" | "exact" | "near") for a copy with fingerprint text `core`."""
        group = self._exact.get(core)
        if group is not None:
            return group, "exact"
        copy = Copy(len(self.firsts), core, _sketch(_shingles(core)))
        match = _find_group(copy, self.firsts, self._index)
        if match is not None:
            return match
        number = len(self.firsts)
        self.firsts.append(copy)
        self._exact[core] = number
        for sh in copy.shingles:
            holders = self._index.setdefault(sh, [])
            if len(holders) <= COMMON:  # past that, the shingle is stock phrasing: not indexed further
                holders.append(number)
        return number, "original"


def _sketch(all_shingles: frozenset[str]) -> frozenset[str]:
    sketch = frozenset(s for s in all_shingles if zlib.crc32(s.encode("utf-8")) & SKETCH_MASK == 0)
    return sketch or all_shingles


def _find_group(copy: Copy, firsts: list[Copy], index) -> tuple[int, str] | None:
    # Candidates are the groups sharing the most uncommon shingles (stock phrases shared by
    # many reports would make this quadratic); each is then measured on all its shingles.
    counts: dict[int, int] = {}
    for sh in copy.shingles:
        holders = index.get(sh, ())
        if len(holders) <= COMMON:
            for group_no in holders:
                counts[group_no] = counts.get(group_no, 0) + 1
    best = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:CANDIDATES]
    for group_no, _ in best:
        other = firsts[group_no].shingles
        smaller = min(len(copy.shingles), len(other))
        if smaller and len(copy.shingles & other) / smaller >= NEAR_THRESHOLD:
            return group_no, "near"
    return None
