"""The scanned page around a finding OCR was unsure of, cut from the page's preview, for the HTML report."""

from __future__ import annotations

import base64
import io
from html import escape
from typing import TYPE_CHECKING

from yuanwen.model import Document, Finding, OcrLine, Span

if TYPE_CHECKING:
    from PIL.Image import Image

OCR_RULE = "ocr.uncertain"
# Around the lines cut out, this share of a line's height is kept above and below, so a mark that
# sits high or low (a comma, a quote) is not cut off.
_MARGIN = 0.6
_QUALITY = 70


class Crops:
    """Cuts of a document's page previews, each page decoded once."""

    def __init__(self, document: Document) -> None:
        self._ocr = document.ocr
        self._pages: dict[int, Image] = {}

    def html(self, finding: Finding) -> str:
        """An <img> of the page around an OCR finding, or nothing for any other finding."""
        if self._ocr is None or finding.rule != OCR_RULE:
            return ""
        lines = _lines_at(self._ocr.lines, finding.reprint_span)
        if not lines:
            return ""
        page = lines[0].page
        source = base64.b64encode(self._cut(page, [line for line in lines if line.page == page])).decode("ascii")
        label = escape(f"扫描件第 {page} 页原图：请核对此处", quote=True)
        return f'<img class="crop" alt="{label}" title="{label}" src="data:image/jpeg;base64,{source}">'

    def _cut(self, page: int, lines: list[OcrLine]) -> bytes:
        image = self._page(page)
        height = max(line.box[3] - line.box[1] for line in lines)
        box = (
            0,
            max(0, round(min(line.box[1] for line in lines) - _MARGIN * height)),
            image.width,
            min(image.height, round(max(line.box[3] for line in lines) + _MARGIN * height)),
        )
        out = io.BytesIO()
        image.crop(box).save(out, format="JPEG", quality=_QUALITY)
        return out.getvalue()

    def _page(self, page: int) -> Image:
        if page not in self._pages:
            from PIL import Image

            assert self._ocr is not None
            self._pages[page] = Image.open(io.BytesIO(self._ocr.images[page - 1]))
        return self._pages[page]


def _lines_at(lines: tuple[OcrLine, ...], span: Span) -> list[OcrLine]:
    """The OCR lines a span touches; for an empty span, the line it stands in."""
    if span.start == span.end:
        return [line for line in lines if line.span.start <= span.start <= line.span.end][:1]
    return [line for line in lines if line.span.start < span.end and span.start < line.span.end]
