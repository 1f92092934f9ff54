"""Differences → Differences: a passage cut in one place and put back, unchanged or nearly, in another is one move.

The alignment keeps the order the two texts share, so a passage the reprint moved shows as a cut
where the source has it and an addition where the reprint put it. Word's compare marks such a pair
as one move, and so does this stage:
1. Candidates: the cuts and additions of a clause or more (_MOVE_CHARS).
2. Match: an addition found nearly whole in a cut, or a cut in an addition (an excerpt that pastes a
   paragraph out of a long cut; a paragraph moved next to words of the reprint's own).
3. Split: the pair becomes one move, with its two other places; what is left of the cut or the
   addition around the passage stays a cut or an addition, and may hold another move.
4. Inside: a passage changed on its way is diffed against itself; its changes are findings of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from yuanwen.align import align
from yuanwen.chars import is_mark
from yuanwen.diff import differences
from yuanwen.model import Alignment, Difference, Move, Span, TextMap
from yuanwen.normalize import paragraph_edge
from yuanwen.words import Segmenter

# A passage moved is a clause at least: shorter reorders (保持定力，坚定信心) are rewordings, and
# short cuts and additions match elsewhere by chance. 10 wording characters is the shortest clause
# of the example's speech (要坚定信心，保持定力 has two of 5 each, which stay substitutions).
_MOVE_CHARS = 10
# A passage is moved when this share of it is found in the other place, in one stretch at most
# 1/_SHARE its length: one changed word in a 10-character clause still leaves it 80% the same.
_SHARE = 0.8
# A whole paragraph this short moves too, when it is the same in both places: a heading or an address.
_HEADING_CHARS = 4
# Before aligning a pair, a few pieces of the shorter side are looked for in the longer: most must be there.
_PROBE_CHARS = 8
_PROBES = 16
# Wording is looked for in this many times as many characters as it needs: a stretch of marks alone is short.
_SCAN = 8
# Pairs tried at most, so a reprint with hundreds of cuts and additions (a different text) stays linear.
_MAX_TRIES = 2000


def moves(
    diffs: Sequence[Difference], alignment: Alignment, segmenter: Segmenter, marks: frozenset[str] = frozenset()
) -> list[Difference]:
    """The differences with each passage cut in one place and added in another made one move, in source order."""
    source, reprint = alignment.source, alignment.reprint
    halves = {id(d): _halves(d) for d in diffs if _rewritten(d, source, reprint)}
    cuts = [d for d in diffs if d.kind == "omission" and _movable(source, d.source)]
    adds = [d for d in diffs if d.kind == "insertion" and _movable(reprint, d.reprint)]
    cuts += [cut for cut, _ in halves.values()]
    adds += [add for _, add in halves.values()]
    candidates = {id(d) for d in [*cuts, *adds]} | set(halves)
    kept = [d for d in diffs if id(d) not in candidates]
    found: list[Difference] = []
    tried: set[tuple[Span, Span]] = set()
    while pair := _first_pair(cuts, adds, source, reprint, tried):
        cut, add, (passage_a, passage_b) = pair
        cuts.remove(cut)
        adds.remove(add)
        for rest in [*_rest(cut, passage_a, passage_b), *_rest(add, passage_a, passage_b)]:
            if not _long_of(rest, source, reprint):
                kept.append(rest)
            else:
                (cuts if rest.kind == "omission" else adds).append(rest)
        cut_around = len(passage_a) < len(cut.source)
        move = Move(home=cut.reprint, landing=add.source, cut_around=cut_around)
        found += [Difference("move", passage_a, passage_b, move=move)]
        found += _inside(passage_a, passage_b, source, reprint, segmenter, marks)
    # A passage rewritten in place whose two sides both stayed is the substitution it was.
    left = {id(d) for d in [*cuts, *adds]}
    for d in diffs:
        if id(d) in halves and all(id(half) in left for half in halves[id(d)]):
            kept.append(d)
            cuts.remove(halves[id(d)][0])
            adds.remove(halves[id(d)][1])
    return sorted([*kept, *cuts, *adds, *found], key=lambda d: (d.source.start, d.reprint.start, d.kind != "move"))


def _rewritten(diff: Difference, source: TextMap, reprint: TextMap) -> bool:
    """A clause or more replaced by a clause or more: perhaps a cut beside a passage moved there."""
    return (
        diff.kind == "substitution"
        and not diff.parts
        and _long(source.content, diff.source)
        and _long(reprint.content, diff.reprint)
    )


def _halves(diff: Difference) -> tuple[Difference, Difference]:
    """A substitution as the cut and the addition it would be were its reprint side moved there."""
    return (
        Difference("omission", diff.source, Span(diff.reprint.start, diff.reprint.start)),
        Difference("insertion", Span(diff.source.end, diff.source.end), diff.reprint),
    )


def _first_pair(
    cuts: list[Difference], adds: list[Difference], source: TextMap, reprint: TextMap, tried: set[tuple[Span, Span]]
) -> tuple[Difference, Difference, tuple[Span, Span]] | None:
    """The first cut and addition, not tried before, that share a passage; every pair tried is remembered."""
    for add in adds:
        for cut in cuts:
            if len(tried) >= _MAX_TRIES:
                return None
            key = (cut.source, add.reprint)
            # A cut and an addition at one place are a passage rewritten, not moved.
            if key in tried or cut.reprint.start == add.reprint.start:
                continue
            tried.add(key)
            spans = _matched(cut, add, source, reprint)
            if spans is not None:
                return cut, add, spans
    return None


def _long(text: str, span: Span) -> bool:
    """A stretch of a clause or more of wording."""
    return _wording_of(text, span, _MOVE_CHARS)


def _wording_of(text: str, span: Span, least: int) -> bool:
    """Whether a stretch holds at least this many characters of wording (counted in C, marks taken away)."""
    window = text[span.start : min(span.end, span.start + _SCAN * least)]
    return len(window) - sum(map(is_mark, window)) >= least


def _movable(text: TextMap, span: Span) -> bool:
    """A clause or more, or a whole paragraph of a heading's length (各位代表：, （二）关于经济体制改革)."""
    return _long(text.content, span) or (_wording_of(text.content, span, _HEADING_CHARS) and _paragraph(text, span))


def _paragraph(text: TextMap, span: Span) -> bool:
    """Whether a span is whole paragraphs of the text."""
    return paragraph_edge(text, span.start) and paragraph_edge(text, span.end)


def _long_of(diff: Difference, source: TextMap, reprint: TextMap) -> bool:
    return _long(source.content, diff.source) if diff.kind == "omission" else _long(reprint.content, diff.reprint)


def _matched(cut: Difference, add: Difference, source: TextMap, reprint: TextMap) -> tuple[Span, Span] | None:
    """The passage a cut and an addition share, nearly whole on the shorter side: its spans in both texts."""
    a, b = source.content[cut.source.start : cut.source.end], reprint.content[add.reprint.start : add.reprint.end]
    cut_shorter = len(a) <= len(b)
    shorter, longer = (a, b) if cut_shorter else (b, a)
    if not _long(shorter, Span(0, len(shorter))):
        # A heading moves whole and unchanged: a few characters elsewhere match by chance.
        return (cut.source, add.reprint) if a == b else None
    step = max(1, (len(shorter) - _PROBE_CHARS) // _PROBES)
    probes = [shorter[i : i + _PROBE_CHARS] for i in range(0, len(shorter) - _PROBE_CHARS + 1, step)]
    if 2 * sum(probe in longer for probe in probes) < len(probes):
        return None
    at = longer.find(shorter)
    if at >= 0:
        found = Span(at, at + len(shorter))
        extent_a, extent_b = (Span(0, len(a)), found) if cut_shorter else (found, Span(0, len(b)))
    else:
        inner = align(source.within(cut.source), reprint.within(add.reprint))
        if inner.matched_chars < _SHARE * len(shorter):
            return None
        kept = [e for e in inner.edits if e.op == "equal"]
        # The shorter side moved whole: its unmatched ends are changes made to it on the way.
        if cut_shorter:
            extent_a, extent_b = Span(0, len(a)), Span(kept[0].reprint.start, kept[-1].reprint.end)
        else:
            extent_a, extent_b = Span(kept[0].source.start, kept[-1].source.end), Span(0, len(b))
        if max(len(extent_a), len(extent_b)) * _SHARE > len(shorter):
            return None
    extent_a, extent_b = _absorbed(extent_a, len(a), a), _absorbed(extent_b, len(b), b)
    return _shift(extent_a, cut.source.start), _shift(extent_b, add.reprint.start)


def _absorbed(extent: Span, size: int, text: str) -> Span:
    """The extent grown over what is left of its side too short to be a cut or an addition of its own."""
    start = 0 if not _long(text, Span(0, extent.start)) else extent.start
    end = size if not _long(text, Span(extent.end, size)) else extent.end
    return Span(start, end)


def _rest(diff: Difference, passage_a: Span, passage_b: Span) -> list[Difference]:
    """What is left of a cut or an addition around the passage moved out of it."""
    if diff.kind == "omission":
        pieces = (Span(diff.source.start, passage_a.start), Span(passage_a.end, diff.source.end))
        return [Difference("omission", piece, diff.reprint) for piece in pieces if len(piece)]
    pieces = (Span(diff.reprint.start, passage_b.start), Span(passage_b.end, diff.reprint.end))
    return [Difference("insertion", diff.source, piece) for piece in pieces if len(piece)]


def _inside(
    passage_a: Span, passage_b: Span, source: TextMap, reprint: TextMap, segmenter: Segmenter, marks: frozenset[str]
) -> list[Difference]:
    """What the passage changed on its way, as differences in the whole texts' offsets."""
    if source.content[passage_a.start : passage_a.end] == reprint.content[passage_b.start : passage_b.end]:
        return []
    inner = align(source.within(passage_a), reprint.within(passage_b))
    return [_shifted(d, passage_a.start, passage_b.start) for d in differences(inner, segmenter, marks)]


def _shifted(diff: Difference, by_a: int, by_b: int) -> Difference:
    return replace(
        diff,
        source=_shift(diff.source, by_a),
        reprint=_shift(diff.reprint, by_b),
        parts=tuple(_shifted(part, by_a, by_b) for part in diff.parts),
    )


def _shift(span: Span, by: int) -> Span:
    return Span(span.start + by, span.end + by)
