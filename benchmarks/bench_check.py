"""How fast `check` is: the example pair (whole process and in-process) and a 1M-character pair.

Targets on a 2-core machine: the example pair under 0.3 s as a whole process; a 1,000,000-character
source against an edited excerpt under 1 s in-process and under 500 MB peak memory."""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from pairs import CORPUS, ROOT, edited_excerpt, large_source, process_seconds, require_corpus

EXAMPLES = ROOT / "examples"


def _cli_seconds(runs: int = 7) -> float:
    """Median wall time of the whole `yuanwen check` process on the example pair."""
    return process_seconds("check", str(EXAMPLES / "reprint.txt"), "--source", str(EXAMPLES / "source.txt"), runs=runs)


def _in_process(reprint: str, source: str, runs: int) -> tuple[float, float, int]:
    """First-call and median seconds of check() on a pair, and its number of findings."""
    from yuanwen.check import check
    from yuanwen.model import Document

    times, count = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        report = check(Document("reprint", "txt", reprint), Document("source", "txt", source))
        times.append(time.perf_counter() - start)
        count = len(report.findings)
    return times[0], statistics.median(times[1:] or times), count


def _large_in_child(chars: int) -> dict[str, float]:
    """Check a large pair in a fresh process, so that its peak memory is the check's own."""
    code = (
        "import json,resource,sys,time;sys.path.insert(0,'benchmarks');import bench_check as b;"
        f"print(json.dumps(b.large({chars})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    result: dict[str, float] = json.loads(out.stdout)
    return result


def large(chars: int) -> dict[str, float]:
    source = large_source(chars)
    excerpt = edited_excerpt(source)
    reprint, edits = excerpt.reprint, excerpt.words + excerpt.commas
    first, median, findings = _in_process(reprint, source, runs=3)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "source_chars": len(source),
        "reprint_chars": len(reprint),
        "edits": edits,
        "findings": findings,
        "first_s": first,
        "median_s": median,
        "peak_mb": peak_mb,
    }


# A booklet of three corpus excerpts, a word changed in each paragraph: (file, first paragraph,
# paragraphs, word, new word).
BOOKLET = (
    ("0012.txt", 20, 4, "经济", "金融"),
    ("0030.txt", 40, 3, "加快", "加速"),
    ("0024.txt", 30, 3, "推进", "推动"),
)


def booklet_in_library(runs: int = 15) -> tuple[float, int]:
    """Median seconds to check a three-part booklet against a library of the corpus, and its sources found."""
    import tempfile

    from yuanwen.check import check
    from yuanwen.extract import read_each
    from yuanwen.library import Library
    from yuanwen.model import Document

    require_corpus()
    parts = ["学习资料汇编\n第 3 期\n\n"]
    for name, start, count, word, new in BOOKLET:
        lines = [line for line in (CORPUS / name).read_text(encoding="utf-8").splitlines() if line]
        parts.extend(line.replace(word, new, 1) + "\n" for line in lines[start : start + count])
    booklet = Document("booklet.txt", "txt", "".join(parts))
    with tempfile.TemporaryDirectory() as folder, Library(Path(folder) / "library.sqlite3") as library:
        list(library.import_documents(read_each(sorted(CORPUS.glob("*.txt")))))
        check(booklet, library)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            report = check(booklet, library)
            times.append(time.perf_counter() - start)
    return statistics.median(times), len(report.sources)


def main() -> None:
    source, reprint = (EXAMPLES / "source.txt").read_text(), (EXAMPLES / "reprint.txt").read_text()
    print(f"example pair, whole CLI process (median of 7): {_cli_seconds():.3f} s   target < 0.3 s")
    first, median, findings = _in_process(reprint, source, runs=11)
    print(f"example pair, in-process: first {first:.3f} s, then median {median * 1000:.1f} ms ({findings} findings)")
    for chars in (100_000, 1_000_000):
        r = _large_in_child(chars)
        print(
            f"{r['source_chars']:,.0f}-char source vs {r['reprint_chars']:,.0f}-char edited excerpt "
            f"({r['edits']:.0f} edits, {r['findings']:.0f} findings): first {r['first_s']:.2f} s, "
            f"median {r['median_s']:.2f} s, peak {r['peak_mb']:.0f} MB   target < 1 s, < 500 MB at 1M"
        )
    seconds, sources = booklet_in_library()
    print(f"three-part booklet against a library of the corpus: median {seconds * 1000:.1f} ms ({sources} sources)")


if __name__ == "__main__":
    main()
