"""Word documents in the layouts Chinese union offices use, imported with the real importer.

Each test writes one .docx with python-docx (tests/docx_layouts.py), imports it into a
fresh content folder and checks the one entry it gives: title, unit, year, date, type, top
headings, and that the signature block left the body for the entry's fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import yaml

from docx_layouts import Letter
from generator.content import check_content
from generator.importer.layout import Layout, line_date
from generator.importer.pipeline import import_paths
from generator.model import Report


@dataclass(frozen=True)
class Expected:
    title: str
    organization: str | None
    year: int | None
    date: str | None
    doc_type: str
    headings: list[str]
    year_placeholder: str | None = None


def imported(tmp_path: Path, letter: Letter, name: str = "report.docx") -> Report:
    raw = tmp_path / "raw"
    raw.mkdir()
    letter.save(raw / name)
    summary = import_paths([raw], tmp_path / "content", progress=False)
    assert summary.skipped == [] and summary.conflicts == []
    result = check_content(tmp_path / "content")
    assert not result.problems, [str(p) for p in result.problems]
    (report,) = result.reports
    return report


def body_texts(report: Report) -> list[str]:
    """Every paragraph and heading of the body, tables as their text."""
    texts = [p if isinstance(p, str) else "\n".join("\t".join(r) for r in p.rows) for p in report.lead]
    for _, section in report.iter_sections():
        texts.append(section.heading)
        texts += [p if isinstance(p, str) else "\n".join("\t".join(r) for r in p.rows) for p in section.paragraphs]
    return texts


def check(report: Report, expected: Expected, signature: tuple[str, ...] = ()) -> None:
    assert report.title == expected.title and not report.title_generated
    assert report.organization == expected.organization
    assert (report.year, report.year_placeholder) == (expected.year, expected.year_placeholder)
    assert (report.date.isoformat() if report.date else None) == expected.date
    assert report.doc_type == expected.doc_type
    assert [s.heading for s in report.sections] == expected.headings
    texts = body_texts(report)
    for line in signature:  # the signature became fields: no heading or paragraph holds it
        assert not any(text.strip() == line for text in texts), line


# -- the layouts -------------------------------------------------------------------

STREET_SUMMARY = (
    Letter()
    .title("东湖街道总工会", "2019年工作总结")
    .text(
        "2019年，街道总工会在街道党工委和区总工会的正确领导下，紧紧围绕街道中心工作，"
        "团结带领辖区广大职工建功立业，各项工作取得了新的进展。现将全年工作总结如下：",
    )
    .heading("一、扎实推进基层组织建设")
    .text(
        "对辖区非公企业逐户走访，全年新建企业工会14家，新发展会员920人，"
        "其中快递员、网约车司机等新就业形态劳动者210人。",
    )
    .heading("二、切实维护职工合法权益")
    .text(
        "推动辖区规模以上企业开展工资集体协商，签订工资专项集体合同36份，"
        "覆盖职工5100余人；设立职工法律援助站，协调解决劳动争议28起。",
    )
    .heading("三、用心做好帮扶服务工作")
    .text(
        "元旦春节期间走访慰问困难职工83户，发放慰问金16.5万元；"
        "开展金秋助学活动，资助困难职工子女27名。",
    )
    .signature("东湖街道总工会", "2019年12月20日")
)


def test_two_line_title_and_signature_of_a_street_union(tmp_path):
    report = imported(tmp_path, STREET_SUMMARY)
    log = yaml.safe_load((tmp_path / "content" / "import-log.yml").read_text(encoding="utf-8"))
    assert [item["text"] for item in log["sources/report.docx"]["left_out"]] == ["东湖街道总工会", "2019年12月20日"]
    check(
        report,
        Expected(
            "东湖街道总工会2019年工作总结",
            "东湖街道总工会",
            2019,
            "2019-12-20",
            "summary",
            ["一、扎实推进基层组织建设", "二、切实维护职工合法权益", "三、用心做好帮扶服务工作"],
        ),
        signature=("东湖街道总工会", "2019年12月20日"),
    )
    assert report.org_kind == "street"


TOWNSHIP_PLAN = (
    Letter()
    .title("2020年工会工作计划")
    .text(
        "新的一年，镇工会将在镇党委和县总工会的领导下，坚持以职工为中心，"
        "围绕全镇经济社会发展大局，扎实做好以下几个方面的工作。",
    )
    .heading("一、加强组织建设")
    .text("力争全年新建村级工会联合会3个，新发展农民工会员300人，实现辖区企业建会全覆盖。")
    .heading("二、深化劳动竞赛")
    .text("围绕重点工程项目开展劳动竞赛，组织农村实用技能培训和职业技能比武不少于4场。")
    .heading("三、做实困难帮扶")
    .text("完善困难职工档案，做好送温暖、金秋助学和夏送清凉工作，让职工感受到组织的关怀。")
    .signature("城关镇总工会", "二〇一九年十二月二十六日")
)


def test_plan_year_from_its_title_not_the_december_signature(tmp_path):
    report = imported(tmp_path, TOWNSHIP_PLAN)
    check(
        report,
        Expected(
            "2020年工会工作计划",
            "城关镇总工会",
            2020,
            "2019-12-26",
            "plan",
            ["一、加强组织建设", "二、深化劳动竞赛", "三、做实困难帮扶"],
        ),
        signature=("城关镇总工会", "二〇一九年十二月二十六日"),
    )
    assert report.org_kind == "township"


COMPANY_POINTS = (
    Letter()
    .title("二〇二〇年工会工作要点", style="Heading 1", centered=False)
    .text(
        "公司工会将以习近平新时代中国特色社会主义思想为指导，认真落实公司职代会精神，"
        "围绕公司生产经营目标，团结动员广大职工为公司高质量发展贡献力量。",
    )
    .heading("一、围绕生产经营开展劳动竞赛", bold=False, style="Heading 2")
    .text("在各生产车间开展“安全生产月”“质量月”竞赛活动，举办车工、钳工、电焊工技能比武。")
    .heading("二、推进厂务公开和民主管理", bold=False, style="Heading 2")
    .text("按时召开职工代表大会，审议涉及职工切身利益的重大事项，落实职工代表巡视检查制度。")
    .heading("三、办好职工身边的实事", bold=False, style="Heading 2")
    .text("改善职工食堂和倒班宿舍条件，组织职工健康体检，开展单身青年职工联谊活动。")
    .signature("华能机械有限公司工会", "2019年12月28日")
)


def test_heading_1_title_with_a_year_in_chinese_numerals(tmp_path):
    report = imported(tmp_path, COMPANY_POINTS)
    check(
        report,
        Expected(
            "二〇二〇年工会工作要点",
            "华能机械有限公司工会",
            2020,
            "2019-12-28",
            "plan",
            ["一、围绕生产经营开展劳动竞赛", "二、推进厂务公开和民主管理", "三、办好职工身边的实事"],
        ),
        signature=("华能机械有限公司工会", "2019年12月28日"),
    )
    assert report.org_kind == "enterprise"


CONGRESS_SPEECH = (
    Letter()
    .title("凝心聚力 担当作为", "奋力开创全区工会工作新局面")
    .centered("——在高新区总工会第三次会员代表大会上的讲话")
    .centered("区委副书记  王建国")
    .centered("（2019年12月20日）")
    .plain("各位代表、同志们：")
    .text(
        "高新区总工会第三次会员代表大会今天隆重开幕了。首先，我代表区委，"
        "向大会的召开表示热烈的祝贺！向全区广大职工致以诚挚的问候！",
    )
    .heading("一、充分肯定过去五年全区工会工作取得的成绩")
    .text("五年来，区总工会团结带领全区职工，在推动发展、维护权益、服务职工等方面做了大量卓有成效的工作。")
    .heading("二、准确把握新时代工会工作的目标任务")
    .text("各级工会要牢牢把握为实现中华民族伟大复兴的中国梦而奋斗的时代主题，团结引导职工听党话、跟党走。")
    .heading("三、切实加强党对工会工作的领导")
    .text("各级党组织要把工会工作摆上重要议事日程，定期听取工会工作汇报，帮助工会解决实际困难。")
)


def test_speech_with_subtitle_speaker_and_date_line(tmp_path):
    report = imported(tmp_path, CONGRESS_SPEECH)
    check(
        report,
        Expected(
            "凝心聚力 担当作为奋力开创全区工会工作新局面",
            "区委",  # the speaker speaks for the district committee (我代表区委), not for the union
            2019,
            "2019-12-20",
            "speech",
            [
                "一、充分肯定过去五年全区工会工作取得的成绩",
                "二、准确把握新时代工会工作的目标任务",
                "三、切实加强党对工会工作的领导",
            ],
        ),
        signature=("（2019年12月20日）",),
    )
    assert report.lead[0] == "——在高新区总工会第三次会员代表大会上的讲话"  # the occasion, kept
    assert "各位代表、同志们：" in report.lead  # a salutation is body text


CONGRESS_REPORT = (
    Letter()
    .title("团结奋进 建功立业", style="Heading 1", centered=False)
    .centered("——在青川县总工会第十五次代表大会上的报告")
    .centered("（二〇二〇年一月八日）")
    .plain("各位代表：")
    .text(
        "现在，我代表青川县总工会第十四届委员会向大会报告工作，请予审议。",
    )
    .numbered("过去五年的工作回顾", 0)
    .text("五年来，全县各级工会紧紧围绕县委中心工作，团结动员全县职工群众，为全县经济社会发展作出了积极贡献。")
    .numbered("坚持服务大局，职工建功立业热情持续高涨", 1)
    .text("全县累计开展各类劳动竞赛260余项，参与职工8.6万人次，评选县级劳动模范120名。")
    .numbered("坚持维权服务，职工群众获得感不断增强", 1)
    .text("累计筹集帮扶资金1860万元，帮扶困难职工1.2万人次，建成户外劳动者服务站点42个。")
    .numbered("今后五年的目标任务", 0)
    .text("今后五年全县工会工作的总体要求是：坚持以职工为中心的工作导向，推动工会工作高质量发展。")
)


def test_congress_report_with_word_numbering(tmp_path):
    report = imported(tmp_path, CONGRESS_REPORT)
    check(
        report,
        Expected(
            "团结奋进 建功立业",
            "青川县总工会",
            2020,
            "2020-01-08",
            "report",
            ["一、过去五年的工作回顾", "二、今后五年的目标任务"],
        ),
        signature=("（二〇二〇年一月八日）",),
    )
    assert [s.heading for s in report.sections[0].sections] == [
        "（一）坚持服务大局，职工建功立业热情持续高涨",
        "（二）坚持维权服务，职工群众获得感不断增强",
    ]


SCHOOL_SUMMARY = (
    Letter()
    .title("实验小学工会工作总结")
    .text(
        "一年来，学校工会在学校党支部和教育工会的领导下，以建设教职工之家为抓手，"
        "团结带领全体教职工爱岗敬业、教书育人，较好地完成了各项工作任务。",
    )
    .numbered("加强师德建设，提升教职工素质", 0)
    .numbered("开展师德主题教育", 1)
    .text("组织教职工学习新时代中小学教师职业行为十项准则，开展师德师风承诺和评议活动。")
    .numbered("举办青年教师基本功比赛", 1)
    .text("组织青年教师开展粉笔字、说课、课件制作比赛，32名青年教师参赛，12人获奖。")
    .numbered("关心教职工生活，增强凝聚力", 0)
    .text("全年走访慰问生病住院、生育和退休教职工41人次，组织教职工健康体检。")
    .table(("活动", "次数", "参加人次"), ("文体活动", "6", "420"), ("走访慰问", "41", "41"))
    .indented_signature("东湖区实验小学工会委员会", "2020年1月10日")
)


def test_school_summary_signed_in_january_is_for_last_year(tmp_path):
    report = imported(tmp_path, SCHOOL_SUMMARY)
    check(
        report,
        Expected(
            "实验小学工会工作总结",
            "实验小学工会",
            2019,
            "2020-01-10",
            "summary",
            ["一、加强师德建设，提升教职工素质", "二、关心教职工生活，增强凝聚力"],
        ),
        signature=("东湖区实验小学工会委员会", "2020年1月10日"),
    )
    assert report.org_kind == "school"
    assert [s.heading for s in report.sections[0].sections] == ["（一）开展师德主题教育", "（二）举办青年教师基本功比赛"]
    assert "文体活动\t6\t420" in "\n".join(body_texts(report))  # the table's text is kept


HOSPITAL_SUMMARY = (
    Letter()
    .title("人民医院工会2019年工作总结", style="Title")
    .text(
        "2019年，医院工会在医院党委和市总工会的领导下，围绕医院中心工作，"
        "积极组织医务职工开展各项活动，维护职工合法权益，取得了较好成效。",
    )
    .heading("一、围绕中心，组织开展岗位建功", bold=False, style="Heading 1")
    .heading("（一）开展医疗技能竞赛", bold=False, style="Heading 2")
    .text("举办护理技能、急救技能和院感防控知识竞赛，全院380名医护人员参赛。")
    .heading("（二）推进优质服务窗口创建", bold=False, style="Heading 2")
    .text("在门诊、急诊和住院部开展优质服务窗口评比，评选优质服务窗口8个。")
    .heading("二、关爱职工，提升职工幸福感", bold=False, style="Heading 1")
    .text("走访慰问一线医务人员和困难职工126人次，组织职工疗休养三批次。")
    .plain("附件：1.2019年职工慰问情况统计表")
    .plain("2.2019年先进工会小组名单")
    .signature("市人民医院工会委员会", "二〇一九年十二月三十日")
)


def test_heading_styles_and_attachment_note_of_a_hospital_union(tmp_path):
    report = imported(tmp_path, HOSPITAL_SUMMARY)
    check(
        report,
        Expected(
            "人民医院工会2019年工作总结",
            "人民医院工会",
            2019,
            "2019-12-30",
            "summary",
            ["一、围绕中心，组织开展岗位建功", "二、关爱职工，提升职工幸福感"],
        ),
        signature=("市人民医院工会委员会", "二〇一九年十二月三十日"),
    )
    assert [s.heading for s in report.sections[0].sections] == ["（一）开展医疗技能竞赛", "（二）推进优质服务窗口创建"]
    last = report.sections[-1]
    assert not last.sections  # the attachment note is no heading
    assert "附件" in last.paragraphs[-1] and "先进工会小组名单" in last.paragraphs[-1]


COMPANY_HALF_YEAR = (
    Letter()
    .title("华能机械有限公司工会2020年上半年工作总结")
    .text(
        "上半年，公司工会在公司党委的领导下，克服疫情影响，统筹做好疫情防控和复工复产，"
        "围绕公司年度目标开展工作，现将有关情况总结如下。",
    )
    .heading("一、全力助推复工复产。", bold=True)
    .text("组织职工志愿者参与厂区防疫消杀和体温检测，协调解决外地职工返岗交通和住宿困难。")
    .heading("二、开展职工技能提升活动。", bold=True)
    .text("开展线上技能培训12期，参训职工860人次，举办数控车床操作技能比武一场。")
    .heading("三、下半年工作打算。", bold=True)
    .text("下半年，公司工会将继续围绕生产经营开展劳动竞赛，办好职工书屋和职工之家。")
    .signature("2020年7月6日")
)


def test_company_half_year_summary_dated_only(tmp_path):
    report = imported(tmp_path, COMPANY_HALF_YEAR)
    check(
        report,
        Expected(
            "华能机械有限公司工会2020年上半年工作总结",
            "华能机械有限公司工会",
            2020,
            "2020-07-06",
            "summary",
            ["一、全力助推复工复产。", "二、开展职工技能提升活动。", "三、下半年工作打算。"],
        ),
        signature=("2020年7月6日",),
    )
    assert report.period == "first-half"


TEMPLATE_PLAN = (
    Letter()
    .title("XX社区工会", "20xx年工作计划")
    .text(
        "20xx年，社区工会将在街道总工会和社区党委的领导下，以服务职工为中心，"
        "扎实推进各项工作，努力把社区工会建设成为职工信赖的职工之家。",
    )
    .heading("一、加强组织建设")
    .text("对辖区新开办的商铺和物业公司逐一走访，力争全年新发展会员100人。")
    .heading("二、丰富文体活动")
    .text("利用社区活动室，每季度组织一次职工文体活动，增强职工的归属感。")
    .plain(" " * 24 + "XX社区工会（盖章）")  # pushed right with spaces, as many clerks do
    .plain(" " * 24 + "20xx年x月x日")
)


def test_placeholder_year_is_never_a_year(tmp_path):
    report = imported(tmp_path, TEMPLATE_PLAN)
    check(
        report,
        Expected(
            "XX社区工会20xx年工作计划",
            "XX社区工会",
            None,
            None,
            "plan",
            ["一、加强组织建设", "二、丰富文体活动"],
            year_placeholder="20xx年",
        ),
        signature=("XX社区工会（盖章）", "20xx年x月x日"),
    )


FEDERATION_OPINION = (
    Letter()
    .title("关于加强新就业形态劳动者", "入会和服务工作的意见")
    .text(
        "为深入贯彻落实全总关于推进新就业形态劳动者入会工作的部署要求，"
        "切实维护新就业形态劳动者合法权益，结合我区实际，现提出如下意见。",
    )
    .heading("一、充分认识重要意义", bold=False)
    .text("新就业形态劳动者是职工队伍的重要组成部分，做好他们的入会和服务工作是工会的重要职责。")
    .heading("二、推进集中入会行动", bold=False)
    .text("聚焦货车司机、快递员、网约配送员等群体，开展集中入会行动，力争年内新发展会员2000人。")
    .heading("三、建好用好服务阵地", bold=False)
    .text("依托户外劳动者服务站点建设“司机之家”“骑手驿站”，为劳动者提供歇脚、饮水、充电等服务。")
    .plain("附件")
    .plain("新就业形态劳动者服务站点建设标准")
    .signature("高新区总工会", "2021年3月15日")
)


def test_opinion_with_two_line_title_and_attachment_label(tmp_path):
    report = imported(tmp_path, FEDERATION_OPINION)
    check(
        report,
        Expected(
            "关于加强新就业形态劳动者入会和服务工作的意见",
            "高新区总工会",
            2021,
            "2021-03-15",
            "opinion",
            ["一、充分认识重要意义", "二、推进集中入会行动", "三、建好用好服务阵地"],
        ),
        signature=("高新区总工会", "2021年3月15日"),
    )
    assert "服务站点建设标准" in report.sections[-1].paragraphs[-1]


BANK_REPORT = (
    Letter()
    .title("工商银行江北支行工会", "2019年度工作报告", style="Heading 1", centered=False)
    .plain("各位代表、同志们：")
    .text(
        "我受支行工会委员会的委托，向大会报告2019年度工会工作，请各位代表审议。",
    )
    .heading("一、2019年工作回顾", style="Heading 1", bold=False)
    .heading("（一）开展业务技能大比武")  # typed and bold under a styled heading
    .text("一年来，支行工会围绕全行经营目标，开展“业务技能大比武”活动，组织员工参加点钞、反假币技能竞赛。")
    .heading("（二）关心员工生活")
    .text("为营业网点配备微波炉和饮水机，组织员工健康体检和健步走活动。")
    .heading("二、2020年工作安排", style="Heading 1", bold=False)
    .text("新的一年，支行工会将继续深化“职工之家”建设，办好员工食堂和员工书屋，关心员工身心健康。")
    .signature("二〇二〇年一月十六日")
)


def test_bank_report_with_salutation_and_heading_styles(tmp_path):
    report = imported(tmp_path, BANK_REPORT)
    check(
        report,
        Expected(
            "工商银行江北支行工会2019年度工作报告",
            "工商银行江北支行工会",
            2019,
            "2020-01-16",
            "report",
            ["一、2019年工作回顾", "二、2020年工作安排"],
        ),
        signature=("二〇二〇年一月十六日",),
    )
    assert report.lead[0] == "各位代表、同志们："
    assert report.org_kind == "bank"
    assert [s.heading for s in report.sections[0].sections] == ["（一）开展业务技能大比武", "（二）关心员工生活"]


RED_HEAD_NOTICE = (
    Letter()
    .title("东湖区总工会文件")
    .centered("东工发〔2020〕3号")
    .title("关于开展2020年“安康杯”", "竞赛活动的通知")
    .plain("各街道（镇）总工会，区直各基层工会：")
    .text(
        "为进一步提高职工安全生产意识，预防和减少生产安全事故，经研究，决定在全区开展2020年“安康杯”竞赛活动。"
        "现将有关事项通知如下：",
    )
    .heading("一、竞赛时间", bold=False)
    .text("竞赛活动自2020年4月开始，至2020年12月结束，年底进行总结表彰。")
    .heading("二、竞赛内容", bold=False)
    .text("以班组安全建设为重点，开展隐患排查、安全知识竞赛和应急救援演练等活动。")
    .indented_signature("东湖区总工会", "2020年3月2日")
    .plain("抄送：区安委会办公室。")
    .plain("东湖区总工会办公室 2020年3月2日印发")
)


def test_red_head_notice_with_document_number_and_imprint(tmp_path):
    report = imported(tmp_path, RED_HEAD_NOTICE)
    check(
        report,
        Expected(
            "关于开展2020年“安康杯”竞赛活动的通知",
            "东湖区总工会",
            2020,
            "2020-03-02",
            "notice",
            ["一、竞赛时间", "二、竞赛内容"],
        ),
        signature=("东湖区总工会", "2020年3月2日"),
    )


WORKSHOP_SPEECH = (
    Letter()
    .title("在全镇工会干部培训班上的讲话")
    .centered("李红梅同志")
    .centered("（二〇二一年四月十五日）")
    .plain("同志们：")
    .text(
        "今天，我们在这里举办全镇工会干部培训班，主要目的是提高工会干部的履职能力。下面，我讲三点意见。",
    )
    .heading("一、提高认识，增强做好工会工作的责任感")
    .text("工会干部是党的群众工作者，要牢固树立以职工为中心的工作导向，把服务职工作为工作的出发点和落脚点。")
    .heading("二、加强学习，提升服务职工的本领")
    .text("要认真学习《工会法》和劳动法律法规，熟悉工会业务，做职工群众的贴心人。")
)


def test_speech_titled_by_its_occasion_with_speaker_and_date(tmp_path):
    report = imported(tmp_path, WORKSHOP_SPEECH)
    check(
        report,
        Expected(
            "在全镇工会干部培训班上的讲话",
            None,  # 全镇工会 is the town's unions at large: no unit is named, so a curator is asked
            2021,
            "2021-04-15",
            "speech",
            ["一、提高认识，增强做好工会工作的责任感", "二、加强学习，提升服务职工的本领"],
        ),
        signature=("（二〇二一年四月十五日）",),
    )
    assert report.lead[:2] == ["李红梅同志", "同志们："]
    assert "organization" in report.needs_review


# -- the pieces ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("2019年12月20日", (True, date(2019, 12, 20))),
        ("二〇一九年十二月二十日", (True, date(2019, 12, 20))),
        ("二○二○年一月八日", (True, date(2020, 1, 8))),
        ("（２０２１年３月１５日）", (True, date(2021, 3, 15))),
        ("20xx年x月x日", (True, None)),  # a placeholder: a date line that gives no date
        ("2019年2月30日", (True, None)),
        ("2019年12月20日前完成", (False, None)),
        ("东湖街道总工会", (False, None)),
    ],
)
def test_date_lines(text, found):
    assert line_date(text) == found


def test_a_layout_gives_each_report_only_what_lies_within_it():
    layout = Layout("——在某某会议上的讲话", 2, "某某工会", 40, date(2020, 1, 8), 41)
    assert layout.within(1, 30) == Layout("——在某某会议上的讲话", 2)
    assert layout.within(31, 41) == Layout(None, 0, "某某工会", 40, date(2020, 1, 8), 41)


@pytest.mark.parametrize("dash", ["——", "—", "－－", "--", "─"])
def test_a_subtitle_is_the_occasion_however_its_dash_was_typed(tmp_path, dash):
    letter = (
        Letter()
        .title("凝心聚力 担当作为")
        .centered(f"{dash}在全县工会工作会议上的讲话")
        .plain("同志们：")
        .text("今天召开全县工会工作会议，主要任务是总结去年工作，部署今年任务。")
        .heading("一、充分肯定成绩")
        .text("一年来，各级工会围绕中心、服务大局，各项工作取得新进展。")
    )
    report = imported(tmp_path, letter)
    assert report.title == "凝心聚力 担当作为" and not report.title_generated
    assert report.lead[0] == f"{dash}在全县工会工作会议上的讲话" and report.doc_type == "speech"
