"""Parts: the reprint cut where its claims meet, each part aligned to a window of its own source.

Each claim, grown to the ends of its first and last sentence (an edit there stops the exact match),
is a part, aligned to a window of its source around the text it claims. What lies between parts
is a header or footer when short (EDGE): one insertion where its part's text starts or ends; a part
with no source when long; nothing when only quotation marks. Where two parts meet and either has a
change near the boundary, the nearest paragraph starts are tried as the boundary instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from yuanwen.align import align
from yuanwen.chars import FRAMES, SENTENCE_ENDS, is_punctuation
from yuanwen.fingerprint import GRAM
from yuanwen.locate.claims import Claim
from yuanwen.model import Alignment, Edit, Pairing, SourceText, Span, TextMap

# A stretch of the reprint outside every part this short (content characters) is a masthead, a
# section header or a footer of the part it precedes; the example's masthead has 38.
EDGE = 100
# How far a part grows beyond its claim to the ends of its sentences, and how much of the source
# around the claimed text its window adds: room for the words before an edit stopped the match.
WINDOW_PAD = 2 * GRAM
# A part keeps at least this much of the reprint. The paragraph starts within REACH of the boundary
# of two parts, and at least this many nearest it, are tried as where the second one begins: short
# headings (a dateline, a title, 一、…) can put the true start a third paragraph away.
SOLID = 3 * GRAM
MAX_CUTS = 2
# Only parts with a change this close to their boundary are reparted (each candidate costs two
# part alignments, ~7 ms each); every wrong boundary hypothesis found left edits within 60 characters.
REACH = 2 * SOLID
# Each closing mark of a pair, and its opening one (a quotation mark that opens and closes alike has none).
_OPENERS = dict(zip("）)》〉】〕]}」』”’", "（(《〈【〔[{「『“‘", strict=True))
_NOTHING = TextMap(text="", content="", offsets=(), paragraph_starts=())


@dataclass(frozen=True)
class Claimed:
    """A claim with the reprint content it covers (its core) and the source it claims."""

    claim: Claim
    core: Span
    source: SourceText


def parts(reprint: TextMap, claimed: list[Claimed]) -> tuple[Pairing, ...]:
    """The reprint cut into parts, in order, each aligned to its claim's source or to none."""
    cores = [c.core for c in claimed]
    spans = _with_kept_headings(_snapped(_extended(cores, reprint), reprint), claimed, reprint)
    stretches = _stretches(spans, reprint.content)
    if len(claimed) == 1 and all(owner is not None for _, owner in stretches):
        # The whole reprint from one source, with at most a header and a footer: exactly what
        # `yuanwen check --source` does.
        source = claimed[0].source
        return (Pairing(Span(0, len(reprint.content)), source, align(source.text, reprint)),)
    bodies = [_body(span, c, reprint) for span, c in zip(spans, claimed, strict=True)]
    bodies = _reparted(bodies, claimed, reprint)
    edges = [_edge(stretch, bodies[owner] if owner is not None else None, reprint) for stretch, owner in stretches]
    return tuple(sorted([*bodies, *edges], key=lambda part: part.span.start))


def unsourced(reprint: TextMap, span: Span) -> Pairing:
    """A stretch found in no source: aligned to nothing, all of it one insertion."""
    return Pairing(span, None, align(_NOTHING, reprint.within(span)))


def _extended(cores: list[Span], reprint: TextMap) -> list[Span]:
    """Each claimed core with the rest of its first and last sentence, when an edit near the edge
    stopped the exact match there (at most WINDOW_PAD characters, never past a neighbour)."""
    starts = set(reprint.paragraph_starts)
    spans: list[Span] = []
    for i, core in enumerate(cores):
        low = spans[-1].end if spans else 0
        high = cores[i + 1].start if i + 1 < len(cores) else len(reprint.content)
        spans.append(
            Span(
                _lead_in(reprint.content, starts, core.start, low),
                _trail_in(reprint.content, starts, core.start, core.end, high),
            )
        )
    return spans


def _snapped(spans: list[Span], reprint: TextMap) -> list[Span]:
    """Parts that touch, parted at the paragraph start nearest where they meet, if one is that close.

    A 12-gram across the line between two excerpts can match the first one's source (…意见一202 in
    …意见一、2025 and …意见\\n2026年), so the first part ends a few characters into the second."""
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


def _with_kept_headings(spans: list[Span], claimed: list[Claimed], reprint: TextMap) -> list[Span]:
    """Each part grown back over the whole paragraphs before it that stand just so in its source too.

    A booklet keeps a heading such as （二） above an excerpt; it has no sentence end and too few
    characters for a fingerprint, so without this it counts as the booklet's own text."""
    grown: list[Span] = []
    for span, c in zip(spans, claimed, strict=True):
        source = c.source.text.content
        r, s = span.start, c.claim.source_start - (c.core.start - span.start)
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


def _trail_in(content: str, starts: set[int], start: int, end: int, high: int) -> int:
    """Where the sentence holding content[end - 1] ends (its end mark included), if close enough; else end.

    A closing mark whose opening one is in the claim is the text's own (…第1版）), and goes with it;
    any other is a frame the reprint put around the text."""
    at = end
    while at < min(high, end + WINDOW_PAD):
        if at in starts or (content[at] in FRAMES and not _closes(content, start, at)):
            return at
        at += 1
        if content[at - 1] in SENTENCE_ENDS:
            return at
    # The rest of its paragraph, up to the next part starting the next one, is its own too.
    return at if at == len(content) or at in starts else end


def _closes(content: str, start: int, at: int) -> bool:
    """Whether the mark at `at` closes one opened in content[start:at] and not yet closed."""
    opener = _OPENERS.get(content[at])
    return opener is not None and content.count(opener, start, at) > content.count(content[at], start, at)


def _sentence_starts(content: str, starts: set[int], at: int) -> bool:
    return at == 0 or at in starts or content[at - 1] in SENTENCE_ENDS or content[at - 1] in FRAMES


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


def _reparted(bodies: list[Pairing], claimed: list[Claimed], reprint: TextMap) -> list[Pairing]:
    """Touching parts (or with punctuation between) parted at the paragraph start where both match most.

    Government texts share stock sentences, some quoted word for word from the centre's: the claim
    of a first excerpt's source can run on over the start of the next excerpt through them
    (各级政府要自觉接受…的监督), and its alignment then reads that excerpt as a string of edits.
    A new boundary is kept only when the characters matched in all grow (or stay, with fewer
    changes), so a first part's own edited tail stays its own."""
    found = list(bodies)
    for i in range(len(found) - 1):
        first, second = found[i], found[i + 1]
        between = reprint.content[first.span.end : second.span.start]
        if first.source is None or second.source is None or (between and not is_punctuation(between)):
            continue
        if not _changes_near(first.alignment, at_end=True) and not _changes_near(second.alignment, at_end=False):
            continue
        best, best_score = (first, second), _score((first, second))
        for cut in _cuts(first, second, reprint):
            moved = (
                _body(Span(first.span.start, cut), claimed[i], reprint),
                _body(Span(cut, second.span.end), claimed[i + 1], reprint),
            )
            if _score(moved) > best_score:
                best, best_score = moved, _score(moved)
        found[i], found[i + 1] = best
    return found


def _cuts(first: Pairing, second: Pairing, reprint: TextMap) -> list[int]:
    """Paragraph starts where the next excerpt may begin instead, nearest the boundary first, on
    either side of it (a shared continuation can carry either part's match past the true one),
    each leaving both parts SOLID characters at least."""
    low, high, meet = first.span.start + SOLID, second.span.end - SOLID, second.span.start
    starts = sorted(
        (p for p in reprint.paragraph_starts if low <= p <= high and p != meet), key=lambda p: abs(p - meet)
    )
    return starts[:MAX_CUTS] + [p for p in starts[MAX_CUTS:] if abs(p - meet) <= REACH]


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


def _score(found: tuple[Pairing, ...]) -> tuple[int, int]:
    """More characters matched, then fewer changes: a boundary that leaves a stray cut inside a part loses."""
    alignments = [part.alignment for part in found if part.source is not None]
    return sum(a.matched_chars for a in alignments), -sum(_changes(a) for a in alignments)


def _changes(alignment: Alignment) -> int:
    """How many runs of edits other than matches an alignment has."""
    ops = ["equal", *(edit.op for edit in alignment.edits)]
    return sum(1 for before, op in pairwise(ops) if op != "equal" and before == "equal")


def _body(span: Span, claimed: Claimed, reprint: TextMap) -> Pairing:
    """A claimed part aligned to its source; a source sharing nothing with it after all leaves it sourceless."""
    part = reprint.within(span)
    lead, trail = claimed.core.start - span.start, span.end - claimed.core.end
    alignment = _aligned_part(claimed.source.text, part, lead, trail, claimed.claim)
    return Pairing(span, claimed.source, alignment) if alignment.matched_chars else unsourced(reprint, span)


def _edge(stretch: Span, body: Pairing | None, reprint: TextMap) -> Pairing:
    """A header or footer as an insertion where its part's source starts or ends; a long stretch, no source's."""
    if body is None or body.source is None:
        return unsourced(reprint, stretch)
    # Before the source's cut start, or after its cut end, so that findings run in order in both
    # texts, as they do when a reprint is checked whole against one source.
    point = 0 if stretch.start < body.span.start else len(body.source.text.content)
    insertion = Edit("insert", Span(point, point), Span(0, len(stretch)))
    alignment = Alignment(source=body.source.text, reprint=reprint.within(stretch), edits=(insertion,))
    return Pairing(stretch, body.source, alignment)


def _aligned_part(source: TextMap, part: TextMap, lead: int, trail: int, claim: Claim) -> Alignment:
    """The part aligned to the stretch of the source it claims, the rest of the source cut around it.

    Only a window of the source is aligned: the part's own first and last words are looked for
    among the few characters around the claimed stretch, not in the whole source."""
    window = Span(
        max(0, claim.source_start - lead - WINDOW_PAD),
        min(len(source.content), claim.source_end + trail + WINDOW_PAD),
    )
    inner = align(source.within(window), part)
    edits = [Edit("delete", Span(0, window.start), Span(0, 0))] if window.start else []
    edits.extend(
        Edit(e.op, Span(e.source.start + window.start, e.source.end + window.start), e.reprint) for e in inner.edits
    )
    if window.end < len(source.content):
        end = len(part.content)
        edits.append(Edit("delete", Span(window.end, len(source.content)), Span(end, end)))
    return Alignment(source=source, reprint=part, edits=tuple(edits))
