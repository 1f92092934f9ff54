"""A long excerpt: every edit planted in it is found, exactly, and nothing else is above info."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from conftest import needs_corpus
from pairs import edited_excerpt, large_source
from yuanwen.check import check
from yuanwen.model import Document


@needs_corpus
def test_every_planted_edit_of_a_long_excerpt_is_found() -> None:
    source = large_source(300_000)
    excerpt = edited_excerpt(source, seed=7)
    reprint = excerpt.reprint
    report = check(Document("reprint", "txt", reprint), Document("source", "txt", source))
    graded = Counter(f.kind for f in report.findings if f.severity != "info")
    assert graded == {"substitution": excerpt.words, "punctuation": excerpt.commas}
    assert all("鼐鼒" in f.reprint_text for f in report.findings if f.kind == "substitution")
    assert all(f.rule.startswith(("excerpt.", "header.", "heading.")) for f in report.findings if f.severity == "info")
    for f in report.findings:
        assert source[f.source_span.start : f.source_span.end] == f.source_text
        assert reprint[f.reprint_span.start : f.reprint_span.end] == f.reprint_text
