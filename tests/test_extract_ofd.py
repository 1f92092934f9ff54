"""Reading OFD: the text of each page in reading order, page anchors, and one line for a bad file."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from conftest import run_cli
from extract_builders import BOOKLET_HEADER, EXAMPLES, OFD_NS, _ofd_root, build_booklet_ofd, content, reprint_paragraphs
from yuanwen.check import check
from yuanwen.errors import InputError
from yuanwen.extract import ofd, read_bytes, read_document
from yuanwen.model import Document
from yuanwen.render import renderer


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


SAMPLES = Path(__file__).resolve().parent.parent.parent / "shared" / "samples" / "ofd"


def _sample(name: str) -> str:
    if not (SAMPLES / name).exists():
        pytest.skip(f"the OFD samples are not here: {SAMPLES} (../shared beside the repository)")
    return content(read_document(SAMPLES / name).text)


def test_characters_placed_by_a_transform_read_in_order() -> None:
    # A Kinggrid judgment: one text object per character, each placed by its CTM.
    assert _sample("jinge.ofd").startswith("湖南省长沙市中级人民法院民事判决书（2020）湘01民初93号")


def test_composite_objects_give_their_text() -> None:
    # Three pages drawn as composite objects from DocumentRes.xml, which also holds an unused copy
    # of each: the 4,800 characters drawn, less the running header and page numbers.
    text = _sample("y.ofd")
    assert 4700 <= len(text) <= 4800
    assert "数字档案室建设是《关于加强和改进新形势下档案工作的意见》" in text
    assert text.count("数字档案室建设是《关于加强和改进新形势下档案工作的意见》") == 1


def test_text_set_sideways_reads_along_its_run() -> None:
    # Four samples: digits and numerals turned a quarter clockwise, numerals turned a quarter
    # counter-clockwise, and numerals turned but set left to right.
    text = _sample("wenzi_hengxiang_shuke.ofd")
    assert sorted(text.replace("121212", "|").replace("一二三四", "|")) == ["|"] * 4


def test_a_template_page_prints_under_the_page() -> None:
    # A building permit: its body is on the template page, the filled-in values on the page.
    text = _sample("zsbk.ofd")
    assert "根据《中华人民共和国建筑法》第八条规定，经审查，本建筑工程符合施工条件，准予施工。" in text
    assert "中华安保有限公司" in text


def test_private_use_characters_are_warned_of() -> None:
    if not (SAMPLES / "ano.ofd").exists():
        pytest.skip(f"the OFD samples are not here: {SAMPLES} (../shared beside the repository)")
    document = read_document(SAMPLES / "ano.ofd")
    assert document.warnings == ("文中有 316 个私用区字符（制作工具自造的字形，无法当作文字核对），请对照原件核实",)


def test_every_sample_gives_text_or_one_line() -> None:
    if not SAMPLES.exists():
        pytest.skip(f"the OFD samples are not here: {SAMPLES} (../shared beside the repository)")
    for path in sorted(SAMPLES.glob("*.ofd")):
        result = run_cli("extract", path)
        assert result.exit_code in (0, 2), path.name
        assert result.stdout.strip() if result.exit_code == 0 else len(result.stderr.splitlines()) == 1, path.name


def _drawn_ofd(path: Path) -> Path:
    """An OFD page drawn as makers draw it: a line of single characters placed by a scaling CTM in
    shuffled order, a line set by DeltaX in one code, a block, a composite object from DocumentRes.xml,
    and a template page's line under the page's own, and a line whose label the template prints and
    whose value the page fills in."""
    ns = f'xmlns:ofd="{OFD_NS}"'

    def text(x: float, y: float, code: str, ctm: str = "", delta: str = "") -> str:
        ctm_attr = f' CTM="{ctm}"' if ctm else ""
        delta_attr = f' DeltaX="{delta}"' if delta else ""
        return (
            f'<ofd:TextObject ID="1" Boundary="{x} {y} 100 10" Font="1" Size="4"{ctm_attr}>'
            f'<ofd:TextCode X="0" Y="4"{delta_attr}>{code}</ofd:TextCode></ofd:TextObject>'
        )

    # 第一行 at 4 mm a character, each one its own object scaled from a 400-unit space, shuffled.
    first = [
        text(20 + 4 * i, 30, char, ctm="0.01 0 0 0.01 0 0")
        .replace('Y="4"', 'Y="400"')
        .replace('Size="4"', 'Size="400"')
        for i, char in enumerate("第一行文字")
    ]
    page = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {ns}><ofd:Template TemplateID="5"/><ofd:Content>'
        f'<ofd:Layer ID="2">{"".join(first[::-1])}{text(20, 40, "第二行文字", delta="g 4 4")}'
        f'<ofd:PageBlock ID="3">{text(20, 50, "第三行文字")}</ofd:PageBlock>'
        '<ofd:CompositeObject ID="4" ResourceID="9" Boundary="20 60 100 10" CTM="1 0 0 1 0 0"/>'
        f"{text(44, 70, '甲字第1号')}</ofd:Layer></ofd:Content></ofd:Page>"
    )
    unit = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res {ns} BaseLoc="Res"><ofd:CompositeGraphicUnits>'
        f'<ofd:CompositeGraphicUnit ID="9" Width="100" Height="10"><ofd:Content>{text(0, 0, "第四行文字")}'
        "</ofd:Content></ofd:CompositeGraphicUnit></ofd:CompositeGraphicUnits></ofd:Res>"
    )
    template = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {ns}><ofd:Content><ofd:Layer ID="6">'
        f"{text(20, 20, '模板的文字')}{text(20, 70, '许可证号：')}</ofd:Layer></ofd:Content></ofd:Page>"
    )
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {ns}><ofd:CommonData>'
        "<ofd:MaxUnitID>99</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>"
        '</ofd:PageArea><ofd:TemplatePage ID="5" BaseLoc="Tpls/Tpl_0/Content.xml"/>'
        "<ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes></ofd:CommonData>"
        '<ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>'
    )
    members = {
        "OFD.xml": _ofd_root(),
        "Doc_0/Document.xml": document,
        "Doc_0/DocumentRes.xml": unit,
        "Doc_0/Tpls/Tpl_0/Content.xml": template,
        "Doc_0/Pages/Page_0/Content.xml": page,
    }
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_characters_are_placed_as_the_standard_draws_them(tmp_path: Path) -> None:
    document = read_document(_drawn_ofd(tmp_path / "drawn.ofd"))
    assert document.text.split() == [
        "模板的文字",
        "第一行文字",
        "第二行文字",
        "第三行文字",
        "第四行文字",
        "许可证号：甲字第1号",
    ]


def _template_text(document: Document) -> list[str]:
    return [document.text[span.start : span.end] for span in document.template]


def test_the_json_says_which_text_a_template_page_printed(tmp_path: Path) -> None:
    # The label's characters, and none of the value filled in beside it on the same line (the space
    # between them closed), whatever the order the page and its template are drawn in.
    document = read_document(_drawn_ofd(tmp_path / "drawn.ofd"))
    assert _template_text(document) == ["模板的文字", "许可证号："]
    report = json.loads(str(renderer("json")(check(document, Document("source", "txt", document.text)))))
    spans = report["reprint"]["template_spans"]
    assert [document.text[start:end] for start, end in spans] == ["模板的文字", "许可证号："]
    plain = json.loads(str(renderer("json")(check(Document("r", "txt", "文字"), Document("s", "txt", "文字")))))
    assert "template_spans" not in plain["reprint"]


def test_a_permits_template_text_is_marked_as_such() -> None:
    if not (SAMPLES / "zsbk.ofd").exists():
        pytest.skip(f"the OFD samples are not here: {SAMPLES} (../shared beside the repository)")
    document = read_document(SAMPLES / "zsbk.ofd")
    printed = _template_text(document)
    assert "根据《中华人民共和国建筑法》第八条规定，经审" in printed
    assert "一、本证放置施工现场，作为准予施工的凭证。" in printed
    # The values filled in: the builder's name and the permit's number are the page's own.
    assert not any("中华安保有限公司" in text or "420000202012394121" in text for text in printed)
    assert "中华安保有限公司" in document.text
