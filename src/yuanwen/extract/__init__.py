"""Readers that turn a file into a Document: its text as read, with page or paragraph anchors."""

from __future__ import annotations

from pathlib import Path

from yuanwen.errors import InputError
from yuanwen.extract.text import read_text_document
from yuanwen.model import Document

# A 100 MB reprint is a whole archive, not one text; refusing it early keeps memory bounded.
MAX_BYTES = 64 * 1024 * 1024


def read_document(path: Path) -> Document:
    """Read a reprint or source file of any supported format."""
    data = _read_bytes(path)
    return read_text_document(data, str(path))


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise InputError(f"找不到文件：{path}")
    if path.is_dir():
        raise InputError(f"这是一个文件夹，不是文件：{path}")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(f"文件过大（{size // (1024 * 1024)} MB，上限 {MAX_BYTES // (1024 * 1024)} MB）：{path}")
    try:
        return path.read_bytes()
    except OSError as error:
        raise InputError(f"无法读取文件：{path}（{error.strerror}）") from error
