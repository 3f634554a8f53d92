"""Validation of one entry or unit, with messages a clerk can act on.

Each problem names the file, the line, the field, what is wrong and what to do,
in our words rather than the validation library's.
"""

from __future__ import annotations

from pydantic import BaseModel, ValidationError

from generator import vocabulary
from generator.errors import Problem
from generator.i18n import N_, Messages
from generator.model import MAX_YEAR, MIN_YEAR, Organization, Report

MESSAGES = Messages({
    "not_mapping": N_("expected a mapping of field: value; an entry is one report written as `field: value` lines"),
    "unknown_field": N_("unknown field (ignored; an error with --strict)"),
    "read_as": N_("'{given}' read as {stored}; write `{field}: {stored}` to drop this warning"),
    "missing": N_("is missing; add a line `{field}: …` with its value"),
    "choice": N_("'{value}' is not a value of {field}; write one of {choices}"),
    "year": N_("'{value}' is not a year; write it as four digits, such as 2019 ({min_year}-{max_year}), "
    "or leave it empty if the report gives none"),
    "number": N_("'{value}' is not a whole number; write digits only, such as 12"),
    "text": N_("{value} is not text; put it in quotes: '{value}'"),
    "yes_no": N_("'{value}' is neither true nor false; write true or false"),
    "list": N_("should be a list, one `- item` per line below `{field}:`"),
    "mapping": N_("should be `name: value` lines, indented below `{field}:`"),
    "date": N_("'{value}' is not a date; write it as year-month-day, such as 2019-12-31"),
    "pair": N_("should be two line numbers, first and last, such as [3, 17]"),
    "too_small": N_("'{value}' is too small; write {ge} or more"),
    "too_large": N_("'{value}' is too large; write {le} or less"),
    "empty": N_("is empty; write a value"),
    "too_long_text": N_("is longer than {max_length} characters; shorten it"),
    "own": N_("{message}"),
    "other": N_("'{value}' is not valid here ({detail}); correct it"),
})
# Pydantic's error types, by the message that explains them.
_KINDS = {
    "missing": "missing",
    "literal_error": "choice",
    "int_parsing": "number",
    "int_type": "number",
    "int_from_float": "number",
    "string_type": "text",
    "bool_parsing": "yes_no",
    "bool_type": "yes_no",
    "list_type": "list",
    "dict_type": "mapping",
    "model_type": "mapping",
    "model_attributes_type": "mapping",
    "date_parsing": "date",
    "date_from_datetime_parsing": "date",
    "date_from_datetime_inexact": "date",
    "date_type": "date",
    "tuple_type": "pair",
    "too_short": "pair",
    "too_long": "pair",
    "greater_than_equal": "too_small",
    "less_than_equal": "too_large",
    "string_too_short": "empty",
    "string_too_long": "too_long_text",
    "value_error": "own",
}
_VOCABULARY_FIELDS = {Report: vocabulary.REPORT_FIELDS, Organization: vocabulary.ORGANIZATION_FIELDS}


def load_model(model: type[BaseModel], data, label: str, lines: dict[str, int], problems: list[Problem]):
    """The validated model, or None; its problems (and warnings) go to `problems`."""
    if not isinstance(data, dict):
        problems.append(Problem(label, "", MESSAGES["not_mapping"], lines.get("")))
        return None
    data, read = vocabulary.read_labels(data, _VOCABULARY_FIELDS.get(model, ()), year=model is Report)
    for value in sorted(read, key=lambda r: lines.get(r.field, 0)):
        message = MESSAGES["read_as"].format(given=value.given, stored=value.stored, field=value.field)
        problems.append(Problem(label, value.field, message, lines.get(value.field), "warning"))
    try:
        obj = model.model_validate(data)
    except ValidationError as error:
        problems.extend(validation_problems(error, label, lines))
        return None
    for name in obj.unknown_fields():
        problems.append(Problem(label, name, MESSAGES["unknown_field"], lines.get(name), "warning"))
    return obj


def validation_problems(error: ValidationError, label: str, lines: dict[str, int]) -> list[Problem]:
    out = []
    for item in error.errors():
        loc = [str(part) for part in item["loc"]]
        name = ".".join(loc) or "(entry)"
        line = lines.get(name) or (lines.get(loc[0]) if loc else lines.get(""))
        out.append(Problem(label, name, _message(item, loc), line))
    return out


def _message(item: dict, loc: list[str]) -> str:
    kind = _KINDS.get(item["type"], "other")
    field = loc[-1] if loc else "entry"
    if kind == "number" and field == "year":
        kind = "year"
    values = {
        "field": field,
        "value": _shown(item.get("input")),
        "message": item["msg"].removeprefix("Value error, "),
        "detail": item["msg"],
        "min_year": MIN_YEAR,
        "max_year": MAX_YEAR,
        "choices": vocabulary.choices(field if loc[:1] != ["sources"] else "") or (item.get("ctx") or {}).get("expected", ""),
    }
    return MESSAGES[kind].format(**values, **{k: v for k, v in (item.get("ctx") or {}).items() if k not in values})


def _shown(value: object, limit: int = 40) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
