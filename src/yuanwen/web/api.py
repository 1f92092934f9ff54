"""The HTTP API: a check answered at once or submitted and polled, and the library; described at /docs."""

from __future__ import annotations

from typing import Any

import anyio.to_thread
from fastapi import APIRouter, Query
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from yuanwen.library import Entry
from yuanwen.web import texts
from yuanwen.web.pages import DOWNLOADS, add_from_form, checks_of, settings_of, uploads_of
from yuanwen.web.records import Record
from yuanwen.web.views import error_page

router = APIRouter(prefix="/api")

# How a check request's body may come: the schema shown at /docs.
_CHECK_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["reprint"],
                    "properties": {
                        "reprint": {"type": "string", "format": "binary", "description": "转载稿文件"},
                        "source": {"type": "string", "format": "binary", "description": "原文文件；缺省时查文献库"},
                    },
                }
            },
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["reprint"],
                    "properties": {
                        "reprint": {"type": "string", "description": "转载稿的文字"},
                        "reprint_name": {"type": "string", "description": "转载稿的名称（报告中显示）"},
                        "source": {"type": "string", "nullable": True, "description": "原文的文字；null 时查文献库"},
                        "source_name": {"type": "string", "description": "原文的名称"},
                    },
                }
            },
        },
    }
}
_LIBRARY_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary", "description": "原文文件"},
                        "title": {"type": "string"},
                        "date": {"type": "string", "description": "YYYY-MM-DD"},
                        "publisher": {"type": "string"},
                    },
                }
            }
        },
    }
}


@router.post(
    "/check",
    summary="核对并等待结果",
    description="回答 JSON 报告（yuanwen.report/1），与 `yuanwen check --format json` 逐字节相同；"
    "报告中没有原文即文献库中找不到。文件无法读取或核对：422；超时：503。",
    openapi_extra=_CHECK_BODY,
)
async def check_now(request: Request) -> Response:
    """The report's JSON, byte for byte what `yuanwen check --format json` prints."""
    outcome = await checks_of(request).run(*await uploads_of(request))
    if outcome.json is None:
        return error_page(request, 503 if outcome.timed_out else 422, outcome.error or "")
    return Response(outcome.json, media_type="application/json")


@router.post(
    "/checks",
    summary="提交核对，稍后查询",
    description="立即回答 202 和核对编号；核对在队列中等待空闲的核对进程，用 GET /api/checks/{id} 查询。",
    status_code=202,
    openapi_extra=_CHECK_BODY,
)
async def check_later(request: Request) -> Response:
    """The new check's id at once; it waits in the queue for a free worker."""
    check_id = await checks_of(request).submit(*await uploads_of(request))
    return JSONResponse({"id": check_id, "status": "queued", "url": f"/api/checks/{check_id}"}, status_code=202)


@router.get(
    "/checks/{check_id}",
    summary="查询核对",
    description="status：queued（position 为排队位次，0 表示正在核对）、"
    "done（report 为 JSON 报告，downloads 为下载地址）或 failed（error 为原因）。",
)
async def check_state(request: Request, check_id: str) -> dict[str, Any]:
    """A check's state, with its place in the queue or its report."""
    record = await anyio.to_thread.run_sync(checks_of(request).records.get, check_id)
    if record is None:
        raise HTTPException(404)
    state = _state(record)
    if record.status == "queued":
        state["position"] = checks_of(request).position(check_id)
    if record.status == "done":
        output = await anyio.to_thread.run_sync(checks_of(request).records.output, check_id, "json")
        state["report"] = None if output is None else _json(output.data)
    return state


@router.get(
    "/library",
    summary="列出或搜索文献库",
    description="从 offset 起列出原文；给出 q 时列出含有该词的原文；total 为总数（exact 为 false 时是估计数）。",
)
async def library(
    request: Request, q: str = "", offset: int = Query(0, ge=0, le=texts.MAX_OFFSET), limit: int = texts.PAGE_SIZE
) -> dict[str, Any]:
    """The texts from `offset` on, or with `q` those holding the keyword; `total` counts them all."""
    path = settings_of(request).library
    found = await anyio.to_thread.run_sync(texts.listing, path, q, offset, min(max(limit, 1), 1000))
    return {"total": found.total, "exact": found.exact, "texts": [_entry(e) for e in found.entries]}


@router.post(
    "/library",
    summary="加入文献库",
    description="回答原文编号 id 和 new（false：库中已有同一原文，回答 200）。",
    status_code=201,
    openapi_extra=_LIBRARY_BODY,
)
async def add_text(request: Request) -> JSONResponse:
    """The text's id, and whether it is new (false: the same text was in the library already)."""
    added = await add_from_form(request)
    return JSONResponse({"id": added.id, "new": added.new}, status_code=201 if added.new else 200)


@router.delete("/library/{text_id}", summary="从文献库删除", description="回答被删除原文的信息。")
async def remove_text(request: Request, text_id: str) -> dict[str, Any]:
    entry = await anyio.to_thread.run_sync(texts.remove, settings_of(request).library, text_id)
    return _entry(entry)


def _state(record: Record) -> dict[str, Any]:
    links = {kind: f"/checks/{record.id}/download/{kind}" for kind in DOWNLOADS if kind in record.outputs}
    return {
        "id": record.id,
        "status": record.status,
        "created": record.created,
        "reprint": record.reprint,
        "source": record.source,
        "sources": list(record.sources),
        "summary": record.summary,
        "error": record.error,
        "page": f"/checks/{record.id}",
        "downloads": links,
    }


def _entry(entry: Entry) -> dict[str, Any]:
    meta = entry.metadata
    return {
        "id": entry.id,
        "title": meta.title,
        "publisher": meta.publisher,
        "date": meta.date,
        "format": entry.format,
        "chars": entry.chars,
        "added": entry.added,
    }


def _json(data: bytes) -> Any:
    import json

    return json.loads(data)
