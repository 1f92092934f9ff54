"""The one walk of a Word body: its paragraphs' text in reading order, and the runs that hold it.

The reader (extract/docx.py) takes the text; the Word outputs (render/docx.py) edit and comment the
runs. Both read the same walk, so an offset into the text read is an offset into the runs' text.

The body XML is walked directly, not through python-docx's Paragraph.text, because that skips
runs inside tracked insertions (w:ins), simple fields and content controls, which are text on
the page, and would read a text box twice (once from mc:Choice, once from mc:Fallback). Tables
are read cell by cell; a text box after the paragraph it is anchored in; a blank paragraph not
at all; each paragraph read ends with a newline.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Subtrees that hold no text of the page: deleted or moved-away runs, run and paragraph
# properties (w:tabs there are tab stops, not tabs), the fallback copy of a drawing.
_SKIP = frozenset({W + "del", W + "moveFrom", W + "pPr", W + "rPr", W + "sectPr", _MC + "Fallback"})
_CONTAINERS = frozenset({W + "tbl", W + "sdt", W + "sdtContent", W + "customXml", W + "tr", W + "tc"})
_P, _R, _T, _BOX = W + "p", W + "r", W + "t", W + "txbxContent"
# Run children that are one character of text each.
ONE_CHAR = {W + "tab": "\t", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-"}


class Element(Protocol):
    """The part of lxml's element that the walk uses."""

    tag: object
    text: str | None

    def __iter__(self) -> Iterator[Element]: ...


@dataclass(frozen=True)
class Piece:
    """A run of the body and the offsets [start, end) of its text in the body's text."""

    element: Element
    start: int
    end: int


@dataclass(frozen=True)
class Body:
    """A body's text as read, where each of its paragraphs starts, and the runs that hold the text."""

    text: str
    paragraph_starts: tuple[int, ...]
    pieces: tuple[Piece, ...]


def read_body(body: Element) -> Body:
    """The text, paragraph starts and runs of a body (python-docx's `document.element.body`)."""
    parts: list[str] = []
    starts: list[int] = []
    pieces: list[Piece] = []
    length = 0
    for runs in _paragraphs(body):
        text = "".join([text for _, text in runs])
        if not text.strip():
            continue
        starts.append(length)
        for element, run_text in runs:
            pieces.append(Piece(element, length, length + len(run_text)))
            length += len(run_text)
        parts.append(text + "\n")
        length += 1
    return Body("".join(parts), tuple(starts), tuple(pieces))


def _paragraphs(container: Iterable[Element]) -> Iterator[list[tuple[Element, str]]]:
    """The runs of each paragraph under a container with their text; text boxes after their anchor."""
    for child in container:
        if child.tag == _P:
            runs: list[tuple[Element, str]] = []
            boxes: list[Element] = []
            _inline(child, runs, boxes)
            yield runs
            for box in boxes:
                yield from _paragraphs(box)
        elif child.tag in _CONTAINERS:
            yield from _paragraphs(child)


def _inline(element: Element, runs: list[tuple[Element, str]], boxes: list[Element]) -> None:
    """The runs under an element in reading order with their text, and the text boxes drawn there."""
    for child in element:
        tag = child.tag
        if tag in _SKIP:
            continue
        if tag == _R:
            _run(child, runs, boxes)
        elif tag == _BOX:
            boxes.append(child)
        else:
            _inline(child, runs, boxes)


def _run(run: Element, runs: list[tuple[Element, str]], boxes: list[Element]) -> None:
    """A run's own text (w:t, tabs, breaks); the runs of a ruby and the text boxes of a drawing in it come after."""
    index = len(runs)
    runs.append((run, ""))
    texts: list[str] = []
    for child in run:
        tag = child.tag
        if tag == _T:
            texts.append(child.text or "")
        elif tag in ONE_CHAR:
            texts.append(ONE_CHAR[str(tag)])
        elif tag not in _SKIP:
            _inline(child, runs, boxes)
    runs[index] = (run, "".join(texts))
