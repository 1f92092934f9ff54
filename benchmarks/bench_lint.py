"""How fast `yuanwen lint` is: a 100,000-character text as a whole process and in-process.

Target on a 2-core machine: under 1 s for the whole `yuanwen lint` process."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from pairs import HEADER, large_source, process_seconds


def _in_process(text: str, runs: int = 5) -> tuple[float, float, int]:
    """First-call and median seconds of lint() on a text, and its number of findings."""
    from yuanwen.lint import lint
    from yuanwen.model import Document
    from yuanwen.rules import load_rules

    times, count = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        result = lint(Document("text", "txt", text), load_rules())
        times.append(time.perf_counter() - start)
        count = len(result.findings)
    return times[0], statistics.median(times[1:]), count


def main(chars: int = 100_000) -> None:
    text = HEADER + "2023 年 5 月\n" + large_source(chars)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "text.txt"
        path.write_text(text, encoding="utf-8")
        process = process_seconds("lint", str(path), runs=5)
    first, median, findings = _in_process(text)
    print(
        f"yuanwen lint, {len(text):,}-char text: whole process (median of 5) {process:.2f} s, "
        f"in-process first {first:.2f} s then median {median * 1000:.0f} ms ({findings} findings)   target < 1 s"
    )


if __name__ == "__main__":
    main()
