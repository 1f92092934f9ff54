"""A reprint checked against its sources in the library, however many it draws on.

1. Candidates: the stored texts sharing the reprint's fingerprints (yuanwen.library).
2. Cover: a candidate's exact 12-gram matches mark the reprint's key characters it covers; runs a
   word edit apart (JOIN) form one cluster.
3. Claims: greedily, the cluster covering most characters not yet claimed becomes a claim, until
   none covers MIN_PART; then a new round looks at the candidates of what is left. Neighbouring
   claims of one source join when little lies between them (BRIDGE) or when they continue each
   other in the source (text inserted into the running source text stays an insertion).
4. Parts: each claim, grown to the ends of its first and last sentence (an edit there stops the
   exact match), is a part, aligned to a window of its source around the text it claims. What
   lies between parts is a header or footer when short (EDGE): one insertion where its part's
   text starts or ends; a part with no source when long; nothing when only quotation marks.
   A reprint with one claim and nothing long around it is aligned whole, as `check --source` does.
5. Check: each part is graded as yuanwen.check grades a whole reprint, findings with its source's
   id; a part with no source is one info finding, not thousands of characters of insertions.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import TYPE_CHECKING

from yuanwen.align import align
from yuanwen.check import graded
from yuanwen.diff import is_punctuation
from yuanwen.fingerprint import GRAM, content_of, gram_hashes, key_of
from yuanwen.grade import Locator
from yuanwen.library import MIN_SCORE, Candidate, Entry, Library
from yuanwen.model import Alignment, CheckOptions, Document, Edit, Finding, Report, SourceInfo, Span, TextMap
from yuanwen.normalize import SENTENCE_ENDS, normalize
from yuanwen.rules import Rule, load_rules

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
# A stretch of the reprint outside every part this short (content characters) is a masthead, a
# section header or a footer of the part it precedes; the example's masthead has 38.
EDGE = 100
# How far a part grows beyond its claim to the ends of its sentences, and how much of the source
# around the claimed text its window adds: room for the words before an edit stopped the match.
WINDOW_PAD = 2 * GRAM
# A part keeps at least this much of the reprint, and at most this many paragraph starts around
# the boundary of two parts are tried as where the second one begins.
SOLID = 3 * GRAM
MAX_CUTS = 2
# Only parts with a change this close to their boundary are reparted (each candidate costs two
# part alignments, ~7 ms each); every wrong boundary hypothesis found left edits within 60 characters.
REACH = 2 * SOLID
# The last round reads each fingerprint's first this many texts (a sentence recurring in up to
# ~1,000 texts) and looks at texts holding this many of the fingerprints left: 40 characters.
DEEP_CAP = 1024
DEEP_HITS = 3
# Candidates looked at per round, and rounds: a booklet of a dozen releases needs two.
PER_ROUND = 8
ROUNDS = 4
_WHOLE_SOURCE = (0, sys.maxsize)
UNMATCHED_RULE = "unmatched.part"
# Quotation marks and brackets: a sentence of a part never runs across them, and alone between
# parts they are the reprint's framing of a quotation.
_FRAMES = frozenset("“”‘’「」『』（）()《》〈〉【】〔〕[]{}")


@dataclass(frozen=True)
class Source:
    """A library text a reprint draws on: its row, its entry and its text normalized."""

    num: int
    entry: Entry
    text: TextMap


@dataclass(frozen=True)
class Part:
    """A stretch of the reprint's content, aligned to its source; source and alignment None when none was found."""

    span: Span
    source: Source | None
    alignment: Alignment | None


@dataclass(frozen=True)
class _Cover:
    """Where one candidate matches the reprint's key exactly, and where in its content each matched gram lies."""

    num: int
    mask: np.ndarray
    source_at: np.ndarray
    source_key_at: np.ndarray


@dataclass(frozen=True)
class _Claim:
    """Key characters [start, end) of the reprint claimed for a stored text (`size` of them matched),
    and the content of that text they match, [source_start, source_end)."""

    num: int
    start: int
    end: int
    size: int
    source_start: int
    source_end: int


def check_library(reprint: Document, library: Library, options: CheckOptions | None = None) -> Report:
    """Find the reprint's sources in the library and check each part against its own; no source, no sources."""
    reprint_map = normalize(reprint.text)
    parts = find_parts(reprint_map, library)
    rules = load_rules((options or CheckOptions()).rule_files)
    locator = Locator(reprint)
    findings: list[Finding] = []
    for part in parts:
        if part.source is None or part.alignment is None:
            findings.append(_unmatched(part.span, reprint_map, locator, rules.rule(UNMATCHED_RULE)))
        else:
            found = graded(part.alignment, reprint, rules, part.source.entry.id)
            findings.extend(_placed(f, part.span, reprint_map, locator) for f in found)
    sources = _source_infos(parts, reprint_map)
    return Report(reprint=reprint, sources=sources, findings=tuple(findings), reprint_map=reprint_map)


def find_parts(reprint: TextMap, library: Library) -> tuple[Part, ...]:
    """The reprint cut into parts, in order, each aligned to its source in the library or to none."""
    key = key_of(reprint.content)
    claims = _claims(key.codes, library)
    sources = {claim.num: _source(claim.num, library) for claim in claims}
    cores = [Span(int(key.at[c.start]), int(key.at[c.end - 1]) + 1) for c in claims]
    spans = _with_kept_headings(_snapped(_extended(cores, reprint), reprint), cores, claims, sources, reprint)
    stretches = _stretches(spans, reprint.content)
    if len(claims) == 1 and all(owner is not None for _, owner in stretches):
        # The whole reprint from one source, with at most a header and a footer: exactly what
        # `yuanwen check --source` does.
        source = sources[claims[0].num]
        return (Part(Span(0, len(reprint.content)), source, align(source.text, reprint)),)
    bodies = [
        _body(span, sources[claim.num], claim, core, reprint)
        for span, core, claim in zip(spans, cores, claims, strict=True)
    ]
    bodies = _reparted(bodies, cores, claims, sources, reprint)
    edges = [_edge(stretch, bodies[owner] if owner is not None else None, reprint) for stretch, owner in stretches]
    return tuple(sorted([*bodies, *edges], key=lambda part: part.span.start))


def _claims(codes: np.ndarray, library: Library) -> list[_Claim]:
    """Claims of the reprint's key for stored texts, in reprint order, neighbours of one source joined."""
    claimer = _Claimer(codes, library)
    candidates = library.candidates(claimer.hashes)
    for _ in range(ROUNDS):
        if not claimer.round([c for c in candidates if _open_score(c, claimer.taken) >= MIN_SCORE]):
            break
    if claimer.open_stretch():
        # A passage made only of sentences that recur in many texts has no rare fingerprint: its
        # fingerprints are read deeper, and the texts holding most of them are looked at.
        deeper = library.candidates(claimer.hashes, within=~claimer.taken, cap=DEEP_CAP, min_score=0.0)
        claimer.round([c for c in deeper if len(c.hits) >= DEEP_HITS])
    return _joined(sorted(claimer.claims, key=lambda c: c.start))


class _Claimer:
    """The claims made so far on a reprint's key, and the covers of the candidates looked at."""

    def __init__(self, codes: np.ndarray, library: Library) -> None:
        import numpy as np

        self.hashes = gram_hashes(codes)
        self.taken = np.zeros(len(codes), dtype=bool)
        self.covers: list[_Cover] = []
        self.claims: list[_Claim] = []
        self._library = library

    def round(self, candidates: list[Candidate]) -> bool:
        """Look at the best PER_ROUND candidates not looked at yet and claim greedily; False when there were none."""
        looked = {cover.num for cover in self.covers}
        fresh = [c.num for c in candidates if c.num not in looked][:PER_ROUND]
        self.covers.extend(_cover(num, self.hashes, len(self.taken), self._library) for num in fresh)
        while (best := _best_claim(self.covers, self.taken)) is not None:
            self.claims.append(best)
            self.taken[best.start : best.end] = True
        return bool(fresh) and not self.taken.all()

    def open_stretch(self) -> bool:
        """Whether MIN_PART key characters in a row are still unclaimed."""
        return any(end - start >= MIN_PART for start, end in _runs(~self.taken))


def _open_score(candidate: Candidate, taken: np.ndarray) -> float:
    """The weight of the candidate's fingerprints in the part of the reprint's key not claimed yet."""
    return sum(weight for place, weight in candidate.hits if not taken[place])


def _cover(num: int, hashes: np.ndarray, size: int, library: Library) -> _Cover:
    """Which reprint key characters lie in a 12-gram of the stored text, and where each gram is there."""
    import numpy as np

    key = key_of(content_of(library.body(num)))
    theirs = gram_hashes(key.codes)
    order = np.argsort(theirs, kind="stable")
    ordered = theirs[order]
    if not len(ordered) or not len(hashes):
        return _Cover(num, np.zeros(size, dtype=bool), np.full(len(hashes), -1), key.at)
    low, high = np.searchsorted(ordered, hashes, "left"), np.searchsorted(ordered, hashes, "right")
    found = high > low
    mask = np.convolve(found.astype(np.int32), np.ones(GRAM, dtype=np.int32))[:size] > 0
    places = np.where(found, order[np.minimum(low, len(order) - 1)], -1)
    return _Cover(num, mask, _resolved_places(places, low, high, order), key.at)


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


def _best_claim(covers: list[_Cover], taken: np.ndarray) -> _Claim | None:
    """The cluster covering most unclaimed characters, at least MIN_PART; the better-ranked candidate on a tie."""
    best: _Claim | None = None
    for cover in covers:
        for claim in _clusters(cover, taken):
            if claim.size >= MIN_PART and (best is None or claim.size > best.size):
                best = claim
    return best


def _clusters(cover: _Cover, taken: np.ndarray) -> list[_Claim]:
    """The candidate's runs over unclaimed characters, those at most JOIN apart joined."""
    clusters: list[_Claim] = []
    pieces = [piece for start, end in _runs(cover.mask & ~taken) for piece in _pieces(cover, start, end)]
    for start, end in pieces:
        run = _Claim(cover.num, start, end, end - start, *_source_span(cover, start, end))
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


def _joined(claims: list[_Claim]) -> list[_Claim]:
    """Neighbouring claims of one source as one: close together, or continuing each other in the source."""
    joined: list[_Claim] = []
    for claim in claims:
        last = joined[-1] if joined else None
        if last and last.num == claim.num and _belong_together(last, claim):
            joined[-1] = _merged(last, claim)
        else:
            joined.append(claim)
    return joined


def _merged(first: _Claim, second: _Claim) -> _Claim:
    """Two claims for one stored text as one, from the first's start to the second's end."""
    return _Claim(
        first.num,
        first.start,
        second.end,
        first.size + second.size,
        min(first.source_start, second.source_start),
        max(first.source_end, second.source_end),
    )


def _belong_together(first: _Claim, second: _Claim) -> bool:
    return second.start - first.end <= BRIDGE or _continues(first, second, 0)


def _continues(first: _Claim, second: _Claim, gap: int) -> bool:
    """Whether the second claim's source text follows the first's, at most gap + SOURCE_SLACK later:
    set phrases a text repeats in many places do not make one passage of them."""
    return -GRAM <= second.source_start - first.source_end <= gap + SOURCE_SLACK


def _extended(cores: list[Span], reprint: TextMap) -> list[Span]:
    """Each claimed core with the rest of its first and last sentence, when an edit near the edge
    stopped the exact match there (at most WINDOW_PAD characters, never past a neighbour)."""
    starts = set(reprint.paragraph_starts)
    spans: list[Span] = []
    for i, core in enumerate(cores):
        low = spans[-1].end if spans else 0
        high = cores[i + 1].start if i + 1 < len(cores) else len(reprint.content)
        spans.append(
            Span(_lead_in(reprint.content, starts, core.start, low), _trail_in(reprint.content, starts, core.end, high))
        )
    return spans


def _snapped(spans: list[Span], reprint: TextMap) -> list[Span]:
    """Parts that touch, parted at the paragraph start nearest where they meet, if one is that close.

    A 12-gram across the line between two excerpts can match the first one's source (…意见一202 in
    …意见一、2025 and …意见\n2026年), so the first part ends a few characters into the second."""
    snapped = list(spans)
    for i in range(len(snapped) - 1):
        meet = snapped[i].end
        if meet != snapped[i + 1].start:
            continue
        near = [
            p for p in reprint.paragraph_starts if abs(p - meet) < GRAM and snapped[i].start < p < snapped[i + 1].end
        ]
        if near:
            cut = min(near, key=lambda p: abs(p - meet))
            snapped[i], snapped[i + 1] = Span(snapped[i].start, cut), Span(cut, snapped[i + 1].end)
    return snapped


def _with_kept_headings(
    spans: list[Span], cores: list[Span], claims: list[_Claim], sources: dict[int, Source], reprint: TextMap
) -> list[Span]:
    """Each part grown back over the whole paragraphs before it that stand just so in its source too.

    A booklet keeps a heading such as （二） above an excerpt; it has no sentence end and too few
    characters for a fingerprint, so without this it counts as the booklet's own text."""
    grown: list[Span] = []
    for span, core, claim in zip(spans, cores, claims, strict=True):
        source = sources[claim.num].text.content
        r, s = span.start, claim.source_start - (core.start - span.start)
        low = grown[-1].end if grown else 0
        while r > low and s > 0 and reprint.content[r - 1] == source[s - 1]:
            r, s = r - 1, s - 1
        starts = [p for p in reprint.paragraph_starts if r <= p < span.start]
        grown.append(Span(starts[0], span.end) if starts else span)
    return grown


def _lead_in(content: str, starts: set[int], start: int, low: int) -> int:
    """Where the sentence holding content[start] starts, if close enough; else start."""
    at = start
    while at > max(low, start - WINDOW_PAD) and not _sentence_starts(content, starts, at):
        at -= 1
    return at if _sentence_starts(content, starts, at) else start


def _trail_in(content: str, starts: set[int], end: int, high: int) -> int:
    """Where the sentence holding content[end - 1] ends (its end mark included), if close enough; else end."""
    at = end
    while at < min(high, end + WINDOW_PAD):
        if at in starts or content[at] in _FRAMES:
            return at
        at += 1
        if content[at - 1] in SENTENCE_ENDS:
            return at
    return at if at == len(content) else end


def _sentence_starts(content: str, starts: set[int], at: int) -> bool:
    return at == 0 or at in starts or content[at - 1] in SENTENCE_ENDS or content[at - 1] in _FRAMES


def _stretches(spans: list[Span], content: str) -> list[tuple[Span, int | None]]:
    """The content outside the parts' spans, each stretch with the part it goes with: short ones
    (a header, a footer) the part they precede, else the last; long ones none. Punctuation alone
    (the quotation marks around a quotation) is the reprint's framing and no stretch."""
    if not spans:
        return [(Span(0, len(content)), None)] if content else []
    gaps = zip([0, *(s.end for s in spans)], [*(s.start for s in spans), len(content)], strict=True)
    stretches: list[tuple[Span, int | None]] = []
    for i, (start, end) in enumerate(gaps):
        if end > start and not is_punctuation(content[start:end]):
            stretches.append((Span(start, end), min(i, len(spans) - 1) if end - start <= EDGE else None))
    return stretches


def _source(num: int, library: Library) -> Source:
    return Source(num, library.entry_at(num), normalize(library.body(num)))


def _reparted(
    bodies: list[Part], cores: list[Span], claims: list[_Claim], sources: dict[int, Source], reprint: TextMap
) -> list[Part]:
    """Touching parts (or with punctuation between) parted at the paragraph start where both match most.

    Government texts share stock sentences, some quoted word for word from the centre's: the claim
    of a first excerpt's source can run on over the start of the next excerpt through them
    (各级政府要自觉接受…的监督), and its alignment then reads that excerpt as a string of edits.
    A new boundary is kept only when the characters matched in all grow (or stay, with fewer
    changes), so a first part's own edited tail stays its own."""
    parts = list(bodies)
    for i in range(len(parts) - 1):
        first, second = parts[i], parts[i + 1]
        between = reprint.content[first.span.end : second.span.start]
        if first.alignment is None or second.alignment is None or (between and not is_punctuation(between)):
            continue
        if not _changes_near(first.alignment, at_end=True) and not _changes_near(second.alignment, at_end=False):
            continue
        one, two = claims[i], claims[i + 1]
        best, best_score = (first, second), _score((first, second))
        for cut in _cuts(first, second, reprint):
            moved = (
                _body(Span(first.span.start, cut), sources[one.num], one, cores[i], reprint),
                _body(Span(cut, second.span.end), sources[two.num], two, cores[i + 1], reprint),
            )
            if _score(moved) > best_score:
                best, best_score = moved, _score(moved)
        parts[i], parts[i + 1] = best
    return parts


def _cuts(first: Part, second: Part, reprint: TextMap) -> list[int]:
    """Paragraph starts where the next excerpt may begin instead, nearest the boundary first, on
    either side of it (a shared continuation can carry either part's match past the true one),
    each leaving both parts SOLID characters at least."""
    low, high = first.span.start + SOLID, second.span.end - SOLID
    starts = [p for p in reprint.paragraph_starts if low <= p <= high and p != second.span.start]
    return sorted(starts, key=lambda p: abs(p - second.span.start))[:MAX_CUTS]


def _changes_near(alignment: Alignment, at_end: bool) -> bool:
    """Whether a part has a change between its first and last match within REACH of its end (or start).

    Where both parts are whole near their boundary, it is right; a wrong one leaves edits beside it."""
    ops = [edit.op for edit in alignment.edits]
    if "equal" not in ops:
        return False
    first, last = ops.index("equal"), len(ops) - 1 - ops[::-1].index("equal")
    size = len(alignment.reprint.content)
    return any(
        edit.op != "equal" and (edit.reprint.start >= size - REACH if at_end else edit.reprint.end <= REACH)
        for edit in alignment.edits[first:last]
    )


def _score(parts: tuple[Part, ...]) -> tuple[int, int]:
    """More characters matched, then fewer changes: a boundary that leaves a stray cut inside a part loses."""
    alignments = [part.alignment for part in parts if part.alignment is not None]
    return sum(a.matched_chars for a in alignments), -sum(_changes(a) for a in alignments)


def _changes(alignment: Alignment) -> int:
    """How many runs of edits other than matches an alignment has."""
    ops = ["equal", *(edit.op for edit in alignment.edits)]
    return sum(1 for before, op in pairwise(ops) if op != "equal" and before == "equal")


def _body(span: Span, source: Source, claim: _Claim, core: Span, reprint: TextMap) -> Part:
    """A claimed part aligned to its source; a source sharing nothing with it after all leaves it sourceless."""
    part = _submap(reprint, span)
    alignment = _aligned_part(source.text, part, core.start - span.start, span.end - core.end, claim)
    return Part(span, source, alignment) if alignment.matched_chars else Part(span, None, None)


def _edge(stretch: Span, body: Part | None, reprint: TextMap) -> Part:
    """A header or footer as an insertion where its part's source starts or ends; a long stretch, no source's."""
    if body is None or body.source is None or body.alignment is None:
        return Part(stretch, None, None)
    # Before the source's cut start, or after its cut end, so that findings run in order in both
    # texts, as they do when a reprint is checked whole against one source.
    point = 0 if stretch.start < body.span.start else len(body.source.text.content)
    insertion = Edit("insert", Span(point, point), Span(0, len(stretch)))
    alignment = Alignment(source=body.source.text, reprint=_submap(reprint, stretch), edits=(insertion,))
    return Part(stretch, body.source, alignment)


def _aligned_part(source: TextMap, part: TextMap, lead: int, trail: int, claim: _Claim) -> Alignment:
    """The part aligned to the stretch of the source it claims, the rest of the source cut around it.

    Only a window of the source is aligned: the part's own first and last words are looked for
    among the few characters around the claimed stretch, not in the whole source."""
    window = Span(
        max(0, claim.source_start - lead - WINDOW_PAD),
        min(len(source.content), claim.source_end + trail + WINDOW_PAD),
    )
    inner = align(_submap(source, window), part)
    edits = [Edit("delete", Span(0, window.start), Span(0, 0))] if window.start else []
    edits.extend(
        Edit(e.op, Span(e.source.start + window.start, e.source.end + window.start), e.reprint) for e in inner.edits
    )
    if window.end < len(source.content):
        end = len(part.content)
        edits.append(Edit("delete", Span(window.end, len(source.content)), Span(end, end)))
    return Alignment(source=source, reprint=part, edits=tuple(edits))


def _submap(text: TextMap, span: Span) -> TextMap:
    """A stretch of a text's content as a TextMap of its own, still mapping to the whole text as read."""
    return TextMap(
        text=text.text,
        content=text.content[span.start : span.end],
        offsets=text.offsets[span.start : span.end],
        paragraph_starts=tuple(p - span.start for p in text.paragraph_starts if span.start < p < span.end),
    )


def _placed(finding: Finding, span: Span, reprint: TextMap, locator: Locator) -> Finding:
    """A finding of a part; one at the very start of a part that is not the reprint's start is put there."""
    if span.start == 0 or finding.reprint_span != Span(0, 0):
        return finding
    point = reprint.to_read(Span(span.start, span.start))
    return replace(finding, reprint_span=point, line=locator.line(point.start), location=locator.label(point.start))


def _unmatched(span: Span, reprint: TextMap, locator: Locator, rule: Rule) -> Finding:
    """One finding, graded by its rule (info unless a user's rules say otherwise), for a part with no source."""
    where = reprint.to_read(span)
    return Finding(
        kind="insertion",
        severity=rule.severity,
        rule=rule.id,
        message=rule.message,
        source_id=None,
        source_text="",
        reprint_text=reprint.text[where.start : where.end],
        source_span=Span(0, 0),
        reprint_span=where,
        line=locator.line(where.start),
        location=locator.label(where.start),
    )


def _source_infos(parts: tuple[Part, ...], reprint: TextMap) -> tuple[SourceInfo, ...]:
    """Each source once, in the order the reprint first draws on it, with its parts and the characters matched."""
    matched: dict[int, int] = {}
    sources: dict[int, Source] = {}
    spans: dict[int, list[Span]] = {}
    for part in parts:
        if part.source is not None and part.alignment is not None:
            sources[part.source.num] = part.source
            matched[part.source.num] = matched.get(part.source.num, 0) + part.alignment.matched_chars
            spans.setdefault(part.source.num, []).append(reprint.to_read(part.span))
    return tuple(
        SourceInfo(
            id=source.entry.id,
            title=source.entry.metadata.title,
            path=source.entry.metadata.origin,
            chars=len(source.text.text),
            matched_chars=matched[num],
            map=source.text,
            parts=_joined_spans(spans[num], reprint.text),
        )
        for num, source in sources.items()
    )


def _joined_spans(spans: list[Span], text: str) -> tuple[Span, ...]:
    """Spans in order, those with only white space between them joined."""
    joined: list[Span] = []
    for span in sorted(spans, key=lambda s: s.start):
        if joined and not text[joined[-1].end : span.start].strip():
            joined[-1] = Span(joined[-1].start, max(joined[-1].end, span.end))
        else:
            joined.append(span)
    return tuple(joined)
