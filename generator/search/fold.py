"""One character, one folded character: the matching rule shared by index and browser.

Folding maps Traditional to Simplified script (OpenCC, character by character),
full-width forms and compatibility ideographs to their plain form, and Latin to
lower case. It never changes the length of a text, so a position in the folded
text is a position in the text as shown. The browser gets the same table
(restricted to what the archive uses) and applies it to the query.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np

from generator.errors import BuildError
from generator.i18n import _

# Ranges where folding can change a character (all in the Basic Multilingual Plane).
_RANGES = (
    (0x0041, 0x005A),  # A-Z
    (0x00C0, 0x024F),  # accented Latin
    (0x2E80, 0x2FDF),  # CJK and Kangxi radicals
    (0x3000, 0x303F),  # CJK symbols (ideographic space)
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # full-width and half-width forms
)
# Never part of a word: breaks n-grams the way a space does.
BREAK = "\n"
_INVISIBLE = (
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def _converter():
    try:
        import opencc
    except ImportError as error:  # never index without script folding: searches would miss
        raise BuildError(_("search needs OpenCC for Simplified/Traditional folding: pip install opencc")) from error
    return opencc.OpenCC("t2s")


def _fold_one(char: str, t2s) -> str:
    plain = unicodedata.normalize("NFKC", char)
    if len(plain) != 1:
        plain = char
    if plain.isspace():
        return BREAK
    if "A" <= plain <= "Z":
        plain = plain.lower()
    simplified = t2s.convert(plain)
    return simplified if len(simplified) == 1 else plain


@lru_cache(maxsize=1)
def fold_table() -> dict[int, str]:
    """ord(char) -> folded char, for every character that folding changes."""
    t2s = _converter()
    table: dict[int, str] = {}
    for start, end in _RANGES:
        for code in range(start, end + 1):
            char = chr(code)
            folded = _fold_one(char, t2s)
            for _round in range(3):  # to a fixed point, so folding twice changes nothing
                again = _fold_one(folded, t2s)
                if again == folded:
                    break
                folded = again
            if folded != char:
                table[code] = folded
    for char in " \t\r\x0b\x0c\x85\u2028\u2029\u00a0":
        table[ord(char)] = BREAK
    return table


@lru_cache(maxsize=1)
def _clean_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {ord(c): None for c in _INVISIBLE}
    for code in list(range(0x00, 0x20)) + [0x7F]:
        table[code] = BREAK
    return table


# What _clean_table changes: most texts hold none of it, and a search is much quicker than translate.
_UNCLEAN = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in [*range(0x20), 0x7F]) + re.escape(_INVISIBLE) + "]"
)


def displayed(text: str) -> str:
    """The text as indexed and shown in snippets: invisible and control characters removed."""
    return text.translate(_clean_table()) if _UNCLEAN.search(text) else text


def fold(text: str) -> str:
    """Fold a displayed text; same length, same positions."""
    return text.translate(fold_table())


@lru_cache(maxsize=1)
def _code_table() -> np.ndarray:
    """fold_table as an array over the Basic Multilingual Plane, where every folded character is."""
    table = np.arange(0x10000, dtype=np.uint32)
    for code, folded in fold_table().items():
        table[code] = ord(folded)
    return table


def fold_many(texts: list[str]) -> list[str]:
    """fold() of every text, with an array a batch at a time: several times quicker over an
    archive. The texts are displayed texts, which never hold NUL (displayed() breaks
    control characters)."""
    folded: list[str] = []
    batch: list[str] = []
    size = 0
    for text in texts:
        batch.append(text)
        size += len(text)
        if size >= FOLD_BATCH:
            folded += _fold_batch(batch)
            batch, size = [], 0
    return folded + _fold_batch(batch) if batch else folded


FOLD_BATCH = 1 << 20  # characters: the batch's arrays stay at a few megabytes


def _fold_batch(texts: list[str]) -> list[str]:
    codes = np.frombuffer("\0".join(texts).encode("utf-32-le"), dtype="<u4")
    folded = _code_table()[np.minimum(codes, 0xFFFF)]
    beyond = codes >= 0x10000
    if beyond.any():  # characters beyond the plane fold to themselves
        folded[beyond] = codes[beyond]
    return folded.astype("<u4", copy=False).tobytes().decode("utf-32-le").split("\0")


def browser_table(vocabulary: set[str]) -> dict[str, str]:
    """The part of the table a query can need: folds onto characters the archive contains."""
    return {
        chr(code): folded
        for code, folded in sorted(fold_table().items())
        if folded in vocabulary or folded == BREAK
    }
