"""OFD (GB/T 33190, the national fixed-layout format) → Document: each page's text objects in reading order.

An OFD is a zip of XML: `OFD.xml` names the document's `Document.xml`, which lists the pages; each
page's content holds `TextObject`s, each with `TextCode`s placed in millimetres. The XML is read
with lxml; PyPI's OFD packages either pull in AGPL code (easyofd needs PyMuPDF) or do less.

1. read `OFD.xml`, the first document's `Document.xml` and its pages, each member size-capped;
2. place every text code at its baseline, and join codes on one baseline, left to right, into lines;
3. leave out page numbers and running headers and footers, as for a PDF (`scan.assemble`).
Template pages (the layout shared by many pages) are not read: what they print is page furniture.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from yuanwen.errors import InputError
from yuanwen.extract.pages import Line, require_pages
from yuanwen.extract.scan import assemble
from yuanwen.model import Document

# No part of a real OFD comes near these: a page's content is tens of kilobytes, a whole
# document's XML a few megabytes. A part that unpacks to more is a zip bomb.
MAX_PART_BYTES = 16 * 1024 * 1024
MAX_TOTAL_BYTES = 64 * 1024 * 1024
_POINTS_PER_MM = 72 / 25.4
# Text codes whose baselines are closer than this share of the type size are one printed line.
_SAME_LINE = 0.5
# A gap wider than this share of the type size between two codes on a line is a space.
_SPACE_GAP = 0.3


@dataclass(frozen=True)
class _Code:
    """A run of text placed on a page: its baseline and left edge in millimetres, and type size."""

    y: float
    x: float
    size: float
    text: str
    end: float


def read_ofd_document(data: bytes, name: str) -> Document:
    """The text of an OFD document, one Anchor per page."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = _Parts(archive, name)
            pages = [_page_lines(parts.xml(page)) for page in _page_paths(parts)]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
        raise InputError(f"OFD 文档已损坏（zip 结构无法读取）：{name}") from error
    document = assemble(pages, name, "ofd")
    if not document.text.strip():
        raise InputError(f"OFD 文档中没有文字（可能是扫描件）：{name}")
    return document


class _Parts:
    """The XML parts of an OFD, each read within the size caps."""

    def __init__(self, archive: zipfile.ZipFile, name: str) -> None:
        self._archive, self.name = archive, name
        self._budget = MAX_TOTAL_BYTES

    def xml(self, path: str) -> Any:
        from lxml import etree

        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        try:
            return etree.fromstring(self._read(path), parser)
        except etree.XMLSyntaxError as error:
            raise InputError(f"OFD 文档的 {path} 不是有效的 XML：{self.name}") from error

    def _read(self, path: str) -> bytes:
        data = read_member(self._archive, path, min(MAX_PART_BYTES, self._budget), self.name)
        self._budget -= len(data)
        return data


def read_member(archive: zipfile.ZipFile, path: str, limit: int, name: str) -> bytes:
    """One member of a zip, refused when missing or when it unpacks to more than `limit` bytes.

    The size a zip declares may lie, so the reading itself stops one byte past the limit."""
    try:
        with archive.open(path) as member:
            data = member.read(limit + 1)
    except KeyError as error:
        raise InputError(f"OFD 文档缺少 {path}：{name}") from error
    if len(data) > limit:
        raise InputError(f"OFD 文档的 {path} 解压后过大（可能是压缩炸弹）：{name}")
    return data


def _page_paths(parts: _Parts) -> list[str]:
    """The content parts of the first document's pages, in order."""
    root = _child_text(parts.xml("OFD.xml"), "DocRoot")
    if root is None:
        raise InputError(f"OFD 文档缺少 DocRoot（OFD.xml 不完整）：{parts.name}")
    document_path = _resolve("", root)
    document = parts.xml(document_path)
    pages = [el.get("BaseLoc") for el in _elements(document, "Page") if el.get("BaseLoc")]
    require_pages(len(pages), parts.name)
    return [_resolve(posixpath.dirname(document_path), page) for page in pages]


def _page_lines(page: Any) -> list[Line]:
    """A page's printed lines, top to bottom, each at its baseline in points."""
    rows: list[list[_Code]] = []
    for code in sorted(_codes(page), key=lambda c: (c.y, c.x)):
        if rows and abs(code.y - rows[-1][0].y) < _SAME_LINE * max(code.size, rows[-1][0].size):
            rows[-1].append(code)
        else:
            rows.append([code])
    return [Line(_row_text(row), row[0].y * _POINTS_PER_MM) for row in rows]


def _row_text(row: list[_Code]) -> str:
    text = ""
    previous: _Code | None = None
    for code in sorted(row, key=lambda c: c.x):
        if previous is not None and code.x - previous.end > _SPACE_GAP * code.size:
            text += " "
        text += code.text
        previous = code
    return text


def _codes(page: Any) -> Iterator[_Code]:
    """Every text code of the page's content, placed on the page."""
    for obj in _elements(page, "TextObject"):
        box = _numbers(obj.get("Boundary"), 4)
        size = _numbers(obj.get("Size"), 1)[0] or 3.5
        x = y = 0.0
        for code in _elements(obj, "TextCode"):
            text = code.text or ""
            x = _number(code.get("X"), x)
            y = _number(code.get("Y"), y)
            if text.strip():
                yield _Code(box[1] + y, box[0] + x, size, text, box[0] + x + size * len(text))


def _elements(root: Any, local: str) -> Iterator[Any]:
    """Descendants with this local name, whatever their namespace prefix."""
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.rsplit("}", 1)[-1] == local:
            yield element


def _child_text(root: Any, local: str) -> str | None:
    found = next(_elements(root, local), None)
    return found.text.strip() if found is not None and found.text else None


def _resolve(base: str, location: str) -> str:
    """A location inside the zip: from its root when it starts with /, else from the referring part's folder."""
    joined = location.lstrip("/") if location.startswith("/") else posixpath.join(base, location)
    return posixpath.normpath(joined).lstrip("/")


def _numbers(value: str | None, count: int) -> list[float]:
    found = [_number(part, 0.0) for part in (value or "").split()]
    return (found + [0.0] * count)[:count]


def _number(value: str | None, default: float) -> float:
    try:
        return float(value) if value is not None else default
    except ValueError:
        return default
