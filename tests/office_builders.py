"""Reprints as offices make them, built at test time: text copied out of a PDF with its page furniture,
Word files set in a Latin font and the PDFs LibreOffice makes of them."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pytest

from extract_builders import BOOKLET_HEADER, W_NS
from yuanwen.docxbody import format_number

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


def numbering_level(ilvl: int, fmt: str, text: str, start: int = 1, restart: int | None = None) -> str:
    """One level of a list (w:lvl): its number format, its text (`%1、`), where it starts, when it restarts."""
    again = "" if restart is None else f'<w:lvlRestart w:val="{restart}"/>'
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>{again}'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
    )


@dataclass(frozen=True)
class Item:
    """A paragraph of a numbered Word file: its text, its list (numId) and level, its paragraph style."""

    text: str
    num: int | None = None
    level: int | None = 0
    style: str | None = None


def numbered_docx(
    path: Path,
    lists: dict[int, list[str]],
    paragraphs: list[Item],
    restarts: dict[int, tuple[int, dict[int, int]]] | None = None,
    styles: dict[str, int] | None = None,
) -> Path:
    """A Word file with list numbering: each abstract list (id → its w:lvl elements) with a w:num of
    the same id, more w:num (id → abstract id, start of each level overridden), paragraph styles
    that take a list (style id → numId), and the paragraphs."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml

    w = f'xmlns:w="{W_NS}"'
    document = docx.Document()
    numbering = document.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    for number, levels in lists.items():
        numbering.append(parse_xml(f'<w:abstractNum {w} w:abstractNumId="{number}">{"".join(levels)}</w:abstractNum>'))
    nums = {number: (number, {}) for number in lists} | (restarts or {})
    for number, (abstract, starts) in nums.items():
        overrides = "".join(
            f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
            for level, start in starts.items()
        )
        numbering.append(
            parse_xml(f'<w:num {w} w:numId="{number}"><w:abstractNumId w:val="{abstract}"/>{overrides}</w:num>')
        )
    for name, number in (styles or {}).items():
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.element.get_or_add_pPr().append(parse_xml(f'<w:numPr {w}><w:numId w:val="{number}"/></w:numPr>'))
    for item in paragraphs:
        paragraph = document.add_paragraph(item.text, item.style)
        if item.num is not None:
            level = "" if item.level is None else f'<w:ilvl w:val="{item.level}"/>'
            paragraph._p.get_or_add_pPr().append(
                parse_xml(f'<w:numPr {w}>{level}<w:numId w:val="{item.num}"/></w:numPr>')
            )
    document.save(str(path))
    return path


_HEADING = re.compile("([一二三四五六七八九十]+)、")
_SUBHEADING = re.compile("（([一二三四五六七八九十]+)）")
_COUNTED = {format_number(value, "chineseCounting"): value for value in range(1, 100)}


def chinese_headings(first: int = 1) -> dict[int, list[str]]:
    """Word's own way of numbering the headings of a Chinese document: 一、 above, （一） below it."""
    return {
        1: [numbering_level(0, "chineseCounting", "%1、", start=first), numbering_level(1, "chineseCounting", "（%2）")]
    }


CHINESE_HEADINGS = chinese_headings()


class WordLists(NamedTuple):
    """What numbered_docx takes after its path: the list definitions, the paragraphs, the lists restarted."""

    lists: dict[int, list[str]]
    paragraphs: list[Item]
    restarts: dict[int, tuple[int, dict[int, int]]]


def headings_as_lists(text: str) -> WordLists | None:
    """A text's paragraphs with its 一、 and （一） headings made items of a Word list, their numbers
    left to the list; None when they do not count up as a list numbers them.

    A passage may open past the first heading: the first 一、 number is where the list starts, and
    （一） items before any 一、 are a list of their own (a w:num starting where they start)."""
    paragraphs: list[Item] = []
    counts = [0, 0]
    first: int | None = None
    restarts: dict[int, tuple[int, dict[int, int]]] = {}
    for line in paragraphs_of(text):
        for level, pattern in enumerate((_HEADING, _SUBHEADING)):
            if match := pattern.match(line):
                value = _COUNTED.get(match.group(1), 0)
                if level == 0 and first is None:
                    first = value
                elif level == 1 and first is None and not counts[1]:
                    restarts = {2: (1, {1: value})}
                elif value != counts[level] + 1:
                    return None
                counts[level] = value
                counts[level + 1 :] = [0] * (1 - level)
                paragraphs.append(Item(line[match.end() :], 2 if level and first is None else 1, level))
                break
        else:
            paragraphs.append(Item(line))
    return WordLists(chinese_headings(first or 1), paragraphs, restarts)
