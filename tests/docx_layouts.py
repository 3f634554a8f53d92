"""Word documents laid out as union offices write them (GB/T 9704 practice), built with python-docx.

A `Letter` writes paragraphs the way a clerk formats them: a centered bold title (one or
two lines, or in Word's Title / Heading 1 style), a subtitle in 楷体, body text indented by
two characters, headings typed or numbered by Word, tables, a right-aligned signature.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt

W_NS = nsdecls("w")


class Letter:
    """One Word document, paragraph by paragraph, as a union office formats it."""

    def __init__(self) -> None:
        self.document = docx.Document()
        self.lists = 0

    def title(self, *lines: str, style: str | None = None, centered: bool = True) -> Letter:
        """A title (二号 小标宋: large and bold), one paragraph per line, centered unless the
        style alone marks it."""
        for line in lines:
            paragraph = self.document.add_paragraph(style=style)
            run = paragraph.add_run(line)
            run.bold, run.font.size = True, Pt(22)
            if centered:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return self

    def centered(self, text: str, size: int = 16) -> Letter:
        """A centered line in body size: subtitle, speaker, date line."""
        paragraph = self.document.add_paragraph()
        paragraph.add_run(text).font.size = Pt(size)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return self

    def text(self, *texts: str) -> Letter:
        """Body paragraphs, first line indented by two characters."""
        for text in texts:
            paragraph = self.document.add_paragraph(text)
            paragraph.paragraph_format.first_line_indent = Pt(32)
        return self

    def plain(self, text: str) -> Letter:
        """A paragraph flush left (a salutation, an attachment note)."""
        self.document.add_paragraph(text)
        return self

    def heading(self, text: str, bold: bool = True, style: str | None = None) -> Letter:
        """A heading as typed: its enumerator in the text, bold (黑体) or in a heading style."""
        paragraph = self.document.add_paragraph(style=style)
        paragraph.add_run(text).bold = bold
        if style is None:
            paragraph.paragraph_format.first_line_indent = Pt(32)
        return self

    def numbered(self, text: str, level: int, style: str | None = None) -> Letter:
        """A paragraph numbered by Word's automatic numbering (一、 / （一） / 1.)."""
        if not self.lists:
            self.lists = _add_chinese_list(self.document)
        paragraph = self.document.add_paragraph(text, style=style)
        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = level
        num_pr.get_or_add_numId().val = self.lists
        return self

    def table(self, *rows: tuple[str, ...]) -> Letter:
        table = self.document.add_table(rows=len(rows), cols=len(rows[0]))
        for row, cells in zip(table.rows, rows, strict=True):
            for cell, value in zip(row.cells, cells, strict=True):
                cell.text = value
        return self

    def signature(self, *lines: str) -> Letter:
        """The signature block: right-aligned unit and date, after a blank line."""
        self.document.add_paragraph()
        for line in lines:
            paragraph = self.document.add_paragraph(line)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        return self

    def indented_signature(self, *lines: str) -> Letter:
        """A signature pushed right by indentation (右空四字), as many clerks do it."""
        self.document.add_paragraph()
        for line in lines:
            paragraph = self.document.add_paragraph(line)
            paragraph.paragraph_format.left_indent = Pt(16 * 18)
        return self

    def blank(self) -> Letter:
        self.document.add_paragraph()
        return self

    def save(self, path: Path) -> Path:
        self.document.save(path)
        return path


LIST_ID = 80  # clear of the ids in python-docx's template


def _add_chinese_list(document) -> int:
    """A multi-level list as Chinese offices set it up: 一、 / （一） / 1."""
    levels = (("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3."))
    body = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    numbering = document.part.numbering_part.element
    abstract = parse_xml(f'<w:abstractNum {W_NS} w:abstractNumId="{LIST_ID}">{body}</w:abstractNum>')
    first_num = numbering.find(f"{{{numbering.nsmap['w']}}}num")
    if first_num is not None:
        first_num.addprevious(abstract)  # abstract lists come before the lists that use them
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {W_NS} w:numId="{LIST_ID}"><w:abstractNumId w:val="{LIST_ID}"/></w:num>'))
    return LIST_ID
