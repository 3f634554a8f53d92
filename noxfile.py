"""Sessions: tests, tests_slow, lint, update_goldens, messages, build, serve, bench, bench_tests, lock.

Every session installs the versions constraints.txt names; `nox -s lock` alone takes the newest.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nox

nox.options.sessions = ["lint", "tests"]
nox.options.reuse_existing_virtualenvs = True
nox.options.default_venv_backend = "venv"

LOCK = Path(__file__).parent / "constraints.txt"


def install(session: nox.Session, *packages: str, extras: str = "") -> None:
    """The project (and `packages`) at the locked versions."""
    session.install("-c", str(LOCK), "-e", f".{extras}", *packages)


def ensure_apt(session: nox.Session, package: str, binary: str, why: str) -> None:
    """Install a Debian package where its binary is missing (as root; otherwise say how)."""
    if shutil.which(binary) or os.path.exists(f"/usr/bin/{binary}"):
        return
    if os.geteuid() != 0:
        session.error(f"Debian's {package} is needed {why}: run 'sudo apt-get install -y {package}'")
    session.run("apt-get", "update", "-qq", external=True)
    session.run("apt-get", "install", "-y", "-qq", package, external=True)


def ensure_chromium(session: nox.Session) -> None:
    """Browser tests drive Debian's chromium."""
    ensure_apt(session, "chromium", "chromium", "for the browser tests")


def ensure_node(session: nox.Session) -> None:
    """The site's search engine is tested under Node (tests/test_search_engine.py runs node --test)."""
    ensure_apt(session, "nodejs", "node", "for the search engine's tests")


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite without the slow suites."""
    install(session, extras="[test]")
    ensure_chromium(session)
    ensure_node(session)
    session.run("pytest", "-m", "not slow", *session.posargs)


@nox.session
def tests_slow(session: nox.Session) -> None:
    """Only the suites marked slow (large inputs); selecting no test at all fails (exit 5)."""
    install(session, extras="[test]")
    ensure_chromium(session)
    session.run("pytest", "-m", "slow", *session.posargs)


@nox.session(reuse_venv=False)
def lock(session: nox.Session) -> None:
    """The newest versions the project admits: run the tests on them, and only if they pass
    write them to constraints.txt (read `git diff constraints.txt` before committing it)."""
    session.install("-e", ".[test]", "nox", "pagefind[extended]")
    ensure_chromium(session)
    ensure_node(session)
    session.run("pytest", "-m", "not slow", *session.posargs)
    frozen = session.run("python", "-m", "pip", "freeze", "--exclude-editable", silent=True)
    pins = sorted(line for line in frozen.splitlines() if "==" in line)
    LOCK.write_text(
        "# The versions the tests pass with; `nox -s lock` moves them to the newest.\n"
        + "\n".join(pins) + "\n",
        encoding="utf-8",
    )
    session.log(f"wrote {len(pins)} pins to {LOCK.name}")


@nox.session
def lint(session: nox.Session) -> None:
    session.install("-c", str(LOCK), "ruff")
    session.run("ruff", "check", "generator", "tests", "benchmarks", "noxfile.py")


@nox.session
def update_goldens(session: nox.Session) -> None:
    """Regenerate golden files; read the diff before committing it."""
    install(session, extras="[test]")
    session.run("pytest", "-k", "golden", env={"UPDATE_GOLDENS": "1"})


@nox.session
def messages(session: nox.Session) -> None:
    """The message catalogue: extract the code's messages, update the Chinese .po (new ones
    untranslated, gone ones dropped) and compile the .mo; then translate what it lists."""
    install(session, extras="[test]")
    session.run("python", "-m", "generator.catalogue")


@nox.session
def build(session: nox.Session) -> None:
    """Build the default archive into site/."""
    install(session)
    session.run("report-archive", "check")
    session.run("report-archive", "build", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """The benchmark of issue 5: ours beside MkDocs + Material, Hugo and Pagefind.

    nox -s bench                                     # 1,000 and 10,000 reports (many minutes)
    nox -s bench -- --reports 10000 30000 100000     # how each stage grows (hours)
    nox -s bench -- --reports 300 --repeat 3 --skip-mkdocs
    """
    install(session, "pagefind[extended]", extras="[test]")
    ensure_chromium(session)
    ensure_apt(session, "hugo", "hugo", "for the Hugo baseline")
    session.run("python", "-m", "benchmarks", *(session.posargs or ["--reports", "1000", "10000"]))


@nox.session
def bench_tests(session: nox.Session) -> None:
    """The benchmark's own tests: it runs end to end at a tiny size (figures are not judged)."""
    install(session, "pagefind[extended]", extras="[test]")
    ensure_chromium(session)
    session.run("pytest", "benchmarks", *session.posargs)


@nox.session
def serve(session: nox.Session) -> None:
    install(session)
    session.run("report-archive", "serve", *session.posargs)
