"""Tell a file's format from its bytes, not from its name: reprints arrive misnamed."""

from __future__ import annotations

import io
from typing import Literal

from yuanwen.errors import InputError

Kind = Literal["pdf", "docx", "office", "ofd", "image", "text"]

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .wps (and .xls, .ppt)
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_ODF_TEXT = b"application/vnd.oasis.opendocument.text"
_IMAGES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")  # PNG, JPEG, TIFF (both byte orders)
# The PDF header may follow up to 1 KB of junk (the format allows it, and mailers add it).
_PDF_HEADER_WINDOW = 1024
# Formats whose name promises binary content; text under such a name is a wrong or broken file.
_CLAIMS = {
    ".pdf": "不是有效的 PDF 文件（缺少 %PDF 文件头）",
    ".docx": "不是有效的 Word 文档（.docx 应为 zip 格式）",
    ".doc": "不是有效的 Word 文档",
    ".wps": "不是有效的 WPS 文档",
    ".odt": "不是有效的 ODT 文档（应为 zip 格式）",
    ".ofd": "不是有效的 OFD 文档（应为 zip 格式）",
    ".png": "不是有效的 PNG 图片",
    ".jpg": "不是有效的 JPEG 图片",
    ".jpeg": "不是有效的 JPEG 图片",
    ".tif": "不是有效的 TIFF 图片",
    ".tiff": "不是有效的 TIFF 图片",
}


def sniff(data: bytes, name: str) -> Kind:
    """The kind of reader the bytes need: pdf, docx, office (LibreOffice converts it), ofd, image or text."""
    if b"%PDF-" in data[:_PDF_HEADER_WINDOW]:
        return "pdf"
    if data.startswith(_ZIP):
        return _zip_kind(data, name)
    if data.startswith(_IMAGES):
        return "image"
    if data.startswith(_OLE2) or data.startswith(b"{\\rtf"):
        return "office"
    return "text"


def claimed_error(suffix: str) -> str | None:
    """What to say when a file named like a binary format holds something else."""
    return _CLAIMS.get(suffix.lower())


def looks_like_html(text: str, suffix: str) -> bool:
    """True for a web page: a doctype or <html> near the start, or markup under an .html name."""
    head = text.lstrip("\ufeff \t\r\n")[:1024].lower()
    if head.startswith(("<!doctype html", "<html")) or "<html" in head:
        return True
    return suffix.lower() in (".html", ".htm", ".xhtml", ".shtml") and head.startswith("<")


def _zip_kind(data: bytes, name: str) -> Kind:
    import zipfile  # here, not for every text file read (with what it imports, 3 ms of a check's start)

    from yuanwen.extract.zipcheck import checked_zip

    checked_zip(data, name)  # before any member is read whole
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
            if "word/document.xml" in names or b"wordprocessingml.document" in types:
                return "docx"
            if "mimetype" in names and archive.read("mimetype").startswith(_ODF_TEXT):
                return "office"
            if "OFD.xml" in names:
                return "ofd"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
        raise InputError(f"文件已损坏（zip 结构无法读取，Word 与 OFD 文档须为完整的文件）：{name}") from error
    raise InputError(f"不支持的压缩文件（只支持 .docx、.odt 与 .ofd 文档）：{name}")
