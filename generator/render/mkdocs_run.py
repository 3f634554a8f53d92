"""MkDocs, run on the generated docs folder: into an empty folder, or updating a linked copy.

Its warnings are collected for our error report instead of printed; MkDocs runs in strict
mode, so that any warning fails the build.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from generator.errors import BuildError, Problem
from generator.i18n import _


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.problems: list[Problem] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.problems.append(Problem("mkdocs", record.name, record.getMessage(), severity="error"))


def _not_the_dirty_warning(record: logging.LogRecord) -> bool:
    """Drops the one warning MkDocs' build() logs itself: that a dirty build's navigation may
    go stale. An update only runs when nothing shared by all pages changed
    (state.site_fingerprint), and strict mode would fail on it."""
    return not (record.funcName == "build" and record.levelno == logging.WARNING)


@contextlib.contextmanager
def _mkdocs_logging() -> Iterator[_Collect]:
    """Collect MkDocs' warnings for our error report instead of printing them."""
    logger = logging.getLogger("mkdocs")
    handler, propagate, level = _Collect(), logger.propagate, logger.level
    logger.addHandler(handler)
    logger.propagate, logger.level = False, logging.INFO
    build_logger = logging.getLogger("mkdocs.commands.build")
    build_logger.addFilter(_not_the_dirty_warning)
    try:
        yield handler
    finally:
        build_logger.removeFilter(_not_the_dirty_warning)
        logger.removeHandler(handler)
        logger.propagate, logger.level = propagate, level


@contextlib.contextmanager
def _environment(name: str, value: str) -> Iterator[None]:
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


def run_mkdocs(config_file: Path, site_dir: Path, epoch: int, update: bool = False) -> None:
    """MkDocs into `site_dir`: empty for a full build; for an update, a linked copy of the
    published site, of which MkDocs' dirty mode writes only the pages whose source changed."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config as load_mkdocs_config
    from mkdocs.exceptions import MkDocsException

    with _mkdocs_logging() as collected, _environment("SOURCE_DATE_EPOCH", str(epoch)):
        try:
            build(
                load_mkdocs_config(
                    config_file=str(config_file), strict=True, site_dir=str(site_dir.resolve())
                ),
                dirty=update,
            )
        except (MkDocsException, SystemExit) as error:
            raise BuildError(_("MkDocs failed: {problem}").format(problem=error), collected.problems) from None
        except Exception as error:  # a theme template or plugin crashed: still a failed build
            raise BuildError(
                _("MkDocs failed: {problem}").format(problem=f"{type(error).__name__}: {error}"), collected.problems
            ) from error
    if collected.problems:  # strict mode should have stopped already; never publish with warnings
        raise BuildError(_("MkDocs reported warnings; fix what they name (the template or page) and build again"), collected.problems)
