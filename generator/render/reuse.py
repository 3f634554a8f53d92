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

from generator.update import joined_digest

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
        self.digests = digests  # report id -> digest of its entry
        self.listed = listed  # report id -> digest of all but its body
        self.shared = shared
        self._shown_digests: dict[tuple, str] = {}
        self._lines: dict[tuple[str, str], str] = {}  # (role, key) -> its line in a digest

    def fingerprint(self, path: str, template: str, shows: tuple[tuple[str, str], ...] | None) -> str | None:
        if shows is None:
            return None
        return joined_digest(self.shared, path, template, self._shown(shows))

    def _shown(self, shows: tuple[tuple[str, str], ...]) -> str:
        """The digest of the reports a page shows. Every list and catalog shows the whole
        archive: made once for all of them, not per page."""
        if shows in self._shown_digests:
            return self._shown_digests[shows]
        line, lines = self._lines.get, self._lines
        for pair in shows:
            if pair not in lines:  # a report is shown on many pages in the same role
                role, key = pair
                known = self.digests if role == "report" else {} if role == "file" else self.listed
                lines[pair] = f"{role}\0{key}\0{known.get(key, '')}"
        shown = joined_digest(*map(line, shows))
        if len(shows) > REMEMBERED:  # only long ones: a report page's few are quicker to hash again
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


def file_identity(path: Path | str) -> list[int]:
    stat = os.stat(path)
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino]
