"""The importer's quicker ways of working give exactly what the plain ways give."""

from __future__ import annotations

import pickle
import re
import shutil

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DEFAULT_SOURCES
from generator.content import check_content
from generator.importer import orgs, pipeline
from generator.importer.dedup import _sorted_distinct
from generator.importer.entries import draft_report
from generator.importer.readers import read_source
from generator.importer.segment import segment_source


def test_place_words_are_the_names_jieba_dictionary_tags_as_places():
    import jieba

    plain = set()
    with jieba.get_dict_file() as lines:  # "word frequency tag", line by line
        for line in lines:
            parts = line.decode("utf-8").split()
            if len(parts) == 3 and parts[2] == "ns" and len(parts[0]) >= 2:
                plain.add(parts[0])
    assert orgs._place_words() == frozenset(plain - set(orgs._NOT_PLACE))
    assert "福州" in orgs._place_words() and "全国" not in orgs._place_words()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=2**64 - 1), max_size=50), st.integers(min_value=1, max_value=8))
def test_sorted_distinct_hashes_are_numpy_unique(values, repeats):
    hashes = np.array(values * repeats, dtype=np.uint64)
    distinct = _sorted_distinct(hashes)
    assert distinct.dtype == np.uint64
    assert np.array_equal(distinct, np.unique(hashes))


_PIECE_TEXT = st.text(alphabet="省市县区镇乡街社村北京上海福州大连，。、：；！？ \n（）()《》“”ab工会联合组织", max_size=80)


@settings(max_examples=300, deadline=None)
@given(_PIECE_TEXT)
def test_hinted_pieces_are_the_pieces_between_separators_that_hold_a_hint(span):
    plain = []
    start = 0
    for piece in re.split(orgs._SEPARATOR.pattern, span):
        if piece and orgs._ADMIN_HINT.search(piece):
            plain.append((start, piece))
        start += len(piece) + 1  # the separator
    assert list(orgs._hinted_pieces(span)) == plain


def test_places_read_from_remembered_pieces_are_those_of_a_first_reading():
    text = "福州市总工会在福州市台江区召开会议，上海市、大连市和福州市的代表出席。北京 朝阳区工会参加。"
    first = orgs.places(text, text)
    assert first == "福州市 台江区 上海市"
    assert orgs.places(text, text) == first  # the pieces now come from the cache


def test_a_draft_travels_with_its_paragraphs_but_not_with_what_was_worked_out_from_them():
    source = read_source(sorted(DEFAULT_SOURCES.glob("*.txt"))[0])
    segment = next(s for s in segment_source(source).segments if s.paragraphs)
    draft, _core = draft_report("sources/x.txt", segment)
    sent = pickle.dumps(draft)
    body, meta = draft.body, draft.meta  # worked out here: not sent along
    assert len(pickle.dumps(draft)) == len(sent)
    arrived = pickle.loads(pickle.dumps(draft))
    assert arrived.paragraphs == draft.paragraphs and arrived.text == draft.text
    assert "body" not in arrived.__dict__ and "meta" not in arrived.__dict__
    assert arrived.body == body and arrived.meta == meta


def test_an_import_that_fails_before_placing_its_entries_leaves_none_behind(tmp_path, monkeypatch):
    """Entries are written under temporary names as they are made; an import that stops before
    they are renamed into place removes them, and a later import writes them all."""
    raw = tmp_path / "raw"
    shutil.copytree(DEFAULT_SOURCES, raw)
    content = tmp_path / "content"

    def fail(log):
        raise RuntimeError("stopped after the entries were made")

    with monkeypatch.context() as patch:
        patch.setattr(pipeline, "_drop_annotations_of_copies", fail)
        with pytest.raises(RuntimeError, match="stopped"):
            pipeline.import_paths([raw], content, progress=False)
    reports = content / "reports"
    assert not reports.exists() or not list(reports.iterdir())  # neither entries nor temporary files
    assert not check_content(content).problems

    summary = pipeline.import_paths([raw], content, progress=False)
    assert summary.written and all(w.new for w in summary.written)
    assert sorted(p.name for p in reports.iterdir()) == sorted(f"{w.path.split('/')[-1]}" for w in summary.written)
