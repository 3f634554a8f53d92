"""Live preview for curators: build, serve, rebuild when content/, the config or the theme change.

The preview is built into build/preview (never into site/), with the same
atomic pipeline as `build`; a failed rebuild keeps the last good preview and
prints the errors. Browsers reload by themselves after each good rebuild.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from generator.build import build_site
from generator.config import load_config
from generator.errors import ArchiveError


def preview_dir(config_path: Path) -> Path:
    """Next to the config, under build/ (ignored by git), never the published site/."""
    return config_path.parent / "build" / "preview"


def rebuild(content_dir: Path, config_path: Path, out_dir: Path) -> bool:
    """One preview build; errors are printed, never raised, so the server keeps running."""
    try:
        result = build_site(content_dir=content_dir, config_path=config_path, out_dir=out_dir)
    except ArchiveError as error:
        print(f"error: {error}", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return False
    print(result.summary_line(), file=sys.stderr)
    return True


def make_server(
    *, content_dir: Path, config_path: Path, host: str, port: int, out_dir: Path | None = None
):
    """A started-on-serve() server that watches the inputs; the first build happens here."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.livereload import LiveReloadServer

    out_dir = out_dir or preview_dir(config_path)
    if not rebuild(content_dir, config_path, out_dir):
        raise ArchiveError(
            "the first preview build failed; fix the errors above and run serve again"
        )
    theme = load_config(config_path).theme_path
    server = LiveReloadServer(
        # A failed rebuild keeps the last good preview; browsers simply reload it.
        builder=lambda: rebuild(content_dir, config_path, out_dir),
        host=host,
        port=port,
        root=str(out_dir),
    )
    for path in (content_dir, config_path, theme):
        server.watch(str(path))
    return server


def serve(
    *, content_dir: Path, config_path: Path, host: str = "127.0.0.1", port: int = 8000
) -> None:
    logging.getLogger("mkdocs.livereload").setLevel(logging.INFO)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    server = make_server(content_dir=content_dir, config_path=config_path, host=host, port=port)
    try:
        server.serve()
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    finally:
        server.shutdown()
