"""Chinese labels for the site's fixed vocabularies."""

from __future__ import annotations

from generator.model import DOC_TYPES, ORG_KINDS, PERIODS

ORG_KIND = {
    "street": "街道",
    "community": "社区",
    "township": "乡镇",
    "school": "学校",
    "enterprise": "企业",
    "hospital": "医院",
    "bank": "银行",
    "federation": "总工会",
    "government": "机关事业单位",
    "mine": "矿山",
    "other": "其他",
}
PERIOD = {
    "annual": "全年",
    "first-half": "上半年",
    "second-half": "下半年",
    "multi-year": "多年",
    "unknown": "不详",
}
DOC_TYPE = {
    "summary": "工作总结",
    "plan": "工作计划",
    "report": "工作报告",
    "speech": "讲话",
    "opinion": "意见",
    "notice": "通知",
    "other": "其他",
}
SCRIPT = {"simplified": "简体", "traditional": "繁体"}
COPY_KIND = {"original": "原始来源", "exact": "完全相同的副本", "near": "相近的副本"}
UNKNOWN_YEAR = "年份不详"
# An entry's fields as the review notice names them (needs_review may name any of them).
FIELD = {
    "title": "标题",
    "organization": "单位名称",
    "unit": "单位",
    "org_kind": "单位类型",
    "place": "地点",
    "year": "年份",
    "year_placeholder": "年份",
    "period": "时段",
    "doc_type": "文件类型",
    "date": "日期",
    "script": "字体",
    "lead": "正文",
    "sections": "正文",
    "body": "正文",
    "sources": "来源",
}

# Every vocabulary of the model has a label; a new value fails here, not on a page.
assert (
    set(ORG_KIND) == set(ORG_KINDS)
    and set(PERIOD) == set(PERIODS)
    and set(DOC_TYPE) == set(DOC_TYPES)
)


def year_label(year: int | None) -> str:
    return f"{year}年" if year is not None else UNKNOWN_YEAR


def field_labels(fields: list[str]) -> str:
    """'年份、地点': the fields named once each, in their order."""
    return "、".join(dict.fromkeys(FIELD.get(field, field) for field in fields))
