"""Group reports by unit, year and type, and precompute every cross-link.

Templates only look things up here; nothing is searched while rendering.
"""

from __future__ import annotations

import itertools
import logging
import math
import re
import struct
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib.resources import files

import numpy as np
import opencc

from generator.errors import BuildError, Problem
from generator.fingerprint import digest
from generator.i18n import _
from generator.model import DOC_TYPES, ORG_KINDS, PERIODS, Organization, Report
from generator.parallel import mapped, worker_pool
from generator.state import FEW_CHANGES, TaxonomyKept
from generator.unit_labels import display_names

_PERIOD_ORDER = {
    name: index
    for index, name in enumerate(("first-half", "second-half", "annual", "multi-year", "unknown"))
}
assert set(_PERIOD_ORDER) == set(PERIODS)

# Report pages list at most this many same-year peers (and link to the year page for the rest).
PEERS_SHOWN = 10
# Related-by-content: terms kept per report, and the least similarity worth showing.
TERMS_PER_REPORT = 40
KEYWORDS_PER_REPORT = 5
MIN_SIMILARITY = 0.05
SIMILARITY_BLOCK = 512
UNION_TERMS = files("generator") / "data" / "union_terms.txt"


@dataclass(frozen=True)
class Unit:
    org: Organization
    reports: tuple[Report, ...]  # in year order
    label: str  # the name it is shown under, told apart from others of its name (unit_labels.py)


@dataclass(frozen=True)
class CrossLinks:
    previous: Report | None  # in the unit, in the order its page lists them
    next: Report | None
    same_year_kind: tuple[Report, ...]
    related: tuple[Report, ...]
    year_previous: Report | None  # in the year, in the order its page lists them
    year_next: Report | None


@dataclass(frozen=True)
class Taxonomy:
    reports: tuple[Report, ...]  # by id
    units: tuple[Unit, ...]  # by pinyin of the name, then slug
    orgs: dict[str, Organization]
    years: tuple[tuple[int | None, tuple[Report, ...]], ...]  # ascending, None last
    types: tuple[tuple[str, tuple[Report, ...]], ...]  # every doc type, in DOC_TYPES order
    kinds: tuple[tuple[str, int], ...]  # report count per org kind present
    latest: tuple[Report, ...]
    links: dict[str, CrossLinks]
    keywords: dict[str, tuple[str, ...]]  # the most distinctive terms of each report
    unit_labels: dict[str, str]  # unit slug -> Unit.label

    def unit_of(self, report: Report) -> Organization | None:
        return self.orgs.get(report.unit) if report.unit else None

    def unit_label(self, report: Report) -> str | None:
        """The name the report's unit is shown under, if it has one in the registry."""
        return self.unit_labels.get(report.unit) if report.unit else None


def chronological(report: Report) -> tuple:
    """Year order: known years first, then date, period and id."""
    year = report.year if report.year is not None else 10_000
    date = report.date.isoformat() if report.date else ""
    return (year, date or "~", _PERIOD_ORDER[report.period], report.id)


def newest_first(reports: Iterable[Report]) -> list[Report]:
    """The "latest" order used by the home page and the feed: newest report first."""

    def key(report: Report) -> tuple:
        year = report.year if report.year is not None else -1
        date = report.date.toordinal() if report.date else 0
        return (-year, -date, -_PERIOD_ORDER[report.period], report.id)

    return sorted(reports, key=key)


def name_key(org: Organization, label: str, spelled: dict[str, str]) -> tuple:
    """Units in pinyin order of their names, those of one name by their labels; `spelled`
    keeps the pinyin of the names already seen."""
    for name in (org.name, label):
        if name not in spelled:
            from pypinyin import lazy_pinyin  # its dictionaries take a while to load

            spelled[name] = " ".join(lazy_pinyin(name))
    return (spelled[org.name], org.name, spelled[label], label, org.id)


def _units_in_order(orgs, shown: dict[str, str], kept: TaxonomyKept | None) -> list[Organization]:
    spelled = dict(kept.pinyin or {}) if kept else {}
    ordered = sorted(orgs, key=lambda org: name_key(org, shown[org.id], spelled))
    if kept:
        kept.pinyin = spelled
    return ordered


def build_taxonomy(
    reports: list[Report],
    orgs: list[Organization],
    *,
    latest: int,
    related_count: int,
    kept: TaxonomyKept | None = None,
    text_keys: dict[str, str] | None = None,
) -> Taxonomy:
    """`kept`: what the last build left (state.py), replaced by what this one leaves."""
    by_slug = _registry(orgs)
    _check_units(reports, by_slug)
    reports = sorted(reports, key=lambda r: r.id)
    in_year_order = sorted(reports, key=chronological)
    by_unit = _group(in_year_order, lambda r: r.unit)
    shown = display_names((org, next(iter(by_unit.get(org.id, ())), None)) for org in by_slug.values())
    ordered = _units_in_order(by_slug.values(), shown, kept)
    units = tuple(Unit(org, by_unit.get(org.id, ()), shown[org.id]) for org in ordered)
    by_year = _group(in_year_order, lambda r: r.year)
    years = tuple((y, by_year[y]) for y in sorted(by_year, key=lambda y: (y is None, y or 0)))
    by_type = _group(in_year_order, lambda r: r.doc_type)
    types = tuple((t, by_type.get(t, ())) for t in DOC_TYPES)
    by_kind = _group(in_year_order, lambda r: r.org_kind)
    kinds = tuple((k, len(by_kind[k])) for k in ORG_KINDS if k in by_kind)
    vectors = term_vectors(reports, kept, text_keys)
    neighbours = most_similar(reports, vectors, related_count, kept)
    by_year_kind = _group(in_year_order, lambda r: (r.year, r.org_kind))
    unit_order = _neighbours(group for unit, group in by_unit.items() if unit is not None)
    year_order = _neighbours(year_listing(group) for _, group in years)
    links = {
        r.id: _cross_links(r, unit_order, year_order, by_year_kind, neighbours[r.id]) for r in reports
    }
    return Taxonomy(
        reports=tuple(reports),
        units=units,
        orgs=by_slug,
        years=years,
        types=types,
        kinds=kinds,
        latest=tuple(newest_first(reports)[:latest]),
        links=links,
        keywords={rid: tuple(list(vector)[:KEYWORDS_PER_REPORT]) for rid, vector in vectors.items()},
        unit_labels=shown,
    )


def _registry(orgs: list[Organization]) -> dict[str, Organization]:
    by_slug: dict[str, Organization] = {}
    problems = []
    for org in orgs:
        if not org.id.strip():
            problems.append(
                Problem("organizations.yml", "id", _("empty slug for {name!r}; give the unit a slug of lowercase letters, digits and '-'").format(name=org.name))
            )
        elif org.id in by_slug:
            problems.append(
                Problem("organizations.yml", "id", _("duplicate slug {slug!r}; give one of the two units another slug").format(slug=org.id))
            )
        by_slug.setdefault(org.id, org)
    if problems:
        raise BuildError(_("the unit registry is invalid"), problems)
    return by_slug


def _check_units(reports: list[Report], by_slug: dict[str, Organization]) -> None:
    problems = [
        Problem(
            f"reports/{r.id}.yml",
            "unit",
            _("unknown unit {unit!r} (not in organizations.yml); add it there or correct the slug").format(unit=r.unit),
        )
        for r in sorted(reports, key=lambda r: r.id)
        if r.unit is not None and r.unit not in by_slug
    ]
    if problems:
        raise BuildError(_("reports refer to unknown units"), problems)


def _group(in_year_order: list[Report], key) -> dict:
    """Reports (sorted by `chronological`) by `key`, each group in year order."""
    groups: dict = defaultdict(list)
    for report in in_year_order:
        groups[key(report)].append(report)
    return {value: tuple(group) for value, group in groups.items()}


def year_listing(reports: Iterable[Report]) -> list[Report]:
    """A year's reports as its page lists them: by unit kind (ORG_KINDS order), each kind in
    year order (the order of `reports`)."""
    return sorted(reports, key=lambda r: _KIND_ORDER[r.org_kind])


_KIND_ORDER = {kind: index for index, kind in enumerate(ORG_KINDS)}
Neighbours = dict[str, tuple[Report | None, Report | None]]


def _neighbours(runs: Iterable[Iterable[Report]]) -> Neighbours:
    """Report id -> (the report before it, the one after it) in its run."""
    around: Neighbours = {}
    for run in runs:
        run = list(run)
        for index, report in enumerate(run):
            before = run[index - 1] if index > 0 else None
            around[report.id] = (before, run[index + 1] if index + 1 < len(run) else None)
    return around


def _cross_links(
    report: Report, unit_order: Neighbours, year_order: Neighbours, by_year_kind: dict, similar: list[Report]
) -> CrossLinks:
    previous, following = unit_order.get(report.id, (None, None))
    peers = (
        tuple(
            itertools.islice(
                (
                    r
                    for r in by_year_kind[(report.year, report.org_kind)]
                    if r.id != report.id and (r.unit is None or r.unit != report.unit)
                ),
                PEERS_SHOWN,
            )
        )
        if report.year is not None
        else ()
    )
    year_previous, year_next = year_order[report.id]
    return CrossLinks(
        previous=previous,
        next=following,
        same_year_kind=peers,
        related=tuple(similar),
        year_previous=year_previous,
        year_next=year_next,
    )


# ---- related reports by content (TF-IDF over jieba terms, Simplified script) ----

_WORD = re.compile(r"^[\u4e00-\u9fff]{2,}$")


def _tokenizer():
    """jieba's dictionary and algorithm; the compiled implementation when installed (10x faster)."""
    try:
        import jieba_fast_dat as implementation
    except ImportError:
        import jieba as implementation  # loaded only when there is text to segment
    implementation.setLogLevel(logging.WARNING)
    implementation.load_userdict(str(UNION_TERMS))
    return implementation.dt


def terms(text: str, tokenizer, converter: opencc.OpenCC) -> Counter:
    """Chinese words of two characters or more, after conversion to Simplified script."""
    # Counted first, then filtered: a word is matched once per process, not per occurrence.
    counted = Counter(tokenizer.lcut(converter.convert(text)))
    return Counter({w: n for w, n in counted.items() if _is_word(w)})


@lru_cache(maxsize=1_000_000)
def _is_word(word: str) -> bool:
    return _WORD.match(word) is not None


# Below this many reports, segmenting in one process is quicker than starting others.
PARALLEL_FROM = 500


@lru_cache(maxsize=1)
def _segmenter() -> tuple:
    """(tokenizer, converter), loaded once; forked workers inherit them loaded."""
    try:
        return _tokenizer(), opencc.OpenCC("t2s")
    except Exception as error:  # pragma: no cover - a broken install, not bad content
        raise BuildError(
            _("jieba or OpenCC cannot be loaded: {problem}; reinstall the project's dependencies (pip install -e .)").format(problem=error)
        ) from error


def term_vectors(
    reports: list[Report], kept: TaxonomyKept | None = None, text_keys: dict[str, str] | None = None
) -> dict[str, dict[str, float]]:
    """Each report's TF-IDF vector over jieba terms, strongest term first. `kept.terms` holds
    the term counts by text, so that only new and changed texts are segmented again, and
    the vectors, so that only those whose terms' weights changed are computed again.

    `text_keys`: a key per report id that changes whenever its text does (its entry file's
    digest); without them, the texts' own digests."""
    ids = [r.id for r in reports]
    text_keys = text_keys or {}
    keys = [text_keys.get(r.id) or digest(r.plain_text().encode("utf-8")) for r in reports]
    known = kept.terms if kept else None
    if known is None:
        # A missing jieba fails the build whatever the archive holds; counts in the cache were
        # made with the jieba whose version is part of its key.
        _segmenter()
    known_keys, known_counts, earlier = known if known else ([], _NO_COUNTS, None)
    row_of = {key: row for row, key in enumerate(known_keys)}
    missing = [i for i, key in enumerate(keys) if key not in row_of]
    fresh = _counted([reports[i].plain_text() for i in missing])
    # Known rows first, then the fresh ones, in one vocabulary (the known terms keep their
    # numbers); then each report's row.
    both = _merged([known_counts, fresh])
    fresh_row = dict(zip(missing, range(len(known_keys), len(known_keys) + len(missing)), strict=True))
    counted = _rows(both, [fresh_row[i] if i in fresh_row else row_of[k] for i, k in enumerate(keys)])
    vectors, weighed = _tfidf(ids, counted, earlier, keys)
    if kept:
        kept.terms, kept.texts_counted = (keys, counted, weighed), len(missing)
    return vectors


def _counted(texts: list[str]) -> TermCounts:
    if not texts:
        return _NO_COUNTS
    chunks = [texts[start : start + 100] for start in range(0, len(texts), 100)]
    # Segmentation is most of the taxonomy's time and every report is independent: all cores.
    # jieba is loaded first, so that the workers inherit it.
    _segmenter()
    with worker_pool(len(texts), PARALLEL_FROM) as pool:
        return _merged(mapped(pool, _count_terms, chunks))


@dataclass(frozen=True)
class TermCounts:
    """Term counts of a run of texts as arrays: a count per (text, term) would be a
    Python object each, millions of them at archive scale."""

    terms: list[str]  # a term's number is its place here
    offsets: np.ndarray  # text i's entries are ids/counts[offsets[i]:offsets[i + 1]]
    ids: np.ndarray
    counts: np.ndarray


_NO_COUNTS = TermCounts([], np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32))


def _count_terms(texts: list[str]) -> TermCounts:
    tokenizer, converter = _segmenter()
    numbers: dict[str, int] = {}
    ids: list[int] = []
    counts: list[int] = []
    offsets = [0]
    for text in texts:
        for term, count in terms(text, tokenizer, converter).items():
            ids.append(numbers.setdefault(term, len(numbers)))
            counts.append(count)
        offsets.append(len(ids))
    return TermCounts(
        list(numbers),
        np.array(offsets, dtype=np.int64),
        np.array(ids, dtype=np.int32),
        np.array(counts, dtype=np.int32),
    )


def _merged(batches: Iterable[TermCounts]) -> TermCounts:
    """Batches in order, renumbered into one vocabulary."""
    numbers: dict[str, int] = {}
    offsets, ids, counts = [np.zeros(1, dtype=np.int64)], [], []
    done = 0
    for batch in batches:
        first_new = len(numbers)
        renumber = np.fromiter(
            (numbers.setdefault(t, len(numbers)) for t in batch.terms), np.int32, len(batch.terms)
        )
        # Terms all new, in their own order (the first batch): the numbers stay as they are.
        same = first_new == 0 and len(numbers) == len(batch.terms)
        ids.append(batch.ids if same else renumber[batch.ids])
        counts.append(batch.counts)
        offsets.append(batch.offsets[1:] + done)
        done += len(batch.ids)
    return TermCounts(list(numbers), np.concatenate(offsets), np.concatenate(ids), np.concatenate(counts))


def _rows(counted: TermCounts, rows: list[int]) -> TermCounts:
    """The given rows, in that order, in the same vocabulary."""
    rows_array = np.asarray(rows, dtype=np.int64)
    starts, ends = counted.offsets[rows_array], counted.offsets[rows_array + 1]
    lengths = ends - starts
    offsets = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    # Runs of consecutive rows (an update's: all rows but the few changed) are copied whole.
    breaks = np.flatnonzero(np.diff(rows_array) != 1) + 1
    if len(breaks) < RUNS_COPIED:
        runs = list(zip([0, *breaks.tolist()], [*breaks.tolist(), len(rows)]))
        spans = [slice(int(starts[first]), int(ends[last - 1])) for first, last in runs if last > first]
        ids = np.concatenate([counted.ids[span] for span in spans] or [counted.ids[:0]])
        counts = np.concatenate([counted.counts[span] for span in spans] or [counted.counts[:0]])
        return TermCounts(counted.terms, offsets, ids, counts)
    # Index of every entry taken: its row's start, plus its place within the row.
    take = np.repeat(starts - offsets[:-1], lengths) + np.arange(offsets[-1])
    return TermCounts(counted.terms, offsets, counted.ids[take], counted.counts[take])


RUNS_COPIED = 256


@dataclass(frozen=True)
class Weighed:
    """What a set of vectors was computed from: enough to tell which of them still hold."""

    total: int
    documents: np.ndarray  # reports holding each term, by term number
    keys: dict[str, str]  # report id -> text key
    vectors: dict[str, dict[str, float]]


def _tfidf(
    report_ids: list[str], counted: TermCounts, earlier: Weighed | None = None, keys: list[str] | None = None
) -> tuple[dict[str, dict[str, float]], Weighed]:
    """The vectors, and what they were computed from. With `earlier` (counted in a vocabulary
    that `counted`'s begins with), a report whose text and whose terms' document counts are
    unchanged keeps its vector: a weight depends on nothing else."""
    total = len(report_ids)
    documents = np.bincount(counted.ids, minlength=len(counted.terms))
    kept = _unchanged_rows(report_ids, counted, documents, earlier, keys)
    # math.log per distinct term, as the weights have always been computed.
    idf = np.array([math.log(total / d) if d else 0.0 for d in documents.tolist()])
    rank = np.empty(len(counted.terms), dtype=np.int64)
    rank[sorted(range(len(counted.terms)), key=counted.terms.__getitem__)] = np.arange(len(counted.terms))
    vectors = {}
    for number, rid in enumerate(report_ids):
        if kept[number]:
            vectors[rid] = earlier.vectors[rid]
            continue
        start, end = counted.offsets[number], counted.offsets[number + 1]
        term, count = counted.ids[start:end], counted.counts[start:end]
        telling = documents[term] < total  # a term in every report tells nothing
        term, count = term[telling], count[telling]
        weight = count * idf[term]
        # Strongest first, then by term.
        top = np.lexsort((rank[term], -weight))[:TERMS_PER_REPORT]
        top_terms, top_weights = term[top].tolist(), weight[top].tolist()
        norm = math.sqrt(sum(w * w for w in top_weights)) or 1.0
        vectors[rid] = {counted.terms[t]: w / norm for t, w in zip(top_terms, top_weights)}
    return vectors, Weighed(total, documents, dict(zip(report_ids, keys or ())), vectors)


def _unchanged_rows(report_ids, counted: TermCounts, documents: np.ndarray, earlier: Weighed | None, keys) -> np.ndarray:
    """Which reports' vectors `earlier` holds as they would be computed now."""
    kept = np.zeros(len(report_ids), dtype=bool)
    if earlier is None or keys is None or earlier.total != len(report_ids):
        return kept
    before = len(earlier.documents)
    moved = np.zeros(len(counted.terms), dtype=bool)
    moved[:before] = documents[:before] != earlier.documents
    moved[before:] = True  # new terms: only in new texts, which are computed anyway
    row_of_entry = np.repeat(np.arange(len(report_ids)), np.diff(counted.offsets))
    touched = np.zeros(len(report_ids), dtype=bool)
    touched[row_of_entry[moved[counted.ids]]] = True
    same_text = np.fromiter(
        (earlier.keys.get(rid) == key for rid, key in zip(report_ids, keys)), dtype=bool, count=len(report_ids)
    )
    return same_text & ~touched


# A term links a report to at most this many others: the reports that hold it most strongly.
# Below this many reports no term is cut; above it, each report is compared with at most
# TERMS_PER_REPORT x TOP_HOLDERS others, not with the whole archive.
TOP_HOLDERS = 50


def most_similar(
    reports: list[Report], vectors: dict[str, dict[str, float]], count: int, kept: TaxonomyKept | None = None
) -> dict[str, list[Report]]:
    """For each report, up to `count` others with the most similar vocabulary.

    A report's score for another sums their shared terms' weights over the terms the other is
    among the strongest holders of (TOP_HOLDERS): in a small archive, their cosine similarity.

    `kept.related` holds each report's vector digest, each term's strongest holders and the
    related reports with their scores: after a few edits, only the rows that can differ are
    computed again (see `_update_rows`)."""
    if count == 0 or len(reports) < 2:
        return {r.id: [] for r in reports}
    ids = sorted(r.id for r in reports)
    by_id = {r.id: r for r in reports}
    digests = {rid: _vector_digest(vectors[rid]) for rid in ids}
    known = kept.related if kept else None
    terms = _Terms(ids, vectors)
    scored = _update_rows(terms, digests, known, count) if known else None
    if scored is None:
        scored = _rows_scored(terms, range(len(ids)), count)
    if kept:
        kept.related = (digests, terms.holders, scored)
    return {rid: [by_id[other] for other, _ in scored[rid]] for rid in ids}


def _vector_digest(vector: dict[str, float]) -> str:
    terms = "\0".join(vector).encode("utf-8")
    return digest(struct.pack(f"<I{len(vector)}d", len(vector), *vector.values()) + terms)


class _Terms:
    """The vectors as a sparse matrix (reports as rows, terms as columns numbered in the terms'
    own order, so a row's products are summed in an order that does not depend on the other
    reports), and the same matrix keeping, in each column, only the term's strongest holders."""

    def __init__(self, ids: list[str], vectors: dict[str, dict[str, float]]) -> None:
        self.ids = ids
        self.matrix, self.names = _sparse(ids, vectors)
        self.strongest = _strongest_holders(self.matrix)

    @cached_property
    def holders(self) -> dict[str, tuple[str, ...]]:
        """Term -> ids of the reports it links others to, for the terms with any cut."""
        columns = self.strongest.tocsc()
        full = np.diff(self.matrix.tocsc().indptr)
        return {
            self.names[c]: tuple(self.ids[r] for r in columns.indices[columns.indptr[c] : columns.indptr[c + 1]])
            for c in np.flatnonzero(np.diff(columns.indptr) < full).tolist()
        }


def _strongest_holders(matrix):
    """`matrix` with at most TOP_HOLDERS entries per column: the largest, the lower row first
    among equals. The matrix itself when no column has more."""
    from scipy.sparse import csr_matrix

    columns = matrix.tocoo()
    if len(columns.col) == 0 or np.bincount(columns.col).max() <= TOP_HOLDERS:
        return matrix
    order = np.lexsort((columns.row, -columns.data, columns.col))
    col = columns.col[order]
    first = np.searchsorted(col, col, side="left")
    kept = order[np.arange(len(order)) - first < TOP_HOLDERS]
    return csr_matrix((columns.data[kept], (columns.row[kept], columns.col[kept])), shape=matrix.shape)


SCORE_SCALE = 10**9  # scores are compared to 9 decimals
MIN_SCORE = round(MIN_SIMILARITY * SCORE_SCALE)


def _rows_scored(terms: _Terms, rows, count: int) -> dict[str, list[tuple[str, float]]]:
    """Related reports of the given rows, with their scores: highest first, then by id."""
    rows = np.asarray(list(rows), dtype=np.int64)
    if len(terms.ids) >= 1 << 20:  # the sort key below holds a row number in 20 bits
        raise BuildError(_("more than {count} reports: the related-report sort cannot hold them").format(count=(1 << 20) - 1))
    ids = terms.ids
    scored = {}
    others = terms.strongest.T.tocsr()
    for start in range(0, len(rows), SIMILARITY_BLOCK):
        # A block of reports against the strongest holders of their terms: a sparse product.
        chunk = rows[start : start + SIMILARITY_BLOCK]
        block = (terms.matrix[chunk] @ others).tocsr()
        row = np.repeat(np.arange(len(chunk), dtype=np.int64), np.diff(block.indptr))
        # Scores to 9 decimals, as whole numbers: one integer key sorts a row's best first.
        score = np.rint(block.data * SCORE_SCALE).astype(np.int64)
        column = block.indices.astype(np.int64)
        kept = (score >= MIN_SCORE) & (column != chunk[row])
        row, column, score = row[kept], column[kept], score[kept]
        order = np.argsort((row << 50) | ((SCORE_SCALE - score) << 20) | column, kind="stable")
        row, column, score = row[order], column[order], score[order]
        place = np.arange(len(row)) - np.searchsorted(row, row, side="left")
        top = place < count
        for number in chunk.tolist():
            scored[ids[number]] = []
        for r, c, value in zip(row[top].tolist(), column[top].tolist(), (score[top] / SCORE_SCALE).tolist()):
            scored[ids[chunk[r]]].append((ids[c], value))
    return scored


# Above FEW_CHANGES changed vectors (or this share of them), every row is computed again.
UPDATE_SHARE = 0.05


def _update_rows(terms: _Terms, digests, known, count):
    """The related reports of every row from the last build's, or None when they must all be
    computed. Exact: a score depends only on the two vectors and on whether the other report
    is among the strongest holders of their shared terms, so a row whose vector, whose terms'
    strongest holders and whose related reports are all unchanged keeps its scores; only
    changed vectors can enter it, with scores computed here exactly as a full row computes them."""
    old_digests, old_holders, old_scored = known
    ids = terms.ids
    if old_digests.keys() != digests.keys():
        return None
    changed = [rid for rid in ids if old_digests[rid] != digests[rid]]
    if len(changed) > max(FEW_CHANGES, UPDATE_SHARE * len(ids)):
        return None
    holders = terms.holders
    if not changed and holders == old_holders:
        return old_scored  # nothing is multiplied
    moved = set(changed)
    recut = {term for term in holders.keys() | old_holders.keys() if holders.get(term) != old_holders.get(term)}
    recut_columns = [n for n, name in enumerate(terms.names) if name in recut]
    holding = set(np.flatnonzero(terms.matrix[:, recut_columns].getnnz(axis=1)).tolist()) if recut_columns else set()
    whole = [
        n for n, rid in enumerate(ids) if n in holding or rid in moved or any(o in moved for o, _ in old_scored[rid])
    ]
    scored = _rows_scored(terms, whole, count)
    rest = [n for n, rid in enumerate(ids) if rid not in scored]
    if not changed:
        return {**{ids[n]: old_scored[ids[n]] for n in rest}, **scored}
    number = {rid: n for n, rid in enumerate(ids)}
    columns = [number[rid] for rid in changed]
    extra = np.rint((terms.matrix[rest] @ terms.strongest[columns].T).toarray() * SCORE_SCALE) / SCORE_SCALE
    # Most rows have no changed report close enough to enter: they stay as they were.
    entered = set(np.flatnonzero((extra >= MIN_SIMILARITY).any(axis=1)).tolist())
    for place, row in enumerate(rest):
        rid = ids[row]
        if place not in entered:
            scored[rid] = old_scored[rid]
            continue
        scores = extra[place]
        entering = [(changed[j], float(scores[j])) for j in np.flatnonzero(scores >= MIN_SIMILARITY)]
        scored[rid] = sorted(old_scored[rid] + entering, key=lambda pair: (-pair[1], pair[0]))[:count]
    return scored


def _sparse(ids: list[str], vectors: dict[str, dict[str, float]]):
    """Reports as rows, terms as columns numbered in the terms' own order, and the terms."""
    from scipy.sparse import csr_matrix

    terms = [term for rid in ids for term in vectors[rid]]
    values = [weight for rid in ids for weight in vectors[rid].values()]
    names = sorted(set(terms))
    number = {term: n for n, term in enumerate(names)}
    columns = np.fromiter(map(number.__getitem__, terms), dtype=np.int64, count=len(terms))
    rows = np.repeat(np.arange(len(ids)), [len(vectors[rid]) for rid in ids])
    return csr_matrix((values, (rows, columns)), shape=(len(ids), max(1, len(number)))), names
