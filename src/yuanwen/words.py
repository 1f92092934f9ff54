"""Chinese word segmentation and part-of-speech tags (jieba-rs), knowing yuanwen's names and titles."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any


@dataclass(frozen=True)
class Token:
    """A word of a text, with its offsets and part-of-speech tag (jieba's: nr person, m numeral…)."""

    text: str
    start: int
    end: int
    tag: str


class Segmenter:
    """Splits text into words; the terms given are always kept whole."""

    def __init__(self, terms: tuple[tuple[str, str], ...]) -> None:
        # The module's own instance: importing rjieba builds it anyway (0.13 s), and a second
        # one would double that on every start. Terms only ever add words to it.
        import rjieba

        self._jieba: Any = rjieba
        for word, tag in terms:
            rjieba.add_word(word, None, tag)

    def words(self, text: str, offset: int = 0) -> list[Token]:
        """The words of the text, tagged, each with offsets shifted by offset."""
        tokens: list[Token] = []
        at = offset
        for word, tag in self._jieba.tag(text):
            tokens.append(Token(word, at, at + len(word), tag))
            at += len(word)
        return tokens

    def subwords(self, text: str, offset: int = 0) -> list[Token]:
        """Every dictionary word inside the text, overlapping ones too (search mode), untagged."""
        return [
            Token(word, offset + start, offset + end, "") for word, start, end in self._jieba.tokenize(text, "search")
        ]


@cache
def segmenter(terms: tuple[tuple[str, str], ...]) -> Segmenter:
    """One segmenter per set of terms."""
    return Segmenter(terms)
