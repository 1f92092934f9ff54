"""Time and peak memory of yuanwen on the hostile inputs of issue 14, each in a process capped at 2 GB.

    python benchmarks/bench_hostile.py

Each line: the case, the exit code, wall seconds, peak resident memory, and the first line of stderr.
Run against older code with PYTHONPATH=<its src> to see the before (the cap stops it at 2 GB).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from hostile import DOCX_RELS, DOCX_TYPES, paragraphs_xml  # noqa: E402

EXAMPLES = ROOT / "examples"
CAP = 2 * 1024**3


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


def measure(name: str, args: list[str], stdin: Callable[[], int] | None = None, stdout: int | None = None) -> None:
    """Run the console script once; print exit code, seconds, peak RSS and the first stderr line."""
    command = [sys.executable, "-c", "from yuanwen.cli import main; main()", *args]
    started = time.monotonic()
    with tempfile.TemporaryFile() as err:
        process = subprocess.Popen(
            command, stdin=stdin() if stdin else subprocess.DEVNULL, stdout=stdout or subprocess.DEVNULL,
            stderr=err, preexec_fn=_capped,
        )  # fmt: skip
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.monotonic() - started
        err.seek(0)
        first = (err.read().decode("utf-8", "replace").strip().splitlines() or [""])[0][:70]
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


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
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
