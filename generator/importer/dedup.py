"""Exact and near copies of one report, found by comparing 6-character shingles."""

from __future__ import annotations

import re
from dataclasses import dataclass

SHINGLE = 6
# Share of the shorter copy's shingles found in the longer one: templates that
# merely share phrasing stay well below this (about 0.3 in practice).
NEAR_THRESHOLD = 0.6


def fingerprint_text(text: str) -> str:
    """Only letters and digits count: punctuation and spacing differ between copies."""
    return re.sub(r"[^\w]|_", "", text)


def shingles(text: str) -> frozenset[str]:
    core = fingerprint_text(text)
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


def group_copies(copies: list[Copy]) -> list[list[tuple[Copy, str]]]:
    """Groups in input order; each member after the first carries its relation to the group."""
    groups: list[list[tuple[Copy, str]]] = []
    index: dict[str, list[int]] = {}
    for copy in copies:
        match = _find_group(copy, groups, index)
        if match is None:
            groups.append([(copy, "original")])
            for sh in copy.shingles:
                index.setdefault(sh, []).append(len(groups) - 1)
        else:
            group_no, kind = match
            groups[group_no].append((copy, kind))
    return groups


def _find_group(copy: Copy, groups, index) -> tuple[int, str] | None:
    # Only groups sharing a shingle are compared, so cost grows with overlap, not archive size.
    counts: dict[int, int] = {}
    for sh in copy.shingles:
        for group_no in index.get(sh, ()):
            counts[group_no] = counts.get(group_no, 0) + 1
    for group_no, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        kind = relation(copy, groups[group_no][0][0])
        if kind:
            return group_no, kind
    return None
