"""Punctuation and numbering checks: paired marks (GB/T 15834) and heading numbers (GB/T 9704)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import pairwise

from yuanwen.lint.hits import Hit
from yuanwen.model import Span

_PAIRS = {"“": "”", "‘": "’", "（": "）", "《": "》", "【": "】", "「": "」", "『": "』", "〔": "〕"}
_CLOSERS = {close: open_ for open_, close in _PAIRS.items()}
# A quotation over several paragraphs opens each one and closes only the last (GB/T 15834, 4.1.3.5).
_CONTINUED = frozenset("“‘")
_CN = "一二三四五六七八九十"
# Heading numbers by level (GB/T 9704-2012, 7.3.3): 一、 （一） 1. （1）
_LEVELS = (
    re.compile(f"([{_CN}]{{1,3}})、"),
    re.compile(f"（([{_CN}]{{1,3}})）"),
    re.compile("([0-9]{1,2})[.．](?![0-9])"),
    re.compile("（([0-9]{1,2})）"),
)


def pair_hits(content: str, paragraphs: Sequence[int]) -> Iterator[Hit]:
    """Each opening mark left unclosed in its paragraph, and each closing mark with nothing to close."""
    bounds = [*paragraphs, len(content)]
    for start, end in pairwise(bounds):
        open_marks: list[int] = []
        for i in range(start, end):
            char = content[i]
            if char in _PAIRS:
                open_marks.append(i)
            elif char in _CLOSERS:
                if open_marks and content[open_marks[-1]] == _CLOSERS[char]:
                    open_marks.pop()
                else:
                    yield Hit(Span(i, i + 1), None)
        for i in open_marks:
            if not (content[i] in _CONTINUED and content.startswith(content[i], end)):
                yield Hit(Span(i, i + 1), None)


def heading_hits(content: str, paragraphs: Sequence[int]) -> Iterator[Hit]:
    """A heading whose number does not follow the one before it of its level under the same parent."""
    last: list[int] = [0] * len(_LEVELS)
    for start in paragraphs:
        for level, pattern in enumerate(_LEVELS):
            match = pattern.match(content, start)
            if match is None:
                continue
            number = _number(match.group(1))
            # The first heading of a level may be any number: an excerpt often starts at 二、.
            if last[level] and number != last[level] + 1:
                expected = match.group().replace(match.group(1), _written(last[level] + 1, match.group(1)), 1)
                yield Hit(Span(start, match.end()), None, {"expected": expected})
            last[level] = number
            last[level + 1 :] = [0] * (len(_LEVELS) - level - 1)
            break


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    tens, ten, units = text.partition("十")
    if not ten:
        return _CN.index(text) + 1
    return (_CN.index(tens) + 1 if tens else 1) * 10 + (_CN.index(units) + 1 if units else 0)


def _written(number: int, like: str) -> str:
    """A number written as `like` is: in digits or in Chinese numerals."""
    if like.isdigit():
        return str(number)
    tens, units = divmod(number, 10)
    head = ("" if tens == 1 else _CN[tens - 1]) + "十" if tens else ""
    return head + (_CN[units - 1] if units else "")
