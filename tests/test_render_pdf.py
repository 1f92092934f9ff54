"""The PDF report: Chromium prints the HTML report to A4, the verdict and the findings list on page 1."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ARTIFACTS, EXAMPLES, run_cli

SOURCE = EXAMPLES / "source.txt"


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("chromium") is None or shutil.which("pdftoppm") is None:
        pytest.skip("Chromium or poppler-utils is not installed (make test installs them)")
    out = tmp_path_factory.mktemp("pdf") / "report.pdf"
    result = run_cli("check", EXAMPLES / "reprint.txt", "--source", SOURCE, "--format", "pdf", "-o", out)
    assert result.exit_code == 1, result.output
    return out


def _page_text(pdf: Path, page: int) -> str:
    command = ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def test_page_one_holds_the_verdict_and_the_list(pdf: Path) -> None:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info
    first = "".join(_page_text(pdf, 1).split())
    assert first.index("有2处严重差错") < first.index("差异清单") < first.index("×26")
    for entry in ("领导人讲话中“继续”被改为“进一步”", "机构名称“指导”被改为“督导”", "删去整句或整段"):
        assert entry in first


def test_page_one_looked_at_as_an_image(pdf: Path) -> None:
    """Page 1 as pixels: the list's coloured badges are drawn in its upper part (a saved copy to look at)."""
    image_module = pytest.importorskip("PIL.Image")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stem = ARTIFACTS / "pdf-report-page"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(stem)], check=True)
    (image_path,) = ARTIFACTS.glob("pdf-report-page-*1.png")
    image = image_module.open(image_path).convert("RGB")
    width, height = image.size
    assert width > height  # A4 landscape: two columns side by side
    pixels = image.crop((0, 0, width, height // 3)).tobytes()
    red = sum(1 for i in range(0, len(pixels), 3) if pixels[i] > 150 and pixels[i + 1] < 90 and pixels[i + 2] < 90)
    assert red > 100, "no critical badge drawn in the upper third of page 1"


def test_without_chromium_one_line_and_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    result = run_cli("check", EXAMPLES / "reprint.txt", "--source", SOURCE, "-f", "pdf", "-o", tmp_path / "r.pdf")
    assert result.exit_code == 2
    assert "Chromium" in result.output and "Traceback" not in result.output
