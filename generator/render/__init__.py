"""Everything the site is made of, as (docs path -> bytes), before it is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator import links
from generator.config import SiteConfig
from generator.errors import BuildError, Problem
from generator.render import data
from generator.render.pages import Context, page_plans, renderer
from generator.render.reuse import PageReuse
from generator.taxonomy import Taxonomy


@dataclass
class RenderedSite:
    files: dict[str, bytes]  # docs path -> bytes, of what was rendered
    kept: list[str] = field(default_factory=list)  # pages whose file in the docs folder is current
    fingerprints: dict[str, str] = field(default_factory=dict)  # page -> what it shows, for reuse


def render_site(tax: Taxonomy, site: SiteConfig, content_dir: Path, reuse: PageReuse | None = None) -> RenderedSite:
    rendered = RenderedSite({})
    ctx = Context(tax, site)
    render = renderer(ctx)
    for plan in page_plans(ctx):
        fingerprint = reuse.fingerprint(plan) if reuse else None
        if fingerprint is not None:
            rendered.fingerprints[plan.path] = fingerprint
        if reuse and reuse.current(plan, fingerprint):
            rendered.kept.append(plan.path)
        else:
            rendered.files[plan.path] = render(plan).encode("utf-8")
    rendered.files.update(_data_files(tax, site, content_dir))
    return rendered


def _data_files(tax: Taxonomy, site: SiteConfig, content_dir: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
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
