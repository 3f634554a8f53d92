"""Which union a report comes from, and where: the organization and place the importer reads."""

from __future__ import annotations

from itertools import accumulate

import pytest

from conftest import run_cli
from generator.content import check_content
from generator.importer import orgs

GAOQIAO = """江岸市高桥乡工会2020年工作总结

2020年，江岸市高桥乡工会在上级工会和党委的领导下，围绕中心、服务大局，较好地完成了全年各项任务，现将主要工作总结如下：

一、加强职工思想教育
组织职工学习党的路线方针政策，开展形式多样的宣传教育活动，全年举办培训班六期。

二、维护职工合法权益
推进厂务公开和集体合同工作，调处劳动争议十二起，为困难职工办实事二十件。

三、开展文体活动
举办职工运动会和文艺汇演，丰富了职工的业余文化生活。
"""


def test_a_union_named_in_its_title_and_lead_is_the_organization(tmp_path):
    """The compiled jieba tagger drops a character of 江岸市高桥乡; the name must not lose it."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "gaoqiao.txt").write_text(GAOQIAO, encoding="utf-8")
    content = tmp_path / "content"
    result = run_cli("import", str(raw), "--content", str(content), "--quiet")
    assert result.returncode == 0, result.stderr
    [report] = check_content(content).reports
    assert report.organization == "江岸市高桥乡工会"


# Texts whose candidates `choose` must weigh: superior bodies, mentions after the lead, longer
# forms of a name, placeholders, a name outside the lead only, the staff (职工会员).
TEXTS = [
    GAOQIAO,
    "在县总工会的领导下，我校工会围绕中心开展工作。二、学校工会组织教职工会员参加培训，校工会表彰先进。",
    "市总工会：\n今年以来，xx街道工会认真履行职责。xx街道工会被评为先进。街道工会还组织了活动。",
    "一、基本情况\n全年工作平稳。" + "职工会员积极参与。" * 30 + "\n红星机械厂工会\n2019年12月30日",
    "在上级工会和镇党委的关心支持下，镇工会扎实工作。" + "各基层工会按照要求开展活动。" * 20 + "高桥镇工会将继续努力。高桥镇工会",
    "本工会在矿党委领导下开展工作，矿工会要求各分工会落实。××煤矿工会、煤矿工会和煤矿工会都参加了。",
]


def _all_candidates(original: str, simplified: str) -> list[orgs.Candidate]:
    """Every candidate, read one by one (what `candidates` may leave out)."""
    matches = orgs._SUFFIX.finditer(simplified, 0, orgs.CANDIDATE_SPAN)
    return [orgs._candidate(m, original, simplified) for m in matches if simplified[m.start() - 1 : m.start()] != "职"]


@pytest.mark.parametrize("text", TEXTS)
def test_the_candidates_read_lead_to_the_choice_all_candidates_lead_to(text):
    simplified = orgs.to_simplified(text)
    for lead_end in (0, 10, 40, 120, 400, len(text)):
        assert orgs.choose(orgs.candidates(text, simplified, lead_end), lead_end) == orgs.choose(_all_candidates(text, simplified), lead_end)


def _places_of_whole_text(original: str, simplified: str, limit: int = 3) -> str | None:
    """Place names as found by cutting the whole span at once."""
    tokens = orgs._posseg().tokenizer.lcut(simplified[: orgs.PLACE_SPAN])
    starts = list(accumulate(map(len, tokens), initial=0))
    names: list[str] = []
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if token not in orgs._place_words():
            continue
        if not (following in orgs._ADMIN_SUFFIX or token[-1] in "省市县区镇乡旗" or token in orgs._CITIES):
            continue
        name = token + following if following in orgs._ADMIN_SUFFIX else token
        written = original[starts[index] : starts[index] + len(name)] if len(original) == len(simplified) else name
        if not any(written in n or n in written for n in names):
            names.append(written)
        if len(names) == limit:
            break
    return " ".join(names) or None


@pytest.mark.parametrize(
    "text",
    [
        *TEXTS,
        "福州市鼓楼区温泉街道工会、宁波市江北区、上海浦东新区和北京，厦门市思明区。",
        "2020年3.5%的增长（福州 市）福建省,福州。杭州-宁波 合肥市\n济南市历下区",
        "臺北市中正區總工會在新北市、桃園縣召開會議。",
    ],
)
def test_places_cut_piece_by_piece_are_the_places_of_the_whole_text(text):
    simplified = orgs.to_simplified(text)
    assert orgs.places(text, simplified) == _places_of_whole_text(text, simplified)



BODY = """{title}

{lead}，现将主要工作总结如下：

一、{first}

二、{second}
"""
# Distinct paragraphs, so that no two reports are taken for copies of one another.
PARAGRAPHS = [
    "组织职工学习党的路线方针政策，开展形式多样的宣传教育活动，全年举办培训班六期。",
    "推进厂务公开和集体合同工作，调处劳动争议十二起，为困难职工办实事二十件。",
    "举办职工运动会和文艺汇演，丰富了职工的业余文化生活，参与职工八百余人次。",
    "开展金秋助学活动，资助困难职工子女三十二名，发放助学金九万六千元。",
    "组织劳动技能竞赛，评选岗位能手十五名，推荐市级劳动模范两名。",
    "建设职工书屋和爱心驿站，为户外劳动者提供饮水、休息和应急服务。",
    "落实女职工特殊权益保护专项集体合同，开展女职工健康体检。",
    "完善工会经费收缴和管理制度，接受经费审查委员会审查，账目清楚。",
    "开展送温暖活动，走访慰问困难职工和劳动模范一百二十户。",
    "推进基层工会规范化建设，新建工会组织四家，发展会员三百六十名。",
    "开展安康杯竞赛和群众安全生产监督活动，排查隐患四十六处。",
    "举办工会干部培训班，提高基层工会主席的履职能力和服务水平。",
]
# Title -> the organization. Words inside these names are tagged by jieba as an idiom (和谐社区),
# an adjective (团结), a verb (支行, 联合) or a suffix (县): a name taken from the title keeps them.
TITLED = {
    "小店街道和谐社区工会2019年工作总结": "小店街道和谐社区工会",
    "吴中街道团结社区工会2018年上半年工作总结": "吴中街道团结社区工会",
    "中国农业银行南开支行工会关于加强职工之家建设的意见": "中国农业银行南开支行工会",
    "南山县联合制药有限公司工会2020年工作计划": "南山县联合制药有限公司工会",
    "在包河街道和谐社区工会2019年职代会上的讲话": "包河街道和谐社区工会",
    "2019年工会工作总结": "红星机械厂工会",  # no name in the title: the one in the lead
}


def test_a_union_named_at_the_start_of_its_title_is_the_organization(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for number, title in enumerate(TITLED):
        lead = "今年以来，红星机械厂工会在上级工会的领导下认真履行职责" if "红星" in TITLED[title] else "今年以来，各项工作稳步推进"
        first, second = PARAGRAPHS[2 * number], PARAGRAPHS[2 * number + 1]
        text = BODY.format(title=title, lead=lead, first=first, second=second)
        (raw / f"{number}.txt").write_text(text, encoding="utf-8")
    content = tmp_path / "content"
    result = run_cli("import", str(raw), "--content", str(content), "--quiet")
    assert result.returncode == 0, result.stderr
    found = {report.title: report.organization for report in check_content(content).reports}
    assert found == TITLED


@pytest.mark.parametrize(
    "title",
    ["关于红星机械厂工会2019年工作的报告", "全县工会2019年工作总结", "在全市工会工作会议上的讲话", "工会2019年工作总结", None],
)
def test_a_title_that_does_not_begin_with_a_union_names_none(title):
    assert orgs.title_name(title) is None


def test_place_and_branch_words_stay_in_a_name_found_in_the_text():
    """县 (tagged as a suffix), 支行 (a verb) and 和谐社区 (an idiom) do not end the walk leftwards."""
    text = "今年，中国农业银行南开支行工会、海淀县东方电子有限公司工会和小店街道和谐社区工会联合开展活动。"
    names = [c.name for c in _all_candidates(text, text)]
    assert names == ["中国农业银行南开支行工会", "海淀县东方电子有限公司工会", "小店街道和谐社区工会"]
