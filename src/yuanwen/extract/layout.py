"""OCR boxes → printed lines in reading order: the page deskewed, cut into pages and columns at their
gutters, each column read top to bottom, each line left to right.

RapidOCR returns whole printed lines as turned quadrilaterals, so the page's skew is read from the
lines themselves, and the order is found in the page's own frame, not the image's.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

Point = tuple[float, float]

# A box this many times longer than high is a line, whose long side shows the page's skew; a
# shorter one (a page number, a lone character) shows little.
_LINE_ASPECT = 2.0
# A vertical strip free of text and at least this many line heights wide parts two columns or the
# two pages of a spread: a word gap in a line is under 2, a column gutter or a spread's margins
# 2.5 and more (the test booklet's spread: two 72-point margins at 12-point type, ~12).
_GUTTER = 2.0
# A column needs this many lines: two words far apart on one line are no columns.
_COLUMN_LINES = 3
# The gutter of a spread lies within this share of the image's width from its middle; a
# photographer centres the open booklet.
_SPREAD_MIDDLE = 0.15
# Two boxes are on one line when their centres, in the page's own frame, are less than this share
# of a line's height apart; lines are set at least 1.2 heights apart.
_SAME_LINE = 0.5


@dataclass(frozen=True)
class Box:
    """One box OCR read: its text, a confidence per non-space character, its corners on the image, and
    the indexes of the non-space characters before which it left room for a character it did not read."""

    text: str
    confidences: tuple[float, ...]
    corners: tuple[Point, ...]
    gaps: tuple[int, ...] = ()


@dataclass(frozen=True)
class Row:
    """One printed line: its boxes left to right, and its bottom on the upright page, in pixels."""

    boxes: tuple[Box, ...]
    depth: float


@dataclass(frozen=True)
class _Placed:
    """A box with its bounds in the page's own frame (the skew taken out)."""

    box: Box
    left: float
    top: float
    right: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


def skew(boxes: Sequence[Box]) -> float:
    """The angle of the page's lines in degrees, in (-90, 90]: 0 upright, ±90 a page turned on its side."""
    angles: list[tuple[float, float]] = []
    for box in boxes:
        direction, length, height = _long_side(box.corners)
        if length >= _LINE_ASPECT * height:
            angles.append((direction, length))
    if not angles:
        return 0.0
    return _weighted_median(angles)


def reading_order(boxes: Sequence[Box], angle: float, centre: Point) -> list[Row]:
    """The printed lines in reading order: page by page, column by column, top to bottom; the page is
    straightened about its centre, so a line keeps its depth on the page whatever the skew."""
    placed = [_place(box, angle, centre) for box in boxes]
    return [row for column in _columns(placed, angle, centre) for row in _rows(column, angle, centre)]


def is_spread(boxes: Sequence[Box], angle: float, size: Point) -> bool:
    """True for two facing pages in one image: wider than high, with a gutter near its middle."""
    width, height = size
    if width <= height:
        return False
    placed = [_place(box, angle, (width / 2, height / 2)) for box in boxes]
    columns = _columns(placed, angle, (width / 2, height / 2))
    if len(columns) < 2:
        return False
    cuts = [(max(p.right for p in a) + min(p.left for p in b)) / 2 for a, b in itertools.pairwise(columns)]
    return any(abs(cut - width / 2) < _SPREAD_MIDDLE * width for cut in cuts)


def along(point: Point, angle: float) -> float:
    """How far a point lies along lines at the given angle: where a character starts on its line."""
    radians = math.radians(angle)
    return point[0] * math.cos(radians) + point[1] * math.sin(radians)


def _long_side(corners: Sequence[Point]) -> tuple[float, float, float]:
    """The direction of a box's longer side (degrees, in (-90, 90]), its length, and the shorter side's."""
    (x0, y0), (x1, y1), _, (x3, y3) = corners[:4]
    top, side = math.hypot(x1 - x0, y1 - y0), math.hypot(x3 - x0, y3 - y0)
    dx, dy, length, height = (x1 - x0, y1 - y0, top, side) if top >= side else (x3 - x0, y3 - y0, side, top)
    direction = math.degrees(math.atan2(dy, dx))
    while direction <= -90:
        direction += 180
    while direction > 90:
        direction -= 180
    return direction, length, height


def _weighted_median(values: list[tuple[float, float]]) -> float:
    values.sort()
    half, total = sum(weight for _, weight in values) / 2, 0.0
    for value, weight in values:
        total += weight
        if total >= half:
            return value
    return values[-1][0]


def _place(box: Box, angle: float, centre: Point) -> _Placed:
    radians = math.radians(angle)
    cos, sin = math.cos(radians), math.sin(radians)
    cx, cy = centre
    xs = [cx + (x - cx) * cos + (y - cy) * sin for x, y in box.corners]
    ys = [cy - (x - cx) * sin + (y - cy) * cos for x, y in box.corners]
    return _Placed(box, min(xs), min(ys), max(xs), max(ys))


def _columns(placed: list[_Placed], angle: float, centre: Point) -> list[list[_Placed]]:
    """The boxes cut at their widest gutter, again and again: pages of a spread, then columns, left to right."""
    if len(placed) < 2 * _COLUMN_LINES:
        return [placed]
    height = statistics.median(p.height for p in placed)
    cut = _gutter(placed, _GUTTER * height)
    if cut is None:
        return [placed]
    left = [p for p in placed if p.right <= cut]
    right = [p for p in placed if p.left >= cut]
    if min(len(_rows(left, angle, centre)), len(_rows(right, angle, centre))) < _COLUMN_LINES:
        return [placed]
    return _columns(left, angle, centre) + _columns(right, angle, centre)


def _gutter(placed: list[_Placed], width: float) -> float | None:
    """The middle of the widest strip free of boxes, at least the given width, between boxes; or None."""
    best: tuple[float, float] | None = None
    reach = -math.inf
    for p in sorted(placed, key=lambda p: p.left):
        if reach > -math.inf and p.left - reach >= width and (best is None or p.left - reach > best[0]):
            best = (p.left - reach, (p.left + reach) / 2)
        reach = max(reach, p.right)
    return None if best is None else best[1]


def _rows(column: list[_Placed], angle: float, centre: Point) -> list[Row]:
    """A column's boxes joined into lines, top to bottom; a column keeps a skew of its own, as a
    spread's two pages photographed together do."""
    if not column:
        return []
    own = skew([p.box for p in column])
    if abs(own - angle) > 0.2:
        column = [_place(p.box, own, centre) for p in column]
    height = statistics.median(p.height for p in column)
    rows: list[list[_Placed]] = []
    for p in sorted(column, key=lambda p: p.middle):
        if rows and abs(p.middle - statistics.fmean(q.middle for q in rows[-1])) < _SAME_LINE * height:
            rows[-1].append(p)
        else:
            rows.append([p])
    return [Row(tuple(p.box for p in sorted(row, key=lambda p: p.left)), max(p.bottom for p in row)) for row in rows]
