"""The one walk of a Word body: its paragraphs' text in reading order, and the runs that hold it.

The reader (extract/docx.py) takes the text; the Word outputs (render/docx.py) edit and comment the
runs. Both read the same walk, so an offset into the text read is an offset into the runs' text.

The body XML is walked directly, not through python-docx's Paragraph.text, because that skips
runs inside tracked insertions (w:ins), simple fields and content controls, which are text on
the page, and would read a text box twice (once from mc:Choice, once from mc:Fallback). Tables
are read cell by cell; a text box after the paragraph it is anchored in; a blank paragraph not
at all; each paragraph read ends with a newline.

A paragraph in a list starts with its number as Word and LibreOffice show it (`一、`, `（一）`,
`1.`), rendered here from the list definitions (numbering.xml), which python-docx does not do.
The number is text of the page but of no run: an edit of it edits nothing in the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

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


def word_body(document: Any) -> Body:
    """The body of a python-docx Document, its lists numbered."""
    return read_body(document.element.body, list_numbering(document))


def read_body(body: Element, numbering: ListNumbering | None = None) -> Body:
    """The text, paragraph starts and runs of a body (python-docx's `document.element.body`)."""
    parts: list[str] = []
    starts: list[int] = []
    pieces: list[Piece] = []
    length = 0
    counters = _Counters(numbering or ListNumbering())
    for paragraph, runs in _paragraphs(body):
        label = counters.label(paragraph)
        text = label + "".join([text for _, text in runs])
        if not text.strip():
            continue
        starts.append(length)
        length += len(label)
        for element, run_text in runs:
            pieces.append(Piece(element, length, length + len(run_text)))
            length += len(run_text)
        parts.append(text + "\n")
        length += 1
    return Body("".join(parts), tuple(starts), tuple(pieces))


def _paragraphs(container: Iterable[Element]) -> Iterator[tuple[Element, list[tuple[Element, str]]]]:
    """Each paragraph under a container with its runs and their text; text boxes after their anchor."""
    for child in container:
        if child.tag == _P:
            runs: list[tuple[Element, str]] = []
            boxes: list[Element] = []
            _inline(child, runs, boxes)
            yield child, runs
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


@dataclass(frozen=True)
class Level:
    """One level of a list (w:lvl): where it starts, its number format, its text (`%1、`), when it restarts."""

    start: int = 1
    format: str = "decimal"
    text: str = ""
    # The level (1-based) whose use restarts this one; None: any level above it; 0: never.
    restart: int | None = None
    legal: bool = False  # w:isLgl: the numbers of the levels above in decimal (1.1, not 一.1)
    suffix: str = "\t"


@dataclass(frozen=True)
class ListInstance:
    """A list (w:num): the definition it numbers by, and the levels it overrides (w:lvlOverride)."""

    abstract: str
    starts: Mapping[int, int] = field(default_factory=dict)
    levels: Mapping[int, Level] = field(default_factory=dict)


@dataclass(frozen=True)
class ListNumbering:
    """A document's list definitions: w:abstractNum by id, w:num by id, and the list each paragraph style takes."""

    abstract: Mapping[str, Mapping[int, Level]] = field(default_factory=dict)
    lists: Mapping[str, ListInstance] = field(default_factory=dict)
    # Paragraph style id → (numId, ilvl), each None when neither the style nor its bases set it.
    styles: Mapping[str, tuple[str | None, int | None]] = field(default_factory=dict)
    # Level of each abstract list that a paragraph style is linked to (w:lvl/w:pStyle).
    style_levels: Mapping[tuple[str, str], int] = field(default_factory=dict)


def list_numbering(document: Any) -> ListNumbering:
    """The list definitions of a python-docx Document (none when it has no numbering part)."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    try:
        numbering = document.part.part_related_by(RELATIONSHIP_TYPE.NUMBERING).element
    except KeyError:
        return ListNumbering()
    try:
        styles = document.part.part_related_by(RELATIONSHIP_TYPE.STYLES).element
    except KeyError:
        styles = None
    return parse_numbering(numbering, styles)


def parse_numbering(numbering: Any, styles: Any) -> ListNumbering:
    """The list definitions of numbering.xml and the lists of the paragraph styles of styles.xml."""
    abstract: dict[str, dict[int, Level]] = {}
    style_levels: dict[tuple[str, str], int] = {}
    for definition in numbering.iterfind(W + "abstractNum"):
        key = _val(definition, None, W + "abstractNumId") or ""
        abstract[key] = {}
        for level in definition.iterfind(W + "lvl"):
            ilvl = _int(level.get(W + "ilvl"), 0)
            abstract[key][ilvl] = _level(level)
            if (linked := _val(level, "pStyle")) is not None:
                style_levels[(key, linked)] = ilvl
    lists = {
        _val(instance, None, W + "numId") or "": ListInstance(
            _val(instance, "abstractNumId") or "",
            {
                _int(o.get(W + "ilvl"), 0): _int(_val(o, "startOverride"), 1)
                for o in instance.iterfind(W + "lvlOverride")
                if o.find(W + "startOverride") is not None
            },
            {
                _int(o.get(W + "ilvl"), 0): _level(o.find(W + "lvl"))
                for o in instance.iterfind(W + "lvlOverride")
                if o.find(W + "lvl") is not None
            },
        )
        for instance in numbering.iterfind(W + "num")
    }
    return ListNumbering(abstract, lists, _style_lists(styles), style_levels)


def _style_lists(styles: Any) -> dict[str, tuple[str | None, int | None]]:
    """Each paragraph style's list and level, inherited through w:basedOn."""
    if styles is None:
        return {}
    own: dict[str, tuple[str | None, int | None, str | None]] = {}
    for style in styles.iterfind(W + "style"):
        number = style.find(f"{W}pPr/{W}numPr")
        level = None if number is None else _val(number, "ilvl")
        own[style.get(W + "styleId") or ""] = (
            None if number is None else _val(number, "numId"),
            None if level is None else _int(level, 0),
            _val(style, "basedOn"),
        )
    resolved: dict[str, tuple[str | None, int | None]] = {}
    for name in own:
        num_id, ilvl, based = own[name]
        seen = {name}
        while based in own and based not in seen and (num_id is None or ilvl is None):
            seen.add(based)
            num_id = num_id if num_id is not None else own[based][0]
            ilvl = ilvl if ilvl is not None else own[based][1]
            based = own[based][2]
        resolved[name] = (num_id, ilvl)
    return resolved


def _level(level: Any) -> Level:
    restart = _val(level, "lvlRestart")
    return Level(
        start=_int(_val(level, "start"), 0 if level.find(W + "start") is not None else 1),
        format=_val(level, "numFmt") or "decimal",
        text=(_val(level, "lvlText") or "")[:_MAX_LEVEL_TEXT],
        restart=None if restart is None else _int(restart, 0),
        legal=level.find(W + "isLgl") is not None and _val(level, "isLgl") not in ("0", "false"),
        suffix={"space": " ", "nothing": ""}.get(_val(level, "suff") or "tab", "\t"),
    )


def _val(element: Any, child: str | None, attribute: str = W + "val") -> str | None:
    """An attribute (w:val by default) of a child element, or of the element itself when child is None."""
    found = element if child is None else element.find(W + child)
    return None if found is None else found.get(attribute)


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


class _Counters:
    """The counters of the lists met so far in a walk of the body, which number the paragraphs."""

    def __init__(self, numbering: ListNumbering) -> None:
        self.numbering = numbering
        self.counts: dict[str, dict[int, int]] = {}

    def label(self, paragraph: Element) -> str:
        """The number a paragraph is shown with (`一、` and its tab), counted; empty outside a list."""
        found = self._list_of(paragraph)
        if found is None:
            return ""
        key, levels, ilvl = found
        level = levels[ilvl]
        if level.format == "bullet":  # a bullet is a mark, not a number: left out like a picture
            return ""
        counts = self.counts.setdefault(key, {})
        counts[ilvl] = counts[ilvl] + 1 if ilvl in counts else level.start
        for deeper in [m for m in counts if m > ilvl]:
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart != 0 and ilvl < restart):
                del counts[deeper]

        def number(match: re.Match[str]) -> str:
            at = int(match.group(1)) - 1
            shown = levels.get(at, Level())
            value = counts.get(at, shown.start)
            return format_number(value, "decimal" if level.legal and at != ilvl else shown.format)

        return _PLACEHOLDER.sub(number, level.text) + level.suffix

    def _list_of(self, paragraph: Element) -> tuple[str, dict[int, Level], int] | None:
        """The counters' key, the levels and the level of a paragraph's list, or None."""
        num_id, ilvl, style = _paragraph_list(paragraph)
        style_num, style_ilvl = self.numbering.styles.get(style or "", (None, None))
        num_id = num_id if num_id is not None else style_num
        instance = self.numbering.lists.get(num_id or "")
        if num_id in (None, "0") or instance is None:
            return None
        if ilvl is None:
            linked = self.numbering.style_levels.get((instance.abstract, style or ""), 0)
            ilvl = style_ilvl if style_ilvl is not None else linked
        levels = {**self.numbering.abstract.get(instance.abstract, {}), **instance.levels}
        for at, start in instance.starts.items():
            if at in levels:
                levels[at] = replace(levels[at], start=start)
        if ilvl not in levels:
            return None
        # A list that overrides its definition counts on its own; others count with their definition.
        key = f"num:{num_id}" if instance.starts or instance.levels else f"abstract:{instance.abstract}"
        return key, levels, ilvl


def _paragraph_list(paragraph: Element) -> tuple[str | None, int | None, str | None]:
    """A paragraph's own numId and ilvl (w:numPr) and its style id, each None when not set."""
    properties = next((child for child in paragraph if child.tag == W + "pPr"), None)
    if properties is None:
        return None, None, None
    num_id = ilvl = style = None
    for child in properties:
        if child.tag == W + "pStyle":
            style = _val(child, None)
        elif child.tag == W + "numPr":
            num_id, level = _val(child, "numId"), _val(child, "ilvl")
            ilvl = None if level is None else _int(level, 0)
    return num_id, ilvl, style


_PLACEHOLDER = re.compile("%([1-9])")
# Word takes a level's text up to 255 characters (and real ones have a few); a longer one is a
# hostile file's way to multiply its size by its paragraphs.
_MAX_LEVEL_TEXT = 255
# Numbers past this are written in digits whatever the format: no list counts so far, and a
# hostile start value (10**9 letters AAAA…) cannot blow a label up.
_MAX_WORDED = 99_999
_CHINESE = ("〇一二三四五六七八九", "十百千", "零")
_LEGAL = ("零壹贰叁肆伍陆柒捌玖", "拾佰仟", "零")
# Formats with a fixed series of marks; past its end LibreOffice writes the number in digits.
_SERIES = {
    "ideographTraditional": "甲乙丙丁戊己庚辛壬癸",
    "ideographZodiac": "子丑寅卯辰巳午未申酉戌亥",
    "decimalEnclosedCircle": "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳㉑㉒㉓㉔㉕㉖㉗㉘㉙㉚㉛㉜㉝㉞㉟㊱㊲㊳㊴㊵㊶㊷㊸㊹㊺㊻㊼㊽㊾㊿",
}
_SERIES |= dict.fromkeys(("decimalEnclosedCircleChinese", "ideographEnclosedCircle"), _SERIES["decimalEnclosedCircle"])
_COUNTING = frozenset(
    {"chineseCounting", "chineseCountingThousand", "ideographDigital", "taiwaneseCounting", "japaneseCounting"}
)


def format_number(value: int, number_format: str) -> str:
    """A list number in a w:numFmt, as LibreOffice writes it (its .txt export is the reference)."""
    if not 0 < value <= _MAX_WORDED:
        return str(value)
    if number_format in _COUNTING:
        return _counted(value, _CHINESE, short_ten=True)
    if number_format == "chineseLegalSimplified":
        return _counted(value, _LEGAL, short_ten=False)
    if number_format in _SERIES:
        series = _SERIES[number_format]
        return series[value - 1] if 0 < value <= len(series) else str(value)
    if number_format in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter if number_format == "upperLetter" else letter.lower()
    if number_format in ("upperRoman", "lowerRoman") and value < 4000:
        return _roman(value) if number_format == "upperRoman" else _roman(value).lower()
    if number_format == "decimalZero":
        return f"{value:02d}"
    if number_format == "none":
        return ""
    return str(value)


def _counted(value: int, marks: tuple[str, str, str], short_ten: bool) -> str:
    """A number in Chinese counting (一百一十, 一千零一, 一万零一); 十一 for 11 when short_ten."""
    digits, units, zero = marks
    if value >= 10000:
        high, low = divmod(value, 10000)
        rest = "" if not low else (zero if low < 1000 else "") + _counted(low, marks, short_ten=False)
        return _counted(high, marks, short_ten) + "万" + rest
    written = ""
    pending_zero = False
    for power in range(3, -1, -1):
        digit = value // 10**power % 10
        if digit == 0:
            pending_zero = bool(written)
            continue
        written += (zero if pending_zero else "") + digits[digit] + (units[power - 1] if power else "")
        pending_zero = False
    if short_ten and 10 <= value < 20:
        written = written[1:]
    return written


def _roman(value: int) -> str:
    numerals = (
        *((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL")),
        *((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")),
    )
    written = ""
    for size, numeral in numerals:
        count, value = divmod(value, size)
        written += numeral * count
    return written
