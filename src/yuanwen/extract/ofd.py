"""OFD (GB/T 33190, the national fixed-layout format) → Document: each page's text objects in reading order.

An OFD is a zip of XML: `OFD.xml` names the document's `Document.xml`, which lists the pages; each
page's content holds `TextObject`s, each with `TextCode`s placed in millimetres. The XML is read
with lxml; PyPI's OFD packages either pull in AGPL code (easyofd needs PyMuPDF) or do less.

1. read `OFD.xml`, the first document's `Document.xml`, its template pages, the composite graphic
   units of its resources, and its pages, each member size-capped;
2. place every character as the standard draws it (§8, §11): the text code's X and Y moved by
   DeltaX and DeltaY, through the object's CTM and boundary and those of every composite object and
   block around it; a page's template pages (forms, letterheads) are read with it, under its text;
3. join the characters into lines in the frame of the direction they run, top to bottom;
4. leave out page numbers and running headers and footers, as for a PDF (`scan.assemble`), and
   warn of characters in Unicode's private use area (a maker's own glyphs), which cannot be checked.
"""

from __future__ import annotations

import io
import math
import posixpath
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
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
# A gap wider than this share of the type size between two characters on a line is a space.
_SPACE_GAP = 0.3
# A DeltaX list longer than any text code's text is a list meant to exhaust memory.
_MAX_DELTAS = 100_000


# An affine transform (a, b, c, d, e, f): (x, y) → (a·x + c·y + e, b·x + d·y + f), as a CTM is written.
Transform = tuple[float, float, float, float, float, float]
_IDENTITY: Transform = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
# Objects nest (a composite unit holding a block holding a composite); deeper is a loop.
_MAX_DEPTH = 16
# Unicode's private use area: a maker's own glyphs, which no one can read as text.
_PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010fffd]")


@dataclass(frozen=True)
class _Glyph:
    """One character placed on a page: its origin in millimetres, the direction its line runs
    (degrees), and its type size and advance in millimetres."""

    x: float
    y: float
    angle: float
    size: float
    advance: float
    char: str
    # Printed by a template page (a form's own words), not by the page itself.
    template: bool = False


def read_ofd_document(data: bytes, name: str) -> Document:
    """The text of an OFD document, one Anchor per page."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = _Parts(archive, name)
            book = _book(parts)
            pages = [_page_lines(list(_page_glyphs(parts, book, path))) for path in book.pages]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
        raise InputError(f"OFD 文档已损坏（zip 结构无法读取）：{name}") from error
    document = assemble(pages, name, "ofd")
    if not document.text.strip():
        raise InputError(f"OFD 文档中没有文字（可能是扫描件）：{name}")
    private = len(_PRIVATE_USE.findall(document.text))
    if private:
        warning = f"文中有 {private} 个私用区字符（制作工具自造的字形，无法当作文字核对），请对照原件核实"
        document = replace(document, warnings=(*document.warnings, warning))
    return document


class _Parts:
    """The XML parts of an OFD, each read within the size caps."""

    def __init__(self, archive: zipfile.ZipFile, name: str) -> None:
        self._archive, self.name = archive, name
        self._names = set(archive.namelist())
        self._budget = MAX_TOTAL_BYTES

    def xml(self, path: str) -> Any:
        from lxml import etree

        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        try:
            return etree.fromstring(self._read(path), parser)
        except etree.XMLSyntaxError as error:
            raise InputError(f"OFD 文档的 {path} 不是有效的 XML：{self.name}") from error

    def has(self, path: str) -> bool:
        return path in self._names

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


@dataclass(frozen=True)
class _Book:
    """The first document of an OFD: its pages' content parts in order, its template pages and its
    composite graphic units by ID."""

    pages: list[str]
    templates: dict[str, str]
    units: dict[str, Any]


def _book(parts: _Parts) -> _Book:
    root = _child_text(parts.xml("OFD.xml"), "DocRoot")
    if root is None:
        raise InputError(f"OFD 文档缺少 DocRoot（OFD.xml 不完整）：{parts.name}")
    document_path = _resolve("", root)
    folder = posixpath.dirname(document_path)
    document = parts.xml(document_path)
    pages = [el.get("BaseLoc") for el in _elements(document, "Page") if el.get("BaseLoc")]
    require_pages(len(pages), parts.name)
    templates = {
        el.get("ID"): _resolve(folder, el.get("BaseLoc"))
        for el in _elements(document, "TemplatePage")
        if el.get("ID") and el.get("BaseLoc")
    }
    units: dict[str, Any] = {}
    for local in ("PublicRes", "DocumentRes"):
        for res in _elements(document, local):
            if res.text and res.text.strip() and parts.has(_resolve(folder, res.text.strip())):
                for unit in _elements(parts.xml(_resolve(folder, res.text.strip())), "CompositeGraphicUnit"):
                    units[unit.get("ID")] = unit
    return _Book([_resolve(folder, page) for page in pages], templates, units)


def _page_glyphs(parts: _Parts, book: _Book, path: str) -> Iterator[_Glyph]:
    """Every character of a page: its template pages' (printed under it) first, then its own."""
    page = parts.xml(path)
    for template in _elements(page, "Template"):
        location = book.templates.get(template.get("TemplateID"))
        if location and parts.has(location):
            glyphs = _glyphs(_content(parts.xml(location)), _IDENTITY, book, 0)
            yield from (replace(glyph, template=True) for glyph in glyphs)
    yield from _glyphs(_content(page), _IDENTITY, book, 0)


def _content(page: Any) -> Any:
    return next(_elements(page, "Content"), page)


def _glyphs(parent: Any, outer: Transform, book: _Book, depth: int) -> Iterator[_Glyph]:
    """The characters of the objects under an element, placed on the page through every transform above."""
    if depth > _MAX_DEPTH:
        return
    for child in parent:
        local = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
        if local in ("Layer", "PageBlock", "Content"):
            yield from _glyphs(child, outer, book, depth + 1)
        elif local == "TextObject":
            yield from _text_glyphs(child, _compose(outer, _placed(child)))
        elif local == "CompositeObject" and child.get("ResourceID") in book.units:
            unit = book.units[child.get("ResourceID")]
            yield from _glyphs(_content(unit), _compose(outer, _placed(child)), book, depth + 1)


def _placed(obj: Any) -> Transform:
    """An object's own space on its parent's: its CTM, then moved to its boundary's corner (§8.1)."""
    box = _numbers(obj.get("Boundary"), 4)
    ctm = _numbers(obj.get("CTM"), 6) if obj.get("CTM") else list(_IDENTITY)
    a, b, c, d, e, f = ctm
    return (a, b, c, d, e + box[0], f + box[1])


def _compose(outer: Transform, inner: Transform) -> Transform:
    """The transform that applies inner, then outer."""
    a1, b1, c1, d1, e1, f1 = outer
    a2, b2, c2, d2, e2, f2 = inner
    return (
        a1 * a2 + c1 * b2,
        b1 * a2 + d1 * b2,
        a1 * c2 + c1 * d2,
        b1 * c2 + d1 * d2,
        a1 * e2 + c1 * f2 + e1,
        b1 * e2 + d1 * f2 + f1,
    )


def _text_glyphs(obj: Any, place: Transform) -> Iterator[_Glyph]:
    """Each character of a text object at its place: a text code's X, Y, then its DeltaX and DeltaY (§11.3)."""
    a, b, c, d, e, f = place
    scale = math.sqrt(abs(a * d - b * c)) or 1.0
    angle = math.degrees(math.atan2(b, a))
    size = (_numbers(obj.get("Size"), 1)[0] or 3.5) * scale
    x = y = 0.0
    for code in _elements(obj, "TextCode"):
        text = code.text or ""
        x, y = _number(code.get("X"), x), _number(code.get("Y"), y)
        dxs, dys = _deltas(code.get("DeltaX")), _deltas(code.get("DeltaY"))
        for i, char in enumerate(text):
            advance = dxs[i] * scale if i < len(dxs) else size * _width(char)
            if not char.isspace():
                yield _Glyph(a * x + c * y + e, b * x + d * y + f, angle, size, advance, char)
            x += dxs[i] if i < len(dxs) else size / scale * _width(char)
            y += dys[i] if i < len(dys) else 0.0


def _width(char: str) -> float:
    """A character's advance in type sizes when the code does not give it: full for Chinese, half else."""
    return 1.0 if unicodedata.east_asian_width(char) in "WF" else 0.5


def _deltas(value: str | None) -> list[float]:
    """A DeltaX or DeltaY list, with its "g count step" runs spelled out (§11.3, table 46)."""
    words = (value or "").split()
    deltas: list[float] = []
    i = 0
    while i < len(words) and len(deltas) < _MAX_DELTAS:
        if words[i] == "g" and i + 2 < len(words):
            count = int(min(_number(words[i + 1], 0.0), _MAX_DELTAS))
            deltas.extend([_number(words[i + 2], 0.0)] * max(0, count))
            i += 3
        else:
            deltas.append(_number(words[i], 0.0))
            i += 1
    return deltas


def _page_lines(glyphs: list[_Glyph]) -> list[Line]:
    """A page's printed lines, each at its depth in points: the characters running in the page's main
    direction first, then those set at other angles (a seal's ring, a note set sideways), each
    direction read in its own frame, top to bottom (a page set sideways reads as it is meant to)."""
    directions: dict[int, list[_Glyph]] = {}
    for glyph in glyphs:
        directions.setdefault(round(glyph.angle), []).append(glyph)
    ordered = sorted(directions.items(), key=lambda item: -len(item[1]))
    return [line for angle, group in ordered for line in _lines_at(group, angle)]


def _lines_at(glyphs: list[_Glyph], angle: float) -> list[Line]:
    """Characters running at one angle joined into lines, in that angle's frame: lines top to
    bottom (for text turned a quarter clockwise, columns right to left), each read along its run."""
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    placed = sorted(((-g.x * sin + g.y * cos, g.x * cos + g.y * sin, g) for g in glyphs), key=lambda p: (p[0], p[1]))
    rows: list[list[tuple[float, float, _Glyph]]] = []
    for item in placed:
        if rows and abs(item[0] - rows[-1][0][0]) < _SAME_LINE * max(item[2].size, rows[-1][0][2].size):
            rows[-1].append(item)
        else:
            rows.append([item])
    return [_row_line(row) for row in rows]


def _row_line(row: list[tuple[float, float, _Glyph]]) -> Line:
    """A row's characters along its run, a space where they stand apart, marking those of a template."""
    text = ""
    end: float | None = None
    template: list[int] = []
    for index, (_, at, glyph) in enumerate(sorted(row, key=lambda item: item[1])):
        if end is not None and at - end > _SPACE_GAP * glyph.size:
            text += " "
        text += glyph.char
        end = at + glyph.advance
        if glyph.template:
            template.append(index)
    return Line(text, row[0][0] * _POINTS_PER_MM, tuple(template))


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
