"""OCR engines on the test scans: seconds per page and character accuracy; prints, asserts nothing.

Run: .venv/bin/python benchmarks/bench_ocr.py   (targets: at most 2 s per A4 page at 200 dpi on 2 cores,
at least 99.5% of the characters right, punctuation width aside; Tesseract is measured in the same run
when its chi_sim data is installed: apt-get install tesseract-ocr-chi-sim)

The scans are made as the tests make them: the booklet of examples/reprint.txt and examples/source.txt
laid out by reportlab, rasterised by pdftoppm at 200 dpi (300 reads no better: yuanwen.extract.ocr),
then scanned (turned by 1°, with noise, JPEG) or photographed with a phone (tilted 6-8°, keystone,
shadow, blur, JPEG q70: tests/scan_variants.py). Seconds are wall-clock a page and CPU seconds a page (RapidOCR's
ONNX runtime spreads a page over the cores); the load average is printed, since a loaded machine
slows every engine alike. It also prints how the confidences of RapidOCR's characters read right and
wrong fall, which set yuanwen.extract.scan.UNCERTAIN_BELOW.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import fast_diff_match_patch as dmp  # noqa: E402
from PIL import Image  # noqa: E402

from extract_builders import (  # noqa: E402
    BOOKLET_HEADER,
    EXAMPLES,
    build_booklet_pdf,
    build_source_pdf,
    rasterise,
    reprint_paragraphs,
    scanned,
)
from scan_variants import phone  # noqa: E402
from yuanwen.extract.ocr import OcrPage, read_page  # noqa: E402
from yuanwen.extract.pages import body_indexes, is_page_number  # noqa: E402
from yuanwen.extract.scan import UNCERTAIN_BELOW, _printed  # noqa: E402

THRESHOLDS = (0.5, 0.7, 0.8, 0.9, 0.95)


def width_free(text: str) -> str:
    """The text without whitespace, each character folded to one width (， and , alike)."""
    return "".join(folded if len(folded := unicodedata.normalize("NFKC", c)) == 1 else c for c in "".join(text.split()))


def errors(truth: str, read: str) -> tuple[int, list[tuple[str, str]]]:
    """Characters misread (a substitution counts once), and each operation of the diff."""
    ops = dmp.diff(truth, read, counts_only=False, cleanup="No")
    deleted = sum(len(text) for op, text in ops if op == "-")
    inserted = sum(len(text) for op, text in ops if op == "+")
    return max(deleted, inserted), ops


def body_chars(pages: list[OcrPage]) -> tuple[str, list[float]]:
    """The body characters yuanwen keeps of OCR pages, with each one's confidence."""
    chars: list[str] = []
    confidences: list[float] = []
    for page, kept in zip(pages, body_indexes([_printed(p) for p in pages]), strict=True):
        for index in kept:
            line = page.lines[index]
            visible = "".join(line.text.split())
            chars.extend(visible)
            confidences.extend(line.confidences)
    return "".join(chars), confidences


def rapid(scans: list[Path]) -> tuple[tuple[float, float], list[OcrPage]]:
    read_page(Image.open(scans[0]))  # load the models before timing
    start, cpu = time.perf_counter(), time.process_time()
    pages = [read_page(Image.open(scan)) for scan in scans]
    return ((time.perf_counter() - start) / len(scans), (time.process_time() - cpu) / len(scans)), pages


def tesseract(scans: list[Path]) -> tuple[tuple[float, float], str]:
    start, cpu = time.perf_counter(), _children_cpu()
    text = [
        subprocess.run(["tesseract", str(s), "-", "-l", "chi_sim"], capture_output=True, text=True).stdout
        for s in scans
    ]
    seconds = ((time.perf_counter() - start) / len(scans), (_children_cpu() - cpu) / len(scans))
    header = width_free(BOOKLET_HEADER)
    lines = [line for page in text for line in page.splitlines()]
    return seconds, "".join(line for line in lines if not is_page_number(line) and width_free(line) != header)


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def calibration(truth: str, read: str, confidences: list[float], right: list[float], wrong: list[float]) -> None:
    """Sort the confidences of the characters read into those read right and those read wrong."""
    at = 0
    for op, text in errors(width_free(truth), width_free(read))[1]:
        if op == "-":
            continue
        (right if op == "=" else wrong).extend(confidences[at : at + len(text)])
        at += len(text)


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="yuanwen-ocr-"))
    has_tesseract = shutil.which("tesseract") is not None
    try:
        booklets = {
            "reprint": (build_booklet_pdf(folder / "reprint.pdf", reprint_paragraphs()), EXAMPLES / "reprint.txt"),
            "source": (build_source_pdf(folder / "source.pdf"), EXAMPLES / "source.txt"),
        }
        right: list[float] = []
        wrong: list[float] = []
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print("engine     scan        s/page (CPU s/page)  accuracy  misread/chars")
        truth = "".join(path.read_text(encoding="utf-8") for _, path in booklets.values())
        for kind, dpi in (("scan", 200), ("phone", 200)):
            pngs = [png for pdf, _ in booklets.values() for png in rasterise(pdf, dpi, folder)]
            scans = phone(pngs, folder) if kind == "phone" else [scanned(png, i) for i, png in enumerate(pngs)]
            seconds, pages = rapid(scans)
            read, confidences = body_chars(pages)
            calibration(truth, read, confidences, right, wrong)
            label = f"{kind} {dpi}"
            report("RapidOCR", label, seconds, truth, read)
            if has_tesseract:
                seconds, text = tesseract(scans)
                report("Tesseract", label, seconds, truth, text)
        print(
            f"\nRapidOCR confidences: {len(right)} characters read right, {len(wrong)} wrong "
            f"(wrong: {', '.join(f'{c:.3f}' for c in sorted(wrong))})"
        )
        for threshold in THRESHOLDS:
            doubted = sum(c < threshold for c in right) / max(1, len(right))
            caught = sum(c < threshold for c in wrong)
            mark = "  <- UNCERTAIN_BELOW" if threshold == UNCERTAIN_BELOW else ""
            print(
                f"  below {threshold}: {caught}/{len(wrong)} misread caught, {doubted:.2%} of right ones doubted{mark}"
            )
        if not has_tesseract:
            print("Tesseract not measured: apt-get install tesseract-ocr-chi-sim")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def report(engine: str, scan: str, seconds: tuple[float, float], truth: str, read: str) -> None:
    misread, _ = errors(width_free(truth), width_free(read))
    size = len(width_free(truth))
    wall, cpu = seconds
    print(f"{engine:<10} {scan:<10}  {wall:6.2f} ({cpu:5.2f})      {1 - misread / size:8.2%}  {misread}/{size}")


if __name__ == "__main__":
    main()
