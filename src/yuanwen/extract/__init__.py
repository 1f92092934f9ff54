"""Readers that turn a file into a Document: its text as read, with page or paragraph anchors.

The format comes from the bytes (`sniff`), not the name: a PDF saved as .txt is read as a PDF, a
web page saved as .doc as a web page. The name only decides between Markdown and plain text,
which bytes cannot tell apart. Each reader imports its library when called, so reading a .txt
file stays fast.
"""

from __future__ import annotations

import io
import os
import stat
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from yuanwen.errors import InputError
from yuanwen.extract.sniff import claimed_error, looks_like_html, sniff
from yuanwen.extract.text import decode_text, read_text_document
from yuanwen.model import Document

# A 100 MB reprint is a whole archive, not one text; refusing it early keeps memory bounded.
MAX_BYTES = 64 * 1024 * 1024
# Photos of a booklet's pages given one by one weigh 3-5 MB each: this holds 50 and more.
MAX_PAGES_BYTES = 4 * MAX_BYTES
MARKDOWN_SUFFIXES = (".md", ".markdown")
# The name that reads standard input, given explicitly: a pipe or device under any other name is refused.
STDIN = "-"


def read_document(path: Path) -> Document:
    """Read a reprint or source file of any supported format (`-`: standard input)."""
    data = read_input(path)
    return read_bytes(data, str(path))


def read_pages(paths: Sequence[Path]) -> Document:
    """One document from several files: a single file of any format, or images of its pages in order."""
    if len(paths) == 1:
        return read_document(paths[0])
    files: list[tuple[bytes, str]] = []
    for path in paths:
        data = read_input(path)
        if sniff(data, str(path)) != "image":
            raise InputError(f"给出多个文件时，每个都须是页面图片（PNG、JPEG、TIFF）：{path}")
        files.append((data, str(path)))
        if sum(len(data) for data, _ in files) > MAX_PAGES_BYTES:
            raise InputError(f"页面图片合计过大（上限 {MAX_PAGES_BYTES // (1024 * 1024)} MB）：{path}")
    from yuanwen.extract.images import read_image_document

    return read_image_document(files, "、".join(name for _, name in files))


def files_in(paths: Sequence[Path]) -> list[Path]:
    """The files under the paths given: each file, and every file under each folder, hidden ones left out."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.exists():
            found.append(path)
        else:
            raise InputError(f"找不到文件或文件夹：{path}")
    return found


def read_each(paths: Iterable[Path]) -> Iterator[tuple[Path, Document | str]]:
    """Each file read, lazily, or the one line that says why it cannot be: one odd file never ends a batch."""
    for path in paths:
        try:
            yield path, read_document(path)
        except InputError as error:
            yield path, str(error)
        except Exception as error:  # a reader's own failure on one odd file must not end a whole import
            yield path, reader_failure(str(path), error)


def reader_failure(name: str, error: Exception) -> str:
    """The one line for a reader's own failure (not an InputError) on one odd file."""
    return f"无法读取文件：{name}（{type(error).__name__}：{' '.join(str(error).split())}）"


def read_bytes(data: bytes, name: str) -> Document:
    """Read a file's bytes; `name` gives the suffix and the name the messages and the Document show."""
    kind = sniff(data, name) if data else "text"
    if kind == "pdf":
        from yuanwen.extract.pdf import read_pdf_document

        return read_pdf_document(data, name)
    if kind in ("docx", "office"):
        from yuanwen.extract.docx import read_docx_document
        from yuanwen.extract.office import convert_to_docx

        return read_docx_document(data if kind == "docx" else convert_to_docx(data, name), name)
    if kind == "ofd":
        from yuanwen.extract.ofd import read_ofd_document

        return read_ofd_document(data, name)
    if kind == "image":
        from yuanwen.extract.images import read_image_document

        return read_image_document([(data, name)], name)
    return _read_text_kind(data, name)


def _read_text_kind(data: bytes, name: str) -> Document:
    suffix = Path(name).suffix.lower()
    try:
        text = decode_text(data, name)
    except InputError as error:
        claimed = claimed_error(suffix)
        if claimed and data:
            raise InputError(f"{claimed}：{name}") from error
        raise
    if looks_like_html(text, suffix):
        from yuanwen.extract.html import read_html_document

        return read_html_document(text, name)
    if claimed_error(suffix):
        raise InputError(f"{claimed_error(suffix)}：{name}")
    if suffix in MARKDOWN_SUFFIXES:
        from yuanwen.extract.markdown import read_markdown_document

        return read_markdown_document(text, name)
    return read_text_document(data, name)


def read_input(path: Path, limit: int | None = None) -> bytes:
    """A file's bytes, at most `limit` (MAX_BYTES) of them; `-` is standard input, the one stream read."""
    limit = MAX_BYTES if limit is None else limit
    if str(path) == STDIN:
        return _bounded(sys.stdin.buffer, path, limit)
    try:
        # O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever, before fstat could refuse it.
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError as error:
        raise InputError(f"找不到文件：{path}") from error
    except IsADirectoryError as error:
        raise InputError(f"这是一个文件夹，不是文件：{path}") from error
    except OSError as error:
        raise InputError(f"无法读取文件：{path}（{error.strerror}）") from error
    try:
        _require_regular(os.fstat(handle).st_mode, path)
        stream = os.fdopen(handle, "rb")
    except BaseException:
        os.close(handle)
        raise
    with stream:
        return _bounded(stream, path, limit)


def _require_regular(mode: int, path: Path) -> None:
    if stat.S_ISDIR(mode):
        raise InputError(f"这是一个文件夹，不是文件：{path}")
    if not stat.S_ISREG(mode):
        raise InputError(f"不是普通文件（设备或管道；从标准输入读取请写 -）：{path}")


def _bounded(stream: BinaryIO, path: Path, limit: int) -> bytes:
    """The stream's bytes, reading one past the cap whatever size it reports (a file may grow while read)."""
    try:
        if _reported_size(stream) > limit:  # refused without reading it
            raise _too_large(path, limit)
        data = stream.read(limit + 1)
    except OSError as error:
        raise InputError(f"无法读取文件：{path}（{error.strerror}）") from error
    if len(data) > limit:
        raise _too_large(path, limit)
    return data


def _reported_size(stream: BinaryIO) -> int:
    """The size the system reports (0 for a pipe, or a stream that is no file, as in tests)."""
    try:
        return os.fstat(stream.fileno()).st_size
    except (OSError, ValueError, io.UnsupportedOperation):
        return 0


def _too_large(path: Path, limit: int) -> InputError:
    return InputError(f"文件过大（超过上限 {limit / (1024 * 1024):g} MB）：{path}")
