"""Plain text in UTF-8 (with or without BOM), UTF-16, GB18030/GBK or Big5."""

from __future__ import annotations

import codecs
from pathlib import Path

from charset_normalizer import from_bytes

from generator.errors import SourceError
from generator.importer.readers import Block, SourceText, sha256_of

# Bytes that never occur in text: a file with many of them is binary.
_CONTROL = set(range(0, 9)) | {11, 12} | set(range(14, 32)) - {27}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Chinese encodings tried in order before asking the detector; GB18030 is a superset of GBK.
_FALLBACKS = ("gb18030", "big5")


def read(path: Path, data: bytes) -> SourceText:
    if not data.strip():
        raise SourceError(f"{path}: the file is empty; nothing to import")
    text, encoding, warnings = decode(path, data)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks = [Block(line=number, text=line) for number, line in enumerate(lines, 1)]
    return SourceText(path=path, blocks=blocks, sha256=sha256_of(data), encoding=encoding, warnings=warnings)


def decode(path: Path, data: bytes) -> tuple[str, str, list[str]]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strip_nul(data.decode(encoding, errors="replace"), encoding)
    if _looks_binary(data):
        raise SourceError(f"{path}: this is not a text file (binary content); export the report as .txt, .docx, .html or .pdf")
    return _strip_nul(*decode_unlabelled(data))


def decode_unlabelled(data: bytes) -> tuple[str, str, list[str]]:
    """Bytes with no BOM or declared charset: UTF-8, else the likelier Chinese codec."""
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=list(_FALLBACKS)).best()
    if best is not None:
        return str(best), best.encoding, []
    text = data.decode("gb18030", errors="replace")
    return text, "gb18030", ["undecodable bytes replaced with U+FFFD (decoded as GB18030)"]


def _looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    controls = sum(1 for byte in sample if byte in _CONTROL)
    return controls > max(8, len(sample) // 50)


def _strip_nul(text: str, encoding: str, warnings: list[str] | None = None) -> tuple[str, str, list[str]]:
    warnings = list(warnings or [])
    if "\x00" in text:
        warnings.append(f"{text.count(chr(0))} NUL characters removed")
    return text.replace("\x00", ""), encoding, warnings
