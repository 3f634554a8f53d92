"""What a build may reuse from the one before: the published site, and cached work.

A build after a small edit should cost a small part of a full one. Three things
are kept in the build folder (never published):

- the state of the published site: the fingerprint of everything every page
  depends on (code, libraries, theme, mkdocs.yml, the build date) and the
  identity of the folder it was swapped in as. When both still hold, MkDocs
  updates a hard-linked copy of the site instead of building every page.
- cached results keyed by what they were made from (entries by file, term counts
  by text, pages by their inputs); a cache that does not match is ignored.

Caches are pickles, or marshal packs for entries (FileResults), written atomically;
anything unreadable counts as absent, so the worst a bad cache can do is make a build
a full one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import marshal
import os
import pickle
import shutil
import sys
import zlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from generator.yamlio import write_bytes_atomic

FORMAT = 1
STATE_FILE = "site-state.json"
CACHE_DIR = "cache"
# Libraries whose version can change what a build makes.
LIBRARIES = (
    "mkdocs",
    "mkdocs-material",
    "markdown",
    "pymdown-extensions",
    "jinja2",
    "markupsafe",
    "minify-html",
    "pydantic",
    "pyyaml",
    "jieba",
    "jieba-fast-dat",
    "opencc",
    "opencc-python-reimplemented",
    "numpy",
    "scipy",
    # The readers, which the source views read the original files with again.
    "charset-normalizer",
    "trafilatura",
    "lxml",
    "python-docx",
    "pdfminer.six",
)


def digest(data: bytes) -> str:
    """The digest every fingerprint of the build is made of."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def joined_digest(*parts: str) -> str:
    return digest("\0".join(parts).encode("utf-8"))


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Our own code and data, and the versions of the libraries that shape the output."""
    digest = _files_digest(Path(__file__).parent, (".py", ".j2", ".txt"))
    digest.update(f"python={sys.version}\0".encode())  # marshal's format is the interpreter's
    for name in LIBRARIES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            digest.update(f"{name}={metadata.version(name)}\0".encode())
    return digest.hexdigest()


def tree_fingerprint(folder: Path) -> str:
    return _files_digest(folder).hexdigest()


def _files_digest(folder: Path, suffixes: tuple[str, ...] | None = None):
    """Names and bytes of the files under `folder` (those with `suffixes`, if given)."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if path.is_file() and (suffixes is None or path.suffix in suffixes):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest


def site_fingerprint(mkdocs_yml: str, theme_dir: Path, epoch: int) -> str:
    """Everything that every page of the site depends on."""
    return joined_digest(str(FORMAT), code_fingerprint(), tree_fingerprint(theme_dir), mkdocs_yml, str(epoch))


# ---- the published site ----


def _identity(folder: Path) -> list[int]:
    stat = folder.stat()
    return [stat.st_dev, stat.st_ino]


def reusable_site(out_dir: Path, work: Path, fingerprint: str) -> bool:
    """Whether `out_dir` is the site the last build made, from the same fingerprint."""
    try:
        state = json.loads((work / STATE_FILE).read_text(encoding="utf-8"))
        return (
            out_dir.is_dir()
            and not out_dir.is_symlink()
            and state == {"format": FORMAT, "fingerprint": fingerprint, "site": _identity(out_dir)}
        )
    except (OSError, ValueError):
        return False


def forget_site(work: Path) -> None:
    """Before a build changes anything: the state must never describe a site it did not make."""
    (work / STATE_FILE).unlink(missing_ok=True)


def remember_site(work: Path, staging: Path, fingerprint: str) -> None:
    """`staging` keeps its identity when it is renamed into place."""
    state = {"format": FORMAT, "fingerprint": fingerprint, "site": _identity(staging)}
    write_bytes_atomic(work / STATE_FILE, json.dumps(state).encode("utf-8"))


# ---- caches ----


class Cache:
    """Pickled results in the build folder, each stored with the key it was made for."""

    def __init__(self, work: Path) -> None:
        self.folder = work / CACHE_DIR

    def load(self, name: str, key: str):
        try:
            with open(self.folder / f"{name}.pickle", "rb") as handle:
                stored_key, value = pickle.load(handle)
        except Exception:  # noqa: BLE001 - a missing, old or broken cache is no cache
            return None
        return value if stored_key == key else None

    def save(self, name: str, key: str, value) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(self.folder / f"{name}.pickle", pickle.dumps((key, value), protocol=5))

    def forget(self, name: str) -> None:
        (self.folder / f"{name}.pickle").unlink(missing_ok=True)


class FileResults:
    """Results made from files, each stored with its file's size, times and inode: a result
    is found only while its file is untouched (an edit changes its times).

    Results are kept in a few packs by file name: one file per result would cost the
    creation of tens of thousands of files at a first build, and one file for all would be
    written again in full after every edit. Call `save()` once the results are in.

    Results are plain data (dicts, lists, strings, numbers), stored with marshal: pickle
    leaves a UTF-8 copy attached to every non-ASCII string it writes, which would double
    the memory of all the text the build goes on to use."""

    PACKS = 64

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._packs: dict[int, dict[str, tuple]] = {}
        self._changed: set[int] = set()

    @staticmethod
    def _key(stat: os.stat_result) -> tuple[int, ...]:
        return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)

    def _pack(self, number: int) -> dict[str, tuple]:
        if number not in self._packs:
            try:
                pack = marshal.loads((self.folder / f"{number}.marshal").read_bytes())
            except Exception:  # noqa: BLE001 - a missing or broken pack holds no results
                pack = {}
            self._packs[number] = pack if isinstance(pack, dict) else {}
        return self._packs[number]

    @classmethod
    def _number(cls, name: str) -> int:
        return zlib.crc32(name.encode("utf-8")) % cls.PACKS

    def find(self, path: Path | str) -> tuple[object | None, os.stat_result]:
        """(the result kept for the file at `path` or None, the file's stat for `put`)."""
        stat = os.stat(path)
        return self.get(os.path.basename(path), stat), stat

    def get(self, name: str, stat: os.stat_result):
        try:
            key, blob = self._pack(self._number(name)).get(name, (None, None))
            return marshal.loads(blob) if key == self._key(stat) else None
        except (TypeError, ValueError, EOFError):  # not ours
            return None

    def put(self, name: str, stat: os.stat_result, value) -> None:
        number = self._number(name)
        # Each result as its own bytes: the objects it is made of are freed like any others.
        self._pack(number)[name] = (self._key(stat), marshal.dumps(value))
        self._changed.add(number)

    def keep_only(self, names: set[str]) -> None:
        """Forget the results of files that are gone."""
        for number in range(self.PACKS):
            pack = self._pack(number)
            for name in [name for name in pack if name not in names]:
                del pack[name]
                self._changed.add(number)

    def save(self) -> None:
        for number in sorted(self._changed):
            write_bytes_atomic(self.folder / f"{number}.marshal", marshal.dumps(self._packs[number]))
        self._changed.clear()


def entry_results(work: Path) -> FileResults:
    """Loaded entries of this code; results of other code versions are removed."""
    folder = work / CACHE_DIR / f"entries-{code_fingerprint()}"
    for other in (work / CACHE_DIR).glob("entries-*") if (work / CACHE_DIR).is_dir() else []:
        if other != folder:
            shutil.rmtree(other, ignore_errors=True)
    return FileResults(folder)


