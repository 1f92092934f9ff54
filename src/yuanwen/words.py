"""Chinese word segmentation and part-of-speech tags (jieba-rs), knowing the rules' names and titles.

A segmenter is built per set of terms and never changed after: a user's --rules words reach only the
checks made with those rules, however many checks one process (a web server, an audit worker) runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from yuanwen.memo import per_rules
from yuanwen.rules import RuleSet, load_rules

# Segmenters kept for the term sets seen last: each holds a dictionary of ~10 MB and takes 0.08 s
# to build, and a process meets few rule sets (the built-in one, and a user's file or two).
_KEPT = 8


@dataclass(frozen=True)
class Token:
    """A word of a text, with its offsets and part-of-speech tag (jieba's: nr person, m numeral…)."""

    text: str
    start: int
    end: int
    tag: str


class Segmenter:
    """Splits text into words; the terms given are always kept whole."""

    def __init__(self, jieba: Any, terms: tuple[tuple[str, str], ...]) -> None:
        self._jieba = jieba
        for word, tag in terms:
            jieba.add_word(word, None, tag)

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


@per_rules
def rules_segmenter(rules: RuleSet) -> Segmenter:
    """The segmenter that keeps the rules' names, titles and organisations whole."""
    terms = _terms(rules)
    return _segmenter(terms, builtin=terms == _terms(load_rules()))


def _terms(rules: RuleSet) -> tuple[tuple[str, str], ...]:
    return (
        *((w, "nr") for w in rules.words("leaders")),
        *((w, "n") for w in rules.words("titles")),
        *((w, "nt") for w in rules.words("organisations")),
    )


@lru_cache(maxsize=_KEPT)
def _segmenter(terms: tuple[tuple[str, str], ...], builtin: bool) -> Segmenter:
    """A segmenter of its own for each term set; the built-in one gets rjieba's module instance,
    which importing rjieba builds anyway (a second one would add 0.08 s to every start) and which
    only ever holds the built-in terms."""
    import rjieba

    return Segmenter(rjieba if builtin else rjieba.Jieba(), terms)
