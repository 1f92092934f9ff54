"""The pages, in Simplified Chinese: 核对 (the form), a check's report, 核对记录, 文献库, and the API's description."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import anyio.to_thread
from fastapi import APIRouter, Form, Query
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from yuanwen.library import Added
from yuanwen.model import SEVERITIES
from yuanwen.review import KIND_NAMES, SEVERITY_NAMES
from yuanwen.web import texts
from yuanwen.web.checks import Checks
from yuanwen.web.guard import SESSION_COOKIE, Sessions
from yuanwen.web.records import MARKS, Output, Record
from yuanwen.web.uploads import PASTED_SOURCE, UploadError, check_uploads, form_upload
from yuanwen.web.views import Settings, templates
from yuanwen.web.worker import Upload

router = APIRouter(include_in_schema=False)
_INLINE = re.compile(r"<(style|script)>(.*?)</\1>", re.DOTALL)
DOWNLOADS = {"html": "网页报告", "docx": "Word 修订报告", "fixed": "改正后的文件", "json": "JSON 报告"}


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def sessions_of(request: Request) -> Sessions:
    sessions: Sessions = request.app.state.sessions
    return sessions


def checks_of(request: Request) -> Checks:
    checks: Checks = request.app.state.checks
    return checks


async def uploads_of(request: Request) -> tuple[Upload, Upload | None]:
    """The reprint and source a check request brings, saved in the server's private folder."""
    return await check_uploads(request, checks_of(request).folder, settings_of(request).max_upload)


async def add_from_form(request: Request) -> Added:
    """Store the text uploaded in a form's `file` field, with its title, date and publisher."""
    settings, folder = settings_of(request), checks_of(request).folder
    async with request.form(max_files=1, max_fields=8, max_part_size=settings.max_upload) as fields:
        upload = await form_upload(folder, fields, "file", PASTED_SOURCE)
        title, day, publisher = (str(fields.get(name) or "") for name in ("title", "date", "publisher"))
    if upload is None:
        raise UploadError("请选择要加入文献库的原文文件（file）")
    try:
        return await anyio.to_thread.run_sync(texts.add, settings.library, upload, title, day, publisher)
    finally:
        folder.discard(upload)


def _page(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    context |= {"severities": SEVERITIES, "severity_names": SEVERITY_NAMES}
    return templates.TemplateResponse(request, template, context, status_code=status)


@router.get("/")
async def form(request: Request) -> Response:
    return _page(request, "check.html", busy=checks_of(request).pool.busy)


@router.post("/checks")
async def submit(request: Request) -> Response:
    """Start a check; a form missing what a check needs comes back with the reason above it."""
    try:
        uploads = await uploads_of(request)
    except UploadError as error:
        return _page(request, "check.html", 400, busy=checks_of(request).pool.busy, problem=str(error))
    check_id = await checks_of(request).submit(*uploads)
    return RedirectResponse(f"/checks/{check_id}", status_code=303)


@dataclass(frozen=True)
class Entry:
    """An entry of the findings panel: a group of the unmarked report, its mark, and its number in the shown report."""

    severity: str
    badge: str
    label: str
    findings: str
    mark: str | None
    shown: int | None


@router.get("/checks/{check_id}")
async def report(request: Request, check_id: str) -> Response:
    record = await _record(request, check_id)
    position = checks_of(request).position(check_id) if record.status == "queued" else None
    status = 422 if record.status == "failed" else 200
    panel, verdict = await _panel(request, record)
    context = {"record": record, "position": position, "downloads": DOWNLOADS, "panel": panel, "verdict": verdict}
    return _page(request, "report.html", status, marks=MARKS, **context)


async def _panel(request: Request, record: Record) -> tuple[list[Entry], str | None]:
    """The findings list worst first with the editor's marks, and the verdict, from the unmarked report."""
    if record.status != "done":
        return [], None
    output = await _output(request, record.id, "review")
    marks = await anyio.to_thread.run_sync(checks_of(request).records.marks, record.id)
    review = json.loads(output.data)
    marked = sorted(marks)
    entries = []
    for group in review["groups"]:
        first = group["findings"][0]
        shown = None if first in marks else first - sum(1 for i in marked if i < first)
        badge = f"{SEVERITY_NAMES[group['severity']]}·{KIND_NAMES[group['kind']]}"
        members = ",".join(map(str, group["findings"]))
        entries.append(Entry(group["severity"], badge, group["label"], members, marks.get(first), shown))
    return entries, str(review["verdict"])


@router.post("/checks/{check_id}/marks")
async def mark(request: Request, check_id: str, findings: str = Form(""), mark: str = Form("")) -> Response:
    """Mark an entry's findings ignored or done (or clear them), then render the exports again without them."""
    record = await _record(request, check_id)
    chosen = [int(i) for i in findings.split(",") if i.strip().isdigit()]
    if record.status != "done" or not chosen or mark not in (*MARKS, "clear"):
        raise HTTPException(400, "标记有误")
    records = checks_of(request).records
    await anyio.to_thread.run_sync(records.set_marks, check_id, chosen, None if mark == "clear" else mark)
    marked = frozenset(await anyio.to_thread.run_sync(records.marks, check_id))
    outcome = await checks_of(request).remark(check_id, marked)
    if outcome.error is not None:
        raise HTTPException(422, outcome.error)
    return RedirectResponse(f"/checks/{check_id}", status_code=303)


@router.get("/checks/{check_id}/report.html")
async def report_html(request: Request, check_id: str) -> Response:
    """The stored HTML report, under a policy that lets only its own style and script run."""
    page = await _output(request, check_id, "html")
    return Response(page.data, media_type=page.media, headers={"content-security-policy": _report_policy(page.data)})


@router.get("/checks/{check_id}/download/{kind}")
async def download(request: Request, check_id: str, kind: str) -> Response:
    if kind not in DOWNLOADS:
        raise HTTPException(404)
    output = await _output(request, check_id, kind)
    disposition = f"attachment; filename*=UTF-8''{quote(output.name)}"
    return Response(output.data, media_type=output.media, headers={"content-disposition": disposition})


@router.get("/checks/{check_id}/delete")
async def confirm_delete(request: Request, check_id: str) -> Response:
    return _page(request, "confirm-record.html", record=await _record(request, check_id))


@router.post("/checks/{check_id}/delete")
async def delete(request: Request, check_id: str) -> Response:
    if not await anyio.to_thread.run_sync(checks_of(request).records.delete, check_id):
        raise HTTPException(404)
    return RedirectResponse("/records", status_code=303)


@router.get("/records")
async def records(request: Request, q: str = "") -> Response:
    found = await anyio.to_thread.run_sync(checks_of(request).records.recent, 200, q)
    return _page(request, "records.html", records=found, q=q)


@router.get("/library")
async def library(request: Request, q: str = "", page: int = Query(1, ge=1, le=texts.MAX_PAGE)) -> Response:
    offset = (page - 1) * texts.PAGE_SIZE
    listing = await anyio.to_thread.run_sync(texts.listing, settings_of(request).library, q, offset)
    pages = max(1, -(-listing.total // texts.PAGE_SIZE))
    return _page(request, "library.html", listing=listing, q=q, page=page, pages=pages)


@router.post("/library")
async def add_text(request: Request) -> Response:
    added = await add_from_form(request)
    entry = await anyio.to_thread.run_sync(texts.entry, settings_of(request).library, added.id)
    title = quote(entry.metadata.title or added.id)
    return RedirectResponse(f"/library?added={title}&new={int(added.new)}&id={added.id}", status_code=303)


@router.get("/library/{text_id}")
async def text_page(request: Request, text_id: str) -> Response:
    """One text of the library: what the library says about it (editable), and the text itself."""
    entry, text = await anyio.to_thread.run_sync(texts.opened, settings_of(request).library, text_id)
    return _page(request, "text.html", entry=entry, text=text)


@router.post("/library/{text_id}")
async def describe_text(
    request: Request, text_id: str, title: str = Form(""), date: str = Form(""), publisher: str = Form("")
) -> Response:
    path = settings_of(request).library
    entry = await anyio.to_thread.run_sync(texts.describe, path, text_id, title, date, publisher)
    return RedirectResponse(f"/library/{entry.id}?saved=1", status_code=303)


@router.get("/library/{text_id}/remove")
async def confirm_remove(request: Request, text_id: str) -> Response:
    entry = await anyio.to_thread.run_sync(texts.entry, settings_of(request).library, text_id)
    return _page(request, "confirm.html", entry=entry)


@router.post("/library/{text_id}/remove")
async def remove_text(request: Request, text_id: str) -> Response:
    entry = await anyio.to_thread.run_sync(texts.remove, settings_of(request).library, text_id)
    return RedirectResponse(f"/library?removed={quote(entry.metadata.title or entry.id)}", status_code=303)


@router.get("/docs")
async def docs(request: Request) -> Response:
    """The OpenAPI description as a page of its own: Swagger UI would load from the network and run inline script."""
    return _page(request, "docs.html", api=request.app.openapi())


@router.get("/login")
async def login(request: Request, next: str = "/") -> Response:
    return _page(request, "login.html", next=_local(next))


@router.post("/login")
async def log_in(request: Request, token: str = Form(""), next: str = Form("/")) -> Response:
    """The token compared in constant time; a session id in the cookie; repeated wrong tokens slowed down."""
    expected, sessions = settings_of(request).token, sessions_of(request)
    if expected is None or not secrets.compare_digest(token.strip().encode("utf-8"), expected.encode("utf-8")):
        await sessions.wrong(request.client.host if request.client else "")
        return _page(request, "login.html", 401, next=_local(next), wrong=True)
    response = RedirectResponse(_local(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, sessions.new(), httponly=True, samesite="strict")
    return response


async def _record(request: Request, check_id: str) -> Record:
    record = await anyio.to_thread.run_sync(checks_of(request).records.get, check_id)
    if record is None:
        raise HTTPException(404)
    return record


async def _output(request: Request, check_id: str, kind: str) -> Output:
    output = await anyio.to_thread.run_sync(checks_of(request).records.output, check_id, kind)
    if output is None:
        raise HTTPException(404)
    return output


def _local(path: str) -> str:
    """A path on this server to go back to after logging in; anything else goes home."""
    return path if path.startswith("/") and not path.startswith("//") else "/"


def _report_policy(page: bytes) -> str:
    """Only the inline style and script the report was rendered with may apply: user text is escaped, so
    every <style> and <script> in it is the report's own."""
    allowed: dict[str, list[str]] = {"style": [], "script": []}
    for tag, body in _INLINE.findall(page.decode("utf-8")):
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
        allowed[tag].append(f"'sha256-{digest}'")
    style, script = (" ".join(allowed[tag]) or "'none'" for tag in ("style", "script"))
    return (
        f"default-src 'none'; style-src {style}; script-src {script}; "
        "frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
    )
