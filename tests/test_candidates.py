"""Finding a reprint's candidate sources in the library: every fingerprint's texts, weighed and scored,
exactly as a look-up of one fingerprint at a time and a plain sum over each text's hits would give."""

from __future__ import annotations

import random
import re
import sqlite3
from collections import defaultdict
from pathlib import Path

import pytest

from conftest import EXAMPLES
from yuanwen.fingerprint import content_of, fingerprints, gram_hashes, key_of
from yuanwen.library import MIN_SCORE, POSTINGS_CAP, Library, Metadata
from yuanwen.model import Document

Hits = tuple[tuple[int, float], ...]
_SENTENCE = re.compile(r"[^。！？]*[。！？]")


def _texts(count: int) -> list[str]:
    """Texts recombined from the example source's sentences (seeded): each sentence recurs in dozens of
    them, more than the texts a fingerprint's postings are read to, as boilerplate does in a real library."""
    sentences = [s for s in _SENTENCE.findall((EXAMPLES / "source.txt").read_text(encoding="utf-8")) if len(s) >= 4]
    rng = random.Random(7)
    return [f"第{n}号\n" + "\n".join("".join(rng.sample(sentences, 4)) for _ in range(5)) for n in range(count)]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("candidates") / "library.sqlite3"
    with Library(path) as store:
        for _ in store.add_many((Document(None, "txt", text), Metadata()) for text in _texts(120)):
            pass
    return path


def _reference(path: Path, hashes: object, cap: int, min_score: float) -> list[tuple[str, Hits]]:
    """The candidates as the plain algorithm finds them: one query a fingerprint, each text's hits by place."""
    values, positions = fingerprints(hashes)  # type: ignore[arg-type]
    db = sqlite3.connect(path)
    hits: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for value, place in zip(values.tolist(), positions.tolist(), strict=True):
        held = [n for (n,) in db.execute("SELECT rowid FROM grams WHERE grams MATCH ? LIMIT ?", (f'"{value}"', cap))]
        for num in held:
            hits[num].append((place, 1 / len(held)))
    kept = []
    for num, found in hits.items():
        found.sort()
        score = sum(weight for _, weight in found)
        if score >= min_score:
            kept.append((-score, num, tuple(found)))
    kept.sort(key=lambda item: item[:2])
    ids = [str(db.execute("SELECT id FROM texts WHERE num = ?", (num,)).fetchone()[0]) for _, num, _ in kept]
    db.close()
    return [(text_id, found) for text_id, (_, _, found) in zip(ids, kept, strict=True)]


@pytest.mark.parametrize("cap, min_score", [(POSTINGS_CAP, MIN_SCORE), (1024, 0.0)])
def test_candidates_are_those_of_one_lookup_a_fingerprint(library: Path, cap: int, min_score: float) -> None:
    texts = _texts(120)
    reprints = [texts[3], texts[40][:200] + texts[41][-300:], "“" + texts[9][30:90] + "”"]
    weights: set[float] = set()
    with Library.reading(library) as store:
        for _ in range(2):  # the second time from the postings remembered
            for reprint in reprints:
                hashes = gram_hashes(key_of(content_of(reprint)).codes)
                found = [(c.id, c.hits) for c in store.candidates(hashes, cap=cap, min_score=min_score)]
                assert found == _reference(library, hashes, cap, min_score)
                weights |= {weight for _, hits in _reference(library, hashes, cap, 0.0) for _, weight in hits}
    # Fingerprints one text holds (across two sentences), and boilerplate read to the cap, or past it.
    assert 1.0 in weights
    assert (1 / cap in weights) if cap == POSTINGS_CAP else min(weights) < 1 / POSTINGS_CAP
