"""What a user would otherwise pick, built from the same reports.

Our imported entries are written out as plain Markdown (title, a metadata line, the
lead, numbered headings and paragraphs), then built three ways:

- MkDocs + Material with its built-in search (jieba segments Chinese when installed,
  the theme's `zh` language gives the separator), index and unit/year list pages;
- Hugo (Debian's `hugo`) with minimal baseof/single/list layouts and unit/year taxonomies;
- Pagefind (the extended binary, which segments Chinese) indexing the Hugo site, under a
  memory cap (20 GB unless told).

Each baseline step is stopped after a time limit (30 minutes unless told). A baseline that
fails (it exits, is killed, runs past the limit, or its allocation fails at the cap) is
reported with the reason, not as a failed benchmark run: the other tools' and sizes' tables
are still printed.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.measure import Step, python_command, run_step, set_aside, tree_size
from generator.labels import DOC_TYPE, year_label
from generator.model import Block, Report, Table

SITE_TITLE = "工会工作报告档案馆"
PAGEFIND_MEMORY_CAP_GB = 20.0
BASELINE_TIMEOUT_S = 1800.0


@dataclass(frozen=True)
class Limits:
    """What a baseline step may use before it is reported as failed (None: no limit)."""

    pagefind_memory_cap_gb: float | None = PAGEFIND_MEMORY_CAP_GB
    timeout_s: float | None = BASELINE_TIMEOUT_S


DEFAULT_LIMITS = Limits()


@dataclass
class MarkdownReport:
    id: str
    title: str
    unit: str
    unit_slug: str
    year: int | None
    doc_type: str
    body: str  # Markdown without the title


@dataclass
class Exported:
    reports: list[MarkdownReport] = field(default_factory=list)
    bytes: int = 0


def _block(block: Block) -> str:
    if isinstance(block, Table):
        rows = [[cell.replace("|", "\\|").replace("\n", " ") for cell in row] for row in block.rows]
        width = max(len(row) for row in rows) if rows else 1
        rows = [row + [""] * (width - len(row)) for row in rows] or [[""]]
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
        lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
        return "\n".join(lines)
    return block


def report_markdown(report: Report, unit_name: str) -> MarkdownReport:
    meta = " · ".join(
        part for part in (unit_name, year_label(report.year), DOC_TYPE[report.doc_type]) if part
    )
    parts = [meta, *map(_block, report.lead)]
    for depth, section in report.iter_sections():
        parts.append(f"{'#' * min(depth + 1, 6)} {section.heading}")
        parts.extend(map(_block, section.paragraphs))
    return MarkdownReport(
        id=report.id,
        title=report.title,
        unit=unit_name,
        unit_slug=report.unit or report.id,
        year=report.year,
        doc_type=report.doc_type,
        body="\n\n".join(parts) + "\n",
    )


def export_reports(content: Path) -> Exported:
    """Our entries as plain Markdown reports: the same text every tool gets."""
    from generator.content import load_archive

    archive = load_archive(content)
    names = {org.id: org.name for org in archive.organizations}
    exported = Exported()
    for report in archive.reports:
        md = report_markdown(report, names.get(report.unit or "", report.organization or "未署名单位"))
        exported.reports.append(md)
        exported.bytes += len(md.body.encode("utf-8")) + len(md.title.encode("utf-8")) + 3
    return exported


# --- MkDocs + Material ---------------------------------------------------------


def _link_list(items: list[tuple[str, str]]) -> str:
    return "\n".join(f"- [{text}]({href})" for text, href in items) + "\n"


def write_mkdocs_project(exported: Exported, folder: Path) -> Path:
    docs = folder / "docs"
    for sub in ("reports", "units", "years"):
        (docs / sub).mkdir(parents=True, exist_ok=True)
    by_unit: dict[str, list[MarkdownReport]] = {}
    by_year: dict[str, list[MarkdownReport]] = {}
    unit_names: dict[str, str] = {}
    for md in exported.reports:
        (docs / "reports" / f"{md.id}.md").write_text(f"# {md.title}\n\n{md.body}", encoding="utf-8")
        by_unit.setdefault(md.unit_slug, []).append(md)
        unit_names[md.unit_slug] = md.unit
        by_year.setdefault(str(md.year) if md.year else "unknown", []).append(md)
    for slug, items in by_unit.items():
        page = f"# {unit_names[slug]}\n\n" + _link_list([(m.title, f"../reports/{m.id}.md") for m in items])
        (docs / "units" / f"{slug}.md").write_text(page, encoding="utf-8")
    for year, items in by_year.items():
        label = year_label(int(year)) if year != "unknown" else year_label(None)
        page = f"# {label}\n\n" + _link_list([(m.title, f"../reports/{m.id}.md") for m in items])
        (docs / "years" / f"{year}.md").write_text(page, encoding="utf-8")
    units_index = "# 按单位\n\n" + _link_list(sorted((unit_names[s], f"{s}.md") for s in by_unit))
    years_index = "# 按年份\n\n" + _link_list(
        [(year_label(int(y)) if y != "unknown" else year_label(None), f"{y}.md") for y in sorted(by_year)]
    )
    (docs / "units" / "index.md").write_text(units_index, encoding="utf-8")
    (docs / "years" / "index.md").write_text(years_index, encoding="utf-8")
    (docs / "index.md").write_text(
        f"# {SITE_TITLE}\n\n共 {len(exported.reports)} 篇报告。\n\n"
        + _link_list([("按单位浏览", "units/index.md"), ("按年份浏览", "years/index.md")]),
        encoding="utf-8",
    )
    config = {
        "site_name": SITE_TITLE,
        "docs_dir": "docs",
        "site_dir": "site",
        "theme": {"name": "material", "language": "zh"},
        "plugins": ["search"],  # Material's search; jieba segments Chinese when installed
        "nav": [{"首页": "index.md"}, {"按单位": "units/index.md"}, {"按年份": "years/index.md"}],
        "validation": {"nav": {"omitted_files": "info"}},
    }
    (folder / "mkdocs.yml").write_text(json.dumps(config, ensure_ascii=False, indent=1), encoding="utf-8")
    return folder / "mkdocs.yml"


# --- Hugo ----------------------------------------------------------------------

HUGO_CONFIG = f"""\
baseURL = "/"
languageCode = "zh-cn"
defaultContentLanguage = "zh"
title = "{SITE_TITLE}"
hasCJKLanguage = true
disableKinds = ["RSS"]

[taxonomies]
  unit = "units"
  year = "years"
"""

HUGO_LAYOUTS = {
    "baseof.html": """\
<!DOCTYPE html>
<html lang="zh-cn">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} | {{ .Site.Title }}</title>
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a> · <a href="{{ "/units/" | relURL }}">按单位</a> · <a href="{{ "/years/" | relURL }}">按年份</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "single.html": """\
{{ define "main" }}
<article data-pagefind-body>
<h1>{{ .Title }}</h1>
<p>{{ range .GetTerms "units" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}{{ range .GetTerms "years" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}年</a> {{ end }}{{ .Params.type_label }}</p>
{{ .Content }}
</article>
{{ end }}
""",
    "list.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>
{{ end }}
</ul>
{{ end }}
""",
}


def write_hugo_project(exported: Exported, folder: Path) -> Path:
    content = folder / "content" / "reports"
    layouts = folder / "layouts" / "_default"
    content.mkdir(parents=True, exist_ok=True)
    layouts.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        (layouts / name).write_text(text, encoding="utf-8")
    (folder / "content" / "_index.md").write_text(f"---\ntitle: {json.dumps(SITE_TITLE, ensure_ascii=False)}\n---\n", encoding="utf-8")
    for md in exported.reports:
        front = {
            "title": md.title,
            "units": [md.unit],
            "type_label": DOC_TYPE[md.doc_type],
        }
        if md.year:
            front["years"] = [str(md.year)]
            front["date"] = f"{md.year}-01-01"
        lines = ["---", *(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in front.items()), "---", ""]
        (content / f"{md.id}.md").write_text("\n".join(lines) + md.body, encoding="utf-8")
    return folder


# --- running them --------------------------------------------------------------


@dataclass
class ToolRun:
    name: str
    step: Step | None
    output: Path | None
    output_bytes: int = 0
    files: int = 0
    page_bytes: int | None = None
    note: str = ""

    @property
    def failed(self) -> str | None:
        return self.step.failure if self.step else None

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "failed": self.failed,
            "seconds": round(self.step.seconds, 3) if self.step else None,
            "peak_rss_mb": round(self.step.peak_rss_mb, 1) if self.step else None,
            "output_mb": round(self.output_bytes / 1024 / 1024, 2),
            "output_bytes": self.output_bytes,
            "files": self.files,
            "page_bytes": self.page_bytes,
            "note": self.note,
            "step": self.step.as_dict() if self.step else None,
        }


def hugo_binary() -> str | None:
    return shutil.which("hugo")


def pagefind_binary() -> Path | None:
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    path = get_executable()
    return path if path and Path(path).is_file() else None


def pagefind_is_extended() -> bool:
    binary = pagefind_binary()
    return bool(binary and "extended" in Path(binary).name)


def tool_versions() -> dict[str, str | None]:
    import subprocess

    versions: dict[str, str | None] = {}
    hugo = hugo_binary()
    versions["hugo"] = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip() if hugo else None
    binary = pagefind_binary()
    versions["pagefind"] = (
        subprocess.run([str(binary), "--version"], capture_output=True, text=True).stdout.strip() + f" ({Path(binary).name})"
        if binary
        else None
    )
    try:
        from importlib.metadata import version

        versions["mkdocs"] = version("mkdocs")
        versions["mkdocs-material"] = version("mkdocs-material")
        versions["jieba"] = version("jieba")
    except Exception:  # noqa: BLE001 - informational only
        pass
    return versions


def median_page(folder: Path, pattern: str) -> int | None:
    sizes = sorted(p.stat().st_size for p in folder.glob(pattern) if p.is_file())
    return sizes[len(sizes) // 2] if sizes else None


def build_mkdocs(project: Path, logs: Path, limits: Limits = DEFAULT_LIMITS) -> ToolRun:
    site = project / "site"
    set_aside(site)
    step = run_step(
        "mkdocs-material",
        python_command("-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml")),
        cwd=project,
        env={"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"},
        log_dir=logs,
        check=False,
        timeout=limits.timeout_s,
    )
    size, files = tree_size(site)
    index = site / "search" / "search_index.json"
    note = f"search index {index.stat().st_size / 1024 / 1024:.1f} MB" if index.is_file() else ""
    return ToolRun("mkdocs-material", step, site, size, files, median_page(site, "reports/*/index.html"), note)


def build_hugo(project: Path, logs: Path, limits: Limits = DEFAULT_LIMITS) -> ToolRun:
    public = project / "public"
    set_aside(public)
    set_aside(project / "resources")
    step = run_step("hugo", [hugo_binary() or "hugo", "--quiet", "-d", "public"], cwd=project, log_dir=logs, check=False,
                    timeout=limits.timeout_s)
    size, files = tree_size(public)
    return ToolRun("hugo", step, public, size, files, median_page(public, "reports/*/index.html"))


def build_pagefind(public: Path, logs: Path, limits: Limits = DEFAULT_LIMITS) -> ToolRun:
    bundle = public / "pagefind"
    set_aside(bundle)
    binary = pagefind_binary()
    command = [str(binary)] if binary else python_command("-m", "pagefind")
    step = run_step(
        "pagefind", [*command, "--site", str(public)], cwd=public.parent, log_dir=logs, check=False,
        memory_cap_gb=limits.pagefind_memory_cap_gb, timeout=limits.timeout_s,
    )
    size, files = tree_size(bundle)
    note = "extended" if pagefind_is_extended() else "NOT the extended binary: no Chinese segmentation"
    return ToolRun("pagefind", step, bundle, size, files, None, note)


def available() -> dict[str, bool]:
    return {
        "mkdocs-material": True,
        "hugo": hugo_binary() is not None,
        "pagefind": pagefind_binary() is not None,
    }


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
