"""What kind of character a character is, in one place: layout, punctuation, the ends of sentences.

Every stage reads these definitions, so what one stage takes for content another cannot take for layout.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Format characters that carry no text (web and Wikisource copies are sprinkled with them): like
# whitespace, they are layout, never content.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# A run of content characters: everything but whitespace of every kind and the zero-width marks.
CONTENT = re.compile(f"[^\\s{ZERO_WIDTH}]+")
SENTENCE_ENDS = frozenset("。！？!?…")
# Closing marks that may follow a sentence's end: 。” still ends the sentence.
CLOSERS = frozenset("”’」』）)》")
# Quotation marks and brackets: a sentence of a part never runs across them, and alone between
# parts they are the reprint's framing of a quotation.
FRAMES = frozenset("“”‘’「」『』（）()《》〈〉【】〔〕[]{}")
# The full-width forms of ASCII (Ａ, ２, ＋, ％) and of ¢ £ ¥: the same character in another width.
_WIDTH_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0xFFE0: 0xA2, 0xFFE1: 0xA3, 0xFFE5: 0xA5}
# Marks Unicode files as symbols (Sm, Po…) that a proof-reader counts as punctuation all the same.
_EXTRA_PUNCTUATION = frozenset("～·•")


def is_layout(char: str) -> bool:
    """True for whitespace of every kind and the zero-width marks."""
    return char.isspace() or char in ZERO_WIDTH


# Remembered per character: the stages ask of each character of every text, a few million times
# per audit; a text holds a few thousand distinct characters, and the bound keeps hostile input small.
@lru_cache(maxsize=1 << 16)
def is_mark(char: str) -> bool:
    """True for one punctuation mark."""
    return unicodedata.category(char).startswith("P") or char in _EXTRA_PUNCTUATION


def is_punctuation(text: str) -> bool:
    """True for a non-empty text of punctuation marks only."""
    return bool(text) and all(map(is_mark, text))


def fold_width(text: str) -> str:
    """The text with full-width forms of ASCII characters made half-width, and nothing else changed."""
    return text.translate(_WIDTH_FOLD)
