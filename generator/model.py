"""Plain data passed between the pipeline's stages.

Entries under ``content/reports/*.yml`` and the unit registry
``content/organizations.yml`` are validated by these models, and nowhere else.
"""

from __future__ import annotations

import re
from datetime import date as Date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

OrgKind = Literal[
    "street",
    "community",
    "township",
    "school",
    "enterprise",
    "hospital",
    "bank",
    "federation",
    "government",
    "mine",
    "other",
]
Period = Literal["annual", "first-half", "second-half", "multi-year", "unknown"]
DocType = Literal["summary", "plan", "report", "speech", "opinion", "notice", "other"]
Script = Literal["simplified", "traditional"]
CopyKind = Literal["original", "exact", "near"]

ORG_KINDS: tuple[str, ...] = OrgKind.__args__
PERIODS: tuple[str, ...] = Period.__args__
DOC_TYPES: tuple[str, ...] = DocType.__args__

# Lowest and highest year a report can plausibly carry.
MIN_YEAR = 1949
MAX_YEAR = 2100

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,80}$")


class Strict(BaseModel):
    # Unknown keys are kept so that `check` can warn about them (error under --strict).
    model_config = ConfigDict(extra="allow", frozen=True)

    def unknown_fields(self) -> list[str]:
        return sorted((self.model_extra or {}).keys())


class Table(Strict):
    """A table kept as a table (from .docx or .html sources)."""

    rows: list[list[str]]


# A body block: a paragraph of text, or a table.
Block = str | Table


class Section(Strict):
    heading: str
    paragraphs: list[Block] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)

    @field_validator("heading")
    @classmethod
    def _heading_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("heading is empty")
        return value


class Source(Strict):
    file: str
    lines: tuple[int, int]
    sha256: str
    kind: CopyKind = "original"

    @field_validator("lines")
    @classmethod
    def _lines_in_order(cls, value: tuple[int, int]) -> tuple[int, int]:
        first, last = value
        if first < 1 or last < first:
            raise ValueError(f"line range {list(value)} must be 1-based and ascending")
        return value

    @field_validator("sha256")
    @classmethod
    def _sha256_hex(cls, value: str) -> str:
        if not re.fullmatch(r"[0-9a-f]{64}", value):
            raise ValueError("must be 64 lowercase hex digits")
        return value

    @field_validator("file")
    @classmethod
    def _relative_path(cls, value: str) -> str:
        if value.startswith(("/", "\\")) or ".." in value.replace("\\", "/").split("/"):
            raise ValueError("must be a path inside the content folder")
        return value


class Report(Strict):
    id: str
    title: str
    title_generated: bool = False
    organization: str | None = None
    unit: str | None = None
    org_kind: OrgKind = "other"
    place: str | None = None
    year: int | None = None
    year_placeholder: str | None = None
    period: Period = "unknown"
    doc_type: DocType = "other"
    date: Date | None = None
    script: Script = "simplified"
    lead: list[Block] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    sources: list[Source]
    needs_review: list[str] = Field(default_factory=list)
    import_notes: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _ascii_id(cls, value: str) -> str:
        if not ID_PATTERN.fullmatch(value):
            raise ValueError("must be lowercase ASCII letters, digits and '-' (at most 81)")
        return value

    @field_validator("year")
    @classmethod
    def _plausible_year(cls, value: int | None) -> int | None:
        if value is not None and not MIN_YEAR <= value <= MAX_YEAR:
            raise ValueError(f"{value} is not a plausible year ({MIN_YEAR}-{MAX_YEAR})")
        return value

    @field_validator("sources")
    @classmethod
    def _has_original(cls, value: list[Source]) -> list[Source]:
        if not value:
            raise ValueError("at least one source is required")
        if value[0].kind != "original":
            raise ValueError("the first source must be the original (kind: original)")
        return value

    @model_validator(mode="after")
    def _has_body(self) -> Report:
        if not self.lead and not self.sections:
            raise ValueError("body is empty: neither lead nor sections")
        return self

    def iter_sections(self):
        """Every section, depth first, with its depth (1 = top level)."""

        def walk(sections, depth):
            for section in sections:
                yield depth, section
                yield from walk(section.sections, depth + 1)

        yield from walk(self.sections, 1)

    def plain_text(self) -> str:
        parts = [self.title, *map(block_text, self.lead)]
        for _, section in self.iter_sections():
            parts.append(section.heading)
            parts.extend(map(block_text, section.paragraphs))
        return "\n".join(parts)


def block_text(block: Block) -> str:
    if isinstance(block, Table):
        return "\n".join("\t".join(row) for row in block.rows)
    return block


class Organization(Strict):
    id: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    kind: OrgKind = "other"
    place: str | None = None
    parent: str | None = None
    anonymous: bool = False

    @field_validator("id")
    @classmethod
    def _ascii_slug(cls, value: str) -> str:
        if not ID_PATTERN.fullmatch(value):
            raise ValueError("slug must be non-empty lowercase ASCII letters, digits and '-'")
        return value
