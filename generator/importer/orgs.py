"""Which unit reports, what kind of unit it is, and where it is.

The reporting union is the subject of the lead ("XX工会在…领导下…"), not the
superior bodies named in it. jieba's part-of-speech tags tell where a union's
name begins; the text is segmented in Simplified script and read back by
position, so Traditional reports keep their own spelling.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, chain, compress, count

from generator.importer.script import to_simplified

_SUFFIX = re.compile(r"工会委员会|工會委員會|总工会|總工會|工会|工會|工委")
_NAME_TAGS = ("n", "ns", "nt", "nz", "nr", "j", "eng", "m", "q", "b", "s", "f", "an", "vn")
_PLACEHOLDER_TOKEN = re.compile(r"^[xX×*＊_＿]+$")
_SUPERIOR_BEFORE = tuple("在受经經由向据據按从從对對给給和与與及同")
# Matched where a union's name ends (pattern.match(text, end)): no slice of the rest of the text.
_SUPERIOR_AFTER = re.compile(r"(?:的)?(?:正确|正確|具体|具體|大力)?(?:领导|領導|指导|指導|帮助|幫助|要求|部署|号召|號召|支持|关心|關心)")
_GENERIC = {"总工会", "總工會", "单建工会", "單建工會", "女工委", "上级工会", "上級工會", "各级工会", "各級工會", "基层工会", "基層工會", "各基层工会", "工会", "工會", "分工会", "全总", "本工会"}


@dataclass(frozen=True)
class Candidate:
    name: str
    start: int
    superior: bool
    self_reference: bool


@dataclass
class OrgFinding:
    name: str | None
    kind: str
    place: str | None
    unsure: list[str] = field(default_factory=list)


@lru_cache(maxsize=2)
def _posseg(compiled: bool = True):
    """A tokenizer of the importer's own: the global jieba dictionary stays untouched.

    jieba's dictionary and algorithm, compiled when jieba-fast-dat is installed (10x faster).
    """
    try:
        if not compiled:
            raise ImportError
        import jieba_fast_dat as jieba
        import jieba_fast_dat.posseg as posseg
    except ImportError:
        import jieba
        import jieba.posseg as posseg

    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    for word in ("总工会", "工会委员会", "工委", "街道工会", "社区工会"):
        tokenizer.add_word(word, tag="nt")
    return posseg.POSTokenizer(tokenizer)


def _tagged(window: str) -> list:
    """jieba's words and tags for `window`, every character kept.

    The compiled tagger drops characters it cuts with its HMM (about one window in twelve:
    江岸市高桥乡 comes back as 江岸 市高桥), which would shift a name's start; such a window is
    tagged again by jieba's own implementation.
    """
    tokens = list(_posseg().cut(window))
    if "".join(token.word for token in tokens) != window:
        tokens = list(_posseg(compiled=False).cut(window))
    return tokens


def load() -> None:
    """jieba's dictionary, models and place names, loaded now rather than for the first report."""
    _posseg().lcut("工会")
    _posseg().tokenizer.lcut("工会")
    _place_words()


_SELF = re.compile(r"我([\u4e00-\u9fff]{1,2})$")
_TIME_OR_NUMBER = re.compile(r"[0-9年月日度.．]")


@lru_cache(maxsize=1 << 16)  # a report repeats its own name: the same windows come back
def _name_before(window: str) -> tuple[str, bool]:
    """Walk jieba tokens leftwards from a union suffix while they can belong to a name."""
    own = _SELF.search(window)
    if own and len(own.group(1)) == 1:
        return own.group(1), True
    tokens = _tagged(window) if window else []
    name: list[str] = []
    unit_word_only = False  # the leftmost word was taken only for being a unit word
    for token in reversed(tokens):
        word, flag = token.word, token.flag
        if word in ("我", "我们", "我們"):
            return "".join(reversed(name)), True
        tagged_as_name = flag.startswith(_NAME_TAGS) and not re.search(r"[，。、；：,\s]", word)
        if _PLACEHOLDER_TOKEN.match(word) or (tagged_as_name and not _TIME_OR_NUMBER.search(word)):
            name.append(word)
            unit_word_only = False
        elif word.endswith(_UNIT_WORDS):
            name.append(word)
            unit_word_only = True
        else:
            break
    if unit_word_only and len(name[-1]) == 1:
        name.pop()  # 参加县总工会: a bare 县 names no place
    return "".join(reversed(name)), False


# Union names are looked for in the first characters only: a report names itself early, and
# each candidate costs a jieba segmentation (a 1 MB paragraph would take minutes).
CANDIDATE_SPAN = 30_000
# Characters before a union suffix that can belong to its name.
NAME_WINDOW = 16


def candidates(original: str, simplified: str, lead_end: int) -> list[Candidate]:
    """The candidates `choose` decides on, in order of the text.

    Each costs a jieba segmentation, so only these are read: those until `choose`'s pick is
    settled (the first usable one in the lead, else the first usable one at all), then the
    later ones whose text ends with its name (another mention of it, or a longer form of it).
    `choose` makes the same decision on these as on all of them.
    """
    text = original if len(original) == len(simplified) else simplified
    # 职工会员 / 教职工会: the staff, not a union.
    suffixes = (m for m in _SUFFIX.finditer(simplified, 0, CANDIDATE_SPAN) if simplified[m.start() - 1 : m.start()] != "职")
    found: list[Candidate] = []
    chosen: Candidate | None = None  # what `choose` would pick from those read so far
    for match in suffixes:
        # A name starts at most NAME_WINDOW characters before its suffix.
        if chosen is not None and (chosen.start < lead_end or match.start() - NAME_WINDOW >= lead_end):
            mentions = (m for m in chain([match], suffixes) if text.endswith(chosen.name, 0, m.end()))
            return found + [_candidate(m, original, simplified) for m in mentions]
        candidate = _candidate(match, original, simplified)
        found.append(candidate)
        if _usable(candidate) and (chosen is None or chosen.start >= lead_end > candidate.start):
            chosen = candidate
    return found


def _candidate(match: re.Match[str], original: str, simplified: str) -> Candidate:
    """The union name that ends with this suffix match (职工会员 / 教职工会, the staff, are left out beforehand)."""
    window = simplified[max(0, match.start() - NAME_WINDOW) : match.start()]
    prefix, self_ref = _name_before(window)
    start = match.start() - len(prefix)
    text = original if len(original) == len(simplified) else simplified
    name = text[start : match.end()].lstrip("全本该該各")
    before = simplified[start - 1 : start] if start else ""
    superior = before in _SUPERIOR_BEFORE or bool(_SUPERIOR_AFTER.match(simplified, match.end()))
    return Candidate(name, start, superior, self_ref)


def _usable(candidate: Candidate) -> bool:
    return not candidate.superior and candidate.name not in _GENERIC and len(candidate.name) > 2


def choose(cands: list[Candidate], lead_end: int) -> Candidate | None:
    usable = [c for c in cands if _usable(c)]
    in_lead = [c for c in usable if c.start < lead_end]
    chosen = (in_lead or usable or [None])[0]
    if chosen is None:
        return None
    counts = Counter(c.name for c in cands)
    longer = [c.name for c in usable if c.name.endswith(chosen.name) and len(c.name) > len(chosen.name)]
    for name in longer:
        extra = name[: -len(chosen.name)]
        if _PLACEHOLDER_TOKEN.match(extra) or re.match(r"^[xX×*_]", name) or counts[name] >= 2:
            return Candidate(name, chosen.start, False, False)
    return chosen


# --- kind ----------------------------------------------------------------------

_KIND_BY_NAME = (
    ("hospital", r"医院|醫院|卫生|衛生|卫生院|诊所"),
    ("bank", r"银行|銀行|信用社|农信|农商行"),
    ("street", r"街道|街办|街辦"),
    ("community", r"社区|社區|村"),
    ("township", r"镇|鎮|乡|鄉"),
    ("federation", r"(?:县|縣|市|区|區|省|州|旗)(?:教育)?(?:系统|系統)?(?:总工会|總工會|教育工会|教育工會|工会委员会|工會委員會)|^(?:县|縣|市|区|區|省)总工会"),
    ("school", r"学校|學校|小学|小學|中学|中學|大学|大學|学院|學院|幼儿园|幼兒園|园工会|園工會|校工会|校工會|[一二三四五六七八九十]中|教育|后勤处|後勤處"),
    ("mine", r"矿|礦|煤"),
    ("enterprise", r"公司|集团|集團|企业|企業|厂|廠|股份"),
    ("government", r"局|所|站|处|處|委员会|委員會|办公室|辦公室|机关|機關"),
)
_KIND_BY_CONTEXT = (
    ("mine", r"矿领导|礦領導|矿工会|礦工會|矿党委"),
    ("school", r"教职工|教職工|学校|學校|校长|校長|教师|教師"),
    ("federation", r"全县|全縣|全市|全区|全區"),
    ("government", r"水利|水务|房管|机关|機關"),
    ("enterprise", r"公司|企业|企業|员工|員工"),
)


def kind_of(name: str | None, context: str) -> tuple[str, bool]:
    """(kind, sure?) from the unit's name, else from words around it."""
    for kind, pattern in _KIND_BY_NAME:
        if name and re.search(pattern, name):
            return kind, True
    for kind, pattern in _KIND_BY_CONTEXT:
        if re.search(pattern, context):
            return kind, False
    return "other", False


# --- place ---------------------------------------------------------------------

_ADMIN_SUFFIX = ("省", "市", "县", "区", "镇", "乡", "街道", "社区", "村", "街")
# Words ending so are part of a union's name (in the simplified text), however jieba tags
# them: 县 as zg, 支行 as a verb, 和谐社区 as an idiom.
_UNIT_WORDS = (*_ADMIN_SUFFIX, "支行", "分行")
_CITIES = {"北京", "上海", "天津", "重庆", "广州", "深圳", "宁波", "苏州", "杭州", "南京", "武汉", "成都", "大庆", "芜湖", "福州", "厦门", "青岛", "大连", "沈阳", "西安", "长沙", "郑州", "济南", "合肥", "昆明"}
_NOT_PLACE = {"中华人民共和国", "新区", "城镇", "镇区", "乡镇", "各乡镇", "城区", "和县", "中国", "全国", "国家", "中华", "祖国", "我国", "全省", "全市", "全县", "全区", "本市", "本县", "各省", "城乡", "农村", "城市", "内外", "东西", "南北"}


@lru_cache(maxsize=1)
def _place_words() -> frozenset[str]:
    import jieba

    words = set()
    with jieba.get_dict_file() as lines:  # "word frequency tag" per line
        for line in lines:
            parts = line.decode("utf-8").split()
            if len(parts) == 3 and parts[2] == "ns" and len(parts[0]) >= 2:
                words.add(parts[0])
    return frozenset(words - set(_NOT_PLACE))


# Places are looked for in the first characters only.
PLACE_SPAN = 3000
# Characters jieba never makes part of a word: it cuts the text between them piece by piece,
# so a piece is cut alone as it is within the text.
_SEPARATOR = re.compile(r"[\s，。、；：？！,;:?!“”‘’\"'（）()《》【】\[\]]")
# A place name counts only with one of these in its piece (see places): other pieces are not cut.
_ADMIN_HINT = re.compile("[省市县区镇乡旗街社村]|" + "|".join(sorted(_CITIES)))


def _hinted_pieces(span: str) -> Iterator[tuple[int, str]]:
    """(start, piece) for each piece of `span` with an administrative hint in it."""
    backwards = span[::-1]  # where the separator before a hint is found
    end = 0
    for hint in _ADMIN_HINT.finditer(span):
        if hint.start() < end:
            continue  # in the piece just given
        before = _SEPARATOR.search(backwards, len(span) - hint.start())
        start = len(span) - before.start() if before else 0
        after = _SEPARATOR.search(span, hint.end())
        end = after.start() if after else len(span)
        yield start, span[start:end]


def places(original: str, simplified: str, limit: int = 3) -> str | None:
    """Place names jieba knows, with the administrative word that follows them (福州 + 市)."""
    known = _place_words()
    same_shape = len(original) == len(simplified)
    cut = _posseg().tokenizer.lcut
    names: list[str] = []
    for start, piece in _hinted_pieces(simplified[:PLACE_SPAN]):
        tokens = cut(piece)
        starts = list(accumulate(map(len, tokens), initial=start))
        # Only the few tokens jieba knows as places are looked at (picked out in C, not one by one).
        for index in compress(count(), map(known.__contains__, tokens)):
            token = tokens[index]
            # A piece's last token is followed by a separator: no administrative word.
            following = tokens[index + 1] if index + 1 < len(tokens) else ""
            if not (following in _ADMIN_SUFFIX or token[-1] in "省市县区镇乡旗" or token in _CITIES):
                continue
            name = token + following if following in _ADMIN_SUFFIX else token
            written = original[starts[index] : starts[index] + len(name)] if same_shape else name
            if not any(written in n or n in written for n in names):
                names.append(written)
            if len(names) == limit:
                return " ".join(names)
    return " ".join(names) or None


# A title that begins with its unit's name, up to a year or the document's own words:
# 某某街道总工会2019年工作总结, 某某支行工会关于……的意见. No segmentation is asked for here,
# so a word inside the name that jieba does not tag as one (幸福社区, 联合, 支行) stays in it.
_TITLE_NAME = re.compile(
    r"(?:(?:19|20)\d\d年度?)?([^\s，。、；：,;:（）()《》“”\"'0-9]{2,30}?(?:" + _SUFFIX.pattern + "))"
    r"(?=(?:19|20)\d\d|二〇|关于|工作|年度|上半年|下半年|第)"
)
_YEAR_FIRST = re.compile(r"二[〇○零]|[一二三四五六七八九〇○零]{4}年")  # 二〇二〇年工会工作要点: a year, no name
_NOT_A_NAME_START = ("关于", "在", "致", "给", "对", "告", "全", "各", "本", "我")


def title_name(title: str | None) -> str | None:
    """The union that a title begins with, or None; for a speech (在某某工会……上的讲话), the
    union whose meeting it was given at."""
    if not title:
        return None
    simplified = to_simplified(title)
    speech = simplified.startswith("在") and simplified.endswith(("讲话", "致辞", "报告", "发言"))
    match = _TITLE_NAME.match(simplified, 1 if speech else 0)
    if not match or match.group(1).startswith(_NOT_A_NAME_START) or _YEAR_FIRST.match(match.group(1)):
        return None
    name = (title if len(title) == len(simplified) else simplified)[match.start(1) : match.end(1)]
    return name if _usable(Candidate(name, 0, False, False)) else None


def _short_for(short: str, full: str) -> bool:
    """Whether `short` is `full` with characters left out (镇工会, 城关镇总工会)."""
    rest = iter(full)
    return short != full and all(ch in rest for ch in short)


def find_organization(body, original: str, simplified: str, subtitle: str | None = None, signed: str | None = None) -> OrgFinding:
    """`subtitle` (——在某某工会……上的讲话) names the union whose meeting it was; `signed`, the
    signature's unit, stands for the report when neither the title nor the lead names a union,
    or where the lead's is a short form of it (镇工会 for 城关镇总工会)."""
    unsure: list[str] = []
    lead_end = sum(len(p) + 1 for p in body.lead[:3]) or 400
    name = body.org_line or title_name(body.title) or title_name((subtitle or "").lstrip("—－-─ "))
    if name is None:
        chosen = choose(candidates(original, simplified, lead_end), lead_end)
        name = chosen.name if chosen else None
        if signed and (chosen is None or chosen.start >= lead_end or _short_for(chosen.name, signed)):
            name = signed
    if name is None:
        unsure.append("organization")
    kind, sure = kind_of(to_simplified(name) if name else None, simplified[:1500])
    if not sure:
        unsure.append("org_kind")
    place = places(original, simplified)
    return OrgFinding(name, kind, place, unsure + ([] if place else ["place"]))

