"""The lines of printed pages → body text: page numbers and running headers and footers left out."""

from __future__ import annotations

import math
import re
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from yuanwen.errors import InputError
from yuanwen.furniture import is_page_number, running_key

# A booklet, a speech or a white paper has tens of pages, a yearbook some hundreds: more than this
# is an archive, not one text. Counted before any page is read (a page tree may list one page a
# million times in 6 MB), so a scan of 1,500 blank pages is refused at once, not after hours of OCR.
MAX_PAGES = 1000
# Only the lines nearest the top and the bottom edge of a page can be page furniture: a header
# may have two lines (booklet name, issue) above a rule, a footer a page number under a note.
EDGE_LINES = 3
# A running header or footer repeats on at least this share of the pages (and on two at least);
# 0.4 keeps alternating left/right headers, each printed on every other page.
RUNNING_SHARE = 0.4
# How far (in points) a running line may drift between pages. A running header is set at the same
# place on every page; a body line with the same words (the title on page 1) sits at least one
# line height (≥ 12 pt for text set at 10.5 pt) away from it.
RUNNING_DRIFT = 6.0


def require_pages(count: int, name: str) -> None:
    """Refuse a document of more than MAX_PAGES pages, before any of them is read."""
    if count > MAX_PAGES:
        raise InputError(f"页数过多（{count:,} 页，上限 {MAX_PAGES:,} 页）：{name}")


# Ideographs, CJK punctuation, full-width forms and the quotes and dashes Chinese text uses:
# a space between two of these is an extraction artefact (justified lines, letter-spaced titles).
_CJK = r"\u2014\u2018-\u201d\u2026\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0]+(?=[{_CJK}])")


@dataclass(frozen=True)
class Line:
    """One printed line: its text and the depth of its baseline below the top of the page, in points."""

    text: str
    baseline: float
    # The indexes, among the line's non-space characters, of those printed by an OFD template page.
    template: tuple[int, ...] = ()


def body_lines(pages: Sequence[Sequence[Line]]) -> list[list[str]]:
    """The body lines of each page, without page numbers, running headers, footers or CJK gaps."""
    return [
        [close_cjk_gaps(lines[i].text) for i in kept] for lines, kept in zip(pages, body_indexes(pages), strict=True)
    ]


def body_indexes(pages: Sequence[Sequence[Line]]) -> list[list[int]]:
    """The indexes of each page's body lines: not blank, not a page number, running header or footer."""
    edges = [_edge_indexes(lines) for lines in pages]
    running = _running_lines(pages, edges)
    return [
        [
            index
            for index, line in enumerate(lines)
            if line.text.strip()
            and (index not in edge or not (is_page_number(line.text) or _is_running(line, running)))
        ]
        for lines, edge in zip(pages, edges, strict=True)
    ]


def close_cjk_gaps(text: str) -> str:
    """Remove the spaces a PDF reader puts between two Chinese characters."""
    return _CJK_GAP.sub("", text)


def _edge_indexes(lines: Sequence[Line]) -> set[int]:
    by_depth = sorted(range(len(lines)), key=lambda i: lines[i].baseline)
    return set(by_depth[:EDGE_LINES]) | set(by_depth[-EDGE_LINES:])


def _running_lines(pages: Sequence[Sequence[Line]], edges: Sequence[set[int]]) -> dict[str, float]:
    """Each running header or footer, by key, with the depth it is printed at."""
    depths: defaultdict[str, list[float]] = defaultdict(list)
    for lines, edge in zip(pages, edges, strict=True):
        seen: dict[str, float] = {}
        for index in edge:
            key = running_key(lines[index].text)
            if len(key) >= 2:
                seen.setdefault(key, lines[index].baseline)
        for key, depth in seen.items():
            depths[key].append(depth)
    needed = max(2, math.ceil(RUNNING_SHARE * len(pages)))
    return {key: statistics.median(found) for key, found in depths.items() if len(found) >= needed}


def _is_running(line: Line, running: dict[str, float]) -> bool:
    depth = running.get(running_key(line.text))
    return depth is not None and abs(line.baseline - depth) <= RUNNING_DRIFT
