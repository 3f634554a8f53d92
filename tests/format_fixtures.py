"""Build real .docx, .html, .pdf and .doc-like files at test time.

Each builder writes into a folder the test owns and returns the path. The
report text is shared so tests can assert that exactly these words come back.
"""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

REPORT_TITLE = "2023年街道总工会工作总结"

# Ten paragraphs of an ordinary report: enough body text for main-text extraction.
REPORT_PARAGRAPHS = (
    "今年以来，街道总工会在区总工会的指导下，在街道党工委、办事处的领导下，认真贯彻落实上级工会工作会议精神，"
    "紧紧围绕街道中心工作，充分发挥工会组织的桥梁纽带作用，较好地完成了全年各项目标任务。",
    "一是抓组建扩覆盖。按照《工会法》和《中国工会章程》的规定，会同劳动保障所对辖区未建会企业逐一摸底，"
    "全年新建企业工会12家，新发展会员860人，其中农民工会员530人。",
    "二是抓规范化建设。指导18家到期企业工会依法依规完成换届选举，建立健全会员代表大会、厂务公开等制度，"
    "基层工会规范化建设达标率达到百分之九十以上。",
    "三是抓集体协商。以工资集体协商为重点，推动辖区规模以上企业签订工资专项集体合同，覆盖职工4200余人，"
    "职工工资正常增长机制逐步建立。",
    "四是抓困难帮扶。建立困难职工档案76户，元旦春节期间走访慰问困难职工和劳动模范，发放慰问金和慰问品共计"
    "23.6万元，开展金秋助学活动，资助困难职工子女31名。",
    "五是抓劳动竞赛。围绕重点项目和重点企业开展劳动竞赛和技能比武，举办电工、焊工、叉车工等职业技能竞赛6场，"
    "参赛职工900余人次，评选技术能手20名。",
    "六是抓职工文化。举办职工趣味运动会、读书分享会和文艺汇演，建设职工书屋9个、职工之家15个，"
    "丰富了职工的精神文化生活。",
    "七是抓维权维稳。设立职工法律援助站，全年接待职工来访来电143件次，协调解决劳动争议37起，"
    "为职工追回欠薪96万元，维护了职工合法权益和社会稳定。",
    "八是抓自身建设。坚持每月一次的工会干部学习制度，组织基层工会主席参加业务培训两期，"
    "工会干部的业务能力和服务水平进一步提高。",
    "明年，街道总工会将继续以服务职工为中心，进一步扩大工会组织覆盖面，深化集体协商，"
    "做实困难帮扶，推动全街道工会工作再上新台阶。",
)

PLAN_TITLE = "2024年社区工会工作计划"

# A second, different report, so files of different formats give different entries.
PLAN_PARAGRAPHS = (
    "2024年，社区工会将在街道总工会和社区党委的领导下，以服务职工为中心，围绕社区发展大局，"
    "扎实推进各项工作，努力把社区工会建设成为职工信赖的职工之家。",
    "一、加强组织建设。对辖区新开办的商铺、物业公司和快递网点逐一走访，力争全年新建小微企业联合工会3家，"
    "新发展会员200人，重点吸收快递员、外卖送餐员等新就业形态劳动者入会。",
    "二、推进民主管理。指导辖区企业建立职工代表大会制度，推行厂务公开，"
    "全年召开职工代表大会或职工大会的企业达到建会企业的百分之八十以上。",
    "三、做好服务帮扶。完善困难职工帮扶台账，开展送温暖、金秋助学和夏送清凉活动，"
    "为户外劳动者设立爱心驿站两处，让职工感受到工会组织的温暖。",
    "四、丰富文体活动。利用职工书屋和社区活动室，每季度组织一次职工文体活动，"
    "开展三八妇女节、五一劳动节系列庆祝活动，增强职工的归属感。",
    "五、维护职工权益。设立职工法律咨询点，邀请律师每月坐班一次，"
    "及时化解劳动纠纷，引导职工依法理性表达诉求。",
    "六、加强自身建设。坚持工会委员学习制度，健全财务管理和经费审查制度，"
    "规范工会经费使用，提高工会干部为职工服务的本领。",
    "七、抓好宣传教育。通过社区宣传栏和微信群宣传《工会法》和劳动法律法规，"
    "选树劳动模范和优秀职工典型，弘扬劳模精神和工匠精神。",
    "八、落实工作责任。将各项任务分解到每位工会委员，每半年对照计划检查一次，"
    "确保全年工作计划落到实处。",
)

# Site chrome around the report on a web page: none of it may come back.
CHROME_TEXTS = (
    "网站首页",
    "工会动态",
    "您当前的位置",
    "限时优惠，点击领取会员卡",
    "相关文章推荐",
    "社区工会2022年工作计划范文",
    "版权所有：某某区总工会网站",
)

TABLE_ROWS = (("项目", "计划", "完成"), ("新建工会", "10家", "12家"))


def build_docx(folder: Path, name: str = "report.docx") -> Path:
    """A Word file with title, styled and text-numbered headings, body text, a table, core properties."""
    import docx

    document = docx.Document()
    document.add_paragraph(REPORT_TITLE, style="Title")
    document.add_paragraph(REPORT_PARAGRAPHS[0])
    document.add_paragraph("")  # empty paragraph: still counted in block numbers
    document.add_heading("工作回顾", level=1)
    document.add_heading("组织建设", level=2)
    document.add_paragraph("一、抓组织建设，构建工会工作新平台")
    document.add_paragraph("（一）调整充实人员力量")
    document.add_paragraph("1、继续抓好工会组建工作。" + REPORT_PARAGRAPHS[1])
    document.add_paragraph(REPORT_PARAGRAPHS[2])
    table = document.add_table(rows=2, cols=3)
    for row, cells in zip(table.rows, TABLE_ROWS, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_paragraph(REPORT_PARAGRAPHS[9])
    props = document.core_properties
    props.title = REPORT_TITLE
    props.author = "街道总工会办公室"
    props.created = datetime(2023, 12, 20, 9, 30)
    props.modified = datetime(2024, 1, 5, 16, 0)
    path = folder / name
    document.save(path)
    return path


def build_numbered_docx(folder: Path, name: str = "numbered.docx") -> Path:
    """Headings numbered by Word's list numbering: the enumerators are not in the text."""
    import docx

    document = docx.Document()
    heading_1 = document.add_paragraph("抓组织建设")
    heading_2 = document.add_paragraph("调整充实人员力量")
    item = document.add_paragraph("继续抓好工会组建工作")
    heading_1b = document.add_paragraph("抓困难帮扶")
    heading_2b = document.add_paragraph("建立困难职工档案")
    numbering = document.part.numbering_part.element
    numbering.find(_W + "num").addprevious(_abstract_num_xml())  # abstract lists come first
    numbering.append(_num_xml())
    for paragraph, level in (
        (heading_1, 0),
        (heading_2, 1),
        (item, 2),
        (heading_1b, 0),
        (heading_2b, 1),
    ):
        _set_numbering(paragraph, num_id=NUM_ID, level=level)
    path = folder / name
    document.save(path)
    return path


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NUM_ID = 70  # clear of the ids in python-docx's template


def _abstract_num_xml():
    """A Chinese multi-level list: 一、 / （一） / 1."""
    from docx.oxml import parse_xml

    levels = (("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3."))
    body = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    return parse_xml(
        '<w:abstractNum xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        f'w:abstractNumId="{NUM_ID}">{body}</w:abstractNum>'
    )


def _num_xml():
    from docx.oxml import parse_xml

    return parse_xml(
        '<w:num xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        f'w:numId="{NUM_ID}"><w:abstractNumId w:val="{NUM_ID}"/></w:num>'
    )


def _set_numbering(paragraph, num_id: int, level: int) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    num_pr = p_pr.get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


def report_html(
    charset: str | None = "utf-8",
    title: str = REPORT_TITLE,
    texts: tuple[str, ...] = REPORT_PARAGRAPHS,
) -> str:
    """A union website page: navigation, breadcrumb, ads, related articles and footer around a report."""
    paragraphs = "\n".join(f"<p>{text}</p>" for text in texts)
    meta = f'<meta charset="{charset}">' if charset else ""
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head>
{meta}
<title>工会2024年工作报告_工作总结_某某区总工会网站</title>
<meta name="keywords" content="工作总结,工会">
</head><body>
<div class="header"><div class="logo">某某区总工会网站</div>
<ul class="nav"><li><a href="/">{CHROME_TEXTS[0]}</a></li><li><a href="/news/">{CHROME_TEXTS[1]}</a></li>
<li><a href="/zj/">工作总结</a></li><li><a href="/jh/">工作计划</a></li></ul></div>
<div class="breadcrumb">{CHROME_TEXTS[2]}：<a href="/">首页</a> &gt; <a href="/zj/">工作总结</a> &gt; 正文</div>
<div class="ad"><a href="/vip/">{CHROME_TEXTS[3]}</a></div>
<div class="main"><div class="article">
<h1>{title}</h1>
<div class="info">发布时间：2024-01-08 来源：街道总工会 浏览：326次</div>
<div class="content">
{paragraphs}
<h2>主要数据</h2>
<table><tr><td>{TABLE_ROWS[0][0]}</td><td>{TABLE_ROWS[0][1]}</td><td>{TABLE_ROWS[0][2]}</td></tr>
<tr><td>{TABLE_ROWS[1][0]}</td><td>{TABLE_ROWS[1][1]}</td><td>{TABLE_ROWS[1][2]}</td></tr></table>
</div></div>
<div class="related"><h3>{CHROME_TEXTS[4]}</h3><ul>
<li><a href="/zj/1.html">{CHROME_TEXTS[5]}</a></li>
<li><a href="/zj/2.html">企业工会2023年上半年工作总结</a></li>
<li><a href="/zj/3.html">机关工会工作要点范文大全</a></li></ul></div>
</div>
<div class="footer"><p>{CHROME_TEXTS[6]} 备案号：某ICP备00000000号</p>
<p><a href="/about/">关于我们</a> | <a href="/contact/">联系我们</a></p></div>
</body></html>"""


def build_html(
    folder: Path, name: str = "report.html", charset: str | None = "utf-8", encoding: str = "utf-8"
) -> Path:
    """The page saved in `encoding` while declaring `charset` (None: no declaration)."""
    path = folder / name
    path.write_bytes(report_html(charset).encode(encoding))
    return path


def build_pdf(folder: Path, name: str = "report.pdf") -> Path:
    """A two-page PDF with a Chinese text layer, page numbers and document info."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = folder / name
    pdf = canvas.Canvas(str(path), invariant=True)
    pdf.setTitle(REPORT_TITLE)
    pdf.setAuthor("街道总工会")
    pages = (
        (REPORT_TITLE, "一、抓组织建设", "全年新建企业工会12家，新发展会员860人。"),
        ("二、抓困难帮扶", "建立困难职工档案76户。"),
    )
    for number, lines in enumerate(pages, start=1):
        pdf.setFont("STSong-Light", 14)
        for index, line in enumerate(lines):
            pdf.drawString(72, 760 - index * 30, line)
        pdf.drawCentredString(300, 40, f"- {number} -")
        pdf.showPage()
    pdf.save()
    return path


def build_scanned_pdf(folder: Path, name: str = "scanned.pdf") -> Path:
    """An image-only page, as a scanner makes it: no characters to extract."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("L", (400, 560), color=255)
    draw = ImageDraw.Draw(image)
    for y in range(40, 520, 24):  # dark bars where a scanner would see lines of text
        draw.rectangle((40, y, 360, y + 10), fill=30)
    path = folder / name
    pdf = canvas.Canvas(str(path), invariant=True)
    pdf.drawImage(ImageReader(image), 50, 100, width=400, height=560)
    pdf.rect(40, 90, 420, 580)
    pdf.showPage()
    pdf.save()
    return path


def build_invalid_docx(folder: Path, name: str = "broken.docx") -> Path:
    """A zip that is not a Word document (and so not a .docx)."""
    path = folder / name
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not a word document")
    return path


OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


def build_old_doc(folder: Path, name: str = "old.doc") -> Path:
    """The start of an OLE2 compound file, the container of Word 97-2003 .doc files."""
    header = OLE_MAGIC + bytes(16) + bytes.fromhex("3E000300FEFF0900") + bytes(480)
    path = folder / name
    path.write_bytes(header + bytes(512))
    return path


def build_pdf_lines(folder: Path, name: str, pages: list[list[str]]) -> Path:
    """One PDF page per list, a line each, top to bottom."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = folder / name
    pdf = canvas.Canvas(str(path), invariant=True)
    for lines in pages:
        pdf.setFont("STSong-Light", 12)
        for index, line in enumerate(lines):
            pdf.drawString(72, 760 - index * 40, line)
        pdf.showPage()
    pdf.save()
    return path
