"""Simplified and Traditional script: detection and conversion, one OpenCC setup."""

from __future__ import annotations

import operator
from functools import lru_cache


@lru_cache(maxsize=2)
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    return _converter("t2s").convert(text)


def to_traditional(text: str) -> str:
    return _converter("s2t").convert(text)


def detect_script(text: str) -> str:
    sample = text[:4000]
    simplified = to_simplified(sample)
    # Character by character (pairs as zip makes them), unless nothing changed at all.
    changed = 0 if simplified == sample else sum(map(operator.ne, sample, simplified))
    return "traditional" if changed > len(sample) * 0.03 else "simplified"
