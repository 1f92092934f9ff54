"""Small text helpers the outputs share: a long text shortened, a wording without its layout."""

from __future__ import annotations

import re

_LATIN_SPACE = re.compile(r"(?<=[0-9A-Za-z])\s+(?=[0-9A-Za-z])")
_WHITESPACE = re.compile(r"\s+")


def shorten(text: str, limit: int, *, head: int | None = None, tail: int = 0, count: bool = True) -> str:
    """A text longer than `limit` cut to its first `head` (else `limit`) and last `tail` characters,
    saying how long it was when `count`."""
    if len(text) <= limit:
        return text
    end = text[len(text) - tail :] if tail else ""
    cut = f"{text[: limit if head is None else head]}……{end}"
    return f"{cut}（共 {len(text)} 字）" if count else cut


def unwrapped(text: str) -> str:
    """A text without its layout (hard wraps, the spaces a PDF puts between CJK characters); a
    space stays between two Latin words or numbers."""
    return _WHITESPACE.sub("", _LATIN_SPACE.sub("\x00", text)).replace("\x00", " ")


def flat(text: str) -> str:
    """A text with all whitespace taken out."""
    return "".join(text.split())
