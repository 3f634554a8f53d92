"""One family of errors; the CLI prints them without a traceback and exits 1."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file, as `file:line: field: message`."""

    file: str
    field: str
    message: str
    line: int | None = None
    severity: str = "error"  # error | warning

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class ArchiveError(Exception):
    """Base of every error the tool reports to its user."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems = problems or []


class ConfigError(ArchiveError):
    """site_config.yml is missing or invalid."""


class EntryError(ArchiveError):
    """One or more entries under content/ are invalid."""


class SourceError(ArchiveError):
    """A raw input cannot be imported."""


class BuildError(ArchiveError):
    """The site could not be built; the previous site/ is untouched."""


class LockError(ArchiveError):
    """Another run holds the lock on the same folder."""
