"""How fast the editor's outputs are on a 1,000,000-character pair: HTML, DOCX and the fixed text.

The pair is the corpus made up to a million characters, its reprint an edited excerpt (about 30%
of paragraphs dropped, about 200 words and 200 commas changed, a header added). Check runs once;
each renderer is then timed. Target on a 2-core machine: under 2 s for each render."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from pairs import edited_excerpt, large_source

TARGET_SECONDS = 2.0
CHARS = 1_000_000
T = TypeVar("T")


def _timed(action: Callable[[], T], runs: int = 3) -> tuple[float, T]:
    """Median seconds of an action over a few runs, and its result."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _own_docx(reprint: str, folder: Path) -> Path:
    """The reprint saved as a user's .docx, one paragraph per line."""
    from yuanwen.check import check
    from yuanwen.model import Document
    from yuanwen.render.docx import render_docx

    # A report without findings renders the plain reprint: the quickest way to a real .docx.
    plain = check(Document("reprint", "txt", reprint), Document("reprint", "txt", reprint))
    path = folder / "reprint.docx"
    path.write_bytes(render_docx(plain))
    return path


def main() -> int:
    from yuanwen.check import check
    from yuanwen.extract import read_document
    from yuanwen.fix import corrected
    from yuanwen.model import Document
    from yuanwen.render.docx import render_docx
    from yuanwen.render.html import render_html

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source_text = large_source(CHARS)
        excerpt = edited_excerpt(source_text)
        reprint_text = excerpt.reprint
        source_path = folder / "source.txt"
        source_path.write_text(source_text, encoding="utf-8")
        source = Document(str(source_path), "txt", source_text)
        print(
            f"source {len(source_text):,} chars, reprint {len(reprint_text):,} chars, "
            f"{excerpt.words} words and {excerpt.commas} commas changed"
        )

        seconds, report = _timed(lambda: check(Document("reprint.txt", "txt", reprint_text), source), runs=1)
        print(f"check once          {seconds:6.2f} s   {len(report.findings)} findings")

        failed = False
        own = read_document(_own_docx(reprint_text, folder))
        own_report = check(own, source)
        kinds = frozenset({"substitution", "punctuation"})
        actions: tuple[tuple[str, Callable[[], str | bytes]], ...] = (
            ("render html", lambda: render_html(report)),
            ("render docx (txt)", lambda: render_docx(report)),
            ("render docx (own)", lambda: render_docx(own_report)),
            ("fix txt", lambda: corrected(report, kinds)),
            ("fix docx (own)", lambda: corrected(own_report, kinds)),
        )
        for name, action in actions:
            seconds, output = _timed(action)
            size = len(output.encode("utf-8") if isinstance(output, str) else output)
            verdict = "ok" if seconds < TARGET_SECONDS else "SLOW"
            failed |= seconds >= TARGET_SECONDS
            print(f"{name:<19} {seconds:6.2f} s   {size / 1e6:5.1f} MB   {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
