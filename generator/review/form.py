"""The review form's values as an entry's values; what cannot be one is said in Chinese."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date as Date

from generator.errors import ArchiveError
from generator.model import DOC_TYPES, ORG_KINDS, PERIODS
from generator.review.edits import Correction, NewUnit

NEW_UNIT = "__new__"  # the unit select's choice that creates a unit

Parsed = tuple[object, str | None]  # (value, why the text cannot be one)


class FormError(ArchiveError):
    """A form value that cannot be an entry's value; said in the curator's words."""


def one(form: dict[str, list[str]], name: str) -> str:
    values = form.get(name) or [""]
    return values[-1]


def _choice(vocabulary: tuple[str, ...], what: str) -> Callable[[str], Parsed]:
    def parse(text: str) -> Parsed:
        return text, None if text in vocabulary else f"{what}：请从列表中选择。"

    return parse


def _title(text: str) -> Parsed:
    return text.strip(), None if text.strip() else "标题：不能为空。"


def _place(text: str) -> Parsed:
    return text.strip() or None, None


def _year(text: str) -> Parsed:
    text = text.strip().removesuffix("年")
    if not text:
        return None, None
    if not text.isascii() or not text.isdigit():
        return None, "年份：请写成四位数字，例如 2019；不知道就留空。"
    return int(text), None


def _date(text: str) -> Parsed:
    if not text.strip():
        return None, None
    try:
        return Date.fromisoformat(text.strip()).isoformat(), None
    except ValueError:
        return None, "日期：请写成 2019-12-31 这样的格式；不知道就留空。"


PARSERS: dict[str, Callable[[str], Parsed]] = {
    "org_kind": _choice(ORG_KINDS, "单位类型"),
    "place": _place,
    "year": _year,
    "period": _choice(PERIODS, "时段"),
    "doc_type": _choice(DOC_TYPES, "类型"),
    "title": _title,
    "date": _date,
}


def parse_correction(report_id: str, form: dict[str, list[str]]) -> Correction:
    """The correction the form asks for; FormError lists every value that cannot be written.
    A field missing from the form is left as it is."""
    values: dict = {}
    problems = []
    for name, parse in PARSERS.items():
        if name in form:
            values[name], problem = parse(one(form, name))
            problems += [problem] if problem else []
    if problems:
        raise FormError("有的值不能写入条目：", problems)
    new_unit = None
    if one(form, "unit") == NEW_UNIT:
        kind = one(form, "new_kind") if one(form, "new_kind") in ORG_KINDS else values.get("org_kind", "other")
        new_unit = NewUnit(one(form, "new_name"), kind, one(form, "new_place").strip() or None)
    elif "unit" in form:
        values["unit"] = one(form, "unit") or None
    return Correction(report_id, one(form, "base"), values, frozenset(form.get("confirm", [])), new_unit)
