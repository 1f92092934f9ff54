"""Test pairs for benchmarks: a large source built from the corpus and an edited excerpt of it."""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Real texts made by others, read beside the checkout (origins in ../shared/corpus/SOURCES.md).
CORPUS = ROOT.parent / "shared" / "corpus" / "texts"
HEADER = "河北轨道运输职业技术学院\n政治学习资料\n宣传统战部编印\n第 22 期\n"
# Han characters shifted by this many code points make a second, different text with the
# corpus's statistics: the corpus alone has 743,693 characters, short of a million.
_SHIFT = 7


def process_seconds(*args: str, runs: int) -> float:
    """Median wall time of a whole `yuanwen` process with these arguments."""
    command = [str(Path(sys.executable).parent / "yuanwen"), *args]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def require_corpus() -> None:
    """Stop the benchmark with one line when the corpus beside the checkout is absent."""
    if not any(CORPUS.glob("*.txt")):
        sys.exit(print(f"skipped: the corpus is absent ({CORPUS}); this benchmark is made from it"))


def corpus_paragraphs() -> list[str]:
    """Every paragraph of the corpus, in file order; the benchmark stops, saying so, when it is absent."""
    require_corpus()
    return [
        line for path in sorted(CORPUS.glob("*.txt")) for line in path.read_text(encoding="utf-8").splitlines() if line
    ]


def large_source(chars: int) -> str:
    """About `chars` characters of official prose, one paragraph per line, no paragraph repeated."""
    paragraphs = corpus_paragraphs()
    out: list[str] = []
    total, shift = 0, 0
    while total < chars:
        for paragraph in paragraphs:
            line = "".join(chr(ord(c) + shift) if "\u4e00" <= c <= "\u9f00" else c for c in paragraph)
            out.append(line)
            total += len(line) + 1
            if total >= chars:
                break
        shift += _SHIFT
    return "\n".join(out) + "\n"


@dataclass(frozen=True)
class Excerpt:
    """An edited excerpt and what was planted in it."""

    reprint: str
    words: int
    commas: int


def edited_excerpt(source: str, seed: int = 1) -> Excerpt:
    """The source with ~30% of paragraphs dropped, words and commas changed, a header added."""
    rng = random.Random(seed)
    kept: list[str] = []
    words = commas = 0
    for paragraph in source.splitlines():
        if rng.random() < 0.3:
            continue
        if len(paragraph) > 40 and rng.random() < 0.05:
            at = rng.randrange(10, len(paragraph) - 10)
            paragraph = paragraph[:at] + "鼐鼒" + paragraph[at + 2 :]
            words += 1
        if "，" in paragraph and rng.random() < 0.05:
            paragraph = paragraph.replace("，", ",", 1)
            commas += 1
        kept.append(paragraph)
    return Excerpt(HEADER + "\n".join(kept) + "\n", words, commas)
