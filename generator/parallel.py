"""Work spread over processes, where forking is safe."""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from itertools import islice
from multiprocessing.context import BaseContext

from generator.errors import BuildError
from generator.i18n import _


def fork_context() -> BaseContext | None:
    """The fork start method, or None where it is missing or unsafe.

    A forked child starts with the parent's data and no pickling, but only with the
    thread that forked: a lock another thread held (the live preview's server runs
    builds on its own thread) would stay held in the child forever. So a process
    that runs other threads does the work itself.
    """
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        return None
    return multiprocessing.get_context("fork")


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off: while a build loads its entries (plain data, no cycles),
    it would only scan the growing heap again and again."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def heap_frozen(frozen: bool = True) -> Iterator[None]:
    """Within, when `frozen`: the objects that exist now are left out of the collector's scans.
    Around starting a forked child, this keeps its collector from touching (and so copying)
    every page the two processes share. Objects frozen before stay frozen."""
    if not frozen:
        yield
        return
    frozen_before = gc.get_freeze_count()
    gc.freeze()
    try:
        yield
    finally:
        if not frozen_before:
            gc.unfreeze()


def release_memory() -> None:
    """Give freed memory back to the system before forking: a child inherits the parent's
    heap, freed parts included, and counts it as its own once the parent reuses them."""
    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)  # glibc; elsewhere there is nothing to do
    except (OSError, AttributeError):
        pass


@contextmanager
def worker_pool(tasks: int, minimum: int, prepare: Callable[[], object] | None = None) -> Iterator[ProcessPoolExecutor | None]:
    """A process per core for `tasks` independent pieces of work, or None: do them in-line.

    In-line below `minimum` tasks (starting processes costs more than it saves), on one
    core, and where forking is unsafe. `prepare` runs first, so that the workers inherit
    what it loads (and share its memory). The workers are forked at once, before the caller
    opens files or starts threads: a worker holds every file its parent had open then.
    """
    workers = os.cpu_count() or 1
    context = fork_context() if tasks >= minimum and workers > 1 else None
    if context is None:
        yield None
        return
    if prepare is not None:
        prepare()
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_leave_with, initargs=(os.getpid(),))
    try:
        pool.submit(int)  # with fork, the first task starts every worker
        yield pool
    finally:
        # On an error, the work still queued is dropped rather than done first.
        pool.shutdown(cancel_futures=True)


# Chunks handed out per worker ahead of the caller: enough to keep the workers busy.
AHEAD = 4


def mapped(pool: Executor | None, function: Callable, items: Iterable, chunksize: int = 1) -> Iterator:
    """function(item) for each item, in order: by the pool's workers, or in-line without one.

    The workers keep only a few chunks ahead of the caller (unlike Executor.map, which
    hands out every item at once): results wait in memory until the caller takes them.
    """
    if pool is None:
        return map(function, items)
    return _ahead(pool, function, items, chunksize)


def _ahead(pool: Executor, function: Callable, items: Iterable, chunksize: int) -> Iterator:
    rest = iter(items)
    chunks = iter(lambda: list(islice(rest, chunksize)), [])
    pending = deque(pool.submit(_each, function, chunk) for chunk in islice(chunks, AHEAD * (os.cpu_count() or 1)))
    while pending:
        results = pending.popleft().result()
        for chunk in islice(chunks, 1):
            pending.append(pool.submit(_each, function, chunk))
        yield from results


def _each(function: Callable, chunk: list) -> list:
    return [function(item) for item in chunk]


def _leave_with(parent: int) -> None:
    """A worker whose parent was killed would wait for work forever: it leaves too."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


# How much lower the priority of work with slack is: on two cores, an update's main process,
# its search index and its copy of the site would otherwise share them evenly.
YIELDING_NICENESS = 10


def yield_priority() -> None:
    """This process gives way to the build's critical path where the cores are contended."""
    try:
        os.nice(YIELDING_NICENESS)
    except (AttributeError, OSError):  # no priorities here: it runs as it is
        pass


def _yielding(function: Callable, *args) -> None:
    yield_priority()
    function(*args)


class BackgroundCall:
    """function(*args), started now in a forked process while the caller goes on; `wait()`
    returns once it is done and raises BuildError if it failed. Where forking is unsafe, the
    call is made in-line by `wait()`. `yielding`: the process runs at a lower priority (work
    with slack, waited for long after it is started)."""

    def __init__(self, function: Callable, *args, yielding: bool = False) -> None:
        self._call = (function, args)
        self._process = None
        context = fork_context()
        if context is not None:
            target, args = (_yielding, (function, *args)) if yielding else (function, args)
            self._process = context.Process(target=target, args=args, daemon=True)
            with heap_frozen():
                self._process.start()

    def wait(self) -> None:
        if self._process is None:
            function, args = self._call
            function(*args)
            return
        self._process.join()
        if self._process.exitcode != 0:
            raise BuildError(
                _("{stage} failed in its process (exit code {code}); run the build again with --debug").format(
                    stage=self._call[0].__name__, code=self._process.exitcode
                )
            )

    def cancel(self) -> None:
        if self._process is not None and self._process.is_alive():
            self._process.kill()
        if self._process is not None:
            self._process.join()
