"""The roster checks: titles held on the text's date, former titles, misspelt names, Standing Committee order.

Each function reads the content of a text (whitespace dropped) and yields Hits in content offsets.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import pairwise

from yuanwen.lint.hits import Hit
from yuanwen.model import Span
from yuanwen.roster import DaySpan, RosterIndex, near_name

_SENTENCE_END = "。！？；"
# A sentence that names a past year speaks of that year: 2012年，国务院总理温家宝…
_SENTENCE_YEAR = re.compile("((?:19|20)[0-9]{2})年")
# How far back a sentence's start (or its year) is looked for.
_SENTENCE_LOOKBACK = 200
# Names of this many characters or more are checked for one-character slips; shorter ones would
# match common words (万里, 汪洋).
_MIN_NAME = 3
_CJK = re.compile("[\u4e00-\u9fff]")
# After these an ambiguous title is another word: 主席团, 主席台.
_TITLE_CONTINUES = ("团", "台")


@dataclass(frozen=True)
class Claim:
    """A title written next to a leader's name, and the titles of the roster it may mean."""

    span: Span
    written: str
    titles: frozenset[str]
    ambiguous: bool
    marked_former: bool
    after: bool = False


@dataclass(frozen=True)
class Lists:
    """The word lists the roster checks read."""

    former_marks: tuple[str, ...]
    title_endings: tuple[str, ...]
    cues: tuple[str, ...]


def title_hits(
    content: str, roster: RosterIndex, span: DaySpan, lists: Lists, paragraphs: Sequence[int]
) -> Iterator[tuple[str, Hit]]:
    """("title" or "former", hit) for each title written with a name that the name did not hold on the day."""
    for match in _names(roster).finditer(content):
        name = match.group()
        paragraph = paragraphs[bisect_right(paragraphs, match.start()) - 1]
        day, past = _sentence_span(content, paragraph, match.start(), span)
        claims = [*_before(content, match.start(), roster, lists), *_after(content, match.end(), roster)]
        for claim in claims:
            status = roster.status(name, claim.titles, day)
            if status == "former" and not (claim.marked_former or past or claim.after):
                yield "former", _claim_hit(claim, name, day, None)
            elif status == "never" and not (claim.ambiguous and not _ever(roster, name, claim.titles)):
                yield "title", _claim_hit(claim, name, day, _counterpart(claim, name, day, roster))


def name_hits(content: str, roster: RosterIndex, lists: Lists, starts: frozenset[int]) -> Iterator[Hit]:
    """A name one like-sounding character from a leader's, where a leader is named."""
    names = tuple(n for n in roster.names if len(n) >= _MIN_NAME)
    known = frozenset(roster.names)
    seen: set[int] = set()
    for at in _leader_positions(content, roster, lists, starts):
        for size in sorted({len(n) for n in names}):
            text = content[at : at + size]
            if at in seen or text in known or len(text) < size or not all(_CJK.match(c) for c in text):
                continue
            found = near_name(text, names)
            if found is not None:
                seen.add(at)
                yield Hit(Span(at, at + size), found, {"name": found})


def order_hits(content: str, roster: RosterIndex, span: DaySpan, lists: Lists) -> Iterator[Hit]:
    """Standing Committee members listed out of their order in the term of the text's date."""
    term = roster.term(span)
    if term is None or not term.ordered:
        return
    rank = {name: i for i, name in enumerate(term.members)}
    gap = _gap(lists.title_endings)
    run: list[re.Match[str]] = []
    for match in [*_names(roster).finditer(content), None]:
        joined = match is not None and bool(run) and gap.fullmatch(content[run[-1].end() : match.start()]) is not None
        if match is not None and match.group() in rank and (joined or not run):
            run.append(match)
            continue
        yield from _misordered(content, run, rank)
        run = [match] if match is not None and match.group() in rank else []


def _misordered(content: str, run: list[re.Match[str]], rank: dict[str, int]) -> Iterator[Hit]:
    names = [m.group() for m in run]
    if len(names) < 2 or len(set(names)) < len(names) or names == sorted(names, key=rank.__getitem__):
        return
    ordered = sorted(names, key=rank.__getitem__)
    whole = Span(run[0].start(), run[-1].end())
    gaps = [content[a.end() : b.start()] for a, b in pairwise(run)]
    suggestion = None
    if all(g in ("", "、") for g in gaps):
        suggestion = "".join(n + g for n, g in zip(ordered, [*gaps, ""], strict=True))
    yield Hit(whole, suggestion, {"expected": "、".join(ordered)})


@cache
def _gap(endings: tuple[str, ...]) -> re.Pattern[str]:
    """What may stand between two names of one list: a separator, and titles ending in a title word."""
    title = f"[^，。；！？、]{{0,20}}?(?:{'|'.join(map(re.escape, endings))})" if endings else "(?!)"
    return re.compile(f"(?:同志)?[、，,和及与]?(?:{title}、?)*")


def _names(roster: RosterIndex) -> re.Pattern[str]:
    return _alternation(roster.names)


@cache
def _alternation(words: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted(words, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, ordered)) if ordered else "(?!)")


def _before(content: str, start: int, roster: RosterIndex, lists: Lists) -> list[Claim]:
    """The chain of titles written just before a name: 中共中央总书记、国家主席、中央军委主席习近平."""
    claims: list[Claim] = []
    at = start
    writings = sorted(roster.before, key=len, reverse=True)
    while True:
        written = next((w for w in writings if content.endswith(w, 0, at)), None)
        if written is None or content[at - len(written) - 1 : at - len(written)] == "副":
            break
        at -= len(written)
        claims.append(Claim(Span(at, at + len(written)), written, roster.before[written], False, False))
        if not content.endswith("、", 0, at):
            break
        at -= 1
    marked = any(content.endswith(mark, 0, at) for mark in lists.former_marks)
    return [Claim(c.span, c.written, c.titles, c.ambiguous, marked) for c in claims]


def _after(content: str, end: int, roster: RosterIndex) -> list[Claim]:
    """A title written just after a name: 李强总理, 习近平总书记."""
    for written in sorted(roster.after, key=len, reverse=True):
        following = content[end + len(written) : end + len(written) + 1]
        if content.startswith(written, end) and following not in _TITLE_CONTINUES:
            titles = roster.after[written]
            return [Claim(Span(end, end + len(written)), written, titles, len(titles) > 1, False, after=True)]
    return []


def _ever(roster: RosterIndex, name: str, titles: frozenset[str]) -> bool:
    return any((name, title) in roster.periods for title in titles)


def _sentence_span(content: str, paragraph: int, at: int, span: DaySpan) -> tuple[DaySpan, bool]:
    """The days a name's sentence speaks of: a past year it names, else the text's date; and whether past."""
    start = max(paragraph, at - _SENTENCE_LOOKBACK)
    ends = [content.rfind(end, start, at) for end in _SENTENCE_END]
    sentence = content[max([start - 1, *ends]) + 1 : at]
    match = _SENTENCE_YEAR.search(sentence)
    if match is None or int(match.group(1)) >= span.first.year:
        return span, False
    year = int(match.group(1))
    return DaySpan(date(year, 1, 1), date(year, 12, 31)), True


def _claim_hit(claim: Claim, name: str, day: DaySpan, suggestion: str | None) -> Hit:
    when = day.first.isoformat() if day.first == day.last else f"{day.first.isoformat()}至{day.last.isoformat()}"
    return Hit(claim.span, suggestion, {"name": name, "title": claim.written, "date": when})


def _counterpart(claim: Claim, name: str, day: DaySpan, roster: RosterIndex) -> str | None:
    """The title with 副 added or taken away, when the name held that one: 国务院副总理 → 国务院总理."""
    written = claim.written
    other = written.replace("副", "", 1) if "副" in written else _with_vice(written)
    table = roster.before if other in roster.before else roster.after
    if other in table and roster.status(name, table[other], day) == "held":
        return other
    return None


def _with_vice(written: str) -> str:
    for word in ("总理", "主席", "委员长"):
        if written.endswith(word):
            return written[: -len(word)] + "副" + word
    return written


def _leader_positions(content: str, roster: RosterIndex, lists: Lists, starts: frozenset[int]) -> Iterator[int]:
    """Where a leader's name would stand: after a title, in a list beside a leader, or before a speech cue."""
    for match in _alternation(tuple(roster.before)).finditer(content):
        yield match.end()
    for match in _names(roster).finditer(content):
        if content.startswith("、", match.end()):
            yield match.end() + 1
        if match.start() > 0 and content[match.start() - 1] == "、":
            yield from (match.start() - 1 - size for size in (3, 4) if match.start() - 1 - size >= 0)
    cues = _alternation((*lists.cues, *roster.after))
    for match in cues.finditer(content):
        for size in (3, 4):
            at = match.start() - size
            if at >= 0 and (at in starts or not _CJK.match(content[at - 1 : at] or "。")):
                yield at
