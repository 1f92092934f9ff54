"""What stands between a request and the routes: the Host, the token, the same-origin rule, the load, safe headers.

A plain ASGI middleware, so a body over the limit is refused while it is still arriving, before
any form parser has stored it. In order: a Host that is not this server's (a page whose name was
rebound to 127.0.0.1) is refused; then a request without the token or a session; a browser's post
from another site; a body over the limit; a check when the queue is full (429), and an upload when
the bytes arriving or stored would pass their caps (503).
"""

from __future__ import annotations

import asyncio
import ipaddress
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSION_COOKIE = "yuanwen_session"
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
# The requests that start a check: refused with 429 when the queue is full.
_CHECK_PATHS = frozenset({"/api/check", "/api/checks", "/checks"})
# Seconds a refused client is told to wait (Retry-After): about what a check takes.
RETRY_SECONDS = 10
_LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
# Sessions kept (a login each); the oldest is dropped past this.
MAX_SESSIONS = 10_000
# Wrong tokens at /login a client may give in WRONG_WINDOW seconds before each further one waits
# WRONG_DELAY seconds, one at a time: 300 guesses take 5 minutes rather than 6 seconds.
FREE_WRONG = 3
WRONG_WINDOW = 600.0
WRONG_DELAY = 1.0

ErrorPage = Callable[[Request, int, str], Response]


@dataclass(frozen=True)
class Hosts:
    """The names a request's Host may give: this server's addresses and names, so DNS rebinding cannot reach it."""

    names: frozenset[str]
    any_address: bool = False  # listening on every address: any IP address is this server

    @classmethod
    def listening(cls, host: str, names: tuple[str, ...] = ()) -> Hosts:
        """The Hosts of a server listening on `host`, known also by `names` (--name)."""
        import socket

        given = {host.lower().strip("[]"), *(name.lower() for name in names)}
        if host in ("0.0.0.0", "::"):
            machine = {socket.gethostname().lower(), socket.getfqdn().lower()}
            return cls(frozenset(given | _LOOPBACK_NAMES | machine), any_address=True)
        loopback = host == "localhost" or (_is_address(host) and ipaddress.ip_address(host.strip("[]")).is_loopback)
        return cls(frozenset(given | (_LOOPBACK_NAMES if loopback else set())))

    def allow(self, header: str | None) -> bool:
        """True when a Host header names this server (its port is the listening socket's business)."""
        try:
            name = urlsplit(f"//{header}").hostname if header else None
        except ValueError:
            return False
        return name is not None and (name in self.names or (self.any_address and _is_address(name)))


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


@dataclass
class Load:
    """What the server holds at this moment, for the guard to refuse more."""

    pooled: Callable[[], int] = lambda: 0  # checks queued or running (the pool's, once it started)
    admitting: int = 0  # check requests whose uploads are still arriving
    arriving: int = 0  # bytes of request bodies arriving
    stored: int = 0  # bytes of uploads in the upload folder


@dataclass
class Sessions:
    """The sessions of those who logged in with the token, and the slowing down of wrong tokens."""

    _ids: dict[str, float] = field(default_factory=dict)
    _wrong: dict[str, list[float]] = field(default_factory=dict)
    _turn: asyncio.Lock = field(default_factory=asyncio.Lock)

    def new(self) -> str:
        """A new session's id, for the cookie (never the token itself)."""
        while len(self._ids) >= MAX_SESSIONS:
            del self._ids[next(iter(self._ids))]
        session = secrets.token_urlsafe(32)
        self._ids[session] = time.monotonic()
        return session

    def valid(self, session: str) -> bool:
        return session in self._ids

    async def wrong(self, client: str) -> None:
        """A wrong token from this client: past FREE_WRONG in the window, wait WRONG_DELAY, one client at a time."""
        now = time.monotonic()
        if len(self._wrong) >= MAX_SESSIONS:
            self._wrong.clear()
        tries = [*(t for t in self._wrong.get(client, []) if now - t < WRONG_WINDOW), now][-FREE_WRONG - 1 :]
        self._wrong[client] = tries
        if len(tries) > FREE_WRONG:
            async with self._turn:
                await asyncio.sleep(WRONG_DELAY)


@dataclass(frozen=True)
class GuardSettings:
    """The limits the guard enforces, and the state it reads (the load, the sessions)."""

    max_upload: int
    token: str | None
    hosts: Hosts = Hosts(_LOOPBACK_NAMES)
    max_checks: int = 16  # checks queued, running or arriving
    max_arriving: int = 0  # bytes of bodies arriving at once (0: four uploads)
    max_stored: int = 0  # bytes of uploads on disk (0: eight uploads)
    load: Load = field(default_factory=Load)
    sessions: Sessions = field(default_factory=Sessions)

    @property
    def arriving_cap(self) -> int:
        return self.max_arriving or 4 * self.max_upload

    @property
    def stored_cap(self) -> int:
        return self.max_stored or 8 * self.max_upload


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

        refused = self._refusal(request) or self._overloaded(request)
        if refused is not None:
            await refused(scope, receive, send_safely)
            return
        load, size, is_check = self.settings.load, self._size(request), request.url.path in _CHECK_PATHS
        load.arriving += size
        load.admitting += is_check
        try:
            await self.app(scope, limited.receive, send_safely)
        except _TooLarge:
            if started:
                raise
            await limited.drain()
            await self._too_large(request)(scope, receive, send_safely)
        finally:
            load.arriving -= size
            load.admitting -= is_check

    def _refusal(self, request: Request) -> Response | None:
        """The answer to a request refused before it reaches a route, or None."""
        if not self.settings.hosts.allow(request.headers.get("host")):
            status = 400 if "host" not in request.headers else 421
            return self.error_page(
                request, status, "请求的主机名不是本服务的地址（防止 DNS 重绑定；其他名称用 --name 给出）"
            )
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

    def _size(self, request: Request) -> int:
        """The bytes a request's body may bring: as declared, or the upload limit when not declared."""
        if request.method not in _UNSAFE:
            return 0
        declared = request.headers.get("content-length", "")
        return int(declared) if declared.isdigit() else self.settings.max_upload

    def _overloaded(self, request: Request) -> Response | None:
        """429 for a check when the queue is full; 503 for an upload past the bytes arriving or stored."""
        settings, load = self.settings, self.settings.load
        is_check = request.method == "POST" and request.url.path in _CHECK_PATHS
        if is_check and load.pooled() + load.admitting >= settings.max_checks:
            return _later(self.error_page(request, 429, "等待核对的文件已满，请稍后再提交"))
        size = self._size(request)
        if size and (load.arriving + size > settings.arriving_cap or load.stored + size > settings.stored_cap):
            return _later(self.error_page(request, 503, "服务器正在接收或保存的上传已达上限，请稍后再提交"))
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
            return SESSION_COOKIE in cookie and self.settings.sessions.valid(cookie[SESSION_COOKIE].value)
        return secrets.compare_digest(given.encode("utf-8"), token.encode("utf-8"))


def _later(response: Response) -> Response:
    response.headers["retry-after"] = str(RETRY_SECONDS)
    return response


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
