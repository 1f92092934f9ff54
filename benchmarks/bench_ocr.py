"""OCR engines on the test scans: seconds per page and character accuracy; prints, asserts nothing.

Run: .venv/bin/python benchmarks/bench_ocr.py   (targets: at most 2 s per A4 page at 200 dpi on 2 cores,
at least 99.5% of the characters right, punctuation width aside; Tesseract is measured in the same run
when its chi_sim data is installed: apt-get install tesseract-ocr-chi-sim). Writes benchmarks/out/ocr.json.

The scans are made as the tests make them: the booklet of examples/reprint.txt and examples/source.txt
laid out by reportlab, rasterised by pdftoppm at 200 dpi (300 reads no better: yuanwen.extract.ocr),
then scanned (turned by 1°, with noise, JPEG) or photographed with a phone (tilted 6-8°, keystone,
shadow, blur, JPEG q70: tests/scan_variants.py). yuanwen reads the pages as it reads a document's
(`PagePool`: a page a core); the anchors, from the same run, are Tesseract and RapidOCR as yuanwen
called it before (its defaults: lines found on the page at 2,000 pixels, recognised six at a time,
onnxruntime's own threads), one page at a time. Seconds are wall-clock a page and CPU seconds a page
(all threads); the load average is printed, since a loaded machine slows every engine alike. It also
prints how the confidences of RapidOCR's characters read right and wrong fall, which set
yuanwen.extract.scan.UNCERTAIN_BELOW.
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
from figures import Figure, show, write  # noqa: E402
from scan_variants import phone  # noqa: E402
from yuanwen.extract.ocr import OcrPage, PagePool, read_page  # noqa: E402
from yuanwen.extract.pages import body_indexes, is_page_number  # noqa: E402
from yuanwen.extract.scan import UNCERTAIN_BELOW, _printed  # noqa: E402

THRESHOLDS = (0.5, 0.7, 0.8, 0.9, 0.95)
TARGET_SECONDS = 2.0


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
    """Seconds a page (wall, CPU) and the pages, read as yuanwen reads a document's pages."""
    read_page(Image.open(scans[0]))  # load the models before timing
    start, cpu = time.perf_counter(), time.process_time()
    with PagePool() as pool:
        reading = [pool.submit(Image.open(scan)) for scan in scans]
        pages = [page.result() for page in reading]
    return ((time.perf_counter() - start) / len(scans), (time.process_time() - cpu) / len(scans)), pages


def rapid_before(scans: list[Path]) -> tuple[float, float]:
    """Seconds a page (wall, CPU) of RapidOCR as yuanwen called it before, one page at a time."""
    from rapidocr import RapidOCR

    engine = RapidOCR(params={"Global.log_level": "critical", "Global.use_cls": False})
    engine(Image.open(scans[0]).convert("RGB"))  # load the models before timing
    start, cpu = time.perf_counter(), time.process_time()
    for scan in scans:
        engine(Image.open(scan).convert("RGB"), return_word_box=True, return_single_char_box=True)
    return (time.perf_counter() - start) / len(scans), (time.process_time() - cpu) / len(scans)


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
        figures: list[Figure] = []
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
            anchors = {"RapidOCR as before": rapid_before(scans)}
            report("(before)", label, anchors["RapidOCR as before"], truth, "")
            if has_tesseract:
                anchors["Tesseract"], text = tesseract(scans)
                report("Tesseract", label, anchors["Tesseract"], truth, text)
            print(f"  ({len(scans)} pages, load average {os.getloadavg()[0]:.1f})")
            for figure in _figures(f"{kind} {dpi} dpi", seconds, anchors):
                show(figure, figures)
        write("ocr", figures)
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
    """One line of the table; the accuracy left out when the text was not kept."""
    wall, cpu = seconds
    line = f"{engine:<10} {scan:<10}  {wall:6.2f} ({cpu:5.2f})"
    if read:
        misread, _ = errors(width_free(truth), width_free(read))
        size = len(width_free(truth))
        line += f"      {1 - misread / size:8.2%}  {misread}/{size}"
    print(line)


def _figures(scan: str, seconds: tuple[float, float], anchors: dict[str, tuple[float, float]]) -> list[Figure]:
    """Seconds a page, wall and CPU, each beside every anchor of the same run."""
    wall, cpu = seconds
    figures = [Figure(f"RapidOCR, {scan}, seconds a page", wall, "s", target_value=TARGET_SECONDS)]
    for name, (anchor_wall, anchor_cpu) in anchors.items():
        figures.append(Figure(f"RapidOCR, {scan}, seconds a page", wall, "s", anchor_wall, name))
        figures.append(Figure(f"RapidOCR, {scan}, CPU seconds a page", cpu, "s", anchor_cpu, name))
    return figures


if __name__ == "__main__":
    main()
