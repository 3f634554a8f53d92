"""Readers turn one raw file into a SourceText: numbered blocks of text.

One module per input format. Every reader returns the same plain data, so the
cleaning, splitting, deduplication and metadata steps never see a format.
"""

from __future__ import annotations

import hashlib
import importlib
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import UnreadableFile
from generator.i18n import N_, _, system_reason
from generator.importer.layout import NO_LAYOUT, Layout

CANNOT_READ = N_("cannot be read ({error}); check the file's permissions")


@dataclass(frozen=True)
class Block:
    """One line of a text file, or one paragraph/table of a document.

    `line` is the 1-based position reported in provenance (`sources[].lines`):
    the line number for text, PDF and HTML; the block number for .docx.
    """

    line: int
    text: str
    # "heading-1".."heading-3" where the format says so; or a role its layout gives
    # (readers.docx_layout): "subtitle", "date-line", "signature", "attachment".
    style: str | None = None
    table: tuple[tuple[str, ...], ...] | None = None


@dataclass(frozen=True)
class SourceText:
    path: Path
    blocks: list[Block]
    sha256: str
    encoding: str | None = None
    # Metadata the format offers (title, author, created, modified): hints, never truths.
    hints: dict[str, str] = field(default_factory=dict)
    # Things the reader noticed (decoding replacements, dropped objects): go to the import log.
    warnings: list[str] = field(default_factory=list)
    # What the layout states outside the body (subtitle, signature, date), where the format has one.
    layout: Layout = NO_LAYOUT


# Suffix -> module in this package that defines `read(path: Path, data: bytes) -> SourceText`.
READERS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".doc": "doc",
}


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def supported(path: Path) -> bool:
    return path.suffix.lower() in READERS


def read_bytes(path: Path) -> bytes:
    """The raw file's bytes; SourceError names the file."""
    try:
        return path.read_bytes()
    except OSError as error:
        raise UnreadableFile(path, _(CANNOT_READ).format(error=system_reason(error))) from error


def read_source(path: Path, data: bytes | None = None) -> SourceText:
    """Read one raw file with the reader for its suffix (`data`: its bytes, where they were
    read already); SourceError names the file."""
    module_name = READERS.get(path.suffix.lower())
    if module_name is None:
        raise UnreadableFile(path, _("unsupported file type '{suffix}' (supported: {supported})").format(suffix=path.suffix, supported=", ".join(sorted(READERS))))
    if data is None:
        data = read_bytes(path)
    module = importlib.import_module(f"{__name__}.{module_name}")
    return module.read(path, data)
