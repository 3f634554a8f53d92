"""A deterministic synthetic archive of raw reports, built from the real seed paragraphs.

``write_raw_archive(out, reports=N, units=M, seed=S)`` writes one ``.txt`` file per report
(title on the first line, a lead, numbered sections, a signature) into ``out``: the same
seed always gives the same bytes. Sentences come from the imported seed entries (the real
union text), recombined so that reports differ as real ones do; metadata (unit, kind,
place, year, document type) is drawn from realistic vocabularies. On top of the N distinct
reports it writes a few exact and near duplicates as extra files, converts about 10% of the
reports to Traditional script and saves some files in GB18030 (and Big5), as raw reports
arrive in practice.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SEED_CONTENT = ROOT / "content"

YEARS = (2005, 2024)
TRADITIONAL_SHARE = 0.10
GB18030_SHARE = 0.15
BIG5_SHARE_OF_TRADITIONAL = 0.3
EXACT_DUPLICATE_SHARE = 0.03
NEAR_DUPLICATE_SHARE = 0.02
# Mean report body in characters: about 5 KB of UTF-8, like 51 MB / 10,000 reports.
TARGET_CHARS = 1600

PLACES = (
    "东城", "西城", "朝阳", "海淀", "和平", "河西", "南开", "长安", "新华", "桥西", "裕华",
    "小店", "迎泽", "浑南", "铁西", "南岗", "道里", "黄浦", "徐汇", "静安", "玄武", "鼓楼",
    "秦淮", "姑苏", "吴中", "上城", "拱墅", "西湖", "鄞州", "江北", "蜀山", "包河", "镜湖",
    "鲤城", "思明", "湖里", "东湖", "历下", "市中", "金乡", "二七", "金水", "江岸", "武昌",
    "芙蓉", "天心", "越秀", "天河", "福田", "南山", "青秀", "龙华", "渝中", "锦江", "金牛",
    "南明", "五华", "城关", "雁塔", "碑林", "七里河", "城东", "新城", "红旗", "胜利", "建设",
)
PROVINCES = (
    "北京市", "天津市", "河北省", "山西省", "辽宁省", "黑龙江省", "上海市", "江苏省", "浙江省",
    "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "广西",
    "重庆市", "四川省", "贵州省", "云南省", "陕西省", "甘肃省", "青海省", "宁夏", "新疆",
)
VILLAGE_WORDS = ("王庄", "李家", "张集", "刘桥", "陈店", "杨楼", "黄坡", "赵庄", "周口", "吴堡", "孙寨", "马厂", "高桥", "林场", "石门", "清河")
COMMUNITY_WORDS = ("幸福", "和谐", "阳光", "光明", "友谊", "团结", "花园", "锦绣", "翠苑", "康乐", "东苑", "西苑", "南湖", "北街", "春晖", "丽都")
SCHOOL_KINDS = ("第一中学", "第二中学", "第三中学", "第四中学", "实验中学", "实验小学", "第一小学", "中心小学", "职业技术学校", "幼儿园", "高级中学")
BRANDS = ("华兴", "宏达", "金鹏", "恒信", "永安", "东方", "长城", "远航", "鑫源", "天成", "联合", "新世纪", "汇通", "瑞丰", "盛达", "中兴")
INDUSTRIES = ("机械", "纺织", "建材", "电子", "化工", "物流", "食品", "钢铁", "建筑", "电力", "燃气", "制药", "汽车配件", "水务")
HOSPITAL_KINDS = ("人民医院", "中医院", "妇幼保健院", "第一人民医院", "中心医院", "社区卫生服务中心")
BANKS = ("中国工商银行", "中国农业银行", "中国建设银行", "中国银行", "农村商业银行", "邮政储蓄银行")

# Unit kinds as model.OrgKind spells them, with their share of units.
KIND_WEIGHTS = {
    "street": 20,
    "township": 14,
    "community": 20,
    "school": 16,
    "enterprise": 15,
    "hospital": 8,
    "bank": 7,
}
# Document types as model.DocType spells them, with their share of reports.
DOC_WEIGHTS = {"summary": 50, "plan": 20, "report": 15, "speech": 8, "opinion": 7}
OPINION_TOPICS = (
    "基层工会规范化建设", "困难职工帮扶工作", "职工代表大会制度建设", "厂务公开民主管理",
    "女职工权益保护", "职工文体活动", "工会经费管理", "劳动竞赛", "职工素质工程", "工会会员发展",
)
MEETINGS = ("职工代表大会", "工会会员代表大会", "工会工作会议", "年度表彰大会", "教职工代表大会")

_PLACEHOLDER_YEAR = re.compile(r"(?:20|2)?[xX×_]{1,4}\s*年|20[0-2]\d年")
_PLACEHOLDER_DAY = re.compile(r"[xX×_]{1,3}\s*([月日号])")
_PLACEHOLDER_CONGRESS = re.compile(r"[xX×]{1,3}(?=[届大])")
_PLACEHOLDER = re.compile(r"[xX×*＊]{1,3}|_{2,}")
_ENUM = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十\d]{1,3}[）)][、.．]?|[一二三四五六七八九十]{1,3}[、.．，,]|\d{1,2}[、.．，,]"
    r"|[①②③④⑤⑥⑦⑧⑨⑩]|第[一二三四五六七八九十]{1,3}[，、,])\s*"
)
_SENTENCE = re.compile(r"[^。！？；!?]+[。！？；!?]?")
_HEADING_TAIL = re.compile(r"[。；;，,：:\s]+$")
CN_NUMBERS = "一二三四五六七八九十"


@dataclass(frozen=True)
class SeedText:
    """Sentences, paragraph runs and headings taken from the seed entries."""

    paragraphs: tuple[tuple[str, ...], ...]  # each paragraph as its sentences
    headings: tuple[str, ...]
    leads: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Unit:
    name: str  # the union as it signs, e.g. 和平街道总工会
    kind: str
    place: str
    years: tuple[int, int]


@dataclass
class RawReport:
    number: int
    unit: Unit
    year: int
    doc_type: str
    title: str
    lines: list[str]
    script: str = "simplified"
    encoding: str = "utf-8"

    def text(self) -> str:
        return "\n".join([self.title, *self.lines]) + "\n"


@dataclass
class Manifest:
    """What was written: enough to check the import against."""

    folder: Path
    reports: int
    units: int
    files: int = 0
    bytes: int = 0
    exact_duplicates: int = 0
    near_duplicates: int = 0
    traditional: int = 0
    encodings: dict[str, int] = field(default_factory=dict)
    doc_types: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "reports": self.reports,
            "units": self.units,
            "files": self.files,
            "bytes": self.bytes,
            "mean_report_bytes": round(self.bytes / max(1, self.files)),
            "exact_duplicates": self.exact_duplicates,
            "near_duplicates": self.near_duplicates,
            "traditional": self.traditional,
            "encodings": dict(sorted(self.encodings.items())),
            "doc_types": dict(sorted(self.doc_types.items())),
        }


# --- the seed text -------------------------------------------------------------


def _blocks(entry: dict) -> Iterable[tuple[str, str]]:
    for block in entry.get("lead") or []:
        if isinstance(block, str):
            yield "lead", block

    def walk(sections):
        for section in sections or []:
            yield "heading", section.get("heading", "")
            for block in section.get("paragraphs") or []:
                if isinstance(block, str):
                    yield "paragraph", block
            yield from walk(section.get("sections"))

    yield from walk(entry.get("sections"))


def _sentences(paragraph: str) -> tuple[str, ...]:
    out = []
    for piece in _SENTENCE.findall(_ENUM.sub("", paragraph.strip())):
        piece = _ENUM.sub("", piece.strip())
        if len(piece) >= 8 and piece[-1] not in ":：":  # salutations (同志们：) are not sentences
            out.append(piece if piece[-1] in "。！？；!?" else piece + "。")
    return tuple(out)


def load_seed_text(content: Path = SEED_CONTENT) -> SeedText:
    """The real union text: every paragraph and heading of the seed entries (simplified script)."""
    from generator.importer.script import detect_script, to_simplified

    paragraphs: list[tuple[str, ...]] = []
    headings: list[str] = []
    leads: list[tuple[str, ...]] = []
    files = sorted((content / "reports").glob("*.yml"))
    if not files:
        raise FileNotFoundError(f"no seed entries under {content / 'reports'}")
    for path in files:
        entry = yaml.safe_load(path.read_text(encoding="utf-8"))
        for kind, text in _blocks(entry):
            if detect_script(text) == "traditional":
                text = to_simplified(text)
            if kind == "heading":
                heading = _HEADING_TAIL.sub("", _ENUM.sub("", text.strip()))
                if 4 <= len(heading) <= 28 and not re.search(r"[。；！？]", heading):
                    headings.append(heading)
                continue
            sentences = _sentences(text)
            if not sentences:
                continue
            (leads if kind == "lead" else paragraphs).append(sentences)
    if not leads:
        leads = paragraphs[: max(1, len(paragraphs) // 10)]
    return SeedText(tuple(paragraphs), tuple(dict.fromkeys(headings)), tuple(leads))


# --- units and reports ---------------------------------------------------------


def _unit_name(rng: random.Random, kind: str) -> tuple[str, str]:
    """(union name, place) for a unit of this kind."""
    place = rng.choice(PLACES)
    city = place + rng.choice(("区", "县", "市"))
    if kind == "street":
        return f"{place}区{rng.choice(PLACES)}街道{rng.choice(('总工会', '工会', '工会委员会'))}", city
    if kind == "township":
        return f"{city}{rng.choice(VILLAGE_WORDS)}{rng.choice(('镇', '乡'))}工会", city
    if kind == "community":
        return f"{place}街道{rng.choice(COMMUNITY_WORDS)}社区工会", city
    if kind == "school":
        return f"{city}{rng.choice(SCHOOL_KINDS)}工会", city
    if kind == "enterprise":
        return f"{city}{rng.choice(BRANDS)}{rng.choice(INDUSTRIES)}有限公司工会", city
    if kind == "hospital":
        return f"{city}{rng.choice(HOSPITAL_KINDS)}工会", city
    return f"{rng.choice(BANKS)}{place}支行工会", city


def make_units(rng: random.Random, count: int) -> list[Unit]:
    kinds = list(KIND_WEIGHTS)
    weights = list(KIND_WEIGHTS.values())
    units: list[Unit] = []
    names: set[str] = set()
    while len(units) < count:
        kind = rng.choices(kinds, weights)[0]
        name, place = _unit_name(rng, kind)
        if name in names:
            continue
        names.add(name)
        first = rng.randint(YEARS[0], YEARS[1] - 2)
        last = min(YEARS[1], first + rng.randint(2, 19))
        units.append(Unit(name, kind, f"{rng.choice(PROVINCES)}{place}", (first, last)))
    return units


def _title(rng: random.Random, unit: Unit, year: int, doc_type: str) -> str:
    if doc_type == "summary":
        half = rng.random()
        period = "上半年" if half < 0.15 else ("下半年" if half < 0.2 else "")
        return f"{unit.name}{year}年{period}工作总结"
    if doc_type == "plan":
        return f"{unit.name}{year}年工作计划"
    if doc_type == "report":
        return f"{unit.name}{year}年工作报告"
    if doc_type == "speech":
        return f"在{unit.name}{year}年{rng.choice(MEETINGS)}上的讲话"
    return f"{unit.name}关于加强{rng.choice(OPINION_TOPICS)}的意见"


def _fill(text: str, rng: random.Random, unit: Unit, year: int) -> str:
    """Seed placeholders (20xx年, xx社区) become this report's year and place."""
    text = _PLACEHOLDER_YEAR.sub(lambda _: f"{rng.choice((year, year, year - 1))}年", text)
    text = _PLACEHOLDER_CONGRESS.sub(lambda _: rng.choice(("十六", "十七", "十八", "十九")), text)
    text = _PLACEHOLDER_DAY.sub(lambda m: f"{rng.randint(1, 12 if m.group(1) == '月' else 28)}{m.group(1)}", text)
    place = unit.place[-3:] if len(unit.place) > 3 else unit.place
    return _PLACEHOLDER.sub(place, text)


def _digits(text: str, rng: random.Random) -> str:
    """Counts and amounts differ from report to report."""
    return re.sub(r"(?<![\d年])\d{2,4}(?![\d年])", lambda m: str(rng.randint(10 ** (len(m.group()) - 1), 10 ** len(m.group()) - 1)), text)


def _paragraph(rng: random.Random, seeds: SeedText, unit: Unit, year: int, chars: int) -> str:
    """Real sentences: runs of one to four consecutive sentences of random seed paragraphs."""
    out: list[str] = []
    length = 0
    while length < chars:
        source = rng.choice(seeds.paragraphs)
        start = rng.randrange(len(source))
        run = source[start : start + rng.randint(1, 4)]
        for sentence in run:
            out.append(sentence)
            length += len(sentence)
            if length >= chars:
                break
    text = "".join(out)
    if text[-1] in "；;":
        text = text[:-1] + "。"
    return _digits(_fill(text, rng, unit, year), rng)


LEAD_OPENINGS = {
    "summary": "{year}年，{unit}在上级工会和{party}的领导下，围绕中心、服务大局，较好地完成了全年各项任务，现将主要工作总结如下：",
    "plan": "{year}年，{unit}将继续在{party}和上级工会的领导下，紧紧围绕中心工作，制定本年度工作计划如下：",
    "report": "各位代表：现在，我代表{unit}委员会向大会报告{year}年的工作，请予审议。",
    "speech": "今天我们召开{unit}{year}年会议，主要任务是总结工作、部署任务。下面，我讲几点意见。",
    "opinion": "为进一步做好{year}年工会工作，结合{unit}实际，提出如下意见。",
}
PARTIES = ("党委", "党工委", "党总支", "党支部", "行政")


def _lead(rng: random.Random, seeds: SeedText, unit: Unit, year: int, doc_type: str) -> str:
    """Real lead sentences from one to three seed leads, then an opening naming the unit."""
    opening = LEAD_OPENINGS[doc_type].format(year=year, unit=unit.name, party=rng.choice(PARTIES))
    sentences = [rng.choice(rng.choice(seeds.leads)) for _ in range(rng.randint(1, 3))]
    return _fill("".join(dict.fromkeys(sentences)), rng, unit, year) + opening


def make_report(rng: random.Random, seeds: SeedText, number: int, unit: Unit, year: int, doc_type: str) -> RawReport:
    title = _title(rng, unit, year, doc_type)
    budget = max(700, int(rng.lognormvariate(0, 0.4) * TARGET_CHARS * 0.9))
    lines: list[str] = []
    if doc_type == "speech":
        lines.append("同志们：")
    lead = _lead(rng, seeds, unit, year, doc_type)
    lines.append(lead)
    used = len(lead)
    headings = rng.sample(seeds.headings, k=min(len(seeds.headings), 9))
    section = 0
    while used < budget and section < len(headings):
        heading = headings[section]
        lines.append(f"{CN_NUMBERS[section]}、{heading}")
        section += 1
        if rng.random() < 0.2:  # a section with numbered sub-sections
            for sub in range(rng.randint(2, 3)):
                lines.append(f"（{CN_NUMBERS[sub]}）{rng.choice(seeds.headings)}")
                text = _paragraph(rng, seeds, unit, year, rng.randint(80, 260))
                lines.append(text)
                used += len(text)
                if used >= budget:
                    break
        else:
            for _ in range(rng.randint(1, 4)):
                text = _paragraph(rng, seeds, unit, year, rng.randint(90, 320))
                lines.append(text)
                used += len(text)
                if used >= budget:
                    break
    if doc_type != "speech":
        lines += ["", unit.name, f"{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"]
    return RawReport(number, unit, year, doc_type, title, lines)


def _near_copy(rng: random.Random, report: RawReport) -> str:
    """The same report as a second site carries it: a paragraph lost, chrome around it."""
    lines = list(report.lines)
    long = [i for i, line in enumerate(lines) if len(line) > 60]
    if len(long) > 3:
        del lines[rng.choice(long[1:])]
    site = rng.choice(("范文网", "工作总结网", "公文大全", "写作吧"))
    return "\n".join([report.title, f"来源：{site}  发布时间：{report.year + 1}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}", *lines, f"本文由{site}整理，转载请注明出处。"]) + "\n"


def _encode(text: str, encoding: str) -> tuple[bytes, str]:
    """The text in `encoding`, or in UTF-8 where that codec cannot hold it."""
    try:
        return text.encode(encoding), encoding
    except UnicodeEncodeError:
        return text.encode("utf-8"), "utf-8"


def write_raw_archive(
    folder: Path,
    reports: int,
    units: int | None = None,
    seed: int = 5,
    seeds: SeedText | None = None,
) -> Manifest:
    """Write `reports` distinct raw reports (plus duplicate copies) into `folder`."""
    from generator.importer.script import to_traditional

    rng = random.Random(seed)
    seeds = seeds or load_seed_text()
    unit_count = max(1, units if units else reports // 5)
    unit_list = make_units(rng, unit_count)
    # Some units write far more than others (a Zipf-like tail); each unit writes at least once.
    weights = [1 / (rank + 1) ** 0.7 for rank in range(unit_count)]
    folder.mkdir(parents=True, exist_ok=True)
    manifest = Manifest(folder, reports, unit_count)
    width = max(5, len(str(reports)))
    doc_types, doc_weights = list(DOC_WEIGHTS), list(DOC_WEIGHTS.values())
    for number in range(reports):
        unit = unit_list[number] if number < unit_count else rng.choices(unit_list, weights)[0]
        year = rng.randint(*unit.years)
        doc_type = rng.choices(doc_types, doc_weights)[0]
        report = make_report(rng, seeds, number, unit, year, doc_type)
        text = report.text()
        if rng.random() < TRADITIONAL_SHARE:
            text = to_traditional(text)
            report.script = "traditional"
            manifest.traditional += 1
            if rng.random() < BIG5_SHARE_OF_TRADITIONAL:
                report.encoding = "big5"
        elif rng.random() < GB18030_SHARE:
            report.encoding = "gb18030"
        data, report.encoding = _encode(text, report.encoding)
        _write(folder / f"{number:0{width}d}.txt", data, report.encoding, manifest)
        manifest.doc_types[doc_type] = manifest.doc_types.get(doc_type, 0) + 1
        roll = rng.random()
        if roll < EXACT_DUPLICATE_SHARE:
            # The same file again under another name, perhaps saved in another encoding.
            # ("_" sorts after ".", so the importer meets the original first.)
            other = "gb18030" if report.encoding == "utf-8" and report.script == "simplified" else "utf-8"
            _write(folder / f"{number:0{width}d}_copy.txt", *_encode(text, other), manifest)
            manifest.exact_duplicates += 1
        elif roll < EXACT_DUPLICATE_SHARE + NEAR_DUPLICATE_SHARE:
            near = _near_copy(rng, report)
            if report.script == "traditional":
                near = to_traditional(near)
            _write(folder / f"{number:0{width}d}_repost.txt", near.encode("utf-8"), "utf-8", manifest)
            manifest.near_duplicates += 1
    return manifest


def _write(path: Path, data: bytes, encoding: str, manifest: Manifest) -> None:
    path.write_bytes(data)
    manifest.files += 1
    manifest.bytes += len(data)
    manifest.encodings[encoding] = manifest.encodings.get(encoding, 0) + 1


def main(argv: list[str] | None = None) -> int:
    import argparse
    import json

    parser = argparse.ArgumentParser(description="Write a synthetic raw archive.")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--reports", type=int, default=100)
    parser.add_argument("--units", type=int, default=None)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    manifest = write_raw_archive(args.folder, args.reports, args.units, args.seed)
    print(json.dumps(manifest.as_dict(), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
