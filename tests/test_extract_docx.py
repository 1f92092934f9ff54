"""Reading Word files: body paragraphs and tables in order, no headers or footers, paragraph anchors."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from extract_builders import (
    BOOKLET_HEADER,
    EXAMPLES,
    body_docx,
    build_booklet_docx,
    content,
    reprint_paragraphs,
    w_p,
    w_r,
)
from yuanwen.errors import InputError
from yuanwen.extract import read_document


@pytest.fixture(scope="module")
def booklet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_booklet_docx(tmp_path_factory.mktemp("docx") / "booklet.docx", reprint_paragraphs())


def test_booklet_content_equals_the_text_file(booklet: Path) -> None:
    doc = read_document(booklet)
    expected = (EXAMPLES / "reprint.txt").read_text(encoding="utf-8")
    assert doc.format == "docx"
    assert content(doc.text) == content(expected)


def test_header_and_footer_stay_out(booklet: Path) -> None:
    lines = read_document(booklet).text.splitlines()
    assert BOOKLET_HEADER not in lines
    assert not [line for line in lines if line.startswith("-") or "PAGE" in line]


def test_one_line_and_anchor_per_paragraph(booklet: Path) -> None:
    paragraphs = reprint_paragraphs()
    doc = read_document(booklet)
    assert doc.text.splitlines() == paragraphs
    assert [a.number for a in doc.anchors] == list(range(1, len(paragraphs) + 1))
    assert all(a.unit == "paragraph" for a in doc.anchors)
    for anchor, paragraph in zip(doc.anchors, paragraphs, strict=True):
        assert doc.text[anchor.start :].startswith(paragraph + "\n")


def test_tables_come_in_reading_order(tmp_path: Path) -> None:
    cell = "<w:tc>{}</w:tc>"
    table = (
        "<w:tbl><w:tblPr/><w:tblGrid/>"
        + "<w:tr>"
        + cell.format(w_p(w_r("甲格")))
        + cell.format(w_p(w_r("乙格")))
        + "</w:tr>"
        + "</w:tbl>"
    )
    path = body_docx(tmp_path, w_p(w_r("表前段落。")) + table + w_p(w_r("表后段落。")))
    assert read_document(path).text.splitlines() == ["表前段落。", "甲格", "乙格", "表后段落。"]


def test_tracked_changes_fields_and_tabs(tmp_path: Path) -> None:
    paragraph = w_p(
        '<w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr>',
        w_r("要"),
        f"<w:ins>{w_r('继续')}</w:ins>",
        "<w:del><w:r><w:delText>进一步</w:delText></w:r></w:del>",
        w_r("完善"),
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
        '<w:r><w:instrText xml:space="preserve"> HYPERLINK "http://x" </w:instrText></w:r>',
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
        w_r("政策"),
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
        "<w:r><w:tab/></w:r>",
        f'<w:fldSimple w:instr=" DATE ">{w_r("体系")}</w:fldSimple>',
    )
    path = body_docx(tmp_path, paragraph)
    assert read_document(path).text == "要继续完善政策\t体系\n"


def test_text_box_is_read_once_after_its_paragraph(tmp_path: Path) -> None:
    box = f"<w:txbxContent>{w_p(w_r('框内文字'))}</w:txbxContent>"
    drawing = (
        "<w:r><mc:AlternateContent>"
        f'<mc:Choice Requires="wps"><w:drawing><wps:txbx>{box}</wps:txbx></w:drawing></mc:Choice>'
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )
    path = body_docx(tmp_path, w_p(w_r("正文段落。"), drawing) + w_p(w_r("下一段。")))
    assert read_document(path).text.splitlines() == ["正文段落。", "框内文字", "下一段。"]


def test_docx_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "reprint.docx"
    path.write_text("其实是一段纯文本。", encoding="utf-8")
    with pytest.raises(InputError, match=r"^不是有效的 Word 文档（.docx 应为 zip 格式）"):
        read_document(path)


def test_binary_docx_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "reprint.docx"
    path.write_bytes(b"\x00\x01\x02binary" * 100)
    with pytest.raises(InputError, match=r"^不是有效的 Word 文档"):
        read_document(path)


def test_damaged_zip_is_refused(booklet: Path, tmp_path: Path) -> None:
    path = tmp_path / "cut.docx"
    path.write_bytes(booklet.read_bytes()[:2000])
    with pytest.raises(InputError, match=r"已损坏"):
        read_document(path)


def test_zip_without_a_document_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    path = tmp_path / "archive.docx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(InputError, match=r"^不支持的压缩文件"):
        read_document(path)


def test_docx_without_text_is_refused(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "empty.docx"
    docx.Document().save(str(path))
    with pytest.raises(InputError, match=r"^Word 文档里没有正文文字"):
        read_document(path)
