"""How fast `check` is, each figure beside its anchor measured in the same run.

Anchors: the example pair as a whole process beside a difflib script (benchmarks/difflib_pair.py);
an edited excerpt of 10,000, 100,000 and 1,000,000 characters in-process beside diff-match-patch
(the C++ one yuanwen itself uses, `fast_diff_match_patch.diff`) on the same pair, and at 1M also
beside the floor of reading both files and one str.translate pass over each. CPU seconds throughout
(the machine is shared), medians of interleaved rounds. Targets (issue 21): the example process
<= 2.5x difflib; 10k <= 10 ms after the first check and <= 7x diff-match-patch; 1M <= 1.0x
diff-match-patch and <= 5x the floor; <= 60 bytes of peak memory a source character at 5M.

    python benchmarks/bench_check.py            # writes benchmarks/out/check.json
    python benchmarks/bench_check.py --no-5m    # quicker
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from figures import Figure, show, write
from pairs import CORPUS, ROOT, edited_excerpt, large_source, require_corpus

EXAMPLES = ROOT / "examples"
BENCHMARKS = ROOT / "benchmarks"


def _child_seconds(command: list[str], env: dict[str, str]) -> float:
    """CPU seconds (user and system) of one child process run to its end."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, capture_output=True, check=False, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def whole_process(rounds: int = 9) -> Figure:
    """The example pair: a whole `yuanwen check` process beside the difflib script, interleaved."""
    source, reprint = str(EXAMPLES / "source.txt"), str(EXAMPLES / "reprint.txt")
    yuanwen = [str(Path(sys.executable).parent / "yuanwen"), "check", reprint, "--source", source]
    difflib = [sys.executable, str(BENCHMARKS / "difflib_pair.py"), source, reprint]
    # As installed: with bytecode (this machine's environment may forbid writing it).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    _child_seconds(yuanwen, env)
    ours, theirs = [], []
    for _ in range(rounds):
        ours.append(_child_seconds(yuanwen, env))
        theirs.append(_child_seconds(difflib, env))
    return Figure(
        "example pair, whole `yuanwen check` process (CPU)",
        statistics.median(ours),
        "s",
        statistics.median(theirs),
        "difflib script",
        target_ratio=2.5,
    )


def pair(chars: int, runs: int, numpy_loaded: bool, anchors: bool) -> dict[str, float]:
    """In this process: check an edited excerpt of `chars` characters against its source `runs` times,
    diff-match-patch on the same pair, the read-and-translate floor, and the peak memory."""
    import fast_diff_match_patch as dmp

    if numpy_loaded:  # as in a web or audit worker, which has searched a library
        import numpy  # noqa: F401

    from yuanwen.check import check
    from yuanwen.model import Document

    source = large_source(chars)
    reprint = edited_excerpt(source).reprint
    base_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ours, theirs, floor = [], [], []
    for _ in range(runs):
        start = time.process_time()
        report = check(Document("reprint", "txt", reprint), Document("source", "txt", source))
        ours.append(time.process_time() - start)
        if anchors:
            start = time.process_time()
            dmp.diff(source, reprint, counts_only=False)
            theirs.append(time.process_time() - start)
            floor.append(_read_and_translate(source, reprint))
    return {
        "source_chars": len(source),
        "reprint_chars": len(reprint),
        "findings": len(report.findings),
        "first_s": ours[0],
        "median_s": statistics.median(ours[1:] or ours),
        "dmp_s": statistics.median(theirs) if theirs else 0.0,
        "floor_s": statistics.median(floor) if floor else 0.0,
        "base_mb": base_mb,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _read_and_translate(source: str, reprint: str) -> float:
    """CPU seconds to read the pair from files and pass over each once with str.translate: the floor."""
    with tempfile.TemporaryDirectory() as folder:
        paths = [Path(folder) / "source.txt", Path(folder) / "reprint.txt"]
        for path, text in zip(paths, (source, reprint), strict=True):
            path.write_text(text, encoding="utf-8")
        start = time.process_time()
        for path in paths:
            path.read_text(encoding="utf-8").translate({0x3000: None, 0xFF0C: 0x2C})
        return time.process_time() - start


def pair_in_child(chars: int, runs: int, numpy_loaded: bool = False, anchors: bool = True) -> dict[str, float]:
    """`pair` in a fresh process, so that what it has loaded and its peak memory are the check's own."""
    code = (
        "import json,sys;sys.path.insert(0,'benchmarks');import bench_check as b;"
        f"print(json.dumps(b.pair({chars},{runs},{numpy_loaded},{anchors})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    result: dict[str, float] = json.loads(out.stdout)
    return result


# A booklet of three corpus excerpts, a word changed in each paragraph: (file, first paragraph,
# paragraphs, word, new word).
BOOKLET = (
    ("0012.txt", 20, 4, "经济", "金融"),
    ("0030.txt", 40, 3, "加快", "加速"),
    ("0024.txt", 30, 3, "推进", "推动"),
)


def booklet_in_library(runs: int = 15) -> tuple[float, int]:
    """Median seconds to check a three-part booklet against a library of the corpus, and its sources found."""
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
            start = time.process_time()
            report = check(booklet, library)
            times.append(time.process_time() - start)
    return statistics.median(times), len(report.sources)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-5m", dest="five", action="store_false", help="leave out the 5M-character pair")
    args = parser.parse_args()
    figures: list[Figure] = []
    show(whole_process(), figures)
    for numpy_loaded in (False, True):
        r = pair_in_child(10_000, runs=21, numpy_loaded=numpy_loaded)
        where = "a worker with NumPy loaded" if numpy_loaded else "a fresh process"
        print(f"10k pair ({where}): first check {r['first_s'] * 1000:.0f} ms, {r['findings']:.0f} findings")
        name = f"10k edited excerpt in-process, after the first check ({where})"
        show(Figure(name, r["median_s"], "s", r["dmp_s"], "diff-match-patch", 7.0, 0.010), figures)
    r = pair_in_child(100_000, runs=5)
    show(Figure("100k edited excerpt in-process", r["median_s"], "s", r["dmp_s"], "diff-match-patch"), figures)
    r = pair_in_child(1_000_000, runs=3)
    show(Figure("1M edited excerpt in-process", r["median_s"], "s", r["dmp_s"], "diff-match-patch", 1.0), figures)
    show(Figure("1M, beside reading and translating the pair", r["median_s"], "s", r["floor_s"], "floor", 5.0), figures)
    print(f"1M: {r['findings']:.0f} findings, peak {r['peak_mb']:.0f} MB")
    if args.five:
        r = pair_in_child(5_000_000, runs=1, anchors=False)
        per_char = r["peak_mb"] * 2**20 / r["source_chars"]
        print(f"5M pair: {r['median_s']:.1f} s, peak {r['peak_mb']:.0f} MB ({r['base_mb']:.0f} MB before the check)")
        show(Figure("5M pair, peak memory a source character", per_char, "bytes", target_value=60), figures)
    seconds, sources = booklet_in_library()
    show(Figure(f"three-part booklet in a library of the corpus ({sources} sources)", seconds, "s"), figures)
    write("check", figures)


if __name__ == "__main__":
    main()
