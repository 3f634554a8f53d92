"""Which pages of the last build can stay as they are.

A page is reused when the fingerprint of what it shows matches the one it was
written with: the code, the site settings and the unit registry (shared by every
page), its path and template, and the reports it shows, each in the role it has
on the page and by the digest of its entry file where the page shows the report
itself, or else (lists, catalogs, links to other reports) of all but its body. A
published source file is known by its file's identity.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

from generator.fingerprint import joined_digest
from generator.render.pages import Shows

REMEMBERED = 64  # reports shown, beyond which a digest of them is kept for other pages


class PageReuse:
    def __init__(
        self,
        located: Callable[[str], str],
        previous: Mapping[str, list],
        digests: Mapping[str, str],
        listed: Mapping[str, str],
        shared: str,
    ) -> None:
        self.located = located  # output path -> its file (a string: a Path per page costs a second at archive scale)
        self.previous = previous  # docs path -> [fingerprint, *file_identity] it was written with
        self.shared = shared
        self._shown_digests: dict[tuple, str] = {}
        # Per role, a report's line in a digest: made once, not for every page that shows it.
        # A report shown as itself is known by its entry's digest (`digests`), one shown in a
        # list or link by the digest of all but its body (`listed`); years and files by themselves.
        self._lines = {"report": _Lines(digests), "file": _Lines({}), "year": _Lines({})}
        self._listed = _Lines(listed)

    def fingerprint(self, path: str, template: str, shows: Shows | None) -> str | None:
        if shows is None:
            return None
        return joined_digest(self.shared, path, template, self._shown(shows))

    def _shown(self, shows: Shows) -> str:
        """The digest of what a page shows. Every list and catalog shows the whole archive:
        made once for all of them, not per page."""
        if shows in self._shown_digests:
            return self._shown_digests[shows]
        lines = self._lines
        shown = joined_digest(*(
            f"{role}\1" + "\1".join(map(lines.get(role, self._listed).__getitem__, keys)) for role, keys in shows
        ))
        if sum(len(keys) for _, keys in shows) > REMEMBERED:  # a report page's few are quicker to hash again
            self._shown_digests[shows] = shown
        return shown

    def current(self, path: str, fingerprint: str | None) -> bool:
        """The file in the build folder is what making it now would write: written with this
        fingerprint, and untouched since."""
        if fingerprint is None or path not in self.previous:
            return False
        try:
            return self.previous[path] == [fingerprint, *file_identity(self.located(path))]
        except OSError:
            return False


class _Lines(dict):
    """key -> "key, digest" (the key alone where no digest is known), made when first asked."""

    def __init__(self, digests: Mapping[str, str]) -> None:
        super().__init__()
        self.digests = digests

    def __missing__(self, key: str) -> str:
        line = self[key] = f"{key}\0{self.digests.get(key, '')}"
        return line


def file_identity(path: Path | str) -> list[int]:
    stat = os.stat(path)
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino]
