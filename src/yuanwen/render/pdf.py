"""The PDF report: the HTML report printed to A4 by a headless Chromium, through the report's print stylesheet.

The print stylesheet (assets/report.css, @media print) puts the verdict and the findings list on the
first page, then the side-by-side rows, a long cut on one line. Chromium is found on the PATH
(Debian's `chromium`, or Google Chrome); without it the report is one line saying so.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from yuanwen.errors import YuanwenError
from yuanwen.model import Report
from yuanwen.render.html import render_html

_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# The example prints in about 2 s on a loaded 2-core machine; a 2,000-page booklet well within this.
TIMEOUT_SECONDS = 300


class NoBrowser(YuanwenError):
    """No Chromium to print the PDF with, or it failed."""


def render_pdf(report: Report) -> bytes:
    """The HTML report as an A4 PDF."""
    browser = next((found for name in _BROWSERS if (found := shutil.which(name))), None)
    if browser is None:
        raise NoBrowser("PDF 报告要用 Chromium 打印，但没有找到（Debian：apt-get install chromium）")
    with tempfile.TemporaryDirectory(prefix="yuanwen-pdf-") as folder:
        page, out = Path(folder) / "report.html", Path(folder) / "report.pdf"
        page.write_text(render_html(report), encoding="utf-8")
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            f"--user-data-dir={folder}/profile",
            "--no-pdf-header-footer",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired as error:
            raise NoBrowser(f"Chromium 打印 PDF 超时（{TIMEOUT_SECONDS} 秒）") from error
        if not out.exists() or out.stat().st_size == 0:
            raise NoBrowser("Chromium 没有打印出 PDF")
        return out.read_bytes()
