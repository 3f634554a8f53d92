"""Exact and near copies of one report, found by comparing 6-character shingles."""

from __future__ import annotations

import hashlib
import heapq
import re
from collections import Counter
from itertools import chain

import numpy as np

SHINGLE = 6
# Share of the shorter copy's shingles found in the longer one: templates that
# merely share phrasing stay well below this (about 0.3 in practice).
NEAR_THRESHOLD = 0.6
# Copies are compared on a fixed quarter of their shingles (chosen by hash, so the same
# quarter in every copy): the share is estimated as well, at a quarter of the cost.
SKETCH_MASK = 3
# Candidates are looked up by a quarter of the sketch (again chosen by hash: the same probes
# in every copy), then measured on all of it.
PROBE_MASK = 12
# A shingle held by more reports than this is stock phrasing: it finds no candidates.
COMMON = 64
CANDIDATES = 8

_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)


_NOT_COMPARED = re.compile(r"[\W_]+")


def fingerprint_text(text: str) -> str:
    """Only letters and digits count: punctuation and spacing differ between copies."""
    return _NOT_COMPARED.sub("", text)


def core_digest(core: str) -> bytes:
    """What an exact copy is recognised by: a digest of its fingerprint text (a copy travels
    between processes with this, not with a second copy of its text)."""
    return hashlib.blake2b(core.encode("utf-8"), digest_size=16).digest()


def sketch(core: str) -> np.ndarray:
    """The sorted distinct hashes of the shingles a copy is compared on (see SKETCH_MASK);
    all of them if none is picked. Hashes are deterministic (not Python's own), so copies
    read by different processes or imports compare alike."""
    hashes = _shingle_hashes(core)
    picked = hashes[(hashes & SKETCH_MASK) == 0]
    return _sorted_distinct(picked if picked.size else hashes)


def _sorted_distinct(hashes: np.ndarray) -> np.ndarray:
    """np.unique's result, by sorting and dropping repeats: faster on arrays of this size."""
    hashes = np.sort(hashes)
    if hashes.size > 1:
        keep = np.empty(hashes.size, dtype=bool)
        keep[0] = True
        np.not_equal(hashes[1:], hashes[:-1], out=keep[1:])
        hashes = hashes[keep]
    return hashes


def _shingle_hashes(core: str) -> np.ndarray:
    points = np.frombuffer(core.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    if points.size < SHINGLE:
        points = np.concatenate([points, np.zeros(SHINGLE - points.size, dtype=np.uint64)])
    count = points.size - SHINGLE + 1
    hashes = np.zeros(count, dtype=np.uint64)
    for offset in range(SHINGLE):  # a polynomial hash of each window, wrapping at 2**64
        hashes = hashes * _MULTIPLIER + points[offset : offset + count]
    hashes ^= hashes >> np.uint64(31)  # the low bits, which pick shingles, depend on every character
    hashes *= _MULTIPLIER
    hashes ^= hashes >> np.uint64(29)
    return hashes


class Grouper:
    """Copies grouped as they arrive, in input order.

    A copy is compared with the first copy of each group only: the first copies' sketches
    are kept (8 bytes a shingle), and an index of their probe shingles finds the few worth
    measuring. An exact copy of a group's first copy is recognised by its text alone.
    """

    def __init__(self) -> None:
        self._sketches: list[np.ndarray] = []  # each group's first copy's
        # Probe shingle -> the groups whose first copy holds it, while no more than COMMON do
        # (then None: stock phrasing).
        self._index: dict[int, list[int] | None] = {}
        self._exact: dict[bytes, int] = {}

    def add(self, digest: bytes, shingles: np.ndarray) -> tuple[int, str]:
        """(group number, "original" | "exact" | "near") for a copy whose fingerprint text has
        this core_digest and sketch."""
        group = self._exact.get(digest)
        if group is not None:
            return group, "exact"
        probes = shingles[(shingles & PROBE_MASK) == 0].tolist()
        match = self._find_group(shingles, probes)
        if match is not None:
            return match, "near"
        number = len(self._sketches)
        self._sketches.append(shingles)
        self._exact[digest] = number
        self._hold(number, probes)
        return number, "original"

    def _hold(self, number: int, probes: list[int]) -> None:
        index = self._index
        for probe in probes:
            holders = index.get(probe, ())
            if holders is None:
                continue
            if not holders:
                index[probe] = [number]
            elif len(holders) < COMMON:
                holders.append(number)
            else:
                index[probe] = None

    def _find_group(self, shingles: np.ndarray, probes: list[int]) -> int | None:
        # Candidates are the groups sharing the most probe shingles; each is then measured
        # on its whole sketch, the lower group number first among equals.
        counts = Counter(chain.from_iterable(filter(None, map(self._index.get, probes))))
        for group_no, _ in _most_shared(counts):
            other = self._sketches[group_no]
            smaller = min(shingles.size, other.size)
            if smaller and _shared(shingles, other) / smaller >= NEAR_THRESHOLD:
                return group_no
        return None


def _shared(one: np.ndarray, other: np.ndarray) -> int:
    """How many hashes two sorted arrays of distinct hashes have in common."""
    if one.size > other.size:
        one, other = other, one
    at = other.searchsorted(one)  # the method: numpy's function wrapper costs as much as the search here
    at[at == other.size] = 0
    return int(np.count_nonzero(other[at] == one))


def _most_shared(counts: Counter) -> list[tuple[int, int]]:
    """The CANDIDATES groups with the highest counts, the lower group number first among equals.

    Only the groups that can make the cut are sorted: a copy shares a shingle or two with
    hundreds of groups.
    """
    if len(counts) > CANDIDATES:
        least = heapq.nlargest(CANDIDATES, counts.values())[-1]
        counts = {group: count for group, count in counts.items() if count >= least}
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:CANDIDATES]
