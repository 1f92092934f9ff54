"""A reprint that differs from its source only in how marks, digits, letters and zeros are printed
is faithful: on every corpus text, no finding above minor."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import TEXT_FILES, needs_corpus
from yuanwen.check import check
from yuanwen.model import Document

# Each mark of the other width (，→ , ；→ ; “ → "), each digit and letter full-width (5% → ５％), and
# the zero of a year printed as the other circle (一九五○ ↔ 一九五〇): all at once, everywhere.
_MARKS = str.maketrans(
    {
        "，": ",",
        "；": ";",
        "：": ":",
        "！": "!",
        "？": "?",
        "（": "(",
        "）": ")",
        "“": '"',
        "”": '"',
        "〇": "○",
        "○": "〇",
    }
)
_WIDE = {ord(c): ord(c) + 0xFEE0 for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz%."}


@needs_corpus
@pytest.mark.parametrize("path", TEXT_FILES, ids=lambda p: p.name)
def test_every_width_and_mark_variation_is_minor_at_most(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    reprint = source.translate(_MARKS).translate(_WIDE)
    findings = check(Document("reprint", "txt", reprint), Document("source", "txt", source)).findings
    assert findings, "the reprint differs from its source"
    graver = [(f.rule, f.source_text, f.reprint_text) for f in findings if f.severity in ("critical", "major")]
    assert graver == []
