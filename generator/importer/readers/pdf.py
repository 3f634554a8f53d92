"""PDF: the text layer in reading order, line by line as pdfminer lays it out.

Hard-wrapped lines stay as they are (joining them is the pipeline's job). Page
numbers at the top or bottom of a page and the page breaks are dropped and
noted. A PDF without characters is a scan: it needs OCR, not an empty entry.
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

from generator.errors import UnreadableFile
from generator.i18n import _
from generator.importer.readers import Block, SourceText, sha256_of

# "3", "- 3 -", "— 3 —", "第3页", "第 3 页 共 12 页", "3/12", "Page 3 of 12"
PAGE_NUMBER = re.compile(
    r"^(?:[-—–－]?\s*\d{1,4}\s*[-—–－]?|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$",
    re.IGNORECASE,
)
UNMAPPED = re.compile(r"\(cid:\d+\)")  # glyphs whose font has no Unicode map
EDGE = 2  # page numbers sit among the first or last lines of a page (headers and footers)
PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?")
INFO_KEYS = {
    "Title": "title",
    "Author": "author",
    "Subject": "subject",
    "Keywords": "keywords",
    "CreationDate": "created",
    "ModDate": "modified",
}


def read(path: Path, data: bytes) -> SourceText:
    text = _text(path, data)
    if not text.replace("\f", "").strip():
        raise UnreadableFile(
            path,
            _(
                "this is a scanned PDF without a text layer (no characters to extract); "
                "run it through OCR first and import the recognised text (.txt or .docx)"
            ),
        )
    text, unmapped = _unmapped(path, text)
    blocks, dropped = _blocks(text)
    return SourceText(
        path, blocks, sha256_of(data), None, _hints(data), _warnings(text, dropped, unmapped)
    )


def _text(path: Path, data: bytes) -> str:
    from pdfminer.high_level import extract_text
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psexceptions import PSException

    try:
        return extract_text(io.BytesIO(data))
    except (PDFPasswordIncorrect, PDFEncryptionError) as error:
        raise UnreadableFile(path, _("the PDF is password-protected; save an unprotected copy and import that")) from error
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as error:
        raise UnreadableFile(
            path,
            _("not a valid PDF file ({error}); export it again as PDF or save the report as .docx").format(
                error=error or type(error).__name__
            ),
        ) from error


def _unmapped(path: Path, text: str) -> tuple[str, int]:
    """Mark undecodable glyphs; a text layer made only of them is as good as a scan."""
    count = len(UNMAPPED.findall(text))
    if count and not UNMAPPED.sub("", text).replace("\f", "").strip():
        raise UnreadableFile(
            path,
            _(
                "the PDF's text layer cannot be decoded (its fonts have no Unicode map); "
                "run it through OCR first, or export the PDF again from the original document"
            ),
        )
    return UNMAPPED.sub("\ufffd", text), count


def _blocks(text: str) -> tuple[list[Block], list[tuple[int, str]]]:
    """Blocks numbered by line of the extracted text; page numbers left out as (page, text)."""
    blocks: list[Block] = []
    dropped: list[tuple[int, str]] = []
    lines = text.split("\n")  # not splitlines(): a form feed must not count as a line
    page_of, edges = _pages(lines)
    for number, line in enumerate(lines, start=1):
        content = line.replace("\f", "")
        if number in edges and _is_page_number(content.strip(), page_of[number]):
            dropped.append((page_of[number], content.strip()))
            continue
        blocks.append(Block(number, content.rstrip()))
    while blocks and not blocks[-1].text.strip():
        blocks.pop()  # pdfminer ends every page with blank lines
    return blocks, dropped


def _is_page_number(text: str, page: int) -> bool:
    """A bare number only counts when it is near the page's position: tables end in numbers too."""
    if text.isdigit():
        return abs(int(text) - page) <= 2  # a cover page or two may go unnumbered
    return bool(PAGE_NUMBER.match(text))


def _pages(lines: list[str]) -> tuple[dict[int, int], set[int]]:
    """Line -> page number, and the lines among the first/last EDGE non-empty lines of a page."""
    page_of: dict[int, int] = {}
    pages: dict[int, list[int]] = {}
    page = 1
    for number, line in enumerate(lines, start=1):
        page += line.count("\f")  # pdfminer ends each page with a form feed: it opens the next line
        page_of[number] = page
        if line.replace("\f", "").strip():
            pages.setdefault(page, []).append(number)
    edges = {n for numbers in pages.values() for n in numbers[:EDGE] + numbers[-EDGE:]}
    return page_of, edges


def _warnings(text: str, dropped: list[tuple[int, str]], unmapped: int) -> list[str]:
    warnings = []
    pages = text.count("\f")
    if pages > 1:
        warnings.append(f"{pages} pages: page breaks removed")
    if dropped:
        shown = ", ".join(f"page {page}: {value!r}" for page, value in dropped[:5])
        more = f" and {len(dropped) - 5} more" if len(dropped) > 5 else ""
        warnings.append(f"{len(dropped)} page-number lines removed ({shown}{more})")
    empty = [str(n) for n, page in enumerate(text.split("\f")[:pages], start=1) if not page.strip()]
    if empty:
        warnings.append(
            f"pages without text (scanned?): {', '.join(empty)}; their content is missing"
        )
    if unmapped:
        warnings.append(f"{unmapped} characters could not be decoded (shown as \ufffd)")
    return warnings


def _hints(data: bytes) -> dict[str, str]:
    """Document info (Title, Author, CreationDate ...) as hints; a broken info dict gives none."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    try:
        infos = PDFDocument(PDFParser(io.BytesIO(data))).info
    except Exception:  # noqa: BLE001 - the text was readable; hints are optional
        return {}
    hints: dict[str, str] = {}
    for info in infos:
        for key, name in INFO_KEYS.items():
            value = _info_text(resolve1(info.get(key)))
            if name in ("created", "modified"):
                value = _iso_date(value)
            if value:
                hints.setdefault(name, value)
    return hints


def _info_text(value) -> str:
    from pdfminer.utils import decode_text

    if isinstance(value, bytes):
        value = (
            value[2:].decode("utf-16-be", "replace")
            if value.startswith(b"\xfe\xff")
            else decode_text(value)
        )
    return " ".join(value.split()) if isinstance(value, str) else ""


def _iso_date(value: str) -> str:
    """'D:20240105093000+08'00'' -> '2024-01-05' (as much of the date as is there)."""
    match = PDF_DATE.match(value)
    if not match:
        return ""
    year, month, day = match.group(1), match.group(2), match.group(3)
    try:
        date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return ""
    return "-".join(part for part in (year, month, day) if part)
