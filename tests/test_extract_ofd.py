"""Reading OFD: the text of each page in reading order, page anchors, and one line for a bad file."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from conftest import run_cli
from extract_builders import BOOKLET_HEADER, EXAMPLES, build_booklet_ofd, content, reprint_paragraphs
from yuanwen.errors import InputError
from yuanwen.extract import ofd, read_bytes, read_document


@pytest.fixture(scope="module")
def booklet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_booklet_ofd(tmp_path_factory.mktemp("ofd") / "booklet.ofd", reprint_paragraphs())


def test_text_is_the_text_file_without_header_and_page_numbers(booklet: Path) -> None:
    doc = read_document(booklet)
    assert doc.format == "ofd"
    assert content(doc.text) == content((EXAMPLES / "reprint.txt").read_text(encoding="utf-8"))
    assert BOOKLET_HEADER not in doc.text


def test_each_page_is_anchored_where_its_text_starts(booklet: Path) -> None:
    doc = read_document(booklet)
    assert [(a.unit, a.number) for a in doc.anchors] == [("page", 1), ("page", 2)]
    second = doc.anchors[1].start
    assert doc.text[second - 1] == "\n"
    # The second page's first line is drawn one character per text code: read whole, in order.
    lines = [p[i : i + 36] for p in reprint_paragraphs() for i in range(0, len(p), 36)]
    assert doc.text[second:].startswith(lines[(len(lines) + 1) // 2] + "\n")


def test_a_misnamed_ofd_is_read_by_its_bytes(booklet: Path) -> None:
    assert read_bytes(booklet.read_bytes(), "notice.zip").format == "ofd"


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _members(booklet: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(booklet) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_bad_ofd_files_get_one_line(booklet: Path, tmp_path: Path) -> None:
    members = _members(booklet)
    no_document = _zip(tmp_path / "a.ofd", {k: v for k, v in members.items() if k != "Doc_0/Document.xml"})
    no_page = _zip(tmp_path / "b.ofd", {k: v for k, v in members.items() if "Page_1" not in k})
    broken_xml = _zip(tmp_path / "c.ofd", {**members, "OFD.xml": b"<ofd:OFD"})
    not_zip = tmp_path / "d.ofd"
    not_zip.write_text("这不是 OFD", encoding="utf-8")
    truncated = tmp_path / "e.ofd"
    truncated.write_bytes(booklet.read_bytes()[:200])
    cases = {
        no_document: "缺少 Doc_0/Document.xml",
        no_page: "缺少 Doc_0/Pages/Page_1/Content.xml",
        broken_xml: "OFD.xml 不是有效的 XML",
        not_zip: "不是有效的 OFD 文档",
        truncated: "已损坏",
    }
    for path, message in cases.items():
        result = run_cli("extract", path)
        assert result.exit_code == 2, path
        assert message in result.stderr and len(result.stderr.splitlines()) == 1, result.stderr


def test_a_zip_bomb_is_refused_before_it_is_unpacked(booklet: Path, tmp_path: Path) -> None:
    # 40 MB of zeros packs into ~40 KB; the reader stops one byte past its cap.
    bomb = _zip(tmp_path / "bomb.ofd", {**_members(booklet), "Doc_0/Pages/Page_0/Content.xml": b"\0" * 40_000_000})
    assert bomb.stat().st_size < 100_000
    with pytest.raises(InputError, match="压缩炸弹"):
        read_document(bomb)
    assert ofd.MAX_PART_BYTES < 40_000_000
