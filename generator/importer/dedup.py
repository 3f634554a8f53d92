"""Exact and near copies of one report, found by comparing 6-character shingles."""

from __future__ import annotations

import heapq
import re
import zlib
from collections import Counter
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


class Grouper:
    """Copies grouped as they arrive, in input order.

    A copy is compared with the first copy of each group only, through an index of the
    first copies' shingles: no copy keeps its own, so memory grows with the number of
    distinct shingles and of groups, not with the size of the input. An exact copy of a
    group's first copy is recognised by its text alone, without shingles.
    """

    def __init__(self) -> None:
        self._sizes: list[int] = []  # the number of shingles of each group's first copy
        # Shingle -> the groups whose first copy holds it, while no more than COMMON do.
        self._index: dict[str, list[int]] = {}
        # Stock phrasing (held by more than COMMON groups), never counted to find candidates:
        # each shingle maps to itself, so that every group shares one string.
        self._stock: dict[str, str] = {}
        self._stock_held: list[set[str]] = []  # the stock shingles of each group's first copy
        self._exact: dict[str, int] = {}

    def add(self, core: str, shingles: frozenset[str] | None = None) -> tuple[int, str]:
        """(group number, "original" | "exact" | "near") for a copy with fingerprint text `core`.

        `shingles`: its sketch, where it was worked out beforehand (sketch(core)).
        """
        group = self._exact.get(core)
        if group is not None:
            return group, "exact"
        shingles = sketch(core) if shingles is None else shingles
        match = self._find_group(shingles)
        if match is not None:
            return match
        number = len(self._sizes)
        self._sizes.append(len(shingles))
        self._stock_held.append(set())
        self._exact[core] = number
        self._hold(number, shingles)
        return number, "original"

    def _hold(self, number: int, shingles: frozenset[str]) -> None:
        """Index a new group's first copy."""
        index, stock, held = self._index, self._stock, self._stock_held
        for sh in shingles:
            holders = index.get(sh)
            if holders is not None:
                holders.append(number)
                if len(holders) > COMMON:  # stock phrasing from now on
                    del index[sh]
                    stock[sh] = sh
                    for group in holders:
                        held[group].add(sh)
            elif (common := stock.get(sh)) is not None:
                held[number].add(common)
            else:
                index[sh] = [number]

    def _find_group(self, shingles: frozenset[str]) -> tuple[int, str] | None:
        # Candidates are the groups sharing the most uncommon shingles (stock phrases shared by
        # many reports would make this quadratic); each is then measured on all its shingles.
        counts = Counter(chain.from_iterable(map(self._index.get, shingles, repeat(()))))
        best = _most_shared(counts)
        # `shared` counts every shingle both copies hold but stock phrasing: the copy's stock
        # shingles are left to look up among the other copy's.
        stock = self._stock.keys() & shingles if best else set()
        for group_no, shared in best:
            smaller = min(len(shingles), self._sizes[group_no])
            if smaller and (shared + len(stock & self._stock_held[group_no])) / smaller >= NEAR_THRESHOLD:
                return group_no, "near"
        return None


def sketch(core: str) -> frozenset[str]:
    """The shingles a copy is compared on (see SKETCH_MASK); all of them if none is picked."""
    crc32, end = zlib.crc32, max(1, len(core) - SHINGLE + 1)
    # Each shingle is picked as it is cut: only the quarter kept is hashed into a set.
    picked = [s for i in range(end) if not crc32((s := core[i : i + SHINGLE]).encode("utf-8")) & SKETCH_MASK]
    return frozenset(picked) or _shingles(core)


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
