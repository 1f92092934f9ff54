"""The web application: the app factory, its lifespan and the answers to errors (one line of Chinese, never a trace)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.staticfiles import StaticFiles

from yuanwen import __version__
from yuanwen.errors import YuanwenError
from yuanwen.web import api, booklets, pages
from yuanwen.web.checks import RESTARTED, Checks
from yuanwen.web.guard import Guard, GuardSettings
from yuanwen.web.pool import Pool
from yuanwen.web.records import Records
from yuanwen.web.uploads import Folder, UploadError
from yuanwen.web.views import Settings, error_page

log = logging.getLogger("yuanwen.web")


def create_app(settings: Settings) -> FastAPI:
    """The application; its lifespan starts the workers and opens the records."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        records = await anyio.to_thread.run_sync(Records, settings.library)
        abandoned = await anyio.to_thread.run_sync(records.abandon_unfinished, RESTARTED)
        if abandoned:
            log.warning("%d checks left unfinished by the last run are recorded as failed", abandoned)
        folder = Folder()
        pool = Pool(settings.workers, settings.library, settings.time_limit)
        app.state.checks = Checks(records, pool, folder)
        try:
            yield
        finally:
            await app.state.checks.close()
            await anyio.to_thread.run_sync(pool.close)
            folder.close()

    app = FastAPI(
        title="yuanwen（原文）核对接口",
        version=__version__,
        description="核对转载稿是否忠实于权威原文。",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.mount("/static", StaticFiles(packages=[("yuanwen.web", "static")]), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(booklets.router)
    app.add_middleware(Guard, settings=GuardSettings(settings.max_upload, settings.token), error_page=error_page)
    _handle_errors(app)
    return app


def _handle_errors(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        message = error.detail if error.status_code != 404 else "找不到这个页面或这条记录"
        return error_page(request, error.status_code, str(message))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        return error_page(request, 400, "请求的参数有误")

    @app.exception_handler(YuanwenError)
    async def unreadable(request: Request, error: YuanwenError) -> Response:
        return error_page(request, 422, str(error))

    @app.exception_handler(UploadError)
    async def incomplete(request: Request, error: UploadError) -> Response:
        return error_page(request, 400, str(error))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_page(request, 500, "服务器内部错误，详情见服务日志")
