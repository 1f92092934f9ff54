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
# Around the line cut out, this share of its height is kept above and below, so a mark that sits
# high or low (a comma, a quote) is not cut off; and this many characters either side of the finding.
_MARGIN = 0.2
_CONTEXT_CHARS = 8
_QUALITY = 75
_RING = (198, 40, 40)  # the report's colour for a finding to look at


class Crops:
    """Cuts of a document's page previews, each page decoded once."""

    def __init__(self, document: Document) -> None:
        self._ocr = document.ocr
        self._pages: dict[int, Image] = {}

    def html(self, finding: Finding) -> str:
        """An <img> of the page around an OCR finding, or nothing for any other finding."""
        if self._ocr is None or finding.rule != OCR_RULE:
            return ""
        line = _line_at(self._ocr.lines, finding.reprint_span)
        if line is None:
            return ""
        source = base64.b64encode(self._cut(line, finding.reprint_span)).decode("ascii")
        label = escape(f"扫描件第 {line.page} 页原图（红框处）：请核对", quote=True)
        return f'<img class="crop" alt="{label}" title="{label}" src="data:image/jpeg;base64,{source}">'

    def _cut(self, line: OcrLine, span: Span) -> bytes:
        """The line around the span, the span's characters ringed; their place is estimated from
        their share of the line, as the characters of a printed Chinese line are of one width."""
        from PIL import ImageDraw

        left, top, right, bottom = line.box
        step = (right - left) / max(1, len(line.span))
        start = left + step * (max(span.start, line.span.start) - line.span.start)
        end = max(start + step, left + step * (min(span.end, line.span.end) - line.span.start))
        margin = _MARGIN * (bottom - top)
        box = (
            round(max(left, start - _CONTEXT_CHARS * step)),
            round(max(0, top - margin)),
            round(min(right, end + _CONTEXT_CHARS * step)),
            round(bottom + margin),
        )
        cut = self._page(line.page).crop(box).convert("RGB")
        ImageDraw.Draw(cut).rectangle(
            (start - box[0] - 2, top - box[1], end - box[0] + 2, bottom - box[1]), outline=_RING, width=2
        )
        out = io.BytesIO()
        cut.save(out, format="JPEG", quality=_QUALITY)
        return out.getvalue()

    def _page(self, page: int) -> Image:
        if page not in self._pages:
            from PIL import Image

            assert self._ocr is not None
            self._pages[page] = Image.open(io.BytesIO(self._ocr.images[page - 1]))
        return self._pages[page]


def _line_at(lines: tuple[OcrLine, ...], span: Span) -> OcrLine | None:
    """The OCR line where a span starts (an empty span: the line it stands in)."""
    return next((line for line in lines if line.span.start <= span.start <= line.span.end), None)
