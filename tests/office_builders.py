"""Reprints as offices make them, built at test time: text copied out of a PDF with its page furniture."""

from __future__ import annotations

from extract_builders import BOOKLET_HEADER

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
