"""Printed pages → Document: pages with a text layer and pages read by OCR, in order, with OCR evidence.

1. each page's lines, OCR lines placed in points as a text layer's are (`pages.Line`);
2. page numbers and running headers and footers left out, gaps between Chinese characters closed;
3. the body lines joined, one line per printed line, each page anchored where its text starts;
4. for OCR pages: the stretch read, the characters read with low confidence, each line's box.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from yuanwen.extract.ocr import OcrPage, ReadLine
from yuanwen.extract.pages import Line, body_indexes, close_cjk_gaps
from yuanwen.model import Anchor, Document, OcrEvidence, OcrLine, Span

Page = Sequence[Line] | OcrPage
# An OCR character below this confidence is doubtful. Calibrated on the test scans (the booklets of
# examples/reprint.txt and examples/source.txt, 16 pages at 200 and 300 dpi, turned by 1°, with
# noise; benchmarks/bench_ocr.py prints the figures): all 7 characters RapidOCR misread scored
# below 0.95 (0.53 to 0.92), and 99.67% of the 12,179 it read right scored at or above it; at 0.9
# one misread character in 7 would pass as sure.
UNCERTAIN_BELOW = 0.95
# A page is hardly legible when OCR read less than this share of its text block's ink (none when it
# read nothing at all), or doubted more than this share of the characters it read: the test scans
# read whole give 0.97-1.00 and at most 2.5%, a copy whose toner ran out across the page (OCR read
# 50-80% of it) 0.92-0.94 and 11-22% (tests/test_extract_scan_layout.py).
LEGIBLE_SHARE = 0.5
DOUBTFUL_SHARE = 0.06
# A4 is 595 points wide: a page image is scaled so, since a scan's resolution is rarely recorded.
_PAGE_POINTS = 595.0


@dataclass
class _Builder:
    """The text as read, grown page by page, with the OCR evidence found on the way."""

    parts: list[str] = field(default_factory=list)
    offset: int = 0
    anchors: list[Anchor] = field(default_factory=list)
    read: list[Span] = field(default_factory=list)
    doubtful: list[int] = field(default_factory=list)
    gaps: list[int] = field(default_factory=list)
    poor: list[Span] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    lines: list[OcrLine] = field(default_factory=list)
    images: list[bytes] = field(default_factory=list)
    template: list[int] = field(default_factory=list)

    def add(self, text: str) -> int:
        start = self.offset
        self.parts.append(text)
        self.offset += len(text)
        return start


def assemble(pages: Sequence[Page], name: str, kind: str) -> Document:
    """The body text of the pages as one Document, with OCR evidence when a page was read by OCR."""
    printed = [_printed(page) for page in pages]
    builder = _Builder()
    for number, (page, kept) in enumerate(zip(pages, body_indexes(printed), strict=True), start=1):
        builder.anchors.append(Anchor(builder.offset, "page", number))
        if isinstance(page, OcrPage):
            _add_ocr_page(builder, page, kept, number)
        else:
            builder.images.append(b"")
            for index in kept:
                _add_line(builder, page[index])
    evidence = None
    if builder.read:
        evidence = OcrEvidence(
            read=tuple(builder.read),
            uncertain=_spans(builder.doubtful),
            lines=tuple(builder.lines),
            images=tuple(builder.images),
            gaps=tuple(builder.gaps),
            poor=tuple(builder.poor),
        )
    return Document(
        path=name,
        format=kind,
        text="".join(builder.parts),
        anchors=tuple(builder.anchors),
        ocr=evidence,
        warnings=tuple(builder.warnings),
        template=_spans(builder.template),
    )


def _add_line(builder: _Builder, line: Line) -> None:
    """A printed line of a text layer, with the offsets of the characters a template page printed."""
    text = close_cjk_gaps(line.text)
    at = builder.add(text + "\n")
    if line.template:
        # Closing gaps drops spaces only, so the n-th non-space character is the line's n-th still.
        visible = [i for i, char in enumerate(text) if not char.isspace()]
        builder.template.extend(at + visible[i] for i in line.template)


def _printed(page: Page) -> Sequence[Line]:
    if not isinstance(page, OcrPage):
        return page
    scale = _PAGE_POINTS / page.width
    return [Line(line.text, line.depth * scale) for line in page.lines]


def _add_ocr_page(builder: _Builder, page: OcrPage, kept: list[int], number: int) -> None:
    start = builder.offset
    for index in kept:
        line = page.lines[index]
        text = close_cjk_gaps(line.text)
        at = builder.add(text + "\n")
        visible = [i for i, char in enumerate(text) if not char.isspace()]
        builder.doubtful.extend(at + i for i in _doubtful(visible, line))
        builder.gaps.extend(at + (visible[gap] if gap < len(visible) else len(text)) for gap in line.gaps)
        box = tuple(round(v * page.preview_scale) for v in line.box)
        builder.lines.append(OcrLine(Span(at, at + len(text)), number, (box[0], box[1], box[2], box[3])))
    if builder.read and builder.read[-1].end == start:
        # Pages read one after another are one stretch read by OCR: a difference across the page
        # break (a page's last words and the next page's header misread) is OCR's too.
        builder.read[-1] = Span(builder.read[-1].start, builder.offset)
    else:
        builder.read.append(Span(start, builder.offset))
    builder.images.append(page.preview)
    warning = _poor(page, number)
    if warning:
        builder.poor.append(Span(start, builder.offset))
        builder.warnings.append(warning)


def _poor(page: OcrPage, number: int) -> str | None:
    """The warning for a page OCR could hardly read, or None."""
    if page.read_share < LEGIBLE_SHARE:
        return f"第 {number} 页扫描质量差：约 {1 - page.read_share:.0%} 的文字未能识别，请换清晰的扫描件"
    confidences = [c for line in page.lines for c in line.confidences]
    doubtful = sum(c < UNCERTAIN_BELOW for c in confidences) / max(1, len(confidences))
    if doubtful > DOUBTFUL_SHARE:
        return f"第 {number} 页扫描质量差：{doubtful:.0%} 的文字识别没有把握，请换清晰的扫描件"
    return None


def _doubtful(visible: list[int], line: ReadLine) -> list[int]:
    """Offsets in the line's text of the characters read below the confidence threshold."""
    return [i for i, confidence in zip(visible, line.confidences, strict=True) if confidence < UNCERTAIN_BELOW]


def _spans(offsets: list[int]) -> tuple[Span, ...]:
    """Offsets joined into spans of neighbours."""
    spans: list[Span] = []
    for offset in offsets:
        if spans and spans[-1].end == offset:
            spans[-1] = Span(spans[-1].start, offset + 1)
        else:
            spans.append(Span(offset, offset + 1))
    return tuple(spans)
