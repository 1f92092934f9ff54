"""Claims: which stored texts a reprint's key characters match, as runs a proof-reader would call one passage.

1. Candidates: the stored texts sharing the reprint's fingerprints (yuanwen.library).
2. Cover: a candidate's exact 12-gram matches mark the reprint's key characters it covers; runs a
   word edit apart (JOIN) form one cluster.
3. Claims: greedily, the cluster covering most characters not yet claimed becomes a claim, until
   none covers MIN_PART; then a new round looks at the candidates of what is left. Neighbouring
   claims of one source join when little lies between them (BRIDGE) or when they continue each
   other in the source (text inserted into the running source text stays an insertion).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from yuanwen.chars import FRAMES, SENTENCE_ENDS
from yuanwen.fingerprint import GRAM, content_of, gram_hashes, key_of
from yuanwen.library import MIN_SCORE, Candidate, Library

if TYPE_CHECKING:
    import numpy as np

# A claim must cover this many key characters: two short sentences. The longest set phrases that
# unrelated official texts repeat verbatim (以习近平新时代中国特色社会主义思想为指导, 20) stay below it.
MIN_PART = 40
# Runs of one candidate this close, in the reprint and in the candidate, form one cluster: between
# two word edits a dozen characters apart no 12-gram matches, leaving a gap of up to 2 x GRAM +
# the edits. Below MIN_PART, so a quotation from another source between two runs is never swallowed.
JOIN = 32
# Claims of one source this close join into one part: an inserted sentence or two is an insertion
# into the text reprinted, a longer stretch the reprint's own text...
BRIDGE = 100
# ...unless the source text continues across it (what the source lost there is at most this many
# key characters: the words the insertion replaced).
SOURCE_SLACK = 24
# The last round reads each fingerprint's first this many texts (a sentence recurring in up to
# ~1,000 texts) and looks at the texts holding any of the fingerprints left: one gram in 16 is a
# fingerprint, so a 120-character excerpt may have just one. Measured at 10,000 texts
# (benchmarks/bench_library.py): whole texts, excerpts and booklets still 100% found, two-sentence
# quotations 32% → 33%, the median search ~3 ms slower; each candidate must still claim MIN_PART.
DEEP_CAP = 1024
DEEP_HITS = 1
# In the last round, pieces of the reprint of this many key characters (with the marks between
# them, cut at quotation marks), taken around the fingerprints found and at most PROBES of them, are
# looked for in the candidates' texts (line breaks dropped), and the candidates holding most are
# looked at first: a short quotation whose sentences recur in hundreds of texts is told apart from
# them by a piece across the end of one sentence and the start of the next, which only its source
# holds. Measured on 20,000 texts (benchmarks/bench_library.py): 60-character quotations in foreign
# text found 72% -> 85% with pieces inside a clause; 16 probes found no more, nor did reading 2,048
# candidates instead of 512. Pieces across sentences first, with yuanwen.fingerprint's windows
# (200 quotations): 84.5% -> 98.5% at 20,000 texts, 84% -> 97.5% at 100,000.
PROBE = 8
PROBES = 12
# Probes are taken this far either side of a fingerprint: a quotation's length, so that its other
# sentences, which the fingerprints did not sample, are probed too.
REACH = 60
# The deep candidates whose texts are read for the probes, best scored first.
PROBED = 512
# Candidates looked at per round, and rounds: a booklet of a dozen releases needs two.
PER_ROUND = 8
ROUNDS = 4
_WHOLE_SOURCE = (0, sys.maxsize)
_FRAME = re.compile(f"[{re.escape(''.join(sorted(FRAMES)))}]")


@dataclass(frozen=True)
class Claim:
    """Key characters [start, end) of the reprint claimed for a stored text (`size` of them matched),
    and the content of that text they match, [source_start, source_end)."""

    source: str
    start: int
    end: int
    size: int
    source_start: int
    source_end: int


@dataclass(frozen=True)
class _Cover:
    """Where one candidate matches the reprint's key exactly, and where in its content each matched gram lies."""

    source: str
    mask: np.ndarray
    source_at: np.ndarray
    source_key_at: np.ndarray


def claims(codes: np.ndarray, library: Library, content: str = "", at: np.ndarray | None = None) -> list[Claim]:
    """Claims of the reprint's key for stored texts, in reprint order, neighbours of one source joined.

    content and at (the reprint's content, and where each key character stands in it) let the last
    round read the candidates' texts for pieces of the reprint."""
    claimer = _Claimer(codes, library)
    candidates = library.candidates(claimer.hashes)
    for _ in range(ROUNDS):
        if not claimer.round([c for c in candidates if _open_score(c, claimer.taken) >= MIN_SCORE]):
            break
    if claimer.open_stretch():
        # A passage made only of sentences that recur in many texts has no rare fingerprint: its
        # fingerprints are read deeper, and the texts holding most of them are looked at.
        deeper = library.candidates(claimer.hashes, within=~claimer.taken, cap=DEEP_CAP, min_score=0.0)
        deeper = [c for c in deeper if len(c.hits) >= DEEP_HITS]
        probes = _probes(deeper, claimer.taken, content, at) if at is not None else []
        if probes:
            held = library.holding([c.id for c in deeper[:PROBED]], probes)
            deeper = sorted(deeper, key=lambda c: -held.get(c.id, 0))  # stable: by score among equals
        claimer.round(deeper)
    return _joined(_kept_with_neighbours(sorted(claimer.claims, key=lambda c: c.start), claimer.covers))


class _Claimer:
    """The claims made so far on a reprint's key, and the covers of the candidates looked at."""

    def __init__(self, codes: np.ndarray, library: Library) -> None:
        import numpy as np

        self.hashes = gram_hashes(codes)
        self.taken = np.zeros(len(codes), dtype=bool)
        self.covers: list[_Cover] = []
        self.claims: list[Claim] = []
        self._library = library

    def round(self, candidates: list[Candidate]) -> bool:
        """Look at the best PER_ROUND candidates not looked at yet and claim greedily; False when there were none."""
        looked = {cover.source for cover in self.covers}
        fresh = [c.id for c in candidates if c.id not in looked][:PER_ROUND]
        self.covers.extend(_cover(text_id, self.hashes, len(self.taken), self._library) for text_id in fresh)
        while (best := _best_claim(self.covers, self.taken)) is not None:
            self.claims.append(best)
            self.taken[best.start : best.end] = True
        return bool(fresh) and not self.taken.all()

    def open_stretch(self) -> bool:
        """Whether MIN_PART key characters in a row are still unclaimed."""
        return any(end - start >= MIN_PART for start, end in _runs(~self.taken))


def _probes(candidates: list[Candidate], taken: np.ndarray, content: str, at: np.ndarray) -> list[str]:
    """Pieces of the reprint's content, PROBE key characters and the marks between them, around the
    unclaimed places where the candidates' fingerprints were found, cut at quotation marks; at most
    PROBES: first those across a sentence's end, then the rest spread evenly."""
    places = sorted({place for c in candidates for place, _ in c.hits if not taken[place]})
    starts: set[int] = set()
    for place in places:
        first = max(0, place - REACH) // PROBE * PROBE  # one grid for every place: no piece twice
        for start in range(first, min(len(taken), place + GRAM + REACH) - PROBE + 1, PROBE):
            if not taken[start : start + PROBE].any():
                starts.add(start)
    pieces = [part for i in sorted(starts) for part in _FRAME.split(content[int(at[i]) : int(at[i + PROBE - 1]) + 1])]
    across = [piece for piece in pieces if _across(piece)]
    rest = [piece for piece in pieces if len(piece) >= PROBE and not _across(piece)]
    step = max(1, len(rest) // PROBES)
    return [*across, *rest[::step]][:PROBES]


def _across(piece: str) -> bool:
    """Whether a piece runs across a sentence's end: the two sentences side by side tell the text
    a passage comes from among the many that hold either sentence."""
    return any(0 < piece.find(mark) < len(piece) - 1 for mark in SENTENCE_ENDS)


def _open_score(candidate: Candidate, taken: np.ndarray) -> float:
    """The weight of the candidate's fingerprints in the part of the reprint's key not claimed yet."""
    return sum(weight for place, weight in candidate.hits if not taken[place])


def _cover(text_id: str, hashes: np.ndarray, size: int, library: Library) -> _Cover:
    """Which reprint key characters lie in a 12-gram of the stored text, and where each gram is there."""
    import numpy as np

    key = key_of(content_of(library.text(text_id)))
    theirs = gram_hashes(key.codes)
    order = np.argsort(theirs, kind="stable")
    ordered = theirs[order]
    if not len(ordered) or not len(hashes):
        return _Cover(text_id, np.zeros(size, dtype=bool), np.full(len(hashes), -1), key.at)
    low = np.searchsorted(ordered, hashes, "left")
    found = ordered[np.minimum(low, len(ordered) - 1)] == hashes
    # Where each gram's run of equals ends, from the runs of the sorted grams (a second binary search cost ~0.2 ms).
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    run = np.zeros(len(ordered), dtype=np.int64)
    run[starts] = np.diff(np.append(starts, len(ordered)))
    high = low + np.where(found, run[np.minimum(low, len(ordered) - 1)], 0)
    mask = np.convolve(found.astype(np.int32), np.ones(GRAM, dtype=np.int32))[:size] > 0
    places = np.where(found, order[np.minimum(low, len(order) - 1)], -1)
    return _Cover(text_id, mask, _resolved_places(places, low, high, order), key.at)


def _resolved_places(places: np.ndarray, low: np.ndarray, high: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Each matched gram's place in the stored text: a gram the text holds more than once is put at
    the occurrence on the diagonal of the last gram it holds once, when one is that close."""
    import numpy as np

    repeated = np.flatnonzero(high - low > 1)
    single = np.flatnonzero(high - low == 1)
    if not len(repeated) or not len(single):
        return places
    resolved = places.copy()
    before = np.searchsorted(single, repeated) - 1
    for gram, k in zip(repeated.tolist(), before.tolist(), strict=True):
        if k < 0:
            continue
        target = gram + int(places[single[k]]) - int(single[k])
        occurrences = np.sort(order[low[gram] : high[gram]])
        nearest = occurrences[np.argmin(np.abs(occurrences - target))]
        if abs(int(nearest) - target) <= SOURCE_SLACK:
            resolved[gram] = nearest
    return resolved


def _best_claim(covers: list[_Cover], taken: np.ndarray) -> Claim | None:
    """The cluster covering most unclaimed characters, at least MIN_PART; the better-ranked candidate on a tie."""
    best: Claim | None = None
    for cover in covers:
        for claim in _clusters(cover, taken):
            if claim.size >= MIN_PART and (best is None or claim.size > best.size):
                best = claim
    return best


def _clusters(cover: _Cover, taken: np.ndarray) -> list[Claim]:
    """The candidate's runs over unclaimed characters, those at most JOIN apart joined."""
    clusters: list[Claim] = []
    pieces = [piece for start, end in _runs(cover.mask & ~taken) for piece in _pieces(cover, start, end)]
    for start, end in pieces:
        run = Claim(cover.source, start, end, end - start, *_source_span(cover, start, end))
        last = clusters[-1] if clusters else None
        if last and start - last.end <= JOIN and not taken[last.end : start].any() and _continues(last, run, JOIN):
            clusters[-1] = _merged(last, run)
        else:
            clusters.append(run)
    return clusters


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """The [start, end) of each run of True."""
    import numpy as np

    edges = np.flatnonzero(np.diff(np.concatenate(([0], mask.astype(np.int8), [0]))))
    return list(zip(edges[0::2].tolist(), edges[1::2].tolist(), strict=True))


def _pieces(cover: _Cover, start: int, end: int) -> list[tuple[int, int]]:
    """A run cut where its grams jump to another place in the stored text: adjacent in the reprint,
    two set phrases the text has pages apart are two matches, not one passage."""
    import numpy as np

    grams = np.arange(start, max(start + 1, end - GRAM + 1))
    known = grams[cover.source_at[grams] >= 0]
    if len(known) < 2:
        return [(start, end)]
    diagonals = cover.source_at[known] - known
    jumps = known[1:][np.abs(np.diff(diagonals)) > SOURCE_SLACK].tolist()
    return list(pairwise([start, *jumps, end]))


def _source_span(cover: _Cover, start: int, end: int) -> tuple[int, int]:
    """The stored text's content that the matched grams within a run of the reprint's key come from
    (all of it when none is known)."""
    import numpy as np

    grams = cover.source_at[start : max(start + 1, end - GRAM + 1)]
    places = grams[grams >= 0]
    if not len(places):
        return _WHOLE_SOURCE
    first, last = int(np.min(places)), int(np.max(places)) + GRAM - 1
    return int(cover.source_key_at[first]), int(cover.source_key_at[last]) + 1


def _kept_with_neighbours(found: list[Claim], covers: list[_Cover]) -> list[Claim]:
    """A claim between two claims of one other text, that text holding the claim's stretch as fully and
    just there, is that text's: sentences many texts share, inside one excerpt, belong to the excerpt.

    The claims are greedy, so such a stretch, cut off from its excerpt by an edit, went to whichever
    of the texts sharing it covered it first (bench_library.py at 10⁶ texts: one booklet of 75 had two
    sentences of its first excerpt claimed by another of the ~4,000 texts holding them)."""
    by_text = {cover.source: cover for cover in covers}
    kept = list(found)
    for i in range(1, len(kept) - 1):
        before, claim, after = kept[i - 1], kept[i], kept[i + 1]
        if before.source != after.source or claim.source == before.source:
            continue
        theirs, ours = by_text[before.source], by_text[claim.source]
        if theirs.mask[claim.start : claim.end].sum() < ours.mask[claim.start : claim.end].sum():
            continue
        source_start, source_end = _source_span(theirs, claim.start, claim.end)
        if before.source_end - GRAM <= source_start and source_end <= after.source_start + GRAM:
            kept[i] = Claim(before.source, claim.start, claim.end, claim.size, source_start, source_end)
    return kept


def _joined(found: list[Claim]) -> list[Claim]:
    """Neighbouring claims of one source as one: close together, or continuing each other in the source."""
    joined: list[Claim] = []
    for claim in found:
        last = joined[-1] if joined else None
        if last and last.source == claim.source and _belong_together(last, claim):
            joined[-1] = _merged(last, claim)
        else:
            joined.append(claim)
    return joined


def _merged(first: Claim, second: Claim) -> Claim:
    """Two claims for one stored text as one, from the first's start to the second's end."""
    return Claim(
        first.source,
        first.start,
        second.end,
        first.size + second.size,
        min(first.source_start, second.source_start),
        max(first.source_end, second.source_end),
    )


def _belong_together(first: Claim, second: Claim) -> bool:
    return second.start - first.end <= BRIDGE or _continues(first, second, 0)


def _continues(first: Claim, second: Claim, gap: int) -> bool:
    """Whether the second claim's source text follows the first's, at most gap + SOURCE_SLACK later:
    set phrases a text repeats in many places do not make one passage of them."""
    return -GRAM <= second.source_start - first.source_end <= gap + SOURCE_SLACK
