"""Web pages: the report's main text, without the site around it.

trafilatura finds the main text and drops navigation, ads, related-article lists
and footers. Its XML output keeps headings and tables, so blocks carry them.
Lines are numbered in the extracted text: one per paragraph line, a table
taking one line per row.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
from lxml import etree

from generator.errors import UnreadableFile
from generator.i18n import _
from generator.importer import source_url
from generator.importer.readers import Block, SourceText, sha256_of
from generator.importer.readers.text import decode_unlabelled

BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
DECLARED = re.compile(
    rb"""(?:<meta[^>]+charset|<\?xml[^>]+encoding)\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I
)
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# Labels browsers read as a wider encoding (WHATWG): decode with the superset.
SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "gb_2312-80": "gb18030",
    "big5": "big5hkscs",
    "big5-hkscs": "big5hkscs",
    "cp950": "big5hkscs",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
}
WEAK = {"cp1252"}  # declarations that decode anything, so they prove nothing
TEXT_TAGS = {"p", "head", "item", "quote", "code"}
HEADINGS = {"h1": "heading-1", "h2": "heading-2", "h3": "heading-3"}
BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "tr",
    "table",
    "section",
    "article",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "dd",
    "dt",
    "blockquote",
    "pre",
    "header",
    "footer",
    "nav",
    "td",
    "th",
}


def read(path: Path, data: bytes) -> SourceText:
    text, encoding, warnings = decode(path, data)
    text = text.replace("\x00", "")  # lxml refuses NUL characters; they carry nothing
    page = _parse(path, text)
    extracted = _extract(text)
    if extracted is not None:
        blocks = _main_blocks(extracted)
        meta = extracted.attrib
        blocks, restored = restore_headings(blocks, page)
        if restored:
            warnings.append(f"{restored} section headings the main-text extractor had dropped were put back from the page")
    else:
        blocks, meta = [], {}
    if not blocks:
        blocks = _page_blocks(page)
        warnings.append("no main text found; read the whole page, so menus and ads may be included")
    if not blocks:
        raise UnreadableFile(
            path, _("no text found in this web page; save the report's own page or copy its text into a .txt file")
        )
    blocks, title_block = _with_headline(blocks, meta.get("title", ""), page)
    hints = _hints(page, meta, title_block)
    return SourceText(path, blocks, sha256_of(data), encoding, hints, warnings)


# -- decoding -----------------------------------------------------------------


def decode(path: Path, data: bytes) -> tuple[str, str, list[str]]:
    """Text, codec and warnings: BOM, then the page's declared charset, then UTF-8, then a guess."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace"), codec, []
    label = _declared(data)
    declared = SUPERSETS.get(label, label) if label else None
    candidates = ["utf-8", declared] if declared in WEAK else [declared]
    for codec in filter(None, candidates):
        try:
            return data.decode(codec), codec, _mismatch(label, declared, codec)
        except (UnicodeDecodeError, LookupError):
            continue
    text, codec, warnings = decode_unlabelled(data)
    return text, codec, warnings + _mismatch(label, declared, codec)


def _declared(data: bytes) -> str | None:
    match = DECLARED.search(data[:4096])
    return match.group(1).decode("ascii", "replace").lower() if match else None


def _mismatch(label: str | None, declared: str | None, used: str) -> list[str]:
    if label is None or declared == used:
        return []
    return [f"the page declares charset '{label}' but its bytes are {used}; decoded as {used}"]


def _parse(path: Path, text: str):
    try:
        return lxml.html.document_fromstring(XML_DECLARATION.sub("", text, count=1) or "<html/>")
    except (etree.ParserError, ValueError) as error:
        raise UnreadableFile(path, _("not a readable web page ({error}); save the page again from the browser").format(error=error)) from error


# -- main text ----------------------------------------------------------------


def _extract(text: str):
    """trafilatura's main text as an XML tree (<doc title= date=...><main>...), or None."""
    import trafilatura

    xml = trafilatura.extract(
        XML_DECLARATION.sub("", text, count=1),
        output_format="xml",
        favor_precision=True,
        include_tables=True,
        include_comments=False,
        with_metadata=True,
    )
    return None if not xml else etree.fromstring(xml.encode("utf-8"))


def _main_blocks(doc) -> list[Block]:
    blocks: list[Block] = []
    main = doc.find("main")
    for item in _items(main if main is not None else doc):
        line = blocks[-1].line + _height(blocks[-1]) if blocks else 1
        text, style, rows = item
        if rows is not None:
            blocks.append(Block(line, text, None, rows))
            continue
        for offset, part in enumerate(p for p in (s.strip() for s in text.split("\n")) if p):
            blocks.append(Block(line + offset, part, style))
    return blocks


_SECTION_HEADINGS = {"h2": "heading-2", "h3": "heading-3", "h4": "heading-3"}


def restore_headings(blocks: list[Block], page) -> tuple[list[Block], int]:
    """The page's <h2>-<h4> headings the extractor left out, put back before the paragraph
    that follows each of them on the page; (blocks renumbered, how many were put back)."""
    texts = {block.text for block in blocks}
    elements = [e for e in page.iter() if isinstance(e.tag, str) and e.tag in (*_SECTION_HEADINGS, "p", "div", "li")]
    missing: dict[str, list[tuple[str, str]]] = {}  # paragraph text -> headings to put before it
    for index, element in enumerate(elements):
        text = " ".join(element.text_content().split())
        if element.tag not in _SECTION_HEADINGS or not text or text in texts:
            continue
        later = (" ".join(e.text_content().split()) for e in elements[index + 1 :] if e.tag not in _SECTION_HEADINGS)
        anchor = next((t for t in later if t in texts), None)
        if anchor is not None:
            missing.setdefault(anchor, []).append((text, _SECTION_HEADINGS[element.tag]))
    if not missing:
        return blocks, 0
    out: list[Block] = []
    for block in blocks:
        for text, style in missing.pop(block.text, []):
            out.append(Block(0, text, style))
        out.append(block)
    return _renumbered(out), len(out) - len(blocks)


def _renumbered(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        line = out[-1].line + _height(out[-1]) if out else 1
        out.append(Block(line, block.text, block.style, block.table))
    return out


def _height(block: Block) -> int:
    return len(block.table) if block.table else 1


def _items(element):
    """(text, style, rows) for each paragraph, loose text and data table (rows None for text).

    A table of one column is page layout (old sites put whole articles in one
    cell), so its cells are read as text.
    """
    yield from _loose(element.text)
    for child in element:
        if child.tag == "table" and _is_data_table(child):
            rows = tuple(row for row in (_row(row) for row in child.iter("row")) if any(row))
            yield "\n".join("\t".join(row) for row in rows), None, rows
        elif child.tag in TEXT_TAGS:
            style = HEADINGS.get(child.get("rend", "")) if child.tag == "head" else None
            yield _text(child), style, None
        elif child.tag != "graphic":
            yield from _items(child)
        yield from _loose(child.tail)


def _loose(text: str | None):
    if text and text.strip():
        yield text, None, None


def _is_data_table(table) -> bool:
    return any(len(row.findall("cell")) > 1 for row in table.iter("row"))


def _row(row) -> tuple[str, ...]:
    return tuple(" ".join(_text(cell).split()) for cell in row.findall("cell"))


def _text(element) -> str:
    """Element text with <lb/> as a line break."""
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "lb" else _text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _page_blocks(page) -> list[Block]:
    """Every visible line of the page: the fallback when no main text is found."""
    for junk in page.xpath("//script | //style | //noscript | //template | //head"):
        junk.drop_tree()
    for element in page.iter():
        if isinstance(element.tag, str) and element.tag.lower() in BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
    lines = (line.strip() for line in page.text_content().splitlines())
    return [
        Block(number, line) for number, line in enumerate((line for line in lines if line), start=1)
    ]


def _with_headline(blocks: list[Block], headline: str, page) -> tuple[list[Block], int | None]:
    """Put back the page's <h1> headline, which trafilatura moves out of the main text."""
    headline = " ".join(headline.split())
    h1_texts = {" ".join(h1.text_content().split()) for h1 in page.iter("h1")}
    if not headline or headline not in h1_texts:
        return blocks, None
    if blocks[0].text == headline:
        return blocks, 1
    moved = [Block(b.line + 1, b.text, b.style, b.table) for b in blocks]
    return [Block(1, headline, "heading-1"), *moved], 1


def _hints(page, meta, title_block: int | None) -> dict[str, str]:
    titles = page.xpath("//title")
    hints = {
        "title": titles[0].text_content()
        if titles
        else "",  # often a site label, never the report's truth
        "headline": meta.get("title", ""),
        "date": meta.get("date", ""),
        "author": meta.get("author", ""),
        "site": meta.get("sitename", ""),
        "url": meta.get("url", ""),
        "source_url": source_url.from_page(page) or "",
        "keywords": meta.get("tags", ""),
        "title_block": str(title_block or ""),
    }
    return {key: " ".join(value.split()) for key, value in hints.items() if value and value.strip()}
