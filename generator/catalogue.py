"""Keeps the message catalogue: extract the code's messages, update the .po, compile the .mo.

    python -m generator.catalogue        # what `nox -s messages` runs

Babel does the work; it is needed only here (the test extra), never to run the tool.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from generator.i18n import CATALOGUES, DOMAIN, LOCALE_DIR

PACKAGE = Path(__file__).parent
KEYWORDS = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "pgettext_noop": ((1, "c"), 2),
}
# Which languages the catalogue has; every message must be in each of them.
LOCALES = tuple(CATALOGUES.values())


def po_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract() -> Catalog:
    """Every message the code passes to _() and its kin."""
    template = Catalog(project=DOMAIN, fuzzy=False)
    found = extract_from_dir(
        PACKAGE, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
    )
    for filename, lineno, message, comments, context in found:
        template.add(message, locations=[(f"generator/{filename}", lineno)], auto_comments=comments, context=context)
    return template


def read(locale: str) -> Catalog:
    path = po_path(locale)
    if not path.exists():
        return Catalog(locale=locale, domain=DOMAIN, project=DOMAIN, fuzzy=False)
    with path.open("rb") as handle:
        return read_po(handle, locale=locale, domain=DOMAIN)


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    # Sorted, without line numbers: a moved message changes no line of the .po.
    write_po(out, catalog, width=100, sort_output=True, include_lineno=False, ignore_obsolete=True)
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def update(locale: str) -> Catalog:
    """The .po with the code's messages: new ones untranslated, gone ones dropped."""
    catalog = read(locale)
    catalog.update(extract(), no_fuzzy_matching=True, update_header_comment=False, update_creation_date=False)
    catalog.fuzzy = False
    return catalog


def main() -> int:
    for locale in LOCALES:
        catalog = update(locale)
        path = po_path(locale)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(po_bytes(catalog))
        path.with_suffix(".mo").write_bytes(mo_bytes(catalog))
        missing = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
        print(f"{path.relative_to(PACKAGE.parent)}: {len(catalog)} messages, {len(missing)} untranslated")
        for message in missing:
            print(f"  {message!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
