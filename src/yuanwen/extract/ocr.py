"""OCR of a page image with RapidOCR: its lines in reading order, each character with its confidence.

RapidOCR was chosen by measurement (benchmarks/bench_ocr.py) over Tesseract 5 with Debian's chi_sim
data: on the test scans it read 99.95-99.98% of the characters right against Tesseract's 97.1-97.7%,
in 3.2 CPU seconds a page against 4.9. Its PP-OCR models ship inside its wheel, so nothing is
downloaded at run time; Tesseract is kept as no fallback, since it misreads 40 times as often.
The pages of a document are read in parallel, one page a core (`PagePool`).
"""

from __future__ import annotations

import io
import itertools
import math
import os
import statistics
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from yuanwen.errors import InputError
from yuanwen.extract.layout import Box, Row, along, is_spread, reading_order, skew

if TYPE_CHECKING:
    from PIL.Image import Image

INSTALL_HINT = "文字识别（OCR）未安装，请运行：pip install 'yuanwen[ocr]'"
# A page is read with at most this many pixels: A4 at 200 dpi (a spread photographed whole gets
# the same). Scans at 300 dpi read no better (99.95% of the characters right against 99.93% at
# 200 dpi on the test scans) and take twice as long.
_MAX_PIXELS = 1654 * 2339
# The preview of each page kept for the report: A4 at 150 dpi, where 10.5-point type is 22 pixels
# high and reads clearly; a page weighs ~150 KB.
_PREVIEW_WIDTH = 1240
_PREVIEW_QUALITY = 60
# Below this mean confidence a page may be upside down: RapidOCR reads the pages of the 150-dpi test
# booklet at 0.98-1.00 upright, at 0.66 upside down, and a page on its side at 0.65 or 1.00 as it
# lies one way or the other (its standing lines are read turned a quarter counter-clockwise).
_UPRIGHT = 0.9
# Ink is a pixel darker by this much than the paper around it (the lightest within ~40 pixels),
# once noise and specks are smoothed away over a 5-pixel square: it finds the faint text of the
# test copies without the shadow of a phone photo (tests/test_extract_scan_layout.py).
_INK_BLUR = 2
_PAPER_CELL = 8
_INK_CONTRAST = 15
# A page where OCR read nothing is blank below this share of ink (specks, a ruled line).
_BLANK_INK = 0.002
# Marks printed in two widths: which one a scan shows is told by the room the mark takes, from the
# start of the character before it to the start of the one after, in character widths. On the
# 150-dpi test booklet's 107 commas (RapidOCR's character boxes): 1.16-1.70 for the 26 printed
# half-width, 1.81-2.35 for the full-width; RapidOCR itself read 3 of the 26 full-width.
_HALF = {"，": ",", "；": ";", "：": ":", "！": "!", "？": "?"}
_FULL = {half: full for full, half in _HALF.items()}
_HALF_WIDTH_BELOW = 1.75
# OCR left room for a character it did not read where two characters start this many character
# widths apart; a full-width mark and the character after it start 1 apart.
_GAP_FROM = 1.8


@dataclass(frozen=True)
class ReadLine:
    """One printed line as OCR read it: text, a confidence per non-space character, box in pixels."""

    text: str
    confidences: tuple[float, ...]
    box: tuple[int, int, int, int]
    # The line's bottom on the upright page, in pixels: where it is printed, for page furniture.
    depth: float = 0.0
    # The indexes of the non-space characters before which OCR may have dropped some: the line's
    # two ends, the gaps between its boxes, and room it left inside a box.
    gaps: tuple[int, ...] = ()


@dataclass(frozen=True)
class OcrPage:
    """A page read by OCR: its lines in reading order, its width and a small preview image (JPEG)."""

    lines: tuple[ReadLine, ...]
    # The width of one printed page, in pixels: half the image for two facing pages in one photo.
    width: int
    preview: bytes
    # Preview pixels per page image pixel.
    preview_scale: float
    # The share of the text block's ink inside the lines OCR read: 0 for a page with ink where it
    # read nothing.
    read_share: float = 1.0


def require_ocr(name: str) -> None:
    """Fail with one line saying how to install OCR when it is missing."""
    try:
        import rapidocr  # noqa: F401
    except ImportError as error:
        raise InputError(f"{INSTALL_HINT}（{name} 是扫描图像，没有文字层）") from error


def read_page(image: Image) -> OcrPage:
    """OCR one page image, turned upright, its lines in reading order."""
    gray = image.convert("L")
    if gray.width * gray.height > _MAX_PIXELS:
        scale = math.sqrt(_MAX_PIXELS / (gray.width * gray.height))
        gray = gray.resize((round(gray.width * scale), round(gray.height * scale)))
    gray, boxes = _upright(gray)
    angle = skew(boxes)
    lines = tuple(_line(row) for row in reading_order(boxes, angle, (gray.width / 2, gray.height / 2)))
    width = gray.width / 2 if is_spread(boxes, angle, gray.size) else gray.width
    scale = min(1.0, _PREVIEW_WIDTH / gray.width)
    return OcrPage(lines, round(width), _preview(gray, scale), scale, _read_share(gray, boxes))


class PagePool:
    """Page images read by OCR in threads, one a core, at most one image a thread held at once.

    Threads, not processes: onnxruntime lets go of the GIL while it infers (~90% of a page's time),
    the models are loaded once, and an audit's or the web server's worker may start no processes.
    Each inference runs on one thread (`_engine`), so two pages on two cores do not fight over them."""

    def __init__(self) -> None:
        self._workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="yuanwen-ocr")
        self._reading: set[Future[OcrPage]] = set()

    def __enter__(self) -> PagePool:
        return self

    def __exit__(self, *_: object) -> None:
        self._pool.shutdown(cancel_futures=True)

    def submit(self, image: Image) -> Future[OcrPage]:
        """The page read in the background; waits while every thread has a page, so memory stays bounded."""
        _engine()  # loaded once, here, not by two threads at once
        while len(self._reading) >= self._workers:
            _, self._reading = wait(self._reading, return_when=FIRST_COMPLETED)
        future = self._pool.submit(read_page, image)
        self._reading.add(future)
        return future


@cache
def _engine() -> Any:
    from rapidocr import RapidOCR

    return RapidOCR(
        params={
            "Global.log_level": "critical",
            # The direction classifier turns lines printed upside down; pages of a booklet are upright,
            # and without it a page is read ~5 times faster (measured: 2.9 s against 15 s at 300 dpi).
            # A page turned as a whole is found from its lines' angles and its confidence instead.
            "Global.use_cls": False,
            # Lines are found on the page scaled to 1152 pixels at most (RapidOCR's default keeps 2000):
            # on the 200 dpi test scans ~1.1 CPU seconds a page against 4, as many characters read right.
            # Characters must keep ~8 pixels: at 960 a band of 100 dpi pages 1,800 pixels high lost the
            # small page number of a contents line (tests/test_compile.py), at 1024 it was read.
            "Det.limit_type": "max",
            "Det.limit_side_len": 1152,
            # Lines recognised one at a time: batches pad every line to the widest, which cost 2.8-4.3 CPU
            # seconds a page against 2.1 one at a time (benchmarks/bench_ocr.py, 200 dpi A4 pages).
            "Rec.rec_batch_num": 1,
            # One thread an inference: onnxruntime's own threads spin while they wait, which cost 5.2-5.6
            # CPU seconds a page against 3.2-3.3; pages in parallel use the cores instead (`PagePool`).
            "EngineConfig.onnxruntime.intra_op_num_threads": 1,
        }
    )


def _upright(gray: Image) -> tuple[Image, list[Box]]:
    """The page turned so its lines run left to right, top up, and its boxes read so."""
    boxes = _read(gray)
    if abs(skew(boxes)) > 45:
        # A page on its side: RapidOCR reads each standing line turned a quarter counter-clockwise,
        # so a page read well that way is turned the same way, otherwise the other way.
        gray = gray.rotate(90 if _confidence(boxes) >= _UPRIGHT else -90, expand=True)
        boxes = _read(gray)
    if _confidence(boxes) < _UPRIGHT:
        turned = gray.rotate(180)
        again = _read(turned)
        if _confidence(again) > _confidence(boxes):
            return turned, again
    return gray, boxes


def _read(gray: Image) -> list[Box]:
    result = _engine()(gray.convert("RGB"), return_word_box=True, return_single_char_box=True)
    corners = [] if result.boxes is None else result.boxes.tolist()
    return [
        _box(text, score, box, chars)
        for text, score, box, chars in zip(result.txts or (), result.scores or (), corners, _words(result), strict=True)
        if text.strip()
    ]


def _read_share(gray: Image, boxes: Sequence[Box]) -> float:
    """The share of the ink within the text block that lies inside the boxes OCR read: 1 for a page
    read whole, less where OCR found lines too faint to read; 0 when it read nothing on a page with
    ink."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter

    smooth = np.asarray(gray.filter(ImageFilter.BoxBlur(_INK_BLUR)), dtype=np.float32)
    paper = gray.reduce(_PAPER_CELL).filter(ImageFilter.MaxFilter(5)).resize(gray.size)
    ink = smooth < np.asarray(paper, dtype=np.float32) - _INK_CONTRAST
    if not boxes:
        return 0.0 if ink.mean() > _BLANK_INK else 1.0
    xs = [x for box in boxes for x, _ in box.corners]
    ys = [y for box in boxes for _, y in box.corners]
    block = ink[max(0, int(min(ys))) : int(max(ys)) + 1, max(0, int(min(xs))) : int(max(xs)) + 1]
    read = Image.new("1", gray.size, 0)
    for box in boxes:
        ImageDraw.Draw(read).polygon(box.corners, fill=1)
    inside = np.asarray(read)[max(0, int(min(ys))) : int(max(ys)) + 1, max(0, int(min(xs))) : int(max(xs)) + 1]
    total = int(block.sum())
    return float((block & inside).sum() / total) if total else 1.0


def _confidence(boxes: Sequence[Box]) -> float:
    """The mean confidence of the characters read, 0 when none was."""
    confidences = [c for box in boxes for c in box.confidences]
    return statistics.fmean(confidences) if confidences else 0.0


def _words(result: Any) -> Sequence[Any]:
    words = getattr(result, "word_results", None)
    return words if words and len(words) == len(result.txts or ()) else [()] * len(result.txts or ())


def _box(text: str, score: float, corners: Sequence[Sequence[float]], chars: Sequence[Any]) -> Box:
    """A box with its characters' confidences (the box's own for each when they do not match its text),
    each width-ambiguous mark in the width the room it takes shows, and the room left for characters."""
    points = tuple((float(x), float(y)) for x, y in corners)
    visible = "".join(text.split())
    if "".join(str(char[0]) for char in chars) != visible or len(visible) < 3:
        return Box(text, (float(score),) * len(visible), points)
    angle = skew([Box(text, (), points)]) if len(points) == 4 else 0.0
    starts = [along(char[2][0], angle) for char in chars]
    steps = [b - a for a, b in itertools.pairwise(starts)]
    pitch = statistics.median(steps)
    if pitch <= 0:
        return Box(text, tuple(float(char[1]) for char in chars), points)
    marks = [
        _width(mark, (starts[i + 1] - starts[i - 1]) / pitch) if 0 < i < len(visible) - 1 else mark
        for i, mark in enumerate(visible)
    ]
    gaps = tuple(i + 1 for i, step in enumerate(steps) if step >= _GAP_FROM * pitch)
    marked = iter(marks)
    text = "".join(char if char.isspace() else next(marked) for char in text)
    return Box(text, tuple(float(char[1]) for char in chars), points, gaps)


def _width(mark: str, room: float) -> str:
    """The mark in the width its room shows."""
    if room < _HALF_WIDTH_BELOW:
        return _HALF.get(mark, mark)
    return _FULL.get(mark, mark)


def _line(row: Row) -> ReadLine:
    """A printed line from its boxes, with the gaps between them and at its two ends."""
    gaps: list[int] = [0]
    at = 0
    for box in row.boxes:
        gaps.extend(at + gap for gap in box.gaps)
        at += len(box.confidences)
        gaps.append(at)
    xs = [x for box in row.boxes for x, _ in box.corners]
    ys = [y for box in row.boxes for _, y in box.corners]
    return ReadLine(
        " ".join(box.text for box in row.boxes),
        tuple(c for box in row.boxes for c in box.confidences),
        (int(min(xs)), int(min(ys)), int(max(xs)) + 1, int(max(ys)) + 1),
        row.depth,
        tuple(sorted(set(gaps))),
    )


def _preview(gray: Image, scale: float) -> bytes:
    small = gray.resize((round(gray.width * scale), round(gray.height * scale))) if scale < 1 else gray
    out = io.BytesIO()
    small.save(out, format="JPEG", quality=_PREVIEW_QUALITY)
    return out.getvalue()
