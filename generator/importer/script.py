"""Simplified and Traditional script: detection and conversion, one OpenCC setup."""

from __future__ import annotations

import operator
import re
from functools import lru_cache


@lru_cache(maxsize=2)
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


@lru_cache(maxsize=1)
def _traditional_characters() -> re.Pattern:
    """The CJK characters that conversion to Simplified changes on their own (one OpenCC call)."""
    characters = [chr(c) for c in (*range(0x3400, 0xA000), *range(0xF900, 0xFB00))]
    converted = to_simplified("\n".join(characters)).split("\n")
    return re.compile("[" + "".join(a for a, b in zip(characters, converted) if a != b) + "]")


def to_simplified(text: str) -> str:
    return _converter("t2s").convert(text)


def to_traditional(text: str) -> str:
    return _converter("s2t").convert(text)


def detect_script(text: str) -> str:
    sample = text[:4000]
    if not _traditional_characters().search(sample):
        return "simplified"  # most reports: no character that conversion would touch
    simplified = to_simplified(sample)
    # Character by character (pairs as zip makes them), unless nothing changed at all.
    changed = 0 if simplified == sample else sum(map(operator.ne, sample, simplified))
    return "traditional" if changed > len(sample) * 0.03 else "simplified"
