"""Cleaning rules, one behaviour each."""

from __future__ import annotations

import pytest

from generator.importer.clean import chrome_reason, clean_line
from generator.importer.headings import enumerator, split_run_in
from generator.importer.metadata import first_placeholder, stated_date, year_value


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("社區(qū)工會", "社區工會"),
        ("今年以来,街道工会", "今年以来，街道工会"),
        ("工会(妇联)工作", "工会（妇联）工作"),
        ("同志們:", "同志們："),
        ("帮扶此文来源于百范文网本身", "帮扶本身"),
        ("主題:“組織”。原創(chuàng):004km.cn", "主題：“組織”。"),
        ("困难[由网站收集整理]职工", "困难职工"),
        ("专题片2021年幼儿园工会工作总结2021年幼儿园工会工作总结。", "专题片。"),
        ("收入2.5万元, about 3%", "收入2.5万元, about 3%"),
        ("零\u200b宽\u202e字符", "零宽字符"),
    ],
)
def test_clean_line(raw, expected):
    assert clean_line(raw, 1)[0] == expected


def test_mojibake_is_kept_and_flagged():
    text, _, damaged = clean_line("京工發(fā)?2013?8號", 1)
    assert text == "京工發?2013?8號" and damaged


@pytest.mark.parametrize(
    "line",
    ["无忧总结网 >地图 >工作计划 >", "时间:2023-05-16 无忧总结网", "本文来源:http://www.example.org/a/1.html", "工会2024年工作报告5篇相关文章:", "看過“工會工作”的人還看了:"],
)
def test_page_chrome_lines(line):
    assert chrome_reason(line)


def test_report_text_is_not_chrome():
    assert chrome_reason("一、抓组织建设,构建工会工作新平台") is None


def test_heading_levels_and_run_in_split():
    assert enumerator("十二、加强女工委工作。").number == 12
    assert enumerator("（三）重點工作任務").level == 2
    assert enumerator("1.20xx.11月闵行区合唱比赛银奖") is None
    assert split_run_in("一、充分认识重要性 民办学前教育是重要组成部分，积极。") == ("一、充分认识重要性", "民办学前教育是重要组成部分，积极。")


@pytest.mark.parametrize(
    ("text", "placeholder"),
    [("20xx年,社区工会", "20xx年"), ("按照区委XX年84号文件,XX年我们", "XX年"), ("____年为进一步", "____年"), ("在2013年", None)],
)
def test_placeholders_are_never_years(text, placeholder):
    assert first_placeholder(text) == placeholder


def test_years_in_any_digits():
    assert year_value("二〇一三") == 2013 and year_value("2013") == 2013 and year_value("3024") is None
    assert stated_date(["連江縣教育工會 二○一○年十一月三十日"]).isoformat() == "2010-11-30"
