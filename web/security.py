"""Headers on every response, and the read-only rule, as one ASGI wrapper outside everything
(so even the page for a crash carries them).

The Content-Security-Policy allows scripts and styles from this site only: no inline
script, no inline style, no eval, no frames, forms only to ourselves.
"""

from __future__ import annotations

from typing import Any

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
ALLOWED = {"GET", "HEAD"}
MAX_URL = 4096


class SecurityHeaders:
    def __init__(self, app: Any) -> None:
        self.app = app

    @property
    def state(self) -> Any:
        return self.app.state

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _v in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in HEADERS if h[0] not in names]
            await send(message)

        if scope["method"] not in ALLOWED:
            await _plain(send_with_headers, 405, b"Only GET and HEAD: this site is read-only.\n",
                         ((b"allow", b"GET, HEAD"),))
            return
        if len(scope.get("raw_path", b"")) + len(scope.get("query_string", b"")) > MAX_URL:
            await _plain(send_with_headers, 414, b"The address is too long.\n")
            return
        await self.app(scope, receive, send_with_headers)


async def _plain(send: Any, status: int, body: bytes, extra: tuple = ()) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), *extra]})
    await send({"type": "http.response.body", "body": body})
