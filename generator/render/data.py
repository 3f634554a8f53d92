"""Machine-readable outputs: catalog.json, catalog.csv and the Atom feed."""

from __future__ import annotations

import csv
import io
import json
from datetime import date as Date

import jinja2

from generator import labels, links
from generator.config import SiteConfig
from generator.model import Report
from generator.taxonomy import Taxonomy, newest_first

# catalog.csv: a column per (Chinese header, catalog.json field); the fixed vocabularies are
# written as their Chinese labels, for readers who open it in a spreadsheet.
CSV_COLUMNS = (
    ("编号", "id"),
    ("标题", "title"),
    ("单位", "unit_label"),
    ("单位编号", "unit"),
    ("原文署名", "organization"),
    ("单位类型", "org_kind"),
    ("地点", "place"),
    ("年份", "year"),
    ("年份原文写法", "year_placeholder"),
    ("时段", "period"),
    ("文档类型", "doc_type"),
    ("日期", "date"),
    ("文字", "script"),
    ("页面地址", "url"),
    ("原文地址", "source_url"),
    ("来源文件", "sources"),
)
_CSV_LABELS = {"org_kind": labels.ORG_KIND, "period": labels.PERIOD, "doc_type": labels.DOC_TYPE, "script": labels.SCRIPT}
# A byte order mark: spreadsheets on Chinese Windows otherwise read UTF-8 as the local code page.
BOM = "\ufeff"


def catalog_rows(tax: Taxonomy, site: SiteConfig) -> list[dict]:
    return [_entry(tax, site, report) for report in tax.reports]


def _entry(tax: Taxonomy, site: SiteConfig, report: Report) -> dict:
    org = tax.unit_of(report)
    return {
        "id": report.id,
        "title": report.title,
        "unit": report.unit,
        "unit_name": org.name if org else None,
        "unit_label": tax.unit_label(report),
        "organization": report.organization,
        "org_kind": report.org_kind,
        "place": report.place,
        "year": report.year,
        "year_placeholder": report.year_placeholder,
        "period": report.period,
        "doc_type": report.doc_type,
        "doc_type_label": labels.DOC_TYPE[report.doc_type],
        "date": report.date.isoformat() if report.date else None,
        "script": report.script,
        "url": links.absolute_url(site.site_url, links.report_page(report.id)),
        "source_url": report.source_url,
        "source_view": links.absolute_url(site.site_url, links.source_view(report.id)),
        "sources": [
            {
                "file": s.file,
                "lines": list(s.lines),
                "sha256": s.sha256,
                "kind": s.kind,
                "download": links.absolute_url(site.site_url, links.source_download(s.file, s.sha256))
                if site.show.source_downloads
                else None,
            }
            for s in report.sources
        ],
    }


def catalog_json(rows: list[dict]) -> str:
    return json.dumps({"reports": rows}, ensure_ascii=False, separators=(",", ":")) + "\n"


def catalog_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header for header, _ in CSV_COLUMNS)
    for row in rows:
        sources = " ".join(f"{s['file']}:{s['lines'][0]}-{s['lines'][1]}" for s in row["sources"])
        flat = dict(row, sources=sources)
        writer.writerow(_cell(_shown(field, flat[field])) for _, field in CSV_COLUMNS)
    return out.getvalue()


def _shown(field: str, value: object) -> object:
    vocabulary = _CSV_LABELS.get(field)
    return vocabulary[value] if vocabulary and value is not None else value


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # Spreadsheets run cells that start like a formula; quote them.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _xml_chars(value: object) -> object:
    """Drop characters XML 1.0 forbids (control characters in imported text)."""
    if isinstance(value, str):
        return "".join(
            c
            for c in value
            if c in "\t\n" or not (ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF or c in "\ufffe\uffff")
        )
    return value


def _updated(report: Report) -> str:
    day = report.date or (Date(report.year, 1, 1) if report.year else Date(1970, 1, 1))
    return f"{day.isoformat()}T00:00:00Z"


def atom_feed(tax: Taxonomy, site: SiteConfig) -> str:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator.render", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_xml_chars,
    )
    reports = newest_first(tax.reports)[: site.show.feed_entries]
    entries = [
        {
            "report": r,
            "unit": tax.unit_label(r) or r.organization or "",
            "url": links.absolute_url(site.site_url, links.report_page(r.id)),
            "id": _entry_id(site, r),
            "updated": _updated(r),
            "summary": f"{labels.year_label(r.year)} · {labels.DOC_TYPE[r.doc_type]}",
        }
        for r in reports
    ]
    updated = max((e["updated"] for e in entries), default="1970-01-01T00:00:00Z")
    home = links.absolute_url(site.site_url, links.HOME) if site.site_url else "./"
    return env.get_template("feed.xml.j2").render(
        site=site,
        entries=entries,
        updated=updated,
        home=home,
        self_url=links.absolute_url(site.site_url, links.FEED),
        feed_id=site.site_url or "urn:report-archive:feed",
    )


def _entry_id(site: SiteConfig, report: Report) -> str:
    if site.site_url:
        return links.absolute_url(site.site_url, links.report_page(report.id))
    return f"urn:report-archive:report:{report.id}"
