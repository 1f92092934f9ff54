"""The format comes from the bytes, not the name; the name only tells Markdown from plain text."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract_builders import build_lines_pdf
from yuanwen.errors import InputError
from yuanwen.extract import read_bytes, read_document


def test_plain_text_is_read_as_written(tmp_path: Path) -> None:
    path = tmp_path / "reprint.txt"
    path.write_text("第一段。\n\n第二段。\n", encoding="utf-8")
    doc = read_document(path)
    assert (doc.format, doc.text, doc.anchors) == ("txt", "第一段。\n\n第二段。\n", ())


def test_unknown_suffix_is_text(tmp_path: Path) -> None:
    path = tmp_path / "reprint.dat"
    path.write_text("正文。", encoding="utf-8")
    assert read_document(path).format == "txt"


@pytest.mark.parametrize("name", ["reprint.txt", "reprint", "reprint.docx", "reprint.html"])
def test_pdf_under_any_name_is_pdf(tmp_path: Path, name: str) -> None:
    pdf = build_lines_pdf(tmp_path / "a.pdf", [["正文第一行。"]]).read_bytes()
    assert read_bytes(pdf, name).format == "pdf"


def test_pdf_after_junk_is_pdf(tmp_path: Path) -> None:
    pdf = build_lines_pdf(tmp_path / "a.pdf", [["正文第一行。"]]).read_bytes()
    assert read_bytes(b"\r\n" * 20 + pdf, "mail.pdf").text == "正文第一行。\n"


def test_html_is_sniffed_without_a_suffix() -> None:
    page = "<!DOCTYPE html><html><body><article><p>" + "这是一段足够长的正文，用来测试网页识别。" * 3
    page += "</p></article></body></html>"
    assert read_bytes(page.encode("utf-8"), "download").format == "html"


def test_binary_without_a_known_format_is_refused() -> None:
    with pytest.raises(InputError, match=r"^不是文本文件"):
        read_bytes(b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 100, "program.txt")


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(InputError, match=r"^文件是空的"):
        read_document(path)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"^找不到文件"):
        read_document(tmp_path / "none.pdf")


def test_messages_are_one_line(tmp_path: Path) -> None:
    path = tmp_path / "x.docx"
    path.write_text("plain", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_document(path)
    assert "\n" not in str(error.value)
