"""The roster checks: titles held on the text's date, former titles, misspelt names, Standing Committee order.

Each function reads the content of a text (whitespace dropped) and yields Hits in content offsets.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import pairwise

from yuanwen.lint.hits import Hit, Layout
from yuanwen.model import Span
from yuanwen.roster import DaySpan, RosterIndex, near_name

_SENTENCE_END = "。！？；"
# A clause that names a past year speaks of that year (…2012年考察时，国务院总理温家宝…), and so does a
# sentence that opens with one (2012年，国务院总理温家宝…); another clause's year is another event's.
_CLAUSE_END = "，,：:"
_YEAR = re.compile("((?:19|20)[0-9]{2})年")
_OPENING_YEAR = re.compile("(?:在|于)?((?:19|20)[0-9]{2})年[^，。；]{0,8}[，,]")
# Term numbers before a title date it: 第十届、十一届全国人民代表大会常务委员会委员长吴邦国.
_TERMS = re.compile("第?[一二三四五六七八九十]{1,3}届(?:、第?[一二三四五六七八九十]{1,3}届)*$")
# A list that says it is in stroke order (按姓氏笔画为序) is not in the order of rank; looked for this far back.
_STROKE_ORDER = "姓氏笔画"
_STROKE_LOOKBACK = 60
# Term numbers and a former mark stand this close before a title.
_TERM_WINDOW = 12
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
    content: str, roster: RosterIndex, span: DaySpan, lists: Lists, layout: Layout
) -> Iterator[tuple[str, Hit]]:
    """("title" or "former", hit) for each title written with a name that the name did not hold on the day."""
    for match in _names(roster).finditer(content):
        name = match.group()
        paragraph = layout.paragraphs[bisect_right(layout.paragraphs, match.start()) - 1]
        day, past = _sentence_span(content, paragraph, match.start(), span, layout)
        before = _before(content, match.start(), roster, lists, layout)
        claims = [*before, *_after(content, match.end(), roster, layout)]
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


def order_hits(content: str, roster: RosterIndex, span: DaySpan, lists: Lists, layout: Layout) -> Iterator[Hit]:
    """Standing Committee members listed out of their order in the term of the text's date.

    A list is checked only when it is the Standing Committee: within one paragraph, holding no
    one else, and not said to be in stroke order (a Politburo list, 按姓氏笔画为序)."""
    term = roster.term(span)
    if term is None or not term.ordered:
        return
    rank = {name: i for i, name in enumerate(term.members)}
    gap = _gap(lists.title_endings)
    run: list[re.Match[str]] = []
    for match in [*_names(roster).finditer(content), None]:
        joined = (
            match is not None
            and bool(run)
            and not layout.starts_paragraph(run[-1].end(), match.start())
            and gap.fullmatch(content[run[-1].end() : match.start()]) is not None
        )
        if match is not None and match.group() in rank and (joined or not run):
            run.append(match)
            continue
        if _standing_list(content, run, rank, layout):
            yield from _misordered(content, run, rank)
        run = [match] if match is not None and match.group() in rank else []


def _standing_list(content: str, run: list[re.Match[str]], rank: dict[str, int], layout: Layout) -> bool:
    """Whether a run of members is a list of its own: no one else listed beside it, no stroke order said."""
    if not run:
        return False
    start, end = run[0].start(), run[-1].end()
    paragraph = layout.paragraphs[bisect_right(layout.paragraphs, start) - 1]
    if _STROKE_ORDER in content[max(0, min(paragraph, start - _STROKE_LOOKBACK)) : start]:
        return False
    return not (_listed_beside(content, end, layout, after=True) or _listed_beside(content, start, layout, after=False))


def _listed_beside(content: str, at: int, layout: Layout, after: bool) -> bool:
    """Whether another item of a list stands just after (or before) a run: 习近平 马兴瑞 王毅, 李希 李强 李干杰."""
    step = 1 if after else -1
    mark = at if after else at - 1
    if content[mark : mark + 1] == "、":
        at += step
    elif not layout.broken(at):
        return False
    for size in (2, 3, 4):
        item = content[at : at + size] if after else content[max(0, at - size) : at]
        edge = at + size if after else at - size
        if len(item) == size and all(_CJK.match(c) for c in item) and layout.separates(content, edge):
            return True
    return False


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


def _before(content: str, start: int, roster: RosterIndex, lists: Lists, layout: Layout) -> list[Claim]:
    """The chain of titles written just before a name: 中共中央总书记、国家主席、中央军委主席习近平.

    A title parted from the name by a space is another's (当选国家主席中央军委主席 赵乐际当选…)."""
    claims: list[Claim] = []
    at = start
    writings = sorted(roster.before, key=len, reverse=True)
    while not layout.broken(at):
        written = next((w for w in writings if content.endswith(w, 0, at)), None)
        if written is None or content[at - len(written) - 1 : at - len(written)] == "副":
            break
        at -= len(written)
        claims.append(Claim(Span(at, at + len(written)), written, roster.before[written], False, False))
        if not content.endswith("、", 0, at):
            break
        at -= 1
    head = content[max(0, at - _TERM_WINDOW) : at]
    marked = any(head.endswith(mark) for mark in lists.former_marks) or _TERMS.search(head) is not None
    return [Claim(c.span, c.written, c.titles, c.ambiguous, marked) for c in claims]


def _after(content: str, end: int, roster: RosterIndex, layout: Layout) -> list[Claim]:
    """A title written just after a name: 李强总理, 习近平总书记."""
    if layout.broken(end):
        return []
    for written in sorted(roster.after, key=len, reverse=True):
        following = content[end + len(written) : end + len(written) + 1]
        if content.startswith(written, end) and following not in _TITLE_CONTINUES:
            titles = roster.after[written]
            return [Claim(Span(end, end + len(written)), written, titles, len(titles) > 1, False, after=True)]
    return []


def _ever(roster: RosterIndex, name: str, titles: frozenset[str]) -> bool:
    return any((name, title) in roster.periods for title in titles)


def _sentence_span(content: str, paragraph: int, at: int, span: DaySpan, layout: Layout) -> tuple[DaySpan, bool]:
    """The days a name's clause speaks of: a past year it names (or its sentence opens with), else the
    text's date; and whether past."""
    start = max(paragraph, at - _SENTENCE_LOOKBACK)
    ends = [content.rfind(end, start, at) for end in _SENTENCE_END]
    sentence = max([start - 1, *ends]) + 1
    clause = max([sentence - 1, *(content.rfind(end, sentence, at) for end in _CLAUSE_END)]) + 1
    # A space parts clauses too, and a sentence may open after one (新华社北京5月1日电 2012年，…).
    breaks = layout.between(sentence, at)
    clause = max([clause, *breaks[-1:]])
    opening = (_OPENING_YEAR.match(content, start, at) for start in (sentence, *breaks))
    match = _YEAR.search(content, clause, at) or next((m for m in opening if m), None)
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
