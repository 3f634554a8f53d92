"""Plain data passed between the pipeline's stages.

Entries under ``content/reports/*.yml`` and the unit registry
``content/organizations.yml`` are validated by these models, and nowhere else.
"""

from __future__ import annotations

import re
from datetime import date as Date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from generator.i18n import _

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

# Deepest nesting of sections an entry may have.
MAX_SECTION_DEPTH = 12
# Lowest and highest year a report can plausibly carry.
MIN_YEAR = 1949
MAX_YEAR = 2100

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,80}$")

# Names Windows reserves for devices, whatever the extension (CON.txt is the console).
_WINDOWS_DEVICES = re.compile(r"^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(?:\.|$)", re.IGNORECASE)
_NOT_IN_NAMES = set('\\/:*?"<>|')
MAX_NAME_BYTES = 200  # well under the 255 bytes file systems allow, leaving room for suffixes


def unsafe_file_name(name: str) -> str | None:
    """Why one path component cannot be stored in the archive on every system, or None."""
    if name in ("", ".", ".."):
        return _("is empty or a relative step ('.' or '..')")
    if not _NOT_IN_NAMES.isdisjoint(name):
        return _("contains one of \\ / : * ? \" < > |")
    if not name.isprintable():
        return _("contains control or invisible characters")
    if _WINDOWS_DEVICES.match(name):
        return _("is a name Windows reserves for a device (CON, PRN, AUX, NUL, COM1, LPT1 ...)")
    if name.startswith(".") or name.endswith((".", " ")):
        return _("starts with '.' or ends with '.' or a space")
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        return _("is longer than {count} bytes").format(count=MAX_NAME_BYTES)
    return None


MAX_URL_LENGTH = 2000
_URL_FORBIDDEN = re.compile(r"[\s\"'<>\\^`{|}\x00-\x1f\x7f]")


def unusable_url(value: str) -> str | None:
    """Why `value` cannot be shown as a link to the original web page, or None."""
    if len(value) > MAX_URL_LENGTH:
        return _("is longer than {count} characters").format(count=MAX_URL_LENGTH)
    if not re.match(r"^https?://", value):
        return _("must start with http:// or https://")
    if _URL_FORBIDDEN.search(value):
        return _("must not contain spaces, quotes, angle brackets or control characters")
    host = value.split("/", 3)[2].rpartition("@")[2]
    if not re.fullmatch(r"[^:]+(?::[0-9]{1,5})?", host) or host.startswith("."):
        return _("has no host name")
    return None


def _not_a_device(value: str) -> None:
    # Ids and slugs become file names (reports/<id>.html); CON.html cannot be opened on Windows.
    if _WINDOWS_DEVICES.match(value):
        raise ValueError(
            _("'{value}' is a name Windows reserves for a device, unusable as a file name; choose another").format(value=value)
        )


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
            raise ValueError(_("heading is empty; write the heading, or remove the section"))
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
            raise ValueError(_("line range {lines} must be 1-based and ascending; write the first and the last line, such as [3, 17]").format(lines=list(value)))
        return value

    @field_validator("sha256")
    @classmethod
    def _sha256_hex(cls, value: str) -> str:
        if not re.fullmatch(r"[0-9a-f]{64}", value):
            raise ValueError(_("must be 64 lowercase hex digits; import the source file again to have it written"))
        return value

    @property
    def arrived_name(self) -> str:
        """The file's name as it arrived: the archive adds part of the file's sha256 to a name
        another file holds already (`报告-1a2b3c4d.txt`)."""
        name = self.file.replace("\\", "/").split("/")[-1]
        stem, dot, suffix = name.rpartition(".")
        if not dot:
            stem, suffix = name, ""
        mark = f"-{self.sha256[:8]}"
        if stem.endswith(mark) and len(stem) > len(mark):
            return stem[: -len(mark)] + (f".{suffix}" if dot else "")
        return name

    @field_validator("file")
    @classmethod
    def _relative_path(cls, value: str) -> str:
        if value.startswith(("/", "\\")) or ".." in value.replace("\\", "/").split("/"):
            raise ValueError(_("must be a path inside the content folder, such as sources/report.txt"))
        for part in value.split("/"):
            why = unsafe_file_name(part)
            if why:
                raise ValueError(
                    _("{name!r} {problem}; rename the file under content/sources/ and write its new name here").format(name=part, problem=why)
                )
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
    source_url: str | None = None  # the original page's address, where the input names it
    needs_review: list[str] = Field(default_factory=list)
    # Why the importer doubted each field of needs_review (generator/doubts.py).
    review_reasons: dict[str, str] = Field(default_factory=dict)
    import_notes: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _ascii_id(cls, value: str) -> str:
        if not ID_PATTERN.fullmatch(value):
            raise ValueError(_("must be lowercase ASCII letters, digits and '-' (at most 81); rename the entry and its file"))
        _not_a_device(value)
        return value

    @field_validator("title")
    @classmethod
    def _title_not_blank(cls, value: str) -> str:
        # A blank title would be an empty, invisible link on every list of reports.
        if not value.strip():
            raise ValueError(_("title is empty; write the report's title"))
        return value

    @field_validator("year")
    @classmethod
    def _plausible_year(cls, value: int | None) -> int | None:
        if value is not None and not MIN_YEAR <= value <= MAX_YEAR:
            raise ValueError(
                _("{value} is not a plausible year ({min_year}-{max_year}); correct it, or remove it if the report gives no year").format(
                    value=value, min_year=MIN_YEAR, max_year=MAX_YEAR
                )
            )
        return value

    @field_validator("sources")
    @classmethod
    def _has_original(cls, value: list[Source]) -> list[Source]:
        if not value:
            raise ValueError(_("at least one source is required; import the report's file again to have it written"))
        if value[0].kind != "original":
            raise ValueError(_("the first source must be the original (kind: original); move it to the top of sources"))
        return value

    @field_validator("source_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value is not None:
            why = unusable_url(value)
            if why:
                raise ValueError(_("{problem}; write the page's full address (http:// or https://) or remove the field").format(problem=why))
        return value

    @model_validator(mode="after")
    def _sections_not_too_deep(self) -> Report:
        # Reports nest headings three or four levels deep; far deeper is no report, and
        # the site's recursive rendering would fail on it.
        depth = max((d for d, _ in self.iter_sections()), default=0)
        if depth > MAX_SECTION_DEPTH:
            raise ValueError(
                _("sections are nested {depth} levels deep (at most {most}); move the inner sections up a level").format(
                    depth=depth, most=MAX_SECTION_DEPTH
                )
            )
        return self

    @model_validator(mode="after")
    def _has_body(self) -> Report:
        if not self.lead and not self.sections:
            raise ValueError(_("body is empty: neither lead nor sections; add the report's text under lead: or sections:"))
        return self

    def iter_sections(self):
        """Every section, depth first, with its depth (1 = top level)."""
        stack = [(1, section) for section in reversed(self.sections)]
        while stack:  # a loop, not recursion: a hostile entry may nest deeper than Python recurses
            depth, section = stack.pop()
            yield depth, section
            stack += [(depth + 1, child) for child in reversed(section.sections)]

    def plain_text(self) -> str:
        parts = [self.title, *map(block_text, self.lead)]
        for _depth, section in self.iter_sections():
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

    @field_validator("name")
    @classmethod
    def _name_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError(_("name is empty; write the unit's name"))
        return value

    @field_validator("id")
    @classmethod
    def _ascii_slug(cls, value: str) -> str:
        if not ID_PATTERN.fullmatch(value):
            raise ValueError(_("slug must be non-empty lowercase ASCII letters, digits and '-' (at most 81); choose another slug"))
        _not_a_device(value)
        return value
