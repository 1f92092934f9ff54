"""Build test files the way reprints arrive: a booklet PDF, a Word file, a news page, at test time."""

from __future__ import annotations

import html
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
BOOKLET_HEADER = "政治学习资料 第22期"
# reportlab's built-in CID font: a PDF reader knows its glyphs without a font file.
CJK_FONT = "STSong-Light"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def reprint_paragraphs() -> list[str]:
    """The paragraphs of examples/reprint.txt, booklet header lines included."""
    text = (EXAMPLES / "reprint.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def content(text: str) -> str:
    """A text without any whitespace: what is compared after layout is set aside."""
    return "".join(text.split())


def build_booklet_pdf(path: Path, paragraphs: list[str], header: str = BOOKLET_HEADER) -> Path:
    """An A4 booklet: justified, hard-wrapped lines, a running header and "- N -" in the footer."""
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    style = ParagraphStyle("body", fontName=CJK_FONT, fontSize=12, leading=20, alignment=TA_JUSTIFY, wordWrap="CJK")

    def furniture(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(CJK_FONT, 9)
        canvas.drawCentredString(A4[0] / 2, A4[1] - 40, header)
        canvas.drawCentredString(A4[0] / 2, 30, f"- {doc.page} -")
        canvas.restoreState()

    doc = SimpleDocTemplate(str(path), pagesize=A4)
    flow = [Paragraph(html.escape(p), style) for p in paragraphs]
    doc.build(flow, onFirstPage=furniture, onLaterPages=furniture)
    return path


def build_lines_pdf(path: Path, pages: list[list[str]]) -> Path:
    """A PDF with the given lines on each page, drawn one string per line."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    canvas = Canvas(str(path), pagesize=A4)
    for lines in pages:
        canvas.setFont(CJK_FONT, 12)
        for row, line in enumerate(lines):
            canvas.drawString(72, A4[1] - 60 - 20 * row, line)
        canvas.showPage()
    canvas.save()
    return path


def build_booklet_docx(path: Path, paragraphs: list[str], header: str = BOOKLET_HEADER) -> Path:
    """A Word file with the header in the section header and a PAGE field in the footer."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = header
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("- ")
    _add_page_field(footer.add_run())
    footer.add_run(" -")
    for text in paragraphs:
        paragraph = document.add_paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Pt(24)
    document.save(str(path))
    return path


def body_docx(folder: Path, body_xml: str) -> Path:
    """A .docx whose body is the given WordprocessingML (namespace prefixes w, mc, wps, v), with a header."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "页眉文字"
    body = document.element.body
    wrapper = parse_xml(
        f'<w:body xmlns:w="{W_NS}" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        f'xmlns:v="urn:schemas-microsoft-com:vml">{body_xml}</w:body>'
    )
    section = body[-1]  # w:sectPr stays last
    for child in list(wrapper):
        section.addprevious(child)
    path = folder / "built.docx"
    document.save(str(path))
    return path


def w_p(*runs: str) -> str:
    """A paragraph of WordprocessingML."""
    return "<w:p>" + "".join(runs) + "</w:p>"


def w_r(text: str) -> str:
    """A run of text."""
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _add_page_field(run: object) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = run._r  # type: ignore[attr-defined]
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, None), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            element.append(char)
        elif text:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            element.append(instr)
        else:
            result = OxmlElement("w:t")
            result.text = "1"
            element.append(result)


NAV = ("首页", "时政要闻", "理论学习", "校园风采", "联系我们")
SIDEBAR = ("学院召开年度工作会议", "图书馆开放时间调整通知", "关于做好暑期安全工作的提示")
FOOTER = ("版权所有 © 2023 河北轨道运输职业技术学院", "冀ICP备12345678号", "地址：石家庄市学府路 1 号")


def build_news_html(title: str, paragraphs: list[str]) -> str:
    """A college news page: a nav menu, the article, a sidebar of links and a copyright footer."""
    nav = "".join(f'<li><a href="/c{i}.html">{name}</a></li>' for i, name in enumerate(NAV))
    side = "".join(f'<li><a href="/n{i}.html">{name}</a></li>' for i, name in enumerate(SIDEBAR))
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    foot = "".join(f"<p>{line}</p>" for line in FOOTER)
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}_政治学习</title></head>
<body>
<header><div class="logo">宣传统战部</div><nav><ul>{nav}</ul></nav></header>
<div class="main">
<article><h1>{html.escape(title)}</h1>
<div class="meta">来源：新华社　发布时间：2023-05-15　浏览次数：1024</div>
<div class="content">{body}</div></article>
<aside class="sidebar"><h3>热点新闻</h3><ul>{side}</ul></aside>
</div>
<footer>{foot}</footer>
</body></html>
"""
