"""An index updated with a delta answers exactly as one built in full from the same content."""

from __future__ import annotations

import gzip
import json
import os
import random
import shutil
from pathlib import Path

import pytest

from generator.content import load_archive
from generator.errors import BuildError
from generator.search.delta import (
    DELTA_TEXT_BYTES,
    delta_limit,
    delta_text_bytes,
    plan_update,
    write_update,
)
from generator.search.documents import SearchDoc, SearchUnit, search_documents
from generator.search.files import text_path
from generator.search.fold import fold
from generator.search.golden import check_golden
from generator.search.index import (
    FolderFiles,
    FolderSink,
    build_index,
    keyword_home,
    shard_records,
    write_index,
)
from generator.search.index_state import STATE_FILE, IndexState, all_facts
from generator.search.known import KnownDocuments
from generator.search.plain import PlainSearch
from generator.search.query import SearchIndex
from generator.search.stage import SearchJob, SearchOutcome, build_search
from generator.state import MARSHAL, Stored
from generator.taxonomy import Taxonomy, build_taxonomy
from generator.yamlio import dump, load
from site_fixtures import FIXTURE_CONTENT, REPO, tree_bytes

CONTENT = REPO / "content"


# ---- helpers ----


def content_copy(tmp_path: Path, source: Path = CONTENT) -> Path:
    """An archive without its golden queries (the edits here would change them)."""
    content = tmp_path / "content"
    shutil.copytree(source, content)
    (content / "search-queries.yml").unlink(missing_ok=True)
    return content


def taxonomy(content: Path) -> Taxonomy:
    archive = load_archive(content)
    return build_taxonomy(archive.reports, archive.organizations, latest=5, related_count=3)


def documents(content: Path) -> tuple[list[SearchDoc], list[SearchUnit]]:
    return search_documents(taxonomy(content))


def build(content: Path, folder: Path, previous: Path | None = None) -> SearchOutcome:
    return build_search(taxonomy(content), content, folder, previous)


def report_file(content: Path, number: int) -> Path:
    return sorted((content / "reports").glob("*.yml"))[number]


def edit(content: Path, number: int, change) -> tuple[str, str]:
    """Applies `change` to the report's first paragraph; (report id, old paragraph)."""
    path = report_file(content, number)
    data = load(path.read_text(encoding="utf-8"))
    blocks = data.get("lead") or data["sections"][0]["paragraphs"]
    index = next(i for i, block in enumerate(blocks) if isinstance(block, str) and len(block) > 40)
    old = blocks[index]
    blocks[index] = change(old)
    path.write_text(dump(data), encoding="utf-8")
    return data["id"], old


def splice(new: str):
    """A change that replaces ten characters in the middle of a paragraph with `new`."""
    return lambda old: old[: len(old) // 2] + new + old[len(old) // 2 + 10 :]


def grams_and_phrases(text: str, rng: random.Random) -> set[str]:
    """Every 1-, 2- and 3-gram of `text`, and longer stretches of it."""
    folded = fold(text)
    queries = {folded[i : i + n] for n in (1, 2, 3) for i in range(len(folded) - n + 1)}
    for _ in range(60):
        length = rng.randint(4, 14)
        start = rng.randint(0, max(0, len(folded) - length))
        queries.add(folded[start : start + length])
    return {q for q in queries if q.strip()}


def around(text: str, piece: str) -> set[str]:
    """Phrases that cross the start and the end of `piece` in `text`."""
    at = fold(text).find(fold(piece))
    assert at >= 0
    folded = fold(text)
    phrases = set()
    for edge in (at, at + len(piece)):
        for before in range(1, 7):
            for after in range(1, 7):
                phrases.add(folded[max(0, edge - before) : edge + after])
    return {p for p in phrases if p.strip()}


def assert_same_answers(updated: SearchIndex, full: SearchIndex, queries: set[str]) -> None:
    differ = [q for q in sorted(queries) if updated.search(q) != full.search(q)]
    assert not differ, f"{len(differ)} queries differ, e.g. {differ[:5]}"
    for query in queries:
        for term in updated.terms(query):
            assert updated.keyword_docs(term) == full.keyword_docs(term), term


def keyword_queries(docs: list[SearchDoc]) -> set[str]:
    return {keyword for doc in docs for keyword in doc.keywords}


def random_queries(docs: list[SearchDoc], rng: random.Random, count: int = 150) -> set[str]:
    queries = set()
    for _ in range(count):
        text = fold(rng.choice(docs).text)
        length = rng.randint(1, 10)
        start = rng.randint(0, max(0, len(text) - length))
        queries.add(text[start : start + length])
    # and a few with several terms
    listed = sorted(q for q in queries if q.strip())
    queries |= {f"{a} {b}" for a, b in zip(listed[::7], listed[3::7], strict=False)}
    return {q for q in queries if q.strip()}


def same_inode(a: Path, b: Path) -> bool:
    return os.stat(a).st_ino == os.stat(b).st_ino


def base_shards(folder: Path) -> list[str]:
    return sorted(
        p.relative_to(folder).as_posix() for family in ("d", "p") for p in (folder / family).iterdir()
    )


# ---- through the build's search stage, over the default archive ----


def test_one_edited_report_is_a_delta_with_the_full_answers(tmp_path):
    content = content_copy(tmp_path)
    first = build(content, tmp_path / "s0")
    assert not first.incremental and first.delta_docs == 0
    before = tree_bytes(tmp_path / "s0")

    old_only, new_only = None, "职工书屋读书月活动圆满落幕"
    report_id, old = edit(content, 5, splice(new_only))
    old_only = old[len(old) // 2 : len(old) // 2 + 10]
    updated = build(content, tmp_path / "s1", previous=tmp_path / "s0")
    assert updated.incremental and updated.delta_docs == 1
    assert tree_bytes(tmp_path / "s0") == before  # the published index is only read

    docs, units = documents(content)
    full = SearchIndex(build_index(docs, units))
    index = SearchIndex(FolderFiles(tmp_path / "s1"))
    number = next(n for n, d in enumerate(docs) if d.report_id == report_id)
    assert index.manifest["delta"]["docs"] == [number]
    new_text = docs[number].text
    old_text = new_text.replace(new_only, old_only)
    rng = random.Random(5)
    queries = (
        grams_and_phrases(old_text, rng)
        | grams_and_phrases(new_text, rng)
        | around(new_text, new_only)
        | around(old_text, old_only)
        | random_queries(docs, rng)
        | keyword_queries(docs)
        | {old_only, new_only, f"{new_only} 工会", "工会 职工"}
    )
    assert_same_answers(index, full, queries)
    assert number in index.search(new_only) and number not in index.search(old_only)
    assert index.search(fold(old_only)) == full.search(fold(old_only))
    assert [index.report_row(n) for n in range(len(docs))] == [full.report_row(n) for n in range(len(docs))]

    # The base is the published one's files; only the edited report's text files are new.
    for path in base_shards(tmp_path / "s0"):
        assert same_inode(tmp_path / "s0" / path, tmp_path / "s1" / path), path
    texts = sorted((tmp_path / "s1" / "text").iterdir())
    chunks = len(json.loads(gzip.decompress((tmp_path / "s1" / text_path(number)).read_bytes()))["c"])
    assert chunks > 1  # the edited report's text is in several chunks
    assert {p.name for p in texts if p.stat().st_nlink == 1} == {text_path(number, k)[5:] for k in range(chunks)}
    # Every other file is what a full build writes, and it writes no other.
    files = FolderFiles(tmp_path / "s1")
    in_full = build_index(docs, units)
    assert set(files) == set(in_full)
    for path in in_full:
        if path.split("/")[0] in ("text", "facets", "units") or path == "fold.json":
            assert files[path] == in_full[path], path
    manifest = json.loads(files["manifest.json"])
    assert manifest.pop("delta") == {"docs": [number]} and manifest == json.loads(in_full["manifest.json"])


def test_three_edits_accumulate_against_the_same_base(tmp_path):
    content = content_copy(tmp_path)
    build(content, tmp_path / "s0")
    rng = random.Random(3)
    a_id, a_old = edit(content, 2, splice("劳模创新工作室挂牌成立"))
    first = build(content, tmp_path / "s1", previous=tmp_path / "s0")
    b_id, _ = edit(content, 11, lambda old: old + "全年举办职工技能大赛四场。")
    second = build(content, tmp_path / "s2", previous=tmp_path / "s1")
    # A goes back to its original text, C changes: the delta holds B and C.
    edit(content, 2, lambda _: a_old)
    c_id, _ = edit(content, 20, lambda old: "新春慰问一线职工" + old[8:])
    before = tree_bytes(tmp_path / "s2")
    third = build(content, tmp_path / "s3", previous=tmp_path / "s2")
    assert tree_bytes(tmp_path / "s2") == before
    assert (first.delta_docs, second.delta_docs, third.delta_docs) == (1, 2, 2)
    assert first.incremental and second.incremental and third.incremental

    docs, units = documents(content)
    number = {d.report_id: n for n, d in enumerate(docs)}
    index = SearchIndex(FolderFiles(tmp_path / "s3"))
    assert index.manifest["delta"]["docs"] == sorted([number[b_id], number[c_id]])
    full = SearchIndex(build_index(docs, units))
    queries = set()
    for report in (a_id, b_id, c_id):
        queries |= grams_and_phrases(docs[number[report]].text, rng)
    queries |= {"劳模创新工作室挂牌成立", "全年举办职工技能大赛四场", "新春慰问一线职工", "挂牌成立 职工"}
    queries |= random_queries(docs, rng) | keyword_queries(docs)
    assert_same_answers(index, full, queries)
    assert not index.search("劳模创新工作室挂牌成立")
    assert set(index.search("全年举办职工技能大赛四场")) == {number[b_id]}
    # Still the first build's shards: every build linked them again.
    for path in base_shards(tmp_path / "s0"):
        assert same_inode(tmp_path / "s0" / path, tmp_path / "s3" / path), path
    # A text file unchanged since the first build is the same file all along.
    unchanged = next(n for n in range(len(docs)) if n not in (number[a_id], number[b_id], number[c_id]))
    assert same_inode(tmp_path / "s0" / f"text/{unchanged}.bin", tmp_path / "s3" / f"text/{unchanged}.bin")


def test_no_change_is_an_update_without_a_delta(tmp_path):
    content = content_copy(tmp_path)
    build(content, tmp_path / "s0")
    again = build(content, tmp_path / "s1", previous=tmp_path / "s0")
    assert again.incremental and again.delta_docs == 0
    manifest = json.loads((tmp_path / "s1" / "manifest.json").read_bytes())
    assert "delta" not in manifest
    assert not (tmp_path / "s1" / "dd").exists() and not (tmp_path / "s1" / "dp").exists()
    assert tree_bytes(tmp_path / "s1") == tree_bytes(tmp_path / "s0")


def test_golden_queries_run_against_the_updated_index(tmp_path):
    content = content_copy(tmp_path)
    build(content, tmp_path / "s0")
    report_id, _ = edit(content, 7, splice("工会驿站暖心服务"))
    other = report_file(content, 8).stem
    (content / "search-queries.yml").write_text(
        f"- query: 工会驿站暖心服务\n  must_find: [{report_id}]\n", encoding="utf-8"
    )
    updated = build(content, tmp_path / "s1", previous=tmp_path / "s0")
    assert updated.incremental and updated.golden.queries == 1 and updated.golden.pins == 1
    (content / "search-queries.yml").write_text(
        f"- query: 工会驿站暖心服务\n  must_find: [{other}]\n", encoding="utf-8"
    )
    with pytest.raises(BuildError, match="golden query") as failed:
        build(content, tmp_path / "s2", previous=tmp_path / "s0")
    assert f"must find {other}, but its text no longer contains '工会驿站暖心服务'" in str(failed.value.problems[0])


def test_an_index_that_disagrees_with_the_entries_is_refused(tmp_path):
    """The proof compares the index with the entries' texts: an index made before an edit
    (here, the published one) fails it on a query the edit changed the answer of."""
    content = content_copy(tmp_path)
    build(content, tmp_path / "s0")
    report_id, _ = edit(content, 7, splice("工会驿站暖心服务"))
    (content / "search-queries.yml").write_text("- query: 工会驿站暖心服务\n", encoding="utf-8")
    docs, _ = documents(content)
    plain = PlainSearch([d.report_id for d in docs], [d.text for d in docs])
    stale = SearchIndex(FolderFiles(tmp_path / "s0"))
    with pytest.raises(BuildError, match="does not answer as the entries say") as failed:
        check_golden(stale, content, plain)
    assert str(failed.value.problems[0]) == (
        f"search-queries.yml:1: query '工会驿站暖心服务': the search index misses {report_id}, whose text contains it"
    )


def test_the_search_job_updates_in_its_own_process(tmp_path):
    content = content_copy(tmp_path)
    build(content, tmp_path / "s0")
    edit(content, 3, splice("职工心理健康讲座"))
    outcome = SearchJob(taxonomy(content), content, tmp_path / "s1", tmp_path / "s0").result()
    assert outcome.incremental and outcome.delta_docs == 1
    assert set(SearchIndex(FolderFiles(tmp_path / "s1")).search("职工心理健康讲座"))


# ---- falling back to a full index ----


def assert_full_build(content: Path, folder: Path, outcome: SearchOutcome, tmp_path: Path) -> None:
    assert not outcome.incremental and outcome.delta_docs == 0
    fresh = build(content, tmp_path / "fresh")
    assert tree_bytes(folder) == tree_bytes(tmp_path / "fresh")
    assert outcome.files == fresh.files
    shutil.rmtree(tmp_path / "fresh")


def test_a_report_added_gives_a_full_index(tmp_path):
    content = content_copy(tmp_path)
    build(content, tmp_path / "s0")
    source = report_file(content, 4)
    data = load(source.read_text(encoding="utf-8"))
    data["id"] = "r-0000added"
    data["title"] = data["title"] + "（补充）"
    (content / "reports" / "r-0000added.yml").write_text(dump(data), encoding="utf-8")
    outcome = build(content, tmp_path / "s1", previous=tmp_path / "s0")
    assert_full_build(content, tmp_path / "s1", outcome, tmp_path)


def test_a_year_change_that_reorders_gives_a_full_index(tmp_path):
    content = content_copy(tmp_path, FIXTURE_CONTENT)  # a unit with reports of several years
    docs, _ = documents(content)
    # Two reports of one unit with known years: the earlier one moves before the later one,
    # documents being numbered newest year first.
    by_unit: dict[int, list[SearchDoc]] = {}
    for doc in docs:
        if doc.year:
            by_unit.setdefault(doc.unit, []).append(doc)
    group = next(group for group in by_unit.values() if len({d.year for d in group}) > 1)
    earlier = min(group, key=lambda doc: doc.year)
    build(content, tmp_path / "s0")
    path = content / "reports" / f"{earlier.report_id}.yml"
    data = load(path.read_text(encoding="utf-8"))
    data["year"] = max(d.year for d in docs if d.unit == earlier.unit) + 1
    data.pop("date", None)
    path.write_text(dump(data), encoding="utf-8")
    after, _ = documents(content)
    assert [d.report_id for d in after] != [d.report_id for d in docs]
    outcome = build(content, tmp_path / "s1", previous=tmp_path / "s0")
    assert_full_build(content, tmp_path / "s1", outcome, tmp_path)


def test_too_many_changes_give_a_full_index(tmp_path, monkeypatch):
    content = content_copy(tmp_path)
    build(content, tmp_path / "s0")
    monkeypatch.setattr("generator.search.delta.delta_limit", lambda docs: 2)
    for number in (1, 2, 3):
        edit(content, number, splice(f"第{number}处修改内容"))
    outcome = build(content, tmp_path / "s1", previous=tmp_path / "s0")
    assert_full_build(content, tmp_path / "s1", outcome, tmp_path)


def _manifest(folder: Path, **changes) -> None:
    manifest = json.loads((folder / "manifest.json").read_bytes())
    manifest.update(changes)
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def _remove(folder: Path, path: str) -> None:
    (folder / path).unlink()


def _truncate_largest(folder: Path, family: str) -> None:
    path = max((folder / family).iterdir(), key=lambda p: p.stat().st_size)
    data = path.read_bytes()
    path.unlink()  # not written through: the file is linked from the published index
    path.write_bytes(data[:-1])


BREAKAGES = {
    "absent": lambda folder: shutil.rmtree(folder),
    "a file, not a folder": lambda folder: (shutil.rmtree(folder), folder.write_bytes(b"x")),
    "empty": lambda folder: (shutil.rmtree(folder), folder.mkdir()),
    "another format": lambda folder: _manifest(folder, format=2),
    "manifest unreadable": lambda folder: (folder / "manifest.json").write_bytes(b"{"),
    "manifest disagrees": lambda folder: _manifest(folder, d_shards=1024),
    "no state": lambda folder: _remove(folder, STATE_FILE),
    "state not gzip": lambda folder: (folder / STATE_FILE).write_bytes(b"garbage"),
    "state of another shape": lambda folder: (folder / STATE_FILE).write_bytes(
        gzip.compress(b'{"format": 3, "ids": []}')
    ),
    "a shard missing": lambda folder: _remove(folder, "d/0.bin"),
    "a shard truncated": lambda folder: _truncate_largest(folder, "p"),
    "no text files": lambda folder: shutil.rmtree(folder / "text"),
    "a shard is a symlink": lambda folder: (
        _remove(folder, "d/0.bin"),
        (folder / "d" / "0.bin").symlink_to(folder / "d" / "1.bin"),
    ),
}


@pytest.fixture(scope="module")
def edited_pair(tmp_path_factory):
    """A published index and the content after one edit, to be broken in many ways."""
    root = tmp_path_factory.mktemp("pair")
    content = content_copy(root)
    build(content, root / "published")
    edit(content, 9, splice("职工疗休养基地"))
    return content, root / "published"


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_an_odd_previous_index_gives_a_full_index(tmp_path, edited_pair, breakage):
    content, published = edited_pair
    previous = tmp_path / "previous"
    shutil.copytree(published, previous, symlinks=True)
    BREAKAGES[breakage](previous)
    outcome = build(content, tmp_path / "s1", previous=previous)
    assert_full_build(content, tmp_path / "s1", outcome, tmp_path)


def test_no_previous_index_gives_a_full_index(tmp_path, edited_pair):
    content, _ = edited_pair
    outcome = build(content, tmp_path / "s1", previous=None)
    assert_full_build(content, tmp_path / "s1", outcome, tmp_path)


# ---- the index functions, over many shards ----


WORDS = ["职工", "工会", "代表", "大会", "困难", "帮扶", "安全", "生产", "竞赛", "送温暖"]


def _doc(number: int, text: str, keywords: tuple[str, ...] = ()) -> SearchDoc:
    return SearchDoc(f"r{number}", f"reports/r{number}.html", f"r{number}", 0, 2020, "summary", keywords, text, (), 0)


def _texts(count: int) -> list[str]:
    return ["".join(WORDS[(n * k) % 10] for k in range(1, 40)) for n in range(count)]


def _update(docs, units, previous: Path, folder: Path) -> SearchIndex:
    plan = plan_update(docs, units, previous)
    assert plan is not None
    write_update(docs, units, plan, FolderSink(folder))
    return SearchIndex(FolderFiles(folder))


def test_a_delta_over_many_shards_answers_every_gram(tmp_path):
    units = [SearchUnit("某工会", "", "other")]
    texts = _texts(400)
    docs = [_doc(n, t, ("工会",) if n % 3 else ()) for n, t in enumerate(texts)]
    write_index(docs, units, FolderSink(tmp_path / "s0"))
    edited = list(texts)
    edited[7] = "全新的文字送温暖到家" + texts[7][5:]  # grams no base record has
    edited[150] = ""  # the document leaves every record
    edited[399] = texts[398]  # the same text as another document
    docs = [_doc(n, t, ("送温暖",) if n == 7 else d.keywords) for n, (t, d) in enumerate(zip(edited, docs))]
    index = _update(docs, units, tmp_path / "s0", tmp_path / "s1")
    full = SearchIndex(build_index(docs, units))
    assert index.manifest["d_shards"] > 8 and index.manifest["p_shards"] > 4
    assert index.manifest["delta"]["docs"] == [7, 150, 399]
    rng = random.Random(1)
    queries = set()
    for number in (7, 150, 399, 0, 398):
        queries |= grams_and_phrases(texts[number], rng) | grams_and_phrases(edited[number], rng)
    queries |= {"全新的文字", "文字送温暖到家", "送温暖 全新", *WORDS}
    assert_same_answers(index, full, queries)
    assert set(index.search("全新的文字")) == {7}
    assert 150 not in index.search("职工") and {398, 399} <= set(index.search(texts[398][:12]))
    # The delta is a list of documents: no records were written for it.
    assert sorted(p.name for p in (tmp_path / "s1").iterdir() if p.is_dir()) == ["d", "facets", "p", "text", "units"]
    # Only the shards whose keyword records changed (送温暖 is now document 7's) were written,
    # their gram records copied from the base; every other shard is the base's own file.
    before = IndexState.from_bytes((tmp_path / "s0" / STATE_FILE).read_bytes()).keywords
    after = IndexState.from_bytes((tmp_path / "s1" / STATE_FILE).read_bytes()).keywords
    rewritten = {path for path in base_shards(tmp_path / "s0") if before.get(path) != after.get(path)}
    assert rewritten and keyword_home("送温暖", index.manifest["d_shards"], index.manifest["p_shards"]) in rewritten
    for path in base_shards(tmp_path / "s0"):
        old, new = (shard_records((tmp_path / s / path).read_bytes()) for s in ("s0", "s1"))
        assert same_inode(tmp_path / "s0" / path, tmp_path / "s1" / path) == (path not in rewritten), path
        old_grams = old[: len(old) - (before[path][1] if path in before else 0)]
        assert new[: len(old_grams)] == old_grams, path


def test_delta_limit_is_one_percent_with_a_floor():
    assert delta_limit(10) == 16 and delta_limit(1600) == 16 and delta_limit(10_000) == 100


def test_the_delta_texts_are_bounded_in_bytes_except_for_one_document(tmp_path):
    units = [SearchUnit("某工会", "", "other")]
    texts = _texts(400)
    write_index([_doc(n, t) for n, t in enumerate(texts)], units, FolderSink(tmp_path / "s0"))
    rng = random.Random(2)
    # Text that gzip cannot shrink: one such document outweighs DELTA_TEXT_BYTES.
    noise = ["".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(DELTA_TEXT_BYTES // 2)) for _ in range(3)]
    one = [_doc(n, noise[0] if n == 5 else t) for n, t in enumerate(texts)]
    assert delta_text_bytes(one, units, [5]) > DELTA_TEXT_BYTES
    assert plan_update(one, units, tmp_path / "s0").changed == [5]
    three = [_doc(n, noise[n // 100] if n in (5, 105, 205) else t) for n, t in enumerate(texts)]
    assert plan_update(three, units, tmp_path / "s0") is None
    small = [_doc(n, t + "职工之家" if n in (5, 105, 205) else t) for n, t in enumerate(texts)]
    assert plan_update(small, units, tmp_path / "s0").changed == [5, 105, 205]


def test_a_linked_file_is_never_written(tmp_path):
    units = [SearchUnit("某工会", "", "other")]
    docs = [_doc(n, t) for n, t in enumerate(_texts(400))]
    write_index(docs, units, FolderSink(tmp_path / "s0"))
    sink = FolderSink(tmp_path / "s1")
    size = (tmp_path / "s0" / "d" / "0.bin").stat().st_size
    sink.link("d/0.bin", str(tmp_path / "s0" / "d" / "0.bin"), size)
    with pytest.raises(BuildError, match="refusing"):
        sink.append("d/0.bin", b"x")
    with pytest.raises(BuildError, match="refusing"):
        sink.put("d/0.bin", b"x")
    with pytest.raises(BuildError, match="not the file"):
        sink.link("d/1.bin", str(tmp_path / "s0" / "d" / "1.bin"), size + 1)
    assert (tmp_path / "s0" / "d" / "0.bin").stat().st_size == size


# ---- the last build's documents (search/known.py) ----


def _stored(path: Path) -> Stored:
    """The file of search documents, as the build state hands it to the search stage."""
    return Stored(path, "documents of this code", MARSHAL)


def known_build(content: Path, folder: Path, cache: Path, previous: Path | None = None):
    """build_search as the site build runs it: with the documents of the build before."""
    archive = load_archive(content)
    tax = build_taxonomy(archive.reports, archive.organizations, latest=5, related_count=3)
    known = KnownDocuments(_stored(cache), archive.digests)
    return build_search(tax, content, folder, previous, known), known


def test_known_documents_are_those_made_anew(tmp_path):
    content = content_copy(tmp_path)
    cache = tmp_path / "cache" / "documents.marshal"
    _, first = known_build(content, tmp_path / "s0", cache)
    assert first.made == len(documents(content)[0]) and cache.is_file()

    report_id, _ = edit(content, 5, splice("职工书屋读书月活动圆满落幕"))
    updated, known = known_build(content, tmp_path / "s1", cache, previous=tmp_path / "s0")
    docs, units = documents(content)
    # The edited report, and any whose keywords its new words changed; not the others.
    assert 1 <= known.made < len(docs) // 2
    assert updated.incremental and updated.delta_docs == 1
    # What an update makes from the kept documents is what it makes from fresh ones.
    build(content, tmp_path / "fresh", previous=tmp_path / "s0")
    assert tree_bytes(tmp_path / "s1") == tree_bytes(tmp_path / "fresh")
    reused, _ = search_documents(taxonomy(content), KnownDocuments(_stored(cache), load_archive(content).digests).document)
    assert reused == docs
    assert any(d.report_id == report_id for d in docs)


def test_known_documents_follow_a_unit_rename(tmp_path):
    content = content_copy(tmp_path)
    cache = tmp_path / "documents.marshal"
    known_build(content, tmp_path / "s0", cache)
    registry = content / "organizations.yml"
    units = load(registry.read_text(encoding="utf-8"))
    renamed = next(unit for unit in units if unit["id"] in {r.unit for r in taxonomy(content).reports})
    renamed["name"] = renamed["name"] + "（新）"
    registry.write_text(dump(units), encoding="utf-8")
    archive = load_archive(content)
    known = KnownDocuments(_stored(cache), archive.digests)
    tax = taxonomy(content)
    docs, _ = search_documents(tax, known.document)
    assert docs == documents(content)[0]
    assert known.made >= sum(r.unit == renamed["id"] for r in tax.reports) > 0


@pytest.mark.parametrize("stored", [b"", b"not marshal", None])
def test_broken_known_documents_are_made_anew(tmp_path, stored):
    import marshal

    content = content_copy(tmp_path)
    cache = tmp_path / "documents.marshal"
    known_build(content, tmp_path / "s0", cache)
    if stored is None:  # well-formed, but records that are not documents
        header, records = marshal.loads(cache.read_bytes())
        stored = marshal.dumps((header, {key: (("x",), 1) for key in records}))
    cache.write_bytes(stored)
    archive = load_archive(content)
    known = KnownDocuments(_stored(cache), archive.digests)
    docs, units = search_documents(taxonomy(content), known.document)
    assert docs == documents(content)[0]
    assert known.made == len(docs)
    assert known.facts(docs, units) == all_facts(docs, units)
