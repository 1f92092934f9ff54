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


def build_source_pdf(path: Path) -> Path:
    """examples/source.txt laid out as the booklet is: what a scan of the source starts from."""
    text = (EXAMPLES / "source.txt").read_text(encoding="utf-8")
    return build_booklet_pdf(path, [line.strip() for line in text.splitlines() if line.strip()])


def rasterise(pdf: Path, dpi: int, folder: Path) -> list[Path]:
    """The pages of a PDF as grayscale PNG files, as a scanner gives them (pdftoppm, poppler-utils)."""
    import subprocess

    prefix = folder / f"{pdf.stem}-{dpi}"
    subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-png", str(pdf), str(prefix)], check=True)
    return sorted(folder.glob(f"{prefix.name}-*.png"))


def scanned(png: Path, index: int, suffix: str = ".jpg") -> Path:
    """A page as it comes off a scanner: turned by 1° (one way, then the other), with noise and specks."""
    import numpy as np
    from PIL import Image

    with Image.open(png) as page:
        turned = page.convert("L").rotate(1.0 if index % 2 == 0 else -1.0, Image.Resampling.BICUBIC, fillcolor=255)
    rng = np.random.default_rng(index)
    pixels = np.asarray(turned).astype(np.int16) + rng.normal(0, 12, (turned.height, turned.width)).astype(np.int16)
    pixels[rng.random(pixels.shape) < 0.001] = 0
    out = png.with_name(f"{png.stem}-scan{suffix}")
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(out, quality=85)
    return out


def build_image_pdf(pages: list[Path], path: Path) -> Path:
    """An image-only PDF of the pages, as a scanner's software makes it (img2pdf, no text layer)."""
    import subprocess

    subprocess.run(["img2pdf", *map(str, pages), "-o", str(path)], check=True)
    return path


OFD_NS = "http://www.ofdspec.org/2016"


def build_booklet_ofd(path: Path, paragraphs: list[str], header: str = BOOKLET_HEADER, width: int = 36) -> Path:
    """An OFD of the paragraphs on two A4 pages: hard-wrapped lines under a running header, over a page
    number; the first line of each page is drawn one character per text code, as some makers do."""
    import zipfile

    lines = [para[i : i + width] for para in paragraphs for i in range(0, len(para), width)]
    half = (len(lines) + 1) // 2
    pages = [lines[:half], lines[half:]]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("OFD.xml", _ofd_root())
        archive.writestr("Doc_0/Document.xml", _ofd_document(len(pages)))
        for number, page in enumerate(pages):
            archive.writestr(f"Doc_0/Pages/Page_{number}/Content.xml", _ofd_page(page, header, number + 1))
    return path


def _ofd_root() -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.0" DocType="OFD">'
        "<ofd:DocBody><ofd:DocInfo><ofd:DocID>0</ofd:DocID></ofd:DocInfo>"
        "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    )


def _ofd_document(pages: int) -> str:
    listed = "".join(f'<ofd:Page ID="{10 + n}" BaseLoc="Pages/Page_{n}/Content.xml"/>' for n in range(pages))
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{OFD_NS}"><ofd:CommonData>'
        "<ofd:MaxUnitID>999</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>"
        f"</ofd:PageArea></ofd:CommonData><ofd:Pages>{listed}</ofd:Pages></ofd:Document>"
    )


def _ofd_page(lines: list[str], header: str, number: int) -> str:
    size = 4.2  # millimetres: 12 pt
    objects = [_ofd_text(header, 80, 15, 3.2), _ofd_text(f"- {number} -", 100, 285, 3.2)]
    for row, line in enumerate(lines):
        y = 30 + row * 6.4
        if row == 0:
            objects.extend(_ofd_text(char, 25 + i * size, y, size) for i, char in enumerate(line))
        else:
            objects.append(_ofd_text(line, 25, y, size))
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content>'
        f'<ofd:Layer ID="1">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>'
    )


def _ofd_text(text: str, x: float, y: float, size: float) -> str:
    box = f"{x} {y - size} {size * len(text)} {size * 1.2}"
    return (
        f'<ofd:TextObject ID="1" Boundary="{box}" Font="1" Size="{size}">'
        f'<ofd:TextCode X="0" Y="{size}">{html.escape(text)}</ofd:TextCode></ofd:TextObject>'
    )
