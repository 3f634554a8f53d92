"""Cleaning: site chrome and ads out, pinyin artifacts repaired, punctuation restored.

Rules describe boilerplate by its shape (breadcrumbs, "来源" lines, "[…网]"
stamps, doubled SEO titles), never by one site's exact words. Whatever is taken
out is returned as a Removal so the pipeline can log it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Characters that may stand next to restored punctuation: CJK and CJK brackets/quotes.
CJK_SIDE = CJK + r"“”‘’《》〈〉「」『』【】〔〕（）、。，：；？！…—"


@dataclass(frozen=True)
class Removal:
    line: int
    text: str
    reason: str


# --- whole lines that are page chrome ---------------------------------------

_CHROME_LINE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("breadcrumb", re.compile(r"^(?:[^>\s]{1,12}\s*>\s*){2,}\S{0,12}\s*>?\s*$")),
    ("breadcrumb", re.compile(r"^(?:当前位置|當前位置|您的位置|你的位置)[:：]")),
    ("page date stamp", re.compile(r"^(?:时间|時間|发布时间|發布時間|发布日期|更新时间|日期)[:：]\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}.{0,30}$")),
    ("source url", re.compile(r"^(?:本文|原文|文章)?(?:来源|來源|出处|出處|链接|鏈接|地址|网址|網址|(?i:url))(?:于|於)?\s*[:：]?\s*(?:https?://|www\.)\S+\s*$")),
    ("related-articles list", re.compile(r"(?:相关|相關|推荐|推薦|热门|熱門|延伸)(?:文章|阅读|閱讀|推荐|推薦|范文|範文)[:：]?\s*$")),
    ("related-articles list", re.compile(r"^(?:看过|看過|读过|讀過).{0,40}(?:还看了|還看了)[:：]?\s*$")),
    ("recommendation stamp", re.compile(r"^\[(?:荐|薦|推荐|推薦|精)\]")),
    ("site intro", re.compile(r"(?:小编|小編)|(?:为|為)(?:大家|您)(?:整理|推荐|推薦|收集|精心)|供大家参考|供大家參考|欢迎阅读|歡迎閱讀|希望(?:大家|对大家|對大家|能)(?:能够|能夠)?(?:喜欢|喜歡|有所帮助|有所幫助)")),
)


# Every pattern above needs one of these (keep them in step). Most lines have none: the patterns,
# slow to rule out, are skipped. Written as plain alternatives, which the regex engine scans for fast.
_CHROME_WORDS = re.compile(
    r">|位置|时间|時間|日期|://|www\.|相关|相關|推荐|推薦|热门|熱門|延伸|看了|\[|小编|小編|大家|为您|為您|欢迎阅读|歡迎閱讀|希望"
)


def chrome_reason(text: str) -> str | None:
    """Why a whole line is page chrome, or None."""
    stripped = text.strip()
    if not stripped or not _CHROME_WORDS.search(stripped):
        return None
    for reason, pattern in _CHROME_LINE_PATTERNS:
        if pattern.search(stripped):
            return reason
    return None


# --- fragments inside kept lines ---------------------------------------------

_SITE = r"[\w\u4e00-\u9fff.\-]{1,20}?(?:网|網|站|\.com|\.cn|\.net|\.org)"
_FRAGMENT_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ad", re.compile(r"[\[［【]\s*(?:本文|此文)?(?:来源|來源|转载|轉載|由)[^\]］】]{0,60}[\]］】]")),
    ("ad", re.compile(r"[\[［【][^\]］】]{0,40}(?:范文|範文|收集整理|网站|網站)[^\]］】]{0,40}[\]］】]")),
    ("ad", re.compile(r"(?:原创|原創|来源|來源|出处|出處)[:：]\s*(?:https?://)?[a-z0-9][a-z0-9.\-]*\.(?:cn|com|net|org)(?![a-z0-9])[^\s\u4e00-\u9fff]*", re.I)),
    ("ad", re.compile(rf"(?:此文|本文|该文|該文)(?:来源|來源|转载|轉載|摘自)(?:于|於|自)?{_SITE}")),
    ("ad", re.compile(r"(?:https?://|www\.)[a-z0-9.\-]+\.[a-z]{2,}(?:/[\w./\-?=&%#]*)?", re.I)),
    ("seo title", re.compile(rf"((?:\d{{4}}年)?[{CJK}]{{2,16}}?(?:工作总结|工作計劃|工作计划|工作報告|工作报告|工作總結))(?:\1|工作总结|工作总结|工作计划|工作报告|工作總結|工作計劃|工作報告)+")),
)


# The kinds of report an SEO title names (each match of the "seo title" pattern holds two).
_TITLE_WORDS = re.compile(r"工作(?:总结|總結|计划|計劃|报告|報告)")
# Every other fragment pattern needs one of these, or a URL ("://", "www."). Most lines have
# none: the patterns, slow to rule out, are skipped (and where nothing is removed, no new
# match can appear). Written as plain alternatives, which the regex engine scans for fast.
_AD_WORDS = re.compile(r"\[|［|【|原创|原創|来源|來源|出处|出處|此文|本文|该文|該文")
_WWW = re.compile(r"www\.", re.I)


def _may_hold_ads(text: str) -> bool:
    return bool(_AD_WORDS.search(text)) or "://" in text or bool(_WWW.search(text))


def remove_fragments(text: str, line: int) -> tuple[str, list[Removal]]:
    removals: list[Removal] = []
    ads = _may_hold_ads(text)
    for reason, pattern in _FRAGMENT_PATTERNS:
        if reason == "seo title" and len(_TITLE_WORDS.findall(text)) < 2:
            continue  # a doubled title names its kind twice; the pattern is slow to rule out elsewhere
        if reason == "ad" and not ads:
            continue
        def drop(match: re.Match[str], reason=reason) -> str:
            removals.append(Removal(line, match.group(0), reason))
            return ""

        text = pattern.sub(drop, text)
    return text, removals


# --- repairs -----------------------------------------------------------------

# A Latin pinyin syllable in ASCII parentheses right after a CJK character: 區(qū).
_PINYIN = re.compile(rf"(?<=[{CJK}])\((?:[a-zü]|[\u00e0-\u01dc])+\)")


def remove_pinyin(text: str) -> tuple[str, int]:
    # Every line passes here twice; the pattern is slow to rule out, a missing "(" is not.
    return _PINYIN.subn("", text) if "(" in text else (text, 0)


def pinyin_annotations(text: str) -> list[str]:
    """The annotations remove_pinyin takes out, for the import log."""
    return _PINYIN.findall(text) if "(" in text else []


_PUNCT = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
_BETWEEN = re.compile(rf"(?<=[{CJK_SIDE}0-9])([,:;!])(?=[{CJK_SIDE}])|(?<=[{CJK_SIDE}])([,;])(?=[0-9])")
_LINE_END = re.compile(rf"(?<=[{CJK}”》）])([:!?])\s*$")
_QUESTION = re.compile(rf"(?<=[{CJK}])\?(?=[“”《》「」，。]|$)")
_PARENS = re.compile(r"\(([^()\n]{1,40})\)")


# Every rule below needs one of these; most lines have none (the patterns are slow to rule out).
_ASCII_PUNCT = re.compile(r"[,:;!?(]")


def restore_punctuation(text: str) -> str:
    """ASCII ,:;?!() between Chinese characters become full-width, as Chinese text writes them."""
    if not _ASCII_PUNCT.search(text):
        return text
    text = _BETWEEN.sub(lambda m: _PUNCT[m.group(1) or m.group(2)], text)
    text = _LINE_END.sub(lambda m: _PUNCT[m.group(1)], text)
    text = _QUESTION.sub("？", text)
    return _PARENS.sub(_full_width_parens, text)


def _full_width_parens(match: re.Match[str]) -> str:
    inner = match.group(1)
    before = match.string[match.start() - 1 : match.start()]
    after = match.string[match.end() : match.end() + 1]
    touches_cjk = any(re.match(rf"[{CJK}]", ch) for ch in (before, after, inner[:1], inner[-1:]) if ch)
    return f"（{inner}）" if touches_cjk else match.group(0)


# Signs of text damaged beyond repair: replacement characters, lost brackets (?2013?),
# stray HTML, question marks glued inside words, Latin capitals inside CJK runs.
_MOJIBAKE = re.compile(
    rf"\ufffd|\?\?|\?[!;]|[{CJK}]\?\d|\d\?[{CJK}]|</?[a-z]+>|[{CJK}]\?[{CJK}](?![^。]*[？?]$)|[{CJK}][A-Z][{CJK}]"
)


# Every sign above needs one of these characters: lines without any are ruled out at once.
_MOJIBAKE_HINT = re.compile(r"[\ufffd?<A-Z]")


def has_mojibake(text: str) -> bool:
    return bool(_MOJIBAKE_HINT.search(text)) and bool(_MOJIBAKE.search(text))


_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def normalize_spacing(text: str) -> str:
    """Drop invisible and direction-override characters; tidy whitespace."""
    text = _INVISIBLE.sub("", text)
    text = text.replace("\u3000", " ").replace("\t", " ")
    return re.sub(r" {2,}", " ", text).strip()


def clean_line(text: str, line: int) -> tuple[str, list[Removal], bool]:
    """Clean one kept line: (text, removed fragments, damaged?)."""
    text = unicodedata.normalize("NFC", text)
    text, _ = remove_pinyin(text)
    text, removals = remove_fragments(text, line)
    text = normalize_spacing(text)
    damaged = has_mojibake(text)
    return restore_punctuation(text), removals, damaged
