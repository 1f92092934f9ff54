"""Reading PDFs: body text without page furniture, page anchors, and clear errors for bad files."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from extract_builders import (
    BOOKLET_HEADER,
    CJK_FONT,
    EXAMPLES,
    build_booklet_pdf,
    build_lines_pdf,
    content,
    reprint_paragraphs,
)
from yuanwen.errors import InputError
from yuanwen.extract import pdf as pdf_reader
from yuanwen.extract import read_document
from yuanwen.extract.pages import Line, body_lines, close_cjk_gaps, is_page_number


@pytest.fixture(scope="module")
def booklet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_booklet_pdf(tmp_path_factory.mktemp("pdf") / "booklet.pdf", reprint_paragraphs())


def test_booklet_content_equals_the_text_file(booklet: Path) -> None:
    doc = read_document(booklet)
    expected = (EXAMPLES / "reprint.txt").read_text(encoding="utf-8")
    assert doc.format == "pdf"
    assert content(doc.text) == content(expected)


def test_booklet_keeps_no_running_header_or_page_number(booklet: Path) -> None:
    lines = read_document(booklet).text.splitlines()
    assert BOOKLET_HEADER not in lines
    assert not [line for line in lines if is_page_number(line)]


def test_page_anchors_point_at_page_starts(booklet: Path) -> None:
    import pdfplumber

    doc = read_document(booklet)
    with pdfplumber.open(booklet) as pdf:
        # Each page's second printed line is its first body line (the first is the header).
        firsts = [page.extract_text().splitlines()[1] for page in pdf.pages]
    assert len(firsts) >= 3
    assert [a.number for a in doc.anchors] == list(range(1, len(firsts) + 1))
    assert all(a.unit == "page" for a in doc.anchors)
    starts = [a.start for a in doc.anchors]
    assert starts[0] == 0
    assert starts == sorted(set(starts))
    for start, first in zip(starts, firsts, strict=True):
        assert start == 0 or doc.text[start - 1] == "\n"
        assert content(doc.text[start : start + 40]).startswith(content(first)[:10])


def test_pdfplumber_reads_pages_pdfium_would_drop_text_from(booklet: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = read_document(booklet)
    monkeypatch.setattr(pdf_reader, "_drops_text", lambda page: True)
    fallback = read_document(booklet)
    assert content(fallback.text) == content(expected.text)
    assert [a.start for a in fallback.anchors] == [a.start for a in expected.anchors]


def test_zero_width_text_is_detected_and_read(tmp_path: Path) -> None:
    # Horizontal scale 0 gives a text object no width, as a missing system font does: PDFium
    # skips it, so the page must go to pdfplumber.
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    path = tmp_path / "narrow.pdf"
    canvas = Canvas(str(path))
    text = canvas.beginText(72, 700)
    text.setFont(CJK_FONT, 12)
    text.setHorizScale(0)
    text.textOut("中")
    canvas.drawText(text)
    canvas.save()
    assert content(read_document(path).text) == "中"


def test_spaces_between_chinese_characters_are_removed(tmp_path: Path) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    path = tmp_path / "spaced.pdf"
    canvas = Canvas(str(path))
    canvas.setFont(CJK_FONT, 12)
    canvas.saveState()
    text = canvas.beginText(72, 700)
    text.setCharSpace(6)  # letter-spaced, as justified lines and titles are
    text.textOut("中央有关部门大力支持配合")
    canvas.drawText(text)
    canvas.restoreState()
    canvas.drawString(72, 650, "2023 年 5 月 12 日")
    canvas.save()
    lines = read_document(path).text.splitlines()
    assert lines == ["中央有关部门大力支持配合", "2023 年 5 月 12 日"]


def test_a_pdf_named_txt_is_read_as_pdf(booklet: Path, tmp_path: Path) -> None:
    misnamed = tmp_path / "reprint.txt"
    misnamed.write_bytes(booklet.read_bytes())
    assert read_document(misnamed).format == "pdf"


def test_encrypted_pdf_is_refused(tmp_path: Path) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "locked.pdf"
    canvas = Canvas(str(path), encrypt=StandardEncryption("secret", ownerPassword="owner"))
    canvas.drawString(72, 700, "locked")
    canvas.save()
    with pytest.raises(InputError, match=r"^PDF 已加密"):
        read_document(path)


def test_pdf_with_only_an_owner_password_is_read(tmp_path: Path) -> None:
    # Official PDFs often forbid copying with an owner password; the text can still be read.
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    path = tmp_path / "nocopy.pdf"
    canvas = Canvas(str(path), encrypt=StandardEncryption("", ownerPassword="owner", canCopy=0))
    canvas.setFont(CJK_FONT, 12)
    canvas.drawString(72, 700, "不许复制的文字")
    canvas.save()
    assert read_document(path).text == "不许复制的文字\n"


def test_pdf_with_neither_text_nor_scanned_page_is_refused(tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "drawing.pdf"
    canvas = Canvas(str(path))
    canvas.rect(72, 72, 300, 500, fill=1)  # a drawing: no text layer, no page image to read
    canvas.save()
    with pytest.raises(InputError) as error:
        read_document(path)
    assert str(error.value) == f"{pdf_reader.NO_TEXT_LAYER}：{path}"


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7\n" + b"\x00garbage\xff" * 200, b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"],
    ids=["garbage", "no-pages"],
)
def test_corrupt_pdf_is_refused(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(data)
    with pytest.raises(InputError, match=r"^PDF "):
        read_document(path)


def test_truncated_pdf_is_refused(booklet: Path, tmp_path: Path) -> None:
    data = booklet.read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(InputError, match=r"^PDF 文件(已损坏|不完整)"):
        read_document(path)


def test_pdf_named_pdf_holding_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.pdf"
    path.write_text("这不是 PDF。", encoding="utf-8")
    with pytest.raises(InputError, match=r"^不是有效的 PDF 文件"):
        read_document(path)


def test_500_pages_read_in_reasonable_time(tmp_path: Path) -> None:
    pages = [[f"第{n}页的正文第一行。", f"第二行文字，第{n}次用来填充页面。", str(n)] for n in range(1, 501)]
    path = build_lines_pdf(tmp_path / "long.pdf", pages)
    started = time.perf_counter()
    doc = read_document(path)
    elapsed = time.perf_counter() - started
    assert len(doc.anchors) == 500
    assert "第500页的正文第一行。" in doc.text
    assert elapsed < 30, f"500 pages took {elapsed:.1f} s"


# The page-furniture rules on lines, without a PDF.

PAGE_NUMBERS = ["3", "- 3 -", "— 12 —", "·7·", "第 3 页", "第3页 共10页", "共 10 页 第 3 页", "3/10", "Page 3"]
NOT_PAGE_NUMBERS = ["23 第 22 期", "2023 年 5 月", "三、坚持党的领导", "1.坚持", "第三章", "12345"]


@pytest.mark.parametrize("text", PAGE_NUMBERS)
def test_page_number_lines(text: str) -> None:
    assert is_page_number(text)


@pytest.mark.parametrize("text", NOT_PAGE_NUMBERS)
def test_body_lines_that_are_not_page_numbers(text: str) -> None:
    assert not is_page_number(text)


def _page(*texts: str, header_depth: float = 40.0) -> list[Line]:
    return [Line(text, header_depth + 20 * i) for i, text in enumerate(texts)]


def test_alternating_running_headers_are_left_out() -> None:
    pages = [
        _page("政治学习资料" if n % 2 else "习近平在河北考察", f"正文第{n}页甲。", f"正文第{n}页乙。", str(n))
        for n in range(1, 7)
    ]
    body = body_lines(pages)
    assert body[0] == ["正文第1页甲。", "正文第1页乙。"]
    assert all(len(lines) == 2 for lines in body)


def test_title_equal_to_running_header_is_kept_on_page_one() -> None:
    # The title sits lower on page 1 than the running header on the pages after it.
    first = [Line("习近平在河北考察", 120.0), Line("正文开头。", 150.0), Line("正文。", 170.0)]
    later = [_page("习近平在河北考察", f"正文第{n}页。", "续。") for n in range(2, 6)]
    body = body_lines([first, *later])
    assert body[0][0] == "习近平在河北考察"
    assert all("习近平在河北考察" not in lines for lines in body[1:])


def test_a_single_page_keeps_repeated_looking_lines() -> None:
    assert body_lines([_page("政治学习资料", "正文。")]) == [["政治学习资料", "正文。"]]


def test_close_cjk_gaps() -> None:
    assert close_cjk_gaps("中 央 有 关 部 门，“两 翼”") == "中央有关部门，“两翼”"
    assert close_cjk_gaps("冀 3 省市 2023 年") == "冀 3 省市 2023 年"
    assert close_cjk_gaps("the “new” plan") == "the “new” plan"
