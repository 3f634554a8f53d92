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

_COUNT = r"[\d一二三四五六七八九十]{1,3}\s*篇"
_COLLECTION_DOC = r"(?:总结|總結|计划|計劃|报告|報告|讲话|講話|方案|范文|範文|要点|要點|致辞|致辭|发言|發言|稿|心得|体会|體會|汇报|匯報|意见|意見)"
# A site's title for a set of sample texts: 工会工作计划(精选6篇), 工作总结范文10篇, …集锦.
COLLECTION_TITLE = re.compile(
    # not a numbered item, nor a sentence counting pieces written (全年撰写调研报告15篇)
    r"^(?![一二三四五六七八九十\d]{1,2}[、.．])(?!.*(?:共|累计|累計|撰写|撰寫|发表|發表|编写|編寫|完成|上报|上報|收到|征集|徵集|评选|評選|刊发|刊發|刊登|报送|報送))"
    rf".{{0,40}}{_COLLECTION_DOC}.{{0,12}}?"
    rf"(?:[（(【\[]\s*(?:精选|精選|推荐|推薦|实用|實用|热门|熱門|通用|优选|優選|必备|必備)?\s*{_COUNT}\s*[）)】\]]"
    rf"|(?:范文|範文|精选|精選|实用|實用|集合|汇编|彙編|大全|集锦|集錦|锦集|錦集|合集|模板)\s*{_COUNT}|{_COUNT}"
    rf"|集锦|集錦|锦集|錦集|大全|合集|汇编|彙編)\s*$"
)

# The label of a line giving a page's address (来源：http://…); importer/source_url.py reads the
# address from such a line, which this module leaves out of the text.
SOURCE_LABEL = r"^(?:本文|原文|文章)?(?:来源|來源|出处|出處|链接|鏈接|地址|网址|網址|(?i:url))(?:于|於)?\s*[:：]?\s*"

_CHROME_LINE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("breadcrumb", re.compile(r"^(?:[^>\s]{1,12}\s*>\s*){2,}\S{0,12}\s*>?\s*$")),
    ("breadcrumb", re.compile(r"^(?:当前位置|當前位置|您的位置|你的位置)[:：]")),
    ("page date stamp", re.compile(r"^(?:时间|時間|发布时间|發布時間|发布日期|更新时间|日期)[:：]\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}.{0,30}$")),
    ("source url", re.compile(SOURCE_LABEL + r"(?:https?://|www\.)\S+\s*$")),
    ("related-articles list", re.compile(r"(?:相关|相關|推荐|推薦|热门|熱門|延伸)(?:文章|阅读|閱讀|推荐|推薦|范文|範文)[:：]?\s*$")),
    ("related-articles list", re.compile(r"^(?:看过|看過|读过|讀過).{0,40}(?:还看了|還看了)[:：]?\s*$")),
    ("recommendation stamp", re.compile(r"^\[(?:荐|薦|推荐|推薦|精)\]")),
    ("site intro", re.compile(r"(?:小编|小編)|(?:为|為)(?:大家|您)(?:整理|推荐|推薦|收集|精心)|供大家参考|供大家參考|欢迎阅读|歡迎閱讀|希望(?:大家|对大家|對大家|能)(?:能够|能夠)?(?:喜欢|喜歡|有所帮助|有所幫助)")),
    ("welcome line", re.compile(r"^(?:您好|你好)?[，,!！]?\s*欢迎(?:访问|訪問|光临|光臨|来到|來到).{0,30}$|^(?:您好|你好)[，,!！]\s*歡迎.{0,30}$")),
    ("site navigation", re.compile(r"^(?:内容导航|內容導航|目录导航|搜索|投诉建议|投訴建議|我要投稿|返回顶部|返回首页|打印本页|关闭窗口|收藏本页|分享到|上一篇|下一篇|论文部分内容阅读|部分内容阅读|内容预览)[:：]?(?:.{0,30}$|$)")),
    ("read-more link", re.compile(r"^[《<【\[]?\s*(?:阅读更多|閱讀更多|查看更多|更多内容|更多內容|阅读全文|閱讀全文|查看全文|点击查看|點擊查看)\s*[》>】\]]?\s*\|?\s*$")),
    ("page widget", re.compile(r"^(?:保护视力色|保護視力色|字号|字號|字体|字體)[:：]")),
    ("hidden-text marker", re.compile(r"此处隐藏|此處隱藏|隐藏内容|隱藏內容|全部文档内容请|全部文檔內容請|喜欢就下载|喜歡就下載|试读结束|試讀結束|余下全文|餘下全文|剩余\s*\d+\s*字|剩餘\s*\d+\s*字")),
    ("download or paywall note", re.compile(r"^(?:温馨提示|溫馨提示|下载说明|下載說明|如果您无法下载资料|如果您無法下載資料)")),
    ("download or paywall note", re.compile(r"^(?:网站|網站)?客服[:：]")),
    ("collection title", COLLECTION_TITLE),
    ("related-articles list", re.compile(r"^(?:※.{1,8}|.{0,4}(?:文章分享|本会讯息|本會訊息|相关文章|相關文章))\s*\|?\s*$|^(?:●[^●:：]{2,5}[:：][^●]+){2,}$")),
)

# Labels of page metadata: where a line holds only such labels with their values, it is a
# byline, date or counter line of the page, not the report's text.
_META_LABEL = (
    r"(?:文章|本文|信息|資訊|资讯)?(?:来源|來源)|发布时间|發布時間|发布日期|發布日期|更新时间|更新時間|时间|時間|日期|作者|"
    r"责任编辑|責任編輯|责编|責編|编辑|編輯|浏览量|瀏覽量|浏览次数|瀏覽次數|浏览|瀏覽|阅读量|閱讀量|阅读次数|閱讀次數|"
    r"点击量|點擊量|点击数|點擊數|点击|點擊|人气|人氣|字号|字號|网站|網站|供稿|投稿|审核|審核|摄影|攝影|发布者|發布者|分类|分類"
)
# Labels that are page metadata wherever they stand; a date or time alone could be a plan's.
_PAGE_ONLY_LABEL = re.compile(r"^(?:.*(?:来源|來源)|发布|發布|更新|作者|责|責|编辑|編輯|浏览|瀏覽|阅读|閱讀|点击|點擊|人气|人氣|字号|字號|网站|網站)")
_META_PAIR = re.compile(rf"(?P<label>{_META_LABEL})\s*[:：]\s*(?:\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}(?:\s*\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?|[^|｜\s]{{0,30}})")
_WIDGETS = re.compile(r"【\s*(?:收藏|打印|关闭|關閉|小\s*中\s*大|大\s*中\s*小|以稿换稿|以稿換稿|我要投稿)\s*】|我要投稿|\[\s*\]|[|｜/·•]")


def _meta_line(text: str) -> bool:
    labels = [m.group("label") for m in _META_PAIR.finditer(text)]
    if not labels or len(text) > 120:
        return False
    rest = _WIDGETS.sub("", _META_PAIR.sub("", text)).strip()
    if rest:
        return False
    return len(labels) >= 2 or bool(_PAGE_ONLY_LABEL.match(labels[0]))


# Lines that carry nothing but a number or a date: page numbers, chunk or caption numbers, date widgets.
_STRAY = re.compile(r"^(?:\d{1,3}|\d{4}[-/.]\d{1,2}(?:[-/.]\d{1,2})?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?|[|｜\s]+)$")
# A whole line in a Latin script inside a Chinese page: a machine translation or an ad.
_LATIN_LINE = re.compile(r"^[A-Za-z][A-Za-z0-9\s,.;:'\"“”‘’!?()\-–—/&%]{60,}$")


# Every pattern above needs one of these (keep them in step). Most lines have none: the patterns,
# slow to rule out, are skipped. Written as plain alternatives, which the regex engine scans for fast.
_CHROME_WORDS = re.compile(
    r">|位置|时间|時間|日期|://|www\.|相关|相關|推荐|推薦|热门|熱門|延伸|看了|\[|小编|小編|大家|为您|為您|欢迎|歡迎|希望|"
    r"导航|導航|搜索|投诉|投訴|投稿|返回|打印|关闭|收藏|分享|上一篇|下一篇|阅读|閱讀|预览|預覽|更多|全文|查看|點擊|点击|"
    r"视力|視力|字号|字號|字体|字體|温馨|溫馨|下载|下載|客服|篇|集锦|集錦|锦集|錦集|大全|合集|汇编|彙編|※|●|文章|本会|本會|"
    r"隐藏|隱藏|试读|試讀|剩余|剩餘|文档|文檔"
)


# Words of a document site's download and payment notes; such a note uses two of them.
_DOWNLOAD_WORDS = re.compile(r"下载|下載|扣费|扣費|金币|金幣|付费|付費|上传|上傳|客服|预览|預覽|文档|文檔|资料包|資料包|账户|賬戶|帐户|版权|版權|解压|解壓")


def chrome_reason(text: str) -> str | None:
    """Why a whole line is page chrome, or None."""
    stripped = text.strip()
    if not stripped:
        return None
    if _CHROME_WORDS.search(stripped):
        for reason, pattern in _CHROME_LINE_PATTERNS:
            if pattern.search(stripped):
                return reason
    return _shape_reason(stripped)


def _shape_reason(text: str) -> str | None:
    """Chrome told by the shape of the whole line rather than by a word in it."""
    if len(text) <= 40 and _STRAY.match(text):
        return "stray number, date or separator"
    if len(text) <= 120 and ("：" in text or ":" in text) and _meta_line(text):
        return "byline, date or counter line"
    if len(text) <= 120 and _DOWNLOAD_WORDS.search(text) and len(set(_DOWNLOAD_WORDS.findall(text))) >= 2:
        return "download or paywall note"
    if text[0].isascii() and _LATIN_LINE.match(text):
        return "text in another language (a translation)"
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
    return bool(_AD_WORDS.search(text)) or "://" in text or ("." in text and bool(_WWW.search(text)))


# Pieces of page or file machinery inside a line, each with the words one of which any match holds.
_MACHINERY_PATTERNS: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = (
    ("Word field code", re.compile("PAGE"), re.compile(r"第?\s*(?:NUM)?PAGES?\s*(?:\\\*\s*[A-Za-z]+\s*)+\d*\s*页?\s*(?:共\s*NUMPAGES\s*(?:\\\*\s*[A-Za-z]+\s*)+\d*\s*页?)?")),
    ("empty image", re.compile(r"!\["), re.compile(r"!\[[^\]]{0,80}\]\([^)]{0,300}\)")),
    ("site watermark", re.compile("网站|網站|站点|站點"), re.compile(r"(?:原创|原創)?[\u4e00-\u9fff]{0,4}(?:网站|網站|站点|站點)[:：]\s*[\u4e00-\u9fff\w.]{1,12}?(?:网|網|站)")),
)


def remove_fragments(text: str, line: int) -> tuple[str, list[Removal]]:
    removals: list[Removal] = []
    for reason, hints, pattern in _MACHINERY_PATTERNS:
        if hints.search(text):
            text = pattern.sub(lambda m, reason=reason: removals.append(Removal(line, m.group(0), reason)) or "", text)
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
_SPACES = re.compile(r" {2,}")


def normalize_spacing(text: str) -> str:
    """Drop invisible and direction-override characters; tidy whitespace."""
    text = _INVISIBLE.sub("", text)
    text = text.replace("\u3000", " ").replace("\t", " ")
    return (_SPACES.sub(" ", text) if "  " in text else text).strip()


def clean_line(text: str, line: int) -> tuple[str, list[Removal], bool]:
    """Clean one kept line: (text, removed fragments, damaged?)."""
    text = unicodedata.normalize("NFC", text)
    text, _ = remove_pinyin(text)
    text, removals = remove_fragments(text, line)
    text = normalize_spacing(text)
    damaged = has_mojibake(text)
    return restore_punctuation(text), removals, damaged
