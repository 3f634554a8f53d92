"""Live preview for curators: build, serve, rebuild when content/, the config or the theme change.

The preview is built into build/preview (never into site/), with the same
atomic pipeline as `build`. A failed rebuild keeps the last good preview and
shows its errors on every page (and prints them); browsers reload by themselves
after each rebuild, good or failed. The preview server also offers the review
page at /_review/ (generator/review/), which no build ever contains.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from pathlib import Path

from markupsafe import escape

from generator.build import build_site
from generator.config import load_config
from generator.errors import ArchiveError
from generator.review.app import ReviewApp

REVIEW_PREFIX = "/_review"


def preview_dir(config_path: Path) -> Path:
    """Next to the config, under build/ (ignored by git), never the published site/."""
    return config_path.parent / "build" / "preview"


class Preview:
    """What the preview builds, and how its last build went."""

    def __init__(self, content_dir: Path, config_path: Path, out_dir: Path) -> None:
        self.content_dir, self.config_path, self.out_dir = content_dir, config_path, out_dir
        self.failure: list[str] | None = None  # the last build's error lines; None after a good one

    def rebuild(self) -> bool:
        """One preview build; errors are kept and printed, never raised, so the server keeps running."""
        try:
            result = build_site(content_dir=self.content_dir, config_path=self.config_path, out_dir=self.out_dir)
        except ArchiveError as error:
            self.failure = [str(error), *map(str, error.problems)]
        except Exception as error:  # a bug must not stop the preview either; say what it was
            self.failure = [f"unexpected {type(error).__name__}: {error}; this is a bug in report-archive"]
        else:
            self.failure = None
            print(result.summary_line(), file=sys.stderr)
            return True
        print(f"error: {self.failure[0]}", file=sys.stderr)
        for line in self.failure[1:]:
            print(f"  {line}", file=sys.stderr)
        return False


def failure_overlay(failure: list[str]) -> str:
    """The box every served page shows while the last build failed."""
    lines = "\n".join(str(escape(line)) for line in failure)
    return (
        '<div id="preview-build-failure" role="alert" style="position:fixed;z-index:10000;left:0;right:0;top:0;'
        "max-height:60vh;overflow:auto;background:#ffebee;color:#b71c1c;border-bottom:4px solid #c62828;"
        'padding:12px 20px;font:14px/1.5 system-ui,sans-serif;box-shadow:0 2px 8px rgba(0,0,0,.3)">'
        "<strong>预览未更新：最近一次构建失败。</strong>"
        "下面显示的仍是上一次成功构建的网站；修正以下问题并保存后，页面会自动刷新。"
        f'<pre style="white-space:pre-wrap;margin:8px 0 0;font-size:13px;color:#000">{lines}</pre></div>'
    )


REVIEW_LINK = (
    f'<a id="preview-review-link" href="{REVIEW_PREFIX}/" style="position:fixed;z-index:9999;right:16px;'
    "bottom:16px;background:#37474f;color:#fff;padding:6px 14px;border-radius:16px;"
    'font:14px system-ui,sans-serif;text-decoration:none;box-shadow:0 1px 4px rgba(0,0,0,.3)">核对</a>'
)

NO_SITE_PAGE = (
    '<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"><title>预览</title></head>'
    '<body style="font:15px system-ui,sans-serif;padding:8em 2em 2em">{}</body></html>'
)


def _server_class():
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.livereload import LiveReloadServer

    class PreviewServer(LiveReloadServer):
        """MkDocs' live-reload server, with the review pages and the build's errors."""

        def __init__(self, preview: Preview, review: ReviewApp, **options) -> None:
            super().__init__(builder=preview.rebuild, **options)
            self.preview, self.review = preview, review
            self.error_handler = self._error_page

        def _serve_request(self, environ, start_response):
            path = environ["PATH_INFO"]
            if path == REVIEW_PREFIX or path.startswith(REVIEW_PREFIX + "/"):
                return self.review(environ, start_response)
            return super()._serve_request(environ, start_response)

        def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
            content = super()._inject_js_into_html(content, epoch)
            extra = REVIEW_LINK + (failure_overlay(self.preview.failure) if self.preview.failure else "")
            at = content.rfind(b"</body>")
            at = len(content) if at < 0 else at
            return content[:at] + extra.encode("utf-8") + content[at:]

        def _error_page(self, code: int) -> bytes | None:
            """A missing page while no build succeeded yet: the errors, reloading once fixed."""
            if code != 404 or self.preview.failure is None:
                return None
            page = NO_SITE_PAGE.format("预览还没有成功构建过。").encode("utf-8")
            return self._inject_js_into_html(page, self._visible_epoch)

    return PreviewServer


def make_server(
    *, content_dir: Path, config_path: Path, host: str, port: int, out_dir: Path | None = None
):
    """A started-on-serve() server that watches the inputs; the first build happens here. If it
    fails, the server still starts: its pages show the errors until a rebuild succeeds."""
    out_dir = out_dir or preview_dir(config_path)
    preview = Preview(content_dir, config_path, out_dir)
    preview.rebuild()
    theme = load_config(config_path).theme_path
    review = ReviewApp(content_dir, lambda: preview.failure, host=host)
    # The review page's first visit need not read every entry: read them now, meanwhile.
    threading.Thread(target=review.listing.entries, daemon=True).start()
    server = _server_class()(preview, review, host=host, port=port, root=str(out_dir))
    for path in (content_dir, config_path, theme):
        server.watch(str(path))
    return server


def serve(
    *, content_dir: Path, config_path: Path, host: str = "127.0.0.1", port: int = 8000
) -> None:
    logging.getLogger("mkdocs.livereload").setLevel(logging.INFO)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    server = make_server(content_dir=content_dir, config_path=config_path, host=host, port=port)
    print(f"review page: http://{host}:{port}{REVIEW_PREFIX}/ (this machine only)", file=sys.stderr)
    try:
        server.serve()
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    finally:
        server.shutdown()
