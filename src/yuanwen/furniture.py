"""Page furniture: the page numbers and running heads of printed pages, in a PDF's lines or in any text.

A PDF's reader knows where each line stands on its page (extract/pages.py). A text copied out of
a PDF into a .txt, a Word file, a web page or Markdown keeps the furniture between its lines, often
in mid-sentence (`重大进`, `— 12 —`, `政治学习资料 第22期`, `展`), and there only what it is
and how it recurs tell it from the text. `furniture` finds it, for normalize to leave out:
1. page numbers: a line that is a page number in a form no sentence takes (`— 9 —`, `第 9 页`,
   `Page 9`) on its own; a bare number (a line `9`, `9/30`, or a run inside a line: `进12展`)
   only in a chain of page numbers counting up, a page apart;
2. running heads: a short line repeated at least three times, beside the page numbers or at
   regular intervals, and its copies glued to a page number inside a line.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import NamedTuple

from yuanwen.model import Span

DASHES = r"\-—–―‒·•.\s"
_EDGE_NUMBER = re.compile(rf"^[{DASHES}\d]*\d[{DASHES}]*|[{DASHES}]*\d[{DASHES}\d]*$")
_PAGE_NUMBER = (
    re.compile(rf"[{DASHES}]*\d{{1,4}}[{DASHES}]*"),  # 3, - 3 -, — 3 —, ·3·
    re.compile(r"(共\s*\d+\s*页\s*[,，]?\s*)?第\s*[\d一二三四五六七八九十百零〇]+\s*页(\s*[,，]?\s*共\s*\d+\s*页)?"),
    re.compile(r"\d+\s*[/／]\s*\d+"),  # 3/10
    re.compile(r"(page|p\.)\s*\d+(\s*of\s*\d+)?", re.IGNORECASE),
)
# Forms of a whole line that no sentence takes: a page number even alone.
_LINE_ALONE = re.compile(
    r"\s*(?:[-—–―‒]\s*(?P<dash>\d{1,4})\s*[-—–―‒]"
    r"|(?:共\s*\d+\s*页\s*[,，]?\s*)?第\s*(?P<page>\d{1,4}|[一二三四五六七八九十百零〇]+)\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?"
    r"|(?:page|p\.)\s*(?P<latin>\d{1,4})(?:\s*of\s*\d+)?)\s*",
    re.IGNORECASE,
)
# A whole line that is a number only in a chain of them: 9, ·9·, 9/30.
_LINE_BARE = re.compile(r"\s*[·•.]?\s*(?P<bare>\d{1,4})\s*(?:[·•.]|[/／]\s*\d{1,4})?\s*")
# Runs inside a line, numbers only in a chain: — 9 — and 第9页 glued to the text, and digits
# between two Chinese characters (a page number caught in mid-word), not an ordinal (第9), a
# date or a count (9个, 9项, 9亿).
_DASH_CHARS = "-—–―‒"
_COUNTS = "年月日期届次条款章节号个项件部户支名人家所元亿万千百倍岁"
_INLINE = re.compile(
    r"(?<![-—–―‒\d])[-—–―‒][ \t]*(?P<dash>\d{1,4})[ \t]*[-—–―‒](?![-—–―‒\d])"
    r"|第[ \t]*(?P<page>\d{1,4})[ \t]*页"
    r"|(?<=[\u4e00-\u9fff])(?<!第)[ \t]*(?P<bare>\d{1,4})[ \t]*(?=[\u4e00-\u9fff])"
    f"(?![{_COUNTS}])"
)
# How far from its digits a run inside a line may reach: 第 and spaces, or a dash and spaces.
_REACH = 8
# Digits that may end a run inside their line: spaces or tabs, then within _REACH a dash, 页 or a
# Chinese character other than a count's (9个, 9年). Most digits of a text are followed by a count,
# a point or a mark, and are passed over by the pattern rather than one by one in Python (the
# furniture of a million characters of the corpus: 46 → 37 ms). One digit first, then up to three: a
# pattern opening with a repeat is tried at every character, one opening with a digit only where
# one stands (the digits of a million characters: 19 → 9 ms).
_DIGITS = re.compile(
    rf"\d\d{{0,3}}(?!\d)(?<!\d{{5}})(?=[ \t]{{0,{_REACH - 1}}}(?:[{_DASH_CHARS}页]|(?![{_COUNTS}])[\u4e00-\u9fff]))"
)
_CHINESE_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
# Page numbers of a chain stand at least this many characters apart: a page of a booklet holds
# 400 to 900; a list of numbers one to a line, or a table's numbered rows, a few dozen.
MIN_PAGE_CHARS = 120
# A chain of page numbers counts from this length, and needs this many lines (or runs like — 9 —)
# among its members: digits inside a line are too often a number of the text.
MIN_CHAIN = 3
MIN_CHAIN_LINES = 2
# Digits inside a line fill a chain's missing page number only within this share of a page of
# where it belongs: the text's own numbers next to it (冀3省市) stood 0.8 of a page off.
PAGE_SLACK = 0.35
# A page may lack its number (a full-page figure, a blank verso): a chain may skip one.
_MAX_STEP = 2
# A running head repeats at least this many times (a heading printed twice is a heading; twice
# beside page numbers both times, a running head), is at most this long (a title as running
# head: 28 characters in the example), and stands within this many lines of a page number, or
# (once more) at intervals within this ratio of each other: three excerpts of government reports
# one after another each open with 各位代表 at even intervals.
MIN_RUNNING = 3
MAX_RUNNING_CHARS = 40
NEAR_LINES = 2
REGULAR_RATIO = 1.6
# A page holds at most this many characters (an A4 page of small type about 1,800): page furniture
# recurs within it; the same byline opening each report of an anthology (国务院总理朱镕基)
# recurs at even intervals, but tens of thousands of characters apart.
MAX_PAGE_CHARS = 4000
# A line longer than this is no page number, however written (第 9 页 共 300 页).
_MAX_NUMBER_LINE = 40
# Pages of running text copied without their lines hold about the same number of characters:
# chains of numbers of the text (8 … 9 … 10, 0031.txt) stand at intervals up to 1.46 times apart.
REGULAR_PAGES = 1.25
# A running head glued to the page numbers of a chain has at least this many characters.
MIN_GLUED = 4
# A running head is a name or a title: it never ends as a sentence or a clause does (各位代表：).
_CLAUSE_END = "。！？；：，、!?;:,"


@dataclass(frozen=True)
class _Number:
    """A page-number candidate: its span as read, value, line, and how it was written."""

    span: Span
    value: int | None
    line: int
    # "alone": a whole line no sentence takes; "line": a bare line; "dash": a run inside a line
    # in a page number's form (— 9 —, 第9页); "inline": digits inside a line.
    form: str


def is_page_number(text: str) -> bool:
    """True for a line that is only a page number: 3, - 3 -, 第 3 页, 3/10, Page 3."""
    stripped = text.strip()
    return bool(stripped) and any(pattern.fullmatch(stripped) for pattern in _PAGE_NUMBER)


def running_key(text: str) -> str:
    """A line's words without white space or the page number printed beside them ("政治学习资料 · 3")."""
    # Numbers inside a line stay: a body line differing only in them is not a repeat.
    return _EDGE_NUMBER.sub("", "".join(text.split()))


def furniture(text: str) -> list[Span]:
    """The spans of the text (as read) that are page numbers or running heads, in order, disjoint."""
    lines = _lines(text)
    numbers = _numbers(text, lines)
    chained, glued = _chained(text, [n for n in numbers if n.value is not None])
    pages = [n for n in numbers if n.form == "alone"] + chained
    return _merged([n.span for n in pages] + glued + _running(text, lines, pages))


class _Line(NamedTuple):
    """A line's span, newline left out (a tuple: a million characters have ~17,000 lines, and a frozen
    dataclass takes three times as long to make)."""

    start: int
    end: int


def _lines(text: str) -> list[_Line]:
    """Each line's span, newline left out."""
    spans: list[_Line] = []
    start = 0
    for line in text.split("\n"):
        spans.append(_Line(start, start + len(line)))
        start += len(line) + 1
    return spans


def _numbers(text: str, lines: Sequence[_Line]) -> list[_Number]:
    """Every page-number candidate, in order."""
    found: list[_Number] = []
    whole_lines: set[int] = set()
    for index, line in enumerate(lines):
        if line.end - line.start > _MAX_NUMBER_LINE:  # most lines: no regular expression tried
            continue
        whole = _LINE_ALONE.fullmatch(text, line.start, line.end) or _LINE_BARE.fullmatch(text, line.start, line.end)
        if whole:
            found.append(_Number(Span(*line), _value(whole), index, "line" if whole.re is _LINE_BARE else "alone"))
            whole_lines.add(index)
    starts = [line.start for line in lines]
    done = 0
    # Each run of digits looked at where it stands: the pattern tried at every character of a
    # long text took four times as long as finding the digits.
    for digits in _DIGITS.finditer(text):
        index = bisect_right(starts, digits.start()) - 1
        if digits.start() < done or index in whole_lines:
            continue
        line = lines[index]
        window = (max(line.start, digits.start() - _REACH), min(line.end, digits.end() + _REACH))
        for m in _INLINE.finditer(text, *window):
            if m.start() <= digits.start() < m.end():
                form = "inline" if m.group("bare") else "dash"
                found.append(_Number(Span(m.start(), m.end()), _value(m), index, form))
                done = m.end()
    return sorted(found, key=lambda n: n.span.start)


def _value(match: re.Match[str]) -> int | None:
    digits = next(group for group in match.groups() if group is not None)
    if digits.isdigit():
        return int(digits)
    if len(digits) == 1 and digits in _CHINESE_DIGITS:
        return _CHINESE_DIGITS[digits]
    return None


def _chained(text: str, numbers: Sequence[_Number]) -> tuple[list[_Number], list[Span]]:
    """The candidates in chains of page numbers, and the running heads glued to them inside lines.

    Chains of page-number lines (and runs like — 9 —) first, each with the digits inside a line
    that stand where its missing numbers belong; then chains of such digits alone, when they
    stand at regular intervals or carry the same running head."""
    strong = [n for n in numbers if n.form != "inline"]
    weak = [n for n in numbers if n.form == "inline"]
    accepted: list[list[_Number]] = []
    heads: list[Span] = []
    for chain in _chains(strong):
        filled = _filled(chain, weak)
        if len(chain) >= MIN_CHAIN_LINES and len(filled) >= MIN_CHAIN:
            accepted.append(filled)
            heads.extend(_common_neighbours(text, filled))
    taken = {id(n) for chain in accepted for n in chain}
    for chain in _chains([n for n in weak if id(n) not in taken]):
        glued = _common_neighbours(text, chain) if len(chain) >= MIN_CHAIN else []
        if glued or _regular_pages(chain):
            accepted.append(chain)
            heads.extend(glued)
    return sorted((n for chain in accepted for n in chain), key=lambda n: n.span.start), heads


def _chains(numbers: Sequence[_Number]) -> list[list[_Number]]:
    """Disjoint chains of candidates whose values count up (by one, or two past a page without its
    number) at least MIN_PAGE_CHARS apart, the longest first, each in order."""
    length, previous = _chain_lengths(numbers)
    used: set[int] = set()
    chains: list[list[_Number]] = []
    for end in sorted(range(len(numbers)), key=lambda i: (-length[i], i)):
        chain: list[int] = []
        at: int | None = end
        while at is not None and at not in used:
            chain.append(at)
            at = previous[at]
        used.update(chain)
        chains.append([numbers[i] for i in reversed(chain)])
    return chains


def _chain_lengths(numbers: Sequence[_Number]) -> tuple[list[int], list[int | None]]:
    """For each candidate, the length of the longest chain ending there and its predecessor in it."""
    length: list[int] = []
    previous: list[int | None] = []
    # By value: the ends of the candidates seen, and the longest chain up to each (length, index).
    ends: defaultdict[int, list[int]] = defaultdict(list)
    best: defaultdict[int, list[tuple[int, int]]] = defaultdict(list)
    for index, number in enumerate(numbers):
        value = number.value or 0
        before: tuple[int, int] | None = None
        for step in range(1, _MAX_STEP + 1):
            seen = bisect_right(ends[value - step], number.span.start - MIN_PAGE_CHARS)
            if seen and (before is None or best[value - step][seen - 1][0] > before[0]):
                before = best[value - step][seen - 1]
        length.append(1 + (before[0] if before else 0))
        previous.append(before[1] if before else None)
        mine = best[value]
        ends[value].append(number.span.end)
        # On a tie the earlier candidate: the one nearer its predecessor.
        mine.append(mine[-1] if mine and mine[-1][0] >= length[-1] else (length[-1], index))
    return length, previous


def _filled(chain: Sequence[_Number], weak: Sequence[_Number]) -> list[_Number]:
    """A chain with the digits inside lines that stand where its missing numbers belong, a page on
    from their neighbours (within PAGE_SLACK of the chain's usual page), before, inside and after it."""
    gaps = [b.span.start - a.span.start for a, b in pairwise(chain) if (b.value or 0) - (a.value or 0) == 1]
    if not gaps:
        return list(chain)
    import statistics  # here: few texts have chains of page numbers, and it costs 2.5 ms to import

    page = statistics.median(gaps)
    by_value: defaultdict[int, list[_Number]] = defaultdict(list)
    for number in weak:
        by_value[number.value or 0].append(number)
    filled = list(chain)
    for a, b in pairwise(chain):
        if (b.value or 0) - (a.value or 0) == 2:
            filled += _nearest(by_value[(a.value or 0) + 1], a.span.start + page, page)
    for step in (1, -1):
        while found := _nearest(
            by_value[(filled[-1 if step > 0 else 0].value or 0) + step],
            filled[-1 if step > 0 else 0].span.start + step * page,
            page,
        ):
            filled.insert(len(filled) if step > 0 else 0, found[0])
        filled.sort(key=lambda n: n.span.start)
    return sorted(filled, key=lambda n: n.span.start)


def _nearest(candidates: Sequence[_Number], expected: float, page: float) -> list[_Number]:
    """The candidate nearest the place expected, if it is within PAGE_SLACK of a page of it."""
    near = [n for n in candidates if abs(n.span.start - expected) <= PAGE_SLACK * page]
    return [min(near, key=lambda n: abs(n.span.start - expected))] if near else []


def _common_neighbours(text: str, members: Sequence[_Number]) -> list[Span]:
    """The words written right after (or right before) every page number of a chain on its line: a running head."""
    spans: list[Span] = []
    line_ends = [_line_end(text, n.span.end) for n in members]
    after = _common_prefix([text[n.span.end : end] for n, end in zip(members, line_ends, strict=True)])
    if len("".join(after.split())) >= MIN_GLUED:
        spans.extend(Span(n.span.end, n.span.end + len(after)) for n in members)
    starts = [text.rfind("\n", 0, n.span.start) + 1 for n in members]
    before = _common_prefix([text[start : n.span.start][::-1] for n, start in zip(members, starts, strict=True)])
    if len("".join(before.split())) >= MIN_GLUED:
        spans.extend(Span(n.span.start - len(before), n.span.start) for n in members)
    return spans


def _common_prefix(texts: Sequence[str]) -> str:
    first, last = min(texts), max(texts)
    size = next((i for i, (a, b) in enumerate(zip(first, last, strict=False)) if a != b), min(len(first), len(last)))
    return first[:size]


def _line_end(text: str, at: int) -> int:
    end = text.find("\n", at)
    return len(text) if end < 0 else end


def _regular_pages(members: Sequence[_Number]) -> bool:
    """True for more than MIN_CHAIN numbers counting up by one, at about the same distance from each other."""
    gaps = [b.span.start - a.span.start for a, b in pairwise(members)]
    steps = {(b.value or 0) - (a.value or 0) for a, b in pairwise(members)}
    return len(members) > MIN_CHAIN and steps == {1} and max(gaps) <= min(REGULAR_PAGES * min(gaps), MAX_PAGE_CHARS)


def _running(text: str, lines: Sequence[_Line], pages: Sequence[_Number]) -> list[Span]:
    """Running heads: whole lines, and their copies beside a page number inside a line."""
    by_key: defaultdict[str, list[int]] = defaultdict(list)
    for index, line in enumerate(lines):
        if line.end - line.start > 2 * MAX_RUNNING_CHARS:  # a paragraph, not a head (spaces and numbers aside)
            continue
        key = running_key(text[line.start : line.end])
        if 2 <= len(key) <= MAX_RUNNING_CHARS and key[-1] not in _CLAUSE_END and not key.isdigit():
            by_key[key].append(index)
    page_lines = sorted({n.line for n in pages})
    spans: list[Span] = []
    heads: list[str] = []
    for key, found in by_key.items():
        if len(found) < 2 or _repeated_text(text, lines, found):
            continue
        beside = _beside(found, page_lines)
        if (
            beside == len(found)
            or (len(found) >= MIN_RUNNING and 2 * beside > len(found))
            or (len(found) > MIN_RUNNING and _regular([lines[i].start for i in found], found))
        ):
            spans.extend(Span(*lines[i]) for i in found)
            heads.append(key)
    return spans + _glued(text, heads, [n for n in pages if n.form in ("inline", "dash")])


def _repeated_text(text: str, lines: Sequence[_Line], found: Sequence[int]) -> bool:
    """True when the lines around each copy are the same too: a passage printed again, not a page's head."""
    around = [
        Counter(text[lines[i].start : lines[i].end] for i in near).most_common(1)[0][1]
        for near in ([i - 1 for i in found if i > 0], [i + 1 for i in found if i + 1 < len(lines)])
        if near
    ]
    return len(around) == 2 and all(2 * same > len(found) for same in around)


def _beside(found: Sequence[int], page_lines: Sequence[int]) -> int:
    """How many of the lines stand within NEAR_LINES of a page number."""
    return sum(
        1
        for line in found
        if bisect_right(page_lines, line + NEAR_LINES) - bisect_right(page_lines, line - NEAR_LINES - 1) > 0
    )


def _regular(starts: Sequence[int], found: Sequence[int]) -> bool:
    """True when the lines repeat at about the same interval, a few lines and at most a page apart."""
    gaps = [b - a for a, b in pairwise(found)]
    within_a_page = max(b - a for a, b in pairwise(starts)) <= MAX_PAGE_CHARS
    return within_a_page and min(gaps) >= 2 * NEAR_LINES and max(gaps) <= REGULAR_RATIO * min(gaps)


def _glued(text: str, heads: Sequence[str], inline: Sequence[_Number]) -> list[Span]:
    """A running head written inside a line right before or after a page number there."""
    if not heads or not inline:
        return []
    spaced = "|".join(r"\s*".join(map(re.escape, head)) for head in sorted(heads, key=len, reverse=True))
    after = re.compile(rf"\s*(?:{spaced})")
    before = re.compile(rf"(?:{spaced})\s*$")
    spans: list[Span] = []
    for number in inline:
        if m := after.match(text, number.span.end):
            spans.append(Span(m.start(), m.end()))
        if m := before.search(text, max(0, number.span.start - 4 * MAX_RUNNING_CHARS), number.span.start):
            spans.append(Span(m.start(), m.end()))
    return spans


def _merged(spans: Sequence[Span]) -> list[Span]:
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if merged and span.start <= merged[-1].end:
            merged[-1] = Span(merged[-1].start, max(merged[-1].end, span.end))
        else:
            merged.append(span)
    return merged
