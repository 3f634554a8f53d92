"""Old Word .doc files: not read, with advice; files misnamed .doc are read as what they are.

No dependable .doc converter ships with this tool, and a half-read document is
worse than a clear refusal. Web sites often serve HTML, RTF or .docx under a
.doc name, so the reader looks at the bytes before refusing.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from generator.errors import UnreadableFile
from generator.i18n import N_, _
from generator.importer.readers import SourceText

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # container of Word 97-2003 files
ZIP_MAGIC = b"PK\x03\x04"
HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|meta)\b", re.I | re.S
)
SAVE_AS_DOCX = N_("open it in Word or WPS and save it as .docx (File > Save As > Word Document), then import the .docx")


def read(path: Path, data: bytes) -> SourceText:
    if data.startswith(ZIP_MAGIC):
        return _read_as(path, data, "docx", "the file is a .docx document with a .doc name")
    if HTML_START.match(data[:2048]):
        return _read_as(path, data, "html", "the file is a web page with a .doc name")
    if data.startswith(OLE_MAGIC):
        raise UnreadableFile(path, _(".doc (old Word 97-2003 format) is not supported; {advice}").format(advice=_(SAVE_AS_DOCX)))
    if data.startswith(b"{\\rtf"):
        raise UnreadableFile(path, _("this .doc file is an RTF document, which is not supported; {advice}").format(advice=_(SAVE_AS_DOCX)))
    raise UnreadableFile(path, _("not a Word document (unrecognised content); {advice}").format(advice=_(SAVE_AS_DOCX)))


def _read_as(path: Path, data: bytes, module_name: str, note: str) -> SourceText:
    from importlib import import_module

    module = import_module(f"generator.importer.readers.{module_name}")
    source = module.read(path, data)
    return replace(source, warnings=[note, *source.warnings])
