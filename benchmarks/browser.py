"""Search as a reader meets it: bytes fetched and time to results in headless Chromium.

Per query, a fresh browser context loads the search page; once the page's load event
has fired, every request is counted (requests from the search worker included) and
the query is typed. That is the cold figure. In the same page a second, different
query follows: the warm figure. Timing is taken inside the page, from setting the
input to the moment the results for that query are in the DOM;
our page also reports its own figure in ``window.__archiveSearch.ms``.

Three front ends are known:

- ``archive``: our ``search.html`` (input ``#archive-search-input``; the results element
  ``#archive-search-results`` gets ``data-query`` = the query and ``data-status="done"``);
- ``material``: Material for MkDocs' search box (``.md-search__input``);
- ``pagefind``: Pagefind's JavaScript API on the Hugo site (what Pagefind UI calls),
  the first ten results' fragments loaded, as the UI shows them.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import mimetypes
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from benchmarks.measure import median

CHROMIUM = "/usr/bin/chromium"
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
DEFAULT_QUERIES = ("工会", "职代会", "困难职工", "工會", "全国总工会", "2013年", "送温暖")
TIMEOUT_MS = 30_000
# Fetched by the browser on its own after the load event, whatever the page does.
IGNORED = ("favicon.ico", "favicon.png", "favicon.svg")

mimetypes.add_type("application/wasm", ".wasm")
mimetypes.add_type("application/json", ".json")
mimetypes.add_type("text/javascript", ".js")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as any real static host
    disable_nagle_algorithm = True  # or each response waits out a delayed ACK

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


@contextmanager
def serve(folder: Path):
    """The folder over HTTP on 127.0.0.1 (a random port), from a process of its own.

    Out of this process so that serving never waits on the browser driver's threads.
    """
    server = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.browser", str(Path(folder).resolve())],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
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


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default 5 drops a browser's burst of new connections

    def handle_error(self, request, client_address):
        pass  # the browser closed a connection it no longer needed


def _serve_forever(folder: str) -> None:
    handler = functools.partial(_Quiet, directory=folder)
    server = _Server(("127.0.0.1", 0), handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


@dataclass
class QueryResult:
    query: str
    phase: str  # cold | warm
    ms: float | None  # inside the page: input set -> results for this query rendered
    page_ms: float | None  # the page's own figure (archive only)
    wall_ms: float | None  # around the whole evaluate call, from Python
    bytes: int  # bytes on the wire after the page had loaded (headers included)
    body_bytes: int
    gzip_bytes: int  # what the same files weigh gzip-compressed, as a real host would send them
    requests: int
    total: int | None = None
    error: str | None = None
    load_ms: float | None = None  # the page's load before a cold query (not counted above)
    complete_ms: float | None = None  # input set -> the results' snippets in as well (archive only)
    urls: list[str] = field(default_factory=list)


# Set the query and wait, inside the page, until its results are in the DOM.
_ARCHIVE_JS = """
([q, timeout]) => new Promise((resolve) => {
  const input = document.querySelector('#archive-search-input');
  const results = document.querySelector('#archive-search-results');
  if (!input || !results) { resolve({error: 'no #archive-search-input / #archive-search-results'}); return; }
  const done = () => results.dataset.query === q && results.dataset.status === 'done';
  // Results may be shown before their snippets: the query ends when those are in as well.
  const complete = () => results.dataset.snippets !== 'pending';
  const t0 = performance.now();
  let finished = false, shown = null;
  const finish = (error) => {
    if (finished) return; finished = true; observer.disconnect();
    const state = window.__archiveSearch || {};
    resolve({ms: shown, complete_ms: performance.now() - t0,
             page_ms: state.query === q ? state.ms : null,
             total: state.query === q ? state.total : null, error});
  };
  const check = () => {
    if (shown === null && done()) shown = performance.now() - t0;
    if (shown !== null && complete()) finish();
  };
  const observer = new MutationObserver(check);
  observer.observe(results, {attributes: true, childList: true, subtree: true, characterData: true});
  setTimeout(() => finish('timeout'), timeout);
  input.focus();
  input.value = q;
  input.dispatchEvent(new Event('input', {bubbles: true}));
  input.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true}));
  check();
})
"""

_MATERIAL_JS = """
([q, timeout]) => new Promise((resolve) => {
  const input = document.querySelector('.md-search__input');
  const box = document.querySelector('.md-search-result');
  if (!input || !box) { resolve({error: 'no .md-search__input'}); return; }
  const meta = () => (box.querySelector('.md-search-result__meta') || {}).textContent || '';
  const list = () => (box.querySelector('.md-search-result__list') || {}).innerHTML || '';
  const placeholder = window.__benchPlaceholder || (window.__benchPlaceholder = meta());
  const beforeMeta = meta(), beforeList = list();
  const done = () => meta() !== placeholder && /\\d|没有|No/.test(meta())
                     && (meta() !== beforeMeta || list() !== beforeList);
  const t0 = performance.now();
  let finished = false;
  const finish = (error) => {
    if (finished) return; finished = true; observer.disconnect();
    const m = meta().match(/\\d+/);
    resolve({ms: performance.now() - t0, page_ms: null, total: m ? Number(m[0]) : 0, error});
  };
  const observer = new MutationObserver(() => { if (done()) finish(); });
  observer.observe(box, {attributes: true, childList: true, subtree: true, characterData: true});
  setTimeout(() => finish('timeout'), timeout);
  input.focus();
  input.value = q;
  input.dispatchEvent(new Event('input', {bubbles: true}));
  input.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true}));
})
"""

_PAGEFIND_JS = """
async ([q, timeout]) => {
  const t0 = performance.now();
  if (!window.__pagefind) {
    window.__pagefind = await import('/pagefind/pagefind.js');
    await window.__pagefind.init();
  }
  const search = await window.__pagefind.search(q);
  await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
  return {ms: performance.now() - t0, page_ms: null, total: search.results.length};
}
"""

FRONT_ENDS = {
    "archive": ("search.html", _ARCHIVE_JS, "#archive-search-input"),
    "material": ("index.html", _MATERIAL_JS, ".md-search__input"),
    "pagefind": ("index.html", _PAGEFIND_JS, None),
}


def front_end_for(site: Path) -> str:
    """Ours: search.html when the site has it, else Material's search box."""
    return "archive" if (site / "search.html").is_file() else "material"


class _Counter:
    """Requests made after `start()`; Material's worker fetches its index on load, so
    for it search files fetched before are counted as well (`always`)."""

    def __init__(self, site: Path, always: tuple[str, ...] = ()) -> None:
        self.site = site
        self.always = always
        self.counting = False
        self.requests: list = []
        self._gzip: dict[str, int] = {}

    def on_request(self, request) -> None:
        path = urlparse(request.url).path
        if path.endswith(IGNORED):
            return
        if self.counting or any(word in path for word in self.always):
            self.requests.append(request)

    def start(self) -> None:
        self.counting = True

    def reset(self) -> None:
        self.requests = []

    def gzip_size(self, url: str) -> int:
        path = unquote(urlparse(url).path).lstrip("/")
        if path not in self._gzip:
            file = self.site / path
            if file.is_dir():
                file = file / "index.html"
            try:
                self._gzip[path] = len(gzip.compress(file.read_bytes(), 6))
            except OSError:
                self._gzip[path] = 0
        return self._gzip[path]

    def totals(self) -> tuple[int, int, int, list[str]]:
        wire = body = packed = 0
        urls = []
        for request in self.requests:
            if request.url.startswith("data:"):
                continue
            try:
                sizes = request.sizes()
            except Exception:  # noqa: BLE001 - failed or unfinished request: count nothing
                continue
            wire += sizes.get("responseBodySize", 0) + sizes.get("responseHeadersSize", 0)
            body += sizes.get("responseBodySize", 0)
            # Files already compressed (Pagefind's) are sent as they are.
            packed += min(sizes.get("responseBodySize", 0), self.gzip_size(request.url))
            urls.append(urlparse(request.url).path)
        return wire, body, packed, urls


def _run_query(page, script: str, query: str, phase: str, counter: _Counter, timeout_ms: int) -> QueryResult:
    started = time.perf_counter()
    try:
        outcome = page.evaluate(script, [query, timeout_ms])
    except Exception as error:  # noqa: BLE001 - a broken page is a figure, not a crash
        outcome = {"error": f"{type(error).__name__}: {error}".splitlines()[0]}
    wall = (time.perf_counter() - started) * 1000
    page.wait_for_timeout(50)  # let the last fetches settle before counting
    wire, body, packed, urls = counter.totals()
    error = outcome.get("error")
    return QueryResult(
        query=query,
        phase=phase,
        ms=None if error else round(outcome.get("ms", 0), 1),
        complete_ms=round(outcome["complete_ms"], 1) if not error and outcome.get("complete_ms") is not None else None,
        page_ms=round(outcome["page_ms"], 1) if outcome.get("page_ms") is not None else None,
        wall_ms=round(wall, 1),
        bytes=wire,
        body_bytes=body,
        gzip_bytes=packed,
        requests=len(urls),
        total=outcome.get("total"),
        error=error,
        urls=urls,
    )


def measure_search(
    site: Path,
    front_end: str,
    queries: tuple[str, ...] | list[str] = DEFAULT_QUERIES,
    *,
    executable: str = CHROMIUM,
    timeout_ms: int = TIMEOUT_MS,
) -> dict:
    """Cold and warm figures per query, and their medians."""
    from playwright.sync_api import sync_playwright

    page_path, script, _ = FRONT_ENDS[front_end]
    queries = list(queries)
    results: list[QueryResult] = []
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            for number, query in enumerate(queries):
                context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
                page = context.new_page()
                counter = _Counter(site, always=("/search/", "/workers/search", "/lunr/") if front_end == "material" else ())
                page.on("request", counter.on_request)
                load_started = time.perf_counter()
                page.goto(f"{base}/{page_path}", wait_until="load", timeout=timeout_ms)
                load_ms = (time.perf_counter() - load_started) * 1000
                counter.start()
                cold = _run_query(page, script, query, "cold", counter, timeout_ms)
                cold.load_ms = round(load_ms, 1)
                results.append(cold)
                if len(queries) > 1:
                    counter.reset()
                    other = queries[(number + 1) % len(queries)]
                    results.append(_run_query(page, script, other, "warm", counter, timeout_ms))
                context.close()
        finally:
            browser.close()
    return summarize(front_end, results)


def summarize(front_end: str, results: list[QueryResult]) -> dict:
    cold = [r for r in results if r.phase == "cold"]
    warm = [r for r in results if r.phase == "warm"]

    def ok(rows):
        return [r for r in rows if not r.error]

    return {
        "front_end": front_end,
        "cold_ms": median(r.ms for r in ok(cold)),
        "warm_ms": median(r.ms for r in ok(warm)),
        "cold_page_ms": median(r.page_ms for r in ok(cold)),
        "warm_page_ms": median(r.page_ms for r in ok(warm)),
        "cold_complete_ms": median(r.complete_ms for r in ok(cold)),
        "warm_complete_ms": median(r.complete_ms for r in ok(warm)),
        "cold_bytes": median(r.bytes for r in ok(cold)),
        "cold_gzip_bytes": median(r.gzip_bytes for r in ok(cold)),
        "warm_bytes": median(r.bytes for r in ok(warm)),
        "max_cold_bytes": max((r.bytes for r in ok(cold)), default=None),
        "errors": [f"{r.phase} {r.query}: {r.error}" for r in results if r.error],
        "queries": [asdict(r) for r in results],
    }


if __name__ == "__main__":
    _serve_forever(sys.argv[1])
