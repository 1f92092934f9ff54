"""What the pages and the API share: the server's settings, the templates and the error answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import jinja2
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.templating import Jinja2Templates

from yuanwen.web.guard import Hosts

_STATUS_NAMES = {
    400: "请求有误",
    401: "需要口令",
    403: "拒绝访问",
    404: "找不到",
    413: "文件过大",
    421: "拒绝访问",
    422: "无法核对",
    429: "请稍后再试",
    503: "请稍后再试",
}


@dataclass(frozen=True)
class Settings:
    """Everything `yuanwen serve` decides: the library file, the workers, the limits and the token."""

    library: Path
    workers: int
    time_limit: float
    max_upload: int
    hosts: Hosts  # the names a request's Host may give
    uploads: Path  # the upload folder, named by the server so that a restart finds what a crash left
    token: str | None = None


def _local_time(stamp: str) -> str:
    """An ISO time in UTC as the server's local time, to the minute."""
    return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")


templates = Jinja2Templates(
    env=jinja2.Environment(loader=jinja2.PackageLoader("yuanwen.web", "templates"), autoescape=True)
)
templates.env.filters["local_time"] = _local_time


def wants_json(request: Request) -> bool:
    return request.url.path.startswith(("/api/", "/openapi"))


def error_page(request: Request, status: int, message: str) -> Response:
    """A refusal or failure as the client expects it: {"error": ...} for the API, a page for a person."""
    if wants_json(request):
        return JSONResponse({"error": message}, status_code=status)
    context = {"status": status, "name": _STATUS_NAMES.get(status, "出错了"), "message": message}
    return templates.TemplateResponse(request, "error.html", context, status_code=status)
