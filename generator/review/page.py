"""The review pages as HTML (Jinja2, every value escaped)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import jinja2

from generator import labels, links
from generator.model import Organization, Report
from generator.review.queue import EDITABLE, Excerpt, ReviewItem, excerpts, form_field
from generator.taxonomy import name_key

PAGE_SIZE = 20
REVIEW_ROOT = "/_review/"


@functools.cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator.review", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(labels=labels, root=REVIEW_ROOT, report_url=report_url, unit_url=unit_url)
    return env


def report_url(report_id: str) -> str:
    return "/" + links.page_url(links.report_page(report_id))


def unit_url(slug: str) -> str:
    return "/" + links.page_url(links.unit_page(slug))


@dataclass(frozen=True)
class Card:
    """One report on the review page, with what its form shows."""

    item: ReviewItem
    excerpts: list[Excerpt]
    values: dict[str, str]  # form field -> value as shown
    doubtful: dict[str, str]  # form field -> the reasons it is doubtful
    error: list[str]  # why the last correction of this report was not written


def form_values(report: Report) -> dict[str, str]:
    values = {}
    for name in EDITABLE:
        value = getattr(report, name)
        values[name] = "" if value is None else value.isoformat() if name == "date" else str(value)
    return values


def card(content: Path, item: ReviewItem, submitted: dict[str, str] | None = None, error: list[str] = ()) -> Card:
    doubtful: dict[str, str] = {}
    for doubt in item.doubts:
        field = form_field(doubt.field)
        if field:
            doubtful[field] = (doubtful.get(field, "") + " " + doubt.reason).strip()
    values = form_values(item.report)
    if submitted:
        values.update({k: v for k, v in submitted.items() if k in values or k.startswith("new_")})
    return Card(item, excerpts(content, item.report), values, doubtful, list(error))


_SPELLED: dict[str, str] = {}  # unit name -> pinyin, kept while the preview runs


def units_for_select(units: list[Organization]) -> list[Organization]:
    """In the order of the site's unit list (pinyin), as a curator looks for them."""
    # The select shows each unit with its place and slug, which tell units of one name apart.
    return sorted(units, key=lambda unit: name_key(unit, unit.name, _SPELLED))


def render(template: str, **context) -> bytes:
    return _environment().get_template(template).render(**context).encode("utf-8")


def page_count(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))
