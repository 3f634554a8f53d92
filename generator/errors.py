"""One family of errors; the CLI prints them without a traceback and exits 1."""

from __future__ import annotations

from dataclasses import dataclass

from generator.i18n import _, field_label


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
        if not self.field:
            return _("{where}: {problem}").format(where=where, problem=self.message)
        return _("{where}: {field}: {problem}").format(where=where, field=field_label(self.field), problem=self.message)


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


class UnreadableFile(SourceError):
    """One raw file cannot be imported: `file: reason`; the import skips it."""

    def __init__(self, file: object, reason: str):
        super().__init__(_("{file}: {problem}").format(file=file, problem=reason))
        self.file = str(file)
        self.reason = reason

    def __reduce__(self):  # it crosses from a worker process to the parent
        return (type(self), (self.file, self.reason))


class BuildError(ArchiveError):
    """The site could not be built; the previous site/ is untouched."""


class LockError(ArchiveError):
    """Another run holds the lock on the same folder."""
