"""The Word report: the reprint with every correction a tracked change, a comment on each entry of the list.

1. runs: every text run of the body with its offsets, by the walk the reader read the text with
   (yuanwen.docxbody), so a finding's offsets into the text as read are offsets into the runs' text
2. split the runs at finding boundaries, so that each finding covers whole runs
3. track: each edit `yuanwen fix` would make becomes w:del around the reprint's runs and w:ins of the
   source's wording (author yuanwen), so accepting all gives fix's text and rejecting all the reprint
4. comment: range markers around each entry of the findings list (a group's first finding), the
   comment itself in the comments part
5. cover: an A4 first section with the verdict, the error rate, the summary lines and the list

`render_docx_comments` leaves out step 3 (comments only, the reprint's text untouched).

The user's own .docx comes in the Report (the bytes it was read from); the file is not read
again. Its formatting is untouched: a split run keeps its properties on both halves. `fix` hands
its edits to `edited_docx`, which makes them in the runs the same way.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from copy import deepcopy
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, cast

from yuanwen.docxbody import ONE_CHAR, Piece, W, word_body
from yuanwen.edits import RESTORED_KINDS, edits
from yuanwen.model import Document, Finding, Report, Span, TextEdit
from yuanwen.review import KIND_NAMES, SEVERITY_NAMES, Group, Review, review
from yuanwen.texts import shorten, unwrapped

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.opc.part import XmlPart
    from lxml.etree import _Element

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# Characters XML 1.0 cannot hold (form feeds of PDF page breaks, stray controls): one space each,
# so that offsets stay the same.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
AUTHOR = "yuanwen"
_INITIALS = "YW"
# A comment quotes at most this much of the source's wording; a cut of a page is not read in a margin.
_QUOTE_CHARS = 200
# The cover lists every critical and major entry, and the others up to this many entries in all.
_COVER_ENTRIES = 40
# A4 in twentieths of a point, with Word's default margins.
_A4 = (
    '<w:pgSz w:w="11906" w:h="16838"/>'
    '<w:pgMar w:top="1440" w:right="1800" w:bottom="1440" w:left="1800" w:header="851" w:footer="992" w:gutter="0"/>'
)
# Revision ids are counted from here, clear of the ids of comments and of the user's own revisions.
_FIRST_REVISION = 1_000_000
_REVISIONS = frozenset(W + kind for kind in ("ins", "del", "moveFrom", "moveTo"))


class RunText:
    """The body's runs in reading order, their text, and how to cut them at an offset."""

    def __init__(self, text: str, pieces: Sequence[Piece]) -> None:
        self.text = text
        self.pieces = list(pieces)
        self._starts = [p.start for p in self.pieces]

    def split(self, offsets: Iterable[int]) -> None:
        """Split every run that an offset falls inside, so that each offset is a run boundary."""
        cuts = sorted(set(offsets))
        pieces: list[Piece] = []
        for piece in self.pieces:
            inside = cuts[bisect_right(cuts, piece.start) : bisect_left(cuts, piece.end)]
            element, start = _element(piece), piece.start
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
class _Target:
    """The Word document that gets the comments, and its runs at the offsets of the reprint's text as read."""

    document: WordDocument
    runs: RunText


def render_docx(report: Report) -> bytes:
    """The reprint as a .docx: an A4 cover, every correction a tracked change, a comment on each entry of the list."""
    return _reviewed(report, tracked=True)


def render_docx_comments(report: Report) -> bytes:
    """The reprint as a .docx: an A4 cover and a comment on each entry of the list, its text untouched."""
    return _reviewed(report, tracked=False)


def _reviewed(report: Report, tracked: bool) -> bytes:
    """Steps 1 to 5."""
    seen = review(report)
    target = _open_target(report.reprint)
    chosen = edits(report, RESTORED_KINDS) if tracked else ()
    firsts = [report.findings[group.members[0]] for group in seen.groups]
    anchors = [_anchor(target.runs.text, f.reprint_span) for f in firsts]
    points = [Span(e.span.start, e.span.start) for e in chosen]
    # How the text was read (a page OCR could hardly read) is said once more, on its first character.
    start = _anchor(target.runs.text, Span(0, 0))
    spans = (*anchors, *(e.span for e in chosen), *points, start)
    target.runs.split(offset for span in spans for offset in (span.start, span.end))
    date = _now()
    marked = {edit.span: _track(target.runs, edit, _FIRST_REVISION + 2 * i, date) for i, edit in enumerate(chosen)}
    notes: list[tuple[tuple[_Element, _Element] | None, str]] = []
    if report.reprint.warnings:
        notes.append((_ends(target.runs.within(start)), "【注意】" + "\n".join(report.reprint.warnings)))
    for group, finding, anchor in zip(seen.groups, firsts, anchors, strict=True):
        ends = marked.get(finding.reprint_span) or _ends(target.runs.within(anchor))
        notes.append((ends, group_comment(finding, group, tracked)))
    _add_comments(target.document, notes)
    _cover(target.document, report, seen, date)
    return _save(target.document)


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _ends(pieces: Sequence[Piece]) -> tuple[_Element, _Element] | None:
    """The first and last run of a range, or None for no runs."""
    return (_element(pieces[0]), _element(pieces[-1])) if pieces else None


def _track(runs: RunText, edit: TextEdit, number: int, date: str) -> tuple[_Element, _Element] | None:
    """An edit as tracked changes: its runs inside w:del, the new text in w:ins after them; the outer elements.

    Half of a move is marked as Word's compare marks one: w:moveFrom where the passage is taken
    out, w:moveTo where it goes back, each in a named range that pairs the two."""
    from docx.oxml.parser import OxmlElement

    taken, put = ("moveFrom", "moveTo") if edit.move is not None else ("del", "ins")
    pieces = runs.within(edit.span)
    marks = [_revision(taken, number, date, _element(piece)) for piece in pieces]
    model = pieces[0] if pieces else runs.before(edit.span.start)
    if edit.text and model is not None:
        run = OxmlElement("w:r")
        properties = _element(model).find(W + "rPr")
        if properties is not None:
            run.append(deepcopy(properties))
        _set_run_text(run, edit.text)
        after = marks[-1] if marks else _outer(_element(model))
        inserted = _revision(put, number + 1, date, None)
        after.addnext(inserted)
        inserted.append(run)
        marks.append(inserted)
    if not marks:
        return None
    if edit.move is not None:
        _move_range(marks, put if edit.text else taken, f"move{edit.move}", number + 2 * _FIRST_REVISION, date)
    return marks[0], marks[-1]


def _move_range(marks: list[_Element], kind: str, name: str, number: int, date: str) -> None:
    """The named range around the marks of half a move (w:moveFromRangeStart … w:moveFromRangeEnd)."""
    from docx.oxml.parser import OxmlElement

    start, end = OxmlElement(f"w:{kind}RangeStart"), OxmlElement(f"w:{kind}RangeEnd")
    for element in (start, end):
        element.set(W + "id", str(number))
    start.set(W + "name", name)
    start.set(W + "author", AUTHOR)
    start.set(W + "date", date)
    marks[0].addprevious(start)
    marks[-1].addnext(end)


def _revision(kind: str, number: int, date: str, run: _Element | None) -> _Element:
    """A w:ins, w:del, w:moveFrom or w:moveTo by yuanwen; a run given is moved into it (its text made
    deleted text for a w:del: moved text stays text)."""
    from docx.oxml.parser import OxmlElement

    mark = OxmlElement(f"w:{kind}")
    mark.set(W + "id", str(number))
    mark.set(W + "author", AUTHOR)
    mark.set(W + "date", date)
    if run is not None:
        run.addprevious(mark)
        mark.append(run)
        for child in run:
            if kind == "del" and child.tag in (W + "t", W + "instrText"):
                child.tag = W + ("delText" if child.tag == W + "t" else "delInstrText")
    return mark


def _outer(run: _Element) -> _Element:
    """A run, or the revision mark around it: a new revision goes beside the mark, not inside it."""
    parent = run.getparent()
    return parent if parent is not None and parent.tag in _REVISIONS else run


def group_comment(finding: Finding, group: Group, tracked: bool) -> str:
    """The comment on an entry of the list: its first finding's, and for a group how many and where."""
    text = comment_text(finding)
    if group.count == 1:
        return text
    where = "每处都已标为修订" if tracked else "批注只标在第一处"
    return f"{text}\n同样的改动共 {group.count} 处（{group.where}），{where}"


def _cover(document: WordDocument, report: Report, seen: Review, date: str) -> None:
    """An A4 first section: title, verdict, error rate, summary lines, the date, the list worst first."""
    from docx.oxml.parser import parse_xml

    lines = [("原文核对报告", "title"), (seen.verdict, "strong"), (seen.rate_line, "")]
    lines += [(line, "") for line in seen.notes] + [(f"核对时间：{date[:10]}（UTC）", "")]
    if seen.groups:
        lines.append(("差异清单（按严重程度）", "strong"))
    lines += [(line, "") for line in _cover_entries(report, seen)]
    xml = "".join(_cover_paragraph(text, style) for text, style in lines[:-1])
    xml += _cover_paragraph(*lines[-1], section=f"<w:sectPr>{_A4}</w:sectPr>")
    body = document.element.body
    for index, paragraph in enumerate(parse_xml(f'<w:body xmlns:w="{W[1:-1]}">{xml}</w:body>')):
        body.insert(index, paragraph)


def _cover_entries(report: Report, seen: Review) -> list[str]:
    """The list's entries for the cover: every critical and major one, the others while room is left."""
    shown: list[str] = []
    for group in seen.groups:
        if group.severity in ("minor", "info") and len(shown) >= _COVER_ENTRIES:
            break
        line = report.findings[group.members[0]].line
        where = group.where if group.count > 1 else f"第 {line} 行"
        badge = f"【{SEVERITY_NAMES[group.severity]}·{KIND_NAMES[group.kind]}】"
        shown.append(f"{badge}{where}  {group.message}" + (f" ×{group.count}" if group.count > 1 else ""))
    left = len(seen.groups) - len(shown)
    return shown + ([f"另有 {left} 项，见文中批注"] if left else [])


def _cover_paragraph(text: str, style: str, section: str = "") -> str:
    size = {"title": '<w:b/><w:sz w:val="36"/>', "strong": "<w:b/>"}.get(style, "")
    return (
        f"<w:p><w:pPr>{section}</w:pPr><w:r><w:rPr>{size}</w:rPr>"
        f'<w:t xml:space="preserve">{_xml_text(text)}</w:t></w:r></w:p>'
    )


def edited_docx(reprint: Document, edits: Sequence[TextEdit]) -> bytes:
    """The reprint as a .docx with each edit made in its runs and its note as a comment there.

    Edits are in order and never overlap."""
    target = _open_target(reprint)
    points = [_anchor(target.runs.text, Span(e.span.start, e.span.start)) for e in edits]
    spans = (*(e.span for e in edits), *points)
    target.runs.split(offset for span in spans for offset in (span.start, span.end))
    notes = []
    for edit, point in zip(edits, points, strict=True):
        edited = _edit(target.runs, edit.span, edit.text)
        notes.append((_ends(edited or target.runs.within(point)), edit.note))
    _add_comments(target.document, notes)
    return _save(target.document)


def _open_target(reprint: Document) -> _Target:
    """The user's own .docx when the reprint was read from one, else a new one of its text."""
    if reprint.data is None:
        return _new_docx(reprint.text)
    import docx

    document = docx.Document(io.BytesIO(reprint.data))
    body = word_body(document)
    return _Target(document, RunText(body.text, body.pieces))


def _edit(runs: RunText, span: Span, text: str) -> list[Piece]:
    """Put a text in place of the runs of a span; the runs that now hold it (none for a removal)."""
    if span.end == span.start:
        neighbour = runs.before(span.start)
        return [Piece(_new_run_after(neighbour, text), span.start, span.start)] if neighbour else []
    pieces = runs.within(span)
    for piece in pieces[1:]:
        _set_run_text(_element(piece), "")
    if pieces:
        _set_run_text(_element(pieces[0]), text)
    return pieces[:1] if text else []


def _element(piece: Piece) -> _Element:
    """A piece's run as the lxml element it is (the walk types it by the little it reads)."""
    return cast("_Element", piece.element)


def _length(child: _Element) -> int:
    if child.tag == W + "t":
        return len(child.text or "")
    return 1 if child.tag in ONE_CHAR else 0


def _split_run(run: _Element, at: int) -> _Element:
    """Cut a run's text at a character offset; the run keeps the first part, the new next run the rest."""
    from docx.oxml.parser import OxmlElement

    right = OxmlElement("w:r")
    properties = run.find(W + "rPr")
    if properties is not None:
        right.append(deepcopy(properties))
    seen = 0
    for child in list(run):
        if child.tag == W + "rPr":
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


def _set_run_text(run: _Element, text: str) -> None:
    """Replace the text of a run (its w:t, tabs and breaks), keeping its properties and drawings; a
    line break in the text is a w:br."""
    from docx.oxml.parser import OxmlElement

    for child in list(run):
        if child.tag == W + "t" or child.tag in ONE_CHAR:
            run.remove(child)
    for i, line in enumerate(text.split("\n")):
        # A line break of the text (a paragraph moved back in a text file) is one in the run too.
        if i:
            run.append(OxmlElement("w:br"))
        if line:
            element = OxmlElement("w:t")
            element.text = _NOT_XML.sub(" ", line)
            element.set(_XML_SPACE, "preserve")
            run.append(element)


def _new_run_after(piece: Piece, text: str) -> _Element:
    """A new run of text right after a run, formatted like it."""
    from docx.oxml.parser import OxmlElement

    run = OxmlElement("w:r")
    properties = _element(piece).find(W + "rPr")
    if properties is not None:
        run.append(deepcopy(properties))
    _set_run_text(run, text)
    _element(piece).addnext(run)
    return run


def _anchor(text: str, span: Span) -> Span:
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
    lines = [f"【{SEVERITY_NAMES[finding.severity]}·{KIND_NAMES[finding.kind]}】{finding.message}"]
    if finding.source_text:
        # A finding with no source (yuanwen.lint) carries a suggested wording instead.
        label = "原文" if finding.source_id is not None else "建议"
        lines.append(f"{label}：{shorten(unwrapped(finding.source_text), _QUOTE_CHARS)}")
    if finding.kind == "omission":
        lines.append("（批注标在删节处的前一个字上）")
    lines.append(f"规则：{finding.rule}")
    return "\n".join(lines)


def _add_comments(document: WordDocument, notes: Sequence[tuple[tuple[_Element, _Element] | None, str]]) -> None:
    """A Word comment around each range (its first and last element, siblings or not); a range of None gets none."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml.parser import parse_xml

    _ = document.comments  # creates the comments part when the document has none
    comments = cast("XmlPart", document.part.part_related_by(RELATIONSHIP_TYPE.COMMENTS)).element
    # python-docx's add_comment rescans every id per comment: 1,500 comments took 2 s. Ids here
    # are counted on from the largest one in use, and all comments are parsed in one go.
    ids = [int(i) for i in comments.xpath("./w:comment/@w:id")]
    next_id = max(ids, default=-1) + 1
    date = _now()
    made: list[str] = []
    for ends, text in notes:
        if ends is None:
            continue
        first, last = ends
        style = '<w:rPr><w:rStyle w:val="CommentReference"/></w:rPr>'
        reference = f'<w:r>{style}<w:commentReference w:id="{next_id}"/></w:r>'
        markers = parse_xml(
            f'<w:p xmlns:w="{W[1:-1]}"><w:commentRangeStart w:id="{next_id}"/>'
            f'<w:commentRangeEnd w:id="{next_id}"/>{reference}</w:p>'
        )
        start, end, run = list(markers)
        first.addprevious(start)
        last.addnext(run)
        last.addnext(end)
        made.append(_comment_xml(next_id, text, date))
        next_id += 1
    if made:
        holder = parse_xml(f'<w:comments xmlns:w="{W[1:-1]}">{"".join(made)}</w:comments>')
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


def _new_docx(text: str) -> _Target:
    """A new .docx of a text, one paragraph per non-blank line, its runs at the text's own offsets."""
    import docx
    from docx.oxml.parser import parse_xml
    from docx.shared import Mm

    document = docx.Document()
    _chinese_body_font(document)
    section = document.sections[-1]
    section.page_width, section.page_height = Mm(210), Mm(297)
    lines = list(_lines(text))
    # One parse of the whole body: python-docx's add_paragraph looks for the section break each
    # time, which made 30,000 lines take 11 s.
    xml = "".join(f"<w:p><w:r>{_run_xml(line)}</w:r></w:p>" for line, _ in lines)
    body = parse_xml(f'<w:body xmlns:w="{W[1:-1]}">{xml}</w:body>')
    section = document.element.body.find(W + "sectPr")
    pieces = []
    for paragraph, (line, start) in zip(list(body), lines, strict=True):
        if section is not None:
            section.addprevious(paragraph)
        else:
            document.element.body.append(paragraph)
        pieces.append(Piece(paragraph[0], start, start + len(line)))
    return _Target(document, RunText(text, pieces))


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


def _save(document: WordDocument) -> bytes:
    """The document's bytes."""
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
