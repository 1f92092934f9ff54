"""Fingerprints of texts, shared by the library (to store them) and the search for sources (to match them).

1. Key: the content's letters and digits, punctuation dropped, full width and case folded, so a
   reprint that changed every comma or digit's width still shares its 12-grams with the source.
2. Fingerprints: the 12-grams whose mixed hash has its top bits zero, chosen by the gram alone,
   so a passage has the same fingerprints in every text that holds it; and where WINDOW grams in a
   row hold none of those, the least-hash gram of each such window (winnowing, Schleimer, Wilkerson
   and Aiken, SIGMOD 2003), so every passage of WINDOW + GRAM - 1 key characters two texts share
   gives both a fingerprint, however short the query.
"""

from __future__ import annotations

import hashlib
import sys
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from yuanwen.chars import is_layout

if TYPE_CHECKING:
    import numpy as np

# 12 characters, for alignment anchors (yuanwen.align) and fingerprints alike: a Chinese string
# this long almost never recurs by chance, and a retyped text keeps most of its 12-grams between edits.
GRAM = 12
# One 12-gram in 2**4 = 16 is a fingerprint: ~180 for a 3,000-character text, ~4 for an
# 80-character quotation. Measured on 10,000 texts (benchmarks/bench_library.py): one in 8 imports
# 2,000 texts/s and finds a whole text's source in 34 ms, one in 16 3,100/s and 17 ms, one in 32
# 3,600/s and 10 ms; all three find every whole text's and excerpt's source, but the benchmark's
# two-sentence quotations (every sentence in ~40 texts) 61%, 32% and 11%, and one in 32 misses 2%
# of booklets.
SAMPLE_BITS = 4
# Windows of this many grams with no sampled gram get their least one too: ~1 window in 8 of a text,
# 24% more fingerprints in the corpus (36 grams: 18%, 40: 13%), and a passage of 43 key characters
# (a 60-character quotation has ~52) always holds one. Sampling alone left a 60-character quotation
# none 5.5% of the time (11 of 200 of benchmarks/bench_library.py's quotations at 20,000 texts).
WINDOW = 32
# Empty windows whose grams are copied at once, so that a long text's copy stays small.
_CHUNK = 1 << 14
# Below this many characters in all, Python's own loops (dictionaries of grams, regular
# expressions) finish sooner than importing NumPy takes (0.15 s); above it, or once NumPy is loaded
# (a library was searched, a worker warmed up), NumPy's bulk passes are faster: anchors 1.8 times at
# 600 characters, 3.6 times at 20,000 (benchmarks/bench_check.py's pairs; at 200 characters the
# dictionaries are faster).
_NUMPY_FROM = 60_000
_NUMPY_LOADED_FROM = 500
_LAYOUT, _MARK, _KEY = 0, 1, 2
_MIX = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93)


@dataclass(frozen=True)
class Key:
    """A text's letters and digits (punctuation dropped, width and case folded), each with its content offset."""

    codes: np.ndarray
    at: np.ndarray


def content_of(text: str) -> str:
    """The text without layout, as yuanwen.normalize's content, computed in bulk."""
    codes = _codes(text)
    kept: bytes = codes[_classes_of(codes) != _LAYOUT].tobytes()
    return kept.decode("utf-32-le", "surrogatepass")


def in_bulk(size: int) -> bool:
    """Whether a text of this many characters is best done in NumPy (see _NUMPY_FROM)."""
    return size >= (_NUMPY_LOADED_FROM if "numpy" in sys.modules else _NUMPY_FROM)


def content_places(text: str) -> tuple[str, np.ndarray, np.ndarray]:
    """The text without layout (yuanwen.normalize's content), each content character's offset in the
    text, and the number of content characters on each line, computed in bulk."""
    import numpy as np

    codes = _codes(text)
    places = np.flatnonzero(_classes_of(codes) != _LAYOUT)
    content: str = codes[places].tobytes().decode("utf-32-le", "surrogatepass")
    before_newlines = np.searchsorted(places, np.flatnonzero(codes == ord("\n")))
    return content, places, np.diff(before_newlines, prepend=0, append=len(places))


def key_of(content: str) -> Key:
    """The content's key characters, folded, and where each stands in the content."""
    import numpy as np

    codes = _codes(content)
    at = np.flatnonzero(_classes_of(codes) == _KEY)
    return Key(codes=_folded(codes[at]), at=at)


def gram_hashes(codes: np.ndarray) -> np.ndarray:
    """A well-mixed 64-bit hash of every GRAM-gram of the key codes, by doubling (2, 4, 8, 8 + 4)."""
    import numpy as np

    if len(codes) < GRAM:
        return np.zeros(0, dtype=np.uint64)
    m = [np.uint64(c) for c in _MIX]
    # In place, each step's array dropped once the next is made: 16 bytes a character at the peak
    # instead of 40 (tracemalloc, a 2,000,000-character text).
    h2 = codes[:-1] * m[0]
    h2 += codes[1:]
    h4 = h2[:-2] * m[1]
    h4 += h2[2:]
    del h2
    h8 = h4[:-4] * m[2]
    h8 += h4[4:]
    hashes: np.ndarray = h8[:-4]
    del h8
    hashes *= m[3]
    hashes += h4[8:]
    # A final mix (as in MurmurHash3's) so the top bits that pick fingerprints are uniform; the
    # shifts written into h4, done with, rather than a third array (20 bytes a character at the peak, not 28).
    shifted = h4[: len(hashes)]
    hashes ^= np.right_shift(hashes, np.uint64(31), out=shifted)
    hashes *= m[0]
    hashes ^= np.right_shift(hashes, np.uint64(29), out=shifted)
    return hashes


def fingerprints(hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The fingerprinted grams (sampled, and the least of windows with none): 32-bit values, key positions."""
    import numpy as np

    sampled = (hashes >> np.uint64(64 - SAMPLE_BITS)) == 0
    positions = np.union1d(np.flatnonzero(sampled), _gap_minima(hashes, sampled))
    return (hashes[positions] >> np.uint64(32)).astype(np.int64), positions


def _gap_minima(hashes: np.ndarray, sampled: np.ndarray) -> np.ndarray:
    """The least-hash gram (the rightmost on a tie) of every window of WINDOW grams holding no sampled
    gram; of all the grams when there are fewer than a window's and none is sampled."""
    import numpy as np
    from numpy.lib.stride_tricks import sliding_window_view

    size = min(WINDOW, len(hashes))
    held = np.concatenate(([0], np.cumsum(sampled)))
    empty = np.flatnonzero(held[size:] == held[:-size]) if size else np.zeros(0, dtype=np.int64)
    if not len(empty):
        return empty
    view = sliding_window_view(hashes, size)
    # The empty windows' grams are copied a chunk at a time, so a long text's stay small.
    least = [
        chunk + size - 1 - np.argmin(view[chunk][:, ::-1], axis=1)
        for chunk in np.array_split(empty, 1 + len(empty) // _CHUNK)
    ]
    return np.unique(np.concatenate(least))


def digest_and_fingerprints(text: str) -> tuple[bytes, list[int]]:
    """The content hash (sha256 of the UTF-8 content; empty for no content) and the fingerprint values."""
    codes = _codes(text)
    classes = _classes_of(codes)
    content: bytes = codes[classes != _LAYOUT].tobytes()
    if not content:
        return b"", []
    values, _ = fingerprints(gram_hashes(_folded(codes[classes == _KEY])))
    digest = hashlib.sha256(content.decode("utf-32-le", "surrogatepass").encode("utf-8", "surrogatepass")).digest()
    return digest, values.tolist()


def text_codes(text: str) -> np.ndarray:
    """Every character's code point, as 64-bit codes for gram_hashes."""
    import numpy as np

    return _codes(text).astype(np.uint64)


def code_points(text: str) -> np.ndarray:
    """Every character's code point, 4 bytes each (half of text_codes's)."""
    return _codes(text)


def _codes(text: str) -> np.ndarray:
    import numpy as np

    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _classes_of(codes: np.ndarray) -> np.ndarray:
    """Each code point's class: layout, punctuation or symbol (a mark), or key; beyond the BMP, key."""
    import numpy as np

    return np.where(codes > 0xFFFF, np.uint8(_KEY), _class_table()[codes & 0xFFFF])


@cache
def _class_table() -> np.ndarray:
    """The class of every BMP code point (built once, ~15 ms)."""
    import numpy as np

    table = np.full(0x10000, _KEY, dtype=np.uint8)
    for code in range(0x10000):
        char = chr(code)
        if is_layout(char):
            table[code] = _LAYOUT
        elif unicodedata.category(char)[0] not in "LNM" and unicodedata.category(char) != "Co":
            table[code] = _MARK
    return table


def _folded(codes: np.ndarray) -> np.ndarray:
    """Full-width ASCII to ASCII and Latin capitals to small letters, as 64-bit codes."""
    import numpy as np

    folded: np.ndarray = np.where(codes > 0xFFFF, codes, _fold_table()[codes & 0xFFFF]).astype(np.uint64)
    return folded


@cache
def _fold_table() -> np.ndarray:
    import numpy as np

    table = np.arange(0x10000, dtype=np.uint32)
    table[0xFF01:0xFF5F] -= 0xFEE0
    table[ord("A") : ord("Z") + 1] += 32
    table[0xFF21:0xFF3B] = table[ord("a") : ord("z") + 1]
    return table
