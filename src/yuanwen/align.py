"""Two TextMaps → Alignment of their content, character by character; deterministic.

1. Anchors: GRAM-character strings (yuanwen.fingerprint: 12) that occur exactly once in each
   text, taken every GRAM characters of the source, and whole paragraphs that occur once in each.
   An excerpt or an inserted header
   is one huge edit, which makes plain diffs quadratic; unique anchors find the shared body in
   linear time whatever was cut, and paragraph anchors keep a short heading the excerpt kept
   (四, 各位代表：) from being swallowed by the cuts around it.
2. Chain: the longest run of anchors in the same order in both texts (longest increasing
   subsequence), so a stray repeat cannot pull the alignment across the document.
3. Blocks: chained anchors on one diagonal with equal text between them become one matched block.
4. Recursion: inside each gap between blocks, anchors unique within that gap are sought again
   (as patience diff does), so a heading that recurs elsewhere still anchors where it stands.
5. Gaps: what is left between blocks is diffed character by character by diff-match-patch (C++).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from itertools import compress, pairwise
from operator import le
from typing import TYPE_CHECKING, NamedTuple

import fast_diff_match_patch as dmp

from yuanwen.fingerprint import GRAM, code_points, gram_hashes, in_bulk
from yuanwen.model import Alignment, Edit, Op, Span, TextMap
from yuanwen.normalize import is_boundary, paragraph_edge

if TYPE_CHECKING:
    import numpy as np

# A gap that diff-match-patch cannot finish in this time is two unrelated passages; its coarse
# answer (all deleted, all inserted) is then the right one.
GAP_SECONDS = 2.0
# A reprint fragment this short facing a cut this many times longer is looked for whole in the
# cut; longer fragments have anchors of their own.
_FRAGMENT = 64
_LOPSIDED = 4
# A passage repeated is anchored by its first copy only when both ranges hold two grams at least.
_REPEAT = 2 * GRAM
# A match of this many characters or fewer between changes, one of them longer than a word, is
# chance (see _without_chaff).
_CHAFF = 2
_JOIN_WORD = 4
# The low bits that pass over most grams before sorting (_among) number at least this many times
# the values looked for: a gram equal to none passes one time in 8 at most.
_FILTER = 8
_OPS: dict[str, Op] = {"=": "equal", "-": "delete", "+": "insert"}


class _Anchors(NamedTuple):
    """Anchors in order of their source places, as three lists (tens of thousands are made for a
    million characters, most to be joined into blocks: lists made in C, not a tuple each)."""

    a: list[int]
    b: list[int]
    size: list[int]


class _Block(NamedTuple):
    """Equal text at source[a:a+size] and reprint[b:b+size] (a tuple: made a dozen times a 1,000 characters)."""

    a: int
    b: int
    size: int


def align(source: TextMap, reprint: TextMap) -> Alignment:
    """Align the reprint's content to the source's."""
    a, b = source.content, reprint.content
    edits: list[Edit] = []
    pa = pb = 0
    blocks = _blocks(source, reprint, 0, len(a), 0, len(b))
    for block in [*blocks, _Block(len(a), len(b), 0)]:
        edges = (pa == pb == 0, block.size == 0)
        edits.extend(_diff_gap(a[pa : block.a], b[pb : block.b], pa, pb, reprint, edges))
        if block.size:
            edits.append(Edit("equal", Span(block.a, block.a + block.size), Span(block.b, block.b + block.size)))
        pa, pb = block.a + block.size, block.b + block.size
    return Alignment(source=source, reprint=reprint, edits=tuple(_merge(edits)))


def _blocks(source: TextMap, reprint: TextMap, a0: int, a1: int, b0: int, b1: int) -> list[_Block]:
    """Matched blocks of source[a0:a1] and reprint[b0:b1], in order in both texts."""
    if a0 == a1 or b0 == b1:
        return []
    chained = _chain(source.content, reprint.content, _anchors(source, reprint, a0, a1, b0, b1))
    if not chained:
        chained = _kept_fragment(source, reprint, a0, a1, b0, b1) or _first_copy(source, reprint, a0, a1, b0, b1)
    blocks: list[_Block] = []
    pa, pb = a0, b0
    for block in [*chained, _Block(a1, b1, 0)] if chained else []:
        blocks.extend(_blocks(source, reprint, pa, block.a, pb, block.b))
        if block.size:
            blocks.append(block)
        pa, pb = block.a + block.size, block.b + block.size
    return blocks


def _kept_fragment(source: TextMap, reprint: TextMap, a0: int, a1: int, b0: int, b1: int) -> list[_Block]:
    """Where a short reprint fragment stands in a long cut: its longest piece found in the source.

    With no anchor in the gap, a diff matches such a fragment (a kept heading 四, a kept
    sentence) wherever its characters first fit, or drowns it in the cut around it; a proof-reader
    looks for the longest run of it, where a paragraph or sentence starts or ends."""
    fragment, cut = reprint.content[b0:b1], source.content[a0:a1]
    if len(fragment) > _FRAGMENT or len(cut) < _LOPSIDED * len(fragment):
        return []
    for size in range(len(fragment), 0, -1):
        for i in range(len(fragment) - size + 1):
            # Half the fragment at least, or a whole paragraph of the reprint such as 四.
            if 2 * size < len(fragment) and not _whole_paragraph(reprint, b0 + i, size):
                continue
            places = _occurrences(cut, fragment[i : i + size])
            if places:
                return [_Block(_best_place(places, Span(a0, a1), i, size, fragment, source), b0 + i, size)]
    return []


def _best_place(places: list[int], cut: Span, i: int, size: int, fragment: str, source: TextMap) -> int:
    """The place that continues a neighbouring match, else the one on most sentence boundaries."""
    match_before, match_after = cut.start > 0, cut.end < len(source.content)

    def score(p: int) -> tuple[bool, int]:
        start, end = cut.start + p, cut.start + p + size
        continues = (match_before and start == cut.start and i == 0) or (
            match_after and end == cut.end and i + size == len(fragment)
        )
        return continues, is_boundary(source, start) + is_boundary(source, end)

    return cut.start + max(places, key=score)


def _occurrences(text: str, piece: str) -> list[int]:
    found: list[int] = []
    at = text.find(piece)
    while at >= 0:
        found.append(at)
        at = text.find(piece, at + 1)
    return found


def _first_copy(source: TextMap, reprint: TextMap, a0: int, a1: int, b0: int, b1: int) -> list[_Block]:
    """Where one text repeats what the other holds once (a source printed twice over, a passage a
    reprint prints twice): each gram unique in one text anchored at its first place in the other,
    so the first copy is matched and the others are one omission or insertion, not a garble of edits."""
    if min(a1 - a0, b1 - b0) < _REPEAT:
        return []
    chains = [
        _chain(source.content, reprint.content, _gram_anchors(source, reprint, a0, a1, b0, b1, once))
        for once in ((False, True), (True, False))
    ]
    return max(chains, key=len)


def _anchors(source: TextMap, reprint: TextMap, a0: int, a1: int, b0: int, b1: int) -> _Anchors:
    """Unique GRAM-grams and unique whole paragraphs of the two ranges, by position in the source."""
    grams = _gram_anchors(source, reprint, a0, a1, b0, b1, (True, True))
    in_reprint = _unique_paragraphs(reprint, b0, b1)
    paragraphs = [
        (start, in_reprint[text], len(text))
        for text, start in _unique_paragraphs(source, a0, a1).items()
        if text in in_reprint
    ]
    return _in_order(grams, sorted(paragraphs, key=lambda anchor: (anchor[0], -anchor[2])))


def _in_order(grams: _Anchors, others: list[tuple[int, int, int]]) -> _Anchors:
    """Grams (in source order, one at a place) and other anchors (sorted) merged by place in the
    source, the longer first at one place and grams before others as long: as sorting all of them
    would give them, without a key computed for each of tens of thousands of grams."""
    if not others:
        return grams
    a: list[int] = []
    b: list[int] = []
    sizes: list[int] = []
    done = 0
    for x, y, size in others:
        at = (bisect_left if size > GRAM else bisect_right)(grams.a, x)
        a += grams.a[done:at]
        b += grams.b[done:at]
        sizes += grams.size[done:at]
        a.append(x)
        b.append(y)
        sizes.append(size)
        done = at
    return _Anchors(a + grams.a[done:], b + grams.b[done:], sizes + grams.size[done:])


def _gram_anchors(
    source: TextMap, reprint: TextMap, a0: int, a1: int, b0: int, b1: int, once: tuple[bool, bool]
) -> _Anchors:
    """GRAM-grams of the two ranges found in both, each unique in its range (once) or at its first
    place there, taken every GRAM characters of a range where they are unique; by position in the source."""
    if min(a1 - a0, b1 - b0) < GRAM:  # a word changed beside a cut: no gram fits in one of them
        return _Anchors([], [], [])
    a, b = source.content[a0:a1], reprint.content[b0:b1]
    size = len(a) + len(b)
    return (_anchors_large if in_bulk(size) else _anchors_small)(a, b, once, a0, b0)  # both in source order


def _chain(a: str, b: str, anchors: _Anchors) -> list[_Block]:
    """The longest chain of anchors in order in both texts, those on one diagonal joined."""
    blocks: list[_Block] = []
    # The block being joined to, as plain numbers (tens of thousands of anchors join at a million
    # characters): where it starts in each text and where it ends in the source; size 0: none yet.
    start_a = start_b = end_a = 0
    for i in _longest_chain(anchors.b):
        x, y, size = anchors.a[i], anchors.b[i], anchors.size[i]
        if end_a > start_a:
            end_b = end_a - start_a + start_b
            if x - y == start_a - start_b and (x <= end_a or a[end_a:x] == b[end_b:y]):
                end_a = x + size if x + size > end_a else end_a  # not max(): called 58,000 times
                continue
            if x < end_a or y < end_b:
                continue
            blocks.append(_Block(start_a, start_b, end_a - start_a))
        start_a, start_b, end_a = x, y, x + size
    if end_a > start_a:
        blocks.append(_Block(start_a, start_b, end_a - start_a))
    return blocks


def _unique_paragraphs(text: TextMap, start: int, end: int) -> dict[str, int]:
    """Each paragraph (cut at the range's ends) that occurs once in text.content[start:end], and where.

    A piece cut at a range's end that is no paragraph's end is a paragraph's remnant, not one:
    an excerpt ending mid-sentence on 一 must not anchor at a heading 一 pages later."""
    starts = text.paragraph_starts
    bounds = [start, *starts[bisect_right(starts, start) : bisect_left(starts, end)], end]
    pieces = (
        (text.content[low:high], low)
        for low, high in pairwise(bounds)
        if (low != start or paragraph_edge(text, low)) and (high != end or paragraph_edge(text, high))
    )
    return _once(pieces)


def _anchors_small(a: str, b: str, once: tuple[bool, bool], a0: int, b0: int) -> _Anchors:
    """The anchors of short texts starting at a0 and b0, from their GRAM-grams counted and placed in C
    (Counter, dict of zip: a dictionary built item by item took 40% more)."""
    sampled, other = (a, b) if once[0] else (b, a)
    grams = [sampled[i : i + GRAM] for i in range(len(sampled) - GRAM + 1)]
    others = [other[i : i + GRAM] for i in range(len(other) - GRAM + 1)]
    counts = Counter(grams)
    if once[0] and once[1]:
        counted = Counter(others)
        places = dict(zip(others, range(len(others)), strict=True))  # a gram's only place, if it has one
        xs = [x for x in range(0, len(grams), GRAM) if counts[grams[x]] == 1 and counted.get(grams[x]) == 1]
    else:  # each gram at its first place: the last written, going backwards
        places = dict(zip(reversed(others), range(len(others) - 1, -1, -1), strict=True))
        xs = [x for x in range(0, len(grams), GRAM) if counts[grams[x]] == 1 and grams[x] in places]
    ys = [places[grams[x]] for x in xs]
    if not once[0]:  # sampled in the reprint: in order of the source's places
        order = sorted(range(len(xs)), key=ys.__getitem__)
        xs, ys = [ys[i] for i in order], [xs[i] for i in order]
    return _Anchors([a0 + x for x in xs], [b0 + y for y in ys], [GRAM] * len(xs))


def _once(pieces: Iterable[tuple[str, int]]) -> dict[str, int]:
    """The pieces that occur once, each with its position, in order."""
    first: dict[str, int] = {}
    repeated: set[str] = set()
    for piece, position in pieces:
        if piece in first:
            repeated.add(piece)
        else:
            first[piece] = position
    return {piece: position for piece, position in first.items() if piece not in repeated}


def _anchors_large(a: str, b: str, once: tuple[bool, bool], a0: int, b0: int) -> _Anchors:
    """The anchors of long texts starting at a0 and b0, from 64-bit hashes of their GRAM-grams (same result).

    Only the grams every GRAM characters of the sampled text (a, or b when a's need not be unique)
    can anchor: those few are sorted and counted among the grams of each text that may equal one
    of them (_among), each text's hashes made and dropped in its turn (8 bytes a gram; rather than
    every gram of one text looked up among the other's, or both texts' hashes kept through the alignment)."""
    import numpy as np

    sampled, other = (a, b) if once[0] else (b, a)
    hashes = gram_hashes(code_points(sampled))
    order = np.argsort(hashes[::GRAM])  # a value listed twice occurs twice in the sampled text: never kept
    values = hashes[::GRAM][order]
    _, low, high = _among(hashes, values)
    unique = high - low == 1
    del hashes
    hashes = gram_hashes(code_points(other))
    by_hash, low, high = _among(hashes, values)
    del hashes
    if once[0] and once[1]:
        kept = np.flatnonzero(unique & (high - low == 1))
        first = by_hash[low[kept]]
    else:  # the first place among equal hashes: the least of their places (the sort kept no order)
        kept = np.flatnonzero(unique & (high > low))
        bounds = np.stack([low[kept], high[kept]], axis=1).ravel()
        first = np.minimum.reduceat(np.append(by_hash, len(by_hash)), bounds)[::2]
    del by_hash
    xs, ys = order[kept] * GRAM, first
    if not once[0]:
        xs, ys = ys, xs
    by_a = np.argsort(xs, kind="stable")
    xs, ys = xs[by_a], ys[by_a]
    # A hash collision is as good as impossible at 64 bits, and checking costs little: a
    # character of every gram at a time, over all of them.
    codes_a, codes_b = code_points(a), code_points(b)
    same = np.ones(len(xs), dtype=bool)
    for k in range(GRAM):
        same &= codes_a[xs + k] == codes_b[ys + k]
    return _Anchors((xs[same] + a0).tolist(), (ys[same] + b0).tolist(), [GRAM] * int(same.sum()))


def _among(hashes: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The places of the hashes that may equal one of the sorted values, ordered by hash, and where
    each value starts and ends among them.

    A hash equal to a value has its low bits too: the places whose low bits are none of the values'
    are passed over, and only the rest sorted (a tenth of a million characters' grams, the
    sampled values one in GRAM; the whole sort took ~20 ms more at a million characters)."""
    import numpy as np

    # The bits taken from each hash's first half, seen in place (4 bytes a gram for the masked copy, not 8).
    mask = np.uint32((1 << (_FILTER * len(values)).bit_length()) - 1)
    held = np.zeros(int(mask) + 1, dtype=bool)
    held[values.view(np.uint32)[::2] & mask] = True
    places = np.flatnonzero(held[hashes.view(np.uint32)[::2] & mask])
    places = places[np.argsort(hashes[places])]
    ordered = hashes[places]
    return places, np.searchsorted(ordered, values, "left"), np.searchsorted(ordered, values, "right")


def _longest_chain(values: list[int]) -> list[int]:
    """Indices of a longest strictly increasing subsequence of values (patience sorting).

    Each run of values that rises past every pile is appended whole: anchors come nearly all in
    order, so a million characters' 58,000 take ~500 searches instead of one each (16 → 8 ms)."""
    tails: list[int] = []
    tail_index: list[int] = []
    previous = [-1] * len(values)
    rises = [0, *compress(range(1, len(values)), map(le, values[1:], values)), len(values)]
    for start, end in pairwise(rises):
        i = start
        while i < end and tails and values[i] <= tails[-1]:
            j = bisect_left(tails, values[i])
            tails[j] = values[i]
            tail_index[j] = i
            previous[i] = tail_index[j - 1] if j else -1
            i += 1
        if i < end:  # the rest of the run rises past every pile
            previous[i] = tail_index[-1] if tail_index else -1
            previous[i + 1 : end] = range(i, end - 1)
            tails.extend(values[i:end])
            tail_index.extend(range(i, end))
    chain: list[int] = []
    i = tail_index[-1] if tail_index else -1
    while i >= 0:
        chain.append(i)
        i = previous[i]
    return chain[::-1]


def _diff_gap(
    a: str, b: str, at_a: int, at_b: int, reprint: TextMap, edges: tuple[bool, bool] = (False, False)
) -> list[Edit]:
    """Character edits between two unmatched stretches starting at at_a and at_b; edges: whether
    they start both texts, and whether they end them."""
    if not a and not b:
        return []
    if not a or not b:
        steps = [("+", len(b))] if b else [("-", len(a))]
    else:
        steps = _without_chaff(
            dmp.diff(a, b, timelimit=GAP_SECONDS, cleanup="Semantic", counts_only=True), at_b, reprint, edges
        )
    edits: list[Edit] = []
    for sign, size in steps:
        size_a = 0 if sign == "+" else size
        size_b = 0 if sign == "-" else size
        edits.append(Edit(_OPS[sign], Span(at_a, at_a + size_a), Span(at_b, at_b + size_b)))
        at_a, at_b = at_a + size_a, at_b + size_b
    return edits


def _without_chaff(
    steps: list[tuple[str, int]], at_b: int, reprint: TextMap, edges: tuple[bool, bool] = (False, False)
) -> list[tuple[str, int]]:
    """Steps with chance matches inside a replaced passage turned into changes.

    diff-match-patch keeps a character or two that a deleted title and an inserted header happen
    to share (政 of 政府工作报告 and 政治学习资料); a proof-reader sees one replaced passage. A
    match stays when it is a whole paragraph of the reprint (a kept heading 四), when the text
    around it is only cut or only added (a kept paragraph's first word), or when the changes
    around it are word-sized (加强 → 强化, which the diff stage joins).

    A match at a gap's edge continues the matched block beside it, except at the texts' own start
    or end, where no block is: there the final 。 an excerpt ends with, or the name its first
    sentence opens with (习近平, as the source's title does), is chance too, when the text beside it
    was cut from one and pasted in the other."""
    cleaned: list[tuple[str, int]] = []
    position = at_b
    first, last = (0 if edges[0] else 1), (len(steps) - 1 if edges[1] else len(steps) - 2)
    for i, (sign, size) in enumerate(steps):
        if sign == "=" and first <= i <= last and size <= _JOIN_WORD and not _whole_paragraph(reprint, position, size):
            deleted, inserted = _changed_around(steps, i)
            at_an_edge = (i == 0 and edges[0]) or (i == len(steps) - 1 and edges[1])
            # At the texts' edge, a name's length is chance too beside passages (not words) changed.
            name_sized = at_an_edge and size > _CHAFF and min(deleted, inserted) > _FRAGMENT
            if (size <= _CHAFF or name_sized) and min(deleted, inserted) > _JOIN_WORD:
                cleaned.extend([("-", size), ("+", size)])
                position += size
                continue
        cleaned.append((sign, size))
        position += 0 if sign == "-" else size
    return cleaned


def _changed_around(steps: list[tuple[str, int]], i: int) -> tuple[int, int]:
    """How much is deleted and inserted in the changes right before and after step i."""
    deleted = inserted = 0
    for side in (steps[:i][::-1], steps[i + 1 :]):
        for sign, size in side:
            if sign == "=":
                break
            deleted += size if sign == "-" else 0
            inserted += size if sign == "+" else 0
    return deleted, inserted


def _whole_paragraph(text: TextMap, start: int, size: int) -> bool:
    return is_boundary(text, start) and is_boundary(text, start + size)


def _merge(edits: list[Edit]) -> list[Edit]:
    """Join neighbouring edits of the same op."""
    merged: list[Edit] = []
    for edit in edits:
        if merged and merged[-1].op == edit.op:
            last = merged[-1]
            merged[-1] = Edit(
                edit.op, Span(last.source.start, edit.source.end), Span(last.reprint.start, edit.reprint.end)
            )
        else:
            merged.append(edit)
    return merged
