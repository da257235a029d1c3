"""Serve a sample build over real loopback HTTP: main site, ACOS portal, Wayback archive.

One ThreadingHTTPServer per host of the build's truth (127.0.0.1, .2, .3 unless the build
says otherwise) on free ports, in daemon threads.
Every answer carries ETag, Last-Modified and Content-Length, and conditional requests
get 304, so the crawler's caching can be tested against it.

A build may name an app for a host in ``apps.json`` (``{"einnsyn": "module:Factory"}``):
the factory is called with the server and returns a callable ``(method, target, headers)
-> Reply | None`` that answers before the static routes (None falls through to them).
That is how a replica of a JSON API (``sample.platforms.einnsyn``) checks its key and pages.
"""

from __future__ import annotations

import calendar
import email.utils
import hashlib
import importlib
import json
import select
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from sample.site import canonical
from sample.truth import HOSTS, Truth, TruthDoc, load_truth

ROBOTS = {
    "main": "User-agent: *\nDisallow: /intern/\nDisallow: /episerver/\n",
    "portal": "User-agent: *\nDisallow:\n",
    "wayback": "User-agent: *\nDisallow:\n",
}
NOT_FOUND = (
    b'<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8"><title>Siden finnes ikke</title></head>'
    b"<body><h1>Siden finnes ikke (404)</h1></body></html>"
)
ERROR_500 = b"<!DOCTYPE html><html><body><h1>500 Internal Server Error</h1></body></html>"
CDX_FIELDS = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]
FAULTS = ("reset", "short_body", "slow", "503_retry_after", "redirect_loop", "503_burst", "500_always", "stall")
BURST = 3  # a 503_burst answers 503 with Retry-After this many times, then serves the document
SLOW_S = 0.5  # a "slow" answer waits this long first


@dataclass
class LogEntry:
    """One request as the server saw it."""

    method: str
    host: str  # main | portal | wayback
    path: str  # path with query, as requested
    status: int
    headers: dict[str, str]
    bytes_sent: int


@dataclass
class Reply:
    """An app's answer: a 200 goes out with ETag/Last-Modified (and 304 when fresh)."""

    status: int
    data: bytes = b""
    ctype: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    last_modified: int = 0


App = Callable[[str, str, dict[str, str]], "Reply | None"]


@dataclass
class _Body:
    data: bytes
    ctype: str
    last_modified: int
    headers: dict[str, str] = field(default_factory=dict)  # extra headers (Content-Disposition)
    etag: str = field(init=False)

    def __post_init__(self) -> None:
        self.etag = '"' + hashlib.sha1(self.data).hexdigest()[:20] + '"'


class SampleServer:
    """Three loopback HTTP servers over one build; use as a context manager."""

    def __init__(self, dest: Path, faults: dict[str, str] | None = None) -> None:
        self.dest = Path(dest)
        self.truth: Truth = load_truth(self.dest, answers=False)  # where documents are; the key stays on disk
        self.routes = {
            (r["host"], r["key"]): r for r in json.loads((self.dest / "routes.json").read_text(encoding="utf-8"))
        }
        self.snapshots: list[dict] = json.loads((self.dest / "snapshots.json").read_text(encoding="utf-8"))
        self.faults = {canonical(k): v for k, v in (faults or {}).items()}
        self.requests: list[LogEntry] = []
        self._lock = threading.Lock()
        self._hits: dict[tuple[str, str], int] = {}
        self._overrides: dict[tuple[str, str], _Body] = {}
        self._held: dict[tuple[str, str], threading.Event] = {}  # (host, key) -> opened by release()
        self._arrived = threading.Semaphore(0)  # one per request that reached a held path
        self._servers: dict[str, ThreadingHTTPServer] = {}
        self._threads: list[threading.Thread] = []
        self.main_url = self.portal_url = self.wayback_url = ""
        self.urls: dict[str, str] = {}  # host name -> base URL, once started
        self.apps: dict[str, App] = {}
        self._app_specs: dict[str, str] = {}
        apps = self.dest / "apps.json"
        if apps.exists():
            self._app_specs = json.loads(apps.read_text(encoding="utf-8"))

    # -- lifecycle

    def start(self) -> SampleServer:
        for name, ip in (self.truth.hosts or HOSTS).items():
            httpd = _QuietServer((ip, 0), _make_handler(self, name))
            self._servers[name] = httpd
            self.urls[name] = f"http://{ip}:{httpd.server_address[1]}"
            setattr(self, f"{name}_url", self.urls[name])
        for name, spec in self._app_specs.items():  # once the URLs are known (apps write them), before any request
            module, _, factory = spec.partition(":")
            self.apps[name] = getattr(importlib.import_module(module), factory)(self)
        for name, httpd in self._servers.items():
            thread = threading.Thread(
                target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, name=f"sample-{name}", daemon=True
            )
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        self.release()
        for httpd in self._servers.values():
            httpd.shutdown()
            httpd.server_close()
        self._servers.clear()

    def __enter__(self) -> SampleServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- public helpers

    @property
    def landing_url(self) -> str:
        return self.main_url + self.truth.landing_path

    def url_for(self, doc: TruthDoc) -> str:
        """Where a truth document can be fetched now (the Wayback copy for gone documents)."""
        if doc.only_in_wayback:
            return f"{self.wayback_url}/web/{doc.wayback_timestamp}id_/{self.main_url}{doc.path}"
        return getattr(self, f"{doc.host}_url") + doc.path

    def original_url(self, doc: TruthDoc) -> str:
        """The URL as linked on the site (dead for only_in_wayback documents)."""
        return getattr(self, f"{doc.host}_url") + doc.path

    def base_url(self, host: str) -> str:
        """The base URL of a host of this build ("http://127.0.1.1:40123")."""
        return self.urls[host]

    def clear_log(self) -> None:
        with self._lock:
            self.requests.clear()

    def replace_document(self, key: str, new_bytes: bytes) -> None:
        """Serve new bytes for a document from now on, with a new ETag and Last-Modified."""
        doc = self.truth.doc(key)
        route = self.routes[(doc.host, canonical(doc.final_path or doc.path))]
        self._overrides[(doc.host, route["key"])] = _Body(new_bytes, route["ctype"], int(time.time()))

    def replace_route(self, host: str, target: str, new_bytes: bytes, last_modified: int | None = None) -> None:
        """Serve new bytes at any route from now on (a republished file), with a new ETag."""
        route = self.routes[(host, canonical(target))]
        self._overrides[(host, route["key"])] = _Body(new_bytes, route["ctype"], last_modified or int(time.time()))

    def hold(self, host: str, path: str) -> None:
        """Keep requests for this path (on host main|portal) waiting until release(): a crawl
        that stays in flight for as long as a test needs, however fast or loaded the machine."""
        self._held[(host, canonical(path))] = threading.Event()

    def wait_held(self, timeout: float = 120) -> bool:
        """Block until a request is waiting at a held path; False if none came in `timeout` s."""
        return self._arrived.acquire(timeout=timeout)

    def release(self) -> None:
        """Answer every held request, and every later one, at once."""
        for gate in self._held.values():
            gate.set()

    # -- internals used by the handler

    def wait_for_hangup(self, conn: socket.socket, limit: float = 300) -> None:
        """Wait until the client closes the connection (or the server stops)."""
        deadline = time.monotonic() + limit
        while self._servers and time.monotonic() < deadline:
            readable, _, _ = select.select([conn], [], [], 0.2)
            if readable:
                try:
                    if not conn.recv(1024):
                        return
                except OSError:
                    return

    def gate(self, host: str, key: str) -> None:
        """Wait here while the path is held (see hold())."""
        gate = self._held.get((host, key))
        if gate is not None and not gate.is_set():
            self._arrived.release()
            gate.wait(300)

    def log(self, entry: LogEntry) -> None:
        with self._lock:
            self.requests.append(entry)

    def hit(self, host: str, key: str) -> int:
        """Count requests per (host, route) for this server instance; returns the new count."""
        with self._lock:
            n = self._hits.get((host, key), 0) + 1
            self._hits[(host, key)] = n
            return n

    def fill(self, data: bytes) -> bytes:
        """Put this instance's URLs into stored HTML: {{MAIN}}, {{PORTAL}}, ... one per host name."""
        data = (
            data.replace(b"{{MAIN}}", self.main_url.encode())
            .replace(b"{{PORTAL}}", self.portal_url.encode())
            .replace(b"{{WAYBACK}}", self.wayback_url.encode())
        )
        if b"{{" in data:
            for name, url in self.urls.items():
                data = data.replace(b"{{" + name.upper().encode() + b"}}", url.encode())
        return data

    def body_for(self, host: str, route: dict) -> _Body:
        override = self._overrides.get((host, route["key"]))
        if override:
            return override
        data = (self.dest / route["file"]).read_bytes()
        if route["ctype"].startswith("text/html"):
            data = self.fill(data)
        return _Body(data, route["ctype"], route["last_modified"], route.get("headers", {}))

    def cdx(self, query: dict[str, list[str]]) -> tuple[bytes, str]:
        """A subset of the Wayback CDX server API over our snapshots."""
        url = query.get("url", [""])[0]
        prefix = url.endswith("*") or query.get("matchType", [""])[0] == "prefix"
        wanted = canonical(_path_of(url.rstrip("*")))
        rows = []
        for snap in sorted(self.snapshots, key=lambda s: s["timestamp"]):
            key = canonical(snap["original"])
            if not (key.startswith(wanted) if prefix else key == wanted):
                continue
            rows.append(
                {"urlkey": _surt(self.main_url, snap["original"]), "timestamp": snap["timestamp"],
                 "original": self.main_url + snap["original"], "mimetype": snap["ctype"].split(";")[0],
                 "statuscode": "200", "digest": snap["digest"], "length": str(snap["length"])}
            )  # fmt: skip
        for flt in query.get("filter", []):
            name, _, value = flt.lstrip("!").partition(":")
            negate = flt.startswith("!")
            rows = [r for r in rows if (r.get(name) == value) != negate]
        if "from" in query:
            rows = [r for r in rows if r["timestamp"] >= query["from"][0]]
        if "to" in query:
            rows = [r for r in rows if r["timestamp"][: len(query["to"][0])] <= query["to"][0]]
        if query.get("collapse", [""])[0].startswith("digest"):
            collapsed: list[dict] = []
            for r in rows:
                if not collapsed or collapsed[-1]["digest"] != r["digest"]:
                    collapsed.append(r)
            rows = collapsed
        if "limit" in query:
            rows = rows[: int(query["limit"][0])]
        fields = query.get("fl", [",".join(CDX_FIELDS)])[0].split(",")
        table = [[r[f] for f in fields] for r in rows]
        if query.get("output", [""])[0] == "json":
            return json.dumps([fields] + table if table else []).encode(), "application/json"
        return "".join(" ".join(row) + "\n" for row in table).encode(), "text/plain"

    def snapshot(self, ts: str, original: str) -> tuple[dict | None, str]:
        """Exact capture, or the nearest one (the real archive redirects to it)."""
        key = canonical(_path_of(original))
        found = [s for s in self.snapshots if canonical(s["original"]) == key]
        if not found:
            return None, ""
        best = min(found, key=lambda s: abs(int(s["timestamp"]) - int(ts.ljust(14, "0")[:14])))
        return best, best["timestamp"]


class _QuietServer(ThreadingHTTPServer):
    """No tracebacks on stderr when a client hangs up mid-response (or a fault closes the socket)."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass


def _path_of(url: str) -> str:
    parts = urlsplit(url if "://" in url else "http://" + url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _surt(base: str, path: str) -> str:
    host = urlsplit(base).hostname or ""
    return ",".join(reversed(host.split("."))) + ")" + path.lower()


def _http_date(ts: int) -> str:
    return email.utils.formatdate(ts, usegmt=True)


def _make_handler(server: SampleServer, host: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "Sample/1.0"

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the request log is kept in server.requests instead."""

        def do_HEAD(self) -> None:
            self.handle_request(head=True)

        def do_GET(self) -> None:
            self.handle_request(head=False)

        # -- responses

        def send(self, status: int, body: bytes, ctype: str, extra: dict[str, str] | None = None, head: bool = False) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            sent = 0 if head or status == 304 else len(body)
            # Logged before the body goes out, so a client that has the response also sees the entry.
            server.log(LogEntry(self.command, host, self.path, status, dict(self.headers.items()), sent))
            if sent:
                self.wfile.write(body)

        def send_body(self, body: _Body, head: bool) -> None:
            headers = {"ETag": body.etag, "Last-Modified": _http_date(body.last_modified), "Accept-Ranges": "none",
                       **body.headers}
            inm = self.headers.get("If-None-Match")
            ims = self.headers.get("If-Modified-Since")
            fresh = False
            if inm is not None:
                fresh = body.etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
            elif ims:
                try:
                    fresh = email.utils.parsedate_to_datetime(ims).timestamp() >= body.last_modified
                except (TypeError, ValueError):
                    fresh = False
            if fresh:
                self.send_response(304)
                for k, v in headers.items():
                    self.send_header(k, v)
                server.log(LogEntry(self.command, host, self.path, 304, dict(self.headers.items()), 0))
                self.end_headers()
                return
            self.send(200, body.data, body.ctype, headers, head)

        def send_reply(self, reply: Reply, head: bool) -> None:
            if reply.status == 200:
                self.send_body(_Body(reply.data, reply.ctype, reply.last_modified, reply.headers), head)
            else:
                self.send(reply.status, reply.data, reply.ctype, reply.headers, head)

        def redirect(self, status: int, location: str, head: bool) -> None:
            self.send(status, b"", "text/html; charset=utf-8", {"Location": location}, head)

        def not_found(self, head: bool) -> None:
            self.send(404, NOT_FOUND, "text/html; charset=utf-8", None, head)

        # -- dispatch

        def handle_request(self, head: bool) -> None:
            target = self.path
            if "://" in target:  # absolute-form request line (proxies)
                target = _path_of(target)
            path = target.split("?", 1)[0]
            if path == "/robots.txt":
                self.send(200, ROBOTS.get(host, ROBOTS["portal"]).encode(), "text/plain; charset=utf-8", None, head)
                return
            if host == "wayback":
                self.wayback(target, head)
                return
            key = canonical(target)
            server.gate(host, key)
            if self.fault(key, head):
                return
            app = server.apps.get(host)
            if app is not None:
                reply = app(self.command, target, dict(self.headers.items()))
                if reply is not None:
                    self.send_reply(reply, head)
                    return
            route = server.routes.get((host, key))
            if route is None:
                if not path.endswith("/") and (host, canonical(path + "/")) in server.routes:
                    self.redirect(301, path + "/", head)
                else:
                    self.not_found(head)
                return
            if "redirect" in route:
                self.redirect(route["status"], server.fill(route["redirect"].encode()).decode(), head)
                return
            if route.get("status", 200) != 200:  # a page the server answers with an error (410 Gone, 404)
                body = server.body_for(host, route)
                self.send(route["status"], body.data, body.ctype, None, head)
                return
            fail_first = route.get("fail_first", 0)
            if fail_first and server.hit(host, key) <= fail_first:
                self.send(500, ERROR_500, "text/html; charset=utf-8", None, head)
                return
            self.send_body(server.body_for(host, route), head)

        def fault(self, key: str, head: bool) -> bool:
            """Optional misbehaviour for reliability tests; True when it answered."""
            looped = "loop=1" in key
            if looped:
                key = canonical(key.replace("?loop=1", "").replace("&loop=1", "").replace("loop=1&", ""))
            name = server.faults.get(key)
            if not name:
                return False
            n = server.hit(host, "fault:" + key)
            if name == "reset":
                self.close_connection = True
                self.connection.close()
                server.log(LogEntry(self.command, host, self.path, 0, dict(self.headers.items()), 0))
                return True
            if name == "503_retry_after" and n == 1:
                self.send(503, b"", "text/plain", {"Retry-After": "1"}, head)
                return True
            if name == "503_burst" and n <= BURST:
                self.send(503, b"busy", "text/plain", {"Retry-After": "0"}, head)
                return True
            if name == "500_always":
                self.send(500, ERROR_500, "text/html; charset=utf-8", None, head)
                return True
            if name == "stall":  # headers, a few bytes, then nothing until the client gives up
                self.send_response(200)
                self.send_header("Content-Type", "application/pdf")
                self.send_header("Content-Length", "1000000")
                self.end_headers()
                self.wfile.write(b"%PDF-1.4\n")
                self.wfile.flush()
                server.log(LogEntry(self.command, host, self.path, 200, dict(self.headers.items()), 9))
                server.wait_for_hangup(self.connection)  # so the client's own timeout is what ends it
                self.close_connection = True
                return True
            if name == "redirect_loop":  # A -> A?loop=1 -> A -> ...
                other = key if looped else key + ("&loop=1" if "?" in key else "?loop=1")
                self.redirect(302, other, head)
                return True
            if name == "slow":  # late, but well within any client's timeout
                time.sleep(SLOW_S)
                return False
            if name == "short_body":
                route = server.routes.get((host, key))
                if route is None or "file" not in route:
                    return False
                body = server.body_for(host, route)
                self.send_response(200)
                self.send_header("Content-Type", body.ctype)
                self.send_header("Content-Length", str(len(body.data)))
                self.end_headers()
                self.wfile.write(body.data[: len(body.data) // 2])
                self.close_connection = True
                server.log(LogEntry(self.command, host, self.path, 200, dict(self.headers.items()), len(body.data) // 2))
                return True
            return False

        def wayback(self, target: str, head: bool) -> None:
            parts = urlsplit(target)
            if parts.path == "/cdx/search/cdx":
                body, ctype = server.cdx(parse_qs(parts.query, keep_blank_values=True))
                self.send(200, body, ctype, None, head)
                return
            if not parts.path.startswith("/web/"):
                self.not_found(head)
                return
            rest = target[len("/web/") :]
            stamp, _, original = rest.partition("/")
            ts = "".join(ch for ch in stamp if ch.isdigit())
            snap, found_ts = server.snapshot(ts, original)
            if snap is None:
                self.not_found(head)
                return
            if found_ts != ts:
                suffix = stamp[len(ts) :]
                self.redirect(302, f"/web/{found_ts}{suffix}/{original}", head)
                return
            data = (server.dest / snap["file"]).read_bytes()
            if snap["ctype"].startswith("text/html"):
                data = server.fill(data)
            body = _Body(data, snap["ctype"], calendar.timegm(time.strptime(found_ts, "%Y%m%d%H%M%S")))  # UTC
            self.send_body(body, head)

    return Handler


def serve(dest: Path, faults: dict[str, str] | None = None) -> SampleServer:
    """Start serving a build; stop it with .stop() or use it in a with-block."""
    return SampleServer(dest, faults).start()
