"""Search documents of the last build, kept for the next one.

An update makes anew only the documents of reports whose entry, unit names or
keywords changed. For the others it also knows, without reading their texts
again, what the index compares: the text's fingerprint, its text file's payload
digest and its characters (state.DocFacts).

The documents are kept as plain tuples of the values they are made of, in a file
of the build state (state.BuildState.search_documents) that is read here, in the
search index's own process; a file that is missing, unreadable or from other code
counts as empty, so the worst it can do is make every document anew.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import astuple, fields, replace

from generator.fingerprint import joined_digest
from generator.model import Report
from generator.search.documents import SearchDoc, SearchUnit, make_document
from generator.search.index_state import DocFacts, document_facts
from generator.state import Stored, worth_saving
from generator.taxonomy import Taxonomy


class KnownDocuments:
    """Documents by what they are made of: the entry file's digest (`entry_digests`, by
    report id), the unit's names and the report's keywords."""

    def __init__(self, store: Stored | None, entry_digests: Mapping[str, str]) -> None:
        self.store = store
        self.entry_digests = entry_digests
        self._stored: dict | None = None  # key -> (document's values, *DocFacts values), once read
        self._keys: dict[str, str] = {}  # report id -> its document's key in this build
        self._facts: dict[str, DocFacts] = {}  # report id -> facts of its stored document
        self.made = 0  # documents made anew

    def stored(self) -> dict:
        """Read where the documents are made (the search index's own process), not before."""
        if self._stored is None:
            stored = self.store.load() if self.store else None
            self._stored = stored if isinstance(stored, dict) else {}
        return self._stored

    def document(self, report: Report, unit: int, tax: Taxonomy) -> SearchDoc:
        """The report's document: the stored one if nothing it is made of changed."""
        key = self._key(report, tax)
        record = self.stored().get(key) if key is not None else None
        if record is not None:
            try:
                doc, facts = SearchDoc(*record[0]), DocFacts(*record[1:])
            except TypeError:  # not a record of ours
                doc = None
            if doc is not None and doc.report_id == report.id:
                self._facts[report.id] = facts
                return doc if doc.unit == unit else replace(doc, unit=unit)
        self.made += 1
        return make_document(report, unit, tax)

    def _key(self, report: Report, tax: Taxonomy) -> str | None:
        entry = self.entry_digests.get(report.id)
        if entry is None:
            return None
        org = tax.unit_of(report)
        # The label is in the text file's payload; it changes with the other units of its name.
        names = (tax.unit_label(report), org.name, *org.aliases) if org is not None else ()
        key = joined_digest(entry, "\x01".join(names), "\x01".join(tax.keywords.get(report.id, ())))
        self._keys[report.id] = key
        return key

    def facts(self, docs: list[SearchDoc], units: list[SearchUnit]) -> list[DocFacts]:
        """DocFacts of every document, aligned with `docs`."""
        known = self._facts
        return [known.get(doc.report_id) or document_facts(doc, units[doc.unit]) for doc in docs]

    def save(self, docs: list[SearchDoc], facts: list[DocFacts]) -> None:
        """Keep this build's documents for the next, unless only a few were made anew."""
        if self.store is None or not worth_saving(bool(self.stored()), self.made):
            return
        stored = {
            self._keys[doc.report_id]: (_values(doc), *astuple(fact))
            for doc, fact in zip(docs, facts, strict=True)
            if doc.report_id in self._keys
        }
        self.store.save(stored)


_FIELDS = tuple(field.name for field in fields(SearchDoc))


def _values(doc: SearchDoc) -> tuple:
    return tuple(getattr(doc, name) for name in _FIELDS)
