"""Metadata from a report's own words: unit, kind, place, year, period, type, date, script.

Everything here is read from the text; where a rule is unsure the field goes to
needs_review. A placeholder (20xx年) is never turned into a year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date as Date

from generator.doubts import REASONS, YEAR_FROM_DATE_NOTE, YEAR_OVER_DATE_NOTE
from generator.importer.headings import cn_to_int, year_digits
from generator.importer.layout import NO_LAYOUT, Layout
from generator.importer.orgs import category_of, find_organization
from generator.importer.script import detect_script, to_simplified
from generator.importer.structure import Body
from generator.model import MAX_YEAR, MIN_YEAR

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
    # Why a field was flagged, where a rule knew more than the usual reason (doubts.REASONS).
    review_reasons: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what was weighed, for the import notes


def year_value(text: str) -> int | None:
    """'2013', '２０１３' or '二〇一三' → 2013 when plausible."""
    digits = year_digits(text)
    if not digits.isdecimal():  # int() reads full-width digits too; isdigit() would let '²⁰¹³' through
        return None
    value = int(digits)
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


# A year in a title: 2013年…, or 2024工会半年工作总结 with the 年 left out.
_TITLE_YEAR = re.compile(rf"(?<![0-9０-９])({_YEAR_DIGITS})(?![0-9０-９])")
# A year in the opening text; one after 于/自/从 dates a past event (始建于1973年) or starts a span.
_OPENING_YEAR = re.compile(rf"(?<![0-9０-９])({_YEAR_DIGITS})\s*年")
_PAST_MARK = re.compile(r"(?:于|於|自|从|從|始建|建成|截至|截止|早在|曾在|曾于)\s*$")


def title_year(title: str | None) -> int | None:
    """The year a title states (the first one, as in 2019年工作总结 or 2019—2021年规划)."""
    for match in _TITLE_YEAR.finditer(title or ""):
        year = year_value(match.group(1))
        if year:
            return year
    return None


def opening_year(opening: str) -> int | None:
    """The first year the opening text states that is not a past event's date."""
    for match in _OPENING_YEAR.finditer(opening):
        if _PAST_MARK.search(opening[max(0, match.start() - 4) : match.start()]):
            continue
        year = year_value(match.group(1))
        if year:
            return year
    return None


def dated_year(date: Date, doc_type: str) -> int:
    """The year a signature's date speaks for: a plan signed in November or December is for the
    next year, a summary signed in January or February for the last."""
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
_FIRST_HALF = re.compile(r"上半年|1-6月|一至六月|(?<![0-9一二三四五六七八九〇○xX×])年中(?!国|國|央|华|華|心)|半年来|半年來|(?<![上下多两兩几幾])半年(?:工作)?(?:总结|總結)")
_SECOND_HALF = re.compile(r"下半年")
# What says a text covers one year. Speeches, news and essays must say it plainly; plans,
# summaries and reports may also just speak of this year.
_ANNUAL_PLAIN = re.compile(
    r"一年来|一年以来|一年來|一年以來|全年|年度工作|本年度|新的一年|"
    r"(?:[12]\d{3}|20[xX×]{2}|[xX×]{2})\s*年(?:度)?(?:[^，,。；]{0,12})?工作(?:任务|任務|总结|總結|计划|計劃|要点|要點|思路)"
)
# A plan for one event (an outing, a tournament) covers no period.
_EVENT_PLAN = re.compile(r"活动方案|活動方案|实施方案|實施方案|比赛|比賽|旅游|旅遊|行程")
_ANNUAL_OWN = re.compile(r"今年|本年|年初|年底|年度|(?:^|\n)(?:[12]\d{3}|20[xX×]{2}|[xX×]{2,4})\s*年(?:度)?[，,在]")
_PLAN_PART = re.compile(r"^(?:下半年|今后|今後|明年)")


def _unnumbered(heading: str) -> str:
    return re.sub(r"^[（(]?[一二三四五六七八九十\d]{1,3}[）)]?[、.．，,]?", "", heading)


def detect_period(doc_type: str, title: str, lead: str, headings: list[str], closing: str, paragraphs: list[str], body_start: str = "", label: str = "") -> str:
    """The period the text covers; a collection's label counts only where the text says nothing."""
    found = _stated_period(doc_type, title, lead, headings, closing, paragraphs, body_start)
    if found is not None:
        return found
    if label and not title:
        labelled = _stated_period(doc_type, label, "", [], "", [], "")
        if labelled is not None and labelled != "annual":
            return labelled
    if re.search(r"月份|月度|月报|月報", title) or re.search(r"月份[^。，]{0,6}(?:报告|報告)", f"{title}\n{body_start}"):
        return "unknown"  # a monthly report
    if doc_type in ("summary", "report") or (doc_type == "plan" and not _EVENT_PLAN.search(f"{title or label}\n{body_start[:150]}")):
        return "annual"
    if doc_type == "speech" and _ANNUAL_PLAIN.search("\n".join(paragraphs)[:3000]):
        return "annual"  # a speech that reviews the year
    return "unknown"


def _stated_period(doc_type: str, title: str, lead: str, headings: list[str], closing: str, paragraphs: list[str], body_start: str) -> str | None:
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
    if _ANNUAL_PLAIN.search(f"{title}\n{body_start}"):
        return "annual"
    return None


_TYPE_BY_TITLE = (
    ("opinion", re.compile(r"意见|意見")),
    ("notice", re.compile(r"通知")),
    ("speech", re.compile(r"讲话|講話|演讲|演講|致辞|致辭|发言|發言")),
    ("plan", re.compile(r"计划|計劃|打算|要点|要點|规划|規劃|安排|方案")),
    # a 总结汇报 or 总结报告 is a summary
    ("summary", re.compile(r"总结|總結")),
    ("report", re.compile(r"报告|報告|汇报|匯報")),
)
_NAMES_REPORT = dict(_TYPE_BY_TITLE)["report"]


def _type_named(text: str) -> str | None:
    """The kind of document a title, subtitle or label names, if any."""
    return next((doc_type for doc_type, pattern in _TYPE_BY_TITLE if text and pattern.search(text)), None)
_SALUTATION = re.compile(r"^.{0,20}(?:同志们|同志們|代表们|代表們|朋友们|朋友們|各位代表)(?:[:：]|$)")
# A text that opens by looking back over the time it covers is a review.
_LOOKING_BACK = re.compile(r"^(?:一年来|一年以来|一年來|一年以來|今年以来|今年以來|半年来|半年以来|半年來|过去的一年|過去的一年|回顾)")
# A report to a congress says so, even after greeting the delegates.
_CONGRESS_REPORT = re.compile(r"向(?:大会|大會|各位代表|全体代表|全體代表)(?:作|做)[^。]{0,16}(?:报告|報告)")
_PLAN_SELF = re.compile(r"(?:方案|计划|計劃|要点|要點)如下")
# Third-person news of a meeting: a date and a meeting held, in the first sentence or the title.
_NEWS_TITLE = re.compile(r"召开|召開|举行|舉行|举办|舉辦|开幕|開幕|闭幕|閉幕")
_NEWS_DATE = re.compile(r"近日|日前|\d{1,2}\s*月\s*\d{1,2}\s*(?:[-—至]\s*\d{1,2}\s*)?日|(?<!\d)\d{1,2}日(?:上午|下午|晚)?在")
_REPORT_SELF = re.compile(r"汇报如下|匯報如下|工作汇报|工作匯報|工作报告|工作報告|向大家(?:进行|作)?.{0,12}汇报|汇报[:：]?$")
_SUMMARY_SELF = re.compile(r"总结如下|總結如下|总结[:：]$|總結[:：]$|工作总结")


def is_news(title: str, first: str) -> bool:
    """A third-person account of a meeting: its title or first sentence says one was held, and when."""
    if title and _NEWS_TITLE.search(title) and not re.search(r"讲话|講話|致辞|致辭|发言|發言", title):
        return True
    sentence = first.split("\n", 1)[0].split("。", 1)[0][:200]
    return bool(_NEWS_DATE.search(sentence)) and bool(_NEWS_TITLE.search(sentence))


def doc_type_and_basis(title: str, lead: list[str], body: str, first: str = "", label: str = "", subtitle: str = "") -> tuple[str, str]:
    """The kind of document, and what says so: "title", "text" (the text's own words), "label"
    (a collection's label) or "wording" (only how the text speaks: unsure)."""
    if is_news(title, first):
        return "other", "text"
    named = _type_named(title) or _type_named(subtitle)  # subtitle: ——在…上的讲话 / 报告
    if named:
        return named, "title"
    opening = "\n".join(lead)[:600]
    if _CONGRESS_REPORT.search(opening):
        return "report", "text"
    if lead and _SALUTATION.match(lead[0]):
        # delegates are greeted by a speech, and by a report to their congress
        return ("report", "label") if label and _NAMES_REPORT.search(label) else ("speech", "text")
    if _REPORT_SELF.search(opening):
        return "report", "text"
    if _SUMMARY_SELF.search(opening) or _LOOKING_BACK.match(opening):
        return "summary", "text"
    if _PLAN_SELF.search(opening):
        return "plan", "text"
    if _reads_as_review(body):
        return "summary", "wording"
    if _type_named(label):
        return _type_named(label), "label"  # the collection's label, where the text does not say
    return ("plan" if _reads_as_plan(body) else "summary"), "wording"


def _reads_as_review(body: str) -> bool:
    """A text that mostly tells what was done."""
    done = body.count("了")
    todo = len(re.findall(r"要|将|將|计划|計劃|力争|力爭", body))
    return len(body) > 200 and done > todo


def _reads_as_plan(body: str) -> bool:
    """Plans speak of what is to be done (要, 将); reviews of what was done (了)."""
    done = body.count("了")
    todo = len(re.findall(r"要|将|將|计划|計劃|力争|力爭", body))
    return len(body) > 200 and done * 3 < todo


# --- everything together --------------------------------------------------------


def extract(body: Body, all_paragraphs: list[str], layout: Layout = NO_LAYOUT, label: str | None = None) -> Metadata:
    """`layout`: what the file's layout states besides the text (a signature's unit and date, a
    subtitle); `label`: a collection's label, a hint for the kind of document, never its title."""
    headings = [s.heading for s in body.sections]
    lead = "\n".join(body.lead)
    text = "\n".join(all_paragraphs)
    meta = Metadata(script=detect_script(text))
    simplified = to_simplified(text) if meta.script == "traditional" else text
    found = find_organization(body, text, simplified, category_of(label), layout.subtitle, layout.organization)
    meta.organization, meta.org_kind, meta.place = found.name, found.kind, found.place
    meta.needs_review += found.unsure
    meta.review_reasons.update(found.reasons)
    title = to_simplified(body.title or "")
    # Rules are written in Simplified script; a Simplified text needs no conversion (it is costly).
    simp = to_simplified if meta.script == "traditional" else str
    label = to_simplified(label) if label else ""
    opening = simp(_opening(body, all_paragraphs))
    lead_texts = [simp(p) for p in body.lead if isinstance(p, str)]
    subtitle = simp(body.subtitle or layout.subtitle or "")
    meta.doc_type, basis = doc_type_and_basis(title, lead_texts, simplified, opening, label, subtitle)
    if basis in ("label", "wording"):
        meta.needs_review.append("doc_type")
        why = REASONS["doc_type_label" if basis == "label" else "doc_type_wording"]
        meta.review_reasons["doc_type"] = why.format(doc_type=meta.doc_type, label=label)
    closing = "\n".join(all_paragraphs[-2:])
    meta.period = detect_period(meta.doc_type, title, simp(lead), [simp(h) for h in headings], closing, all_paragraphs, opening, label)
    said = f"{title or label}\n{opening}"
    if meta.period == "annual" and not (_ANNUAL_PLAIN.search(said) or _ANNUAL_OWN.search(said)):
        meta.needs_review.append("period")
        meta.review_reasons["period"] = REASONS["period_presumed"]
    meta.date = layout.date or stated_date(body.lead[:8] + all_paragraphs[-6:])
    _set_year(meta, body, opening, lead, headings, text)
    if not body.title:
        meta.needs_review.append("title")
    return meta


def _opening(body: Body, paragraphs: list[str]) -> str:
    """The first few hundred characters of the report's own text (its title left out)."""
    texts = [p for p in paragraphs if p and p != body.title]
    return "\n".join(texts)[:400]


def _set_year(meta: Metadata, body: Body, opening: str, lead: str, headings: list[str], text: str) -> None:
    """The title's year, else the opening's, else the signature's date; never a placeholder, and
    a title with one (20xx年) takes no year from a date."""
    stated = title_year(body.title) or own_year(lead, headings)
    guessed = None if stated else opening_year(opening)
    if guessed:
        # the first year the opening names, in no telling phrase: likely, not sure
        meta.needs_review.append("year")
        meta.review_reasons["year"] = REASONS["year_opening"].format(year=guessed)
    stated = stated or guessed
    if stated:
        meta.year = stated
        if meta.date and dated_year(meta.date, meta.doc_type) != stated:
            meta.notes.append(YEAR_OVER_DATE_NOTE.format(year=stated, date=meta.date.isoformat()))
        return
    if meta.date and not first_placeholder(body.title or ""):
        meta.year = dated_year(meta.date, meta.doc_type)
        if meta.year != meta.date.year:
            meta.notes.append(YEAR_FROM_DATE_NOTE.format(year=meta.year, date=meta.date.isoformat()))
        return
    meta.year_placeholder = first_placeholder(text)
    if meta.year_placeholder is None:
        meta.needs_review.append("year")
