"""Where a Word document's title, subtitle, date line, signature and attachment note are.

Chinese offices lay documents out alike (GB/T 9704 practice): a centered bold title, on
one line or two; under it a subtitle (——在……上的讲话), a speaker and a date line; the
body; an attachment note (附件：1.……); then the signature, the unit and the date pushed
to the right. Word keeps that layout (alignment, bold, size, styles), which plain text
loses: this module reads the roles from it, paragraph by paragraph, with no XML.

The title's lines become one block (the title), the subtitle stays in the body, the
date line and the signature leave the body for the Layout, and the attachment note
becomes one paragraph at the end of the body, so that its items are no headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import islice

from generator.importer.headings import enumerator
from generator.importer.layout import ATTACHMENT, DATE_LINE, SIGNATURE, SUBTITLE, Layout, line_date
from generator.importer.readers import Block
from generator.importer.titles import DOC_NUMBER, ORG_LINE, SUBTITLE_DASH, is_title

TITLE_MAX = 40  # characters of one title line
TITLE_LINES = 3
UNIT_MAX = 30
FAR_RIGHT = 2400  # a left indent (twentieths of a point) that pushes a line to the right
_ENDS_AS_TITLE = re.compile(
    r"(?:总结|總結|计划|計劃|报告|報告|讲话|講話|意见|意見|要点|要點|方案|通知|规划|規劃|致辞|致辭|发言|發言|汇报|匯報)[”》]?$"
)
_SENTENCE = re.compile(r"[。；;！!？?]")
_ATTACHMENT = re.compile(r"^附\s*件\s*(?:[:：]|\d{1,2}|$)")
_HEADER = re.compile(r"文件$|^(?:内部|内部资料|密级|特急|加急)")  # a red head's issuer line, a mark
# The imprint under a red-head document's signature: 抄送：……, 某某办公室 2020年3月2日印发.
_IMPRINT = re.compile(r"^(?:抄送|抄报|主题词|主送)[:：]|印发$|印發$")


@dataclass(frozen=True)
class Look:
    """How a paragraph is set: what tells a title or a signature from body text."""

    align: str = ""  # Word's jc: center, right, end, left, both …
    bold: bool = False
    size: float = 0.0  # points, of its largest text
    indent: int = 0  # left indent, twentieths of a point
    style: str = ""  # the style's name, lower case
    level: int | None = None  # heading level from the style, the outline or the numbering

    @property
    def centered(self) -> bool:
        return self.align == "center"

    @property
    def pushed_right(self) -> bool:
        return self.align in ("right", "end") or self.indent >= FAR_RIGHT

    def same_as(self, other: Look) -> bool:
        return (self.align, self.bold, self.size, self.style) == (other.align, other.bold, other.size, other.style)


@dataclass(frozen=True)
class Arranged:
    blocks: list[Block]
    layout: Layout
    title_line: int | None  # the block holding the title


Item = tuple[Block, Look | None]  # a paragraph and its look; a table has none


def arrange(items: list[Item]) -> Arranged:
    """The blocks with their roles, the Layout, and the title's block."""
    roles: dict[int, str] = {}  # index -> role
    title = _title(items)
    after = title[-1] + 1 if title else 0
    subtitle, date_line = _front(items, after, roles) if title else (None, None)
    end = _signature(items, after, roles)
    note = _attachment_note(items, after, end)
    layout = _layout(items, roles, subtitle, date_line)
    blocks = _blocks(items, roles, title, note)
    return Arranged(blocks, layout, items[title[0]][0].line if title else None)


def _filled(items: list[Item], start: int, step: int = 1):
    """Indexes of paragraphs with text from `start` on (backwards with step -1), up to a table."""
    index = start
    while 0 <= index < len(items):
        block, look = items[index]
        if look is None:
            return
        if block.text.strip():
            yield index
        index += step


# -- the title and what follows it ------------------------------------------------


def _title(items: list[Item]) -> list[int]:
    """The title's paragraphs: the first lines set apart as a title, joined if alike."""
    filled = list(islice(_filled(items, 0), TITLE_LINES + 3))
    while filled and _is_header(items[filled[0]][0].text):
        filled.pop(0)  # 某某总工会文件 and its document number stand above the title
    if not filled or not _title_shaped(items[filled[0]][0].text.strip()):
        return []
    lines = [filled[0]]
    for index in filled[1:TITLE_LINES]:
        if index != lines[-1] + 1 or not _continues_title(items, lines, index):
            break
        lines.append(index)
    following = filled[len(lines)] if len(filled) > len(lines) else None
    return lines if _set_as_title(items, lines, following) else []


def _is_header(text: str) -> bool:
    text = text.strip()
    return bool(_HEADER.search(text) or DOC_NUMBER.match(text))


def _set_as_title(items: list[Item], lines: list[int], following: int | None) -> bool:
    look = items[lines[0]][1]
    text = "".join(items[i][0].text.strip() for i in lines)
    if len(lines) == 1 and ORG_LINE.match(text):
        return False  # a unit's name alone: the pipeline finds the title under it
    if look.style in ("title", "标题") or look.centered:
        return True
    if following is not None and SUBTITLE_DASH.match(items[following][0].text.strip()):
        return True  # lines with a subtitle under them are a title, however they are set
    return look.level == 1 and is_title(text)  # Heading 1 for a title: 某某工会2019年工作总结


def _title_shaped(text: str) -> bool:
    return (
        len(text) <= TITLE_MAX
        and not _SENTENCE.search(text)
        and not text.endswith(("：", ":"))
        and not enumerator(text)
        and not SUBTITLE_DASH.match(text)
        and not line_date(text)[0]
    )


def _continues_title(items: list[Item], lines: list[int], index: int) -> bool:
    block, look = items[index]
    text = block.text.strip()
    so_far = "".join(items[i][0].text.strip() for i in lines)
    if not _title_shaped(text) or not look.same_as(items[lines[0]][1]):
        return False
    # A title that is complete ends with its kind; a unit or a date set under it is no part of it.
    return not _ENDS_AS_TITLE.search(so_far) and len(so_far + text) <= 2 * TITLE_MAX


def _front(items: list[Item], start: int, roles: dict[int, str]) -> tuple[int | None, int | None]:
    """The subtitle and the date line among the few lines under the title."""
    subtitle = date_line = None
    for index in islice(_filled(items, start), 3):
        block, look = items[index]
        text = block.text.strip()
        if subtitle is None and date_line is None and SUBTITLE_DASH.match(text) and len(text) <= 2 * TITLE_MAX:
            subtitle = index
            roles[index] = SUBTITLE
        elif date_line is None and line_date(text)[0]:
            date_line = index
            roles[index] = DATE_LINE
        elif not ((look.centered or text.endswith("同志")) and len(text) <= UNIT_MAX):
            break  # the body has begun (a speaker's line may stand between)
    return subtitle, date_line


# -- the end: signature and attachment note ---------------------------------------


def _signature(items: list[Item], floor: int, roles: dict[int, str]) -> int:
    """Mark the signature (units above a date, or a unit alone pushed right); returns where it starts."""
    filled = list(islice(_filled(items, len(items) - 1, -1), 8))
    while filled and _IMPRINT.search(items[filled[0]][0].text.strip()):
        filled.pop(0)  # the imprint stays in the body, below the signature
    if not filled or filled[0] < floor:
        return len(items)
    lines: list[int] = []
    dated = line_date(items[filled[0]][0].text)[0]
    if dated:
        lines.append(filled[0])
    for index in filled[len(lines) : len(lines) + 2]:
        block, look = items[index]
        if index < floor or not _signs(block.text.strip(), look, dated):
            break
        lines.append(index)
    if not lines:
        return len(items)
    for index in lines:
        roles[index] = SIGNATURE
    return min(lines)


def _signs(text: str, look: Look, dated: bool) -> bool:
    """A unit's line of a signature (above its date, or alone and pushed right)."""
    if not text or len(text) > UNIT_MAX or _SENTENCE.search(text) or "，" in text or enumerator(text):
        return False
    if look.level is not None or _ATTACHMENT.match(text):
        return False
    shaped = bool(ORG_LINE.match(text))
    return (shaped or look.pushed_right or look.centered) if dated else (shaped and look.pushed_right)


def _attachment_note(items: list[Item], floor: int, end: int) -> list[int]:
    """附件：1.…… 2.…… (or 附件 and its items) just before the signature: one note."""
    filled = list(islice(_filled(items, end - 1, -1), 6))
    for count, index in enumerate(filled):
        text = items[index][0].text.strip()
        if index < floor or len(text) > 60 or _SENTENCE.search(text):
            return []
        if _ATTACHMENT.match(text):
            return sorted(filled[: count + 1])
    return []


# -- putting it together ----------------------------------------------------------


def _layout(items: list[Item], roles: dict[int, str], subtitle: int | None, date_line: int | None) -> Layout:
    layout = Layout()
    if subtitle is not None:
        block = items[subtitle][0]
        layout = replace(layout, subtitle=block.text.strip(), subtitle_line=block.line)
    signed = sorted(i for i, role in roles.items() if role == SIGNATURE)
    units = [i for i in signed if not line_date(items[i][0].text)[0]]
    if units:
        block = items[units[0]][0]
        layout = replace(layout, organization=_unit(block.text), organization_line=block.line)
    dates = [i for i in signed if i not in units] + ([date_line] if date_line is not None else [])
    for index in dates:
        block = items[index][0]
        found = line_date(block.text)[1]
        if found:
            return replace(layout, date=found, date_line=block.line)
    return layout


def _unit(text: str) -> str:
    """The unit as it signs, without the seal's note: 某某工会（盖章）."""
    return re.sub(r"[（(]\s*(?:盖章|公章|章)\s*[）)]$", "", " ".join(text.split())).strip()


def _blocks(items: list[Item], roles: dict[int, str], title: list[int], note: list[int]) -> list[Block]:
    """The blocks with their roles: the title's and the note's lines joined into their first block."""
    joined = {lines[0]: lines for lines in (title, note) if lines}
    skipped = {i for lines in joined.values() for i in lines[1:]}
    blocks = []
    for index, (block, _look) in enumerate(items):
        if index in skipped:
            continue
        if index in joined:
            separator = "" if index in title else " "
            text = separator.join(items[i][0].text.strip() for i in joined[index])
            style = None if index in title else ATTACHMENT  # the title: hints["title_block"]
            block = replace(block, text=text, style=style)
        elif index in roles:
            block = replace(block, style=roles[index])
        blocks.append(block)
    return blocks
