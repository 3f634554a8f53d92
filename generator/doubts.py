"""Why the importer doubted a field of an entry, and how a curator clears the doubt.

The importer writes a reason for each field it puts in needs_review (`review_reasons`);
an entry imported before reasons were kept gets the usual reason of its field.
A doubt is cleared by correcting the field (or finding it right) and removing it
from needs_review; a reason left behind in review_reasons is then ignored.
"""

from __future__ import annotations

from generator.model import Report

# The usual reason of each field the importer may doubt; format fields where it knows more.
REASONS = {
    "title": "the text has no title line; the title was made from the unit, year and type",
    "organization": "no union is named in the title, the signature or the opening lines",
    "org_kind": "the unit's name does not say what kind of unit it is; the kind was guessed from the text",
    "org_kind_named": "'{organization}' does not say what kind of unit it is; '{kind}' was guessed from the text",
    "place": "the text names no province, city, district or county",
    "year": "the text gives no year of its own (no date, no '2019年工作总结') and no placeholder such as 20xx年",
    "body": "some lines were damaged (mojibake or lost characters) and are kept as found",
    "body_lines": "lines {lines} of {file} were damaged (mojibake or lost characters) and are kept as found",
    "other": "the importer was unsure of this field",
}
# What to do about each field, before removing it from needs_review.
ADVICE = {
    "title": "correct `title:` if it is wrong",
    "organization": "write the unit's name in `organization:` and its slug from organizations.yml in `unit:`",
    "org_kind": "set `org_kind:` (street, community, school, enterprise, hospital … or 街道, 社区, 学校 …)",
    "place": "write the place in `place:`, or leave it empty if the report names none",
    "year": "write the year in `year:`, or leave it empty if the report gives none",
    "body": "compare those lines with the source file and correct them",
    "other": "check the field",
}
MESSAGES = {
    "field": "{reason}; {advice}, then remove {field} from needs_review",
    "report": "{title}: {count} field(s) to review",
    "note": "note: {note}",
    "how_to_clear": "{reports} report(s) with fields to review. To clear one: correct the field in the entry "
    "(or find it right) and remove it from needs_review, or use the review page of 'report-archive serve'",
}


def import_reasons(
    fields: list[str], organization: str | None, kind: str, damaged: tuple[str, str] | None
) -> dict[str, str]:
    """The reason of each doubted field, as the importer knows it. `damaged`: the source file
    and its damaged lines ('L3, L7'), where there are any."""
    reasons = {}
    for field in fields:
        if field == "org_kind" and organization:
            reasons[field] = REASONS["org_kind_named"].format(organization=organization, kind=kind)
        elif field == "body" and damaged:
            reasons[field] = REASONS["body_lines"].format(file=damaged[0], lines=damaged[1])
        else:
            reasons[field] = REASONS.get(field, REASONS["other"])
    return reasons


def reason(report: Report, field: str) -> str:
    if field in report.review_reasons:
        return report.review_reasons[field]
    if field == "title" and not report.title_generated:  # doubted by someone, not for want of a title
        return REASONS["other"]
    return REASONS.get(field, REASONS["other"])


def review_message(report: Report, field: str) -> str:
    """One doubted field: why, and how to clear it."""
    advice = ADVICE.get(field, ADVICE["other"])
    return MESSAGES["field"].format(reason=reason(report, field), advice=advice, field=field)
