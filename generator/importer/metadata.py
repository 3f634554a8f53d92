"""Metadata from a report's own words: unit, kind, place, year, period, type, date, script.

Everything here is read from the text; where a rule is unsure the field goes to
needs_review. A placeholder (20xx年) is never turned into a year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date as Date

from generator.importer.headings import cn_to_int
from generator.importer.layout import NO_LAYOUT, Layout
from generator.importer.orgs import find_organization
from generator.importer.script import detect_script, to_simplified
from generator.importer.structure import Body
from generator.model import MAX_YEAR, MIN_YEAR

_CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# Years as written: 2013, full-width ２０１３, or 二〇一三 (\d also matches full-width digits).
_YEAR_DIGITS = r"(?:[12１２]\d{3}|[一二][〇○零Ｏ一二三四五六七八九]{3})"
_PLACEHOLDER = re.compile(r"(?<![0-9A-Za-z])((?:20|19|2)?[xX×ｘＸ_＿*]{1,4}|[xX]{2}|_{2,4})年(?![0-9]*[号號])")
_IN_DOC_NUMBER = re.compile(r"[〔\[（(]\s*$|^\s*\d{1,4}\s*[号號]")
_DATE = re.compile(rf"({_YEAR_DIGITS})\s*年\s*([\d一二三四五六七八九十]{{1,3}})\s*月\s*([\d一二三四五六七八九十]{{1,3}})\s*日")
_OWN_YEAR = re.compile(
    rf"(?:^|[，,。：:现现将就])({_YEAR_DIGITS})\s*年(?:度|以来|以來)?(?:[，,]|(?:上半年|下半年|全年)?(?:的)?(?:工会|工會)?工作(?:总结|總結|计划|計劃|报告|報告|汇报|匯報|情况|要点))"
)
_RANGE_END = re.compile(rf"(?:[xX×_]{{1,4}}|{_YEAR_DIGITS})\s*年?\s*(?:至|到|—|-|~)\s*({_YEAR_DIGITS})\s*年")


@dataclass
class Metadata:
    organization: str | None = None
    org_kind: str = "other"
    place: str | None = None
    year: int | None = None
    year_placeholder: str | None = None
    period: str = "unknown"
    doc_type: str = "summary"
    date: Date | None = None
    script: str = "simplified"
    needs_review: list[str] = field(default_factory=list)


def year_value(text: str) -> int | None:
    """'2013', '２０１３' or '二〇一三' → 2013 when plausible."""
    if text.isdecimal():  # int() reads full-width digits too; isdigit() would let '²⁰¹³' through
        value = int(text)
    else:
        digits = [_CN_DIGIT.get(ch) for ch in text]
        if None in digits:
            return None
        value = int("".join(map(str, digits)))
    return value if MIN_YEAR <= value <= MAX_YEAR else None


def stated_date(paragraphs: list[str]) -> Date | None:
    """A full date written as the document's own (signature or issuing line)."""
    for text in paragraphs:
        if len(text) > 40:
            continue
        match = _DATE.search(text)
        if match:
            year = year_value(match.group(1))
            month, day = cn_to_int(match.group(2)), cn_to_int(match.group(3))
            try:
                return Date(year, month, day) if year else None
            except ValueError:
                return None
    return None


_TITLE_YEAR = re.compile(rf"({_YEAR_DIGITS})\s*年")


def title_year(title: str) -> int | None:
    """The year a title names (of a range, its last year)."""
    match = _RANGE_END.search(title) or _TITLE_YEAR.search(title)
    return year_value(match.group(1)) if match else None


def report_year(title: str, stated: int | None, date: Date | None, doc_type: str) -> int | None:
    """The year the report is about: the one its title or lead states, else its date's; but a
    plan dated in November or December is for the next year, and a summary dated in January
    or February for the last. A title with a placeholder (20xx年) takes no year from a date."""
    if title_year(title) or stated or first_placeholder(title) or date is None:
        return title_year(title) or stated
    if doc_type == "plan" and date.month >= 11:
        return date.year + 1
    if doc_type == "summary" and date.month <= 2:
        return date.year - 1
    return date.year


def own_year(lead: str, headings: list[str]) -> int | None:
    for text in (lead, *headings):
        for match in _OWN_YEAR.finditer(text[:200]):
            year = year_value(match.group(1))
            if year:
                return year
    match = _RANGE_END.search(lead[:300] + "\n" + "\n".join(headings))
    return year_value(match.group(1)) if match else None


def first_placeholder(text: str) -> str | None:
    for match in _PLACEHOLDER.finditer(text):
        before = text[max(0, match.start() - 3) : match.start()]
        after = text[match.end() : match.end() + 6]
        if _IN_DOC_NUMBER.search(before) or re.match(r"\d{1,4}\s*[号號]", after):
            continue
        return match.group(0)
    return None


# --- period and type ----------------------------------------------------------

_MULTI_YEAR = re.compile(r"[三四五两兩几幾多]年来|[三四五两兩几幾多]年來|过去的?[三四五两兩几幾]年|任期|(?:至|到)\s*[12]\d{3}年|近年来|近年來")
_FIRST_HALF = re.compile(r"上半年|1-6月|一至六月|年中|半年来|半年來")
_SECOND_HALF = re.compile(r"下半年")
_PLAN_PART = re.compile(r"^(?:下半年|今后|今後|明年)")


def _unnumbered(heading: str) -> str:
    return re.sub(r"^[（(]?[一二三四五六七八九十\d]{1,3}[）)]?[、.．，,]?", "", heading)


def detect_period(doc_type: str, title: str, lead: str, headings: list[str], closing: str, paragraphs: list[str]) -> str:
    opening = f"{title}\n{lead[:300]}\n" + "\n".join(headings[:1])
    if _MULTI_YEAR.search(opening):
        return "multi-year"
    has_plan_part = any(_PLAN_PART.match(_unnumbered(h)) for h in headings[1:]) or any(
        p.startswith("下半年") for p in paragraphs[1:]
    )
    if _FIRST_HALF.search(opening) or has_plan_part or _FIRST_HALF.search(closing):
        return "first-half"
    if _SECOND_HALF.search(title + lead[:60]) and doc_type != "plan":
        return "second-half"
    if doc_type in ("opinion", "notice", "other"):
        return "unknown"
    return "annual"


_TYPE_BY_TITLE = (
    ("opinion", re.compile(r"意见|意見")),
    ("notice", re.compile(r"通知")),
    ("speech", re.compile(r"讲话|講話|演讲|演講|致辞|致辭|发言|發言")),
    ("plan", re.compile(r"计划|計劃|打算|要点|要點|规划|規劃|安排")),
    ("report", re.compile(r"报告|報告|汇报|匯報")),
    ("summary", re.compile(r"总结|總結")),
)
_SALUTATION = re.compile(r"^.{0,16}(?:同志们|同志們|代表们|代表們|朋友们|朋友們)[:：]?$")
_REPORT_SELF = re.compile(r"汇报如下|匯報如下|工作汇报|工作匯報|工作报告|工作報告|向大家(?:进行|作)?.{0,12}汇报|汇报[:：]?$")
_SUMMARY_SELF = re.compile(r"总结如下|總結如下|总结[:：]$|總結[:：]$|工作总结")


def detect_doc_type(title: str, lead: list[str], body: str, subtitle: str = "") -> str:
    for named in (title, subtitle):  # 凝心聚力……——在……上的讲话: the subtitle names the kind
        for doc_type, pattern in _TYPE_BY_TITLE:
            if named and pattern.search(named):
                return doc_type
    if lead and _SALUTATION.match(lead[0]):
        return "speech"
    opening = "\n".join(lead)[:600]
    if _REPORT_SELF.search(opening):
        return "report"
    if _SUMMARY_SELF.search(opening):
        return "summary"
    return "plan" if _reads_as_plan(body) else "summary"


def _reads_as_plan(body: str) -> bool:
    """Plans speak of what is to be done (要, 将); reviews of what was done (了)."""
    done = body.count("了")
    todo = len(re.findall(r"要|将|將|计划|計劃|力争|力爭", body))
    return len(body) > 200 and done * 3 < todo


# --- everything together --------------------------------------------------------


def extract(body: Body, all_paragraphs: list[str], layout: Layout = NO_LAYOUT) -> Metadata:
    """`layout`: what the file's layout states besides the text (a signature's unit and date, a subtitle)."""
    headings = [s.heading for s in body.sections]
    lead = "\n".join(body.lead)
    text = "\n".join(all_paragraphs)
    meta = Metadata(script=detect_script(text))
    simplified = to_simplified(text) if meta.script == "traditional" else text
    found = find_organization(body, text, simplified, layout.subtitle, layout.organization)
    meta.organization, meta.org_kind, meta.place = found.name, found.kind, found.place
    meta.needs_review += found.unsure
    meta.doc_type = detect_doc_type(body.title or "", body.lead, simplified, layout.subtitle or "")
    closing = "\n".join(all_paragraphs[-2:])
    meta.period = detect_period(meta.doc_type, to_simplified(body.title or ""), to_simplified(lead), [to_simplified(h) for h in headings], closing, all_paragraphs)
    meta.date = layout.date or stated_date(body.lead[:8] + all_paragraphs[-6:])
    meta.year = report_year(to_simplified(body.title or ""), own_year(lead, headings), meta.date, meta.doc_type)
    if meta.year is None:
        meta.year_placeholder = first_placeholder(text)
        if meta.year_placeholder is None:
            meta.needs_review.append("year")
    if not body.title:
        meta.needs_review.append("title")
    return meta
