"""Everything the site is made of, as (docs path -> bytes), before it is written."""

from __future__ import annotations

from pathlib import Path

from generator import links
from generator.config import SiteConfig
from generator.errors import BuildError, Problem
from generator.render import data
from generator.render.pages import Context, render_pages
from generator.taxonomy import Taxonomy


def render_site(tax: Taxonomy, site: SiteConfig, content_dir: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for path, markdown in render_pages(Context(tax, site)):
        files[path] = markdown.encode("utf-8")
    rows = data.catalog_rows(tax, site)
    files[links.CATALOG_JSON] = data.catalog_json(rows).encode("utf-8")
    files[links.CATALOG_CSV] = data.catalog_csv(rows).encode("utf-8")
    files[links.FEED] = data.atom_feed(tax, site).encode("utf-8")
    if site.show.source_downloads:
        files.update(source_files(tax, content_dir))
    return files


def source_files(tax: Taxonomy, content_dir: Path) -> dict[str, bytes]:
    """The raw source of every report, published under links.source_download()."""
    files: dict[str, bytes] = {}
    origin: dict[str, str] = {}
    problems = []
    for report in tax.reports:
        for source in report.sources:
            where = f"reports/{report.id}.yml"
            target = links.source_download(source.file, source.sha256)
            if origin.setdefault(target, source.file) != source.file:
                problems.append(
                    Problem(
                        where,
                        "sources.file",
                        f"{source.file!r} and {origin[target]!r} share one download name",
                    )
                )
                continue
            if target not in files:
                try:
                    files[target] = (content_dir / source.file).read_bytes()
                except OSError as error:
                    problems.append(
                        Problem(
                            where, "sources.file", f"cannot read {source.file!r} ({error.strerror})"
                        )
                    )
    if problems:
        raise BuildError("source files cannot be published", problems)
    return files
