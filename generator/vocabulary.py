"""Values a curator may write by their Chinese names (医院, 工作总结, 上半年, 2019年).

An entry stores each fixed vocabulary by its code (hospital, summary, first-half);
a field given by its Chinese label, in either script, or a year written 2019年, is
read as the code, and `check` warns with the value to write instead.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from generator import labels
from generator.importer.headings import year_digits
from generator.importer.script import to_simplified

_YEAR = re.compile(r"^(?:(\d{4})\s*年度?|([〇○零一二三四五六七八九]{4})\s*(?:年度?)?)$")


def _labelled(codes: dict[str, str], **more: str) -> dict[str, str]:
    """Label -> code, with the codes themselves (any case) and a few other usual names."""
    return {**{label: code for code, label in codes.items()}, **more}


# Each field with a fixed vocabulary: its codes with their labels, and what is read as each code.
VOCABULARIES = {
    "org_kind": (labels.ORG_KIND, _labelled(labels.ORG_KIND, 机关="government", 事业单位="government", 街道工会="street", 社区工会="community", 公司="enterprise", 矿="mine", 煤矿="mine", 乡="township", 镇="township")),
    "period": (labels.PERIOD, _labelled(labels.PERIOD, 年度="annual", 上半年度="first-half", 下半年度="second-half")),
    "doc_type": (labels.DOC_TYPE, _labelled(labels.DOC_TYPE, 总结="summary", 计划="plan", 报告="report", 讲话稿="speech", 发言="speech", 工作要点="plan", 汇报="report")),
    "script": (labels.SCRIPT, _labelled(labels.SCRIPT, 简体字="simplified", 繁体字="traditional", 简="simplified", 繁="traditional")),
    "kind": (labels.ORG_KIND, _labelled(labels.ORG_KIND, 机关="government", 事业单位="government", 公司="enterprise", 矿="mine", 煤矿="mine")),
}
# The fields of each model that take a vocabulary (an Organization's `kind` is a unit kind).
REPORT_FIELDS = ("org_kind", "period", "doc_type", "script")
ORGANIZATION_FIELDS = ("kind",)


@dataclass(frozen=True)
class ReadAs:
    """A value given by its label, and the code it was read as."""

    field: str
    given: str
    stored: str | int


def choices(field: str) -> str | None:
    """'street (街道), community (社区), …': the codes of a field, with their labels."""
    if field not in VOCABULARIES:
        return None
    return ", ".join(f"{code} ({label})" for code, label in VOCABULARIES[field][0].items())


def read_labels(data: dict, fields: tuple[str, ...], year: bool = False) -> tuple[dict, list[ReadAs]]:
    """`data` with every field given by a label (or `year` written as 2019年) replaced by its
    code, and what was read so. Values that are neither are left to validation."""
    read = []
    for field in fields:
        value = data.get(field)
        if isinstance(value, str) and value not in VOCABULARIES[field][0]:
            code = _code(field, value)
            if code is not None:
                read.append(ReadAs(field, value, code))
    if year and isinstance(data.get("year"), str):
        number = year_of(data["year"])
        if number is not None:
            read.append(ReadAs("year", data["year"], number))
    if read:
        data = {**data, **{r.field: r.stored for r in read}}
    return data, read


def _code(field: str, value: str) -> str | None:
    codes, names = VOCABULARIES[field]
    plain = unicodedata.normalize("NFKC", value).strip()
    if plain.lower() in codes:
        return plain.lower()
    return names.get(plain) or names.get(to_simplified(plain))


def year_of(text: str) -> int | None:
    """2019 from '2019年', '２０１９年度' or '二〇一九年'."""
    match = _YEAR.match(unicodedata.normalize("NFKC", text).strip())
    if not match:
        return None
    digits = match.group(1) or match.group(2)
    return int(year_digits(digits))

