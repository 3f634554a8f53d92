"""What a build keeps for the next (generator/state.py): each file with its key, read back only
for that key, and written again only when enough of it changed."""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest

from generator import links
from generator.config import load_config
from generator.content import load_archive
from generator.render.docs_folder import DocsFolder
from generator.state import FEW_CHANGES, MARSHAL, BuildState, FileResults, Stored, worth_saving
from generator.taxonomy import build_taxonomy
from site_fixtures import FIXTURE_CONTENT, write_config


def _inode(path) -> int:
    return os.stat(path).st_ino  # every write replaces the file: a new inode


@pytest.mark.parametrize("codec", [None, MARSHAL])
def test_a_stored_value_is_read_back_only_for_its_key(tmp_path, codec):
    path = tmp_path / "cache" / "value"
    stored = Stored(path, "key-1", codec) if codec else Stored(path, "key-1")
    assert stored.load() is None  # nothing yet
    stored.save({"r-1": ["a", 1]})
    assert stored.load() == {"r-1": ["a", 1]}
    assert Stored(path, "key-2", stored.codec).load() is None
    path.write_bytes(b"\x00 not ours")
    assert stored.load() is None
    stored.forget()
    assert not path.exists()
    stored.forget()  # forgetting twice is no error


def test_a_cache_is_written_again_only_when_it_is_new_or_many_changed():
    assert worth_saving(False, 0)
    assert not worth_saving(True, 0)
    assert not worth_saving(True, FEW_CHANGES)
    assert worth_saving(True, FEW_CHANGES + 1)


def test_file_results_hold_only_while_their_file_is_untouched(tmp_path):
    entry = tmp_path / "r-1.yml"
    entry.write_text("id: r-1\n", encoding="utf-8")
    results = FileResults(tmp_path / "packs")
    found, stat = results.find(entry)
    assert found is None
    results.put(entry.name, stat, {"id": "r-1"})
    results.save()
    again = FileResults(tmp_path / "packs")
    assert again.find(entry)[0] == {"id": "r-1"}
    entry.write_text("id: r-1\ntitle: 新标题\n", encoding="utf-8")
    assert again.find(entry)[0] is None
    again.keep_only(set())
    again.save()
    assert FileResults(tmp_path / "packs").get(entry.name, os.stat(entry)) is None


def test_entries_of_other_code_are_removed(tmp_path):
    old = tmp_path / "cache" / "entries-0123"
    old.mkdir(parents=True)
    (old / "0.marshal").write_bytes(b"")
    results = BuildState(tmp_path).entries()
    assert not old.exists()
    assert results.folder.name.startswith("entries-") and results.folder.parent == tmp_path / "cache"


def test_the_site_state_describes_only_the_site_it_was_written_for(tmp_path):
    state = BuildState(tmp_path / ".build" / "site")
    site = tmp_path / "site"
    site.mkdir()
    assert not state.reusable_site(site, "f1")
    state.work.mkdir(parents=True)
    state.remember_site(site, "f1")
    assert state.reusable_site(site, "f1")
    assert not state.reusable_site(site, "f2")  # something every page depends on changed
    other = tmp_path / "other"
    other.mkdir()
    assert not state.reusable_site(other, "f1")  # another folder took its place
    state.forget_site()
    assert not state.reusable_site(site, "f1")


def _kept_taxonomy(state: BuildState, reports, organizations, related: int = 3):
    """build_taxonomy as the build's taxonomy phase runs it."""
    kept = state.taxonomy(related)
    tax = build_taxonomy(reports, organizations, latest=5, related_count=related, kept=kept)
    state.keep_taxonomy(kept)
    return tax, kept


def test_the_taxonomy_files_are_written_again_only_when_they_changed(tmp_path):
    archive = load_archive(FIXTURE_CONTENT)
    state = BuildState(tmp_path)
    first, kept = _kept_taxonomy(state, archive.reports, archive.organizations)
    files = {name: state.cache / f"{name}.pickle" for name in (state.PINYIN, state.TERMS, state.RELATED)}
    assert all(path.is_file() for path in files.values())
    assert kept.texts_counted == len(archive.reports)
    written = {name: _inode(path) for name, path in files.items()}

    # Nothing changed: every value comes from the files, none is written again.
    again, kept = _kept_taxonomy(state, archive.reports, archive.organizations)
    assert kept.texts_counted == 0
    assert {name: _inode(path) for name, path in files.items()} == written
    assert again.links == first.links and again.keywords == first.keywords

    # One text edited: counted again, but the term counts are not worth writing for one text;
    # the related reports' vectors changed, so they are.
    edited = archive.reports[0].model_copy(update={"lead": [*archive.reports[0].lead, "职工书屋锅炉房劳动竞赛。"]})
    _, kept = _kept_taxonomy(state, [edited, *archive.reports[1:]], archive.organizations)
    assert kept.texts_counted == 1
    assert _inode(files[state.TERMS]) == written[state.TERMS]
    assert _inode(files[state.PINYIN]) == written[state.PINYIN]
    assert _inode(files[state.RELATED]) != written[state.RELATED]

    # A report removed: the document counts are of another number of reports, written again.
    _kept_taxonomy(state, archive.reports[1:], archive.organizations)
    assert _inode(files[state.TERMS]) != written[state.TERMS]


def test_related_reports_are_kept_for_the_count_they_were_made_for(tmp_path):
    archive = load_archive(FIXTURE_CONTENT)
    state = BuildState(tmp_path)
    _kept_taxonomy(state, archive.reports, archive.organizations, related=3)
    assert state.taxonomy(3).related is not None
    assert state.taxonomy(2).related is None


def test_keep_taxonomy_needs_what_taxonomy_loaded(tmp_path):
    with pytest.raises(ValueError):
        BuildState(tmp_path).keep_taxonomy(SimpleNamespace())


def test_the_docs_folder_makes_again_only_the_files_whose_inputs_changed(tmp_path):
    config = load_config(write_config(tmp_path))
    archive = load_archive(FIXTURE_CONTENT)
    tax = build_taxonomy(archive.reports, archive.organizations, latest=5, related_count=3)
    state = BuildState(tmp_path / ".build")

    def render_and_write() -> DocsFolder:
        docs = DocsFolder(state, config, archive)
        docs.write(docs.render(tax, FIXTURE_CONTENT))
        return docs

    first = render_and_write()
    assert first.rendered > len(archive.reports)
    assert render_and_write().rendered == 0
    # A file touched by someone else is no longer what its fingerprint describes: made again.
    page = state.docs / links.report_page(archive.reports[0].id)
    page.write_text(page.read_text(encoding="utf-8") + " ", encoding="utf-8")
    assert render_and_write().rendered == 1
    # Without the fingerprints (a build that failed while writing), every file is made again.
    state.pages("").path.unlink()
    assert render_and_write().rendered == first.rendered
