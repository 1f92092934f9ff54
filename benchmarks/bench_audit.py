"""Audit throughput: 1,000 reprints of ~3,000 characters against a library of 20,000 texts.

`yuanwen audit --jobs 2` beside its anchor `--jobs 1` on the same folder (targets, issue 21: at least
150 documents/s on an idle 2-core machine, and at least 1.8 times as fast as --jobs 1), and
`python -m yuanwen.spark --master local[2]`, as whole processes; then where one document's time
goes, measured in this process. Writes benchmarks/out/audit.json.
The library is made as benchmarks/bench_library.py makes it (corpus sentences recombined, seeded);
each reprint is a whole library text under a booklet header, three words changed and a comma printed
half-width.

    python benchmarks/bench_audit.py                    # 1,000 documents, 20,000 texts
    python benchmarks/bench_audit.py --docs 300 --texts 3000 --no-spark   # quick
    python benchmarks/bench_audit.py --docs 10000       # Spark beside audit --jobs 2, its JVM amortised
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from bench_library import _edited, build, recombined_texts
from figures import Figure, show, write
from pairs import HEADER
from yuanwen.audit.outcome import finding_rows, summary_row
from yuanwen.check import check
from yuanwen.extract import read_document
from yuanwen.files import write_atomic
from yuanwen.library import Library
from yuanwen.locate import locate
from yuanwen.model import Report
from yuanwen.render.html import render_html
from yuanwen.render.json import render_json

T = TypeVar("T")
# --jobs 2 takes at most this share of --jobs 1's time: 1.8 times as fast on two cores.
TARGET_SHARE = 1 / 1.8
# --jobs 2 audits at least this many documents a second on an idle 2-core machine.
TARGET_RATE = 150
# Spark local[2] takes at most 1.3 times audit --jobs 2's wall time (issue 21: on 10,000 documents,
# where the JVM's start is spread thin; `--docs 10000`).
SPARK_SHARE = 1.3
# Documents whose stages are timed one by one in this process.
SAMPLE = 100


def make_documents(folder: Path, texts: list[str], count: int) -> None:
    """`count` reprints, each a different library text edited, as text files."""
    rng = random.Random(5)
    folder.mkdir()
    for number, index in enumerate(rng.sample(range(len(texts)), count)):
        (folder / f"reprint-{number:05d}.txt").write_text(HEADER + _edited(texts[index], rng, 3), encoding="utf-8")


def timed_run(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (its processes' and their children's) of a whole command; it must succeed
    (exit 1: findings, as planted). On a machine others share, CPU seconds tell the cost, wall the wait."""
    before = _children_cpu()
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode not in (0, 1):
        sys.exit(f"{command[:4]} failed ({result.returncode}):\n{result.stderr[-2000:]}")
    return seconds, _children_cpu() - before


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _rates(name: str, docs: int, wall: float, cpu: float) -> str:
    """Documents per second of wall time, and what the CPU time spent says two idle cores would do."""
    return (f"{name}: {docs / wall:,.1f} documents/s ({wall:.1f} s wall); {cpu / docs * 1000:.1f} ms of CPU "
            f"per document, so {2 * docs / cpu:,.0f} documents/s on two idle cores")  # fmt: skip


def stages(library_path: Path, files: list[Path], out: Path) -> dict[str, float]:
    """Median milliseconds of each stage of one document, over the sample."""
    times: dict[str, list[float]] = {}

    def stage(name: str, action: Callable[[], T]) -> T:
        start = time.perf_counter()
        result = action()
        times.setdefault(name, []).append((time.perf_counter() - start) * 1000)
        return result

    out.mkdir()
    with Library.reading(library_path) as library:
        check(read_document(files[0]), library)  # warm: rules, segmenter, tables
        for path in files[:SAMPLE]:
            document = stage("read the file", lambda: read_document(path))  # noqa: B023
            stage("find and align its sources (part of check)", lambda: locate(_normalized(document), library))  # noqa: B023
            report: Report = stage("check against the library", lambda: check(document, library))  # noqa: B023
            stage("summary and finding rows", lambda: (summary_row("x", report), finding_rows("x", report)))  # noqa: B023
            json_text = stage("render the JSON report", lambda: render_json(report))  # noqa: B023
            html_text = stage("render the HTML report", lambda: render_html(report))  # noqa: B023
            stage("write both reports, synced", lambda: _write(out, json_text, html_text, True))  # noqa: B023
            stage("write both reports, as audit does", lambda: _write(out, json_text, html_text, False))  # noqa: B023
    return {name: statistics.median(values) for name, values in times.items()}


def _normalized(document: object) -> object:
    from yuanwen.normalize import normalize

    return normalize(document.text)  # type: ignore[attr-defined]


def _write(out: Path, json_text: str, html_text: str, sync: bool) -> None:
    write_atomic(out / "r.json", json_text.encode("utf-8"), sync)
    write_atomic(out / "r.html", html_text.encode("utf-8"), sync)


def spark_startup() -> tuple[float, float]:
    """Wall seconds of a local[2] Spark session started and stopped with nothing to do (JVM, Python workers)."""
    code = (
        "from yuanwen.spark import local_python; local_python()\n"
        "from pyspark.sql import SparkSession\n"
        "s = SparkSession.builder.master('local[2]').config('spark.ui.enabled', 'false').getOrCreate()\n"
        "s.sparkContext.parallelize(range(4), 4).map(lambda x: x).collect(); s.stop()\n"
    )
    return timed_run([sys.executable, "-c", code])


def lineage_share(out: Path, audit_wall: float) -> str:
    """The shared-error step (grouping every finding, drawing the families) timed alone on the audit's state."""
    from yuanwen.audit.shared import lineage
    from yuanwen.audit.state import STATE_FILE, State

    with State(out / STATE_FILE) as state:
        start = time.perf_counter()
        found = lineage((row, findings) for row, findings, _ in state.outcomes())
        took = time.perf_counter() - start
    return (
        f"  shared errors and families: {took:.2f} s, {took / audit_wall:.1%} of the audit's wall time "
        f"({len(found.shared)} shared errors, {len(found.families)} families; target at most 10%)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=1000, help="documents to audit (default 1,000)")
    parser.add_argument("--texts", type=int, default=20_000, help="texts in the library (default 20,000)")
    parser.add_argument("--no-spark", action="store_true", help="leave out the Spark run")
    args = parser.parse_args()

    print(f"making {args.texts:,} library texts and {args.docs:,} reprints of ~3,000 characters "
          f"(load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)...", flush=True)  # fmt: skip
    texts = list(recombined_texts(args.texts))
    yuanwen = [sys.executable, "-c", "from yuanwen.cli import main; main()"]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        library = root / "library.sqlite3"
        build(library, texts)
        make_documents(root / "docs", texts, args.docs)
        figures: list[Figure] = []
        command = [*yuanwen, "audit", str(root / "docs"), "--library", str(library)]
        one, one_cpu = timed_run([*command, "--out", str(root / "audit-1"), "--jobs", "1"])
        print(_rates("yuanwen audit --jobs 1", args.docs, one, one_cpu))
        wall, cpu = timed_run([*command, "--out", str(root / "audit"), "--jobs", "2"])
        print(_rates("yuanwen audit --jobs 2", args.docs, wall, cpu))
        two = wall
        show(Figure("audit --jobs 2, wall seconds", wall, "s", one, "--jobs 1", TARGET_SHARE), figures)
        rate_target = 1 / TARGET_RATE
        show(Figure("audit --jobs 2, wall a document", wall / args.docs, "s", one / args.docs, "--jobs 1",
                    target_value=rate_target), figures)  # fmt: skip
        show(Figure("audit --jobs 2, CPU a document", cpu / args.docs, "s", one_cpu / args.docs, "--jobs 1"), figures)
        # What the target asks of an idle machine: its CPU seconds spread over two cores that do nothing else.
        show(Figure("audit --jobs 2, CPU a document / 2 cores", cpu / args.docs / 2, "s", target_value=rate_target),
             figures)  # fmt: skip
        again, _ = timed_run([*command, "--out", str(root / "audit"), "--jobs", "2"])
        print(f"  re-run, every document already audited: {again:.1f} s (state lookups and outputs)")
        print(lineage_share(root / "audit", wall))
        if not args.no_spark:
            wall, _ = timed_run([sys.executable, "-m", "yuanwen.spark", "--library", str(library),
                                 "--input", str(root / "docs"), "--output", str(root / "spark"),
                                 "--master", "local[2]"])  # fmt: skip
            startup, _ = spark_startup()
            # Wall time only: the JVM and its Python workers are not this process's children to account.
            print(f"yuanwen.spark local[2]: {args.docs / wall:,.1f} documents/s ({wall:.1f} s wall, of which "
                  f"~{startup:.1f} s start a JVM and a session with nothing to do)")  # fmt: skip
            show(Figure("spark local[2], wall seconds", wall, "s", two, "audit --jobs 2", SPARK_SHARE), figures)
        print(f"load now {os.getloadavg()[0]:.1f}: at a load above the cores, wall times wait for a core")
        files = sorted((root / "docs").glob("*.txt"))
        print(f"one document's time, median over {SAMPLE} (one core, in this process):")
        for name, ms in stages(library, files, root / "stages").items():
            print(f"  {name:44} {ms:7.1f} ms")
            figures.append(Figure(f"one document: {name}", ms / 1000, "s"))
        write("audit", figures)


if __name__ == "__main__":
    main()
