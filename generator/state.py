"""What a build keeps for the next one, in its build folder (never published): one owner for
every file there, what it is keyed by, when it is read, written again or forgotten.

The stages never touch these files. Each is given what the last build left as plain data (or a
`Stored` handle, where the data is read in another process) and hands back what the next build
may reuse; BuildState loads it, keys it and decides whether it is worth writing again.

The build folder (`.build/<site>/`):

- `site-state.json`: the fingerprint of everything every page depends on, and the identity
  of the site folder the build swapped in: while both hold, an update may copy the site;
- `cache/entries-<code>/`: parsed entries by their file's identity (FileResults, marshal);
- `cache/unit-pinyin.pickle`, `cache/term-counts.pickle`, `cache/related-reports.pickle`:
  the taxonomy's (TaxonomyKept);
- `cache/pages.pickle`: the fingerprint each file of `docs/` and `as-is/` was written with;
- `cache/search-documents.marshal`: the search documents (search/known.py);
- `cache/templates/`: the theme's compiled templates (render/mkdocs_hooks.py);
- `docs/`, `as-is/`, `mkdocs.yml`, `search/`: what this build makes for MkDocs and the index.

Anything missing, unreadable or made for another key counts as absent: the worst a bad file
can do is make a build a full one.
"""

from __future__ import annotations

import json
import marshal
import os
import pickle
import shutil
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from generator.fingerprint import code_fingerprint, joined_digest, tree_fingerprint
from generator.yamlio import write_bytes_atomic

# Changes that a build treats as few: until more than this many items of a cache were made
# anew, the cache is not written again (the next build makes those few again, which costs
# less than writing tens of megabytes), and an update of the related reports or of the search
# index beats computing them in full.
FEW_CHANGES = 16

FORMAT = 1
STATE_FILE = "site-state.json"
CACHE_DIR = "cache"
TEMPLATES_DIR = f"{CACHE_DIR}/templates"  # beside mkdocs.yml
DOCS_DIR = "docs"
AS_IS_DIR = "as-is"  # files published as they are, linked into the site beside MkDocs
SEARCH_DIR = "search"
MKDOCS_FILE = "mkdocs.yml"


def worth_saving(kept_before: bool, made_anew: int) -> bool:
    """Whether a cache is written again: when there was none that fits, or once more than
    FEW_CHANGES of its items were made anew since it was written."""
    return not kept_before or made_anew > FEW_CHANGES


Codec = tuple[Callable[[object], bytes], Callable[[bytes], object]]
PICKLE: Codec = (partial(pickle.dumps, protocol=5), pickle.loads)
# Plain data (dicts, lists, strings, numbers): pickle leaves a UTF-8 copy attached to every
# non-ASCII string it writes, which would double the memory of all the text a build uses.
MARSHAL: Codec = (marshal.dumps, marshal.loads)


@dataclass(frozen=True)
class Stored:
    """One file of the build folder: a value, stored with the key it was made for."""

    path: Path
    key: str
    codec: Codec = PICKLE

    def load(self):
        """The value, or None where the file is missing, broken or made for another key."""
        try:
            stored_key, value = self.codec[1](self.path.read_bytes())
        except Exception:  # noqa: BLE001 - a missing, old or broken cache is no cache
            return None
        return value if stored_key == self.key else None

    def save(self, value) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(self.path, self.codec[0]((self.key, value)))

    def forget(self) -> None:
        self.path.unlink(missing_ok=True)


class FileResults:
    """Results made from files, each stored with its file's size, times and inode: a result
    is found only while its file is untouched (an edit changes its times).

    Results are kept in a few packs by file name: one file per result would cost the
    creation of tens of thousands of files at a first build, and one file for all would be
    written again in full after every edit. Call `save()` once the results are in.
    Results are plain data, stored with marshal (see MARSHAL)."""

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


@dataclass
class TaxonomyKept:
    """What the taxonomy reuses from the last build and leaves for the next: the taxonomy
    reads each value and replaces it with this build's; BuildState loads and saves them."""

    pinyin: dict[str, str] | None = None  # unit name -> its pinyin
    terms: tuple | None = None  # (text keys, their term counts, taxonomy.Weighed)
    texts_counted: int = 0  # texts whose terms were counted anew
    related: tuple | None = None  # (vector digest by report id, related reports with their scores)


@dataclass(frozen=True)
class _Loaded:
    """What BuildState must remember of a TaxonomyKept it loaded to know what changed."""

    files: tuple[Stored, Stored, Stored]  # pinyin, term counts, related reports
    pinyin: dict[str, str] | None
    terms_total: int | None  # reports the term counts were weighed for
    related_digests: dict | None


def site_fingerprint(mkdocs_yml: str, theme_dir: Path, epoch: int) -> str:
    """Everything that every page of the site depends on."""
    return joined_digest(str(FORMAT), code_fingerprint(), tree_fingerprint(theme_dir), mkdocs_yml, str(epoch))


class BuildState:
    """The build folder `work` of one site, and everything kept in it."""

    PINYIN, TERMS, RELATED, PAGES = "unit-pinyin", "term-counts", "related-reports", "pages"
    SEARCH_DOCUMENTS = "search-documents.marshal"

    def __init__(self, work: Path) -> None:
        self.work = work
        self.cache = work / CACHE_DIR
        self.docs, self.as_is, self.search = work / DOCS_DIR, work / AS_IS_DIR, work / SEARCH_DIR
        self.mkdocs_yml = work / MKDOCS_FILE
        self._loaded: _Loaded | None = None

    def _stored(self, name: str, key: str) -> Stored:
        return Stored(self.cache / f"{name}.pickle", key)

    # ---- entries ----

    def entries(self) -> FileResults:
        """Loaded entries of this code; results of other code versions are removed."""
        folder = self.cache / f"entries-{code_fingerprint()}"
        for other in self.cache.glob("entries-*") if self.cache.is_dir() else []:
            if other != folder:
                shutil.rmtree(other, ignore_errors=True)
        return FileResults(folder)

    # ---- the taxonomy ----

    def _taxonomy_files(self, related_count: int) -> tuple[Stored, Stored, Stored]:
        code = code_fingerprint()
        return (
            self._stored(self.PINYIN, code),
            self._stored(self.TERMS, code),
            self._stored(self.RELATED, f"{code}:{related_count}"),
        )

    def taxonomy(self, related_count: int) -> TaxonomyKept:
        """What the last build's taxonomy left, for one that shows `related_count` related reports."""
        files = self._taxonomy_files(related_count)
        pinyin, terms, related = (stored.load() for stored in files)
        total = terms[2].total if terms else None
        self._loaded = _Loaded(files, pinyin, total, related[0] if related else None)
        return TaxonomyKept(pinyin=pinyin, terms=terms, related=related)

    def keep_taxonomy(self, kept: TaxonomyKept) -> None:
        """Write again what changed enough since `taxonomy()` loaded it."""
        loaded, self._loaded = self._loaded, None
        if loaded is None:
            raise ValueError("keep_taxonomy() without taxonomy() first")
        pinyin, terms, related = loaded.files
        if kept.pinyin is not None and kept.pinyin != loaded.pinyin:
            pinyin.save(kept.pinyin)
        # The document counts are saved with the vectors: they must be those of as many reports.
        if kept.terms is not None and worth_saving(loaded.terms_total == len(kept.terms[0]), kept.texts_counted):
            terms.save(kept.terms)
        if kept.related is not None and kept.related[0] != loaded.related_digests:
            related.save(kept.related)

    # ---- pages ----

    def pages(self, shared: str) -> Stored:
        """docs path -> [fingerprint, *file identity] it was written with, for pages whose
        fingerprints share `shared` (code, settings, registry)."""
        return self._stored(self.PAGES, shared)

    # ---- search ----

    def search_documents(self, *versions: str) -> Stored:
        """The search documents, made by this code and `versions` of what else they depend on."""
        return Stored(self.cache / self.SEARCH_DOCUMENTS, joined_digest(code_fingerprint(), *versions), MARSHAL)

    # ---- the published site ----

    def reusable_site(self, out_dir: Path, fingerprint: str) -> bool:
        """Whether `out_dir` is the site the last build made, from the same fingerprint."""
        try:
            state = json.loads((self.work / STATE_FILE).read_text(encoding="utf-8"))
            return (
                out_dir.is_dir()
                and not out_dir.is_symlink()
                and state == {"format": FORMAT, "fingerprint": fingerprint, "site": _identity(out_dir)}
            )
        except (OSError, ValueError):
            return False

    def forget_site(self) -> None:
        """Before a build changes anything: the state must never describe a site it did not make."""
        (self.work / STATE_FILE).unlink(missing_ok=True)

    def remember_site(self, staging: Path, fingerprint: str) -> None:
        """`staging` keeps its identity when it is renamed into place."""
        state = {"format": FORMAT, "fingerprint": fingerprint, "site": _identity(staging)}
        write_bytes_atomic(self.work / STATE_FILE, json.dumps(state).encode("utf-8"))


def _identity(folder: Path) -> list[int]:
    stat = folder.stat()
    return [stat.st_dev, stat.st_ino]
