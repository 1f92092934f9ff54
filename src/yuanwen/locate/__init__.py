"""TextMap of a reprint + its sources → Pairings: which source each stretch of the reprint reprints, and where.

A source given for the reprint pairs with all of it. The library is searched:
1. claims (locate.claims): the stored texts whose 12-grams the reprint's key characters match,
   claimed greedily, round by round, as passages;
2. parts (locate.parts): the reprint cut where claims meet, each part aligned to a window of its
   own source, headers and footers placed beside their part, stretches of no source kept apart.
Every pairing carries the alignment it was confirmed with (reparting compares trial alignments),
so yuanwen.check aligns nothing again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from yuanwen.align import align
from yuanwen.model import Pairing, SourceText, Span, TextMap
from yuanwen.normalize import normalize

if TYPE_CHECKING:
    from yuanwen.library import Library


def locate(reprint: TextMap, sources: SourceText | Library) -> tuple[Pairing, ...]:
    """The reprint's pairings, in order: with the one source given, or with the sources found in the library."""
    if isinstance(sources, SourceText):
        return (Pairing(Span(0, len(reprint.content)), sources, align(sources.text, reprint)),)
    return _in_library(reprint, sources)


def _in_library(reprint: TextMap, library: Library) -> tuple[Pairing, ...]:
    """The reprint cut into parts, each paired with its source in the library or with none."""
    # Imported here: a check against a given source never loads the search (SQLite, NumPy).
    from yuanwen.fingerprint import key_of
    from yuanwen.locate.claims import claims
    from yuanwen.locate.parts import Claimed, parts

    key = key_of(reprint.content)
    found = claims(key.codes, library, reprint.content, key.at)
    sources = {text_id: _stored(text_id, library) for text_id in dict.fromkeys(c.source for c in found)}
    claimed = [
        Claimed(claim, Span(int(key.at[claim.start]), int(key.at[claim.end - 1]) + 1), sources[claim.source])
        for claim in found
    ]
    return parts(reprint, claimed)


def _stored(text_id: str, library: Library) -> SourceText:
    entry = library.entry(text_id)
    return SourceText(text_id, entry.metadata.title, entry.metadata.origin, normalize(library.text(text_id)))
