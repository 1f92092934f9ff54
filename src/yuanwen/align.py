"""Two TextMaps → Alignment of their content, character by character; deterministic.

1. Anchors: K-character strings that occur exactly once in each text, taken every K characters
   of the source. An excerpt or an inserted header is one huge edit, which makes plain diffs
   quadratic; unique anchors find the shared body in linear time whatever was cut.
2. Chain: the longest run of anchors in the same order in both texts (longest increasing
   subsequence), so a stray repeat cannot pull the alignment across the document.
3. Blocks: chained anchors on one diagonal with equal text between them become one matched block.
4. Gaps: the text between blocks is diffed character by character by diff-match-patch (C++).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import TYPE_CHECKING

import fast_diff_match_patch as dmp

from yuanwen.model import Alignment, Edit, Op, Span, TextMap

if TYPE_CHECKING:
    import numpy as np

# 12 characters: long enough that a Chinese string of that length almost never recurs by chance
# in a document, short enough that several fit between the edits of a carelessly retyped text.
K = 12
# A gap that diff-match-patch cannot finish in this time is two unrelated passages; its coarse
# answer (all deleted, all inserted) is then the right one.
GAP_SECONDS = 2.0
# Below this many characters in all, dictionaries of K-grams find anchors sooner than importing
# NumPy takes (0.15 s); above it, NumPy's sorted hashes are several times faster.
_NUMPY_FROM = 60_000
_OPS: dict[str, Op] = {"=": "equal", "-": "delete", "+": "insert"}


@dataclass(frozen=True)
class _Block:
    """Equal text at source[a:a+size] and reprint[b:b+size]."""

    a: int
    b: int
    size: int


def align(source: TextMap, reprint: TextMap) -> Alignment:
    """Align the reprint's content to the source's."""
    a, b = source.content, reprint.content
    edits: list[Edit] = []
    pa = pb = 0
    for block in [*_blocks(a, b), _Block(len(a), len(b), 0)]:
        edits.extend(_diff_gap(a[pa : block.a], b[pb : block.b], pa, pb))
        if block.size:
            edits.append(Edit("equal", Span(block.a, block.a + block.size), Span(block.b, block.b + block.size)))
        pa, pb = block.a + block.size, block.b + block.size
    return Alignment(source=source, reprint=reprint, edits=tuple(_merge(edits)))


def _blocks(a: str, b: str) -> list[_Block]:
    """Matched blocks from the chain of unique anchors, in order in both texts."""
    pa, pb = _anchors(a, b)
    blocks: list[_Block] = []
    for i in _longest_chain(pb):
        x, y = pa[i], pb[i]
        if blocks:
            last = blocks[-1]
            end_a, end_b = last.a + last.size, last.b + last.size
            if x - y == last.a - last.b and a[end_a:x] == b[end_b:y]:
                blocks[-1] = _Block(last.a, last.b, x + K - last.a)
                continue
            if y < end_b:
                continue
        blocks.append(_Block(x, y, K))
    return blocks


def _anchors(a: str, b: str) -> tuple[list[int], list[int]]:
    """Positions (in a, in b) of K-grams unique in both texts, a's every K characters, by a."""
    pairs = _anchors_small(a, b) if len(a) + len(b) < _NUMPY_FROM else _anchors_large(a, b)
    return [x for x, _ in pairs], [y for _, y in pairs]


def _anchors_small(a: str, b: str) -> list[tuple[int, int]]:
    """The anchors of short texts, from dictionaries of their K-grams."""
    unique_b = _unique_kgrams(b)
    return [(x, unique_b[gram]) for gram, x in _unique_kgrams(a).items() if x % K == 0 and gram in unique_b]


def _unique_kgrams(text: str) -> dict[str, int]:
    """Each K-gram that occurs once in the text, with its position, in text order."""
    first: dict[str, int] = {}
    repeated: set[str] = set()
    for i in range(len(text) - K + 1):
        gram = text[i : i + K]
        if gram in first:
            repeated.add(gram)
        else:
            first[gram] = i
    return {gram: i for gram, i in first.items() if gram not in repeated}


def _anchors_large(a: str, b: str) -> list[tuple[int, int]]:
    """The anchors of long texts, from sorted 64-bit hashes of their K-grams (same result)."""
    import numpy as np

    values_a, pos_a = _unique(_kgram_hashes(a))
    values_b, pos_b = _unique(_kgram_hashes(b))
    _, ia, ib = np.intersect1d(values_a, values_b, assume_unique=True, return_indices=True)
    xs, ys = pos_a[ia], pos_b[ib]
    sampled = xs % K == 0
    xs, ys = xs[sampled], ys[sampled]
    order = np.argsort(xs, kind="stable")
    pairs = zip(xs[order].tolist(), ys[order].tolist(), strict=True)
    # A hash collision is as good as impossible at 64 bits, and checking costs little.
    return [(x, y) for x, y in pairs if a[x : x + K] == b[y : y + K]]


def _kgram_hashes(text: str) -> np.ndarray:
    """A 64-bit polynomial hash of every K-gram of the text (wrapping arithmetic)."""
    import numpy as np

    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    count = len(codes) - K + 1
    hashes = np.zeros(max(count, 0), dtype=np.uint64)
    if count <= 0:
        return hashes
    prime = np.uint64(1_000_003)
    for j in range(K):
        hashes = hashes * prime + codes[j : j + count]
    return hashes


def _unique(hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The hashes that occur once, and where."""
    import numpy as np

    values, first, counts = np.unique(hashes, return_index=True, return_counts=True)
    once = counts == 1
    return values[once], first[once].astype(np.int64)


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


def _diff_gap(a: str, b: str, at_a: int, at_b: int) -> list[Edit]:
    """Character edits between two unmatched stretches starting at at_a and at_b."""
    if not a and not b:
        return []
    if not a or not b:
        steps = [("+", len(b))] if b else [("-", len(a))]
    else:
        steps = dmp.diff(a, b, timelimit=GAP_SECONDS, cleanup="Semantic", counts_only=True)
    edits: list[Edit] = []
    for sign, size in steps:
        size_a = 0 if sign == "+" else size
        size_b = 0 if sign == "-" else size
        edits.append(Edit(_OPS[sign], Span(at_a, at_a + size_a), Span(at_b, at_b + size_b)))
        at_a, at_b = at_a + size_a, at_b + size_b
    return edits


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
