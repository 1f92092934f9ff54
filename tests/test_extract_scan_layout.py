"""Scans as they really arrive: tilted, photographed at an angle, two pages in one photo, turned, copied.

The example reprint is laid out as a booklet (reportlab), rasterised at 150 dpi (pdftoppm) and
degraded by tests/scan_variants.py. Each variant must give the two real critical findings of the
text file and nothing else above minor, with the characters in the printed order. OCR is slow, so
each variant is read once a session.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import fast_diff_match_patch as dmp
import pytest

pytest.importorskip("rapidocr", reason="OCR is the optional extra yuanwen[ocr]")

from conftest import EXAMPLES
from extract_builders import build_booklet_pdf, content, rasterise, reprint_paragraphs
from scan_variants import VARIANTS, fax, unreadable
from yuanwen.check import check
from yuanwen.extract import read_document, read_pages
from yuanwen.extract.layout import Box, is_spread, reading_order, skew
from yuanwen.model import Document, OcrEvidence, Span
from yuanwen.render import renderer

SOURCE = EXAMPLES / "source.txt"
CRITICAL = {("speech.substitution", "继续", "进一步"), ("organisation.change", "指导", "督导")}
# The share of the reprint's characters that must come out in the printed order.
IN_ORDER = 0.98


def in_order(text: str) -> float:
    """The share of the reprint's characters found in the text in the same order (their longest common
    subsequence, by diff)."""
    truth = content((EXAMPLES / "reprint.txt").read_text(encoding="utf-8"))
    ops = dmp.diff(truth, content(text), counts_only=False, cleanup="No")
    return sum(len(part) for op, part in ops if op == "=") / len(truth)


@pytest.fixture(scope="session")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("layout")
    return rasterise(build_booklet_pdf(folder / "booklet.pdf", reprint_paragraphs()), 150, folder)


def _report(images: list[Path]) -> tuple[dict[str, Any], str]:
    """The JSON report of the page images checked against the source, and the text read."""
    checked = check(read_pages(images), read_document(SOURCE))
    report: dict[str, Any] = json.loads(renderer("json")(checked))
    return report, checked.reprint.text


@pytest.fixture(scope="session", params=list(VARIANTS))
def variant(
    request: pytest.FixtureRequest, pages: list[Path], tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, dict[str, Any], str]:
    images = VARIANTS[request.param](pages, tmp_path_factory.mktemp("variant"))
    return (request.param, *_report(images))


def _rows(report: dict[str, Any], *severities: str) -> set[tuple[str, str, str]]:
    return {
        (f["rule"], content(f["source_text"]), content(f["reprint_text"]))
        for f in report["findings"]
        if f["severity"] in severities
    }


def test_each_variant_gives_the_two_criticals_and_nothing_else_above_minor(
    variant: tuple[str, dict[str, Any], str],
) -> None:
    name, report, text = variant
    assert _rows(report, "critical", "major") == CRITICAL, name
    assert in_order(text) >= IN_ORDER, name
    assert "warnings" not in report["reprint"], name


def test_a_fax_is_one_black_and_white_tiff_of_every_page(pages: list[Path], tmp_path: Path) -> None:
    # What the "fax" variant above reads: the pages as offices' fax machines and scanners send them.
    from PIL import Image

    (tiff,) = fax(pages, tmp_path)
    with Image.open(tiff) as image:
        assert (image.format, image.mode, image.info["compression"]) == ("TIFF", "1", "group4")
        assert image.n_frames == len(pages) == 3


def test_half_width_commas_read_from_a_scan_are_doubtful(pages: list[Path]) -> None:
    # The booklet prints 26 commas half-width: the room each takes shows it, whichever width OCR read.
    report, _ = _report(pages)
    assert "warnings" not in report["reprint"]
    widths = [f for f in report["findings"] if f["rule"] == "ocr.uncertain" and f["kind"] == "punctuation"]
    assert [f["reprint_text"] for f in widths] == [","] * 26
    assert _rows(report, "critical", "major") == CRITICAL


def test_a_copy_barely_readable_warns_on_every_page_and_holds_its_findings_at_minor(
    pages: list[Path], tmp_path: Path
) -> None:
    checked = check(read_pages(unreadable(pages, tmp_path)), read_document(SOURCE))
    report: dict[str, Any] = json.loads(renderer("json")(checked))
    assert not _rows(report, "critical", "major")
    warnings = report["reprint"]["warnings"]
    assert [w.split("扫描质量差")[0] for w in warnings] == ["第 1 页", "第 2 页", "第 3 页"]
    assert all(w.endswith("请换清晰的扫描件") for w in warnings)
    for form in ("text", "html"):
        shown = renderer(form)(checked)
        assert isinstance(shown, str) and all(w in shown for w in warnings), form


def _box(text: str, x: float, y: float, angle: float = 0.0, height: float = 20.0) -> Box:
    """A line's box of one character width (= its height) per character, turned about its start."""
    import math

    length = height * len(text)
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    corners = ((0.0, 0.0), (length, 0.0), (length, height), (0.0, height))
    turned = tuple((x + cx * cos - cy * sin, y + cx * sin + cy * cos) for cx, cy in corners)
    return Box(text, (1.0,) * len(text), turned)


def _order(boxes: list[Box], size: tuple[float, float]) -> list[str]:
    return ["".join(box.text for box in row.boxes) for row in reading_order(boxes, skew(boxes), size)]


def test_lines_tilted_10_degrees_read_top_to_bottom() -> None:
    # Each line starts 8 pixels lower and its end rises 52 pixels: by their boxes' tops the second
    # line would come before the first's end.
    lines = [f"第{n}行文字内容一二三四五六七八九十甲乙丙丁" for n in range(6)]
    boxes = [_box(line, 100 + 3 * n, 400 + 36 * n, -10) for n, line in enumerate(lines)]
    assert skew(boxes) == pytest.approx(-10, abs=0.1)
    assert _order(boxes[::-1], (1000, 1400)) == lines


def test_a_spread_reads_the_left_page_then_the_right() -> None:
    left = [f"左页第{n}行文字一二三四五六七八九十" for n in range(5)]
    right = [f"右页第{n}行文字一二三四五六七八九十" for n in range(5)]
    boxes = [_box(t, 450, 200 + 40 * n, 1) for n, t in enumerate(left)]
    boxes += [_box(t, 1200, 190 + 40 * n, -1) for n, t in enumerate(right)]
    assert _order(boxes, (1000, 700)) == left + right
    assert is_spread(boxes, skew(boxes), (2000, 1400))
    assert not is_spread(boxes, skew(boxes), (2000, 2800))  # a page with two columns
    # A line with a word gap is one line, not two columns.
    gapped = [_box("政治学习资料", 450, 100), _box("第22期", 650, 100)]
    assert _order([*gapped, *boxes[:5]], (1000, 700)) == ["政治学习资料第22期", *left]


def _ocr_doc(text: str, gaps: tuple[int, ...] = (), poor: tuple[Span, ...] = ()) -> Document:
    evidence = OcrEvidence(read=(Span(0, len(text)),), uncertain=(), gaps=gaps, poor=poor)
    return Document("scan.png", "image", text, ocr=evidence)


def test_characters_ocr_may_have_dropped_are_doubtful_not_critical() -> None:
    source = Document("source", "txt", "习近平指出，要继续完善疏解激励约束政策体系。")
    reprint = "习近平指出，要完善疏解激励约束政策体系。"
    at = reprint.index("完善")
    dropped = check(_ocr_doc(reprint, gaps=(at,)), source).findings
    assert [(f.rule, f.severity) for f in dropped] == [("ocr.uncertain", "minor")]
    sure = check(_ocr_doc(reprint, gaps=(at + 4,)), source).findings
    assert [(f.rule, f.severity) for f in sure] == [("speech.omission", "critical")]


def test_a_page_hardly_read_holds_its_findings_at_minor() -> None:
    source = Document("source", "txt", "习近平指出，要继续完善疏解激励约束政策体系。")
    reprint = "习近平指出，要进一步完善疏解激励约束政策体系。"
    held = check(_ocr_doc(reprint, poor=(Span(0, len(reprint)),)), source).findings
    assert [(f.rule, f.severity) for f in held] == [("ocr.uncertain", "minor")]


def test_every_report_shows_the_reading_warnings() -> None:
    import io
    import zipfile

    warning = "第 1 页扫描质量差：约 50% 的文字未能识别，请换清晰的扫描件"
    source = Document("source", "txt", "习近平指出，要继续完善疏解激励约束政策体系。")
    reprint = Document("scan.png", "image", "习近平指出，要进一步完善疏解激励约束政策体系。", warnings=(warning,))
    checked = check(reprint, source)
    for form in ("text", "html", "json"):
        shown = renderer(form)(checked)
        assert isinstance(shown, str) and warning in shown, form
    word = renderer("docx")(checked)
    assert isinstance(word, bytes)
    with zipfile.ZipFile(io.BytesIO(word)) as archive:
        assert warning in archive.read("word/comments.xml").decode("utf-8")
    plain = renderer("json")(check(Document("r", "txt", reprint.text), source))
    assert isinstance(plain, str) and "warnings" not in json.loads(plain)["reprint"]
