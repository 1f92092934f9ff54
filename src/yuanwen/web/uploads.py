"""Uploads: kept in a private temporary folder under generated names, removed once their check ends.

A name that comes with a request is a label for reports and messages; no part of it but a short
alphanumeric suffix (which tells Markdown from text, .doc from .wps) reaches the file system.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import shutil
import tempfile
import unicodedata
from pathlib import Path
from typing import BinaryIO

import anyio.to_thread
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request

from yuanwen.web.guard import Load
from yuanwen.web.worker import Upload

_SUFFIX = re.compile(r"\.[0-9A-Za-z]{1,8}")
# Characters of a user's file name kept as its label.
_NAME_CHARS = 120
# Characters of a pasted text's first line that name it.
_PASTED_CHARS = 30
PASTED_REPRINT = "粘贴的转载稿.txt"
PASTED_SOURCE = "粘贴的原文.txt"


class UploadError(ValueError):
    """A request without what a check needs; one line of Chinese says what is missing."""


def upload_folder(host: str, port: int) -> Path:
    """The upload folder of the server on this address: the same after a restart, which removes what it holds."""
    digest = hashlib.sha256(f"{host}:{port}".encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"yuanwen-web-{os.getuid()}-{digest}"


class Folder:
    """The server's private upload folder (mode 0700): emptied at start, removed on close; its bytes counted."""

    def __init__(self, path: Path, load: Load) -> None:
        self.path, self._load = path, load
        if path.is_symlink():  # not ours to follow: another user's trap in the shared temporary folder
            path.unlink()
        elif path.exists():  # left by a server that was killed
            shutil.rmtree(path)
        path.mkdir(mode=0o700)
        load.stored = 0

    def save(self, data: BinaryIO | bytes, name: str) -> Upload:
        """Store an upload under a generated name, keeping only its suffix."""
        suffix = Path(name).suffix
        path = self.path / (secrets.token_hex(16) + (suffix.lower() if _SUFFIX.fullmatch(suffix) else ""))
        with path.open("xb") as out:
            if isinstance(data, bytes):
                out.write(data)
            else:
                shutil.copyfileobj(data, out)
            self._load.stored += out.tell()
        return Upload(str(path), name)

    def discard(self, *uploads: Upload | None) -> None:
        for upload in uploads:
            if upload is not None:
                with contextlib.suppress(FileNotFoundError):
                    size = Path(upload.path).stat().st_size
                    Path(upload.path).unlink()
                    self._load.stored -= size

    def close(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        self._load.stored = 0


def label(name: str | None, default: str) -> str:
    """A user's file name as a label: its last part, without control characters, not too long."""
    last = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(ch for ch in last if unicodedata.category(ch)[0] != "C").strip()
    return kept[-_NAME_CHARS:] or default


def pasted_name(text: str, default: str) -> str:
    """A pasted text's name: its first line, shortened, as a .txt file (the default when it has none)."""
    line = label(text.lstrip().split("\n", 1)[0], "")[:_PASTED_CHARS].strip()
    return f"{line}.txt" if line else default


async def form_upload(folder: Folder, form: FormData, field: str, default: str) -> Upload | None:
    """The file uploaded in `field`, else the text pasted in `field` or `field_text`; None when both are empty."""
    for value in (form.get(field), form.get(f"{field}_text")):
        if isinstance(value, UploadFile) and value.size:
            return await anyio.to_thread.run_sync(folder.save, value.file, label(value.filename, default))
        if isinstance(value, str) and value.strip():
            return await anyio.to_thread.run_sync(folder.save, value.encode("utf-8"), pasted_name(value, default))
    return None


async def text_upload(folder: Folder, text: object, name: object, default: str) -> Upload | None:
    """A text sent in a JSON request, or None when there is none."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    if not isinstance(text, str):
        raise UploadError("JSON 中的文字应为字符串")
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as error:  # a lone surrogate (\ud800), which JSON allows and UTF-8 cannot hold
        raise UploadError("JSON 中的文字含有无效的字符（单独的代理项）") from error
    named = label(str(name or ""), pasted_name(text, default))
    return await anyio.to_thread.run_sync(folder.save, data, named)


async def check_uploads(request: Request, folder: Folder, limit: int) -> tuple[Upload, Upload | None]:
    """The reprint and the source of a check request (a form, or JSON); no source: look in the library.

    A form's `source_mode` of "library" chooses the library; any other mode needs a source."""
    if request.headers.get("content-type", "").startswith("application/json"):
        return await _json_uploads(request, folder)
    try:
        async with request.form(max_files=4, max_fields=16, max_part_size=limit) as form:
            reprint = await form_upload(folder, form, "reprint", PASTED_REPRINT)
            if reprint is None:
                raise UploadError("请上传转载稿，或粘贴转载稿的文字")
            mode = form.get("source_mode")
            source = None if mode == "library" else await form_upload(folder, form, "source", PASTED_SOURCE)
    except HTTPException as error:
        raise UploadError(f"无法读取提交的表单：{error.detail}") from error
    if source is None and mode not in (None, "library"):
        folder.discard(reprint)
        raise UploadError("请上传或粘贴原文，或选择“在文献库中查找”")
    return reprint, source


async def _json_uploads(request: Request, folder: Folder) -> tuple[Upload, Upload | None]:
    """{"reprint": text, "reprint_name": name, "source": text or null, "source_name": name}."""
    try:
        body = await request.json()
    except (ValueError, RecursionError) as error:  # RecursionError: arrays or objects nested thousands deep
        raise UploadError("请求不是有效的 JSON（或嵌套过深）") from error
    if not isinstance(body, dict):
        raise UploadError('JSON 请求应为对象：{"reprint": 文字, "source": 文字或 null}')
    reprint = await text_upload(folder, body.get("reprint"), body.get("reprint_name"), PASTED_REPRINT)
    if reprint is None:
        raise UploadError("JSON 请求缺少转载稿的文字（reprint）")
    try:
        return reprint, await text_upload(folder, body.get("source"), body.get("source_name"), PASTED_SOURCE)
    except UploadError:
        folder.discard(reprint)
        raise
