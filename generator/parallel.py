"""Work spread over processes, where forking is safe."""

from __future__ import annotations

import multiprocessing
import threading
from multiprocessing.context import BaseContext


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
