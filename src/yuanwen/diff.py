"""Alignment → Differences: the changes a proof-reader would mark, each of one kind.

1. Runs: consecutive non-equal edits form one change; two changes one Han character apart are
   one change (加强 → 强化 is one substitution, not an omission and an insertion).
2. Split: a change whose two sides are the same sequence of punctuation and wording splits into
   one difference per part (，继续 → ,进一步 is a punctuation change and a substitution); one
   whose wording is the same once punctuation is set aside is only punctuation (。一、 → 一), and
   characters that differ only in width (２０２３ → 2023, ＧＤＰ → GDP) are a change of their own,
   one per run. A change to a reprint's own header, to a mark of a cut (（略）) or to a few
   characters in place of a long passage is a cut and an addition instead.
3. Kind: punctuation only → punctuation; nothing in the reprint → omission; nothing in the
   source → insertion; else substitution.
4. Place: an omission or insertion that could stand a few characters away (。要… / 要…。)
   slides to where it starts and ends a sentence, as a proof-reader would mark it.
5. Widen: a substitution that cuts into a word grows to the smallest word holding it
   (指 → 督 inside 指导组 becomes 指导 → 督导); a name grows to the whole name; a character dropped
   from or added to a word makes a substitution of the word (了解 → 了); a change inside a number
   grows to the whole number with its unit on both sides (6.07亿吨 → 1.21万亿斤 is one change), and
   changes that then overlap are one.
6. Merge: changes a few unchanged characters apart inside one clause are one edit (富强、民主、文明
   → 富强民主文明和谐美丽 is one substitution of the whole stretch, its parts kept for grading),
   as diff-match-patch's semantic clean-up merges small equalities; a change of width or of a
   mark that ends a clause stays a change of its own.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import replace

from yuanwen.chars import fold_width, is_punctuation
from yuanwen.model import Alignment, Difference, Edit, Kind, Span, TextMap
from yuanwen.normalize import is_boundary
from yuanwen.numbers import tokens_near
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
# Marks that belong to a number (５％, ６．０７): a run of width changes holds them with its digits.
_NUMBER_MARKS = frozenset("%％‰.．")
# Digits dropped or added inside a number are few (2392 → 232, 6.07 → 6.075); a longer cut that
# ends inside one is an excerpt's edge (an excerpt starting at 2%左右 of 12%左右), not a number changed.
_NUMBER_CHANGE = 8
# Changes at most this many unchanged characters apart are one edit when nothing between them ends
# a clause: a word is at most four characters, so closer changes touch one phrase. Measured on the
# real pairs of ../shared/real (government work reports as delivered and adopted, the 2004 and 2018
# constitution preambles, 刑法 before and after 修正案（十二）): 4 makes one edit of 和精神文明 →
# 、精神文明、社会文明、生态文明 and of 参与权、表达权 → 参与全、表达全, which 2 leaves split; 6
# joins edits five characters apart (制止 … 等产业) a proof-reader marks apart. The planted set
# (tests/evaluation.py, clause.multi) gives 1.000 findings per edit from 2 to 8.
_MERGE_GAP = 4
# The only mark inside a clause: 、 between the items of a list. Any other mark ends or frames a
# clause, and the changes on either side of it are edits of their own.
_INNER_MARKS = frozenset("、")


def differences(alignment: Alignment, segmenter: Segmenter, marks: frozenset[str] = frozenset()) -> list[Difference]:
    """The differences of an alignment, in source order; marks are what a reprint puts for a cut (（略）)."""
    source, reprint = alignment.source, alignment.reprint
    changes = _join_close(_runs(alignment.edits), source.content, reprint.content)
    found = [d for change in changes for d in _split(change, source, reprint, marks)]
    placed = [_place(d, i, found, source, reprint) for i, d in enumerate(found)]
    return _merged(_widened(placed, source, reprint, segmenter), source, reprint)


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
                    _pieces([_decided(last, a, b), _decided(run, a, b)]),
                )
                continue
        joined.append(run)
    return joined


def _decided(change: Difference, a: str, b: str) -> Difference:
    """A run of edits with its kind decided (a joined change keeps the kinds of its parts)."""
    if change.parts:
        return change
    return replace(
        change, kind=_kind(a[change.source.start : change.source.end], b[change.reprint.start : change.reprint.end])
    )


def _pieces(diffs: Sequence[Difference]) -> tuple[Difference, ...]:
    """The changes a difference made of these is made of, for grading as the worst; none for one change."""
    pieces = tuple(piece for diff in diffs for piece in (diff.parts or (diff,)))
    return pieces if len(pieces) > 1 else ()


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
    if _wording(text_a) == _wording(text_b):
        return _same_wording(change, text_a, text_b)
    parts_a, parts_b = _parts(text_a), _parts(text_b)
    if len(parts_a) > 1 and [p for p, _ in parts_a] == [p for p, _ in parts_b]:
        found: list[Difference] = []
        at_a, at_b = change.source.start, change.reprint.start
        for (_, size_a), (_, size_b) in zip(parts_a, parts_b, strict=True):
            part_a, part_b = Span(at_a, at_a + size_a), Span(at_b, at_b + size_b)
            found.extend(_part(a[part_a.start : part_a.end], b[part_b.start : part_b.end], part_a, part_b))
            at_a, at_b = part_a.end, part_b.end
        return found
    return [replace(change, kind=_kind(text_a, text_b))]


def _part(text_a: str, text_b: str, span_a: Span, span_b: Span) -> list[Difference]:
    """The difference of one part of a change: none, a change of width, or one of its kind."""
    if text_a == text_b:
        return []
    if fold_width(text_a) == fold_width(text_b):
        return _same_wording(Difference("substitution", span_a, span_b), text_a, text_b)
    return [Difference(_kind(text_a, text_b), span_a, span_b)]


def _wording(text: str) -> str:
    """What a text says once width is folded and punctuation set aside."""
    return "".join(ch for ch in fold_width(text) if not is_punctuation(ch))


def _same_wording(change: Difference, text_a: str, text_b: str) -> list[Difference]:
    """The punctuation changes and runs of width changes of a change whose wording is the same.

    The i-th wording character of one side faces the i-th of the other; the punctuation between
    two of them is a change of its own where it differs (。一、 → 一: two marks dropped)."""
    words_a = [i for i, ch in enumerate(text_a) if not is_punctuation(ch)]
    words_b = [i for i, ch in enumerate(text_b) if not is_punctuation(ch)]
    found: list[Difference] = []
    run: list[tuple[Span, Span]] = []  # the width changes of the current run, in change offsets
    at_a = at_b = 0
    for i, j in [*zip(words_a, words_b, strict=True), (len(text_a), len(text_b))]:
        for piece_a, piece_b in ((Span(at_a, i), Span(at_b, j)), (Span(i, i + 1), Span(j, j + 1))):
            part_a, part_b = text_a[piece_a.start : piece_a.end], text_b[piece_b.start : piece_b.end]
            if part_a == part_b:
                continue
            if fold_width(part_a) != fold_width(part_b):
                found.append(
                    Difference(
                        "punctuation", _shift(piece_a, change.source.start), _shift(piece_b, change.reprint.start)
                    )
                )
            elif (
                run
                and _continues(run[-1], piece_a, piece_b)
                and _in_a_width_run(part_a)
                and _in_a_width_run(text_a[run[-1][0].start : run[-1][0].end])
            ):
                run[-1] = (Span(run[-1][0].start, piece_a.end), Span(run[-1][1].start, piece_b.end))
                found[-1] = _width_change(run[-1], text_a, change)
            else:
                run.append((piece_a, piece_b))
                found.append(_width_change(run[-1], text_a, change))
        at_a, at_b = i + 1, j + 1
    return found


def _continues(last: tuple[Span, Span], piece_a: Span, piece_b: Span) -> bool:
    return last[0].end == piece_a.start and last[1].end == piece_b.start


def _width_change(pieces: tuple[Span, Span], text_a: str, change: Difference) -> Difference:
    """A run of characters that differ only in width: a substitution of digits or letters, else punctuation (＋, ％)."""
    piece_a, piece_b = pieces
    kind: Kind = "substitution" if any(ch.isalnum() for ch in text_a[piece_a.start : piece_a.end]) else "punctuation"
    return Difference(kind, _shift(piece_a, change.source.start), _shift(piece_b, change.reprint.start))


def _in_a_width_run(text: str) -> bool:
    """Wording, or a number's own marks (５％, ６．０７), joins a run of width changes; other marks stand alone."""
    return not is_punctuation(text) or set(text) <= _NUMBER_MARKS


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
    if len(shifts) == 1:  # nowhere to slide: most cuts and additions end on a change of text
        return 0

    def score(shift: int) -> tuple[int, int, int, int]:
        start, end = span.start + shift, span.end + shift
        clause_edges = _at_a_mark(c, start - 1, start) + _at_a_mark(c, end - 1, end)
        return (is_boundary(text, start) + is_boundary(text, end), is_boundary(text, end), clause_edges, -abs(shift))

    return max(shifts, key=score)


def _at_a_mark(text: str, *places: int) -> bool:
    """Whether a mark stands at one of the places (a clause's edge), or a place is the text's edge."""
    return any(i < 0 or i >= len(text) or is_punctuation(text[i]) for i in places)


def _shift(span: Span, by: int) -> Span:
    return Span(span.start + by, span.end + by)


def _widened(diffs: list[Difference], source: TextMap, reprint: TextMap, segmenter: Segmenter) -> list[Difference]:
    """Each difference grown to the words and numbers it cuts into; those that then overlap made one."""
    a, b = source.content, reprint.content
    result: list[Difference] = []
    i = 0
    while i < len(diffs):
        want = None if _whole_sentences(diffs[i], source, reprint) else _wanted(diffs, i, a, b, segmenter)
        grown = _grown(diffs, i, want, len(a), len(b)) if want else None
        if grown is None:
            result.append(diffs[i])
            i += 1
            continue
        last, span_a, span_b = grown
        kind = _kind(a[span_a.start : span_a.end], b[span_b.start : span_b.end])
        result.append(Difference(kind, span_a, span_b, _pieces(diffs[i : last + 1])))
        i = last + 1
    return result


def _wanted(diffs: list[Difference], i: int, a: str, b: str, segmenter: Segmenter) -> tuple[Span, Span] | None:
    """The spans a difference should cover in each text: the words and numbers it cuts into."""
    diff = diffs[i]
    text_a, text_b = a[diff.source.start : diff.source.end], b[diff.reprint.start : diff.reprint.end]
    if (
        (diff.kind == "punctuation" and not _number_mark(diff, a, b))
        or (text_a and text_b and fold_width(text_a) == fold_width(text_b))
        or _at_the_edge(diff, len(a), len(b))
    ):
        return None
    source, reprint = diff.source, diff.reprint
    if diff.kind == "substitution":
        source = _word_span(diffs, i, a, segmenter)
    elif _word_sized(text_a + text_b):
        source, reprint = _cut_words(diff, a, b, segmenter)
    if diff.kind == "substitution" or len(text_a + text_b) <= _NUMBER_CHANGE:
        source = _with_numbers(a, diff.source, source)
        reprint = _with_numbers(b, diff.reprint, reprint)
    if (source, reprint) == (diff.source, diff.reprint):
        return None
    return source, reprint


def _at_the_edge(diff: Difference, size_a: int, size_b: int) -> bool:
    """A cut before or after all the reprint holds, or an addition before or after all the source
    holds: an excerpt may start or end anywhere, mid-number too, and grows into no word or number."""
    if diff.kind == "omission":
        return diff.reprint.start in (0, size_b)
    return diff.kind == "insertion" and diff.source.start in (0, size_a)


def _number_mark(diff: Difference, a: str, b: str) -> bool:
    """Whether a change of marks changes a number: a decimal point or a percent sign (6.07 → 607, 5% → 5)."""
    for text, span in ((a, diff.source), (b, diff.reprint)):
        marks = text[span.start : span.end]
        before = text[span.start - 1] if span.start else ""
        after = text[span.end] if span.end < len(text) else ""
        if marks and set(marks) <= _NUMBER_MARKS and before.isdigit() and (after.isdigit() or marks[0] in "%％‰"):
            return True
    return False


def _with_numbers(text: str, span: Span, wanted: Span) -> Span:
    """The wanted span grown over every number the span cuts into (not one it holds whole)."""
    for token in tokens_near(text, span):
        if token.start < span.start or token.end > span.end:
            wanted = _union(wanted, token)
    return wanted


def _whole_sentences(diff: Difference, source: TextMap, reprint: TextMap) -> bool:
    """An omission or insertion of whole sentences or paragraphs, which cuts into no word."""
    text, span = (source, diff.source) if diff.kind == "omission" else (reprint, diff.reprint)
    return diff.kind in ("omission", "insertion") and is_boundary(text, span.start) and is_boundary(text, span.end)


def _word_sized(text: str) -> bool:
    """A dropped or added stretch short enough to be part of a word, and not punctuation."""
    return len(text) <= _JOIN_MAX and not any(is_punctuation(ch) for ch in text)


def _cut_words(diff: Difference, a: str, b: str, segmenter: Segmenter) -> tuple[Span, Span]:
    """An omission's or insertion's spans grown to the words whose inside it changes (了解 → 了).

    Words are read where they stand: an omission's in the source, an insertion's in the reprint
    and around its place in the source (指导组 → 指导小组); what a cut makes of its neighbours in
    the reprint (全国 → 国 leaves 为国) is no word of the text."""
    source = _crossing_words(a, diff.source, segmenter)
    reprint = _crossing_words(b, diff.reprint, segmenter) if diff.kind == "insertion" else diff.reprint
    return source, reprint


def _crossing_words(text: str, span: Span, segmenter: Segmenter) -> Span:
    """The span grown to the words it cuts into: an end inside a word that no finer word ends at."""
    start, end = max(0, span.start - _WORD_WINDOW), min(len(text), span.end + _WORD_WINDOW)
    words = segmenter.words(text[start:end], start)
    ends = {p for w in [*words, *segmenter.subwords(text[start:end], start)] for p in (w.start, w.end)}
    grown = span
    for edge in {span.start, span.end}:
        if edge in ends:
            continue
        for word in words:
            if word.start < edge < word.end:
                grown = _union(grown, Span(word.start, word.end))
    return grown


def _union(one: Span, other: Span) -> Span:
    return Span(min(one.start, other.start), max(one.end, other.end))


def _grown(
    diffs: list[Difference], i: int, want: tuple[Span, Span], len_a: int, len_b: int
) -> tuple[int, Span, Span] | None:
    """The last difference a grown one takes in, and its spans; None where it cannot grow alike on both sides.

    Between two differences the texts are the same, so growing by n shared characters on one side
    is growing by n on the other; a difference grown over its neighbour takes it in."""
    first = last = i
    source, reprint = _union(diffs[i].source, want[0]), _union(diffs[i].reprint, want[1])
    while True:
        if first > 0 and (diffs[first - 1].source.end > source.start or diffs[first - 1].reprint.end > reprint.start):
            # Widening runs forward only: a difference before this one stays as it was.
            return None
        if last + 1 < len(diffs) and (
            diffs[last + 1].source.start < source.end or diffs[last + 1].reprint.start < reprint.end
        ):
            last += 1
            source, reprint = _union(source, diffs[last].source), _union(reprint, diffs[last].reprint)
            continue
        left = max(diffs[first].source.start - source.start, diffs[first].reprint.start - reprint.start)
        right = max(source.end - diffs[last].source.end, reprint.end - diffs[last].reprint.end)
        alike = (
            Span(diffs[first].source.start - left, diffs[last].source.end + right),
            Span(diffs[first].reprint.start - left, diffs[last].reprint.end + right),
        )
        if alike == (source, reprint):
            break
        source, reprint = alike
    if source.start < 0 or reprint.start < 0 or source.end > len_a or reprint.end > len_b:
        return None
    return last, source, reprint


def _word_span(diffs: list[Difference], index: int, a: str, segmenter: Segmenter) -> Span:
    """The source span of a substitution grown to the smallest word holding it (within its neighbours)."""
    diff = diffs[index]
    low = diffs[index - 1].source.end if index else 0
    high = diffs[index + 1].source.start if index + 1 < len(diffs) else len(a)
    start, end = diff.source.start, diff.source.end
    window_start, window_end = max(low, start - _WORD_WINDOW), min(high, end + _WORD_WINDOW)
    words = segmenter.words(a[window_start:window_end], window_start)
    new_start, new_end = _word_bounds(words, start, end, segmenter)
    return Span(new_start, new_end)


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


def _merged(diffs: list[Difference], source: TextMap, reprint: TextMap) -> list[Difference]:
    """Changes a few unchanged characters apart inside one clause made one, when one of them changes wording."""
    groups: list[list[Difference]] = []
    for diff in diffs:
        if groups and _joins(groups[-1][-1], diff, source, reprint):
            groups[-1].append(diff)
        else:
            groups.append([diff])
    a, b = source.content, reprint.content
    result: list[Difference] = []
    for group in groups:
        if len(group) == 1 or all(_punctuation_only(d, a, b) for d in group):
            result.extend(group)
            continue
        span_a = Span(group[0].source.start, group[-1].source.end)
        span_b = Span(group[0].reprint.start, group[-1].reprint.end)
        kind = _kind(a[span_a.start : span_a.end], b[span_b.start : span_b.end])
        result.append(Difference(kind, span_a, span_b, _pieces(group)))
    return result


def _joins(last: Difference, diff: Difference, source: TextMap, reprint: TextMap) -> bool:
    """Whether a change is part of the same edit as the one before it: a clause's few characters apart."""
    a, b = source.content, reprint.content
    gap_a, gap_b = Span(last.source.end, diff.source.start), Span(last.reprint.end, diff.reprint.start)
    between = a[gap_a.start : gap_a.end]
    return (
        0 < len(gap_a) <= _MERGE_GAP
        and between == b[gap_b.start : gap_b.end]
        and all(_in_a_clause(d, a, b) for d in (last, diff))
        and all(not is_punctuation(ch) or ch in _INNER_MARKS for ch in between)
        and not _paragraph_starts_within(source, gap_a)
        and not _paragraph_starts_within(reprint, gap_b)
    )


def _in_a_clause(diff: Difference, a: str, b: str) -> bool:
    """A change inside a clause: no mark but 、 in it, and not only a change of width."""
    text_a, text_b = a[diff.source.start : diff.source.end], b[diff.reprint.start : diff.reprint.end]
    marks = {ch for ch in text_a + text_b if is_punctuation(ch)}
    return marks <= _INNER_MARKS and not (text_a and text_b and fold_width(text_a) == fold_width(text_b))


def _paragraph_starts_within(text: TextMap, gap: Span) -> bool:
    """Whether a paragraph starts anywhere from the gap's start to its end, both included."""
    i = bisect_left(text.paragraph_starts, gap.start)
    return i < len(text.paragraph_starts) and text.paragraph_starts[i] <= gap.end
