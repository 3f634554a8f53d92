"""The Jinja2 settings every page template shares, Markdown or HTML."""

from __future__ import annotations

from collections.abc import Callable

import jinja2

from generator import labels, links


def environment(*, autoescape: bool, finalize: Callable[[object], object], label: Callable) -> jinja2.Environment:
    """Templates from generator/render/templates; `finalize` decides how a value is written,
    `label(table)` how a label (unit kind, period, document type) is."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator.render", "templates"),
        autoescape=autoescape,
        finalize=finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(L=links, labels=labels, year_label=labels.year_label)
    env.filters.update(
        kind=label(labels.ORG_KIND), period=label(labels.PERIOD), doctype=label(labels.DOC_TYPE)
    )
    return env
