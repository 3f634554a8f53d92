"""Which pages of the last build can stay as they are.

A page is reused when the fingerprint of what it shows matches the one it was
written with: the code, the site settings and the unit registry (shared by every
page), its path and template, and the reports it shows, each in the role it has
on the page and by the digest of its entry file, or, for lists and catalogs, of
all but its body. A published source file is known by its file's identity.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path


def shared_fingerprint(*parts: str) -> str:
    return hashlib.blake2b("\0".join(parts).encode("utf-8"), digest_size=16).hexdigest()


class PageReuse:
    def __init__(
        self,
        docs: Path,
        previous: Mapping[str, list],
        digests: Mapping[str, str],
        listed: Mapping[str, str],
        shared: str,
    ) -> None:
        self.docs = docs
        self.previous = previous  # docs path -> [fingerprint, *file_identity] it was written with
        self.digests = digests  # report id -> digest of its entry
        self.listed = listed  # report id -> digest of all but its body
        self.shared = shared

    def fingerprint(self, path: str, template: str, shows: tuple[tuple[str, str], ...] | None) -> str | None:
        if shows is None:
            return None
        digest = hashlib.blake2b(digest_size=16)
        digest.update(f"{self.shared}\0{path}\0{template}\0".encode())
        for role, key in shows:
            known = self.listed if role == "listed" else {} if role == "file" else self.digests
            digest.update(f"{role}\0{key}\0{known.get(key, '')}\0".encode())
        return digest.hexdigest()

    def current(self, path: str, fingerprint: str | None) -> bool:
        """The file in the docs folder is what making it now would write: written with this
        fingerprint, and untouched since."""
        if fingerprint is None or path not in self.previous:
            return False
        try:
            return self.previous[path] == [fingerprint, *file_identity(self.docs / path)]
        except OSError:
            return False


def file_identity(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino]
