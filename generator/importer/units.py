"""Proposals for the unit registry (content/organizations.yml).

A named unit (芜湖公司工会, 北京市總工會) is one entry shared by all its reports.
An anonymous one (街道工会, xx社区工会) gets an entry per report: two reports
both signed 街道工会 are not known to come from the same street.
Slugs are proposed once from pinyin and then kept as written in the registry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from generator.importer.script import to_simplified
from generator.model import Organization

_PLACEHOLDER = re.compile(r"[xX×*＊_＿?？某]")
_GENERIC_NAME = re.compile(
    r"^(?:我|本)?(?:街道|社区|公司|企业|学校|小学|中学|镇|乡|园|站|所|校|县|区|市|村|中心|分|基层|县总|市总|区总)?(?:总工会|工会|工委|工会委员会)$"
)


def is_anonymous(name: str | None) -> bool:
    if not name:
        return True
    return bool(_PLACEHOLDER.search(name) or _GENERIC_NAME.match(to_simplified(name)))


_LATIN_WORD = re.compile(r"[a-zA-Z]+")


@lru_cache(maxsize=1 << 14)  # anonymous units repeat a few names (街道工会, 社区工会 ...)
def propose_slug(name: str | None) -> str:
    from pypinyin import lazy_pinyin

    words = lazy_pinyin(to_simplified(name or "未署名单位"), errors="ignore")
    slug = "-".join(w.lower() for w in words if _LATIN_WORD.fullmatch(w))
    return slug[:60].strip("-") or "danwei"


@dataclass
class Registry:
    organizations: list[Organization]
    added: list[Organization] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Indexes kept beside the list: an import looks a unit up once per report.
        self._ids = {o.id for o in self.organizations}
        self._named: dict[str, Organization] = {}
        for org in self.organizations:
            self._index(org)

    def _index(self, org: Organization) -> None:
        if not org.anonymous:
            for name in (org.name, *org.aliases):
                self._named.setdefault(to_simplified(name), org)  # the first unit listed wins

    def find_named(self, name: str) -> Organization | None:
        return self._named.get(to_simplified(name))

    def unit_for(self, name: str | None, kind: str, place: str | None, report_id: str, proposed: str | None = None) -> str:
        """The unit's slug, the unit added where it is new; `proposed`: propose_slug(name), where
        it was worked out already (by the worker that made the entry)."""
        if not is_anonymous(name):
            existing = self.find_named(name)
            if existing:
                return existing.id
            slug = self._free_slug(proposed or propose_slug(name))
            return self._add(slug, name, kind, place, anonymous=False)
        slug = f"{proposed or propose_slug(name)}-{report_id.split('-')[-1][:6]}"
        if slug in self._ids:
            return slug
        return self._add(slug, name or "未署名单位", kind, place, anonymous=True)

    def _free_slug(self, slug: str) -> str:
        candidate, number = slug, 2
        while candidate in self._ids:
            candidate, number = f"{slug}-{number}", number + 1
        return candidate

    def _add(self, slug: str, name: str, kind: str, place: str | None, anonymous: bool) -> str:
        aliases = [to_simplified(name)] if to_simplified(name) != name else []
        org = Organization(id=slug, name=name, aliases=aliases, kind=kind, place=place, anonymous=anonymous)
        self.organizations.append(org)
        self.added.append(org)
        self._ids.add(slug)
        self._index(org)
        return slug
