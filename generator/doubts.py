"""Why the importer doubted a field of an entry, and how a curator clears the doubt.

The importer writes a reason for each field it puts in needs_review (`review_reasons`);
an entry imported before reasons were kept gets the usual reason of its field.
A doubt is cleared by correcting the field (or finding it right) and removing it
from needs_review; a reason left behind in review_reasons is then ignored.
"""

from __future__ import annotations

from generator.i18n import N_, Messages, _, stored
from generator.model import Report

# The usual reason of each field the importer may doubt; format fields where it knows more.
REASONS = {
    "title": N_("the text has no title line; the title was made from the unit, year and type"),
    "organization": N_("no union is named in the title, the signature or the opening lines"),
    "org_kind": N_("the unit's name does not say what kind of unit it is; the kind was guessed from the text"),
    # Kept for entries imported when it was written; shown translated.
    "org_kind_named": N_("'{organization}' does not say what kind of unit it is; '{kind}' was guessed from the text"),
    "place": N_("the text names no province, city, district or county"),
    "year": N_("the text gives no year of its own (no date, no '2019年工作总结') and no placeholder such as 20xx年"),
    "body": N_("some lines were damaged (mojibake or lost characters) and are kept as found"),
    "body_lines": N_("lines {lines} of {file} were damaged (mojibake or lost characters) and are kept as found"),
    "other": N_("the importer was unsure of this field"),
    # What a rule knew, where it knew more than the usual reason.
    "organization_pronoun": N_("the text calls its union only '{pronoun}' and never writes its name"),
    "org_kind_wording": N_("the kind of unit, {kind}, was inferred from how the text speaks"),
    "org_kind_section": N_("the kind of unit, {kind}, was inferred from the site's section name"),
    "doc_type_label": N_("neither the title nor the opening names the kind of document; {doc_type} was inferred from the site's label '{label}'"),
    "doc_type_wording": N_("neither the title nor the opening names the kind of document; {doc_type} was inferred from how the text speaks"),
    "period_presumed": N_("the text states no period; annual was presumed from the kind of document"),
    "year_opening": N_("the title gives no year; {year} is the first year the opening names"),
}
# What to do about each field, before removing it from needs_review.
ADVICE = {
    "title": N_("correct `title:` if it is wrong"),
    "organization": N_("write the unit's name in `organization:` and its slug from organizations.yml in `unit:`"),
    "org_kind": N_("set `org_kind:` (street, community, school, enterprise, hospital … or 街道, 社区, 学校 …)"),
    "place": N_("write the place in `place:`, or leave it empty if the report names none"),
    "year": N_("write the year in `year:`, or leave it empty if the report gives none"),
    "body": N_("compare those lines with the source file and correct them"),
    "doc_type": N_("set `doc_type:` (summary, plan, report, speech … or 工作总结, 工作计划 …)"),
    "period": N_("set `period:` (annual, first-half, second-half, multi-year, unknown … or 全年, 上半年 …)"),
    "other": N_("check the field"),
}
# The importer's notes; stored in English too, shown with shown_note().
HINTS_NOTE = N_("file properties (hints): {hints}")
DAMAGED_NOTE = N_("damaged text kept as found (mojibake or lost characters) at {file} {lines}")
YEAR_OVER_DATE_NOTE = N_("year: the title or the opening states {year}, the signature is dated {date}; {year} was taken")
YEAR_FROM_DATE_NOTE = N_("year: only the signature's date ({date}) gives the year; {year} by the kind of document")
MESSAGES = Messages({
    "field": N_("{reason}; {advice}, then remove {field} from needs_review"),
    "report": N_("{title}: {count} field(s) to review"),
    "note": N_("note: {note}"),
    "how_to_clear": N_("{reports} report(s) with fields to review. To clear one: correct the field in the entry "
    "(or find it right) and remove it from needs_review, or use the review page of 'report-archive serve'"),
})


def import_reasons(fields: list[str], known: dict[str, str], damaged: tuple[str, str] | None) -> dict[str, str]:
    """The reason of each doubted field: what the rule that doubted it knew (`known`), else
    the field's usual reason. `damaged`: the source file and its damaged lines ('L3, L7')."""
    reasons = {}
    for field in fields:
        if field in known:
            reasons[field] = known[field]
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
    advice = _(ADVICE.get(field, ADVICE["other"]))
    return MESSAGES["field"].format(reason=shown_reason(reason(report, field)), advice=advice, field=field)


def shown_note(text: str) -> str:
    """An import note as the entry stores it, in the active language."""
    return stored(text, (HINTS_NOTE, DAMAGED_NOTE, YEAR_OVER_DATE_NOTE, YEAR_FROM_DATE_NOTE))


def shown_reason(text: str) -> str:
    """A reason as an entry stores it (English, so content/ is the same in every language),
    in the active language."""
    return stored(text, REASONS.values())
