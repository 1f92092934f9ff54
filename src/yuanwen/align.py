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

import sys
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING, NamedTuple

import fast_diff_match_patch as dmp

from yuanwen.fingerprint import GRAM, gram_hashes, text_codes
from yuanwen.model import Alignment, Edit, Op, Span, TextMap
from yuanwen.normalize import is_boundary

if TYPE_CHECKING:
    import numpy as np

# A gap that diff-match-patch cannot finish in this time is two unrelated passages; its coarse
# answer (all deleted, all inserted) is then the right one.
GAP_SECONDS = 2.0
# Below this many characters in all, dictionaries of GRAM-grams find anchors sooner than importing
# NumPy takes (0.15 s); above it, or once NumPy is loaded (a library was searched, a worker warmed
# up), NumPy's sorted hashes are faster: 1.8 times at 600 characters, 3.6 times at 20,000
# (benchmarks/bench_check.py's pairs; at 200 characters the dictionaries are faster).
_NUMPY_FROM = 60_000
_NUMPY_LOADED_FROM = 500
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
_OPS: dict[str, Op] = {"=": "equal", "-": "delete", "+": "insert"}


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
    try:
        blocks = _blocks(source, reprint, 0, len(a), 0, len(b))
    finally:
        _whole_hashes.cache_clear()  # 8 bytes a character: not kept past the alignment
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


def _anchors(source: TextMap, reprint: TextMap, a0: int, a1: int, b0: int, b1: int) -> list[_Block]:
    """Unique GRAM-grams and unique whole paragraphs of the two ranges, by position in the source."""
    grams = _gram_anchors(source, reprint, a0, a1, b0, b1, (True, True))
    in_reprint = _unique_paragraphs(reprint, b0, b1)
    paragraphs = [
        _Block(start, in_reprint[text], len(text))
        for text, start in _unique_paragraphs(source, a0, a1).items()
        if text in in_reprint
    ]
    return sorted([*grams, *paragraphs], key=lambda anchor: (anchor.a, -anchor.size))


def _gram_anchors(
    source: TextMap, reprint: TextMap, a0: int, a1: int, b0: int, b1: int, once: tuple[bool, bool]
) -> list[_Block]:
    """GRAM-grams of the two ranges found in both, each unique in its range (once) or at its first
    place there, taken every GRAM characters of a range where they are unique; by position in the source."""
    a, b = source.content[a0:a1], reprint.content[b0:b1]
    size = len(a) + len(b)
    if size < (_NUMPY_LOADED_FROM if "numpy" in sys.modules else _NUMPY_FROM):
        pairs = _anchors_small(a, b, once)
    else:  # each gram's hash is its own: a range's are a slice of the whole text's
        hashes_a = _whole_hashes(source.content)[a0 : max(a0, a1 - GRAM + 1)]
        hashes_b = _whole_hashes(reprint.content)[b0 : max(b0, b1 - GRAM + 1)]
        pairs = _anchors_large(a, b, once, (hashes_a, hashes_b))
    return [_Block(a0 + x, b0 + y, GRAM) for x, y in pairs]  # both give them in source order


def _chain(a: str, b: str, anchors: list[_Block]) -> list[_Block]:
    """The longest chain of anchors in order in both texts, those on one diagonal joined."""
    blocks: list[_Block] = []
    for i in _longest_chain([anchor.b for anchor in anchors]):
        anchor = anchors[i]
        if blocks:
            last = blocks[-1]
            end_a, end_b = last.a + last.size, last.b + last.size
            same_diagonal = anchor.a - anchor.b == last.a - last.b
            if same_diagonal and (anchor.a <= end_a or a[end_a : anchor.a] == b[end_b : anchor.b]):
                blocks[-1] = _Block(last.a, last.b, max(end_a, anchor.a + anchor.size) - last.a)
                continue
            if anchor.a < end_a or anchor.b < end_b:
                continue
        blocks.append(anchor)
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
        if (low != start or _paragraph_edge(text, low)) and (high != end or _paragraph_edge(text, high))
    )
    return _once(pieces)


def _paragraph_edge(text: TextMap, at: int) -> bool:
    """Whether a paragraph of the text starts or ends at a content offset."""
    starts = text.paragraph_starts
    i = bisect_left(starts, at)
    return at in (0, len(text.content)) or (i < len(starts) and starts[i] == at)


def _anchors_small(a: str, b: str, once: tuple[bool, bool]) -> list[tuple[int, int]]:
    """The anchors of short texts, from dictionaries of their GRAM-grams."""
    grams_a, grams_b = _kgrams(a, once[0]), _kgrams(b, once[1])
    return [
        (x, grams_b[gram])
        for gram, x in grams_a.items()
        if gram in grams_b and (x if once[0] else grams_b[gram]) % GRAM == 0
    ]


def _kgrams(text: str, once: bool) -> dict[str, int]:
    """Each GRAM-gram of the text with its position, in order: those occurring once, or each at its first place."""
    grams = [text[i : i + GRAM] for i in range(len(text) - GRAM + 1)]
    if once:
        counts = Counter(grams)  # counted in C: twice as fast as a loop that remembers repeats
        return {gram: i for i, gram in enumerate(grams) if counts[gram] == 1}
    first: dict[str, int] = {}
    for i, gram in enumerate(grams):
        first.setdefault(gram, i)
    return first


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


def _anchors_large(
    a: str, b: str, once: tuple[bool, bool], hashes: tuple[np.ndarray, np.ndarray] | None = None
) -> list[tuple[int, int]]:
    """The anchors of long texts, from sorted 64-bit hashes of their GRAM-grams (same result)."""
    import numpy as np

    hashes_a, hashes_b = hashes or (gram_hashes(text_codes(a)), gram_hashes(text_codes(b)))
    values_a, pos_a = _hash_places(hashes_a, once[0])
    values_b, pos_b = _hash_places(hashes_b, once[1])
    # Both sorted and unique: each of a's looked up in b's (cheaper than sorting them together).
    at = np.minimum(np.searchsorted(values_b, values_a), max(len(values_b) - 1, 0))
    shared = values_b[at] == values_a if len(values_b) else np.zeros(len(values_a), dtype=bool)
    xs, ys = pos_a[shared], pos_b[at[shared]]
    sampled = (xs if once[0] else ys) % GRAM == 0
    xs, ys = xs[sampled], ys[sampled]
    order = np.argsort(xs, kind="stable")
    pairs = zip(xs[order].tolist(), ys[order].tolist(), strict=True)
    # A hash collision is as good as impossible at 64 bits, and checking costs little.
    return [(x, y) for x, y in pairs if a[x : x + GRAM] == b[y : y + GRAM]]


def _hash_places(hashes: np.ndarray, once: bool) -> tuple[np.ndarray, np.ndarray]:
    """The hashes that occur once and where, or every hash and its first place; sorted by hash."""
    import numpy as np

    # A hash that occurs once has one place, so any sort finds it (quicksort: twice as fast as the
    # stable sort np.unique uses); the first of several places needs the stable one.
    order = np.argsort(hashes, kind="quicksort" if once else "stable")
    ordered = hashes[order]
    # Masks, not arrays of places, until the end: a byte a gram, not eight.
    kept = np.ones(len(ordered), dtype=bool)
    kept[1:] = ordered[1:] != ordered[:-1]  # the first of its value
    if once:
        kept[:-1] &= ordered[:-1] != ordered[1:]  # and the last
    places = np.flatnonzero(kept)
    return ordered[places], order[places]


@lru_cache(maxsize=2)
def _whole_hashes(content: str) -> np.ndarray:
    """The gram hashes of a whole text (the source's and the reprint's, kept while they are aligned)."""
    return gram_hashes(text_codes(content))


def _longest_chain(values: list[int]) -> list[int]:
    """Indices of a longest strictly increasing subsequence of values (patience sorting)."""
    tails: list[int] = []
    tail_index: list[int] = []
    previous = [-1] * len(values)
    for i, value in enumerate(values):
        j = bisect_left(tails, value)
        if j == len(tails):
            tails.append(value)
            tail_index.append(i)
        else:
            tails[j] = value
            tail_index[j] = i
        previous[i] = tail_index[j - 1] if j else -1
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
