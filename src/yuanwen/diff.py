"""Alignment → Differences: the changes a proof-reader would mark, each of one kind.

1. Runs: consecutive non-equal edits form one change; two changes one Han character apart are
   one change (加强 → 强化 is one substitution, not an omission and an insertion).
2. Split: a change whose two sides are the same sequence of punctuation and wording splits into
   one difference per part (，继续 → ,进一步 is a punctuation change and a substitution).
   A change to a reprint's own header, to a mark of a cut (（略）) or to a few characters in
   place of a long passage is a cut and an addition instead.
3. Kind: punctuation only → punctuation; nothing in the reprint → omission; nothing in the
   source → insertion; else substitution.
4. Place: an omission or insertion that could stand a few characters away (。要… / 要…。)
   slides to where it starts and ends a sentence, as a proof-reader would mark it.
5. Widen: a substitution that cuts into a word grows to the smallest word holding it
   (指 → 督 inside 指导组 becomes 指导 → 督导); a name grows to the whole name.
"""

from __future__ import annotations

from collections.abc import Sequence

from yuanwen.chars import is_punctuation
from yuanwen.model import Alignment, Difference, Edit, Kind, Span, TextMap
from yuanwen.normalize import is_boundary
from yuanwen.words import Segmenter, Token

# How far an omission or insertion may slide to reach a sentence boundary, and how far around a
# substitution words are looked up: a Chinese word is rarely longer than 6 characters.
_SLIDE = 40
_WORD_WINDOW = 6
# Changes one character apart are one change only when both are word-sized (加 / 化 around 强);
# a heading kept between two cut passages must stay a match.
_JOIN_MAX = 4
# A change whose one side is this long and this many times the other is a cut and an addition: a
# rewritten phrase keeps roughly its length, an excerpt cut beside a stray fragment does not.
_LOPSIDED_CHARS = 40
_LOPSIDED_RATIO = 8
_PROPER_TAGS = frozenset({"nr", "nrfg", "nrt", "ns", "nt", "nz"})


def differences(alignment: Alignment, segmenter: Segmenter, marks: frozenset[str] = frozenset()) -> list[Difference]:
    """The differences of an alignment, in source order; marks are what a reprint puts for a cut (（略）)."""
    source, reprint = alignment.source, alignment.reprint
    changes = _join_close(_runs(alignment.edits), source.content, reprint.content)
    found = [d for change in changes for d in _split(change, source, reprint, marks)]
    placed = [_place(d, i, found, source, reprint) for i, d in enumerate(found)]
    return [_widen(d, i, placed, source.content, reprint.content, segmenter) for i, d in enumerate(placed)]


def _runs(edits: Sequence[Edit]) -> list[Difference]:
    """Each maximal run of non-equal edits, as one change (kind to be decided)."""
    runs: list[Difference] = []
    open_run: list[Edit] = []
    for edit in [*edits, Edit("equal", Span(0, 0), Span(0, 0))]:
        if edit.op != "equal":
            open_run.append(edit)
            continue
        if open_run:
            first, last = open_run[0], open_run[-1]
            source = Span(first.source.start, last.source.end)
            reprint = Span(first.reprint.start, last.reprint.end)
            runs.append(Difference("substitution", source, reprint))
            open_run = []
    return runs


def _join_close(runs: list[Difference], a: str, b: str) -> list[Difference]:
    """Join changes one shared Han character apart, unless either is only punctuation."""
    joined: list[Difference] = []
    for run in runs:
        if joined:
            last = joined[-1]
            gap_a, gap_b = run.source.start - last.source.end, run.reprint.start - last.reprint.end
            between = a[last.source.end : run.source.start]
            if (
                gap_a == gap_b == 1
                and max(len(last.source), len(last.reprint), len(run.source), len(run.reprint)) <= _JOIN_MAX
                and _is_han(between)
                and not _punctuation_only(last, a, b)
                and not _punctuation_only(run, a, b)
            ):
                joined[-1] = Difference(
                    "substitution",
                    Span(last.source.start, run.source.end),
                    Span(last.reprint.start, run.reprint.end),
                )
                continue
        joined.append(run)
    return joined


def _split(change: Difference, source: TextMap, reprint: TextMap, marks: frozenset[str]) -> list[Difference]:
    """One difference per punctuation or wording part, when both sides have the same parts."""
    a, b = source.content, reprint.content
    text_a, text_b = a[change.source.start : change.source.end], b[change.reprint.start : change.reprint.end]
    if not text_a or not text_b:
        return [Difference(_kind(text_a, text_b), change.source, change.reprint)]
    if _whole_paragraphs_at_an_edge(change, source, reprint) or _lopsided(text_a, text_b) or text_b in marks:
        # The reprint's own header or footer beside what it cut, a long passage cut where a few
        # characters stand, or a cut marked （略）: a cut and an addition, not a changed word.
        return [
            Difference("omission", change.source, Span(change.reprint.start, change.reprint.start)),
            Difference("insertion", Span(change.source.end, change.source.end), change.reprint),
        ]
    parts_a, parts_b = _parts(text_a), _parts(text_b)
    if len(parts_a) > 1 and [p for p, _ in parts_a] == [p for p, _ in parts_b]:
        found: list[Difference] = []
        at_a, at_b = change.source.start, change.reprint.start
        for (_, size_a), (_, size_b) in zip(parts_a, parts_b, strict=True):
            part_a, part_b = Span(at_a, at_a + size_a), Span(at_b, at_b + size_b)
            if a[part_a.start : part_a.end] != b[part_b.start : part_b.end]:
                found.append(
                    Difference(_kind(a[part_a.start : part_a.end], b[part_b.start : part_b.end]), part_a, part_b)
                )
            at_a, at_b = part_a.end, part_b.end
        return found
    return [Difference(_kind(text_a, text_b), change.source, change.reprint)]


def _lopsided(text_a: str, text_b: str) -> bool:
    longer, shorter = max(len(text_a), len(text_b)), min(len(text_a), len(text_b))
    return longer >= _LOPSIDED_CHARS and longer >= _LOPSIDED_RATIO * shorter


def _whole_paragraphs_at_an_edge(change: Difference, source: TextMap, reprint: TextMap) -> bool:
    """Whether a change has nothing shared before or after it and is whole paragraphs on both sides."""
    at_start = change.source.start == 0 and change.reprint.start == 0
    at_end = change.source.end == len(source.content) and change.reprint.end == len(reprint.content)
    return (at_start or at_end) and all(
        is_boundary(text, span.start) and is_boundary(text, span.end)
        for text, span in ((source, change.source), (reprint, change.reprint))
    )


def _parts(text: str) -> list[tuple[bool, int]]:
    """The text as alternating runs of punctuation and wording: (is punctuation, length)."""
    parts: list[tuple[bool, int]] = []
    for ch in text:
        mark = is_punctuation(ch)
        if parts and parts[-1][0] == mark:
            parts[-1] = (mark, parts[-1][1] + 1)
        else:
            parts.append((mark, 1))
    return parts


def _kind(text_a: str, text_b: str) -> Kind:
    if is_punctuation(text_a + text_b):
        return "punctuation"
    if not text_b:
        return "omission"
    if not text_a:
        return "insertion"
    return "substitution"


def _place(diff: Difference, index: int, diffs: list[Difference], source: TextMap, reprint: TextMap) -> Difference:
    """Slide a pure omission or insertion to sentence boundaries, if it can stand there."""
    if diff.kind == "omission":
        low = diffs[index - 1].source.end if index else 0
        high = diffs[index + 1].source.start if index + 1 < len(diffs) else len(source.content)
        best = _best_slide(diff.source, source, low, high)
        return Difference(diff.kind, Span(diff.source.start + best, diff.source.end + best), _shift(diff.reprint, best))
    if diff.kind == "insertion":
        low = diffs[index - 1].reprint.end if index else 0
        high = diffs[index + 1].reprint.start if index + 1 < len(diffs) else len(reprint.content)
        best = _best_slide(diff.reprint, reprint, low, high)
        return Difference(
            diff.kind, _shift(diff.source, best), Span(diff.reprint.start + best, diff.reprint.end + best)
        )
    return diff


def _best_slide(span: Span, text: TextMap, low: int, high: int) -> int:
    """The shift, among those that leave the text the same, that best meets sentence boundaries."""
    c = text.content
    shifts = [0]
    left = 0
    while left < _SLIDE and span.start - left - 1 >= low and c[span.start - left - 1] == c[span.end - left - 1]:
        left += 1
        shifts.append(-left)
    right = 0
    while right < _SLIDE and span.end + right < high and c[span.start + right] == c[span.end + right]:
        right += 1
        shifts.append(right)

    def score(shift: int) -> tuple[int, int, int]:
        start, end = span.start + shift, span.end + shift
        return (is_boundary(text, start) + is_boundary(text, end), is_boundary(text, end), -abs(shift))

    return max(shifts, key=score)


def _shift(span: Span, by: int) -> Span:
    return Span(span.start + by, span.end + by)


def _widen(diff: Difference, index: int, diffs: list[Difference], a: str, b: str, segmenter: Segmenter) -> Difference:
    """Grow a substitution that cuts into a word to that word, on both sides alike."""
    if diff.kind != "substitution":
        return diff
    low = diffs[index - 1].source.end if index else 0
    high = diffs[index + 1].source.start if index + 1 < len(diffs) else len(a)
    start, end = diff.source.start, diff.source.end
    window_start, window_end = max(low, start - _WORD_WINDOW), min(high, end + _WORD_WINDOW)
    words = segmenter.words(a[window_start:window_end], window_start)
    new_start, new_end = _word_bounds(words, start, end, segmenter)
    grow_left, grow_right = start - new_start, new_end - end
    r = diff.reprint
    if (
        grow_left > r.start
        or a[new_start:start] != b[r.start - grow_left : r.start]
        or a[end:new_end] != b[r.end : r.end + grow_right]
    ):
        return diff
    return Difference(diff.kind, Span(new_start, new_end), Span(r.start - grow_left, r.end + grow_right))


def _word_bounds(words: list[Token], start: int, end: int, segmenter: Segmenter) -> tuple[int, int]:
    """The span grown to whole words: the smallest word holding it, or each end to its word."""
    holding = [w for w in words if w.start <= start and end <= w.end and (w.start, w.end) != (start, end)]
    if holding:
        word = holding[0]
        if word.tag in _PROPER_TAGS or len(word.text) <= 2:
            return word.start, word.end
        inside = [
            t
            for t in segmenter.subwords(word.text, word.start)
            if t.start <= start and end <= t.end and len(t.text) >= 2
        ]
        smallest = min(inside, key=lambda t: len(t.text), default=word)
        return smallest.start, smallest.end
    left = next((w.start for w in words if w.start < start < w.end), start)
    right = next((w.end for w in words if w.start < end < w.end), end)
    return left, right


def _punctuation_only(diff: Difference, a: str, b: str) -> bool:
    return is_punctuation(a[diff.source.start : diff.source.end] + b[diff.reprint.start : diff.reprint.end])


def _is_han(text: str) -> bool:
    return bool(text) and all("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" for ch in text)
