"""The name each unit is shown under, so that units of one name can be told apart.

Anonymous units (`街道工会`, `公司工会`) share their name with others. Everywhere a
unit is named (lists, the coverage grid, the search filter) it is shown with its
place, or lacking one, with what its first report is: its title without the
unit's name, else its year and type (`街道工会（金乡县）`, `公司工会（2019年工作总结）`).
A unit whose name is its own is shown as it is.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from generator import labels
from generator.model import Organization, Report

CUE_CHARS = 16  # longest part of a title used to tell a unit apart
_TRIM = " 　\t_*-—–·•:：,，.。、"


def display_names(units: Iterable[tuple[Organization, Report | None]]) -> dict[str, str]:
    """Unit slug -> the name it is shown under; each unit with its first report (or None).
    Labels are unique whenever the registry's slugs are."""
    by_name: dict[str, list[tuple[Organization, Report | None]]] = defaultdict(list)
    for org, first in units:
        by_name[org.name].append((org, first))
    shown: dict[str, str] = {}
    for name, group in by_name.items():
        if len(group) == 1:
            shown[group[0][0].id] = name
        else:
            shown.update(_told_apart(name, group))
    return shown


def _told_apart(name: str, group: list[tuple[Organization, Report | None]]) -> dict[str, str]:
    """Place first; the first report's cue where places are missing or shared; the slug last."""
    places = Counter(org.place for org, _ in group)
    parts = {
        org.id: [org.place] if org.place and places[org.place] == 1 else [org.place or "", _cue(name, first)]
        for org, first in group
    }
    labelled = {slug: _label(name, bits) for slug, bits in parts.items()}
    taken = Counter(labelled.values())
    return {
        slug: label if taken[label] == 1 else _label(name, [*parts[slug], slug])
        for slug, label in labelled.items()
    }


def _cue(name: str, first: Report | None) -> str:
    """What the unit's first report is, in a few characters: its title without the unit's name,
    or, when the title does not name the unit, its year and type."""
    if first is None:
        return "暂无报告"
    title = " ".join(first.title.split())
    cue = title.replace(name, "", 1).strip(_TRIM) if name in title else ""
    if not cue:
        year = labels.year_label(first.year) if first.year else first.year_placeholder or ""
        cue = year + labels.DOC_TYPE[first.doc_type]
    return cue if len(cue) <= CUE_CHARS else cue[: CUE_CHARS - 1] + "…"


def _label(name: str, parts: list[str]) -> str:
    shown = [part for part in parts if part]
    return f"{name}（{'，'.join(shown)}）" if shown else name

