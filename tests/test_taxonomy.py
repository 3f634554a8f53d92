"""Related reports and keywords: TF-IDF over jieba terms, the same however the counting is split."""

from __future__ import annotations

import math
from collections import Counter

from generator import taxonomy
from generator.content import load_archive
from generator.state import FEW_CHANGES, BuildState
from site_fixtures import REPO


def _reference_vectors(texts: dict[str, str]) -> dict[str, dict[str, float]]:
    """TF-IDF written out plainly, one Counter per report."""
    tokenizer, converter = taxonomy._segmenter()
    counts = {rid: taxonomy.terms(text, tokenizer, converter) for rid, text in texts.items()}
    documents = Counter(term for c in counts.values() for term in c)
    vectors = {}
    for rid, c in counts.items():
        weights = {t: n * math.log(len(counts) / documents[t]) for t, n in c.items() if documents[t] < len(counts)}
        top = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[: taxonomy.TERMS_PER_REPORT]
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        vectors[rid] = {t: w / norm for t, w in top}
    return vectors


def test_term_vectors_match_plain_tfidf_in_one_batch_or_many():
    reports = sorted(load_archive(REPO / "content").reports, key=lambda r: r.id)
    texts = {r.id: r.plain_text() for r in reports}
    ids = list(texts)
    expected = _reference_vectors(texts)
    whole, _ = taxonomy._tfidf(ids, taxonomy._count_terms(list(texts.values())))
    batches = [taxonomy._count_terms(list(texts.values())[start : start + 3]) for start in range(0, len(ids), 3)]
    merged, _ = taxonomy._tfidf(ids, taxonomy._merged(batches))
    assert len(ids) > 6 and any(expected.values())
    for rid in ids:
        # Same terms, same order, same weights to the last bit.
        assert list(whole[rid].items()) == list(expected[rid].items())
        assert list(merged[rid].items()) == list(expected[rid].items())


def test_a_report_without_chinese_terms_has_an_empty_vector():
    counted = taxonomy._count_terms(["Annual report 2020.", "职工代表大会召开", "工会经费审查"])
    vectors, _ = taxonomy._tfidf(["a", "b", "c"], counted)
    assert vectors["a"] == {}
    assert vectors["b"] and vectors["c"]


def _ordered(vectors: dict[str, dict[str, float]]) -> list:
    return [(rid, list(vector.items())) for rid, vector in vectors.items()]


def _kept_vectors(reports, state: BuildState, text_keys=None) -> dict[str, dict[str, float]]:
    """term_vectors as a build runs it: with what the last build kept, keeping what it made."""
    kept = state.taxonomy(3)
    vectors = taxonomy.term_vectors(reports, kept, text_keys)
    state.keep_taxonomy(kept)
    return vectors


def test_cached_term_counts_give_the_same_vectors(tmp_path):
    reports = sorted(load_archive(REPO / "content").reports, key=lambda r: r.id)
    state = BuildState(tmp_path)
    assert _ordered(_kept_vectors(reports, state)) == _ordered(taxonomy.term_vectors(reports))
    first = reports[0]
    edited = first.model_copy(update={"lead": [*first.lead, "工会组织开展劳动竞赛，职工之家建设成效明显。"]})
    twin = reports[2].model_copy(update={"id": "a-copy-of-the-third"})
    changed = [edited, *reports[2:], twin]  # one edited, one removed, one added
    assert _ordered(_kept_vectors(changed, state)) == _ordered(taxonomy.term_vectors(changed))
    # Once more: the counts saved before the edit, and the few texts changed since.
    assert _ordered(_kept_vectors(changed, state)) == _ordered(taxonomy.term_vectors(changed))
    # Many texts changed: the counts are saved again, and every count then comes from the cache.
    many = [r.model_copy(update={"lead": [*r.lead, "工会工作"]}) for r in changed]
    assert FEW_CHANGES < len(many)
    assert _ordered(_kept_vectors(many, state)) == _ordered(taxonomy.term_vectors(many))
    keys, _, _ = state.taxonomy(3).terms
    assert keys == [taxonomy.digest(r.plain_text().encode("utf-8")) for r in many]


def test_an_edit_computes_again_only_the_vectors_whose_weights_changed(tmp_path):
    reports = sorted(load_archive(REPO / "content").reports, key=lambda r: r.id)
    ids = [r.id for r in reports]
    texts = [r.plain_text() for r in reports]
    # New words only in the first report, and 劳动竞赛, which a few others hold: its weight changes.
    edited = [texts[0] + "\n锅炉房劳动竞赛。", *texts[1:]]
    keys, edited_keys = [f"v1-{rid}" for rid in ids], ["v2", *[f"v1-{rid}" for rid in ids[1:]]]
    _, earlier = taxonomy._tfidf(ids, taxonomy._count_terms(texts), None, keys)
    # Counted as an update counts: the earlier vocabulary first.
    counted = taxonomy._rows(taxonomy._merged([taxonomy._count_terms(texts), taxonomy._count_terms(edited[:1])]), [len(ids), *range(1, len(ids))])
    updated, again = taxonomy._tfidf(ids, counted, earlier, edited_keys)
    assert _ordered(updated) == _ordered(taxonomy._tfidf(ids, taxonomy._count_terms(edited))[0])
    kept = [rid for rid in ids if updated[rid] is earlier.vectors[rid]]
    holding = [rid for rid, text in zip(ids, texts) if "劳动竞赛" in taxonomy.terms(text, *taxonomy._segmenter())]
    assert ids[0] not in holding and 0 < len(holding) < len(ids) - 1
    assert kept == [rid for rid in ids[1:] if rid not in holding]
    # Nothing changed since: every vector is kept.
    unchanged, _ = taxonomy._tfidf(ids, counted, again, edited_keys)
    assert all(unchanged[rid] is again.vectors[rid] for rid in ids)
    # Through the cache, as a build runs it: the same vectors as a full computation.
    state = BuildState(tmp_path)
    _kept_vectors(reports, state, dict(zip(ids, keys)))
    changed = [reports[0].model_copy(update={"lead": [*reports[0].lead, "锅炉房劳动竞赛。"]}), *reports[1:]]
    assert _ordered(_kept_vectors(changed, state, dict(zip(ids, edited_keys)))) == _ordered(taxonomy.term_vectors(changed))


def _related(reports, state: BuildState | None = None) -> dict[str, list[str]]:
    """Related reports as a build finds them, with what the last build kept in `state`."""
    vectors = taxonomy.term_vectors(reports)
    kept = state.taxonomy(3) if state else None
    related = taxonomy.most_similar(reports, vectors, 3, kept)
    if state:
        state.keep_taxonomy(kept)
    return {rid: [r.id for r in others] for rid, others in related.items()}


def test_related_reports_after_an_edit_are_those_of_a_full_computation(tmp_path):
    reports = sorted(load_archive(REPO / "content").reports, key=lambda r: r.id)
    state = BuildState(tmp_path)
    assert _related(reports, state) == _related(reports)
    first = reports[0]
    edited = first.model_copy(update={"lead": [*first.lead, "工会组织开展劳动竞赛，职工之家建设成效明显。"]})
    changed = [edited, *reports[1:]]
    # The update itself: some vectors changed, and only the rows that can differ are computed.
    vectors = taxonomy.term_vectors(changed)
    ids = sorted(vectors)
    digests = {rid: taxonomy._vector_digest(vectors[rid]) for rid in ids}
    known = state.taxonomy(3).related
    assert known and known[0] != digests
    updated = taxonomy._update_rows(taxonomy._Terms(ids, vectors), digests, known, 3)
    assert updated is not None
    assert {rid: [o for o, _ in pairs] for rid, pairs in updated.items()} == _related(changed)
    assert _related(changed, state) == _related(changed)
    # A removed report: every row again, the same as without the cache.
    assert _related(changed[1:], state) == _related(changed[1:])


def _cosine_related(reports, count: int) -> dict[str, list[str]]:
    """Related reports by plain cosine over the whole archive, every pair compared."""
    vectors = taxonomy.term_vectors(reports)
    ids = sorted(vectors)
    related = {}
    for rid in ids:
        scores = {
            other: round(sum(w * vectors[other].get(t, 0.0) for t, w in vectors[rid].items()), 9)
            for other in ids
            if other != rid
        }
        close = sorted((pair for pair in scores.items() if pair[1] >= taxonomy.MIN_SIMILARITY), key=lambda p: (-p[1], p[0]))
        related[rid] = [other for other, _ in close[:count]]
    return related


def test_related_reports_in_an_archive_without_cut_terms_are_the_closest_by_cosine():
    reports = sorted(load_archive(REPO / "content").reports, key=lambda r: r.id)
    assert len(reports) < taxonomy.TOP_HOLDERS
    assert _related(reports) == _cosine_related(reports, 3)


def test_a_term_links_a_report_only_to_its_strongest_holders_and_updates_stay_exact(tmp_path, monkeypatch):
    reports = sorted(load_archive(REPO / "content").reports, key=lambda r: r.id)
    monkeypatch.setattr(taxonomy, "TOP_HOLDERS", 4)
    vectors = taxonomy.term_vectors(reports)
    terms = taxonomy._Terms(sorted(vectors), vectors)
    cut = terms.holders
    assert cut and all(len(holders) == 4 for holders in cut.values())
    assert (terms.strongest.tocsc().getnnz(axis=0) <= 4).all()
    # Each report is compared with at most terms x holders others, not with the archive.
    related = _related(reports)
    assert related != _cosine_related(reports, 3)
    for rid, others in related.items():
        linked = {h for term in vectors[rid] for h in cut.get(term, ())} | {
            other for other in vectors if other != rid and any(t in vectors[other] and t not in cut for t in vectors[rid])
        }
        assert set(others) <= linked
    # An edit that makes a report one of a term's strongest holders: the holders change, and
    # the update equals a full computation.
    state = BuildState(tmp_path)
    assert _related(reports, state) == related
    term, outsider = next(
        (term, rid) for term, holders in sorted(cut.items()) for rid in sorted(vectors) if term in vectors[rid] and rid not in holders
    )
    number = next(n for n, r in enumerate(reports) if r.id == outsider)
    edited = reports[number].model_copy(update={"lead": [*reports[number].lead, "，".join([term] * 30) + "。"]})
    reports = [*reports[:number], edited, *reports[number + 1 :]]
    vectors = taxonomy.term_vectors(reports)
    assert outsider in taxonomy._Terms(sorted(vectors), vectors).holders[term]
    known = state.taxonomy(3).related
    digests = {rid: taxonomy._vector_digest(vectors[rid]) for rid in sorted(vectors)}
    updated = taxonomy._update_rows(taxonomy._Terms(sorted(vectors), vectors), digests, known, 3)
    assert updated is not None
    assert {rid: [o for o, _ in pairs] for rid, pairs in updated.items()} == _related(reports)
    assert _related(reports, state) == _related(reports)
