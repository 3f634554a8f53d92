"""Messages in the curator's language: English (the code's own text) or Simplified Chinese.

One gettext catalogue, `locale/zh_CN/LC_MESSAGES/report-archive.po` (compiled beside it, so an
installed package needs no build step). English is the msgid. Messages with values name their
fields and are formatted after translation: `_("{file}: not found").format(file=path)`.

Only what is shown is translated: what the archive stores (entries, the import log) stays in
English, so that content/ is byte for byte the same whichever language a curator reads.
"""

from __future__ import annotations

import gettext
import os
import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

DOMAIN = "report-archive"
LOCALE_DIR = Path(__file__).parent / "locale"
CATALOGUES = {"zh": "zh_CN"}
LANGUAGES = ("en", "zh")
# gettext's own order: the first of these that is set decides.
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_active: gettext.NullTranslations = gettext.NullTranslations()


def language_from(environ: Mapping[str, str]) -> str:
    """`zh` where the locale is Chinese, else `en`."""
    for variable in LOCALE_VARIABLES:
        value = environ.get(variable)
        if not value:
            continue
        for name in value.split(":"):  # LANGUAGE lists languages in order of preference
            name = name.strip().lower()
            if name.startswith("zh"):
                return "zh"
            if name.startswith("en") or name in ("c", "posix") or name.startswith("c."):
                return "en"
        return "en"
    return "en"


def activate(lang: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """Use `lang` (zh or en), else the locale's language; the language chosen."""
    global _active
    chosen = lang or language_from(os.environ if environ is None else environ)
    if chosen in CATALOGUES:
        # A copy without its catalogue still runs, in English.
        _active = gettext.translation(DOMAIN, LOCALE_DIR, languages=[CATALOGUES[chosen]], fallback=True)
    else:
        _active = gettext.NullTranslations()
    return chosen


def _(message: str) -> str:
    """The message in the active language."""
    return _active.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The message for `count` in the active language."""
    return _active.ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Marks a message kept in a constant; translate it with _() where it is shown."""
    return message


def pgettext_noop(context: str, message: str) -> str:
    """Marks a message with a context for the catalogue; translate it with field_label()."""
    return message


def field_label(name: str) -> str:
    """A field as a curator edits it (its YAML key, `sources.0.file` for a nested one), with its
    name in the active language where the catalogue has one: `year` → `year（年份）`."""
    key = re.sub(r"\.\d+(?=\.|$)|\[\d+\]", "", name)
    label = _active.pgettext("field", key)
    return name if label == key else _("{field} ({label})").format(field=name, label=label)


# The fields a message may name: the catalogue gives each its label (context `field`).
FIELDS = (
    pgettext_noop("field", "id"),
    pgettext_noop("field", "title"),
    pgettext_noop("field", "title_generated"),
    pgettext_noop("field", "organization"),
    pgettext_noop("field", "unit"),
    pgettext_noop("field", "org_kind"),
    pgettext_noop("field", "place"),
    pgettext_noop("field", "year"),
    pgettext_noop("field", "year_placeholder"),
    pgettext_noop("field", "period"),
    pgettext_noop("field", "doc_type"),
    pgettext_noop("field", "date"),
    pgettext_noop("field", "script"),
    pgettext_noop("field", "lead"),
    pgettext_noop("field", "sections"),
    pgettext_noop("field", "heading"),
    pgettext_noop("field", "paragraphs"),
    pgettext_noop("field", "sources"),
    pgettext_noop("field", "source_url"),
    pgettext_noop("field", "needs_review"),
    pgettext_noop("field", "import_notes"),
    pgettext_noop("field", "review_reasons"),
    pgettext_noop("field", "sources.file"),
    pgettext_noop("field", "sources.lines"),
    pgettext_noop("field", "sources.sha256"),
    pgettext_noop("field", "name"),
    pgettext_noop("field", "aliases"),
    pgettext_noop("field", "kind"),
    pgettext_noop("field", "parent"),
    pgettext_noop("field", "yaml"),
)


def stored(text: str, templates: Iterable[str]) -> str:
    """Text the archive stores in English (a reason in an entry), shown in the active language:
    the template it was made from, with its values, translated; unknown text as it is."""
    for template in templates:
        match = _pattern(template).fullmatch(text)
        if match:
            return _(template).format(**match.groupdict())
    return text


@cache
def _pattern(template: str) -> re.Pattern:
    parts = re.split(r"\{(\w+)\}", template)
    # Text and field names alternate; a field repeated matches the same text again.
    seen: set[str] = set()
    out = []
    for number, part in enumerate(parts):
        if number % 2 == 0:
            out.append(re.escape(part.replace("{{", "{").replace("}}", "}")))
        elif part in seen:
            out.append(f"(?P={part})")
        else:
            seen.add(part)
            out.append(f"(?P<{part}>.+?)")
    return re.compile("".join(out), re.S)


class Messages(dict):
    """A module's messages by name, kept in English (each marked N_) and given translated."""

    def __getitem__(self, name: str) -> str:
        return _(super().__getitem__(name))


# The system's reasons a file operation fails (its own English words, as Python gives them).
SYSTEM_REASONS = (
    N_("No such file or directory"),
    N_("Permission denied"),
    N_("Operation not permitted"),
    N_("No space left on device"),
    N_("Disk quota exceeded"),
    N_("Read-only file system"),
    N_("File exists"),
    N_("Not a directory"),
    N_("Is a directory"),
    N_("Directory not empty"),
    N_("File name too long"),
    N_("Too many open files"),
    N_("Input/output error"),
    N_("Invalid argument"),
)


def system_reason(error: OSError) -> str:
    """Why the system refused a file operation, in the active language where the catalogue
    has the system's words."""
    return _(error.strerror) if error.strerror else str(error)
