"""What the browser tests share: Debian's chromium and a static server for a built site."""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags chromium keeps calling hosts this machine cannot reach.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as any real static host

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")  # a rebuilt site is seen at once
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        # As static hosts do: a missing address gets the site's own error page, if it is given.
        page = Path(self.directory, NOT_FOUND) if NOT_FOUND else None
        if code != 404 or page is None or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


NOT_FOUND = ""  # the error page, relative to the folder served (serve(not_found=...))


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default 5 drops a browser's burst of new connections

    def handle_error(self, request, client_address):
        pass  # the browser closed a connection it no longer needed


@contextmanager
def serve(folder: Path, not_found: str = ""):
    """The folder over HTTP on 127.0.0.1 (a free port), from a process of its own, so that
    serving never waits on the browser driver's threads; yields the base URL. `not_found`:
    the page served for a missing address, relative to the folder."""
    server = subprocess.Popen(
        [sys.executable, __file__, str(Path(folder).resolve()), not_found], stdout=subprocess.PIPE, text=True
    )
    try:
        port = server.stdout.readline().strip()
        if not port.isdigit():
            raise RuntimeError(f"the static server for {folder} did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)
        server.stdout.close()


if __name__ == "__main__":
    NOT_FOUND = sys.argv[2] if len(sys.argv) > 2 else ""
    _httpd = _Server(("127.0.0.1", 0), functools.partial(_Handler, directory=sys.argv[1]))
    print(_httpd.server_address[1], flush=True)
    _httpd.serve_forever()
