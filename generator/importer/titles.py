"""What a title, an organisation line and a document number look like."""

from __future__ import annotations

import re

from generator.importer.headings import enumerator

# A subtitle's leading dash (——在……上的讲话), however it was typed.
SUBTITLE_DASH = re.compile(r"^(?:——|—|－－|--|─)")

_DOC_WORDS = r"讲话稿|講話稿|发言稿|發言稿|意见|意見|总结|總結|计划|計劃|报告|報告|讲话|講話|通知|决定|決定|办法|辦法|方案|汇报|匯報|要点|要點|规划|規劃|致辞|致辭"
_TITLE = re.compile(rf"(?:{_DOC_WORDS})[”》]?$|^(?:关于|關於)|[？?]$")
# A news item's headline: 某某工会召开2024年工作会议.
_NEWS_HEADLINE = re.compile(r"^[^，,、；;：:]{2,20}(?:召开|召開|举行|舉行|举办|舉辦)[^，,、；;：:]{2,30}(?:会议|會議|大会|大會|活动|活動)$")
_ORG_SUFFIX = r"(?:工会|工會|工委|委员会|委員會|中心|公司|学校|學校|医院|醫院|银行|銀行|办公室|辦公室|街道|社区|社區)"
ORG_LINE = re.compile(rf"^\S{{2,30}}{_ORG_SUFFIX}$")
ORG_THEN_TITLE = re.compile(rf"^(\S{{2,30}}{_ORG_SUFFIX})\s+(\S.{{3,40}})$")
DOC_NUMBER = re.compile(r"^\S{1,12}[〔\[［（(?？]\s*\d{4}\s*[〕\]］）)?？]\s*\d{1,4}\s*[号號]$")



def is_title(text: str) -> bool:
    if len(text) > 45 or "。" in text or enumerator(text):
        return False
    return bool(_TITLE.search(text)) or bool(_NEWS_HEADLINE.match(text))
