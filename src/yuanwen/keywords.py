"""Keyword search in the library: the index of each text's pairs of characters, and the ranked search through it.

1. Index: each text's distinct pairs of characters (white space dropped), each a number made of its
   two code points, as FTS5 tokens; a pair the text holds at least 2, 4, 8 or 16 times is indexed
   under a token of that tier too, so how often a text holds a word is known from the index alone.
2. Search: the tiers from the highest down, each tier's texts newest first; a text is read to
   confirm it holds the word (a longer word's pairs may stand apart) and to cut its snippet, and the
   search stops once it has the texts it shows. The total is counted in the index.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise

# Tiers 1..TIERS: a text holding a pair at least 2**k times has the pair's tier-k token too. Four
# tiers add ~20% to the index (a 3,000-character text holds 2,370 distinct pairs: 400 twice or more,
# 74 four times, 11 eight times, 1.4 sixteen times; bench_library.py's texts).
TIERS = 4
# A pair's number is two 21-bit code points; its tier is written above them.
_TIER_SHIFT = 42
# Texts read at most to confirm a longer word (its pairs apart in most of them): a search's bound.
READ_AT_MOST = 400
# Candidates counted at most, newest first; beyond, the total is estimated from how far back they
# reach. Measured on a million texts (bench_library.py's 8 words, held by 97,000 to 660,000 texts,
# interleaved): counting up to 100,000 made the median search 29 ms (the longest 60 ms), up to
# 20,000 13 ms (28 ms), the estimates within 1% of each other.
COUNTED_AT_MOST = 20_000


@dataclass(frozen=True)
class Ranked:
    """The texts a search shows (numbers, best first, each with its snippet) and how many hold the word."""

    nums: tuple[int, ...]
    snippets: tuple[str, ...]
    total: int
    exact: bool


@dataclass
class _Reading:
    """What a search has read so far: how many times each text read holds the word, and those shown."""

    times: dict[int, int] = field(default_factory=dict)
    shown: list[int] = field(default_factory=list)


def pair_tokens(text: str) -> str:
    """A text's distinct pairs of characters, white space dropped, with their tiers, as FTS5 tokens."""
    import numpy as np

    codes = np.frombuffer("".join(text.split()).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    pairs, counts = np.unique((codes[:-1] << 21) | codes[1:], return_counts=True)
    tiers = [pairs[counts >= 1 << k] | (k << _TIER_SHIFT) for k in range(1, TIERS + 1)]
    return str(np.concatenate([pairs, *tiers]).tolist())[1:-1]


def indexed(rows: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Each text's number and its tokens (run in a worker process)."""
    return [(num, pair_tokens(text)) for num, text in rows]


def word_pairs(words: str) -> list[int]:
    """A keyword's distinct pairs of characters (white space already dropped)."""
    return sorted({(ord(a) << 21) | ord(b) for a, b in pairwise(words)})


def ranked(db: sqlite3.Connection, words: str, limit: int, body: Callable[[int], str]) -> Ranked:
    """The texts holding a word of 2 characters or more, through the index, at most `limit`: by tier
    (how often they hold it: 16, 8, 4, 2 times or more, once), and within the tier the search stops
    in, by how often (of its first READ_AT_MOST texts, newest first, when it has more)."""
    pairs = word_pairs(words)
    reading = _Reading()
    for tier in range(TIERS, -1, -1):
        members = _tier_members(db, words, pairs, tier, reading, body)
        members.sort(key=lambda num: reading.times[num], reverse=True)
        reading.shown.extend(members[: limit - len(reading.shown)])
        if len(reading.shown) >= limit or len(reading.times) >= READ_AT_MOST:
            break
    total, exact = _total(db, pairs, reading, single=len(words) == 2)
    snippets = tuple(snippet(body(num), words) for num in reading.shown)
    return Ranked(tuple(reading.shown), snippets, total, exact)


def _tier_members(
    db: sqlite3.Connection, words: str, pairs: list[int], tier: int, reading: _Reading, body: Callable[[int], str]
) -> list[int]:
    """The texts of a tier not shown yet, newest first, read (once each) to count the word in them;
    reading stops at READ_AT_MOST texts in all."""
    least, shown = 1 << tier, set(reading.shown)
    members: list[int] = []
    for num in _newest_first(db, pairs, tier):
        if num in shown:
            continue
        if num not in reading.times:
            if len(reading.times) >= READ_AT_MOST:
                break
            reading.times[num] = _times(body(num), words)
        if reading.times[num] >= least:
            members.append(num)
    return members


def _newest_first(db: sqlite3.Connection, pairs: list[int], tier: int) -> Iterator[int]:
    """The texts holding every pair at least 2**tier times (tier 0: once), newest first."""
    query = _all_of(pairs, tier)
    for (num,) in db.execute("SELECT rowid FROM pairs WHERE pairs MATCH ? ORDER BY rowid DESC", (query,)):
        yield int(num)


def _all_of(pairs: list[int], tier: int = 0) -> str:
    """An FTS5 query for the texts holding every pair at least 2**tier times (tier 0: once)."""
    return " AND ".join(f'"{(tier << _TIER_SHIFT) | pair}"' for pair in pairs)


def _total(db: sqlite3.Connection, pairs: list[int], reading: _Reading, single: bool) -> tuple[int, bool]:
    """How many texts hold the word, and whether that is exact: the texts holding all its pairs,
    counted in the index (a 2-character word's pairs are the word), a longer word's scaled by the
    share of those read that held it; past COUNTED_AT_MOST, estimated from how far back they reach."""
    query = _all_of(pairs)
    rows = db.execute(
        "SELECT count(*), min(rowid) FROM (SELECT rowid FROM pairs WHERE pairs MATCH ? ORDER BY rowid DESC LIMIT ?)",
        (query, COUNTED_AT_MOST + 1),
    ).fetchone()
    counted, oldest = int(rows[0]), rows[1]
    exact = counted <= COUNTED_AT_MOST
    if not exact:
        newest = int(db.execute("SELECT max(rowid) FROM pairs_docsize").fetchone()[0])
        counted = round(counted * newest / (newest - int(oldest) + 1))
    if single:
        return counted, exact
    held = sum(times > 0 for times in reading.times.values())
    if len(reading.times) >= counted:  # every candidate read
        return held, exact
    return max(len(reading.shown), round(counted * held / max(1, len(reading.times)))), False


def _times(text: str, words: str) -> int:
    """How many times the text holds the word, line breaks and spaces in the text ignored."""
    return "".join(text.split()).count(words)


# A text's characters without the white space a keyword ignores: line breaks, spaces, tabs, 全角空格
# (the index drops all that str.split drops, so it holds every pair this leaves side by side).
_FLAT = "text"
for _space in (10, 13, 9, 32, 12288):
    _FLAT = f"replace({_FLAT}, char({_space}), '')"
# The texts holding the keyword (?1), those holding it most often first, then the newest.
_SCANNED = f"""SELECT num FROM (
    SELECT num, (length({_FLAT}) - length(replace({_FLAT}, ?1, ''))) / length(?1) AS times
    FROM bodies WHERE {{among}}
) WHERE times > 0 ORDER BY times DESC, num DESC"""


def scanned(db: sqlite3.Connection, words: str, unindexed: bool) -> list[int]:
    """The texts holding the word, most often first, by reading them: those the index finds (when it
    holds every text, and a word of 2 characters or more) and the `unindexed`; else every text."""
    if len(words) < 2:
        among = "1"
    else:
        among = f"num IN (SELECT rowid FROM pairs WHERE pairs MATCH '{_all_of(word_pairs(words))}')"
        if unindexed:
            among = f"({among} OR num IN (SELECT num FROM unsearched))"
    return [int(row[0]) for row in db.execute(_SCANNED.format(among=among), (words,))]


def snippet(text: str, words: str, around: int = 20) -> str:
    """The keyword in its text with a few characters either side, on one line."""
    match = re.search(r"\s*".join(map(re.escape, words)), text)
    if match is None:
        return ""
    before = "".join(text[max(0, match.start() - 2 * around) : match.start()].split())[-around:]
    after = "".join(text[match.end() : match.end() + 2 * around].split())[:around]
    return f"…{before}【{words}】{after}…"
