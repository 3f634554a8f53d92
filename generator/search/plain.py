"""The plain answer to a search: the reports whose folded text contains every term.

It is what the index must answer (search/golden.py proves every build's index
against it), and how `report-archive search` answers before there is an index.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from itertools import accumulate, chain
from pathlib import Path

from generator.content import load_archive
from generator.search.documents import search_text
from generator.search.fold import BREAK, fold, fold_many
from generator.search.query import occurrences

# The sample of queries drawn from the reports' own text, checked at every build.
SAMPLE_REPORTS = 3
SAMPLE_LENGTHS = (1, 2, 4, 7)  # one document list, two, a chain of 3-grams, a longer chain


class PlainSearch:
    """Reports (by id) and their displayed texts, searched by substring."""

    def __init__(self, ids: list[str], texts: list[str], titles: list[str] | None = None) -> None:
        self.ids = ids
        self.titles = dict(zip(ids, titles, strict=True)) if titles is not None else {}
        # One string holding every folded text, each ended by NUL (never in a displayed text):
        # one scan of it finds a term in all reports, several times quicker than text by text.
        self._joined = "\0".join(fold_many(texts)) + "\0"
        self._starts = list(accumulate((len(text) + 1 for text in texts), initial=0))
        self._numbers = {report_id: number for number, report_id in enumerate(ids)}

    @classmethod
    def of(cls, reports, organizations) -> PlainSearch:
        """`reports` with the texts the index is made from (their units' names included)."""
        units = {org.id: org for org in organizations}
        texts = [search_text(r, units.get(r.unit) if r.unit else None) for r in reports]
        return cls([r.id for r in reports], texts, [r.title for r in reports])

    def search(self, query: str) -> dict[str, int]:
        """Report id -> matches (overlapping occurrences of every term, added up, as the index
        counts them), for the reports holding every term."""
        terms = terms_of(query)
        return {
            self.ids[number]: sum(occurrences(self._text(number), term) for term in terms)
            for number in sorted(self._holding(terms))
        }

    def report_ids(self, query: str) -> set[str]:
        return {self.ids[number] for number in self._holding(terms_of(query))}

    def text_of(self, report_id: str) -> str | None:
        """The report's folded text."""
        number = self._numbers.get(report_id)
        return None if number is None else self._text(number)

    def _text(self, number: int) -> str:
        return self._joined[self._starts[number] : self._starts[number + 1] - 1]

    def _holding(self, terms: list[str]) -> set[int]:
        """The reports whose text holds every term."""
        found: set[int] | None = None
        for term in terms:
            holding = self._holding_term(term)
            found = holding if found is None else found & holding
            if not found:
                return set()
        return found or set()

    def _holding_term(self, term: str) -> set[int]:
        found: set[int] = set()
        if "\0" in term:
            return found
        at = self._joined.find(term)
        while at >= 0:
            number = bisect_right(self._starts, at) - 1
            found.add(number)
            at = self._joined.find(term, self._starts[number + 1])  # on to the next report
        return found

    def sample_queries(self) -> list[str]:
        """Queries drawn from the texts of a few reports, chosen by their ids: the same
        archive always gives the same sample, and any archive gives one."""
        chosen = sorted(range(len(self.ids)), key=lambda n: _seed(self.ids[n]))[:SAMPLE_REPORTS]
        queries: list[str] = []
        for number in chosen:
            seed, text = _seed(self.ids[number]), self._text(number)
            queries += [w for length in SAMPLE_LENGTHS if (w := _window(text, length, seed + length))]
        # Two terms from two reports: a query most reports answer only in part.
        pairs = zip(queries[1 :: len(SAMPLE_LENGTHS)], queries[len(SAMPLE_LENGTHS) + 2 :: len(SAMPLE_LENGTHS)])
        queries += [f"{a} {b}" for a, b in pairs]
        return list(dict.fromkeys(queries))


def entries_search(content: Path) -> PlainSearch:
    """The entries under `content`, searched as the index would search them once built."""
    archive = load_archive(content)
    return PlainSearch.of(archive.reports, archive.organizations)


def terms_of(query: str) -> list[str]:
    return fold(query).split()


def _seed(report_id: str) -> int:
    return int.from_bytes(hashlib.sha256(report_id.encode("utf-8")).digest()[:8], "big")


def _window(text: str, length: int, seed: int) -> str | None:
    """`length` characters of `text` holding no break or space, from a place set by `seed`."""
    if len(text) < length:
        return None
    start = seed % (len(text) - length + 1)
    for at in chain(range(start, len(text) - length + 1), range(start)):
        window = text[at : at + length]
        if not any(char == BREAK or char.isspace() for char in window):
            return window
    return None
