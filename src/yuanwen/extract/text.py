"""Plain text: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK; Big5 and BOM-less UTF-16 named, not read."""

from __future__ import annotations

import codecs
import re

from yuanwen.errors import InputError
from yuanwen.model import Document

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters other than tab, newline, carriage return and form feed do not occur in
# text, and one ESC or BEL reaching a terminal in a report is one too many: any one refuses the file.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Share of Chinese characters outside GB2312 above which GB18030 bytes are really Big5: real
# Simplified text has almost none (the corpus: at most 0.01%); the example reprint in Big5 read as GB18030: 56%.
_RARE_SHARE = 0.2


def decode_text(data: bytes, name: str) -> str:
    """Decode a text file's bytes, or explain in one line why they are not text."""
    text = _decode(data, name)
    if not text.strip():
        raise InputError(f"文件是空的：{name}")
    if _CONTROL.search(text):
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
        if _is_utf16(data):
            raise InputError(f"文件是没有 BOM 的 UTF-16 编码，请另存为 UTF-8：{name}")
        raise InputError(f"不是文本文件（含空字节，可能是二进制文件）：{name}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_chinese(data, name)


def _decode_chinese(data: bytes, name: str) -> str:
    """GB18030, which accepts almost any bytes, so Big5 would pass as nonsense: told apart by its characters."""
    try:
        text: str | None = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if (text is None or _looks_big5(text)) and _decodes(data, "big5"):
        raise InputError(f"文件是繁体 Big5 编码（不支持），请另存为 UTF-8：{name}")
    if text is None:
        raise InputError(f"无法识别文件编码（支持 UTF-8、UTF-16、GB18030）：{name}")
    return text


def _is_utf16(data: bytes) -> bool:
    """BOM-less UTF-16: it decodes, and its text has no control characters (a binary file has many)."""
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data[: len(data) // 2 * 2].decode(encoding)
        except UnicodeDecodeError:
            continue
        if text.strip() and not _CONTROL.search(text):
            return True
    return False


def _looks_big5(text: str) -> bool:
    """Chinese characters that GB2312 lacks, in the share Big5 bytes read as GB18030 give."""
    chinese = [ch for ch in text[:65536] if "\u4e00" <= ch <= "\u9fff"]
    rare = sum(1 for ch in chinese if not _in_gb2312(ch))
    return bool(chinese) and rare / len(chinese) > _RARE_SHARE


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True
