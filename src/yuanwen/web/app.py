"""The web application: the app factory, its lifespan and the answers to errors (one line of Chinese, never a trace)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.staticfiles import StaticFiles

from yuanwen import __version__
from yuanwen.errors import YuanwenError
from yuanwen.web import api, booklets, pages
from yuanwen.web.checks import RESTARTED, Checks
from yuanwen.web.guard import Guard, GuardSettings, Load, Sessions
from yuanwen.web.pool import Pool
from yuanwen.web.records import Records
from yuanwen.web.uploads import Folder, UploadError
from yuanwen.web.views import Settings, error_page

log = logging.getLogger("yuanwen.web")
# Checks queued, running or being uploaded, per worker, before a new one gets 429: with 120 s a
# check at most, the last in a full queue waits some minutes; an editor's few checks never fill it.
QUEUE_PER_WORKER = 8


def create_app(settings: Settings) -> FastAPI:
    """The application; its lifespan starts the workers and opens the records."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        records = await anyio.to_thread.run_sync(Records, settings.library)
        abandoned = await anyio.to_thread.run_sync(records.abandon_unfinished, RESTARTED)
        if abandoned:
            log.warning("%d checks left unfinished by the last run are recorded as failed", abandoned)
        folder = Folder(settings.uploads, load)
        pool = Pool(settings.workers, settings.library, settings.time_limit)
        load.pooled = lambda: pool.busy
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
    load, sessions = Load(), Sessions()
    app.state.sessions = sessions
    guarding = GuardSettings(
        settings.max_upload,
        settings.token,
        settings.hosts,
        max_checks=QUEUE_PER_WORKER * settings.workers,
        load=load,
        sessions=sessions,
    )
    app.mount("/static", StaticFiles(packages=[("yuanwen.web", "static")]), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(booklets.router)
    app.add_middleware(Guard, settings=guarding, error_page=error_page)
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

    @app.exception_handler(ClientDisconnect)
    async def hung_up(request: Request, error: ClientDisconnect) -> Response:
        # Not the server's fault, and not worth a trace: one line, and an answer no one will read.
        log.warning("the client hung up before its request ended: %s %s", request.method, request.url.path)
        return Response(status_code=400)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_page(request, 500, "服务器内部错误，详情见服务日志")
