"""The segmenter that loads only the dictionary words a text holds cuts and tags as the whole dictionary does."""

from __future__ import annotations

import pytest
import rjieba

from conftest import EXAMPLES, corpus_files
from yuanwen import words
from yuanwen.rules import load_rules
from yuanwen.words import Segmenter, _terms

TERMS = _terms(load_rules())


def _whole() -> rjieba.Jieba:
    """jieba-rs with its whole dictionary and the built-in terms: the reference."""
    jieba = rjieba.Jieba()
    for word, tag in TERMS:
        jieba.add_word(word, None, tag)
    return jieba


def _partial(monkeypatch: pytest.MonkeyPatch) -> Segmenter:
    """A segmenter that never builds the whole dictionary, however much it cuts."""
    monkeypatch.setattr(words, "_LOOKUPS", 10**12)
    segmenter = Segmenter(TERMS)
    segmenter.words("")
    assert segmenter._partial is not None, "the dictionary file could not be built"
    return segmenter


def _sentences(text: str) -> list[str]:
    return [s for line in text.splitlines() for s in line.replace("。", "。\n").splitlines() if s.strip()]


def test_the_example_is_cut_and_tagged_as_by_the_whole_dictionary(monkeypatch: pytest.MonkeyPatch) -> None:
    whole = _whole()
    partial = _partial(monkeypatch)
    for name in ("source.txt", "reprint.txt"):
        for sentence in _sentences((EXAMPLES / name).read_text(encoding="utf-8")):
            assert [(t.text, t.tag) for t in partial.words(sentence)] == whole.tag(sentence)
            subwords = [(t.text, t.start, t.end) for t in partial.subwords(sentence)]
            assert subwords == whole.tokenize(sentence, "search")


def test_the_corpus_is_cut_and_tagged_as_by_the_whole_dictionary(monkeypatch: pytest.MonkeyPatch) -> None:
    whole = _whole()
    differ = []
    for path in corpus_files()[::6]:  # a fresh segmenter a text, as a check makes; every 6th text (all 42 agree: 38 s)
        partial = _partial(monkeypatch)
        for sentence in _sentences(path.read_text(encoding="utf-8")):
            if [(t.text, t.tag) for t in partial.words(sentence)] != whole.tag(sentence):
                differ.append((path.name, sentence))
    assert not differ


def test_a_segmenter_builds_the_whole_dictionary_once_it_has_looked_up_that_much() -> None:
    segmenter = Segmenter(TERMS)
    short = "国务院总理李强在人民大会堂会见了来访的客人。"
    assert [t.text for t in segmenter.words(short)][:2] == ["国务院总理", "李强"]
    assert segmenter._partial is not None and segmenter._jieba is None
    long = short * (words._LOOKUPS // len(short) // segmenter._partial.longest + 1)
    assert len(segmenter.words(long)) == len(long) // len(short) * len(segmenter.words(short))
    assert segmenter._partial is None and segmenter._jieba is not None
