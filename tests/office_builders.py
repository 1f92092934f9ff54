"""Reprints as offices make them, built at test time: text copied out of a PDF with its page furniture,
Word files set in a Latin font and the PDFs LibreOffice makes of them."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from extract_builders import BOOKLET_HEADER

# The Chinese font of the Word files made here (Debian's fonts-noto-cjk, which `make test` installs).
CHINESE_FONT = "Noto Serif CJK SC"
# Page-number styles seen in booklets and reports, each with a page length in lines it is tried at.
PAGE_STYLES = {"— {} —": 25, "- {} -": 22, "第 {} 页": 28, "{}": 20, "第{}页 共30页": 30}


def paragraphs_of(text: str) -> list[str]:
    """A text's paragraphs: its non-blank lines, stripped."""
    return [line.strip() for line in text.split("\n") if line.strip()]


def wrapped_with_furniture(text: str, style: str = "— {} —", every: int = 25, width: int = 34, first: int = 1) -> str:
    """The text as a PDF's lines copied out: wrapped at `width`, a page number and running head every `every` lines."""
    lines = [paragraph[i : i + width] for paragraph in paragraphs_of(text) for i in range(0, len(paragraph), width)]
    out: list[str] = []
    for index, line in enumerate(lines, 1):
        out.append(line)
        if index % every == 0:
            out += [style.format(first + index // every - 1), BOOKLET_HEADER]
    return "\n".join(out) + "\n"


def furniture_between_paragraphs(text: str, every: int = 3, first: int = 2) -> str:
    """The text with a page number and the running head as lines after every `every`-th non-blank line."""
    out: list[str] = []
    page = first
    seen = 0
    for line in text.split("\n"):
        out.append(line)
        if line.strip():
            seen += 1
            if seen % every == 0:
                out += [f"— {page} —", BOOKLET_HEADER]
                page += 1
    return "\n".join(out)


def furniture_inside_lines(text: str, style: str, every: int = 600, first: int = 10) -> str:
    """The text with its paragraphs on one line each and a page's furniture every `every` characters, mid-word."""
    joined = "".join(f"{''.join(paragraph.split())}\n" for paragraph in text.split("\n\n") if paragraph.strip())
    parts: list[str] = []
    done = 0
    for page, at in enumerate(range(every, len(joined), every), first):
        while joined[at - 1] == "\n" or joined[at] == "\n":  # inside a line, between two characters
            at += 1
        parts += [joined[done:at], style.format(page)]
        done = at
    return "".join([*parts, joined[done:]])


def soffice_convert(files: list[Path], to: str, folder: Path) -> list[Path]:
    """The files converted by LibreOffice (`soffice --convert-to`), in one run; skips when it is not installed."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    command = [
        soffice,
        f"-env:UserInstallation={(folder / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        to,
        "--outdir",
        str(folder),
        *map(str, files),
    ]
    done = subprocess.run(command, capture_output=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return [folder / f"{file.stem}.{to.split(':')[0]}" for file in files]


def latin_font_docx(path: Path, paragraphs: list[str], font: str, marks_only: bool) -> Path:
    """A Word file whose quotation marks are set in a Latin font: their own runs' ascii and hAnsi
    fonts (the rest in a Chinese font), or every run in it with no East-Asian font, as Word and
    LibreOffice leave a text by default (its Chinese then drawn by fallback)."""
    import docx
    from docx.oxml.ns import qn

    document = docx.Document()
    for paragraph in paragraphs:
        block = document.add_paragraph()
        for part in filter(None, re.split("([“”‘’])", paragraph) if marks_only else [paragraph]):
            latin = font if not marks_only or part in "“”‘’" else CHINESE_FONT
            fonts = {"ascii": latin, "hAnsi": latin, "eastAsia": CHINESE_FONT if marks_only else font}
            properties = block.add_run(part)._element.get_or_add_rPr()
            properties.insert(0, properties.makeelement(qn("w:rFonts"), {qn(f"w:{k}"): v for k, v in fonts.items()}))
    document.save(str(path))
    return path
