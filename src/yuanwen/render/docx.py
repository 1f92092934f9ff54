"""The Word report: a comment at each finding, on the user's own .docx or on a new one of the reprint.

1. runs: every text run of the body with its offsets, read in the order extract/docx.py reads them
2. locate: finding offsets (into the text as read) → offsets into the runs' text
3. split the runs at finding boundaries, so that each finding covers whole runs
4. comment: range markers around those runs, the comment itself in the comments part

The user's formatting is untouched: a split run keeps its properties on both halves.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from copy import deepcopy
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, cast

from yuanwen.errors import YuanwenError
from yuanwen.model import Finding, Report, Span
from yuanwen.normalize import normalize
from yuanwen.render.text import KIND_NAMES, SEVERITY_NAMES

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.opc.part import XmlPart
    from docx.oxml.text.run import CT_R
    from lxml.etree import _Element

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# The same subtrees extract/docx.py leaves out: no text of the page is in them.
_SKIP = frozenset({_W + "del", _W + "moveFrom", _W + "pPr", _W + "rPr", _W + "sectPr", _MC + "Fallback"})
_CONTAINERS = frozenset({_W + "tbl", _W + "sdt", _W + "sdtContent", _W + "customXml", _W + "tr", _W + "tc"})
# Run children that are one character of text each, as extract/docx.py reads them.
_ONE_CHAR = {_W + "tab": "\t", _W + "br": "\n", _W + "cr": "\n", _W + "noBreakHyphen": "-"}
# Characters XML 1.0 cannot hold (form feeds of PDF page breaks, stray controls): one space each,
# so that offsets stay the same.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
AUTHOR = "yuanwen"
_INITIALS = "YW"
# A comment quotes at most this much of the source's wording; a cut of a page is not read in a margin.
_QUOTE_CHARS = 200


@dataclass(frozen=True)
class Piece:
    """A run of the body and the offsets [start, end) of its text in the runs' text."""

    element: _Element
    start: int
    end: int


class RunText:
    """The body's runs in reading order, their text, and how to cut them at an offset."""

    def __init__(self, text: str, pieces: list[Piece]) -> None:
        self.text = text
        self.pieces = pieces
        self._starts = [p.start for p in pieces]

    def split(self, offsets: Iterable[int]) -> None:
        """Split every run that an offset falls inside, so that each offset is a run boundary."""
        cuts = sorted(set(offsets))
        pieces: list[Piece] = []
        for piece in self.pieces:
            inside = cuts[bisect_right(cuts, piece.start) : bisect_left(cuts, piece.end)]
            element, start = piece.element, piece.start
            for cut in inside:
                right = _split_run(element, cut - start)
                pieces.append(Piece(element, start, cut))
                element, start = right, cut
            pieces.append(Piece(element, start, piece.end))
        self.pieces = pieces
        self._starts = [p.start for p in pieces]

    def within(self, span: Span) -> list[Piece]:
        """The runs whose text lies inside a span (split at its ends first)."""
        low, high = bisect_left(self._starts, span.start), bisect_left(self._starts, span.end)
        return [p for p in self.pieces[low:high] if p.end <= span.end and p.end > p.start]

    def before(self, offset: int) -> Piece | None:
        """The last run with text that ends at or before an offset, else the first run."""
        i = bisect_right(self._starts, offset) - 1
        while i >= 0 and (self.pieces[i].end > offset or self.pieces[i].end == self.pieces[i].start):
            i -= 1
        return self.pieces[i] if i >= 0 else next(iter(self.pieces), None)


@dataclass(frozen=True)
class Target:
    """The Word document that gets the comments, its runs, and where the reprint's offsets land."""

    document: WordDocument
    runs: RunText
    offsets: OffsetMap


class OffsetMap:
    """Offsets into the text as read → offsets into the runs' text (the same when the texts are)."""

    def __init__(self, read: str, runs: str) -> None:
        self._same = read == runs
        if self._same:
            return
        from yuanwen.align import align

        self._read, self._runs = normalize(read), normalize(runs)
        equal = [e for e in align(self._read, self._runs).edits if e.op == "equal"]
        self._blocks = [(e.source.start, e.reprint.start, len(e.source)) for e in equal]
        self._block_starts = [b[0] for b in self._blocks]

    def span(self, span: Span) -> Span:
        """A span of the text as read, on the runs' text; text the runs lack shrinks to a point."""
        if self._same:
            return span
        first = bisect_left(self._read.offsets, span.start)
        start = self._content(first)
        end = self._content(bisect_left(self._read.offsets, span.end))
        if end <= start:
            return Span(self._offset(start), self._offset(start))
        return Span(self._offset(start), self._offset(end - 1) + 1)

    def _content(self, index: int) -> int:
        """A content index of the text as read → the runs' content index; in a gap, the gap's end."""
        i = bisect_right(self._block_starts, index) - 1
        if i < 0:
            return self._blocks[0][1] if self._blocks else 0
        start, target, size = self._blocks[i]
        return target + min(index - start, size)

    def _offset(self, index: int) -> int:
        """A content index of the runs' text → its offset in the runs' text."""
        offsets = self._runs.offsets
        if index < len(offsets):
            return offsets[index]
        return offsets[-1] + 1 if offsets else 0


def render_docx(report: Report) -> bytes:
    """The reprint as a .docx with a Word comment at each finding."""
    target = open_target(report)
    spans = [anchor(target.runs.text, target.offsets.span(f.reprint_span)) for f in report.findings]
    target.runs.split(offset for span in spans for offset in (span.start, span.end))
    add_comments(
        target.document,
        [(target.runs.within(span), comment_text(f)) for f, span in zip(report.findings, spans, strict=True)],
    )
    return save(target.document)


def open_target(report: Report) -> Target:
    """The user's own .docx when the reprint is one and still readable, else a new one of its text."""
    if report.reprint.format == "docx" and report.reprint.path:
        document = _open_user_docx(Path(report.reprint.path))
        if document is not None:
            runs = read_runs(document)
            return Target(document, runs, OffsetMap(report.reprint.text, runs.text))
    document, runs = _new_docx(report.reprint.text)
    return Target(document, runs, OffsetMap(runs.text, runs.text))


def _open_user_docx(path: Path) -> WordDocument | None:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    from yuanwen.extract.office import convert_to_docx
    from yuanwen.extract.sniff import sniff

    try:
        data = path.read_bytes()
        if sniff(data, str(path)) == "office":  # a .doc or .odt was read through LibreOffice's .docx
            data = convert_to_docx(data, str(path))
        return docx.Document(io.BytesIO(data))
    except (OSError, YuanwenError, PackageNotFoundError, zipfile.BadZipFile, KeyError, XMLSyntaxError, ValueError):
        return None


def read_runs(document: WordDocument) -> RunText:
    """The body's runs with their offsets, in the order and with the text extract/docx.py reads."""
    walk = _Walk()
    walk.blocks(document.element.body)
    return RunText("".join(walk.parts), walk.pieces)


class _Walk:
    """Reads runs the way extract/docx.py reads paragraphs: blank ones dropped, a newline after each."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pieces: list[Piece] = []
        self.length = 0

    def blocks(self, container: _Element) -> None:
        for child in container:
            if child.tag == _W + "p":
                boxes = self._paragraph(child)
                for box in boxes:
                    self.blocks(box)
            elif child.tag in _CONTAINERS:
                self.blocks(child)

    def _paragraph(self, paragraph: _Element) -> list[_Element]:
        parts, pieces, length = len(self.parts), len(self.pieces), self.length
        boxes: list[_Element] = []
        self._inline(paragraph, boxes)
        if "".join(self.parts[parts:]).strip():
            self._add("\n")
        else:  # a blank paragraph is not read: take back what it added
            del self.parts[parts:], self.pieces[pieces:]
            self.length = length
        return boxes

    def _inline(self, element: _Element, boxes: list[_Element]) -> None:
        for child in element:
            if child.tag in _SKIP:
                continue
            if child.tag == _W + "r":
                start = self.length
                self._add("".join(_run_text(child)))
                self.pieces.append(Piece(child, start, self.length))
                boxes.extend(_boxes(child))
            elif child.tag == _W + "txbxContent":
                boxes.append(child)
            else:
                self._inline(child, boxes)

    def _add(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)


def _run_text(run: _Element) -> Iterator[str]:
    for child in run:
        if child.tag == _W + "t":
            yield child.text or ""
        elif child.tag in _ONE_CHAR:
            yield _ONE_CHAR[str(child.tag)]


def _boxes(element: _Element) -> Iterator[_Element]:
    """The text boxes drawn in a run (their text is read after the paragraph's)."""
    for child in element:
        if child.tag in _SKIP:
            continue
        if child.tag == _W + "txbxContent":
            yield child
        else:
            yield from _boxes(child)


def _length(child: _Element) -> int:
    if child.tag == _W + "t":
        return len(child.text or "")
    return 1 if child.tag in _ONE_CHAR else 0


def _split_run(run: _Element, at: int) -> _Element:
    """Cut a run's text at a character offset; the run keeps the first part, the new next run the rest."""
    from docx.oxml.parser import OxmlElement

    right = OxmlElement("w:r")
    properties = run.find(_W + "rPr")
    if properties is not None:
        right.append(deepcopy(properties))
    seen = 0
    for child in list(run):
        if child.tag == _W + "rPr":
            continue
        size = _length(child)
        if seen >= at and (size or seen > at):
            right.append(child)
        elif seen < at < seen + size:  # a w:t holding the cut: its text is shared out
            text = child.text or ""
            child.text = text[: at - seen]
            child.set(_XML_SPACE, "preserve")
            rest = OxmlElement("w:t")
            rest.text = text[at - seen :]
            rest.set(_XML_SPACE, "preserve")
            right.append(rest)
        seen += size
    run.addnext(right)
    return right


def set_run_text(run: _Element, text: str) -> None:
    """Replace the text of a run (its w:t, tabs and breaks), keeping its properties and drawings."""
    from docx.oxml.parser import OxmlElement

    for child in list(run):
        if child.tag == _W + "t" or child.tag in _ONE_CHAR:
            run.remove(child)
    if text:
        element = OxmlElement("w:t")
        element.text = _NOT_XML.sub(" ", text)
        element.set(_XML_SPACE, "preserve")
        run.append(element)


def new_run_after(piece: Piece, text: str) -> _Element:
    """A new run of text right after a run, formatted like it."""
    from docx.oxml.parser import OxmlElement

    run = OxmlElement("w:r")
    properties = piece.element.find(_W + "rPr")
    if properties is not None:
        run.append(deepcopy(properties))
    set_run_text(run, text)
    piece.element.addnext(run)
    return run


def anchor(text: str, span: Span) -> Span:
    """A span with text to hold a comment: a point (an omission) takes the character before it."""
    if span.end > span.start:
        return span
    before = len(text[: span.start].rstrip())
    if before:
        return Span(before - 1, before)
    after = len(text) - len(text[span.start :].lstrip())
    return Span(after, min(after + 1, len(text)))


def comment_text(finding: Finding) -> str:
    """What a comment says: severity and kind, the message, the source's wording, the rule."""
    from yuanwen.fix import wording

    lines = [f"【{SEVERITY_NAMES[finding.severity]}·{KIND_NAMES[finding.kind]}】{finding.message}"]
    if finding.source_text:
        # A finding with no source (yuanwen.lint) carries a suggested wording instead.
        label = "原文" if finding.source_id is not None else "建议"
        lines.append(f"{label}：{shorten(wording(finding), _QUOTE_CHARS)}")
    if finding.kind == "omission":
        lines.append("（批注标在删节处的前一个字上）")
    lines.append(f"规则：{finding.rule}")
    return "\n".join(lines)


def shorten(text: str, limit: int) -> str:
    """A text cut to a limit, saying how long it was."""
    return text if len(text) <= limit else f"{text[:limit]}……（共 {len(text)} 字）"


def add_comments(document: WordDocument, notes: Sequence[tuple[list[Piece], str]]) -> None:
    """A Word comment on each run range; a range with no runs gets none."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml.parser import parse_xml

    _ = document.comments  # creates the comments part when the document has none
    comments = cast("XmlPart", document.part.part_related_by(RELATIONSHIP_TYPE.COMMENTS)).element
    # python-docx's add_comment rescans every id per comment: 1,500 comments took 2 s. Ids here
    # are counted on from the largest one in use, and all comments are parsed in one go.
    ids = [int(i) for i in comments.xpath("./w:comment/@w:id")]
    next_id = max(ids, default=-1) + 1
    date = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    made: list[str] = []
    for pieces, text in notes:
        if not pieces:
            continue
        cast("CT_R", pieces[0].element).insert_comment_range_start_above(next_id)
        cast("CT_R", pieces[-1].element).insert_comment_range_end_and_reference_below(next_id)
        made.append(_comment_xml(next_id, text, date))
        next_id += 1
    if made:
        holder = parse_xml(f'<w:comments xmlns:w="{_W[1:-1]}">{"".join(made)}</w:comments>')
        comments.extend(list(holder))


def _comment_xml(number: int, text: str, date: str) -> str:
    paragraphs = []
    for i, line in enumerate(text.split("\n")):
        mark = '<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:annotationRef/></w:r>' if i == 0 else ""
        paragraphs.append(
            f'<w:p><w:pPr><w:pStyle w:val="CommentText"/></w:pPr>{mark}'
            f'<w:r><w:t xml:space="preserve">{_xml_text(line)}</w:t></w:r></w:p>'
        )
    return (
        f'<w:comment w:id="{number}" w:author="{AUTHOR}" w:initials="{_INITIALS}" w:date="{date}">'
        f"{''.join(paragraphs)}</w:comment>"
    )


def _xml_text(text: str) -> str:
    return escape(_NOT_XML.sub(" ", text), quote=False)


def _new_docx(text: str) -> tuple[WordDocument, RunText]:
    """A new .docx of a text, one paragraph per non-blank line, its runs at the text's own offsets."""
    import docx
    from docx.oxml.parser import parse_xml

    document = docx.Document()
    _chinese_body_font(document)
    lines = list(_lines(text))
    # One parse of the whole body: python-docx's add_paragraph looks for the section break each
    # time, which made 30,000 lines take 11 s.
    xml = "".join(f"<w:p><w:r>{_run_xml(line)}</w:r></w:p>" for line, _ in lines)
    body = parse_xml(f'<w:body xmlns:w="{_W[1:-1]}">{xml}</w:body>')
    section = document.element.body.find(_W + "sectPr")
    pieces = []
    for paragraph, (line, start) in zip(list(body), lines, strict=True):
        if section is not None:
            section.addprevious(paragraph)
        else:
            document.element.body.append(paragraph)
        pieces.append(Piece(paragraph[0], start, start + len(line)))
    return document, RunText(text, pieces)


def _chinese_body_font(document: WordDocument) -> None:
    """Chinese body text in 宋体 小四 (12 pt), as official documents are set."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = document.styles["Normal"].font
    font.size = Pt(12)
    font.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")


def _lines(text: str) -> Iterator[tuple[str, int]]:
    """Each non-blank line of a text, with its offset."""
    start = 0
    for line in text.split("\n"):
        if line.strip():
            yield line, start
        start += len(line) + 1


def _run_xml(line: str) -> str:
    """A run's content for a line: text, with each tab a w:tab as Word writes it."""
    parts = line.split("\t")
    return "<w:tab/>".join(f'<w:t xml:space="preserve">{_xml_text(part)}</w:t>' for part in parts)


def save(document: WordDocument) -> bytes:
    """The document's bytes."""
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
