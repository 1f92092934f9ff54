"""PDF with a text layer: body text in reading order, one Anchor per page.

Stages of `read_pdf_document`:
1. open the file with PDFium (pypdfium2), telling an encrypted or corrupt file apart;
2. read each page's lines, with the depth of each line on the page, in PDFium's reading order;
3. read again with pdfplumber any page where PDFium would silently drop text (see `_drops_text`);
4. read by OCR each page that is only a scanned image (`_is_scan`);
5. leave out page numbers and running headers and footers, close gaps between Chinese characters,
   join the pages and anchor each where its text starts (`scan.assemble`).
"""

from __future__ import annotations

import ctypes
import io
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from yuanwen.errors import InputError
from yuanwen.extract.pages import Line, require_pages
from yuanwen.extract.scan import Page, assemble
from yuanwen.model import Document

if TYPE_CHECKING:
    from collections.abc import Sequence

    from yuanwen.extract.ocr import OcrPage, PagePool

NO_TEXT_LAYER = "PDF 中读不到文字（没有文字层，也没有能识别出文字的扫描页）"
# PDFium's error code for a document that needs a password, and for an unsupported security handler.
_ERR_PASSWORD = 4
_ERR_SECURITY = 5
# PDFium skips a text object narrower than this (kSizeEpsilon in cpdf_textpage.cpp).
_MIN_WIDTH = 0.01
# Forms nest forms; deeper than this is a malicious file, not a document (pypdfium2 stops at 15).
_MAX_FORM_DEPTH = 15
# PDFium is not thread-safe; a web server reading two PDFs at once must take turns.
_PDFIUM_LOCK = threading.Lock()
# A scanned page: an image over at least half of it, and at most a stamped page number or header
# as text (the longest seen, "政治学习资料 第22期 - 3 -", has 13 characters).
_SCAN_IMAGE_SHARE = 0.5
_SCAN_MAX_CHARS = 20
# Scans are rendered for OCR at this resolution; RapidOCR scales a page to 2000 pixels at most
# anyway, and 200 dpi read as well as 300 on the test scans (benchmarks/bench_ocr.py).
OCR_DPI = 200


def read_pdf_document(data: bytes, name: str) -> Document:
    """A PDF's text, from its text layer or by OCR of its scanned pages, with one page Anchor per page."""
    from yuanwen.extract.ocr import PagePool

    with PagePool() as pool:
        with _PDFIUM_LOCK:
            read = _read_pages(data, name, pool)
        # Scanned pages are read by OCR in the background, after PDFium is free for another file.
        pages = [page.result() if isinstance(page, Future) else page for page in read]
    document = assemble(pages, name, "pdf")
    if not document.text.strip():  # no text at all, or only a page number or header stamped on a scan
        raise InputError(f"{NO_TEXT_LAYER}：{name}")
    return document


def _read_pages(data: bytes, name: str, pool: PagePool) -> list[Page | Future[OcrPage]]:
    import pypdfium2 as pdfium

    document = _open(data, name)
    try:
        pages: list[Page | Future[OcrPage] | None] = []
        for index in range(len(document)):
            page = _load_page(document, index, name)
            try:
                lines = None if _drops_text(page) else _pdfium_lines(page)
                pages.append(_ocr(page, name, pool) if lines is not None and _is_scan(page, lines) else lines)
            finally:
                page.close()
    except pdfium.PdfiumError as error:
        raise InputError(f"PDF 文件已损坏，无法读取页面：{name}") from error
    finally:
        document.close()
    missing = [index for index, lines in enumerate(pages) if lines is None]
    if missing:
        found = _pdfplumber_lines(data, missing, name)
        pages = [found[index] if lines is None else lines for index, lines in enumerate(pages)]
    return [lines or [] for lines in pages]


def _is_scan(page: Any, lines: Sequence[Line]) -> bool:
    """True for a page that is an image with no text layer over it (a stamped page number aside)."""
    import pypdfium2.raw as pdfium_c

    if sum(len("".join(line.text.split())) for line in lines) > _SCAN_MAX_CHARS:
        return False
    area = page.get_width() * page.get_height()
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for index in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        obj = pdfium_c.FPDFPage_GetObject(page.raw, index)
        if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
            if (right.value - left.value) * (top.value - bottom.value) >= _SCAN_IMAGE_SHARE * area:
                return True
    return False


def _ocr(page: Any, name: str, pool: PagePool) -> Future[OcrPage]:
    """A scanned page, rendered and given to OCR."""
    from yuanwen.extract.ocr import require_ocr

    require_ocr(name)
    # A copy: the rendering shares PDFium's bitmap, which is freed with the page.
    return pool.submit(page.render(scale=OCR_DPI / 72, grayscale=True).to_pil().copy())


def _open(data: bytes, name: str) -> Any:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if error.err_code in (_ERR_PASSWORD, _ERR_SECURITY):
            raise InputError(f"PDF 已加密（需要打开密码），请先解除密码再检查：{name}") from error
        raise InputError(f"PDF 文件已损坏，无法打开：{name}") from error
    # PDFium rebuilds a broken cross-reference table by scanning the file; without the closing
    # %%EOF as well, the file was cut short (an unfinished download) and pages may be missing.
    if not pdfium_c.FPDF_DocumentHasValidCrossReferenceTable(document.raw) and b"%%EOF" not in data[-2048:]:
        document.close()
        raise InputError(f"PDF 文件不完整（可能没有下载完），请重新获取：{name}")
    if len(document) == 0:
        document.close()
        raise InputError(f"PDF 没有页面（文件可能已损坏）：{name}")
    try:
        require_pages(len(document), name)
    except InputError:
        document.close()
        raise
    return document


def _load_page(document: Any, index: int, name: str) -> Any:
    import pypdfium2 as pdfium

    try:
        return document[index]
    except pdfium.PdfiumError as error:
        raise InputError(f"PDF 第 {index + 1} 页已损坏，无法读取：{name}") from error


def _pdfium_lines(page: Any) -> list[Line]:
    """The page's lines as PDFium reads them, in reading order, each line's characters in their order on it."""
    import pypdfium2.raw as pdfium_c

    height = page.get_height()
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        get_unicode = pdfium_c.FPDFText_GetUnicode
        chars = [_char(get_unicode(raw, index)) for index in range(pdfium_c.FPDFText_CountChars(raw))]
        lines: list[Line] = []
        for indexes in _split_lines(chars):
            placed = [_placed(raw, index) for index in indexes]
            lines.append(Line("".join(chars[i] for i in _on_the_line(indexes, placed)).strip(), height - placed[0].y))
        return lines
    finally:
        textpage.close()


@dataclass(frozen=True)
class _Placed:
    """Where a character stands: its origin on the page, and its font size (points)."""

    x: float
    y: float
    size: float


def _placed(raw: Any, index: int) -> _Placed:
    import pypdfium2.raw as pdfium_c

    x, y = ctypes.c_double(), ctypes.c_double()
    pdfium_c.FPDFText_GetCharOrigin(raw, index, x, y)
    return _Placed(x.value, y.value, pdfium_c.FPDFText_GetFontSize(raw, index))


def _on_the_line(indexes: Sequence[int], placed: Sequence[_Placed]) -> list[int]:
    """A line's characters left to right, when they stand on one horizontal line.

    PDFium keeps the order of the content stream, and LibreOffice draws a line's glyphs in one
    font before those of the font it falls back to (quotation marks in a Latin font before the
    Chinese around them: “”牛鼻子). A line whose origins climb or fall more than a character
    (vertical text) keeps PDFium's order."""
    size = max((p.size for p in placed), default=0.0)
    ys = [p.y for p in placed]
    if not ys or max(ys) - min(ys) > size:
        return list(indexes)
    return [index for _, index in sorted(zip((p.x for p in placed), indexes, strict=True), key=lambda pair: pair[0])]


def _char(code: int) -> str:
    if code in (0x0A, 0x0D):
        return "\n"
    if code == 0x02:  # PDFium marks a hyphen at a line end so; the page shows a hyphen
        return "-"
    if code == 0:  # a glyph the font maps to no character: show that something is there
        return "\ufffd"
    if code < 0x20 or code in (0xFFFE, 0xFFFF):
        return ""
    return chr(code)


def _split_lines(chars: Sequence[str]) -> list[list[int]]:
    """The indexes of the characters of each non-blank line, from its first visible character."""
    lines: list[list[int]] = []
    current: list[int] = []
    for index, char in enumerate([*chars, "\n"]):
        if char == "\n":
            if current:
                lines.append(current)
            current = []
        elif current or char.strip():
            current.append(index)
    return lines


def _drops_text(page: Any) -> bool:
    """True when PDFium's text page would skip text on this page.

    PDFium skips a text object of zero width. A single character in a font that is not embedded,
    on a machine without a matching system font (a server without Chinese fonts), has no glyph
    box and so no width: PDFium would lose it without a word. pdfplumber reads such pages.
    """
    import pypdfium2.raw as pdfium_c

    count = pdfium_c.FPDFPage_CountObjects(page.raw)
    return _any_dropped([pdfium_c.FPDFPage_GetObject(page.raw, i) for i in range(count)], depth=0)


def _any_dropped(objects: Sequence[Any], depth: int) -> bool:
    import pypdfium2.raw as pdfium_c

    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for obj in objects:
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < _MAX_FORM_DEPTH:
            count = pdfium_c.FPDFFormObj_CountObjects(obj)
            if _any_dropped([pdfium_c.FPDFFormObj_GetObject(obj, i) for i in range(count)], depth + 1):
                return True
        elif kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
            narrow = right.value - left.value < _MIN_WIDTH
            if narrow and not pdfium_c.FPDFFont_GetIsEmbedded(pdfium_c.FPDFTextObj_GetFont(obj)):
                return True
    return False


def _pdfplumber_lines(data: bytes, indexes: Sequence[int], name: str) -> dict[int, list[Line]]:
    """The lines of the given pages as pdfplumber (pdfminer.six) reads them: slower, but complete."""
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    found: dict[int, list[Line]] = {}
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for index in indexes:
                page = pdf.pages[index]
                found[index] = [
                    Line(line["text"], page.height - line["chars"][0]["matrix"][5])
                    for line in page.extract_text_lines(return_chars=True)
                    if line["text"].strip()
                ]
                page.close()
    except (PDFSyntaxError, PSException, ValueError, KeyError) as error:
        raise InputError(f"PDF 文件已损坏，无法读取页面：{name}") from error
    return found
