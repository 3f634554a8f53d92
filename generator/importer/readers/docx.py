"""Word .docx: paragraphs and tables in document order, one block each.

Blocks are numbered by position in the body (paragraphs and tables alike, empty
ones included) so provenance stays stable. Headings come from Word's own
markup: heading styles, outline levels and list numbering, whose enumerators
Word draws but never stores in the text, so we render them back in. How each
paragraph is set (alignment, bold, size, indent) tells the title, subtitle,
date line, signature and attachment note apart (docx_layout).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from generator.errors import SourceError
from generator.importer.headings import enumerator, is_standalone
from generator.importer.readers import Block, SourceText, sha256_of
from generator.importer.readers.docx_layout import FAR_RIGHT, Look, arrange

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {
    "w": W[1:-1],
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
}
MC_FALLBACK = f"{{{NS['mc']}}}Fallback"
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
HEADING_NAME = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)
MAX_LEVEL = 3  # the pipeline knows heading-1..heading-3

# Text that Word shows: runs outside deletions, text boxes (read separately) and fallbacks.
SHOWN = etree.XPath(
    "(.//w:r/w:t | .//w:r/w:tab | .//w:r/w:br | .//w:r/w:cr | .//w:r/w:noBreakHyphen)"
    "[not(ancestor::w:del) and not(ancestor::w:txbxContent) and not(ancestor::mc:Fallback)]",
    namespaces=NS,
)
STYLE_ID = etree.XPath("./w:pPr/w:pStyle/@w:val", namespaces=NS)
GRID_SPAN = etree.XPath("./w:tcPr/w:gridSpan/@w:val", namespaces=NS)
V_MERGE = etree.XPath("./w:tcPr/w:vMerge", namespaces=NS)
BOX_TEXT = etree.XPath(".//w:t/text()", namespaces=NS)


def read(path: Path, data: bytes) -> SourceText:
    document = _open(path, data)
    styles = _styles(document)
    numbering = Numbering(document)
    items: list[tuple[Block, Look | None]] = []
    notes = Notes()
    for number, element in enumerate(_body(document.element.body), start=1):
        if element.tag == W + "tbl":
            items.append((_table_block(number, element), None))
            continue
        style = styles.get(_style_id(element), StyleInfo(""))
        if style.name.lower().startswith("toc"):
            notes.toc.append(number)  # counted, not read: it repeats the headings
            continue
        block = _paragraph_block(number, element, style, numbering)
        items.append((block, _look(element, style, block)))
        notes.paragraph(block, style, element)
    arranged = arrange(items)
    notes.title_block = arranged.title_line or notes.title_block
    hints = _hints(document, notes)
    return SourceText(path, arranged.blocks, sha256_of(data), None, hints, notes.render(), arranged.layout)


def _open(path: Path, data: bytes):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if data.startswith(OLE_MAGIC):
        raise SourceError(
            f"{path}: not a valid .docx file (it is an old Word .doc or a password-protected document); "
            "open it in Word or WPS, remove any password and save it as .docx"
        )
    try:
        return docx.Document(io.BytesIO(data))
    except (
        zipfile.BadZipFile,
        PackageNotFoundError,
        KeyError,
        ValueError,
        etree.XMLSyntaxError,
    ) as error:
        raise SourceError(
            f"{path}: not a valid .docx file ({error}); open it in Word or WPS and save it as .docx again"
        ) from error


def _body(container):
    """Paragraphs and tables in order, looking inside content controls (cover pages use them)."""
    for child in container:
        if child.tag in (W + "p", W + "tbl"):
            yield child
        elif child.tag in (W + "sdt", W + "customXml"):
            content = child.find(W + "sdtContent")
            yield from _body(child if content is None else content)


# -- paragraphs ---------------------------------------------------------------


@dataclass(frozen=True)
class StyleInfo:
    name: str
    level: int | None = None  # 1-based outline level; None for body text
    num: tuple[str, int] | None = None  # (numId, ilvl) of a style that numbers its paragraphs
    align: str = ""  # its paragraphs' jc
    bold: bool = False
    size: float = 0.0  # points


def _styles(document) -> dict[str, StyleInfo]:
    """Style id -> name, outline level and numbering, following `basedOn` chains."""
    elements = {el.get(W + "styleId"): el for el in document.styles.element.findall(W + "style")}
    return {style_id: _style_info(style_id, elements) for style_id in elements}


def _style_info(style_id: str, elements: dict, depth: int = 0) -> StyleInfo:
    element = elements.get(style_id)
    if element is None or depth > 10:  # broken or cyclic basedOn chains happen in the wild
        return StyleInfo("")
    name = element.find(W + "name")
    name = "" if name is None else name.get(W + "val", "")
    based = element.find(W + "basedOn")
    parent = (
        _style_info(based.get(W + "val"), elements, depth + 1)
        if based is not None
        else StyleInfo("")
    )
    p_pr = element.find(W + "pPr")
    level = _outline_level(p_pr)
    if level is None:
        match = HEADING_NAME.match(name)
        level = int(match.group(1)) if match else parent.level
    r_pr = element.find(W + "rPr")
    return StyleInfo(
        name,
        None if level == 0 else level,
        _num_pr(p_pr) or parent.num,
        _align(p_pr) or parent.align,
        parent.bold if _bold(r_pr) is None else _bold(r_pr),
        _size(r_pr) or parent.size,
    )


def _outline_level(p_pr) -> int | None:
    """1-based level; 0 means explicitly body text (Word's level 9)."""
    value = None if p_pr is None else p_pr.find(W + "outlineLvl")
    if value is None:
        return None
    level = _int(value, 8) + 1
    return 0 if level > 9 else level


def _int(element, default: int, attribute: str = "val") -> int:
    """A number attribute; hand-edited or generated files sometimes hold junk."""
    value = element.get(W + attribute, "")
    return int(value) if value.isdigit() else default


def _num_pr(p_pr) -> tuple[str, int] | None:
    num_pr = None if p_pr is None else p_pr.find(W + "numPr")
    if num_pr is None:
        return None
    num_id = num_pr.find(W + "numId")
    ilvl = num_pr.find(W + "ilvl")
    num = None if num_id is None else num_id.get(W + "val")
    return (num or "", 0 if ilvl is None else _int(ilvl, 0))


def _style_id(paragraph) -> str:
    ids = STYLE_ID(paragraph)
    return ids[0] if ids else "Normal"


def _paragraph_block(number: int, paragraph, style: StyleInfo, numbering: Numbering) -> Block:
    text = paragraph_text(paragraph)
    p_pr = paragraph.find(W + "pPr")
    level = _outline_level(p_pr)
    level = style.level if level is None else (level or None)
    num = _num_pr(p_pr) or style.num
    prefix, num_level = numbering.next(num)  # empty items count too, as in Word
    if level is None and num_level is not None and is_standalone(prefix + text):
        # A numbered heading sits at the level its enumerator's form gives (一、 above （一）
        # above 1.), as a typed one does; else at its list level. A numbered paragraph of
        # body text is left to the pipeline, with its enumerator in the text.
        found = enumerator(prefix + text)
        level = found.level if found else num_level
    heading = f"heading-{level}" if level is not None and level <= MAX_LEVEL else None
    return Block(number, prefix + text, heading)


# -- how a paragraph is set --------------------------------------------------------

PUSHED_BY_SPACES = re.compile(r"^(?:[ \u3000]{8,}|\t{2,})")
OFF = ("0", "false", "off", "none")


def _look(paragraph, style: StyleInfo, block: Block) -> Look:
    p_pr = paragraph.find(W + "pPr")
    runs = [r for r in paragraph.iter(W + "r") if "".join(r.itertext()).strip()]
    bolds = [_bold(r.find(W + "rPr")) for r in runs]
    bold = bool(runs) and all(style.bold if b is None else b for b in bolds)
    size = max((_size(r.find(W + "rPr")) or style.size for r in runs), default=style.size)
    indent = _indent(p_pr)
    if PUSHED_BY_SPACES.match(block.text):
        indent = max(indent, FAR_RIGHT)  # a clerk's spaces push a signature right
    level = int(block.style[-1]) if block.style else None
    return Look(_align(p_pr) or style.align, bold, size, indent, style.name.lower(), level)


def _align(p_pr) -> str:
    jc = None if p_pr is None else p_pr.find(W + "jc")
    return "" if jc is None else jc.get(W + "val", "")


def _bold(r_pr) -> bool | None:
    b = None if r_pr is None else r_pr.find(W + "b")
    return None if b is None else b.get(W + "val", "true").lower() not in OFF


def _size(r_pr) -> float:
    sz = None if r_pr is None else r_pr.find(W + "sz")
    return 0.0 if sz is None else _int(sz, 0) / 2


def _indent(p_pr) -> int:
    ind = None if p_pr is None else p_pr.find(W + "ind")
    if ind is None:
        return 0
    return max(_int(ind, 0, "left"), _int(ind, 0, "start"))


def paragraph_text(paragraph) -> str:
    parts = []
    for node in SHOWN(paragraph):
        tag = etree.QName(node).localname
        if tag == "t":
            parts.append(node.text or "")
        elif tag == "tab":
            parts.append("\t")
        elif tag == "noBreakHyphen":
            parts.append("-")
        elif node.get(W + "type") not in ("page", "column"):  # page breaks are layout, not text
            parts.append("\n")
    return "".join(parts)


# -- list numbering -----------------------------------------------------------


@dataclass
class Numbering:
    """Counts list paragraphs like Word does, to render the enumerators Word hides."""

    document: object
    counters: dict[str, list[int | None]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.root = _numbering_root(self.document)

    def next(self, num: tuple[str, int] | None) -> tuple[str, int | None]:
        """(enumerator text, 1-based list level) for the next paragraph of list `num`."""
        if num is None or num[0] in ("", "0"):  # numId 0 switches numbering off
            return "", None
        num_id, ilvl = num[0], min(max(num[1], 0), 8)
        levels = self._levels(num_id)
        fmt, _text, start = _level(levels, ilvl)
        if fmt in ("bullet", "none"):
            return "", None
        counts = self.counters.setdefault(num_id, [None] * 9)
        counts[ilvl] = start if counts[ilvl] is None else counts[ilvl] + 1
        counts[ilvl + 1 :] = [None] * (8 - ilvl)  # a new parent restarts its children

        def number(match: re.Match) -> str:
            level = int(match.group(1)) - 1
            lvl_fmt, _t, lvl_start = _level(levels, level)
            return format_number(counts[level] or lvl_start, lvl_fmt)

        return re.sub(r"%([1-9])", number, _level(levels, ilvl)[1]), ilvl + 1

    def _levels(self, num_id: str) -> dict[int, tuple[str, str, int]]:
        """ilvl -> (numFmt, lvlText, start) of list `num_id`, overrides applied."""
        if self.root is None:
            return {}
        num = self.root.find(f"{W}num[@{W}numId='{num_id}']")
        abstract_id = None if num is None else num.find(W + "abstractNumId")
        if abstract_id is None:
            return {}
        abstract = self.root.find(
            f"{W}abstractNum[@{W}abstractNumId='{abstract_id.get(W + 'val')}']"
        )
        levels = {} if abstract is None else _lvl_table(abstract.findall(W + "lvl"))
        levels.update(_lvl_table(num.findall(f"{W}lvlOverride/{W}lvl")))
        for override in num.findall(W + "lvlOverride"):
            start = override.find(W + "startOverride")
            level = _int(override, 0, "ilvl")
            if start is not None and level in levels:
                fmt, text, _ = levels[level]
                levels[level] = (fmt, text, _int(start, 1))
        return levels


def _level(levels: dict, ilvl: int) -> tuple[str, str, int]:
    """(numFmt, lvlText, start); an undefined level counts like Word's default "1."."""
    return levels.get(ilvl, ("decimal", f"%{ilvl + 1}.", 1))


def _numbering_root(document):
    try:
        return document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return None


def _lvl_table(lvls) -> dict[int, tuple[str, str, int]]:
    table = {}
    for lvl in lvls:
        fmt = lvl.find(W + "numFmt")
        text = lvl.find(W + "lvlText")
        start = lvl.find(W + "start")
        table[_int(lvl, 0, "ilvl")] = (
            "decimal" if fmt is None else fmt.get(W + "val", "decimal"),
            "" if text is None else text.get(W + "val", ""),
            1 if start is None else _int(start, 1),
        )
    return table


CHINESE_DIGITS = "零一二三四五六七八九"
LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
ROMAN = "I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII XVIII XIX XX".split()
CHINESE_FORMATS = {"chineseCounting", "chineseCountingThousand", "ideographDigital"}
CHINESE_FORMATS |= {"japaneseCounting", "taiwaneseCounting", "taiwaneseCountingThousand"}


def format_number(value: int, fmt: str) -> str:
    """One list counter in Word's number format (those Chinese documents use); else digits."""
    if fmt in CHINESE_FORMATS:
        return chinese_number(value, CHINESE_DIGITS, "十百")
    if fmt == "chineseLegalSimplified":
        return chinese_number(value, LEGAL_DIGITS, "拾佰")
    if fmt == "ideographTraditional" and 1 <= value <= 10:
        return HEAVENLY_STEMS[value - 1]
    if fmt.startswith("decimalEnclosedCircle") and 1 <= value <= 20:
        return CIRCLED[value - 1]
    if fmt in ("upperLetter", "lowerLetter") and value >= 1:
        letter = chr(ord("A") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and 1 <= value <= 20:
        return ROMAN[value - 1] if fmt == "upperRoman" else ROMAN[value - 1].lower()
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(d) + 0xFEE0) for d in str(value))
    return f"{value:02d}" if fmt == "decimalZero" else str(value)


def chinese_number(value: int, digits: str, units: str) -> str:
    """1..999 as 一, 十一, 二十, 一百零五; larger numbers as Arabic digits."""
    if not 0 < value < 1000:
        return str(value)
    hundreds, tens, ones = value // 100, value // 10 % 10, value % 10
    text = f"{digits[hundreds]}{units[1]}" if hundreds else ""
    if tens:
        text += ("" if tens == 1 and not hundreds else digits[tens]) + units[0]
    elif hundreds and ones:
        text += digits[0]
    return text + (digits[ones] if ones else "")


# -- tables -------------------------------------------------------------------


def _table_block(number: int, table) -> Block:
    rows = tuple(_row_cells(row) for row in table.iter(W + "tr") if _owner_table(row) is table)
    text = "\n".join("\t".join(row) for row in rows)
    return Block(number, text, None, rows)


def _owner_table(row):
    return next(row.iterancestors(W + "tbl"))


def _row_cells(row) -> tuple[str, ...]:
    """Cell texts on the table grid: merged-away cells are empty so columns line up."""
    cells: list[str] = []
    for cell in row.iter(W + "tc"):
        if next(cell.iterancestors(W + "tr")) is not row:
            continue  # a nested table's cell: its text is in the outer cell
        span = GRID_SPAN(cell)
        merged = V_MERGE(cell)
        continued = merged and merged[0].get(W + "val") != "restart"
        cells.append("" if continued else _cell_text(cell))
        cells.extend([""] * (int(span[0]) - 1 if span and span[0].isdigit() else 0))
    return tuple(cells)


def _cell_text(cell) -> str:
    """All paragraphs of a cell on one line, so tab/newline stay cell/row separators."""
    texts = (paragraph_text(p) for p in cell.iter(W + "p") if not _in_text_box(p))
    return " ".join(" ".join(t.split()) for t in texts if t.strip())


def _in_text_box(paragraph) -> bool:
    return any(True for _ in paragraph.iterancestors(W + "txbxContent"))


# -- hints and notes ----------------------------------------------------------


def _hints(document, notes: Notes) -> dict[str, str]:
    props = document.core_properties
    hints = {
        "title": props.title,
        "author": props.author,
        "subject": props.subject,
        "keywords": props.keywords,
        "created": props.created.date().isoformat() if props.created else "",
        "modified": props.modified.date().isoformat() if props.modified else "",
        # The paragraph styled as the document's title, for the metadata step.
        "title_block": str(notes.title_block or ""),
    }
    return {key: value.strip() for key, value in hints.items() if value and value.strip()}


@dataclass
class Notes:
    """What the reader noticed on the way: the title paragraph and what it left out."""

    title_block: int | None = None
    toc: list[int] = field(default_factory=list)
    boxes: list[str] = field(default_factory=list)

    def paragraph(self, block: Block, style: StyleInfo, paragraph) -> None:
        if (
            self.title_block is None
            and style.name.lower() in ("title", "标题")
            and block.text.strip()
        ):
            self.title_block = block.line
        for box in paragraph.iter(W + "txbxContent"):
            if any(True for _ in box.iterancestors(MC_FALLBACK)):
                continue  # the same box again, in the fallback drawing
            text = "".join(BOX_TEXT(box)).strip()
            if text:
                self.boxes.append(
                    f"block {block.line}: text in a text box was not read: {text[:40]!r}"
                )

    def render(self) -> list[str]:
        notes = list(self.boxes)
        if self.toc:
            notes.insert(
                0,
                f"blocks {self.toc[0]}-{self.toc[-1]}: table of contents left out (it repeats the headings)",
            )
        return notes
