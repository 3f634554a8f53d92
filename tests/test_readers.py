"""Readers for .docx, .html, .pdf and .doc, on real files built at test time."""

from __future__ import annotations

import hashlib
import shutil

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE

from format_fixtures import (
    CHROME_TEXTS,
    REPORT_PARAGRAPHS,
    REPORT_TITLE,
    TABLE_ROWS,
    build_docx,
    build_html,
    build_invalid_docx,
    build_numbered_docx,
    build_old_doc,
    build_pdf,
    build_pdf_lines,
    build_scanned_pdf,
    report_html,
)
from generator.errors import SourceError
from generator.importer.readers import read_source
from generator.importer.readers.docx import chinese_number, format_number

# -- .docx --------------------------------------------------------------------


def test_docx_blocks_follow_the_document(tmp_path):
    path = build_docx(tmp_path)
    source = read_source(path)
    assert [(b.line, b.text, b.style) for b in source.blocks if b.table is None] == [
        (1, REPORT_TITLE, None),
        (2, REPORT_PARAGRAPHS[0], None),
        (3, "", None),  # empty paragraphs keep their number
        (4, "工作回顾", "heading-1"),
        (5, "组织建设", "heading-2"),
        (6, "一、抓组织建设，构建工会工作新平台", None),  # numbered in text: the pipeline's call
        (7, "（一）调整充实人员力量", None),
        (8, "1、继续抓好工会组建工作。" + REPORT_PARAGRAPHS[1], None),
        (9, REPORT_PARAGRAPHS[2], None),
        (11, REPORT_PARAGRAPHS[9], None),
    ]
    assert source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert source.encoding is None
    assert source.warnings == []


def test_docx_table_is_kept_as_rows(tmp_path):
    blocks = read_source(build_docx(tmp_path)).blocks
    table = blocks[9]
    assert table.line == 10
    assert table.table == TABLE_ROWS
    assert table.text == "项目\t计划\t完成\n新建工会\t10家\t12家"


def test_docx_core_properties_are_hints(tmp_path):
    hints = read_source(build_docx(tmp_path)).hints
    assert hints == {
        "title": REPORT_TITLE,
        "author": "街道总工会办公室",
        "created": "2023-12-20",
        "modified": "2024-01-05",
        "title_block": "1",
    }


def test_docx_list_numbering_is_rendered_into_the_text(tmp_path):
    blocks = read_source(build_numbered_docx(tmp_path)).blocks
    assert [(b.text, b.style) for b in blocks] == [
        ("一、抓组织建设", "heading-1"),
        ("（一）调整充实人员力量", "heading-2"),
        ("1.继续抓好工会组建工作", "heading-3"),
        ("二、抓困难帮扶", "heading-1"),
        ("（一）建立困难职工档案", "heading-2"),  # a new parent restarts the level below
    ]


def test_docx_chinese_style_names_and_outline_levels(tmp_path):
    document = docx.Document()
    document.styles.add_style(
        "标题 1", WD_STYLE_TYPE.PARAGRAPH
    )  # as WPS names it, no outline level
    document.add_paragraph("工作回顾", style="标题 1")
    outlined = document.add_paragraph("主要做法")
    outlined._p.get_or_add_pPr().append(
        docx.oxml.parse_xml(f'<w:outlineLvl {docx.oxml.ns.nsdecls("w")} w:val="1"/>')
    )
    document.add_paragraph("小标题", style="Heading 3")
    document.add_paragraph("深层标题", style="Heading 4")  # below what the pipeline knows
    path = tmp_path / "wps.docx"
    document.save(path)
    assert [(b.text, b.style) for b in read_source(path).blocks] == [
        ("工作回顾", "heading-1"),
        ("主要做法", "heading-2"),
        ("小标题", "heading-3"),
        ("深层标题", None),
    ]


def test_docx_text_is_what_word_shows(tmp_path):
    document = docx.Document()
    body = document.element.body
    w = docx.oxml.ns.nsdecls("w", "r")
    body.insert(
        0,
        docx.oxml.parse_xml(
            f"<w:p {w}><w:r><w:t>全年新建</w:t></w:r>"
            "<w:del><w:r><w:delText>10</w:delText></w:r></w:del>"  # tracked deletion: gone
            "<w:ins><w:r><w:t>12</w:t></w:r></w:ins>"  # tracked insertion: shown
            '<w:hyperlink r:id="rId99"><w:r><w:t>企业工会</w:t></w:r></w:hyperlink>'
            "<w:r><w:br/><w:t>第二行</w:t></w:r>"
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
        ),
    )
    path = tmp_path / "tracked.docx"
    document.save(path)
    assert read_source(path).blocks[0].text == "全年新建12企业工会\n第二行3"


def test_docx_merged_cells_keep_the_grid(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "合计"  # across two columns
    table.cell(0, 2).merge(table.cell(1, 2)).text = "12家"  # down two rows
    table.cell(1, 0).text = "其中"
    table.cell(1, 1).text = "5家"
    path = tmp_path / "merged.docx"
    document.save(path)
    assert read_source(path).blocks[0].table == (("合计", "", "12家"), ("其中", "5家", ""))


def test_docx_table_of_contents_is_counted_not_read(tmp_path):
    document = docx.Document()
    document.styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("一、工作回顾\t1", style="toc 1")
    document.add_paragraph("二、明年打算\t3", style="toc 1")
    document.add_paragraph("一、工作回顾", style="Heading 1")
    path = tmp_path / "toc.docx"
    document.save(path)
    source = read_source(path)
    assert [(b.line, b.text) for b in source.blocks] == [(3, "一、工作回顾")]
    assert source.warnings == ["blocks 1-2: table of contents left out (it repeats the headings)"]


def test_invalid_docx_names_the_file(tmp_path):
    path = build_invalid_docx(tmp_path)
    with pytest.raises(SourceError, match=r"broken\.docx: not a valid \.docx file \("):
        read_source(path)


def test_non_zip_docx_names_the_file(tmp_path):
    path = tmp_path / "text.docx"
    path.write_text("这不是Word文件", encoding="utf-8")
    with pytest.raises(SourceError, match=r"text\.docx: not a valid \.docx file \("):
        read_source(path)


def test_old_word_file_named_docx_gets_advice(tmp_path):
    path = build_old_doc(tmp_path, name="renamed.docx")
    with pytest.raises(
        SourceError, match=r"renamed\.docx: not a valid \.docx file \(it is an old Word \.doc"
    ):
        read_source(path)


@pytest.mark.parametrize(
    ("value", "fmt", "text"),
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (11, "chineseCountingThousand", "十一"),
        (20, "chineseCounting", "二十"),
        (3, "chineseLegalSimplified", "叁"),
        (2, "ideographTraditional", "乙"),
        (3, "decimalEnclosedCircle", "③"),
        (4, "upperRoman", "IV"),
        (28, "lowerLetter", "bb"),
        (12, "decimalFullWidth", "１２"),
        (7, "decimal", "7"),
    ],
)
def test_word_number_formats(value, fmt, text):
    assert format_number(value, fmt) == text


def test_chinese_numbers_up_to_hundreds():
    digits, units = "零一二三四五六七八九", "十百"
    assert chinese_number(105, digits, units) == "一百零五"
    assert chinese_number(110, digits, units) == "一百一十"
    assert chinese_number(1000, digits, units) == "1000"


# -- .html --------------------------------------------------------------------


def _texts(source) -> list[str]:
    return [b.text for b in source.blocks]


def test_html_keeps_the_report_and_drops_the_site(tmp_path):
    source = read_source(build_html(tmp_path))
    texts = _texts(source)
    assert texts[0] == REPORT_TITLE
    assert texts[1:11] == list(REPORT_PARAGRAPHS)
    for chrome in CHROME_TEXTS + ("发布时间", "关于我们", "备案号"):
        assert not any(chrome in text for text in texts), chrome
    assert [b.line for b in source.blocks] == list(range(1, len(texts) + 1))
    assert source.encoding == "utf-8"
    assert source.warnings == []


def test_html_headings_and_tables(tmp_path):
    blocks = read_source(build_html(tmp_path)).blocks
    assert (blocks[0].style, blocks[11].text, blocks[11].style) == (
        "heading-1",
        "主要数据",
        "heading-2",
    )
    assert blocks[12].table == TABLE_ROWS
    assert blocks[12].text == "项目\t计划\t完成\n新建工会\t10家\t12家"
    assert all(b.style is None for b in blocks[1:11])


def test_html_hints_pass_the_site_label_through(tmp_path):
    hints = read_source(build_html(tmp_path)).hints
    assert hints == {
        "title": "工会2024年工作报告_工作总结_某某区总工会网站",  # a site label, not the year
        "headline": REPORT_TITLE,
        "date": "2024-01-08",  # from "发布时间" on the page
        "keywords": "工作总结,工会",
        "title_block": "1",
    }


@pytest.mark.parametrize(
    ("charset", "encoding", "decoded"),
    [
        ("gb2312", "gb18030", "gb18030"),  # the usual declaration, read with the superset
        ("gbk", "gbk", "gb18030"),
        (None, "gb18030", "gb18030"),  # no declaration: detected
    ],
)
def test_html_chinese_encodings(tmp_path, charset, encoding, decoded):
    source = read_source(build_html(tmp_path, charset=charset, encoding=encoding))
    assert _texts(source)[1:11] == list(REPORT_PARAGRAPHS)
    assert source.encoding == decoded
    assert source.warnings == []


def test_html_big5_page(tmp_path):
    import opencc

    to_traditional = opencc.OpenCC("s2tw").convert
    path = tmp_path / "big5.htm"
    path.write_bytes(to_traditional(report_html("big5")).encode("big5"))
    source = read_source(path)
    assert _texts(source)[1:11] == [to_traditional(p) for p in REPORT_PARAGRAPHS]
    assert source.encoding == "big5hkscs"


def test_html_wrong_declaration_is_noted(tmp_path):
    source = read_source(build_html(tmp_path, charset="utf-8", encoding="gbk"))
    assert _texts(source)[1:11] == list(REPORT_PARAGRAPHS)
    assert source.warnings == [
        "the page declares charset 'utf-8' but its bytes are gb18030; decoded as gb18030"
    ]


def test_html_layout_table_is_read_as_text(tmp_path):
    cell = "<br>".join(REPORT_PARAGRAPHS)
    path = tmp_path / "old-site.html"
    path.write_text(
        f"<html><body><table><tr><td><font>{cell}</font></td></tr></table></body></html>"
    )
    blocks = read_source(path).blocks
    assert [b.text for b in blocks] == list(REPORT_PARAGRAPHS)
    assert all(b.table is None for b in blocks)


def test_html_without_main_text_falls_back_to_the_page(tmp_path):
    path = tmp_path / "index.html"
    path.write_text(
        '<html><body><ul><li><a href="/a">街道工会2023年工作总结</a></li>'
        '<li><a href="/b">社区工会工作计划</a></li></ul></body></html>',
        encoding="utf-8",
    )
    source = read_source(path)
    assert [(b.line, b.text) for b in source.blocks] == [
        (1, "街道工会2023年工作总结"),
        (2, "社区工会工作计划"),
    ]
    assert source.warnings == [
        "no main text found; read the whole page, so menus and ads may be included"
    ]


def test_html_without_text_is_an_error(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><head><script>var a = 1;</script></head><body></body></html>")
    with pytest.raises(SourceError, match=r"empty\.html: no text found in this web page"):
        read_source(path)


# -- .pdf ---------------------------------------------------------------------


def test_pdf_text_layer_in_reading_order(tmp_path):
    source = read_source(build_pdf(tmp_path))
    assert [b.text for b in source.blocks if b.text] == [
        REPORT_TITLE,
        "一、抓组织建设",
        "全年新建企业工会12家，新发展会员860人。",
        "二、抓困难帮扶",
        "建立困难职工档案76户。",
    ]
    lines = [b.line for b in source.blocks]
    assert lines == sorted(set(lines)) and lines[0] == 1
    assert not any("\f" in b.text or "- 1 -" in b.text for b in source.blocks)
    assert source.warnings == [
        "2 pages: page breaks removed",
        "2 page-number lines removed (page 1: '- 1 -', page 2: '- 2 -')",
    ]


def test_pdf_document_info_is_hints(tmp_path):
    hints = read_source(build_pdf(tmp_path)).hints
    assert (hints["title"], hints["author"], hints["created"]) == (
        REPORT_TITLE,
        "街道总工会",
        "2000-01-01",
    )


def test_pdf_numbers_inside_the_page_are_text(tmp_path):
    page = ["新建工会", "计划", "12", "完成", "15", "", "1"]
    source = read_source(build_pdf_lines(tmp_path, "numbers.pdf", [page]))
    assert [b.text for b in source.blocks if b.text] == ["新建工会", "计划", "12", "完成", "15"]
    assert source.warnings == ["1 page-number lines removed (page 1: '1')"]


def test_pdf_page_without_text_is_noted(tmp_path):
    source = read_source(
        build_pdf_lines(tmp_path, "partly.pdf", [["一、抓组织建设"], [], ["二、抓困难帮扶"]])
    )
    assert [b.text for b in source.blocks if b.text] == ["一、抓组织建设", "二、抓困难帮扶"]
    assert "pages without text (scanned?): 2; their content is missing" in source.warnings


def test_scanned_pdf_needs_ocr(tmp_path):
    with pytest.raises(
        SourceError, match=r"scanned\.pdf: this is a scanned PDF without a text layer.*OCR"
    ):
        read_source(build_scanned_pdf(tmp_path))


def test_broken_pdf_names_the_file(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n% cut off in the middle of a download")
    with pytest.raises(SourceError, match=r"broken\.pdf: not a valid PDF file"):
        read_source(path)


# -- .doc ---------------------------------------------------------------------


def test_old_word_doc_is_refused_with_advice(tmp_path):
    with pytest.raises(SourceError) as error:
        read_source(build_old_doc(tmp_path))
    message = str(error.value)
    assert message.startswith(
        f"{tmp_path / 'old.doc'}: .doc (old Word 97-2003 format) is not supported"
    )
    assert "save it as .docx" in message


def test_docx_named_doc_is_read_as_docx(tmp_path):
    path = tmp_path / "misnamed.doc"
    shutil.copy(build_docx(tmp_path), path)
    source = read_source(path)
    assert source.blocks[3].style == "heading-1"
    assert source.warnings == ["the file is a .docx document with a .doc name"]


def test_web_page_named_doc_is_read_as_html(tmp_path):
    path = tmp_path / "download.doc"
    path.write_bytes(report_html("gb2312").encode("gb18030"))
    source = read_source(path)
    assert _texts(source)[1:11] == list(REPORT_PARAGRAPHS)
    assert source.warnings == ["the file is a web page with a .doc name"]


def test_unknown_bytes_named_doc_are_refused(tmp_path):
    path = tmp_path / "mystery.doc"
    path.write_bytes(b"\x00\x01\x02 not a document")
    with pytest.raises(SourceError, match=r"mystery\.doc: not a Word document"):
        read_source(path)
