"""Sessions: tests, tests_slow, lint, update_goldens, build, serve, bench."""

from __future__ import annotations

import os
import shutil

import nox

nox.options.sessions = ["lint", "tests"]
nox.options.reuse_existing_virtualenvs = True
nox.options.default_venv_backend = "venv"

CHROMIUM = "/usr/bin/chromium"


def install(session: nox.Session, extras: str = "") -> None:
    session.install("-e", f".{extras}")


def ensure_chromium(session: nox.Session) -> None:
    """Browser tests drive Debian's chromium; install it where it is missing."""
    if shutil.which("chromium") or os.path.exists(CHROMIUM):
        return
    if os.geteuid() != 0:
        session.error("Debian's chromium is needed for the browser tests: run 'sudo apt-get install -y chromium'")
    session.run("apt-get", "update", "-qq", external=True)
    session.run("apt-get", "install", "-y", "-qq", "chromium", external=True)


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite without the slow suites."""
    install(session, "[test]")
    ensure_chromium(session)
    session.run("pytest", "-m", "not slow", *session.posargs)


@nox.session
def tests_slow(session: nox.Session) -> None:
    """Only the suites marked slow (large inputs, long browser walks)."""
    install(session, "[test]")
    ensure_chromium(session)
    session.run("pytest", "-m", "slow", *session.posargs, success_codes=[0, 5])


@nox.session
def lint(session: nox.Session) -> None:
    session.install("ruff>=0.5")
    session.run("ruff", "check", "generator", "tests", "noxfile.py")


@nox.session
def update_goldens(session: nox.Session) -> None:
    """Regenerate golden files; read the diff before committing it."""
    install(session, "[test]")
    session.run("pytest", "-k", "golden", env={"UPDATE_GOLDENS": "1"})


@nox.session
def build(session: nox.Session) -> None:
    """Build the default archive into site/."""
    install(session)
    session.run("report-archive", "check")
    session.run("report-archive", "build", *session.posargs)


@nox.session
def serve(session: nox.Session) -> None:
    install(session)
    session.run("report-archive", "serve", *session.posargs)
