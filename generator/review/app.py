"""The review pages as a WSGI application, mounted by the preview server at /_review/.

Only this machine may use them: a request from another address, or naming another host (a web
page that rebinds its name to 127.0.0.1), is refused; every form carries this session's token
(a page of another site cannot read it), and a request's report id is used as a file name
only once it is a valid id of an existing entry.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.errors import ArchiveError
from generator.model import ID_PATTERN
from generator.review import edits, page
from generator.review.form import one as _one
from generator.review.form import parse_correction
from generator.review.queue import FIELD_LABEL, Listing, load_queue, review_items
from generator.review.queue import exists as entry_exists

MAX_FORM_BYTES = 64 * 1024
LOOPBACK_NAMES = {"127.0.0.1", "localhost", "[::1]", "::1"}


class Refused(Exception):
    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    environ: dict
    nonce: str  # lets this page's own script run, and no other


class ReviewApp:
    def __init__(self, content: Path, failure: Callable[[], list[str] | None], host: str = "127.0.0.1") -> None:
        self.content = content
        self.failure = failure  # the last build's problems, None while it succeeded
        self.host = host
        self.token = secrets.token_urlsafe(32)
        self._writing = threading.Lock()
        self.listing = Listing(content)

    def __call__(self, environ: dict, start_response) -> list[bytes]:
        path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "ignore")
        query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
        request = Request(environ["REQUEST_METHOD"], path, query, environ, secrets.token_urlsafe(16))
        try:
            self._check_client(environ)
            status, body, headers = self._route(request)
        except Refused as refusal:
            status, body, headers = refusal.status, self._message("无法处理这个请求", str(refusal)), []
        return _respond(start_response, status, body, headers, request.nonce)

    # --- safety ---------------------------------------------------------------

    def _check_client(self, environ: dict) -> None:
        try:
            local = ipaddress.ip_address(environ.get("REMOTE_ADDR", "")).is_loopback
        except ValueError:
            local = False
        if not local:
            raise Refused("403 Forbidden", "核对页面只接受本机的访问（127.0.0.1）。")
        name, _, port = environ.get("HTTP_HOST", "").rpartition(":")
        if name.lower() not in LOOPBACK_NAMES | {self.host} or port != str(environ.get("SERVER_PORT")):
            raise Refused("403 Forbidden", "请用 http://127.0.0.1:端口/_review/ 打开核对页面。")
        origin = environ.get("HTTP_ORIGIN")
        if environ["REQUEST_METHOD"] == "POST" and origin and origin != f"http://{environ['HTTP_HOST']}":
            raise Refused("403 Forbidden", "这个表单来自别的网站，没有处理。")

    def _form(self, environ: dict) -> dict[str, list[str]]:
        if not environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
            raise Refused("400 Bad Request", "表单的格式不对。")
        try:
            length = int(environ.get("CONTENT_LENGTH") or "")
        except ValueError:
            raise Refused("411 Length Required", "表单没有说明长度。") from None
        if not 0 <= length <= MAX_FORM_BYTES:
            raise Refused("413 Content Too Large", "表单太大。")
        body = environ["wsgi.input"].read(length).decode("utf-8", "replace")
        try:
            form = urllib.parse.parse_qs(body, keep_blank_values=True, max_num_fields=100)
        except ValueError:  # more fields than any of these forms has
            raise Refused("413 Content Too Large", "表单太大。") from None
        if not hmac.compare_digest(_one(form, "token").encode(), self.token.encode()):
            raise Refused("403 Forbidden", "表单已过期（预览重新启动过）；请刷新核对页面再提交。")
        return form

    # --- pages ----------------------------------------------------------------

    def _route(self, request: Request) -> tuple[str, bytes, list]:
        routes = {
            ("GET", "/_review/"): self._list,
            ("GET", "/_review/units"): self._units,
            ("POST", "/_review/correct"): self._correct,
            ("POST", "/_review/units/merge"): self._merge,
            ("POST", "/_review/units/rename"): self._rename,
        }
        if request.path == "/_review":
            return "301 Moved Permanently", b"", [("Location", "/_review/")]
        handler = routes.get((request.method, request.path))
        if handler is None:
            known = any(path == request.path for _, path in routes)
            raise Refused("405 Method Not Allowed" if known else "404 Not Found", "没有这个页面。")
        return handler(request)

    def _list(self, request: Request, errors: dict | None = None) -> tuple[str, bytes, list]:
        queue = load_queue(self.content, self.listing)
        errors = errors or {}
        number = _page_number(request.query, queue.doubtful)
        shown = review_items(self.content, queue.doubtful[(number - 1) * page.PAGE_SIZE : number * page.PAGE_SIZE])
        cards = [page.card(self.content, item, *errors.get(item.report.id, (None, []))) for item in shown]
        body = self._render(
            request,
            "review.html.j2",
            title="待核对的报告",
            cards=cards,
            total=len(queue.doubtful),
            units=page.units_for_select(queue.organizations),
            page=number,
            pages=page.page_count(len(queue.doubtful)),
            saved=self._saved(request.query, queue),
            unchanged="unchanged" in request.query,
        )
        return ("400 Bad Request" if errors else "200 OK"), body, []

    def _saved(self, query: dict, queue) -> dict | None:
        report_id = _one(query, "saved")
        if not ID_PATTERN.fullmatch(report_id) or not entry_exists(self.content, report_id):
            return None
        fields = [FIELD_LABEL[f] for f in _one(query, "fields").split(",") if f in FIELD_LABEL]
        title = queue.titles.get(report_id, report_id)
        return {"id": report_id, "title": title, "fields": list(dict.fromkeys(fields)) or ["核对状态"]}

    def _units(self, request: Request, error: list[str] = ()) -> tuple[str, bytes, list]:
        queue = load_queue(self.content, self.listing)
        done = {"merged": "已合并", "renamed": "已改名"}.get(_one(request.query, "done"))
        count = _one(request.query, "n")
        if done and count.isdigit():
            done += f"，更新了 {count} 篇报告。预览正在重建。"
        body = self._render(
            request,
            "units.html.j2",
            title="单位管理",
            units=page.units_for_select(queue.organizations),
            counts=queue.unit_counts,
            done=done,
            error=list(error),
        )
        return ("400 Bad Request" if error else "200 OK"), body, []

    # --- writes ---------------------------------------------------------------

    def _correct(self, request: Request) -> tuple[str, bytes, list]:
        form = self._form(request.environ)
        report_id = _one(form, "id")
        if not ID_PATTERN.fullmatch(report_id) or not entry_exists(self.content, report_id):
            raise Refused("404 Not Found", "没有这篇报告。")
        submitted = {k: v[-1] for k, v in form.items() if k not in ("token", "confirm")}
        try:
            with self._writing:
                written = edits.correct(self.content, parse_correction(report_id, form))
        except ArchiveError as error:
            lines = [str(error), *map(str, error.problems)]
            request.query = {"page": [], "at": [report_id]}
            return self._list(request, {report_id: (submitted, lines)})
        if not written:
            return _redirect(f"/_review/?unchanged=1&at={report_id}#{report_id}")
        fields = ",".join(f for f in written if f in FIELD_LABEL)
        # Back to the page that showed the report (where it still is, if doubts remain).
        return _redirect(f"/_review/?saved={report_id}&fields={fields}&at={report_id}#{report_id}")

    def _merge(self, request: Request) -> tuple[str, bytes, list]:
        form = self._form(request.environ)
        return self._unit_edit(request, "merged", edits.merge_units, _one(form, "source"), _one(form, "target"))

    def _rename(self, request: Request) -> tuple[str, bytes, list]:
        form = self._form(request.environ)
        slug = _one(form, "slug").strip() or None
        return self._unit_edit(request, "renamed", edits.rename_unit, _one(form, "unit"), _one(form, "name"), slug)

    def _unit_edit(self, request: Request, done: str, action, *args) -> tuple[str, bytes, list]:
        try:
            with self._writing:
                moved = action(self.content, *args)
        except ArchiveError as error:
            return self._units(request, [str(error), *map(str, error.problems)])
        return _redirect(f"/_review/units?done={done}&n={len(moved)}")

    # --- responses ------------------------------------------------------------

    def _render(self, request: Request, template: str, **context) -> bytes:
        return page.render(template, token=self.token, failure=self.failure(), nonce=request.nonce, **context)

    def _message(self, title: str, message: str) -> bytes:
        return page.render("message.html.j2", title=title, message=message, failure=None, nonce="")


def _respond(start_response, status: str, body: bytes, headers: list, nonce: str) -> list[bytes]:
    start_response(status, [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Length", str(len(body))),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("X-Frame-Options", "DENY"),
        ("Content-Security-Policy", f"default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-{nonce}'; "
         "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
        *headers,
    ])
    return [body]


def _redirect(location: str) -> tuple[str, bytes, list]:
    return "303 See Other", b"", [("Location", location)]


def _page_number(query: dict, ids: list[str]) -> int:
    """The page asked for, or the one showing the report `at`."""
    at, text = _one(query, "at"), _one(query, "page")
    number = ids.index(at) // page.PAGE_SIZE + 1 if at in ids else int(text) if text.isascii() and text.isdigit() else 1
    return max(1, min(number, page.page_count(len(ids))))
