"""Time and peak memory of yuanwen on the hostile inputs of issues 14 and 20, each in a process capped at 2 GB.

    python benchmarks/bench_hostile.py [--only 20]

Each line: the case, the exit code, wall seconds, peak resident memory (of the process and its
workers), and the first line of stderr. Run against older code with PYTHONPATH=<its src> to see the
before (the cap stops it at 2 GB, and a case still running after TIMEOUT seconds is killed: -9).
"""

from __future__ import annotations

import gzip
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from hostile import (  # noqa: E402
    DOCX_RELS,
    DOCX_TYPES,
    blank_scan_pdf,
    blank_tiff,
    page_tree_pdf,
    paragraphs_xml,
)

EXAMPLES = ROOT / "examples"
CAP = 2 * 1024**3
# A case still running after this many seconds is killed (issue 20's probes ran for minutes before).
TIMEOUT = 180


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


def measure(name: str, args: list[str], stdin: Callable[[], int] | None = None, stdout: int | None = None) -> None:
    """Run the console script once; print exit code, seconds, peak RSS and the first stderr line."""
    command = [sys.executable, "-c", "from yuanwen.cli import main; main()", *args]
    started = time.monotonic()
    with tempfile.TemporaryFile() as err:
        process = subprocess.Popen(
            command, stdin=stdin() if stdin else subprocess.DEVNULL, stdout=stdout or subprocess.DEVNULL,
            stderr=err, preexec_fn=_capped, start_new_session=True,
        )  # fmt: skip
        timer = threading.Timer(TIMEOUT, os.killpg, args=(process.pid, signal.SIGKILL))  # its workers too
        timer.start()
        # wait4's peak is the largest of the process and the workers it waited for.
        _, status, usage = os.wait4(process.pid, 0)
        timer.cancel()
        seconds = time.monotonic() - started
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").strip().splitlines()
    first = next((line for line in lines if line.startswith("yuanwen")), lines[-1] if lines else "")[:70]
    code = os.waitstatus_to_exitcode(status)
    print(f"{name:34} exit {code:3}  {seconds:6.2f} s  {usage.ru_maxrss / 1024:7.0f} MB  {first}")


def _bomb(path: Path, member: str) -> Path:
    """A .docx whose member inflates to 1 GB of paragraphs, written a megabyte at a time."""
    parts = {"[Content_Types].xml": DOCX_TYPES.encode(), "_rels/.rels": DOCX_RELS.encode()}
    parts["word/document.xml"] = paragraphs_xml(["正文"])
    block = "<w:p><w:r><w:t>指导组督导组</w:t></w:r></w:p>".encode() * 25_000
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if name != member:
                archive.writestr(name, data)
        with archive.open(member, "w", force_zip64=True) as out:
            for _ in range(1024**3 // len(block)):
                out.write(block)
    return path


def _long_header_warc(path: Path, line_bytes: int) -> Path:
    """A gzipped WARC of one response record whose header has one line of `line_bytes`, written a megabyte at a time."""
    page = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>\xe6\xad\xa3</p></body></html>"
    with gzip.open(path, "wb", compresslevel=9) as out:
        out.write(b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://news.example.cn/a\r\nX-Long: ")
        for _ in range(line_bytes // 1024**2):
            out.write(b"a" * 1024**2)
        out.write(b"\r\nContent-Length: %d\r\n\r\n" % len(page) + page + b"\r\n\r\n")
    return path


def issue_20(tmp: Path, library: str) -> None:
    """The probes of issue 20 that a command line runs (the web's are in tests/test_web_door.py)."""
    measure("extract scan, 1,500 blank pages", ["extract", str(blank_scan_pdf(tmp, 1500))])
    tiff = blank_tiff(tmp / "p.tif", 1500)
    measure("check TIFF, 1,500 blank pages", ["check", str(tiff), "--source", str(EXAMPLES / "source.txt")])
    tree = tmp / "tree.pdf"
    tree.write_bytes(page_tree_pdf(1_000_000))
    measure("extract page tree, 1,000,000 refs", ["extract", str(tree)])
    stuck = tmp / "stuck.pdf"
    stuck.write_bytes(page_tree_pdf(1000, runs=5000))
    measure("extract stuck PDF --time-limit 10", ["extract", "--time-limit", "10", str(stuck)])
    folder = tmp / "docs"
    folder.mkdir()
    for number in range(5):
        shutil.copy(EXAMPLES / "reprint.txt", folder / f"text-{number}.txt")
    shutil.copy(tmp / "blank-scan.pdf", folder / "scan.pdf")
    out = str(tmp / "audit")
    measure("audit 5 texts + the 1,500-page scan", ["audit", str(folder), "--library", library, "--out", out])
    warc = _long_header_warc(tmp / "crawl.warc.gz", 1024**3)
    measure("audit .warc.gz, 1 GiB header line", ["audit", str(warc), "--library", library, "--out", out + "-warc"])


def main() -> None:
    only_20 = sys.argv[1:] == ["--only", "20"]
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        library = str(tmp / "lib.sqlite3")
        if only_20:
            measure("library add", ["library", "--library", library, "add", str(EXAMPLES / "source.txt")])
            issue_20(tmp, library)
            return
        reprint, source = str(EXAMPLES / "reprint.txt"), str(EXAMPLES / "source.txt")
        measure("check /dev/zero", ["check", "/dev/zero", "--source", source])
        feeder = subprocess.Popen(["head", "-c", str(200 * 1024**2), "/dev/zero"], stdout=subprocess.PIPE)
        assert feeder.stdout is not None
        pipe = feeder.stdout.fileno()
        measure("extract - (200 MB pipe)", ["extract", "-"], stdin=lambda: pipe)
        feeder.kill()
        for member in ("word/document.xml", "[Content_Types].xml"):
            measure(f"extract bomb ({member}, 1 GB)", ["extract", str(_bomb(tmp / "bomb.docx", member))])
        paragraphs = [line for line in Path(reprint).read_text(encoding="utf-8").splitlines() if line.strip()]
        deep = tmp / "deep.html"
        inner = "".join(f"<p>{p}</p>" for p in paragraphs)
        deep.write_text(f"<html><body><article>{'<div>' * 300}{inner}{'</div>' * 300}</article></body></html>")
        measure("check deep.html (300 levels)", ["check", str(deep), "--source", source])
        rules = tmp / "rules.toml"
        rules.write_text("[lists]\nleaders = [" + ",".join(f'"人名{n}"' for n in range(1_000_000)) + "]\n")
        measure("check --rules (10 MB)", ["check", reprint, "--source", source, "--rules", str(rules)])
        library = str(tmp / "lib.sqlite3")
        measure(
            "library add (30,000-char title)",
            ["library", "--library", library, "add", source, "--title", "题" * 30_000],
        )
        measure("library list", ["library", "--library", library, "list"])
        with open("/dev/full", "wb") as full:
            measure("check > /dev/full", ["check", reprint, "--source", source], stdout=full.fileno())


if __name__ == "__main__":
    main()
