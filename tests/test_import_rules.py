"""The importer's rules for real inputs, each on a small text of our own.

Page chrome by its shape, collection labels, titles, years, the reporting unit and headings.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.importer.clean import chrome_reason, remove_fragments
from generator.importer.headings import split_run_in
from generator.importer.metadata import dated_year, opening_year, title_year
from generator.importer.orgs import category_of, speaker_body, title_name
from generator.importer.pipeline import IMPORT_LOG, import_paths
from generator.importer.split import is_label, label_title
from generator.importer.structure import Body


def _import(tmp_path: Path, files: dict[str, str]) -> tuple[list[dict], dict]:
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, text in files.items():
        (raw / name).write_text(text, encoding="utf-8")
    content = tmp_path / "content"
    summary = import_paths([raw], content, progress=False)
    assert not summary.skipped and not summary.conflicts
    entries = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((content / "reports").glob("*.yml"))]
    log = yaml.safe_load((content / IMPORT_LOG).read_text(encoding="utf-8"))
    return entries, log


def _reasons(log: dict) -> list[str]:
    return [item["reason"] for entry in log.values() for item in entry["left_out"]]


# --- chrome ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "职工之家工作计划范文(精选9篇)",
        "社区工会年度总结汇编12篇",
        "企業工會工作計劃錦集十篇",
        "来源：区总工会 | 时间：2021-03-04 | 浏览量：56",
        "作者：佚名 来源：网络 【小 中 大】",
        "| 阅读次数：",
        "2、本文档为会员上传，下载需扣费，请确认后再付费",
        "欢迎光临某某文库",
        "《阅读更多》",
        "字号：[ ]",
        "17",
        "2023-06",
        "Dear colleagues, on behalf of the committee I would like to thank every member of the union for the work",
    ],
)
def test_page_chrome_is_told_by_its_shape(line):
    assert chrome_reason(line) is not None


@pytest.mark.parametrize(
    "line",
    [
        "二、活动时间：5月20日下午，地点：厂区篮球场",
        "组织职工下载学习平台的手机软件，参学率达到九成。",
        "3、全年在市级以上刊物发表论文15篇",
        "活动地点：职工活动中心",
        "今年共走访困难职工46户。",
    ],
)
def test_report_lines_are_not_chrome(line):
    assert chrome_reason(line) is None


def test_machinery_inside_a_sentence_is_cut_out_and_named():
    text, removed = remove_fragments(r"加强队伍建设第PAGE\*Arabic\*MERGEFORMAT2页，树原创美文网站:好文网立新风![]()", 4)
    assert text == "加强队伍建设，树立新风"
    assert sorted(r.reason for r in removed) == ["Word field code", "empty image", "site watermark"]


# --- labels and titles -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "title"),
    [
        ("社区工会工作总结 篇3", "社区工会工作总结"),
        ("总结二：街道工会年度工作总结", "街道工会年度工作总结"),
        ("学校工会工作计划2", "学校工会工作计划"),
        ("职工活动方案范文 第二篇：", "职工活动方案"),
    ],
)
def test_a_collection_label_opens_a_piece_and_names_it(label, title):
    assert is_label(label)
    assert label_title(label) == title


def test_a_run_on_page_is_split_at_its_inline_marker_and_its_chrome_logged(tmp_path):
    page = (
        "您好，欢迎访问某某文库\n"
        "工会总结范文【推荐5篇】以下是为大家整理的范文，供大家参考。村镇工会工作总结【第一篇】"
        "今年以来，我镇工会在镇党委的领导下，围绕中心、服务大局，较好地完成了各项工作任务，职工满意度明显提高。"
        "一、抓好组建工作。全年新建工会十家。\n"
    )
    entries, log = _import(tmp_path, {"page.txt": page})
    assert len(entries) == 1
    assert entries[0]["lead"][0].startswith("今年以来")
    assert "page chrome (welcome line)" in _reasons(log)
    assert "site label" in _reasons(log)


def test_of_two_title_lines_at_the_top_the_later_is_the_reports_own(tmp_path):
    page = (
        "桥东街道工会2020年工作计划\n时间：2020-01-02 来源：某某网\n桥东街道工会2006年工作计划\n"
        "一、指导思想\n以服务职工为中心，推进街道工会各项工作，团结动员职工建功立业。\n"
        "二、主要任务\n做好建会入会和职工维权工作，办好职工书屋和职工之家。\n"
    )
    entries, _ = _import(tmp_path, {"plan.txt": page})
    assert entries[0]["title"] == "桥东街道工会2006年工作计划"
    assert entries[0]["year"] == 2006
    assert [s["heading"] for s in entries[0]["sections"]] == ["一、指导思想", "二、主要任务"]


# --- year --------------------------------------------------------------------------------


def test_year_from_title_opening_and_signature():
    assert title_year("某某社区工会2019年工作总结") == 2019
    assert title_year("2022工会半年工作总结") == 2022
    assert title_year("20xx年工会工作计划") is None
    assert opening_year("本矿始建于1985年，自1998年起由矿工会负责。今年是2016年，") == 2016
    assert opening_year("20XX年，镇工会在镇党委领导下") is None


def test_a_signature_date_speaks_for_the_year_its_document_covers():
    from datetime import date

    assert dated_year(date(2016, 12, 20), "plan") == 2017
    assert dated_year(date(2017, 1, 8), "summary") == 2016
    assert dated_year(date(2017, 6, 30), "summary") == 2017


_WORK = [
    ("加强组织建设", "新建基层工会九家，发展会员三百一十人，村级工会实现全覆盖，工会小组长全部完成轮训。"),
    ("维护职工权益", "签订工资集体协议二十一份，调处劳动争议七起，为外来务工人员追回欠薪十八万元。"),
    ("开展劳动竞赛", "组织岗位练兵和技能比武，评出岗位能手四十名，推荐两名职工参评省级劳模。"),
    ("帮扶困难职工", "建立困难职工档案六十三份，春节走访慰问一百零五户，金秋助学资助学生二十二名。"),
    ("丰富文体生活", "举办职工篮球赛、拔河赛和迎新春文艺晚会，组建太极拳队和合唱队各一支。"),
    ("加强自身建设", "开展工会干部作风整顿，修订经费管理办法，完成换届选举和经审工作。"),
]


def test_plain_text_reports_take_the_year_their_title_and_lead_state(tmp_path):
    """Reports as an office hands them in: a title line, then the lead, both with the year;
    a signature date of another year does not override them."""
    units = ["红星街道总工会", "东湖社区工会", "柳林镇总工会", "第二中学工会", "市供电公司工会", "县人民医院工会"]
    files, expected = {}, {}
    for number, unit in enumerate(units):
        year = 2009 + 2 * number
        parts = [_WORK[(number + k) % len(_WORK)] for k in range(3)]
        body = "".join(f"{'一二三'[k]}、{head}\n{text}\n" for k, (head, text) in enumerate(parts))
        files[f"r{number}.txt"] = (
            f"{unit}{year}年工作总结\n\n"
            f"{year}年，{unit}在上级工会的领导下，扎实推进{year}年度各项工作，{parts[0][1]}\n"
            f"{body}{unit}\n{year + 1}年1月10日\n"
        )
        expected[f"{unit}{year}年工作总结"] = (year, unit)
    entries, _ = _import(tmp_path, files)
    got = {e["title"]: (e["year"], e["organization"]) for e in entries}
    assert got == expected
    assert not any("year" in e["needs_review"] for e in entries)


# --- organization ------------------------------------------------------------------------


def test_a_collection_or_kind_title_names_no_unit():
    assert title_name("医院工会工作计划") is None
    assert title_name("教育工会工作报告范文(2)") is None
    assert category_of("医院工会工作计划") == "医院工会"
    assert title_name("青山街道总工会2018年工作总结") == "青山街道总工会"


def test_a_speech_takes_the_body_its_speaker_speaks_for():
    body = Body(title="在职工代表大会上的讲话", org_line=None, lead=["各位代表、同志们："], sections=[], repeated_titles=[])
    text = "各位代表、同志们：\n在此，我代表某某集团公司党委、董事会，向大会表示祝贺。"
    assert speaker_body(body, text) == "某某集团公司"
    text = "各位代表、同志们：\n我代表镇党委、政府向大会表示祝贺。"
    assert speaker_body(body, text) == "镇党委"


def test_a_pronoun_alone_gives_no_unit_and_asks_for_review(tmp_path):
    page = (
        "今年以来，我院工会在院党委的领导下，围绕医院中心工作，关心职工生活，组织了多项文体活动，职工反映良好。\n"
        "一、关心职工生活\n我院工会坚持走访慰问困难职工，全年慰问二十余人次，发放慰问金两万余元。\n"
    )
    entries, _ = _import(tmp_path, {"hospital.txt": page})
    entry = entries[0]
    assert entry["organization"] is None
    assert "organization" in entry["needs_review"]
    assert "我院工会" in entry["review_reasons"]["organization"]


def test_a_union_name_at_a_clause_start_is_taken_whole(tmp_path):
    page = (
        "20XX年，出山镇工会联合会在县总工会和镇党委的正确领导下，团结带领全镇职工，认真开展了各项工作，取得了一定成效。\n"
        "一、扩大工会覆盖面\n新建村级工会和企业工会多家，会员人数明显增加。\n"
    )
    entries, _ = _import(tmp_path, {"town.txt": page})
    assert entries[0]["organization"] == "出山镇工会联合会"
    assert entries[0]["org_kind"] == "township"


@pytest.mark.parametrize(
    ("opening", "unit"),
    [
        ("今年以来，幸福里社区工会在街道总工会的指导下", "幸福里社区工会"),  # 幸福 | 里 | 社区 in jieba
        ("今年以来，阳光花园社区工会在街道总工会的指导下", "阳光花园社区工会"),
        ("今年以来，红星路社区工会在街道总工会的指导下", "红星路社区工会"),
    ],
)
def test_a_community_name_at_a_clause_start_is_whole_however_jieba_cuts_it(tmp_path, opening, unit):
    page = f"{opening}，认真履行各项职能，较好地完成了全年各项任务。\n一、加强组织建设\n新吸纳会员四十五名。\n"
    entries, _ = _import(tmp_path, {"community.txt": page})
    assert entries[0]["organization"] == unit


def test_a_verb_before_a_kind_of_unit_is_no_part_of_its_name(tmp_path):
    page = (
        "今年以来，东湖社区工会认真履行各项职能，较好地完成了全年各项任务。\n"
        "一、加强社区工会建设\n积极开展社区工会规范化建设，会员人数明显增加。\n"
    )
    entries, _ = _import(tmp_path, {"community.txt": page})
    assert entries[0]["organization"] == "东湖社区工会"


# --- structure ---------------------------------------------------------------------------


def test_a_heading_set_off_by_a_space_is_cut_there():
    heading, rest = split_run_in("一、加强领导，理清思路，完善措施 帮扶解困是工会的重要工作。")
    assert heading == "一、加强领导，理清思路，完善措施"
    assert rest.startswith("帮扶解困")


def test_markdown_headings_in_a_text_file_are_headings(tmp_path):
    page = (
        "#### 前言\n新的一年，社区工会将围绕服务职工这一中心，制定并落实以下计划，推动社区工会工作上台阶。\n"
        "#### 一、加强组织建设\n1. **健全组织**：完善工会委员会分工。\n"
        "#### 二、丰富职工生活\n1. **文体活动**：举办运动会和联欢会。\n"
    )
    entries, _ = _import(tmp_path, {"plan.md": page})
    assert [s["heading"] for s in entries[0]["sections"]] == ["前言", "一、加强组织建设", "二、丰富职工生活"]


def test_web_page_headings_dropped_by_the_extractor_are_put_back(tmp_path):
    sections = "".join(
        f"<h2>{head}</h2><p>{text}</p>"
        for head, text in [
            ("一、加强组织建设", "全年新建基层工会八家，发展会员六百余人，基层工会规范化建设稳步推进，培训覆盖每个村。"),
            ("二、维护职工权益", "开展工资集体协商，签订集体合同十二份，覆盖职工两千余人，调处劳动争议五起。"),
        ]
    )
    page = (
        '<html><head><meta charset="utf-8"><title>某某网</title></head><body><div class="nav">'
        '<a href="/">首页</a> &gt; <a href="/a">工作总结</a></div><div class="article">'
        '<h1>青石镇总工会2021年工作总结</h1><p class="info">发布时间：2022-01-05 浏览次数：128</p>'
        "<p>2021年，青石镇总工会在镇党委和县总工会的领导下，围绕全镇中心工作，较好地完成了全年各项任务。</p>"
        f"{sections}</div></body></html>"
    )
    entries, log = _import(tmp_path, {"page.html": page})
    assert [s["heading"] for s in entries[0]["sections"]] == ["一、加强组织建设", "二、维护职工权益"]
    warnings = [w for entry in log.values() for w in entry["warnings"]]
    assert any("put back" in w for w in warnings)


def test_numbered_items_of_a_list_stay_paragraphs_alike(tmp_path):
    page = (
        "某某社区工会2020年工作计划\n"
        "一、主要任务\n"
        "1、开展职工读书活动\n"
        "2、做好困难职工帮扶工作，全年走访慰问不少于三十户。\n"
        "3、办好职工之家\n"
        "4、组织一次职工健康体检，建立健康档案。\n"
        "二、保障措施\n"
        "1、加强领导\n成立由主席牵头的工作小组，明确分工。\n"
        "2、落实经费\n按规定足额使用工会经费，专款专用。\n"
    )
    entries, _ = _import(tmp_path, {"plan.txt": page})
    tasks, means = entries[0]["sections"]
    assert tasks["sections"] == [] and len(tasks["paragraphs"]) == 4  # a list: no item is a heading
    assert [s["heading"] for s in means["sections"]] == ["1、加强领导", "2、落实经费"]  # items that act as headings


def test_a_subtitle_gives_the_occasion_and_kind_never_the_title(tmp_path):
    page = (
        "凝心聚力 再创佳绩\n——在某某公司第三次职工代表大会上的报告\n"
        "一、过去三年的工作\n三年来，公司工会围绕生产经营中心，组织劳动竞赛，推进厂务公开，维护职工权益。\n"
        "二、今后的任务\n今后三年，公司工会将继续围绕中心、服务大局，团结动员职工建功立业。\n"
    )
    entries, _ = _import(tmp_path, {"congress.txt": page})
    assert not entries[0]["title"].startswith("——")
    assert entries[0]["doc_type"] == "report"


def test_headings_inside_a_page_flattened_into_one_line_are_found(tmp_path):
    line = (
        "某某村工会工作总结范文 去年以来，村工会在镇工会的指导下开展工作，围绕中心、服务大局，"
        "认真履行维护职工合法权益的基本职责，各项工作取得了新的进展，具体汇报如下："
        "一、抓好组织建设。全村新建工会小组六个，发展会员一百二十人，会员档案全部建立。"
        "组织会员参加各类培训三次，参训人数达到两百人次，工会干部的业务能力有了提高。"
        "二、抓好困难帮扶。走访慰问困难职工二十户，发放慰问金一万元，帮助三人重新就业。"
        "同时建立了困难职工档案，做到一户一档、动态管理，确保帮扶工作落到实处。\n"
    )
    entries, _ = _import(tmp_path, {"village.txt": line})
    assert [s["heading"] for s in entries[0]["sections"]] == ["一、抓好组织建设。", "二、抓好困难帮扶。"]


def test_a_plan_by_months_has_its_months_as_headings(tmp_path):
    months = "".join(
        f"{month}\n1、{first}\n2、{second}\n"
        for month, first, second in [
            ("一月份", "开展新春送温暖活动，走访慰问困难职工", "召开工会委员会会议，部署全年工作"),
            ("二月份", "筹备职工代表大会，征集代表提案", "组织元宵节猜灯谜活动"),
            ("三月份", "开展庆三八妇女节系列活动", "组织女职工健康体检"),
        ]
    )
    entries, _ = _import(tmp_path, {"months.txt": "某某医院工会2016年工作计划\n" + months})
    assert [s["heading"] for s in entries[0]["sections"]] == ["一月份", "二月份", "三月份"]


def test_the_signature_names_the_unit_where_the_text_uses_a_pronoun(tmp_path):
    page = (
        "今年以来，我院工会在院党委的领导下，围绕医院中心工作，关心职工生活，组织了多项文体活动。\n"
        "一、关心职工生活\n我院工会坚持走访慰问困难职工，并配合县总工会开展金秋助学活动。\n"
        "青松县人民医院工会\n2019年12月28日\n"
    )
    entries, _ = _import(tmp_path, {"hospital.txt": page})
    assert entries[0]["organization"] == "青松县人民医院工会"
    assert entries[0]["org_kind"] == "hospital"
    assert entries[0]["year"] == 2019


def test_a_hidden_text_marker_is_chrome():
    assert chrome_reason("……此处隐藏：2150字，全部文档内容请下载后查看。喜欢就下载吧……") == "hidden-text marker"


def test_a_title_set_over_several_short_lines_is_joined(tmp_path):
    page = (
        "机关\n工会\n2018年\n工作总结\n"
        "2018年，机关工会在机关党委的领导下，围绕中心工作，组织职工开展了形式多样的活动，各项工作有序推进。\n"
        "一、加强学习\n坚持每月组织一次集中学习，职工的思想政治素质进一步提高。\n"
    )
    entries, _ = _import(tmp_path, {"cover.txt": page})
    assert entries[0]["title"] == "机关工会2018年工作总结"
    assert entries[0]["title_generated"] is False
