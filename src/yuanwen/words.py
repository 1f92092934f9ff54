"""Chinese word segmentation and part-of-speech tags (jieba-rs), knowing the rules' names and titles.

A segmenter is built per set of terms and never changed after: a user's --rules words reach only the
checks made with those rules, however many checks one process (a web server, an audit worker) runs.

jieba-rs builds its whole dictionary (349,046 words) in 0.1 s of CPU, more than the rest of a small
check. Yet a text's cut and tags depend only on the dictionary's words inside that text and on its
total frequency: jieba-rs looks up the words of each block's graph, the HMM's unknown-word test and
the tags by strings of the text alone. So a segmenter starts from an empty jieba and, before each
cut, adds the dictionary words inside the text (yuanwen.lexicon), with one entry no cut can yield
holding the rest of the total: the same cuts and tags as the whole dictionary's (tests/test_words.py
compares them on the corpus). Once it has looked up as many strings as building the whole
dictionary costs, it builds that, so a worker checking many documents pays 0.1 s once.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
import threading
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from yuanwen.lexicon import Lexicon, open_lexicon
from yuanwen.memo import per_rules
from yuanwen.rules import RuleSet

# Segmenters kept for the term sets seen last: each holds up to a dictionary of ~10 MB, and a
# process meets few rule sets (the built-in one, and a user's file or two).
_KEPT = 8
# Strings looked up in the dictionary file before the whole dictionary is built instead: ~1 µs
# each (the example pair looks up ~4,500, a document of the audit benchmark a few thousand), against
# 0.1 s for the whole one; a process that goes on to build it has paid at most 30% more.
_LOOKUPS = 30_000
# Two spaces: jieba yields white space one character at a time, so no cut ever holds this entry.
_REST = "  "


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
        self._terms = terms
        self._jieba: Any = None
        self._partial: _Partial | None = None
        self._lock = threading.Lock()  # the web app's threads share a segmenter, which grows as it cuts

    def words(self, text: str, offset: int = 0) -> list[Token]:
        """The words of the text, tagged, each with offsets shifted by offset."""
        with self._lock:
            tagged = self._ready(text).tag(text)
        tokens: list[Token] = []
        at = offset
        for word, tag in tagged:
            tokens.append(Token(word, at, at + len(word), tag))
            at += len(word)
        return tokens

    def subwords(self, text: str, offset: int = 0) -> list[Token]:
        """Every dictionary word inside the text, overlapping ones too (search mode), untagged."""
        with self._lock:
            found = self._ready(text).tokenize(text, "search")
        return [Token(word, offset + start, offset + end, "") for word, start, end in found]

    def _ready(self, text: str) -> Any:
        """The jieba to cut text with: one holding every dictionary word inside it."""
        if self._jieba is None and self._partial is None:
            lexicon = open_lexicon()
            if lexicon is not None:
                self._partial = _Partial(lexicon, self._terms)
        if self._partial is not None and self._partial.looked_up + len(text) * self._partial.longest > _LOOKUPS:
            self._partial = None
        if self._partial is not None:
            self._partial.load(text)
            return self._partial.jieba
        if self._jieba is None:
            self._jieba = _with_terms(_jieba_class()(), self._terms)
        return self._jieba


class _Partial:
    """An empty jieba given the dictionary's words as the texts it cuts hold them, the rest of the
    dictionary's total frequency standing as one entry."""

    def __init__(self, lexicon: Lexicon, terms: tuple[tuple[str, str], ...]) -> None:
        self._lexicon = lexicon
        self.longest: int = lexicon.longest
        self.jieba = _jieba_class().empty()
        self.looked_up = 0
        self._seen: set[str] = set()
        self._loaded = 0  # the frequencies of the dictionary words added
        # A term's frequency is suggested from the dictionary's words inside it and the total.
        for word, _ in terms:
            self.load(word)
        _with_terms(self.jieba, terms)

    def load(self, text: str) -> None:
        """Add the dictionary's words inside text, and keep the total the whole dictionary's."""
        size = len(text)
        strings = {text[i:j] for i in range(size) for j in range(i + 1, min(size, i + self.longest) + 1)}
        strings -= self._seen
        self.looked_up += len(strings)
        self._seen |= strings
        for entry in self._lexicon.entries(strings):
            self.jieba.add_word(entry.word, entry.freq, entry.tag)
            self._loaded += entry.freq
        self.jieba.add_word(_REST, self._lexicon.total - self._loaded, "x")


def _with_terms(jieba: Any, terms: tuple[tuple[str, str], ...]) -> Any:
    for word, tag in terms:
        jieba.add_word(word, None, tag)
    return jieba


@per_rules
def rules_segmenter(rules: RuleSet) -> Segmenter:
    """The segmenter that keeps the rules' names, titles and organisations whole."""
    return _segmenter(_terms(rules))


def _terms(rules: RuleSet) -> tuple[tuple[str, str], ...]:
    return (
        *((w, "nr") for w in rules.words("leaders")),
        *((w, "n") for w in rules.words("titles")),
        *((w, "nt") for w in rules.words("organisations")),
    )


@lru_cache(maxsize=_KEPT)
def _segmenter(terms: tuple[tuple[str, str], ...]) -> Segmenter:
    """A segmenter of its own for each term set."""
    return Segmenter(terms)


@cache
def _jieba_class() -> Any:
    """rjieba's Jieba, from its extension module alone: importing the rjieba package builds a default
    dictionary (0.1 s) that yuanwen never cuts with. Laid out otherwise, the package is imported."""
    name = "rjieba.rjieba"
    if name in sys.modules:
        return sys.modules[name].Jieba
    package = importlib.util.find_spec("rjieba")
    for folder in (package.submodule_search_locations or []) if package else []:
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            spec = importlib.util.spec_from_file_location(name, Path(folder) / f"rjieba{suffix}")
            if spec is None or spec.loader is None or not Path(spec.origin or "").is_file():
                continue
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module  # so that a later `import rjieba` takes this one, not a second
            spec.loader.exec_module(module)
            return module.Jieba
    import rjieba

    return rjieba.Jieba
