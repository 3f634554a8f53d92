"""The search index answers exactly: the reports that contain the phrase, no fewer, no more."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import run_cli
from generator.errors import BuildError
from generator.search.documents import SearchDoc, SearchUnit
from generator.search.files import (
    CHUNK_UNITS,
    SHARD_ITEMS,
    read_text,
    text_chunks,
    text_file,
    text_path,
    text_payloads,
    utf16_length,
    year_codes,
)
from generator.search.fold import fold
from generator.search.index import FolderFiles, FolderSink, build_index, write_index
from generator.search.query import SearchIndex, cheapest_chain
from search_oracle import index_content
from site_fixtures import FIXTURE_CONTENT, REPO, write_config

SEEDS = REPO / "content"


@pytest.fixture(scope="module")
def seeds():
    return index_content(SEEDS)


@pytest.fixture(scope="module")
def sample():
    return index_content(FIXTURE_CONTENT)


@pytest.mark.parametrize(
    "query",
    [
        "会",  # one character
        "工会",  # two
        "职代会",  # three: one document list
        "困难职工",  # four: positions of a chain of 3-grams
        "工资集体协商",
        "中华全国总工会",
        "全国总工会",  # a compound inside the longer name above
        "2013年",  # digits and a year
        "xx",  # Latin
        "XX",  # Latin, any case
        "工会 困难职工",  # several terms: all must occur
        "安康杯 送温暖 职工之家",
        "会工作",
        "的",
        "，",
        "不存在的词语组合",
    ],
)
def test_query_matches_substring_search(seeds, query):
    assert seeds.index.report_ids(query) == seeds.expected(query)


def test_every_keyword_record_names_its_reports(seeds):
    """Keyword records follow the gram records of a d/ shard, or of a p/ one for a term of
    more than three characters; both kinds are here."""
    expected: dict[str, set[int]] = {}
    for number, doc in enumerate(seeds.docs):
        for keyword in doc.keywords:
            expected.setdefault(fold(keyword), set()).add(number)
    assert {len(k) <= 3 for k in expected} == {True, False}
    for keyword, numbers in expected.items():
        assert seeds.index.keyword_docs(keyword) == numbers, keyword
        assert seeds.index.report_ids(keyword) >= {seeds.docs[n].report_id for n in numbers}
    assert seeds.index.keyword_docs("不存在的词语组合") == set()


def test_common_queries_find_reports(seeds):
    for query in ("工会", "职代会", "困难职工", "全国总工会", "2013年", "安康杯"):
        assert seeds.index.report_ids(query), query


@settings(max_examples=400, deadline=None, database=None)
@given(data=st.data())
def test_any_stretch_of_any_report_finds_exactly_its_reports(seeds, data):
    number = data.draw(st.integers(0, len(seeds.docs) - 1))
    text = seeds.folded[number]
    length = data.draw(st.integers(1, 12))
    start = data.draw(st.integers(0, max(0, len(text) - length)))
    query = text[start : start + length].strip()
    found = seeds.index.report_ids(query)
    assert found == seeds.expected(query)
    if query and "\n" not in query and " " not in query:
        assert seeds.docs[number].report_id in found


def test_traditional_and_simplified_find_each_other(seeds):
    simplified, traditional = seeds.index.report_ids("工会"), seeds.index.report_ids("工會")
    assert simplified == traditional
    # Some of those reports are written in Traditional script only, others in Simplified.
    only_traditional = [d for d, t in zip(seeds.docs, seeds.folded) if "工會" in d.text]
    only_simplified = [d for d in seeds.docs if "工会" in d.text and "工會" not in d.text]
    assert only_traditional and only_simplified
    assert {d.report_id for d in only_traditional + only_simplified} <= simplified
    assert seeds.index.report_ids("職代會") == seeds.index.report_ids("职代会")


def test_full_width_digits_and_letters_fold(seeds):
    assert seeds.index.report_ids("２０１３年") == seeds.index.report_ids("2013年") != set()
    assert seeds.index.report_ids("ＸＸ") == seeds.index.report_ids("xx") != set()


def test_unit_alias_finds_the_units_reports(sample):
    # 东城街道总工会 is an alias of 东城街道工会 in the registry, never written in a report.
    assert all("东城街道总工会" not in d.text.split("\n", 1)[0] for d in sample.docs)
    found = sample.index.report_ids("东城街道总工会")
    assert found and found == sample.index.report_ids("东城街道工会")


def _doc(report_id: str, text: str, year: int | None = 2020) -> SearchDoc:
    return SearchDoc(
        report_id, f"reports/{report_id}.html", report_id, 0, year, "summary", (), text, (), 0
    )


def test_phrase_never_spans_two_paragraphs():
    index = SearchIndex(
        build_index(
            [_doc("a", "加强工会\n工作"), _doc("b", "工会工作")],
            [SearchUnit("某工会", "", "other")],
        )
    )
    assert index.report_ids("工会工作") == {"b"}
    assert index.report_ids("会工") == {"b"}
    assert index.report_ids("工会 工作") == {"a", "b"}


def test_a_long_query_needs_every_three_gram_in_line():
    # Every 3-gram of the query occurs in "a", but never all in one place.
    docs = [_doc("a", "职工代表。代表大会。工代表大"), _doc("b", "职工代表大会")]
    index = SearchIndex(build_index(docs, [SearchUnit("某工会", "", "other")]))
    assert index.report_ids("职工代表大会") == {"b"}


def test_many_documents_spread_over_many_shards():
    words = ["职工", "工会", "代表", "大会", "困难", "帮扶", "安全", "生产", "竞赛", "送温暖"]
    docs = [_doc(f"r{n}", "".join(words[(n * k) % 10] for k in range(1, 40))) for n in range(400)]
    files = build_index(docs, [SearchUnit("某工会", "", "other")])
    index = SearchIndex(files)
    assert index.manifest["d_shards"] > 1 and index.manifest["p_shards"] > 1
    texts = {d.report_id: d.text for d in docs}
    for query in ("职工代表", "困难帮扶安全", "送温暖职工", "竞赛送温暖困难"):
        assert index.report_ids(query) == {r for r, t in texts.items() if query in t}


def test_index_written_into_a_folder_is_the_one_built_in_memory(tmp_path):
    words = ["职工", "工会", "代表", "大会", "困难", "帮扶", "安全", "生产", "竞赛", "送温暖"]
    docs = [_doc(f"r{n}", "".join(words[(n * k) % 10] for k in range(1, 40))) for n in range(400)]
    units = [SearchUnit("某工会", "", "other")]
    in_memory = build_index(docs, units)
    sink = FolderSink(tmp_path / "search")
    write_index(docs, units, sink)
    on_disk = FolderFiles(tmp_path / "search")
    assert sink.count == len(in_memory) == len(on_disk)
    assert dict(on_disk.items()) == in_memory
    manifest = json.loads(in_memory["manifest.json"])
    for family in ("d", "p"):  # the browser asks for shards by hash: every one is a file
        assert {f"{family}/{n}.bin" for n in range(manifest[f"{family}_shards"])} <= set(in_memory)
    # Shards are published gzipped, each one whole (the browser inflates them as they arrive).
    shards = {path: data for path, data in in_memory.items() if path.startswith(("d/", "p/"))}
    records = {path: gzip.decompress(data) for path, data in shards.items()}
    assert all(data[:2] == b"\x1f\x8b" for data in shards.values())
    assert sum(map(len, shards.values())) < sum(map(len, records.values()))
    assert SearchIndex(on_disk).report_ids("困难帮扶") == SearchIndex(in_memory).report_ids("困难帮扶") != set()


def test_index_is_never_written_over_an_existing_folder(tmp_path):
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "stale.bin").write_bytes(b"x")
    with pytest.raises(BuildError, match="already exists"):
        FolderSink(tmp_path / "search")
    assert (tmp_path / "search" / "stale.bin").read_bytes() == b"x"


def test_cheapest_chain_covers_the_term():
    assert cheapest_chain([5]) == [0]
    assert cheapest_chain([1, 100, 100, 1]) == [0, 3]
    chain = cheapest_chain([9, 1, 9, 9, 1, 9, 9])
    assert chain[0] == 0 and chain[-1] == 6 and all(b - a <= 3 for a, b in zip(chain, chain[1:]))


# ---- in the build ----


def _content_copy(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    subprocess.run(["cp", "-r", str(FIXTURE_CONTENT), str(content)], check=True)
    return content


def test_a_pinned_report_that_is_gone_fails_the_build_with_its_reason(tmp_path):
    content = _content_copy(tmp_path)
    (content / "search-queries.yml").write_text(
        "- query: 安康杯\n  must_find: [no-such-report]\n", encoding="utf-8"
    )
    config = write_config(tmp_path)
    result = run_cli(
        "build", "--content", str(content), "--config", str(config), "--out", str(tmp_path / "site")
    )
    assert result.returncode == 1
    assert (
        "search-queries.yml:1: query '安康杯': must find no-such-report, but that entry is gone "
        "(reports/no-such-report.yml no longer exists); restore the entry, or remove no-such-report from must_find"
    ) in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


def test_search_index_is_the_same_without_fork(tmp_path, monkeypatch):
    """Where the platform cannot fork, the build makes the same index in its own process."""
    from generator import parallel
    from generator.build import build_site

    content = _content_copy(tmp_path)
    expected = sorted(index_content(content).index.report_ids("职工之家"))
    (content / "search-queries.yml").write_text(
        f"- query: 职工之家\n  reports: [{', '.join(expected)}]\n", encoding="utf-8"
    )
    config = write_config(tmp_path)
    forked = build_site(content_dir=content, config_path=config, out_dir=tmp_path / "a")
    monkeypatch.setattr(parallel.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    in_line = build_site(content_dir=content, config_path=config, out_dir=tmp_path / "b")
    assert expected and forked.golden.queries == in_line.golden.queries == 1
    a, b = sorted((tmp_path / "a" / "search").rglob("*")), sorted((tmp_path / "b" / "search").rglob("*"))
    assert [p.relative_to(tmp_path / "a") for p in a] == [p.relative_to(tmp_path / "b") for p in b]
    assert all(x.read_bytes() == y.read_bytes() for x, y in zip(a, b) if x.is_file())


def test_leftovers_of_a_failed_build_never_reach_the_index(tmp_path):
    from generator.build import build_folder, build_site

    out = tmp_path / "site"
    leftover = build_folder(out) / "search" / "d" / "99999.bin"
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"stale")
    build_site(content_dir=FIXTURE_CONTENT, config_path=write_config(tmp_path), out_dir=out)
    assert (out / "search" / "manifest.json").is_file()
    assert not (out / "search" / "d" / "99999.bin").exists()


def test_golden_queries_run_in_every_build(tmp_path):
    content = _content_copy(tmp_path)
    index = index_content(content).index
    expected = sorted(index.report_ids("安康杯"))
    (content / "search-queries.yml").write_text(
        f"- query: 安康杯\n  reports: [{', '.join(expected)}]\n", encoding="utf-8"
    )
    config = write_config(tmp_path)
    site = tmp_path / "site"
    result = run_cli(
        "build", "--content", str(content), "--config", str(config), "--out", str(site)
    )
    assert result.returncode == 0, result.stderr
    assert "1 golden queries passed" in result.stdout
    listed = run_cli("search", "安康杯", "--site", str(site))
    assert sorted(line.split("\t")[0] for line in listed.stdout.splitlines()) == expected


@pytest.mark.parametrize(
    ("module", "blocked"), [("opencc", ["opencc"]), ("jieba", ["jieba", "jieba_fast_dat"])]
)
def test_missing_segmentation_or_conversion_fails_the_build(tmp_path, module, blocked):
    config = write_config(tmp_path)
    program = (
        "import sys\n"
        f"for name in {blocked!r}: sys.modules[name] = None  # as if it were not installed\n"
        "from generator.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            program,
            "build",
            "--content",
            str(FIXTURE_CONTENT),
            "--config",
            str(config),
            "--out",
            str(tmp_path / "site"),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode == 1
    assert module in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


def _numbered_doc(number: int, text: str, year: int | None = 2020) -> SearchDoc:
    return SearchDoc(f"r-{number}", f"reports/r-{number}.html", f"标题{number}", 0, year, "summary", (), text, (), 0)


@given(st.lists(st.text(alphabet="工会职\n", max_size=900), max_size=8).map("\n".join))
@settings(max_examples=200, deadline=None, database=None)
def test_text_chunks_are_whole_lines_that_make_up_the_text(text):
    chunks = text_chunks(text)
    assert "".join(chunks) == text
    for chunk in chunks[:-1]:
        assert chunk.endswith("\n")
        # A chunk ends at the first break past the bound: its last line alone may pass it.
        assert utf16_length(chunk[:-1].rpartition("\n")[0]) < CHUNK_UNITS


def test_a_results_head_holds_what_it_shows_and_its_chunks_the_rest():
    lines = [f"第{n}段" + "职工" * 200 for n in range(12)]
    doc = _numbered_doc(0, "\n".join(lines))
    files = {text_path(0, k): text_file(payload) for k, payload in enumerate(text_payloads(doc, SearchUnit("某工会", "", "street")))}
    head = json.loads(gzip.decompress(files["text/0.bin"]))
    assert (head["r"], head["h"], head["u"], head["n"], head["d"]) == ("r-0", "标题0", "reports/r-0.html", "某工会", 0)
    assert len(head["c"]) == len(files) > 3 and len(head["t"]) < len(doc.text) / 3
    assert read_text(files, 0)["t"] == doc.text
    # Chunk k starts at c[k], in UTF-16 units of the whole text (the section anchors' unit).
    for k, start in enumerate(head["c"]):
        assert read_text(files, 0)["t"][start:].startswith(lines[0][:2] if k == 0 else "第")


def test_years_come_from_document_numbers_and_facets_from_fixed_shards():
    years = [2021] * 700 + [2019] * 400 + [None] * 30
    docs = [_numbered_doc(n, "工会", year) for n, year in enumerate(years)]
    units = [SearchUnit("某工会", "", "street")]
    files = build_index(docs, units)
    manifest = json.loads(files["manifest.json"])
    assert manifest["years"] == [[0, 121], [700, 119], [1100, 0]] and manifest["shard_items"] == SHARD_ITEMS
    assert year_codes(manifest) == bytes([121] * 700 + [119] * 400 + [0] * 30)
    shards = sorted(path for path in files if path.startswith("facets/"))
    assert shards == [f"facets/{n}.bin" for n in range(-(-len(docs) // SHARD_ITEMS))]
    assert {len(gzip.decompress(files[path])) for path in shards[:-1]} == {6 * SHARD_ITEMS}
    assert not {"docs.bin", "facets.bin", "units.bin"} & set(files)
