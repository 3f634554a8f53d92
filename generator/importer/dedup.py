"""Exact and near copies of one report, found by comparing 6-character shingles."""

from __future__ import annotations

import heapq
import re
import sys
import zlib
from collections import Counter
from dataclasses import dataclass
from itertools import chain, repeat

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


def _shingles(core: str) -> frozenset[str]:
    return frozenset(core[i : i + SHINGLE] for i in range(max(1, len(core) - SHINGLE + 1)))


@dataclass(frozen=True)
class Copy:
    """One segment's text as the comparison sees it."""

    key: int
    text: str
    shingles: frozenset[str]


class Grouper:
    """Copies grouped as they arrive, in input order.

    A copy is compared with the first copy of each group only, so only first
    copies keep their shingles: memory grows with the number of distinct
    reports, not with the size of the input. An exact copy of a group's first
    copy is recognised by its text alone, without shingles.
    """

    def __init__(self) -> None:
        self.firsts: list[Copy] = []
        # Shingle -> the groups whose first copy holds it; () once more than COMMON do (stock phrasing).
        self._index: dict[str, list[int] | tuple[()]] = {}
        self._stock: set[str] = set()  # the shingles whose entry is ()
        self._exact: dict[str, int] = {}

    def add(self, core: str, shingles: frozenset[str] | None = None) -> tuple[int, str]:
        """(group number, "original" | "exact" | "near") for a copy with fingerprint text `core`.

        `shingles`: its sketch, where it was worked out beforehand (sketch(core)).
        """
        group = self._exact.get(core)
        if group is not None:
            return group, "exact"
        copy = Copy(len(self.firsts), core, sketch(core) if shingles is None else shingles)
        match = self._find_group(copy)
        if match is not None:
            return match
        number = len(self.firsts)
        # A group's first copy stays for the whole import: its shingles are shared with the
        # other groups' (millions of short strings at archive scale, mostly repeats).
        copy = Copy(copy.key, core, frozenset(map(sys.intern, copy.shingles)))
        self.firsts.append(copy)
        self._exact[core] = number
        index = self._index
        for sh in copy.shingles:
            holders = index.get(sh)
            if holders is None:
                index[sh] = [number]
            elif holders:
                holders.append(number)
                if len(holders) > COMMON:  # stock phrasing: neither indexed further nor counted
                    index[sh] = ()
                    self._stock.add(sh)
        return number, "original"

    def _find_group(self, copy: Copy) -> tuple[int, str] | None:
        # Candidates are the groups sharing the most uncommon shingles (stock phrases shared by
        # many reports would make this quadratic); each is then measured on all its shingles.
        counts = Counter(chain.from_iterable(map(self._index.get, copy.shingles, repeat(()))))
        best = _most_shared(counts)
        # `shared` counts every shingle both copies hold but stock phrasing (a group stays in the
        # index entry of each of its shingles until that entry becomes stock): only the copy's
        # stock shingles are left to look up in the other copy.
        stock = copy.shingles & self._stock if best else frozenset()
        for group_no, shared in best:
            other = self.firsts[group_no].shingles
            smaller = min(len(copy.shingles), len(other))
            if smaller and (shared + len(stock & other)) / smaller >= NEAR_THRESHOLD:
                return group_no, "near"
        return None


def sketch(core: str) -> frozenset[str]:
    """The shingles a copy is compared on (see SKETCH_MASK)."""
    return _sketch(_shingles(core))


def _sketch(all_shingles: frozenset[str]) -> frozenset[str]:
    sketch = frozenset(s for s in all_shingles if zlib.crc32(s.encode("utf-8")) & SKETCH_MASK == 0)
    return sketch or all_shingles


def _most_shared(counts: Counter) -> list[tuple[int, int]]:
    """The CANDIDATES groups with the highest counts, the lower group number first among equals.

    Only the groups that can make the cut are sorted: a copy shares a shingle or two with
    hundreds of groups.
    """
    if len(counts) <= CANDIDATES:
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    least = heapq.nlargest(CANDIDATES, counts.values())[-1]
    contenders = [item for item in counts.items() if item[1] >= least]
    return sorted(contenders, key=lambda item: (-item[1], item[0]))[:CANDIDATES]
