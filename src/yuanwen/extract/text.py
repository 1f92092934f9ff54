"""Plain text: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK."""

from __future__ import annotations

import codecs

from yuanwen.errors import InputError
from yuanwen.model import Document

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters other than tab, newline, carriage return and form feed do not occur in
# text; a few per mille is what a binary file decoded by accident looks like.
_CONTROL = frozenset(chr(c) for c in range(32) if chr(c) not in "\t\n\r\f")


def decode_text(data: bytes, name: str) -> str:
    """Decode a text file's bytes, or explain in one line why they are not text."""
    text = _decode(data, name)
    if not text.strip():
        raise InputError(f"文件是空的：{name}")
    if any(ch in _CONTROL for ch in text[:65536]):
        raise InputError(f"不是文本文件（含控制字符，可能是二进制文件）：{name}")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text_document(data: bytes, name: str) -> Document:
    """A .txt file as a Document."""
    return Document(path=name, format="txt", text=decode_text(data, name))


def _decode(data: bytes, name: str) -> str:
    if not data:
        raise InputError(f"文件是空的：{name}")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                raise InputError(f"文件编码有误（{encoding}）：{name}") from error
    if b"\x00" in data:
        raise InputError(f"不是文本文件（含空字节，可能是二进制文件）：{name}")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"无法识别文件编码（支持 UTF-8、UTF-16、GB18030）：{name}")
