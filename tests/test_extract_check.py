"""`check` on a booklet as a PDF, a Word file or a web page finds what it finds on the text file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, run_cli, run_json
from extract_builders import (
    build_booklet_docx,
    build_booklet_ofd,
    build_booklet_pdf,
    build_news_html,
    reprint_paragraphs,
)

SOURCE = EXAMPLES / "source.txt"


def _essence(findings: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    flat = "".join
    return [
        (f["kind"], f["severity"], f["rule"], flat(f["source_text"].split()), flat(f["reprint_text"].split()))
        for f in findings
    ]


def _graded(findings: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    """The findings above info: the reprint's own furniture differs by format, its errors must not."""
    return [row for row in _essence(findings) if row[1] != "info"]


@pytest.fixture(scope="module")
def txt_findings() -> list[dict[str, Any]]:
    findings: list[dict[str, Any]] = run_json("check", EXAMPLES / "reprint.txt", "--source", SOURCE)["findings"]
    return findings


def _build(kind: str, folder: Path) -> Path:
    paragraphs = reprint_paragraphs()
    if kind == "pdf":
        return build_booklet_pdf(folder / "booklet.pdf", paragraphs)
    if kind == "docx":
        return build_booklet_docx(folder / "booklet.docx", paragraphs)
    if kind == "ofd":
        return build_booklet_ofd(folder / "booklet.ofd", paragraphs)
    page = folder / "page.html"
    page.write_text(build_news_html(paragraphs[5], paragraphs[6:]), encoding="utf-8")
    return page


@pytest.mark.parametrize("kind", ["pdf", "docx", "html", "ofd"])
def test_same_findings_as_the_text_file(tmp_path: Path, kind: str, txt_findings: list[dict[str, Any]]) -> None:
    report = run_json("check", _build(kind, tmp_path), "--source", SOURCE)
    assert report["reprint"]["format"] == kind
    assert _graded(report["findings"]) == _graded(txt_findings)
    assert [row for row in _essence(report["findings"]) if row[2] == "excerpt.sentences"] == [
        row for row in _essence(txt_findings) if row[2] == "excerpt.sentences"
    ]


@pytest.mark.parametrize(("kind", "unit"), [("pdf", "页"), ("docx", "段"), ("ofd", "页")])
def test_findings_are_placed_on_their_page_or_paragraph(tmp_path: Path, kind: str, unit: str) -> None:
    path = _build(kind, tmp_path)
    extracted = run_cli("extract", path).stdout
    report = run_json("check", path, "--source", SOURCE)
    for finding in report["findings"]:
        start, end = finding["reprint_span"]
        assert extracted[start:end] == finding["reprint_text"]
        assert finding["location"] and finding["location"].endswith(unit)
    critical = [f["location"] for f in report["findings"] if f["severity"] == "critical"]
    assert len(critical) == 2 and critical[0] != critical[1]
