"""How to cite a report: GB/T 7714-2015 text, BibTeX and RIS, the page's citation_* meta tags
and its description.

A citation of an online resource ends with the date it was cited and its address. The date is
the reader's (a page is the same file whatever day it is read), and so is the address where the
archive's site_url is not set: both are left as slots that the page fills in when it is read
(theme/assets/javascripts/archive-cite.js), with a placeholder for a reader without scripts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from generator import labels, links
from generator.config import SiteConfig
from generator.model import Organization, Report, Table
from generator.render.escape import one_line

ANONYMOUS = "佚名"  # GB/T 7714-2015 8.1.2: a work without a known creator
DESCRIPTION_LENGTH = 120  # characters of the lead a page's description holds

# Document type codes of GB/T 7714-2015 (appendix B), with "/OL" for an online resource, and the
# matching RIS type. Work reports are reports (R); a notice or an opinion is an official
# document, as the standard's own example of a notice online ([A/OL]); a speech is none of these.
TYPE_CODES = {
    "summary": ("R", "RPRT"),
    "plan": ("R", "RPRT"),
    "report": ("R", "RPRT"),
    "speech": ("Z", "GEN"),
    "opinion": ("A", "GEN"),
    "notice": ("A", "GEN"),
    "other": ("Z", "GEN"),
}


@dataclass(frozen=True)
class Slot:
    """A value only the reader's page knows, filled in when it is read."""

    name: str  # "url", "date" (2026-01-31) or "ris-date" (2026/01/31)
    placeholder: str


ACCESS_DATE = Slot("date", "引用日期")
RIS_ACCESS_DATE = Slot("ris-date", "引用日期")
PAGE_URL = Slot("url", "本页网址")

Part = str | Slot


@dataclass(frozen=True)
class CitedWork:
    """What every citation format is made of, as shown text (one line each)."""

    key: str  # the report's id: ASCII, a BibTeX key as it is
    author: str
    title: str
    year: int | None
    date: datetime.date | None
    doc_type: str
    publisher: str  # the archive
    url: str | None  # the page's address, where the site's address is known
    title_generated: bool


@dataclass(frozen=True)
class Citation:
    gbt: tuple[Part, ...]
    bibtex: tuple[Part, ...]
    ris: tuple[Part, ...]


def cited_work(report: Report, org: Organization | None, site: SiteConfig) -> CitedWork:
    author = org.name if org else report.organization or ANONYMOUS
    url = links.absolute_url(site.site_url, links.report_page(report.id)) if site.site_url else None
    return CitedWork(
        key=report.id,
        author=one_line(author) or ANONYMOUS,
        title=one_line(report.title),
        year=report.year,
        date=report.date,
        doc_type=report.doc_type,
        publisher=one_line(site.site_name),
        url=url,
        title_generated=report.title_generated,
    )


def citation(work: CitedWork) -> Citation:
    return Citation(gbt7714(work), bibtex(work), ris(work))


def _url(work: CitedWork) -> Part:
    return work.url if work.url else PAGE_URL


def gbt7714(work: CitedWork) -> tuple[Part, ...]:
    """主要责任者. 题名[文献类型标识/OL]. 出版者, 出版年(日期)[引用日期]. 获取和访问路径.
    (GB/T 7714-2015 4.8.2; an online resource names no place of publication.)"""
    code = TYPE_CODES[work.doc_type][0]
    year = str(work.year) if work.year is not None else "[出版年不详]"
    dated = f"({work.date.isoformat()})" if work.date else ""
    return (
        f"{work.author}. {work.title}[{code}/OL]. {work.publisher}, {year}{dated}[",
        ACCESS_DATE,
        "]. ",
        _url(work),
        ".",
    )


def note(work: CitedWork) -> str:
    parts = [labels.DOC_TYPE[work.doc_type]]
    if work.title_generated:
        parts.append("原文无标题，由整理者拟定")
    return "；".join(parts)


# Characters special to BibTeX and LaTeX, written so that a value keeps balanced braces.
_BIBTEX = str.maketrans({
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "$": r"\$",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
})


def bibtex_value(value: str) -> str:
    return value.translate(_BIBTEX)


def _bibtex_url(url: str) -> str:
    """A URL as BibTeX's url field takes it verbatim: only what would unbalance it is encoded."""
    return url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


def bibtex(work: CitedWork) -> tuple[Part, ...]:
    """A @misc entry; the unit and the title in double braces, so that a style keeps them whole
    (a unit is no person's family and given name)."""
    fields: list[tuple[str, tuple[Part, ...]]] = [
        ("author", ("{" + bibtex_value(work.author) + "}",)),
        ("title", ("{" + bibtex_value(work.title) + "}",)),
    ]
    if work.year is not None:
        fields.append(("year", (str(work.year),)))
    if work.date:
        fields.append(("date", (work.date.isoformat(),)))
    fields += [
        ("howpublished", (bibtex_value(work.publisher),)),
        ("url", (_bibtex_url(work.url),) if work.url else (PAGE_URL,)),
        ("urldate", (ACCESS_DATE,)),
        ("note", (bibtex_value(note(work)),)),
    ]
    parts: list[Part] = [f"@misc{{{work.key},\n"]
    for name, value in fields:
        parts += [f"  {name:<12} = {{", *value, "},\n"]
    parts.append("}")
    return _joined(parts)


def ris(work: CitedWork) -> tuple[Part, ...]:
    """RIS: one `TAG  - value` line per field, ending with ER."""
    lines: list[tuple[str, tuple[Part, ...]]] = [
        ("TY", (TYPE_CODES[work.doc_type][1],)),
        ("AU", (work.author,)),
        ("TI", (work.title,)),
    ]
    if work.year is not None:
        lines.append(("PY", (str(work.year),)))
    if work.date:
        lines.append(("DA", (work.date.strftime("%Y/%m/%d/"),)))
    lines += [
        ("PB", (work.publisher,)),
        ("UR", (work.url,) if work.url else (PAGE_URL,)),
        ("Y2", (RIS_ACCESS_DATE,)),
        ("LA", ("zh",)),
        ("N1", (note(work),)),
    ]
    parts: list[Part] = []
    for tag, value in lines:
        parts += [f"{tag}  - ", *value, "\n"]
    parts.append("ER  - ")
    return _joined(parts)


def _joined(parts: list[Part]) -> tuple[Part, ...]:
    """Adjacent strings as one."""
    joined: list[Part] = []
    for part in parts:
        if isinstance(part, str) and joined and isinstance(joined[-1], str):
            joined[-1] += part
        else:
            joined.append(part)
    return tuple(joined)


def head_meta(work: CitedWork) -> list[tuple[str, str]]:
    """The citation_* meta tags that reference managers and scholarly search engines read."""
    published = work.date.strftime("%Y/%m/%d") if work.date else str(work.year) if work.year else None
    meta = [("citation_title", work.title), ("citation_author", work.author)]
    if published:
        meta += [("citation_publication_date", published), ("citation_date", published)]
    meta += [("citation_publisher", work.publisher), ("citation_language", "zh")]
    if work.url:
        meta.append(("citation_abstract_html_url", work.url))
    return meta


def description(report: Report, limit: int = DESCRIPTION_LENGTH) -> str:
    """The start of the report's text, as one line of at most `limit` characters."""
    paragraphs = [block for block in report.lead if not isinstance(block, Table)]
    if not paragraphs:
        paragraphs = [
            block for _, section in report.iter_sections() for block in section.paragraphs if not isinstance(block, Table)
        ]
    text = one_line(" ".join(paragraphs)) or one_line(report.title)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
