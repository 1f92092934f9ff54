"""Scans read by OCR: a booklet scanned as a PDF of images or as JPEG pages gives the text file's findings.

The scans are made as a booklet is scanned: laid out by reportlab, rasterised by pdftoppm at 300 and
200 dpi, turned by 1° with noise (Pillow), wrapped in an image-only PDF (img2pdf) or kept as JPEG
pages. OCR is slow (seconds a page), so each scan is read once a session.
"""

from __future__ import annotations

import base64
import io
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, run_cli, run_json
from extract_builders import (
    build_booklet_pdf,
    build_image_pdf,
    build_source_pdf,
    content,
    rasterise,
    reprint_paragraphs,
    scanned,
)
from yuanwen.check import check
from yuanwen.extract import read_document
from yuanwen.model import Document, OcrEvidence, Report, Span
from yuanwen.render import renderer

pytest.importorskip("rapidocr", reason="OCR is the optional extra yuanwen[ocr]")

SOURCE = EXAMPLES / "source.txt"
CRITICAL = {("speech.substitution", "继续", "进一步"), ("organisation.change", "指导", "督导")}


@pytest.fixture(scope="session")
def scans(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("scans")


@pytest.fixture(scope="session")
def booklet(scans: Path) -> Path:
    return build_booklet_pdf(scans / "booklet.pdf", reprint_paragraphs())


@pytest.fixture(scope="session")
def scanned_pdf(scans: Path, booklet: Path) -> Path:
    pages = [scanned(png, i) for i, png in enumerate(rasterise(booklet, 300, scans))]
    return build_image_pdf(pages, scans / "scanned-booklet.pdf")


@pytest.fixture(scope="session")
def jpeg_pages(scans: Path, booklet: Path) -> list[Path]:
    return [scanned(png, i) for i, png in enumerate(rasterise(booklet, 200, scans))]


@pytest.fixture(scope="session")
def text_report() -> dict[str, Any]:
    return run_json("check", EXAMPLES / "reprint.txt", "--source", SOURCE)


@pytest.fixture(scope="session")
def scanned_check(scanned_pdf: Path) -> Report:
    return check(read_document(scanned_pdf), read_document(SOURCE))


@pytest.fixture(scope="session")
def pdf_report(scanned_check: Report) -> dict[str, Any]:
    report: dict[str, Any] = json.loads(renderer("json")(scanned_check))
    return report


@pytest.fixture(scope="session")
def jpeg_report(jpeg_pages: list[Path]) -> dict[str, Any]:
    return run_json("check", *jpeg_pages, "--source", SOURCE)


def _rows(report: dict[str, Any], severity: str | None = None, rule: str | None = None) -> set[tuple[str, str, str]]:
    return {
        (f["rule"], content(f["source_text"]), content(f["reprint_text"]))
        for f in report["findings"]
        if (severity is None or f["severity"] == severity) and (rule is None or f["rule"] == rule)
    }


@pytest.mark.parametrize("kind", ["pdf", "jpeg"])
def test_a_scan_gives_the_findings_of_the_text_file(
    kind: str, pdf_report: dict[str, Any], jpeg_report: dict[str, Any], text_report: dict[str, Any]
) -> None:
    report = pdf_report if kind == "pdf" else jpeg_report
    assert report["reprint"]["format"] == ("pdf" if kind == "pdf" else "image")
    assert _rows(report, "critical") == CRITICAL == _rows(text_report, "critical")
    assert _rows(report, rule="excerpt.sentences") == _rows(text_report, rule="excerpt.sentences")
    # The booklet prints 26 commas half-width; a scan cannot show a width for certain.
    widths = [f for f in report["findings"] if f["rule"] == "ocr.uncertain" and f["kind"] == "punctuation"]
    assert len(widths) >= 20
    assert all(f["severity"] == "minor" for f in widths)


def test_findings_of_a_scan_point_into_the_text_read_page_by_page(
    scanned_check: Report, pdf_report: dict[str, Any]
) -> None:
    extracted = scanned_check.reprint.text
    for finding in pdf_report["findings"]:
        start, end = finding["reprint_span"]
        assert extracted[start:end] == finding["reprint_text"]
        assert finding["location"] in ("第 1 页", "第 2 页", "第 3 页")
    assert "政治学习资料 第22期" not in extracted  # the running header
    assert "- 1 -" not in extracted and "-1-" not in extracted  # the page numbers


def test_the_html_report_shows_the_scanned_page_at_each_doubtful_finding(scanned_check: Report) -> None:
    from PIL import Image

    page = renderer("html")(scanned_check)
    assert isinstance(page, str)
    doubtful = [f for f in scanned_check.findings if f.rule == "ocr.uncertain"]
    crops = re.findall(
        r'<img class="crop" alt="扫描件第 (\d) 页[^"]*" title="[^"]*" src="data:image/jpeg;base64,([^"]+)"', page
    )
    assert len(crops) == len(doubtful) >= 20
    assert {f"第 {number} 页" for number, _ in crops} == {f.location for f in doubtful}
    for _, data in crops:
        with Image.open(io.BytesIO(base64.b64decode(data))) as crop:
            assert crop.height < 100 and crop.width < 600  # a stretch of a line, not the 1240 × 1754 page
    assert "img-src data:" in page


def test_a_scan_of_the_source_has_no_finding_above_minor(scans: Path) -> None:
    pages = [scanned(png, i) for i, png in enumerate(rasterise(build_source_pdf(scans / "source.pdf"), 200, scans))]
    report = run_json("check", build_image_pdf(pages, scans / "scanned-source.pdf"), "--source", SOURCE)
    assert report["reprint"]["format"] == "pdf"
    assert not [f for f in report["findings"] if f["severity"] in ("critical", "major")]


def test_a_pdf_mixing_text_and_scanned_pages_reads_only_the_scanned_by_ocr(
    scans: Path, booklet: Path, scanned_pdf: Path
) -> None:
    import pypdfium2 as pdfium

    mixed = pdfium.PdfDocument.new()
    for pdf, index in ((booklet, 0), (scanned_pdf, 1), (booklet, 2)):
        mixed.import_pages(pdfium.PdfDocument(pdf), [index])
    mixed.save(scans / "mixed.pdf")
    doc = read_document(scans / "mixed.pdf")
    assert doc.ocr is not None
    assert doc.ocr.read == (Span(doc.anchors[1].start, doc.anchors[2].start),)
    text = read_document(booklet).text
    assert doc.text[: doc.anchors[1].start] == text[: read_document(booklet).anchors[1].start]


def test_without_ocr_a_scan_gets_one_line_saying_how_to_install_it(
    scanned_pdf: Path, jpeg_pages: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "rapidocr", None)  # import rapidocr now fails
    for args in ((scanned_pdf,), tuple(jpeg_pages)):
        result = run_cli("extract", *args)
        assert result.exit_code == 2
        assert "pip install 'yuanwen[ocr]'" in result.stderr and len(result.stderr.splitlines()) == 1


def test_pages_given_as_several_files_must_all_be_images(jpeg_pages: list[Path]) -> None:
    result = run_cli("check", jpeg_pages[0], EXAMPLES / "reprint.txt", "--source", SOURCE)
    assert result.exit_code == 2
    assert "页面图片" in result.stderr and len(result.stderr.splitlines()) == 1


def test_bad_images_get_one_line(tmp_path: Path) -> None:
    from PIL import Image

    huge = tmp_path / "huge.png"
    Image.new("1", (9000, 9000), 1).save(huge)  # 81 million pixels in a few kilobytes
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 100)
    for path, message in ((huge, "图片过大"), (broken, "图片已损坏")):
        result = run_cli("extract", path)
        assert result.exit_code == 2
        assert message in result.stderr and len(result.stderr.splitlines()) == 1, result.stderr


def _ocr_doc(text: str, doubtful: str | None) -> Document:
    uncertain = () if doubtful is None else (Span(text.index(doubtful), text.index(doubtful) + len(doubtful)),)
    return Document("scan.png", "image", text, ocr=OcrEvidence(read=(Span(0, len(text)),), uncertain=uncertain))


def test_a_change_on_a_doubtful_ocr_character_is_not_critical() -> None:
    source = Document("source", "txt", "习近平指出，要继续完善疏解激励约束政策体系。")
    reprint = "习近平指出，要进一步完善疏解激励约束政策体系。"
    doubted = check(_ocr_doc(reprint, "一步"), source).findings
    assert [(f.rule, f.severity) for f in doubted] == [("ocr.uncertain", "minor")]
    assert "请对照原页核实" in doubted[0].message
    sure = check(_ocr_doc(reprint, None), source).findings
    assert [(f.rule, f.severity) for f in sure] == [("speech.substitution", "critical")]
    typed = check(Document("reprint", "txt", reprint), source).findings
    assert [(f.rule, f.severity) for f in typed] == [("speech.substitution", "critical")]


def test_a_punctuation_width_read_by_ocr_is_doubtful_but_typed_is_not() -> None:
    source = Document("source", "txt", "要坚定信心，保持定力。")
    reprint = "要坚定信心,保持定力。"
    assert [f.rule for f in check(_ocr_doc(reprint, None), source).findings] == ["ocr.uncertain"]
    assert [f.rule for f in check(Document("reprint", "txt", reprint), source).findings] == ["punct.width"]


def test_pages_are_read_a_page_a_core_in_order_holding_few_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import threading

    from yuanwen.extract import ocr

    cores = len(os.sched_getaffinity(0))
    # Each page waits until a page is read on every core: one page at a time would never get past it.
    together = threading.Barrier(cores, timeout=30)

    def read(page: Any) -> Any:
        together.wait()
        return page

    monkeypatch.setattr(ocr, "read_page", read)
    monkeypatch.setattr(ocr, "_engine", lambda: None)
    pages = list(range(4 * cores))
    with ocr.PagePool() as pool:
        reading = []
        for page in pages:
            reading.append(pool.submit(page))
            # The pages handed over and not yet read: one a core, so a long scan is never held whole.
            assert sum(not future.done() for future in reading) <= cores
        assert [future.result() for future in reading] == pages


def test_ocr_downloads_nothing(jpeg_pages: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    from PIL import Image

    from yuanwen.extract import ocr

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("OCR tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    ocr._engine.cache_clear()  # the models are loaded anew, offline
    with Image.open(jpeg_pages[0]) as page:
        top = page.crop((0, 0, page.width, page.height // 8))  # the booklet's first lines: quick to read
        lines = ocr.read_page(top).lines
    assert "河北轨道运输职业技术学院" in [line.text for line in lines]
