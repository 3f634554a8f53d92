"""Which unit reports, what kind of unit it is, and where it is.

The reporting union is the subject of the lead ("XX工会在…领导下…"), not the
superior bodies named in it. jieba's part-of-speech tags tell where a union's
name begins; the text is segmented in Simplified script and read back by
position, so Traditional reports keep their own spelling.
"""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, chain, compress, count
from pathlib import Path

from generator.doubts import REASONS
from generator.importer.script import to_simplified
from generator.importer.titles import SUBTITLE_DASH

_SUFFIX = re.compile(r"工会联合会|工會聯合會|工会委员会|工會委員會|总工会|總工會|工会|工會|工委")
_NAME_TAGS = ("n", "ns", "nt", "nz", "nr", "j", "eng", "m", "q", "b", "s", "f", "an", "vn")
_PLACEHOLDER_TOKEN = re.compile(r"^[xX×*＊_＿]+$")
_SUPERIOR_BEFORE = tuple("在受经經由向据據按照从從对對给給和与與及同、被")
# A union named right after these verbs is what the text acts on, not who reports.
_OBJECT_BEFORE = ("贯彻", "貫徹", "落实", "落實", "引导", "引導", "指导", "指導", "督促", "帮助", "幫助", "鼓励", "鼓勵", "推动", "推動", "协助", "協助", "配合", "联合", "聯合", "庆祝", "慶祝", "慰问", "慰問", "依托", "依靠", "参加", "參加", "代表")
# Matched where a union's name ends (pattern.match(text, end)): no slice of the rest of the text.
_SUPERIOR_AFTER = re.compile(r"(?:的)?(?:正确|正確|具体|具體|大力)?(?:领导|領導|指导|指導|帮助|幫助|要求|部署|号召|號召|支持|关心|關心|引领|引領)|联席会议|聯席會議|的?精神|发展道路|發展道路|道路|事业|事業|理论|理論")
_GENERIC = {"工会委员会", "工會委員會", "总工会", "總工會", "单建工会", "單建工會", "女工委", "上级工会", "上級工會", "各级工会", "各級工會", "基层工会", "基層工會", "各基层工会", "工会", "工會", "分工会", "全总", "本工会"}


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
    reasons: dict[str, str] = field(default_factory=dict)  # field -> why it is doubted (doubts.REASONS)


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
    for word in ("总工会", "工会委员会", "工会联合会", "工委", "街道工会", "社区工会", "农商行", "信用社"):
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
_TIME_OR_NUMBER = re.compile(r"[0-9年月日度期初末底.．]")
# Words jieba tags as nouns that never begin a union's name.
_NOT_IN_NAME = {"会议", "會議", "检查", "檢查", "代表", "时期", "期间", "同时", "目前", "当前", "全体", "广大", "上级", "上半年", "下半年", "今年", "明年", "近年", "篇", "页"}


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
        if word == "和县":  # jieba's county 和县 is mostly 和 + 县
            name.append("县")
            unit_word_only = True
            break
        if word in ("我", "我们", "我們"):
            # 我们书店工会 names the union; only 我局 / 我院 alone is a pronoun form
            return "".join(reversed(name)), len(name) == 0
        tagged_as_name = flag.startswith(_NAME_TAGS) and not re.search(r"[，。、；：,\s]", word) and word not in _NOT_IN_NAME
        if _PLACEHOLDER_TOKEN.match(word) or (tagged_as_name and not _TIME_OR_NUMBER.search(word)):
            name.append(word)
            unit_word_only = False
        elif word.endswith(_UNIT_WORDS):
            name.append(word)
            unit_word_only = True
        else:
            break
    stranded = window[: len(window) - len("".join(name))]
    if unit_word_only and len(name[-1]) == 1 and stranded and not re.search(r"[，。、；：,;:\s]$", stranded):
        name.pop()  # 参加县总工会: a bare 县 names no place; at a clause's start it is the county's own
    return "".join(reversed(name)), False


# A place's own name before its level at a clause's start (出江镇) is one name, however jieba
# cuts it; a clause holding a pronoun or a preposition is not a name.
_CLAUSE_NAME = re.compile(r"(?:^|[，。、；：,;:\s\n])([\u4e00-\u9fff]{1,7}(?:镇|乡|村|县|区|市|街道|社区))$")
_NOT_IN_CLAUSE = re.compile(r"[我在由向对和与及被把将为是从据按经受给同]")
# What a word that is part of no name is tagged: verbs, prepositions, conjunctions, adverbs, pronouns.
_NOT_NAME_TAGS = ("v", "p", "c", "d", "r")


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
    prefix = prefix if self_ref else _whole_place(window, prefix)
    start = match.start() - len(prefix)
    text = original if len(original) == len(simplified) else simplified
    name = text[start : match.end()].lstrip("本该該")
    before = simplified[max(0, start - 3) : start].rstrip()
    superior = (
        name.startswith(("全", "各"))  # 全省工会, 各基层工会: all of them, not one
        or (before.endswith(_SUPERIOR_BEFORE) and not (before.endswith("、") and before[-2:-1] not in "市县区省縣區"))
        or before.endswith(_OBJECT_BEFORE)
        or bool(_SUPERIOR_AFTER.match(simplified, match.end()))
        or (simplified[match.start() - 1 : match.start()] == "党" and match.group(0) == "工委")  # 党工委: a party body
    )
    return Candidate(name, start, superior, self_ref)


def _whole_place(window: str, prefix: str) -> str:
    """The name with the one character jieba cut off the place's name at its clause's start
    (出|江镇), but not a word before it (加强|街道)."""
    clause = _CLAUSE_NAME.search(window)
    if not clause:
        return prefix
    whole = clause.group(1)
    if not whole.endswith(prefix) or _NOT_IN_CLAUSE.search(whole):
        return prefix
    cut = whole[: len(whole) - len(prefix)]
    if len(cut) == 1:
        return whole
    # A longer piece is the name's own (幸福|里社区) unless it does something (加强|街道).
    if len(cut) <= 3 and not any(token.flag.startswith(_NOT_NAME_TAGS) for token in _tagged(cut)):
        return whole
    return prefix


_NATIONAL = ("全国", "全國", "中华", "中華", "中国", "中國")


def _usable(candidate: Candidate) -> bool:
    name = candidate.name
    return (
        not candidate.superior
        and not candidate.self_reference
        and name not in _GENERIC
        and not name.endswith(("基层工会", "基層工會"))
        and not name.startswith(_NOT_A_NAME_START[1:] + ("以", "为", "為", "被"))
        and len(name) > 2
    )


def choose(cands: list[Candidate], lead_end: int) -> Candidate | None:
    usable = [c for c in cands if _usable(c)]
    # A national body is the report's unit only where the lead names it (news of its own
    # meeting) and no other union is named; quoted in the body, it is never the unit.
    national = [c for c in usable if c.name.startswith(_NATIONAL)]
    usable = [c for c in usable if not c.name.startswith(_NATIONAL)] or [c for c in national if c.start < lead_end]
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
    ("federation", r"(?:县|縣|市|区|區|省|州|旗)(?:教育)?(?:系统|系統)?(?:总工会|總工會|教育工会|教育工會|工会委员会|工會委員會)|^(?:县|縣|市|区|區|省)总工会|全国总工会|全國總工會|^全总$"),
    ("school", r"学校|學校|小学|小學|中学|中學|大学|大學|学院|學院|幼儿园|幼兒園|园工会|園工會|校工会|校工會|[一二三四五六七八九十]中|教育|后勤处|後勤處"),
    ("mine", r"矿|礦|煤"),
    ("enterprise", r"公司|集团|集團|企业|企業|厂|廠|股份"),
    ("government", r"局|所|站|处|處|委员会|委員會|办公室|辦公室|机关|機關|党委|黨委|党组|黨組|政府|兵团|兵團|委$"),
)
_KIND_BY_CONTEXT = (
    ("mine", r"矿领导|礦領導|矿工会|礦工會|矿党委"),
    ("bank", r"农商行|農商行|信用社|支行|分行"),
    ("street", r"全街道|街道党工委|街道辦|街道办"),
    ("school", r"教职工|教職工|学校|學校|校长|校長|教师|教師"),
    ("federation", r"全县|全縣|全市|全区|全區"),
    ("government", r"水利|水务|房管|机关|機關|分局"),
    ("enterprise", r"公司|企业|企業|员工|員工"),
)


_KIND_NAME_PATTERNS = tuple((kind, re.compile(pattern)) for kind, pattern in _KIND_BY_NAME)
_KIND_CONTEXT_PATTERNS = tuple((kind, re.compile(pattern)) for kind, pattern in _KIND_BY_CONTEXT)


def kind_of(name: str | None, context: str) -> tuple[str, bool]:
    """(kind, sure?) from the unit's name, else from words around it."""
    for kind, pattern in _KIND_NAME_PATTERNS if name else ():
        if pattern.search(name):
            return kind, True
    for kind, pattern in _KIND_CONTEXT_PATTERNS:
        if pattern.search(context):
            return kind, False
    return "other", False


# --- place ---------------------------------------------------------------------

_ADMIN_SUFFIX = ("省", "市", "县", "区", "镇", "乡", "街道", "社区", "村", "街")
# Words ending so are part of a union's name (in the simplified text), however jieba tags
# them: 县 as zg, 支行 as a verb, 和谐社区 as an idiom.
_UNIT_WORDS = (*_ADMIN_SUFFIX, "支行", "分行")
_CITIES = {"北京", "上海", "天津", "重庆", "广州", "深圳", "宁波", "苏州", "杭州", "南京", "武汉", "成都", "大庆", "芜湖", "福州", "厦门", "青岛", "大连", "沈阳", "西安", "长沙", "郑州", "济南", "合肥", "昆明"}
_NOT_PLACE = {"中华人民共和国", "新区", "城镇", "镇区", "乡镇", "各乡镇", "城区", "和县", "中国", "全国", "国家", "中华", "祖国", "我国", "全省", "全市", "全县", "全区", "本市", "本县", "各省", "城乡", "农村", "城市", "内外", "东西", "南北"}


# A line of jieba's dictionary ("word frequency tag") for a place name of two characters or more.
_PLACE_ENTRY = re.compile(r"^[ \t]*(\S{2,})[ \t]+\S+[ \t]+ns[ \t\r]*$", re.MULTILINE)


@lru_cache(maxsize=1)
def _place_words() -> frozenset[str]:
    # jieba's own dictionary, read where jieba keeps it: importing jieba for it would load
    # pkg_resources, and reading it line by line its 350,000 lines, both at every import's start.
    spec = importlib.util.find_spec("jieba")
    folder = Path(next(iter(spec.submodule_search_locations)))
    text = (folder / "dict.txt").read_text(encoding="utf-8")
    return frozenset(_PLACE_ENTRY.findall(text)) - set(_NOT_PLACE)


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
    # The next hint is looked for after the piece just given: the rest of it is not scanned.
    while (hint := _ADMIN_HINT.search(span, end)) is not None:
        before = _SEPARATOR.search(backwards, len(span) - hint.start())
        start = len(span) - before.start() if before else 0
        after = _SEPARATOR.search(span, hint.end())
        end = after.start() if after else len(span)
        yield start, span[start:end]


@lru_cache(maxsize=1 << 15)  # reports share their stock phrases: the same pieces come back
def _piece_places(piece: str) -> tuple[tuple[int, str], ...]:
    """(where in the piece, name) of each place name jieba finds in one piece of text."""
    known = _place_words()
    tokens = _posseg().tokenizer.lcut(piece)
    starts = list(accumulate(map(len, tokens), initial=0))
    found = []
    # Only the few tokens jieba knows as places are looked at (picked out in C, not one by one).
    for index in compress(count(), map(known.__contains__, tokens)):
        token = tokens[index]
        # A piece's last token is followed by a separator: no administrative word.
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if following in _ADMIN_SUFFIX or token[-1] in "省市县区镇乡旗" or token in _CITIES:
            found.append((starts[index], token + following if following in _ADMIN_SUFFIX else token))
    return tuple(found)


def places(original: str, simplified: str, limit: int = 3) -> str | None:
    """Place names jieba knows, with the administrative word that follows them (福州 + 市)."""
    same_shape = len(original) == len(simplified)
    names: list[str] = []
    for start, piece in _hinted_pieces(simplified[:PLACE_SPAN]):
        for offset, name in _piece_places(piece):
            at = start + offset
            written = original[at : at + len(name)] if same_shape else name
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
    r"(?=(?:19|20)\d\d|二〇|[xX×]{2}|关于|工作|年度|上半年|下半年|第|召开|召開|举行|舉行)"
)
_YEAR_FIRST = re.compile(r"二[〇○零]|[一二三四五六七八九〇○零]{4}年")  # 二〇二〇年工会工作要点: a year, no name
_NOT_A_NAME_START = ("关于", "在", "致", "给", "对", "告", "全", "各", "本", "我")


# What a site files its samples under (乡镇工会, 医院工会): a kind of unit, not a unit.
_CATEGORY = {
    "乡镇", "企业", "医院", "银行", "学校", "公司", "单位", "机关", "事业单位", "基层", "教育", "职工",
    "社区", "街道", "农村", "行业", "系统", "部门", "工厂", "煤矿", "集团", "机关事业单位", "中小学", "高校",
}
_COLLECTION_WORDS = re.compile(r"范文|範文|例文|模板|[0-9一二三四五六七八九十]\s*篇|精选|精選|大全|集锦|集錦")


def category_of(title: str | None) -> str | None:
    """The kind of unit a sample's title files it under (医院工会工作计划 → 医院工会), or None."""
    if not title:
        return None
    simplified = to_simplified(title)
    match = _TITLE_NAME.match(simplified)
    name = match.group(1) if match else None
    if name and _SUFFIX.sub("", name, count=1) in _CATEGORY:
        return name
    return None


def title_name(title: str | None) -> str | None:
    """The union that a title begins with, or None; for a speech (在某某工会……上的讲话), the
    union whose meeting it was given at. A sample's title (…范文, …(精选6篇)) or a kind of unit
    (医院工会) names no unit."""
    if not title or _COLLECTION_WORDS.search(title) or category_of(title):
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


# A speaker on behalf of a body: 我代表集团公司党委、董事会，向…
_ON_BEHALF = re.compile(r"我代表([^，。、；：,;:\s向对對给給和及]{2,16})")
_NOT_A_BODY = ("大会", "大會", "全体", "全體", "个人", "個人", "本人", "各位", "广大", "廣大")
_SPEECH_MARK = re.compile(r"同志们|同志們|代表们|代表們|讲话|講話|致辞|致辭")


def speaker_body(body, simplified: str) -> str | None:
    """The body a speech is given for, from its speaker line; its party committee speaks for a
    named body (集团公司党委 → 集团公司), not for a bare 镇."""
    opening = "\n".join(p for p in body.lead[:4] if isinstance(p, str)) + (body.title or "")
    if not _SPEECH_MARK.search(to_simplified(opening)):
        return None
    match = _ON_BEHALF.search(simplified, 0, 3000)
    if not match or match.group(1).startswith(_NOT_A_BODY):
        return None
    name = match.group(1)
    for committee in ("党委", "党组"):
        if name.endswith(committee) and len(name) - len(committee) >= 2:
            return name[: -len(committee)]
    return name


_SIGNATURE = re.compile(r"^[^，。；：,;:\s]{2,30}?(?:" + _SUFFIX.pattern + r")$")


def signature_name(body) -> str | None:
    """The union that signs the report: a short line of its name among the last lines."""
    tail = [p for p in body.lead if isinstance(p, str)][-4:]
    for section in body.sections[-1:]:
        while section.sections:
            section = section.sections[-1]
        tail = [p for p in section.paragraphs if isinstance(p, str)][-4:]
    for text in reversed(tail):
        text = text.strip()
        if _SIGNATURE.match(text) and not text.startswith(_NOT_A_NAME_START) and _usable(Candidate(text, 0, False, False)):
            return text
    return None


def find_organization(
    body, original: str, simplified: str, category: str | None = None, subtitle: str | None = None, signed: str | None = None
) -> OrgFinding:
    """The reporting unit: the speaker's body, the organisation line, the title's union (for a
    speech, that of the subtitle's meeting too: ——在某某工会……上的讲话), else the union the text
    names first as its subject, else the signature's. `category`: the kind a collection files it
    under; `signed`: the signature block's unit (a Word layout), which also stands for the lead's
    union where that is a short form of it (镇工会 for 城关镇总工会)."""
    unsure: list[str] = []
    reasons: dict[str, str] = {}
    lead_end = sum(len(p) + 1 for p in body.lead[:3] if isinstance(p, str)) or 400
    speaker = speaker_body(body, simplified)
    name = speaker and _original_form(speaker, original, simplified)
    name = name or body.org_line or title_name(body.title) or title_name(SUBTITLE_DASH.sub("", subtitle or "").strip())
    if name is None:
        at = simplified.find(to_simplified(body.title), 0, len(body.title) + 8) if body.title else -1
        if at >= 0 and len(original) == len(simplified):
            # a sample's or a kind's title names no unit: its words are not candidates either
            end = at + len(body.title)
            blank = " " * len(body.title)
            original, simplified = original[:at] + blank + original[end:], simplified[:at] + blank + simplified[end:]
        found = candidates(original, simplified, lead_end)
        chosen = choose(found, lead_end)
        signature = signed or signature_name(body)
        # The lead's subject first; else the signature, before unions the body merely mentions.
        name = chosen.name if chosen and (chosen.start < lead_end or not signature) else signature
        if signed and chosen and _short_for(chosen.name, signed):
            name = signed
        pronoun = next((c for c in found if c.self_reference), None)
        if name is None and pronoun is not None:
            reasons["organization"] = REASONS["organization_pronoun"].format(pronoun=f"我{pronoun.name}")
    if name is None:
        unsure.append("organization")
    hint = category or category_of(body.title)
    kind, sure = kind_of(to_simplified(name or hint) if (name or hint) else None, simplified[:1500])
    if not sure or name is None:
        unsure.append("org_kind")
        reasons["org_kind"] = REASONS["org_kind_wording" if not sure else "org_kind_section"].format(kind=kind)
    place = places(original, simplified)
    return OrgFinding(name, kind, place, unsure + ([] if place else ["place"]), reasons)


def _original_form(name: str, original: str, simplified: str) -> str:
    """`name` (found in the simplified text) as the original text writes it."""
    if len(original) != len(simplified):
        return name
    at = simplified.find(name)
    return original[at : at + len(name)] if at >= 0 else name
