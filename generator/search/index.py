"""Build the chunked search index: exact phrases from character n-grams.

Every 1-, 2- and 3-character gram of the folded text gets a document list with
counts ("d" shards); every 3-character gram also gets its positions ("p" shards).
A query of up to three characters is answered by one document list; a longer
one intersects the lists of all its 3-grams and then checks, with positions,
that a chain of 3-grams covering the query lines up. So the result is exactly
the documents that contain the phrase, whatever the segmentation would say.

Grams are hashed (FNV-1a over code points) into shards of a few kilobytes, so
a query downloads only the shards of its own grams. Records are streams of
varints; a shard is published gzipped (half the bytes on disk and on the wire),
and the browser inflates it as it arrives. Everything is vectorised with numpy:
at 10,000 reports there are tens of millions of grams. After a few edits, the
next build may update the index with a delta instead of writing it again
(delta.py); the state written beside it (index_state.py) tells it how.
"""

from __future__ import annotations

import gzip
import os
import shutil
import stat
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from generator.errors import BuildError
from generator.i18n import N_, _
from generator.search.documents import SearchDoc, SearchUnit
from generator.search.files import (
    json_bytes,
    manifest,
    shard_files,
    text_file,
    text_path,
    text_payloads,
)
from generator.search.fold import BREAK, browser_table, fold
from generator.search.index_state import (
    STATE_FILE,
    DocFacts,
    IndexState,
    all_facts,
    fold_fingerprint,
    part_fingerprints,
)

NOT_RECORDED = N_("{path} is not the file the previous index recorded; delete the .build folder and build again")

D_SHARD_BYTES = 16_000
P_SHARD_BYTES = 32_000
# In a d/ or p/ shard, what follows the gram records: keyword records (keyword_home).
KEYWORD_MARK = b"\x00"
# Index bytes per character of text, measured on union reports: sets the number of shards.
D_BYTES_PER_CHAR = 4.8
P_BYTES_PER_CHAR = 4.0
PARTITIONS = 64  # at most 127: partition numbers are int8
# Grams placed or hashed at a time: the temporary arrays stay small.
HASH_CHUNK = 1 << 20
_CP_BITS = 21  # a code point fits in 21 bits, so three fit in an int64
_CP_MASK = (1 << _CP_BITS) - 1


@dataclass(frozen=True)
class _Postings:
    """Grams with their documents: per gram a run of (doc, count), grams ascending."""

    n: int  # characters per gram
    keys: np.ndarray  # per gram, its code points packed into one int64
    doc_start: np.ndarray  # per gram, first index into docs/counts
    docs: np.ndarray
    counts: np.ndarray


def build_index(docs: list[SearchDoc], units: list[SearchUnit]) -> dict[str, bytes]:
    """Every file of the index, by path under search/."""
    sink = MemorySink()
    write_index(docs, units, sink)
    return sink.files()


def write_index(
    docs: list[SearchDoc], units: list[SearchUnit], sink: MemorySink | FolderSink, facts: list[DocFacts] | None = None
) -> None:
    """Every file of the index into `sink`: shard records appended as they are made, each shard
    gzipped once all its records are in; `facts`: the documents' (all_facts), where the build
    knows them already."""
    facts = facts if facts is not None else all_facts(docs, units)
    codes, starts = code_points([fold(doc.text) for doc in docs])
    d_shards = _shard_count(len(codes) * D_BYTES_PER_CHAR, D_SHARD_BYTES)
    p_shards = _shard_count(len(codes) * P_BYTES_PER_CHAR, P_SHARD_BYTES)
    write_postings(codes, starts, (d_shards, p_shards), sink)
    # Every shard exists, even one no gram falls into: the browser asks for shards by hash.
    for family, shards in (("d", d_shards), ("p", p_shards)):
        for number in range(shards):
            sink.ensure(f"{family}/{number}.bin")
    vocabulary = _present_chars(codes)
    del codes
    keywords = keyword_parts(docs, d_shards, p_shards)
    for path, part in keywords.items():
        sink.append(path, part)
    # A shard's records arrive partition by partition, so it is gzipped once they are all in:
    # read back from disk rather than held, which would cost the hundred megabytes the sink saves.
    for family, shards in (("d", d_shards), ("p", p_shards)):
        for number in range(shards):
            sink.seal(f"{family}/{number}.bin", shard_file)
    write_documents(docs, units, vocabulary, sink)
    text_sizes = [write_texts(number, doc, units[doc.unit], sink) for number, doc in enumerate(docs)]
    state = IndexState(
        fold=fold_fingerprint(),
        d_shards=d_shards,
        p_shards=p_shards,
        ids=[doc.report_id for doc in docs],
        base=[fact.fingerprint for fact in facts],
        files=[fact.payload for fact in facts],
        sizes={
            "d": [sink.size(f"d/{n}.bin") for n in range(d_shards)],
            "p": [sink.size(f"p/{n}.bin") for n in range(p_shards)],
            "text": text_sizes,
        },
        keywords=part_fingerprints(keywords),
    )
    sink.put(STATE_FILE, state.to_bytes())
    sink.put("manifest.json", manifest(docs, len(units), d_shards, p_shards))


def write_texts(number: int, doc: SearchDoc, unit: SearchUnit, sink) -> list[int]:
    """The document's text files (text/N.bin and its further chunks); their sizes."""
    sizes = []
    for chunk, payload in enumerate(text_payloads(doc, unit)):
        data = text_file(payload)
        sink.put(text_path(number, chunk), data)
        sizes.append(len(data))
    return sizes


def write_postings(codes, starts, shards: tuple[int, int], sink) -> None:
    """The d and p records of the texts in `codes` (document i starts at starts[i])."""
    d_shards, p_shards = shards
    parts = min(PARTITIONS, d_shards, p_shards)
    for n in (1, 2, 3):
        where = _gram_starts(codes, n)
        # Partitions hold whole shards (low bits of the hash). Only the grams' places are kept
        # for all of them; keys, documents and offsets are made per partition, a fraction at a time.
        partition = _partitions(codes, where, n, parts)
        for part in range(parts):
            part_where = where[partition == part]  # ascending: doc, then offset order
            part_keys = _keys_at(codes, part_where, n)
            by_key = np.argsort(part_keys, kind="stable")
            part_keys, part_where = part_keys[by_key], part_where[by_key]
            part_texts = np.searchsorted(starts, part_where, side="right") - 1
            postings = _grouped_postings(part_keys, part_texts, n)
            for number, data in _encode(postings, _doc_list_bodies(postings), d_shards):
                sink.append(f"d/{number}.bin", data)
            if n == 3:
                positions = _Positions(postings, part_where - starts[part_texts])
                for number, data in _encode(postings, _position_bodies(positions), p_shards):
                    sink.append(f"p/{number}.bin", data)
            del part_where, part_keys, part_texts, by_key
        del where, partition


def shard_file(records: bytes) -> bytes:
    """A d/ or p/ shard as published. The fastest level: its records shrink to 45% (d/) and
    75% (p/) of their size, within a few points of the slowest, at a fifth of its time."""
    return gzip.compress(records, compresslevel=1, mtime=0)


def shard_records(data: bytes) -> bytes:
    """The records of a published d/ or p/ shard."""
    return gzip.decompress(data)


def write_documents(docs: list[SearchDoc], units: list[SearchUnit], vocabulary: set[str], sink) -> None:
    """Fold table, and the facets and unit names in shards (files.py)."""
    sink.put("fold.json", json_bytes(_fold_file(browser_table(vocabulary))))
    for path, data in shard_files(docs, units).items():
        sink.put(path, data)


def text_vocabulary(texts: list[str]) -> set[str]:
    """Every folded character of `texts` (and the break after each): what fold.json must cover."""
    if not texts:
        return set()
    present = np.zeros(0x110000, dtype=bool)
    for start in range(0, len(texts), 256):  # all texts at once would take 4 bytes a character
        present[_utf32("".join(texts[start : start + 256]))] = True
    return {fold(chr(code)) for code in np.flatnonzero(present).tolist()} | {BREAK}


def _utf32(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.int32)


def _present_chars(codes: np.ndarray) -> set[str]:
    """The distinct characters of `codes`: a table of all code points, much quicker than np.unique."""
    present = np.zeros(0x110000, dtype=bool)
    present[codes] = True
    return {chr(code) for code in np.flatnonzero(present).tolist()}


class MemorySink:
    """The index as a dict of bytes (tests, small archives)."""

    def __init__(self) -> None:
        self._parts: dict[str, list[bytes]] = {}

    def put(self, path: str, data: bytes) -> None:
        self._parts[path] = [data]

    def append(self, path: str, data: bytes) -> None:
        self._parts.setdefault(path, []).append(data)

    def ensure(self, path: str) -> None:
        """The file exists, empty unless something was written to it."""
        self._parts.setdefault(path, [])

    def size(self, path: str) -> int:
        return sum(len(part) for part in self._parts[path])

    def seal(self, path: str, finish: Callable[[bytes], bytes]) -> None:
        """The file's bytes replaced by `finish` of them, once everything was appended."""
        self._parts[path] = [finish(b"".join(self._parts[path]))]

    def files(self) -> dict[str, bytes]:
        return {path: b"".join(parts) for path, parts in self._parts.items()}


class FolderSink:
    """The index written straight into a new folder: at archive scale the finished shards
    are hundreds of megabytes that need not stay in memory."""

    def __init__(self, folder: Path) -> None:
        if folder.exists() or folder.is_symlink():
            raise BuildError(
                _("{folder} already exists; the index is only written into a new folder: remove it and build again").format(
                    folder=folder
                )
            )
        folder.mkdir(parents=True)
        self.folder = folder
        self._root = str(folder)
        self._paths: set[str] = set()
        self._folders: set[str] = set()
        self._sizes: dict[str, int] = {}
        self._linked: set[str] = set()
        self._can_link = True

    @property
    def count(self) -> int:
        return len(self._paths)

    def put(self, path: str, data: bytes) -> None:
        self._add(path, writing=True)
        (self.folder / path).write_bytes(data)
        self._sizes[path] = len(data)

    def append(self, path: str, data: bytes) -> None:
        self._add(path, writing=True)
        with open(self.folder / path, "ab") as handle:
            handle.write(data)
        self._sizes[path] = self._sizes.get(path, 0) + len(data)

    def size(self, path: str) -> int:
        return self._sizes[path]

    def seal(self, path: str, finish: Callable[[bytes], bytes]) -> None:
        """The file's bytes replaced by `finish` of them, once everything was appended."""
        self.put(path, finish((self.folder / path).read_bytes()))

    def link(self, path: str, source: str, size: int) -> None:
        """`source` (a regular file of `size` bytes) hard-linked at `path`, or copied where
        linking fails. The file is shared with the published site: never written to again."""
        found = os.stat(source, follow_symlinks=False)
        if not stat.S_ISREG(found.st_mode) or found.st_size != size:
            raise BuildError(_(NOT_RECORDED).format(path=source))
        self._add(path, writing=False)
        target = os.path.join(self._root, path)  # tens of thousands of files: plain strings
        if self._can_link:
            try:
                os.link(source, target, follow_symlinks=False)
            except OSError:
                self._can_link = False  # another file system, or no links here: copy the rest too
        if not self._can_link:
            shutil.copyfile(source, target, follow_symlinks=False)
        self._linked.add(path)
        self._sizes[path] = size

    def ensure(self, path: str) -> None:
        """The file exists, empty unless something was written to it."""
        if path not in self._paths:
            self.put(path, b"")

    def _add(self, path: str, *, writing: bool) -> None:
        if path in self._linked or (not writing and path in self._paths):
            # A linked file is the published site's own: writing through it would change the site.
            raise BuildError(_("{path}: refusing to write over a file of the index; this is a bug in report-archive").format(path=path))
        self._paths.add(path)
        parent = path.rpartition("/")[0]
        if parent and parent not in self._folders:
            (self.folder / parent).mkdir(parents=True, exist_ok=True)
            self._folders.add(parent)


class FolderFiles(Mapping):
    """A written index, read file by file as queries need them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._root = str(folder)

    def __getitem__(self, path: str) -> bytes:
        try:
            with open(os.path.join(self._root, path), "rb") as file:  # many small files: no Path per read
                return file.read()
        except (FileNotFoundError, NotADirectoryError):
            raise KeyError(path) from None

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and (self.folder / path).is_file()

    def __iter__(self) -> Iterator[str]:
        return (p.relative_to(self.folder).as_posix() for p in sorted(self.folder.rglob("*")) if p.is_file())

    def __len__(self) -> int:
        return sum(1 for _ in self)


# ---- grams ----


def code_points(folded: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """All folded texts as one array of code points (int32: memory is the limit at scale),
    each text followed by a break; and where each text starts in it."""
    lengths = np.fromiter((len(t) + 1 for t in folded), dtype=np.int64, count=len(folded))
    codes = np.frombuffer("".join(text + BREAK for text in folded).encode("utf-32-le"), dtype=np.int32)
    folded.clear()
    return codes, np.cumsum(lengths) - lengths


def _gram_starts(codes: np.ndarray, n: int) -> np.ndarray:
    """Where every n-gram that does not cross a break starts in `codes` (ascending, int32)."""
    size = len(codes) - n + 1
    if size <= 0:
        return np.zeros(0, dtype=np.int32)
    word = codes != ord(BREAK)
    valid = word[:size].copy()
    for i in range(1, n):
        valid &= word[i : i + size]
    del word
    # Filled a chunk at a time: flatnonzero's int64 result for all of them would be twice the size.
    starts = np.empty(np.count_nonzero(valid), dtype=np.int32)
    filled = 0
    for start in range(0, size, HASH_CHUNK):
        found = np.flatnonzero(valid[start : start + HASH_CHUNK]) + start
        starts[filled : filled + len(found)] = found
        filled += len(found)
    return starts


def _keys_at(codes: np.ndarray, where: np.ndarray, n: int) -> np.ndarray:
    """The key (code points packed into an int64) of the n-gram starting at each of `where`."""
    key = codes[where].astype(np.int64)
    for i in range(1, n):
        key <<= _CP_BITS
        key |= codes[where + i]
    return key


def _partitions(codes: np.ndarray, where: np.ndarray, n: int, parts: int) -> np.ndarray:
    """Partition (low bits of the gram's hash) of every gram, computed chunk by chunk."""
    partition = np.empty(len(where), dtype=np.int8)
    for start in range(0, len(where), HASH_CHUNK):
        keys = _keys_at(codes, where[start : start + HASH_CHUNK], n)
        partition[start : start + HASH_CHUNK] = gram_hash(keys, n) & np.uint64(parts - 1)
    return partition


def _shard_count(estimated_bytes: float, target_bytes: int) -> int:
    shards = 1
    while shards * target_bytes < estimated_bytes:
        shards *= 2
    return shards


def _key_code_points(keys: np.ndarray, n: int) -> np.ndarray:
    cps = np.zeros((len(keys), 3), dtype=np.int64)
    for i in range(n):
        cps[:, i] = (keys >> (_CP_BITS * (n - 1 - i))) & _CP_MASK
    return cps


def _grouped_postings(sorted_keys, sorted_docs, n: int) -> _Postings:
    """(key, doc) pairs already sorted by key then doc; repeated pairs are counted."""
    if len(sorted_keys) == 0:
        return _from_pairs(sorted_keys, sorted_docs, sorted_docs, n)
    new = np.ones(len(sorted_keys), dtype=bool)
    new[1:] = (sorted_keys[1:] != sorted_keys[:-1]) | (sorted_docs[1:] != sorted_docs[:-1])
    starts = np.flatnonzero(new)
    counts = np.diff(np.append(starts, len(sorted_keys)))
    return _from_pairs(sorted_keys[starts], sorted_docs[starts], counts, n)


def _from_pairs(keys, docs, counts, n: int) -> _Postings:
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    return _Postings(
        n=n,
        keys=keys[first],
        doc_start=np.append(np.flatnonzero(first), len(keys)),
        docs=docs.astype(np.int64),
        counts=counts.astype(np.int64),
    )


@dataclass(frozen=True)
class _Positions:
    postings: _Postings  # docs and counts per 3-gram
    offsets: np.ndarray  # every position, grouped by (gram, doc), ascending within


# ---- records ----


def _deltas(values: np.ndarray, group_start: np.ndarray) -> np.ndarray:
    """Differences to the previous value, restarting at every group start."""
    out = values.copy()
    out[1:] -= values[:-1]
    starts = group_start[:-1]
    starts = starts[starts < len(values)]
    out[starts] = values[starts]
    return out


def _doc_list_bodies(postings: _Postings) -> tuple[np.ndarray, np.ndarray]:
    """Per gram: doc deltas, then counts. Returns (flat body, body length per gram)."""
    per_gram = np.diff(postings.doc_start)
    body_start = 2 * postings.doc_start[:-1]
    gram_of = np.repeat(np.arange(len(per_gram)), per_gram)
    local = np.arange(len(postings.docs)) - postings.doc_start[:-1][gram_of]
    body = np.empty(2 * len(postings.docs), dtype=np.int64)
    body[body_start[gram_of] + local] = _deltas(postings.docs, postings.doc_start)
    body[body_start[gram_of] + per_gram[gram_of] + local] = postings.counts
    return body, 2 * per_gram


def _position_bodies(positions: _Positions) -> tuple[np.ndarray, np.ndarray]:
    """Per gram, per doc: doc delta, count, position deltas."""
    postings = positions.postings
    counts = postings.counts
    group_len = 2 + counts
    group_start = np.cumsum(group_len) - group_len
    pos_group_start = np.cumsum(counts) - counts
    body = np.empty(int(group_len.sum()), dtype=np.int64)
    body[group_start] = _deltas(postings.docs, postings.doc_start)
    body[group_start + 1] = counts
    group_of = np.repeat(np.arange(len(counts)), counts)
    local = np.arange(len(positions.offsets)) - pos_group_start[group_of]
    body[group_start[group_of] + 2 + local] = _deltas(
        positions.offsets, np.append(pos_group_start, len(positions.offsets))
    )
    per_gram = np.add.reduceat(group_len, postings.doc_start[:-1]) if len(counts) else group_len
    return body, per_gram


def gram_hash(keys: np.ndarray, n: int) -> np.ndarray:
    """FNV-1a over the code points of each n-gram key (the browser computes the same)."""
    h = np.full(len(keys), 2166136261, dtype=np.uint64)
    for i in range(n):
        cp = ((keys >> (_CP_BITS * (n - 1 - i))) & _CP_MASK).astype(np.uint64)
        h = ((h ^ cp) * np.uint64(16777619)) & np.uint64(0xFFFFFFFF)
    return h


def _encode(postings: _Postings, bodies: tuple[np.ndarray, np.ndarray], shards: int):
    """(shard, bytes of its records) for the grams of `postings`."""
    body, body_len = bodies
    n, grams = postings.n, len(postings.keys)
    header = np.zeros((grams, 5), dtype=np.int64)
    header[:, 0] = n
    header[:, 1:4] = _key_code_points(postings.keys, n)
    header[:, 1 + n] = np.diff(postings.doc_start)
    header_len = np.full(grams, 2 + n, dtype=np.int64)
    shard = (gram_hash(postings.keys, n) & np.uint64(shards - 1)).astype(np.int64)
    order = np.argsort(shard, kind="stable")
    stream, record_start = _records(header, header_len, body, body_len, order)
    encoded, int_offsets = _varints(stream)
    byte_at = np.append(int_offsets, len(encoded))
    ordered = shard[order]
    present = np.unique(ordered)
    first = np.searchsorted(ordered, present, side="left")
    last = np.searchsorted(ordered, present, side="right")
    for number, a, b in zip(present.tolist(), first.tolist(), last.tolist(), strict=True):
        yield number, encoded[byte_at[record_start[a]] : byte_at[record_start[b]]].tobytes()


def _records(header, header_len, body, body_len, order):
    """Lay out header + body of each gram, grams in `order`, as one int stream."""
    rec_len = header_len + body_len
    ordered_len = rec_len[order]
    out_start = np.cumsum(ordered_len) - ordered_len
    start_of = np.empty(len(order), dtype=np.int64)
    start_of[order] = out_start
    stream = np.empty(int(rec_len.sum()), dtype=np.int64)
    for column in range(5):
        has = header_len > column
        stream[start_of[has] + column] = header[has, column]
    body_start = np.cumsum(body_len) - body_len
    gram_of = np.repeat(np.arange(len(body_len)), body_len)
    local = np.arange(len(body)) - body_start[gram_of]
    stream[start_of[gram_of] + header_len[gram_of] + local] = body
    return stream, np.append(out_start, len(stream))


def _varint_size(values: np.ndarray) -> np.ndarray:
    size = np.ones(len(values), dtype=np.int64)
    for bits in (7, 14, 21, 28, 35):
        size += values >= (1 << bits)
    return size


def _varints(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """LEB128 bytes of every value, and the byte offset where each value starts."""
    size = _varint_size(values)
    starts = np.cumsum(size) - size
    out = np.empty(int(size.sum()), dtype=np.uint8)
    for k in range(int(size.max()) if len(size) else 0):
        # Most values take one byte: each further byte touches fewer values.
        has = np.flatnonzero(size > k)
        chunk = (values[has] >> (7 * k)) & 0x7F
        out[starts[has] + k] = chunk | ((size[has] > k + 1) * 0x80)
    return out, starts


# ---- keywords (jieba terms, for ranking) ----


def keyword_home(term: str, d_shards: int, p_shards: int) -> str:
    """The shard that holds a keyword's record: one a query for it fetches anyway, the term's
    own d/ shard, or for a longer term the p/ shard of its first 3-gram."""
    if len(term) <= 3:
        return f"d/{shard_of(term, d_shards)}.bin"
    return f"p/{shard_of(term[:3], p_shards)}.bin"


def keyword_parts(docs: list[SearchDoc], d_shards: int, p_shards: int) -> dict[str, bytes]:
    """Per shard, what follows its gram records: KEYWORD_MARK, then for each folded keyword
    its length, code points, document count and documents (ascending, as differences)."""
    postings: dict[str, set[int]] = {}
    for number, doc in enumerate(docs):
        for keyword in filter(None, map(fold, doc.keywords)):
            postings.setdefault(keyword, set()).add(number)
    streams: dict[str, list[int]] = {}
    for keyword in sorted(postings):
        numbers = sorted(postings[keyword])
        deltas = [b - a for a, b in zip([0, *numbers], numbers)]
        home = keyword_home(keyword, d_shards, p_shards)
        streams.setdefault(home, []).extend([len(keyword), *map(ord, keyword), len(numbers), *deltas])
    return {
        path: KEYWORD_MARK + _varints(np.array(stream, dtype=np.int64))[0].tobytes()
        for path, stream in sorted(streams.items())
    }


def shard_of(gram: str, shards: int) -> int:
    """The shard of one gram or keyword: FNV-1a over its code points."""
    h = 2166136261
    for char in gram:
        h = ((h ^ ord(char)) * 16777619) & 0xFFFFFFFF
    return h & (shards - 1)


# ---- small files ----


def _fold_file(table: dict[str, str]) -> dict[str, str]:
    """Two strings of equal length: fold[i] is what source[i] folds to."""
    pairs = sorted(table.items())
    return {"from": "".join(a for a, _ in pairs), "to": "".join(b for _, b in pairs)}
