"""Which pages of the last build can stay as they are.

A page is reused when the fingerprint of what it shows matches the one it was
written with: the code, the site settings and the unit registry (shared by every
page), its path and template, and the reports it shows, each by the digest of its
entry file and in the role it has on the page. Pages of archive-wide figures
(home, indexes) have no such fingerprint and are always rendered.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

from generator.render.pages import PagePlan


def shared_fingerprint(*parts: str) -> str:
    return hashlib.blake2b("\0".join(parts).encode("utf-8"), digest_size=16).hexdigest()


class PageReuse:
    def __init__(self, docs: Path, previous: Mapping[str, str], digests: Mapping[str, str], shared: str) -> None:
        self.docs = docs
        self.previous = previous  # page path -> [fingerprint, *file_identity] it was written with
        self.digests = digests  # report id -> digest of its entry
        self.shared = shared

    def fingerprint(self, plan: PagePlan) -> str | None:
        if plan.shows is None:
            return None
        digest = hashlib.blake2b(digest_size=16)
        digest.update(f"{self.shared}\0{plan.path}\0{plan.template}\0".encode())
        for role, report_id in plan.shows:
            digest.update(f"{role}\0{report_id}\0{self.digests.get(report_id, '')}\0".encode())
        return digest.hexdigest()

    def current(self, plan: PagePlan, fingerprint: str | None) -> bool:
        """The page's file in the docs folder is what rendering it now would write: written
        with this fingerprint, and untouched since."""
        if fingerprint is None or plan.path not in self.previous:
            return False
        try:
            return self.previous[plan.path] == [fingerprint, *file_identity(self.docs / plan.path)]
        except OSError:
            return False


def file_identity(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino]
