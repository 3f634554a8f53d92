"""The generated mkdocs.yml: the thin MkDocs side of the build."""

from __future__ import annotations

import html
from pathlib import Path

import yaml

from generator import links
from generator.config import LoadedConfig


def nav(show_coverage: bool) -> list[dict[str, str]]:
    """The sidebar: a fixed handful of entry points, whatever the number of reports."""
    items = [
        {"首页": links.HOME},
        {"按单位": links.UNITS_INDEX},
        {"按年份": links.YEARS_INDEX},
        {"按类型": links.TYPES_INDEX},
    ]
    if show_coverage:
        items.append({"覆盖情况": links.COVERAGE})
    items.append({"数据下载": links.DATA})
    return items


def mkdocs_config(config: LoadedConfig, docs_dir: Path) -> dict:
    site = config.site
    return {
        # Material writes these into HTML unescaped.
        "site_name": html.escape(site.site_name),
        "site_url": site.site_url or None,
        "site_description": html.escape(site.site_description) or None,
        "copyright": html.escape(site.copyright) or None,
        "docs_dir": str(docs_dir),
        "use_directory_urls": False,  # pages work from any static server, and from disk
        "theme": {
            "name": "material",
            "custom_dir": str(config.theme_path),
            "language": "zh",
            "font": False,  # no Google Fonts: the Chinese font stack is in the theme's CSS
            "features": ["navigation.top", "toc.follow"],
        },
        "nav": nav(site.show.coverage),
        # Breadcrumbs, the cite box and the contents of report pages, and the cite box's script.
        "extra_css": ["assets/stylesheets/archive-report.css"],
        "extra_javascript": ["assets/javascripts/archive-cite.js"],
        "markdown_extensions": [
            {"toc": {"permalink": False, "toc_depth": "2-4"}},
            "tables",
            "attr_list",
            "def_list",
            "md_in_html",
        ],
        # No MkDocs search: our own index (generator/search/) is written after MkDocs runs.
        "plugins": [],
        # Report and unit pages are written as HTML; the hooks keep MkDocs from converting them.
        "hooks": [str(Path(__file__).with_name("mkdocs_hooks.py"))],
        "extra": {"generator": False},
        "validation": {
            "nav": {"omitted_files": "info", "not_found": "warn", "absolute_links": "warn"},
            "links": {
                "not_found": "warn",
                "anchors": "warn",
                "absolute_links": "warn",
                "unrecognized_links": "warn",
            },
        },
    }


def mkdocs_yaml(config: LoadedConfig, docs_dir: Path) -> str:
    return yaml.safe_dump(mkdocs_config(config, docs_dir), allow_unicode=True, sort_keys=True)
