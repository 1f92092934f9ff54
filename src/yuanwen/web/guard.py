"""What stands between a request and the routes: the upload limit, the token, the same-origin rule, safe headers.

A plain ASGI middleware, so a body over the limit is refused while it is still arriving, before
any form parser has stored it.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from http.cookies import SimpleCookie

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TOKEN_COOKIE = "yuanwen_token"
# Pages and their assets load only from this server; no inline script or style anywhere. A page may
# ask this server (connect-src): a waiting check's page asks for its state.
PAGE_POLICY = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; connect-src 'self'; "
    "frame-src 'self'; frame-ancestors 'self'; base-uri 'none'"
)
_OPEN_PATHS = ("/static/", "/login")
_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# A body this many times the limit is read to its end before the 413 answer, so the browser sees the
# page rather than a reset connection; a larger one is cut off.
_DRAIN_FACTOR = 4

ErrorPage = Callable[[Request, int, str], Response]


@dataclass(frozen=True)
class GuardSettings:
    """The limits the guard enforces."""

    max_upload: int
    token: str | None


class _TooLarge(Exception):
    pass


class Guard:
    """The ASGI middleware; `error_page` answers a refused request in the form its path expects."""

    def __init__(self, app: ASGIApp, settings: GuardSettings, error_page: ErrorPage) -> None:
        self.app, self.settings, self.error_page = app, settings, error_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        limited = _Limited(receive, self.settings.max_upload)
        started = False

        async def send_safely(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                _secure(MutableHeaders(scope=message))
            await send(message)

        refused = self._refusal(request)
        if refused is not None:
            await refused(scope, receive, send_safely)
            return
        try:
            await self.app(scope, limited.receive, send_safely)
        except _TooLarge:
            if started:
                raise
            await limited.drain()
            await self._too_large(request)(scope, receive, send_safely)

    def _refusal(self, request: Request) -> Response | None:
        """The answer to a request refused before it reaches a route, or None."""
        if not self._authorised(request):
            if request.url.path.startswith("/api/") or request.method != "GET":
                return self.error_page(request, 401, "需要口令：请求须带 Authorization: Bearer <口令>")
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        if request.method in _UNSAFE and _cross_site(request):
            return self.error_page(request, 403, "拒绝跨站提交：请从本服务的页面提交")
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.settings.max_upload * _DRAIN_FACTOR:
            response = self._too_large(request)
            response.headers["connection"] = "close"
            return response
        return None

    def _too_large(self, request: Request) -> Response:
        megabytes = self.settings.max_upload // (1024 * 1024)
        return self.error_page(request, 413, f"上传的文件过大：上限 {megabytes} MB（服务启动时可用 --max-upload 调整）")

    def _authorised(self, request: Request) -> bool:
        token = self.settings.token
        if token is None or request.url.path.startswith(_OPEN_PATHS):
            return True
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not given:
            cookie = SimpleCookie(request.headers.get("cookie", ""))
            given = cookie[TOKEN_COOKIE].value if TOKEN_COOKIE in cookie else ""
        return secrets.compare_digest(given.encode("utf-8"), token.encode("utf-8"))


class _Limited:
    """A request body's receive channel that stops once more than `limit` bytes have come."""

    def __init__(self, receive: Receive, limit: int) -> None:
        self._receive, self._limit, self._seen, self._ended = receive, limit, 0, False

    async def receive(self) -> Message:
        message = await self._receive()
        if message["type"] == "http.request":
            self._seen += len(message.get("body", b""))
            self._ended = not message.get("more_body", False)
            if self._seen > self._limit:
                raise _TooLarge
        return message

    async def drain(self) -> None:
        """Read the rest of the body, up to _DRAIN_FACTOR times the limit."""
        while not self._ended and self._seen <= self._limit * _DRAIN_FACTOR:
            message = await self._receive()
            if message["type"] != "http.request":
                return
            self._seen += len(message.get("body", b""))
            self._ended = not message.get("more_body", False)


def _cross_site(request: Request) -> bool:
    """True for a browser's post from another site: its Origin is not this server, or it says cross-site.

    A client that is not a browser sends neither header, and is let through (the token guards it)."""
    headers: Headers = request.headers
    origin = headers.get("origin")
    if origin is not None:
        return origin != f"{request.url.scheme}://{headers.get('host', '')}"
    return headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none")


def _secure(headers: MutableHeaders) -> None:
    """Headers every answer carries; a route that serves a page of its own sets its own policy first."""
    if "content-security-policy" not in headers:
        headers["content-security-policy"] = PAGE_POLICY
    headers["x-content-type-options"] = "nosniff"
    headers["referrer-policy"] = "same-origin"
    headers.setdefault("x-frame-options", "SAMEORIGIN")
