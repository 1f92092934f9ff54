"""Text as read → TextMap: content characters only, each mapped to its offset in the text as read.

Layout is not content: whitespace of every kind (hard wraps, blank lines, page breaks, the spaces a
PDF puts between CJK and digits, zero-width marks) is dropped, so it can never produce a finding;
so is the page furniture a text copied out of a PDF keeps (`furniture`), and the words on either
side of it join.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import Counter

from yuanwen.chars import CLOSERS, CONTENT, SENTENCE_ENDS
from yuanwen.fingerprint import content_places, in_bulk
from yuanwen.furniture import furniture
from yuanwen.model import TextMap

# A text is hard-wrapped when this share of its lines have about the same length (seen: the
# example source, from a PDF, has 88% of its lines within two characters of the commonest length).
_WRAPPED_SHARE = 0.4
# In a hard-wrapped text, a line shorter than this share of the wrap width ends its paragraph;
# 0.85 tolerates lines made shorter by half-width digits and Latin letters.
_SHORT_LINE = 0.85


def normalize(text: str) -> TextMap:
    """Split a text into its content characters and the map back to the text as read."""
    bare = _without_furniture(text)
    # 4 bytes an offset, not 8: a text read whole in memory is far shorter than 2**31 characters.
    offsets = array("i")
    if in_bulk(len(bare)):  # the same content and offsets, 0.1 s sooner at a million characters
        content, places, lengths = content_places(bare)
        offsets.frombytes(places.astype(f"int{8 * offsets.itemsize}").data.cast("B"))
        return TextMap(text, content, offsets, _paragraph_starts(lengths.tolist()))
    parts: list[str] = []
    for match in CONTENT.finditer(bare):
        parts.append(match.group())
        offsets.extend(range(match.start(), match.end()))
    counts = [len("".join(CONTENT.findall(line))) for line in bare.split("\n")]
    return TextMap(text, "".join(parts), offsets, _paragraph_starts(counts))


def _without_furniture(text: str) -> str:
    """The text with its page furniture blanked out, offsets unchanged."""
    spans = furniture(text)
    if not spans:
        return text
    parts: list[str] = []
    done = 0
    for span in spans:
        # Blanked with spaces, newlines kept: a furniture line becomes an empty line, not content.
        parts += [text[done : span.start], "".join(c if c == "\n" else " " for c in text[span.start : span.end])]
        done = span.end
    parts.append(text[done:])
    return "".join(parts)


def _paragraph_starts(lengths: list[int]) -> tuple[int, ...]:
    """Content offsets where a paragraph starts (after each line that ends one), from each line's content characters."""
    width = _wrap_width([n for n in lengths if n])
    starts: list[int] = []
    seen = 0
    previous = 0
    for length in lengths:
        if not length:
            continue
        if seen and (width is None or previous < _SHORT_LINE * width):
            starts.append(seen)
        seen += length
        previous = length
    return tuple(starts)


def _wrap_width(lengths: list[int]) -> int | None:
    """The line width of a hard-wrapped text, or None when each line is a paragraph."""
    long_lines = [n for n in lengths if n >= 10]
    if len(lengths) < 5 or not long_lines:
        return None
    common = Counter(long_lines).most_common(1)[0][0]
    near = sum(1 for n in lengths if common - 2 <= n <= common + 1)
    return common if near >= _WRAPPED_SHARE * len(lengths) else None


def paragraph_edge(text: TextMap, at: int) -> bool:
    """Whether a paragraph of the text starts or ends at a content offset."""
    starts = text.paragraph_starts
    i = bisect_left(starts, at)
    return at in (0, len(text.content)) or (i < len(starts) and starts[i] == at)


def is_boundary(text: TextMap, i: int) -> bool:
    """True where a sentence or paragraph of the text starts or ends."""
    c = text.content
    if i <= 0 or i >= len(c):
        return True
    j = bisect_left(text.paragraph_starts, i)
    if j < len(text.paragraph_starts) and text.paragraph_starts[j] == i:
        return True
    return c[i - 1] in SENTENCE_ENDS or (c[i - 1] in CLOSERS and i >= 2 and c[i - 2] in SENTENCE_ENDS)
