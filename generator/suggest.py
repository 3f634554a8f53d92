"""'Did you mean': the registry's units nearest to a slug that is not in it."""

from __future__ import annotations

import difflib

from generator.i18n import N_, Messages
from generator.model import Organization

MESSAGES = Messages({
    "unknown_unit": N_("'{unit}' is not in {registry}; {advice}"),
    "did_you_mean": N_("did you mean {units}? Write that slug, or add the unit to {registry}"),
    "no_match": N_("add the unit there or fix the slug"),
    "unit": N_("'{slug}' ({name})"),
    "or": N_(" or "),
    "list": N_(", "),
})
SUGGESTIONS = 3
CUTOFF = 0.6  # difflib's similarity ratio, 0 to 1


def nearest_units(word: str, orgs: list[Organization], count: int = SUGGESTIONS) -> list[Organization]:
    """The units whose slug, name or an alias is nearest to `word` (a typo'd slug, or a name)."""
    by_key: dict[str, Organization] = {}
    for org in orgs:
        for key in (org.id, org.name, *org.aliases):
            by_key.setdefault(key, org)
    found: list[Organization] = []
    for key in difflib.get_close_matches(word, by_key, n=count * 3, cutoff=CUTOFF):
        if by_key[key] not in found:
            found.append(by_key[key])
    return found[:count]


def unknown_unit(unit: str, orgs: list[Organization], registry: str) -> str:
    near = nearest_units(unit, orgs)
    if near:
        shown = [MESSAGES["unit"].format(slug=o.id, name=o.name) for o in near]
        names = MESSAGES["or"].join([MESSAGES["list"].join(shown[:-1]), shown[-1]] if len(shown) > 1 else shown)
        advice = MESSAGES["did_you_mean"].format(units=names, registry=registry)
    else:
        advice = MESSAGES["no_match"]
    return MESSAGES["unknown_unit"].format(unit=unit, registry=registry, advice=advice)
