"""Plain text in UTF-8 (with or without BOM), UTF-16, GB18030/GBK or Big5.

Text without a BOM is decoded line by line: a line that is valid UTF-8 is read
as UTF-8, any other line with the file's legacy Chinese codec (GB18030 or Big5,
whichever fits those lines). A file pasted together from two sources (mixed
encodings) thus keeps both parts readable, and a damaged byte costs one
character instead of turning the whole file into mojibake.

Large files are read in windows of whole lines (`TextWindows`), so memory stays
bounded whatever the size of the file.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

from charset_normalizer import from_bytes

from generator.errors import UnreadableFile
from generator.i18n import N_, _, system_reason
from generator.importer.readers import CANNOT_READ, Block, SourceText, sha256_of

# Bytes that never occur in text: a file with many of them is binary.
_CONTROL = set(range(0, 9)) | {11, 12} | set(range(14, 32)) - {27}
_CONTROL_BYTES = bytes(sorted(_CONTROL))
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Chinese encodings tried in order before asking the detector; GB18030 is a superset of GBK.
_FALLBACKS = ("gb18030", "big5")
# CR, LF and CRLF end a line; none of them can be part of a multi-byte character
# in UTF-8, GB18030 or Big5, so bytes can be cut into lines before decoding.
_LINE_BREAK = re.compile(rb"\r\n|\r|\n")
_LEGACY_SAMPLE = 64 * 1024

# Text files from this size on are read in windows of about WINDOW_BYTES.
LARGE_FILE = 8 * 1024 * 1024
WINDOW_BYTES = 2 * 1024 * 1024
# A longer line is not a report's paragraph (a database dump, a minified page ...).
MAX_LINE_BYTES = 16 * 1024 * 1024

EMPTY = N_("the file is empty; nothing to import (check that you picked the right file)")
BINARY = N_("this is not a text file (binary content); export the report as .txt, .docx, .html or .pdf")


def read(path: Path, data: bytes) -> SourceText:
    if not data.strip():
        raise UnreadableFile(path, _(EMPTY))
    text, encoding, warnings = decode(path, data)
    return SourceText(path=path, blocks=_blocks(text, 1), sha256=sha256_of(data), encoding=encoding, warnings=warnings)


# A Markdown heading line: "#### 引言".
_MARKDOWN_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(\S.*?)\s*#*\s*$")


def _blocks(text: str, first_line: int) -> list[Block]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [_block(number, line) for number, line in enumerate(lines, first_line)]


def _block(number: int, line: str) -> Block:
    """One line; a Markdown heading keeps its level as the block's style."""
    if "#" in line[:4]:
        match = _MARKDOWN_HEADING.match(line)
        if match:
            level = min(len(match.group(1)), 3)
            return Block(line=number, text=match.group(2), style=f"heading-{level}")
    return Block(line=number, text=line)


def decode(path: Path, data: bytes) -> tuple[str, str, list[str]]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strip_nul(*_decode_bom(data, encoding))
    if _looks_binary(data):
        raise UnreadableFile(path, _(BINARY))
    return _strip_nul(*decode_unlabelled(data))


def _decode_bom(data: bytes, encoding: str) -> tuple[str, str, list[str]]:
    try:
        return data.decode(encoding), encoding, []
    except UnicodeDecodeError:
        text = data.decode(encoding, errors="replace")
        return text, encoding, [f"undecodable bytes replaced with U+FFFD (decoded as {encoding})"]


def decode_unlabelled(data: bytes) -> tuple[str, str, list[str]]:
    """Bytes with no BOM or declared charset: UTF-8, else the likelier Chinese codec, line by line."""
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    decoder = LineDecoder()
    text = "\n".join(decoder.lines(data, 1))
    return text, decoder.encoding, decoder.warnings()


class LineDecoder:
    """Decodes unlabelled bytes line by line and remembers what it had to do."""

    def __init__(self) -> None:
        self.legacy: str | None = None
        self.utf8_lines = 0  # lines with non-ASCII text that are valid UTF-8
        self.legacy_lines: list[int] = []
        self.damaged_lines: list[int] = []

    def lines(self, data: bytes, first_line: int) -> list[str]:
        raw = _LINE_BREAK.split(data)
        out: list[str | None] = []
        bad: list[int] = []
        for index, chunk in enumerate(raw):
            try:
                out.append(chunk.decode("utf-8"))
                self.utf8_lines += not chunk.isascii()
            except UnicodeDecodeError:
                out.append(None)
                bad.append(index)
        if bad and self.legacy is None:
            self.legacy = _legacy_codec([raw[i] for i in bad])
        for index in bad:
            try:
                out[index] = raw[index].decode(self.legacy)
                self.legacy_lines.append(first_line + index)
            except UnicodeDecodeError:
                # Neither reads it: replace the bad bytes, reading the rest as the file mostly is.
                codec = "utf-8" if self.utf8_lines >= len(self.legacy_lines) else self.legacy
                out[index] = raw[index].decode(codec, errors="replace")
                self.damaged_lines.append(first_line + index)
        return out  # type: ignore[return-value]  # every None was replaced

    @property
    def encoding(self) -> str:
        if not self.legacy_lines:
            return "utf-8"
        return f"utf-8+{self.legacy}" if self.utf8_lines else self.legacy

    def warnings(self) -> list[str]:
        warnings = []
        if self.legacy_lines and self.utf8_lines:
            warnings.append(
                f"mixed encodings: {len(self.legacy_lines)} lines decoded as {self.legacy} "
                f"(lines {_ranges(self.legacy_lines)}), the others as UTF-8"
            )
        if self.damaged_lines:
            warnings.append(
                f"undecodable bytes replaced with U+FFFD on {len(self.damaged_lines)} lines "
                f"(lines {_ranges(self.damaged_lines)})"
            )
        return warnings


def _legacy_codec(lines: list[bytes]) -> str:
    sample, size = [], 0
    for line in lines:
        sample.append(line)
        size += len(line) + 1
        if size > _LEGACY_SAMPLE:
            break
    sample = b"\n".join(sample)
    readable = [codec for codec in _FALLBACKS if _decodes(sample, codec)]
    if len(readable) == 1:  # the detector would rule the other out too, at a larger cost
        return readable[0]
    best = from_bytes(sample, cp_isolation=list(_FALLBACKS)).best()
    return best.encoding if best is not None else _FALLBACKS[0]


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def _ranges(numbers: list[int], shown: int = 5) -> str:
    spans: list[list[int]] = []
    for number in numbers:
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    text = ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in spans[:shown])
    return text + (f" and {len(spans) - shown} more" if len(spans) > shown else "")


def _looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))  # counted in C, not byte by byte
    return controls > max(8, len(sample) // 50)


def _strip_nul(text: str, encoding: str, warnings: list[str] | None = None) -> tuple[str, str, list[str]]:
    warnings = list(warnings or [])
    if "\x00" in text:
        warnings.append(f"{text.count(chr(0))} NUL characters removed")
    return text.replace("\x00", ""), encoding, warnings


# -- large files ----------------------------------------------------------------


def scan(path: Path) -> str:
    """Check a large text file without holding it in memory; its sha256.

    Raises the SourceError `read` would raise (empty, binary, unreadable) and
    refuses lines too long to be a report's paragraph.
    """
    digest = hashlib.sha256()
    blank, line, longest = True, 0, 0
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
            if _looks_binary(head) and not any(head.startswith(bom) for bom, _ in _BOMS):
                raise UnreadableFile(path, _(BINARY))
            utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
            handle.seek(0)
            while chunk := handle.read(1024 * 1024):
                digest.update(chunk)
                blank = blank and not chunk.strip()
                if utf16:
                    continue
                start = 0
                for match in re.finditer(rb"[\r\n]", chunk):
                    longest = max(longest, line + match.start() - start)
                    line, start = 0, match.end()
                line += len(chunk) - start
                longest = max(longest, line)
    except OSError as error:
        raise UnreadableFile(path, _(CANNOT_READ).format(error=system_reason(error))) from error
    if blank:
        raise UnreadableFile(path, _(EMPTY))
    if longest > MAX_LINE_BYTES:
        raise UnreadableFile(
            path,
            _(
                "a line is longer than {size} MB, so this is not a report (a database export or a "
                "web page's code?); open it and save the reports as ordinary text"
            ).format(size=MAX_LINE_BYTES // 2**20),
        )
    return digest.hexdigest()


class TextWindows:
    """A large text file as consecutive SourceTexts of whole lines, numbered as in the file.

    `encoding` and `warnings` describe the whole file once every window was read.
    """

    def __init__(self, path: Path, sha256: str, window_bytes: int = WINDOW_BYTES) -> None:
        self.path, self.sha256, self.window_bytes = path, sha256, window_bytes
        self.size = path.stat().st_size
        self.done_bytes = 0
        self.encoding = "utf-8"
        self._decoder = LineDecoder()
        self._next_line = 1
        self._replaced = False  # a BOM file had undecodable bytes
        self._nul = 0

    @property
    def warnings(self) -> list[str]:
        replaced = [f"undecodable bytes replaced with U+FFFD (decoded as {self.encoding})"] if self._replaced else []
        nul = [f"{self._nul} NUL characters removed"] if self._nul else []
        return replaced + self._decoder.warnings() + nul

    def __iter__(self) -> Iterator[SourceText]:
        with open(self.path, "rb") as handle:
            head = handle.read(4)
            handle.seek(0)
            bom = next((enc for b, enc in _BOMS if head.startswith(b)), None)
            pieces = self._bom_windows(handle, bom) if bom else self._unlabelled_windows(handle)
            line = 1
            for text in pieces:
                self._nul += text.count("\x00")
                blocks = _blocks(text.replace("\x00", ""), line)
                line += len(blocks)
                yield SourceText(self.path, blocks, self.sha256, self.encoding)

    def _chunks(self, handle) -> Iterator[bytes]:
        while chunk := handle.read(self.window_bytes):
            self.done_bytes += len(chunk)
            yield chunk

    def _bom_windows(self, handle, encoding: str) -> Iterator[str]:
        """Texts of whole lines; each window ends where a line break was (the break is left out)."""
        self.encoding = encoding
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        pending = ""
        for chunk in self._chunks(handle):
            text = pending + decoder.decode(chunk)
            self._replaced = self._replaced or "\ufffd" in text
            cut = _last_break(text, "\n", "\r")
            if cut is None:
                pending = text
                continue
            yield text[: cut[0]]
            pending = text[cut[1] :]
        yield pending + decoder.decode(b"", final=True)

    def _unlabelled_windows(self, handle) -> Iterator[str]:
        pending = b""
        for chunk in self._chunks(handle):
            data = pending + chunk
            cut = _last_break(data, b"\n", b"\r")
            if cut is None:
                pending = data
                continue
            yield self._decode(data[: cut[0]])
            pending = data[cut[1] :]
        yield self._decode(pending)

    def _decode(self, data: bytes) -> str:
        try:
            text = data.decode("utf-8")
            self._decoder.utf8_lines += not data.isascii()
        except UnicodeDecodeError:
            text = "\n".join(self._decoder.lines(data, self._next_line))
        self._next_line += len(_LINE_BREAK.findall(data)) + 1
        self.encoding = self._decoder.encoding
        return text


def _last_break(data, lf, cr) -> tuple[int, int] | None:
    """(start, end) of the last line break in `data` that is surely complete, or None.

    A CR at the very end may be the first half of a CRLF whose LF has not been read yet.
    """
    newline, ret = data.rfind(lf), data.rfind(cr, 0, len(data) - 1)
    if ret > newline:
        return ret, ret + 1
    if newline < 0:
        return None
    start = newline - 1 if newline and data[newline - 1 : newline] == cr else newline
    return start, newline + 1
