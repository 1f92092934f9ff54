"""A booklet's issue typeset as a Word file (python-docx): what editors expect of a study booklet.

1. the page: A4, a running head (not on the masthead page), the page number centred in the footer
2. the masthead: the publication's name large and red, the issue number, the issuing body and the
   date, and the red rule under them
3. the contents (each title with its page, a PAGEREF field that Word and LibreOffice fill in) and
   the issue's 编者按
4. each item from a new page: its 编者按, its title block centred, its paragraphs
5. the 核对单: what each item was compiled from, what was cut, the proof's verdict

Text goes in exactly as given: the faithfulness of the words is the proof's business
(yuanwen.compile), and it reads this file back to check it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from yuanwen.booklet import Masthead, Style

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.text.paragraph import Paragraph

RED = "C00000"
# Sizes in points, as Chinese booklets set them: the name at 初号 (42 pt), titles at 二号 (22 pt),
# the body at 四号 (14 pt) and notes, contents and the 核对单 at 小四 (12 pt).
_NAME_PT, _TITLE_PT, _SUBTITLE_PT, _BODY_PT, _SMALL_PT = 42, 22, 16, 14, 12
# The text block: A4 less margins of 2.8 cm left, 2.6 cm right (the contents' right tab stop sits here).
_TEXT_WIDTH_CM = 21 - 2.8 - 2.6
# The children of w:pPr that the schema (CT_PPrBase) puts after w:pBdr.
_AFTER_BORDERS = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


@dataclass(frozen=True)
class Article:
    """One item as printed: its title block, its 编者按, its paragraphs, its line in the contents."""

    head: tuple[str, ...]
    note: str | None
    body: tuple[str, ...]
    contents: str


@dataclass(frozen=True)
class Issue:
    """A whole issue ready to typeset; `checklist` is the 核对单's lines (none: no 核对单)."""

    masthead: Masthead
    style: Style
    note: str | None
    articles: tuple[Article, ...]
    checklist: tuple[str, ...] = ()


def typeset(issue: Issue) -> bytes:
    """The issue as the bytes of a .docx file."""
    import docx

    document = docx.Document()
    _page(document, issue)
    _masthead(document, issue.masthead, issue.style)
    _contents(document, issue)
    for number, article in enumerate(issue.articles, 1):
        _article(document, article, number, issue.style)
    if issue.checklist:
        _checklist(document, issue.checklist, issue.style)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _page(document: WordDocument, issue: Issue) -> None:
    """Step 1: A4, the body font by default, the running head and the page number."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.0), Cm(2.8)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    section.different_first_page_header_footer = True
    normal = document.styles["Normal"]
    _font(normal.element, issue.style.body_font)
    normal.font.size = Pt(_BODY_PT)
    head = section.header.paragraphs[0]
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    running = issue.style.running_head or f"{issue.masthead.name}  {issue.masthead.number}"
    _run(head, running, issue.style.heading_font, _SMALL_PT - 2)
    _border(head, "bottom", "000000", 4)
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(foot, "— ", issue.style.body_font, _SMALL_PT)
    _field(foot, "PAGE", "1", issue.style.body_font)
    _run(foot, " —", issue.style.body_font, _SMALL_PT)


def _masthead(document: WordDocument, masthead: Masthead, style: Style) -> None:
    """Step 2: the red name, the issue number, then the issuing body and the date over the red rule."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.shared import Cm, Pt

    name = _paragraph(document, masthead.name, style.title_font, _NAME_PT, bold=True, color=RED, center=True)
    name.paragraph_format.space_before = Pt(24)
    _paragraph(document, masthead.number, style.heading_font, _SUBTITLE_PT, center=True)
    line = document.add_paragraph()
    line.alignment = WD_ALIGN_PARAGRAPH.LEFT
    line.paragraph_format.tab_stops.add_tab_stop(Cm(_TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT)
    _run(line, f"{masthead.issuer}\t{masthead.date}", style.heading_font, _SMALL_PT)
    _border(line, "bottom", RED, 24)
    line.paragraph_format.space_after = Pt(18)


def _contents(document: WordDocument, issue: Issue) -> None:
    """Step 3: 目录, each title with its page number, and the issue's 编者按."""
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.shared import Cm, Pt

    style = issue.style
    _paragraph(document, "目　录", style.heading_font, _SUBTITLE_PT, bold=True, center=True)
    for number, article in enumerate(issue.articles, 1):
        entry = document.add_paragraph()
        # Middle dots lead to the page number: a run of full stops reads as a wrong ellipsis (norm.ellipsis).
        entry.paragraph_format.tab_stops.add_tab_stop(
            Cm(_TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.MIDDLE_DOT
        )
        entry.paragraph_format.space_after = Pt(4)
        _run(entry, f"{article.contents}\t", style.body_font, _SMALL_PT)
        _field(entry, f"PAGEREF {_bookmark(number)} \\h", str(number), style.body_font)
    if issue.note:
        _note(document, issue.note, style).paragraph_format.space_before = Pt(18)


def _article(document: WordDocument, article: Article, number: int, style: Style) -> None:
    """Step 4: one item from a new page; its first title line carries the bookmark the contents point at."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Pt

    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    if article.note:  # before the title: inside the text it would read as a change to the source's words
        _note(document, article.note, style).paragraph_format.space_after = Pt(12)
    for index, line in enumerate(article.head):
        size = _TITLE_PT if index == 0 or len(article.head) == 1 else _SUBTITLE_PT
        title = _paragraph(document, line, style.title_font, size, bold=index == 0, center=True)
        if index == 0:
            _mark(title, number)
    for text in article.body:
        paragraph = _paragraph(document, text, style.body_font, _BODY_PT)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Pt(2 * _BODY_PT)
        paragraph.paragraph_format.line_spacing = 1.35


def _checklist(document: WordDocument, lines: Sequence[str], style: Style) -> None:
    """Step 5: the 核对单 on a page of its own."""
    from docx.enum.text import WD_BREAK

    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _paragraph(document, "核　对　单", style.heading_font, _SUBTITLE_PT, bold=True, center=True)
    for line in lines:
        _paragraph(document, line, style.body_font, _SMALL_PT - 1)


def _note(document: WordDocument, text: str, style: Style) -> Paragraph:
    """An 编者按: the label in the heading font, the text after it."""
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(2 * _SMALL_PT)
    _run(paragraph, "编者按：", style.heading_font, _SMALL_PT, bold=True)
    _run(paragraph, text, style.body_font, _SMALL_PT)
    return paragraph


def _paragraph(
    document: WordDocument,
    text: str,
    font: str,
    size: float,
    bold: bool = False,
    color: str | None = None,
    center: bool = False,
) -> Paragraph:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = document.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, text, font, size, bold, color)
    return paragraph


def _run(paragraph: Paragraph, text: str, font: str, size: float, bold: bool = False, color: str | None = None) -> None:
    from docx.shared import Pt, RGBColor

    run = paragraph.add_run(text)
    _font(run.element, font)
    run.font.size = Pt(size)
    run.font.bold = bold or None
    if color:
        run.font.color.rgb = RGBColor.from_string(color)


def _font(element: object, name: str) -> None:
    """The font for Latin and East Asian text alike (python-docx's font.name sets the Latin one only)."""
    from docx.oxml.ns import qn

    fonts = element.get_or_add_rPr().get_or_add_rFonts()  # type: ignore[attr-defined]
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), name)


def _field(paragraph: Paragraph, instruction: str, shown: str, font: str) -> None:
    """A field (PAGE, PAGEREF) with the result shown until Word or LibreOffice computes it."""
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement
    from docx.shared import Pt

    def run_of(child: str, text: str | None = None, kind: str | None = None) -> None:
        run = paragraph.add_run()
        _font(run.element, font)
        run.font.size = Pt(_SMALL_PT)
        element = OxmlElement(child)
        if kind:
            element.set(qn("w:fldCharType"), kind)
        if text is not None:
            element.text = text
            element.set(qn("xml:space"), "preserve")
        run.element.append(element)

    run_of("w:fldChar", kind="begin")
    run_of("w:instrText", f" {instruction} ")
    run_of("w:fldChar", kind="separate")
    run_of("w:t", shown)
    run_of("w:fldChar", kind="end")


def _bookmark(number: int) -> str:
    return f"yw_item_{number}"


def _mark(paragraph: Paragraph, number: int) -> None:
    """A bookmark around a paragraph's runs, for the contents' PAGEREF."""
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement

    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), _bookmark(number))
    end.set(qn("w:id"), str(number))
    element = paragraph._p
    element.insert(1 if element.pPr is not None else 0, start)
    element.append(end)


def _border(paragraph: Paragraph, side: str, color: str, eighths: int) -> None:
    """A rule on one side of a paragraph, `eighths` eighths of a point thick."""
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement

    borders = OxmlElement("w:pBdr")
    rule = OxmlElement(f"w:{side}")
    for key, value in (("w:val", "single"), ("w:sz", str(eighths)), ("w:space", "4"), ("w:color", color)):
        rule.set(qn(key), value)
    borders.append(rule)
    # In the place the schema orders it: Word refuses a file whose pPr children are out of order.
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_BORDERS)
