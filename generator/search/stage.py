"""The search stage of the build: index, golden queries, files.

It needs only the taxonomy, so it runs beside the pages and MkDocs: in a forked
process where forking is safe (generator/parallel.py; the child starts with the
parent's data and sends back only a small outcome), else in line when the build
waits for it. Given the published index, it updates it when few reports changed
(search/delta.py), else builds it in full.
"""

from __future__ import annotations

import logging
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from generator import writer
from generator.errors import ArchiveError, BuildError
from generator.i18n import _
from generator.parallel import fork_context, heap_frozen, release_memory, yield_priority
from generator.search.delta import plan_update, write_update
from generator.search.documents import SearchDoc, SearchUnit, search_documents
from generator.search.golden import GoldenOutcome, check_golden
from generator.search.index import FolderFiles, FolderSink, write_index
from generator.search.index_state import DocFacts
from generator.search.known import KnownDocuments
from generator.search.plain import PlainSearch
from generator.search.query import SearchIndex
from generator.taxonomy import Taxonomy

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SearchOutcome:
    folder: Path  # the index files, to be moved into the site
    files: int
    golden: GoldenOutcome
    seconds: dict[str, float] = field(default_factory=dict)
    incremental: bool = False  # the previous index's shards were reused, changes in a delta
    delta_docs: int = 0  # documents in the delta, matched by their texts


def build_search(
    tax: Taxonomy,
    content_dir: Path,
    folder: Path,
    previous: Path | None = None,
    known: KnownDocuments | None = None,
) -> SearchOutcome:
    """The index in the new `folder`; `previous`, the published site's index, is only read;
    `known`, the last build's documents."""
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    writer.remove(folder)  # what a failed build may have left
    known = known or KnownDocuments(None, {})
    docs, units = search_documents(tax, known.document)
    facts = known.facts(docs, units)
    files, delta_docs = _write(docs, units, facts, folder, previous)
    known.save(docs, facts)
    seconds["search_index"] = time.perf_counter() - started
    started = time.perf_counter()
    plain = PlainSearch([doc.report_id for doc in docs], [doc.text for doc in docs])
    golden = check_golden(SearchIndex(FolderFiles(folder)), content_dir, plain)
    seconds["golden_queries"] = time.perf_counter() - started
    return SearchOutcome(
        folder=folder,
        files=files,
        golden=golden,
        seconds=seconds,
        incremental=delta_docs is not None,
        delta_docs=delta_docs or 0,
    )


def _write(
    docs: list[SearchDoc], units: list[SearchUnit], facts: list[DocFacts], folder: Path, previous: Path | None
) -> tuple[int, int | None]:
    """(files written, documents in the delta or None for a full index)."""
    if previous is not None:
        try:
            plan = plan_update(docs, units, Path(previous), facts)
            if plan is not None:
                sink = FolderSink(folder)
                write_update(docs, units, plan, sink, facts)
                return sink.count, len(plan.changed)
            log.debug("search index: the previous one cannot be updated; building it in full")
        except Exception:  # noqa: BLE001 - an odd previous index never fails the build
            log.debug("search index: the previous one is unusable; building it in full", exc_info=True)
            writer.remove(folder)
    sink = FolderSink(folder)
    write_index(docs, units, sink, facts)
    return sink.count, None


class SearchJob:
    """build_search, started now and collected with `result()`."""

    def __init__(
        self,
        tax: Taxonomy,
        content_dir: Path,
        folder: Path,
        previous: Path | None = None,
        known: KnownDocuments | None = None,
        yielding: bool = False,
    ) -> None:
        """`yielding`: the process runs at a lower priority (parallel.yield_priority), where
        it has slack: an update's index takes a fraction of the pages' and MkDocs' time."""
        self._args = (tax, content_dir, folder, previous, known)
        self._process = None
        context = fork_context()
        if context is not None:
            self._receive, send = context.Pipe(duplex=False)
            self._process = context.Process(target=_child, args=(send, yielding, *self._args), daemon=True)
            release_memory()
            with heap_frozen():
                self._process.start()
            send.close()
            self._args = None  # the child has its own copy; the parent may free its own

    def result(self) -> SearchOutcome:
        if self._process is None:
            return build_search(*self._args)
        try:
            kind, *payload = self._receive.recv()
        except EOFError:
            kind, payload = "crash", [_("the search process ended with exit code {code}").format(code=self._process.exitcode)]
        finally:
            self._process.join()
            self._receive.close()
        if kind == "ok":
            return payload[0]
        if kind == "archive-error":
            error_class, message, problems = payload
            raise error_class(message, problems)
        raise BuildError(_("building the search index failed: {problem}; run the build again with --debug").format(problem=payload[0]))

    def cancel(self) -> None:
        if self._process is not None and self._process.is_alive():
            self._process.kill()
            self._process.join()


def _child(send, yielding: bool, *args) -> None:
    if yielding:
        yield_priority()
    try:
        send.send(("ok", build_search(*args)))
    except ArchiveError as error:
        send.send(("archive-error", type(error), str(error), error.problems))
    except BaseException as error:  # noqa: BLE001 - reported to the parent, which fails the build
        send.send(("crash", f"{type(error).__name__}: {error}\n{traceback.format_exc()}"))
    finally:
        send.close()
