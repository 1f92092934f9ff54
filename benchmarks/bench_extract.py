"""Time the readers on a 100-page PDF and a 100-page Word file; prints figures, asserts nothing.

Run: .venv/bin/python benchmarks/bench_extract.py   (target: under 3 s each on two cores)
Text comes from the corpus in corpus/texts/.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from extract_builders import CJK_FONT, build_booklet_docx  # noqa: E402
from pairs import corpus_paragraphs  # noqa: E402
from yuanwen.extract import pdf as pdf_reader  # noqa: E402
from yuanwen.extract import read_document  # noqa: E402

PAGES = 100
# A4 at 12 pt with 2.5 cm margins: 36 characters a line, 38 lines a page, as in a study booklet.
CHARS_PER_LINE = 36
LINES_PER_PAGE = 38


def booklet_paragraphs() -> list[str]:
    """Paragraphs of real official texts, enough for PAGES pages."""
    paragraphs: list[str] = []
    while sum(map(len, paragraphs)) < PAGES * CHARS_PER_LINE * LINES_PER_PAGE:
        paragraphs += [line.strip() for line in corpus_paragraphs() if line.strip()]
    return paragraphs


def build_pdf(path: Path, paragraphs: list[str]) -> None:
    """Exactly PAGES pages of hard-wrapped lines under a running header, over a page number."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    lines = [p[i : i + CHARS_PER_LINE] for p in paragraphs for i in range(0, len(p), CHARS_PER_LINE)]
    canvas = Canvas(str(path), pagesize=A4)
    for page in range(PAGES):
        canvas.setFont(CJK_FONT, 9)
        canvas.drawCentredString(A4[0] / 2, A4[1] - 40, "政治学习资料 第22期")
        canvas.drawCentredString(A4[0] / 2, 30, f"- {page + 1} -")
        canvas.setFont(CJK_FONT, 12)
        for row, line in enumerate(lines[page * LINES_PER_PAGE : (page + 1) * LINES_PER_PAGE]):
            canvas.drawString(72, A4[1] - 80 - 19 * row, line)
        canvas.showPage()
    canvas.save()


def timed(label: str, path: Path) -> None:
    started = time.perf_counter()
    doc = read_document(path)
    elapsed = time.perf_counter() - started
    units = f"{len(doc.anchors)} {doc.anchors[0].unit}s" if doc.anchors else "no anchors"
    print(f"{label:<44} {elapsed:6.2f} s   {len(doc.text):>8} chars   {units}")


def main() -> None:
    paragraphs = booklet_paragraphs()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pdf = folder / "booklet.pdf"
        build_pdf(pdf, paragraphs)
        timed(f"PDF, {PAGES} pages (PDFium)", pdf)
        with mock.patch.object(pdf_reader, "_drops_text", lambda page: True):
            timed(f"PDF, {PAGES} pages (pdfplumber fallback)", pdf)
        chars = PAGES * CHARS_PER_LINE * LINES_PER_PAGE
        body, total = [], 0
        for paragraph in paragraphs:
            if total >= chars:
                break
            body.append(paragraph)
            total += len(paragraph)
        docx = build_booklet_docx(folder / "booklet.docx", body)
        timed(f"DOCX, ~{PAGES} pages ({total} chars)", docx)
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice:
            # A PDF as Word or LibreOffice writes it: embedded subset fonts, one run per line.
            command = [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(folder / "lo"), str(docx)]
            subprocess.run(command, check=True, capture_output=True)
            timed("PDF written by LibreOffice from that DOCX", folder / "lo" / "booklet.pdf")


if __name__ == "__main__":
    main()
