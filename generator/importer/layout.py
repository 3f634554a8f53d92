"""What a document's layout states outside its body text, as plain data.

A Word document sets apart what is not the report's body: a subtitle under the title
(——在……上的讲话), a date line under a speech's title (（2019年12月20日）), and a
signature block at the end (the unit, the date). The reader recognises them by their
place and alignment and hands them on as a Layout, so the metadata takes the date and
the unit from here instead of guessing them from the text again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date as Date

from generator.importer.headings import cn_to_int, year_digits
from generator.model import MAX_YEAR, MIN_YEAR

_YEAR = r"(?P<year>[12１２]\d{3}|[一二][〇○零ＯОO一二三四五六七八九]{3}|(?:20|19)?[xX×ｘＸ_＿*]{1,4})"
_PART = r"[\d一二三四五六七八九十xX×ｘＸ_＿*]{1,3}"
# A line that is a date and nothing else, as a signature or a date line writes it:
# 2019年12月20日, 二〇一九年十二月二十日, （2019年12月20日）, 20xx年x月x日.
_DATE_ONLY = re.compile(
    rf"^[（(]?\s*{_YEAR}\s*年\s*(?P<month>{_PART})\s*月\s*(?P<day>{_PART})\s*日\s*[）)]?$"
)


# Block and paragraph styles of the roles a layout gives (besides "heading-N"): a subtitle
# and an attachment note stay in the body; a date line and a signature leave it for the Layout.
SUBTITLE, DATE_LINE, SIGNATURE, ATTACHMENT = "subtitle", "date-line", "signature", "attachment"
LEFT_OUT = (DATE_LINE, SIGNATURE)


@dataclass(frozen=True)
class Layout:
    """Each value with the block it was read from (0: none), so that a file holding several
    reports gives each report only what lies within it."""

    subtitle: str | None = None
    subtitle_line: int = 0
    organization: str | None = None  # the unit that signs
    organization_line: int = 0
    date: Date | None = None  # the signature's date, else the date line's
    date_line: int = 0

    def within(self, first: int, last: int) -> Layout:
        """What of it lies in the blocks first..last."""
        inside = first <= self.subtitle_line <= last
        layout = self if inside else replace(self, subtitle=None, subtitle_line=0)
        if not first <= layout.organization_line <= last:
            layout = replace(layout, organization=None, organization_line=0)
        if not first <= layout.date_line <= last:
            layout = replace(layout, date=None, date_line=0)
        return layout


NO_LAYOUT = Layout()


def line_date(text: str) -> tuple[bool, Date | None]:
    """(whether the line is only a date, the date): a placeholder (20xx年x月x日) is a date line
    that gives no date."""
    match = _DATE_ONLY.match(text.strip())
    if not match:
        return False, None
    year = year_digits(match.group("year"))
    month, day = match.group("month"), match.group("day")
    if not year.isdecimal() or not all(re.fullmatch(r"\d+|[一二三四五六七八九十]+", p) for p in (month, day)):
        return True, None
    if not MIN_YEAR <= int(year) <= MAX_YEAR:
        return True, None
    try:
        return True, Date(int(year), cn_to_int(month), cn_to_int(day))
    except ValueError:
        return True, None
