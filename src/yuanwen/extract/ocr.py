"""OCR of a page image with RapidOCR: its lines in reading order, each character with its confidence.

RapidOCR was chosen by measurement (benchmarks/bench_ocr.py) over Tesseract 5 with Debian's chi_sim
data: on the test scans it read 99.93-99.95% of the characters right against Tesseract's 97.1-97.7%,
in 4-5 CPU seconds a page against 6-7. Its PP-OCR models ship inside its wheel, so nothing is
downloaded at run time; Tesseract is kept as no fallback, since it misreads 40 times as often.
"""

from __future__ import annotations

import io
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from yuanwen.errors import InputError

if TYPE_CHECKING:
    from PIL.Image import Image

INSTALL_HINT = "文字识别（OCR）未安装，请运行：pip install 'yuanwen[ocr]'"
# Two boxes belong to one printed line when their centres are less than this share of a line's
# height apart: a line rotated by 1° across a 2000-pixel page drifts ~35 pixels from end to end,
# more than its own height, but RapidOCR cuts it into boxes a few characters long at most.
_SAME_LINE = 0.5
# A page is read at most this wide: A4 at 200 dpi. Scans at 300 dpi read no better (99.95% of the
# characters right against 99.93% at 200 dpi on the test scans) and take twice as long.
_MAX_WIDTH = 1654
# The preview of each page kept for the report: A4 at 150 dpi, where 10.5-point type is 22 pixels
# high and reads clearly; a page weighs ~150 KB.
_PREVIEW_WIDTH = 1240
_PREVIEW_QUALITY = 60


@dataclass(frozen=True)
class ReadLine:
    """One printed line as OCR read it: text, a confidence per non-space character, box in pixels."""

    text: str
    confidences: tuple[float, ...]
    box: tuple[int, int, int, int]


@dataclass(frozen=True)
class OcrPage:
    """A page read by OCR: its lines in reading order, its width and a small preview image (JPEG)."""

    lines: tuple[ReadLine, ...]
    width: int
    preview: bytes
    # Preview pixels per page image pixel.
    preview_scale: float


def require_ocr(name: str) -> None:
    """Fail with one line saying how to install OCR when it is missing."""
    try:
        import rapidocr  # noqa: F401
    except ImportError as error:
        raise InputError(f"{INSTALL_HINT}（{name} 是扫描图像，没有文字层）") from error


def read_page(image: Image) -> OcrPage:
    """OCR one page image."""
    gray = image.convert("L")
    if gray.width > _MAX_WIDTH:
        gray = gray.resize((_MAX_WIDTH, round(gray.height * _MAX_WIDTH / gray.width)))
    result = _engine()(gray.convert("RGB"), return_word_box=True, return_single_char_box=True)
    boxes = [] if result.boxes is None else result.boxes.tolist()
    found = [
        _line(text, score, box, chars)
        for text, score, box, chars in zip(result.txts or (), result.scores or (), boxes, _words(result), strict=True)
        if text.strip()
    ]
    scale = min(1.0, _PREVIEW_WIDTH / gray.width)
    return OcrPage(tuple(_reading_order(found)), gray.width, _preview(gray, scale), scale)


@cache
def _engine() -> Any:
    from rapidocr import RapidOCR

    # The direction classifier turns lines printed upside down; pages of a booklet are upright,
    # and without it a page is read ~5 times faster (measured: 2.9 s against 15 s at 300 dpi).
    return RapidOCR(params={"Global.log_level": "critical", "Global.use_cls": False})


def _words(result: Any) -> Sequence[Any]:
    words = getattr(result, "word_results", None)
    return words if words and len(words) == len(result.txts or ()) else [()] * len(result.txts or ())


def _line(text: str, score: float, box: Sequence[Sequence[float]], chars: Sequence[Any]) -> ReadLine:
    """A line, with its characters' confidences, or the line's own for each when they do not match its text."""
    visible = "".join(text.split())
    confidences = tuple(float(char[1]) for char in chars)
    if "".join(str(char[0]) for char in chars) != visible:
        confidences = (float(score),) * len(visible)
    xs, ys = [point[0] for point in box], [point[1] for point in box]
    return ReadLine(text, confidences, (int(min(xs)), int(min(ys)), int(max(xs)) + 1, int(max(ys)) + 1))


def _reading_order(lines: list[ReadLine]) -> list[ReadLine]:
    """Boxes joined into printed lines, top to bottom, each line's boxes left to right."""
    if not lines:
        return []
    height = statistics.median(line.box[3] - line.box[1] for line in lines)
    rows: list[list[ReadLine]] = []
    for line in sorted(lines, key=_centre):
        if rows and abs(_centre(line) - _centre(rows[-1][-1])) < _SAME_LINE * height:
            rows[-1].append(line)
        else:
            rows.append([line])
    return [_joined(sorted(row, key=lambda line: line.box[0])) for row in rows]


def _centre(line: ReadLine) -> float:
    return (line.box[1] + line.box[3]) / 2


def _joined(row: list[ReadLine]) -> ReadLine:
    if len(row) == 1:
        return row[0]
    box = (
        min(r.box[0] for r in row),
        min(r.box[1] for r in row),
        max(r.box[2] for r in row),
        max(r.box[3] for r in row),
    )
    return ReadLine(" ".join(r.text for r in row), tuple(c for r in row for c in r.confidences), box)


def _preview(gray: Image, scale: float) -> bytes:
    small = gray.resize((round(gray.width * scale), round(gray.height * scale))) if scale < 1 else gray
    out = io.BytesIO()
    small.save(out, format="JPEG", quality=_PREVIEW_QUALITY)
    return out.getvalue()
