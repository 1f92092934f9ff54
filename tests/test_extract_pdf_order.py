"""Word-made PDFs whose quotation marks are in a Latin font read in the order of the line, as pdftotext reads them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import EXAMPLES
from extract_builders import content, reprint_paragraphs
from office_builders import latin_font_docx, soffice_convert
from yuanwen.check import check
from yuanwen.extract import read_document
from yuanwen.model import Document, Finding

# Word's and LibreOffice's Latin fonts as Debian has them (fonts-liberation, fonts-dejavu-core).
FONTS = {"liberation-all": ("Liberation Serif", False), "dejavu-marks": ("DejaVu Sans", True)}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example reprint as Word files with Latin-font quotation marks, made PDFs by LibreOffice."""
    folder = tmp_path_factory.mktemp("latin")
    made = [
        latin_font_docx(folder / f"{name}.docx", reprint_paragraphs(), font, marks_only)
        for name, (font, marks_only) in FONTS.items()
    ]
    return dict(zip(FONTS, soffice_convert(made, "pdf", folder), strict=True))


def _rows(findings: tuple[Finding, ...]) -> list[tuple[str, str, str, str]]:
    flat = "".join
    return [(f.severity, f.rule, flat(f.source_text.split()), flat(f.reprint_text.split())) for f in findings]


@pytest.mark.parametrize("name", list(FONTS))
def test_reading_order_is_pdftotexts(pdfs: dict[str, Path], name: str) -> None:
    """Before: “”牛鼻子 and 新“”两翼 where LibreOffice drew the marks before the Chinese it falls back to."""
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    read = content(read_document(pdfs[name]).text)
    poppler = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdfs[name]), "-"], capture_output=True, check=True)
    assert read == content(poppler.stdout.decode("utf-8"))
    assert "“牛鼻子”" in read and "“新两翼”" in read


@pytest.mark.parametrize("name", list(FONTS))
def test_the_example_as_such_a_pdf_has_the_text_files_findings(pdfs: dict[str, Path], name: str) -> None:
    """Before, with every font Latin: 10 false minor findings (36 minor against the text file's 26)."""
    source = Document("source.txt", "txt", (EXAMPLES / "source.txt").read_text(encoding="utf-8"))
    text = Document("reprint.txt", "txt", (EXAMPLES / "reprint.txt").read_text(encoding="utf-8"))
    expected = [row for row in _rows(check(text, source).findings) if row[0] != "info"]
    found = [row for row in _rows(check(read_document(pdfs[name]), source).findings) if row[0] != "info"]
    assert found == expected
    assert [row[0] for row in found].count("critical") == 2
