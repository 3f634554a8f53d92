"""Turn untrusted report text into inert Markdown.

Every ASCII punctuation character becomes a numeric character reference, so
neither Markdown, its extensions (`!!!`, `--8<--`, `{: }`, `|`), raw HTML,
nor template syntax can be recognised; the browser still shows the text as
written. Control characters are dropped: Python-Markdown uses STX/ETX as its
own placeholders. So are zero-width and text-direction characters, as the
importer drops them: a right-to-left override would show the text after it
reversed, so a page could read differently from what the entry says.
"""

from __future__ import annotations

import html
import json
import re
import string

_SPECIAL = {ord(c): f"&#{ord(c)};" for c in string.punctuation}
_BLANK_RUN = re.compile(r"[ \t\u3000]+")


class Md(str):
    """Markdown we generated ourselves: written as is by the templates."""


# Zero-width characters and direction marks, embeddings, overrides and isolates; and every
# control (Cc, but newline), surrogate (Cs) and private-use (Co) character.
_DROPPED = re.compile(
    "[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
    "\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]"
)


def _clean(text: str) -> str:
    return _DROPPED.sub("", text)


def verbatim(text: str) -> str:
    """A source line as written, not yet escaped: blanks and tabs kept, only dropped characters removed."""
    return "\t".join(map(_clean, text.split("\t")))


def one_line(text: object) -> str:
    """Shown text of a title, name or table cell, not yet escaped: newlines become spaces."""
    value = _clean(str(text)).replace("\n", " ")
    return _BLANK_RUN.sub(" ", value).strip()


def paragraph_lines(text: str) -> list[str]:
    """Shown lines of a paragraph, not yet escaped; leading blanks removed, empty lines dropped."""
    lines = (_BLANK_RUN.sub(" ", line).strip() for line in _clean(text).split("\n"))
    return [line for line in lines if line]


def inline(text: object) -> Md:
    """One line of text (title, name, table cell) as inert Markdown."""
    return Md(one_line(text).translate(_SPECIAL))


def paragraph(text: str) -> Md:
    """A paragraph as inert Markdown; line breaks are kept, so nothing becomes code."""
    return Md("\n".join(line.translate(_SPECIAL) for line in paragraph_lines(text)))


# Front matter key of pages written as HTML (see mkdocs_hooks.py).
HTML_PAGE = "archive_html"


# Front matter key of the page's own <meta name content> pairs (theme/main.html writes them).
HEAD_META = "archive_meta"


def front_matter(
    title: object,
    template: str | None = None,
    html_page: bool = False,
    description: str | None = None,
    meta: list[tuple[str, str]] = (),
) -> Md:
    """YAML front matter naming the page: MkDocs puts the title, the description and the
    meta values into HTML unescaped."""
    text = html.escape(_clean(str(title)).replace("\n", " ").strip())
    lines = [f"title: {json.dumps(text, ensure_ascii=False)}"]
    if template is not None:  # one of our own theme templates, never report text
        lines.append(f"template: {json.dumps(template)}\nhide: [toc]")
    if html_page:
        lines.append(f"{HTML_PAGE}: true")
    if description:
        lines.append(f"description: {_meta_value(description)}")
    if meta:
        pairs = ", ".join(f"[{json.dumps(name)}, {_meta_value(value)}]" for name, value in meta)
        lines.append(f"{HEAD_META}: [{pairs}]")
    return Md("---\n" + "\n".join(lines) + "\n---\n")


def _meta_value(value: object) -> str:
    """One line of text, HTML-escaped, as a YAML (JSON) string."""
    return json.dumps(html.escape(one_line(value)), ensure_ascii=False)
