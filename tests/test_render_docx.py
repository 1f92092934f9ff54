"""The Word report: every correction a tracked change, a comment on each entry of the list, an A4 cover;
the user's formatting untouched."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest

from conftest import EXAMPLES, run_cli
from extract_builders import body_docx, reprint_paragraphs, w_p, w_r
from yuanwen.check import check
from yuanwen.extract import read_bytes, read_document
from yuanwen.fix import corrected, corrected_text, edits
from yuanwen.model import KINDS, Document, Report
from yuanwen.render.docx import render_docx, render_docx_comments
from yuanwen.review import review

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SOURCE = EXAMPLES / "source.txt"
# Runs of this many characters, bold and italic in turn: a finding falls across run boundaries.
RUN_CHARS = 7


def formatted_docx(path: Path) -> Path:
    """The example reprint as a user's Word file: runs of mixed formatting, the last paragraph in a table."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "政治学习资料 第22期"
    *body, last = reprint_paragraphs()
    for text in body:
        _add_runs(document.add_paragraph(), text)
    _add_runs(document.add_table(rows=1, cols=1).cell(0, 0).paragraphs[0], last)
    document.save(str(path))
    return path


def _add_runs(paragraph: Any, text: str) -> None:
    for i in range(0, len(text), RUN_CHARS):
        run = paragraph.add_run(text[i : i + RUN_CHARS])
        run.bold = (i // RUN_CHARS) % 2 == 0
        run.italic = (i // RUN_CHARS) % 3 == 0


def comment_ranges(document: Any) -> dict[int, str]:
    """The text between each comment's range start and end, by comment id."""
    open_ids: set[int] = set()
    ranges: dict[int, str] = {}
    for element in document.element.body.iter():
        if element.tag == W + "commentRangeStart":
            open_ids.add(int(element.get(W + "id")))
            ranges.setdefault(int(element.get(W + "id")), "")
        elif element.tag == W + "commentRangeEnd":
            open_ids.discard(int(element.get(W + "id")))
        elif element.tag == W + "t":
            for i in open_ids:
                ranges[i] += element.text or ""
    return ranges


def formatting(document: Any) -> list[tuple[str, bool, bool]]:
    """Each character of the body's runs (the cover left out) with its run's bold and italic."""
    cover = set(cover_paragraphs(document.element.body))
    return [
        (char, bool(run.find(f"{W}rPr/{W}b") is not None), bool(run.find(f"{W}rPr/{W}i") is not None))
        for run in document.element.body.iter(W + "r")
        if run.getparent() not in cover
        for t in run.iter(W + "t")
        for char in t.text or ""
    ]


def cover_paragraphs(body: Any) -> list[Any]:
    """The paragraphs of the report's cover: the body's first ones, up to the one that ends the first section."""
    ends = [p for p in body if p.tag == W + "p" and p.find(f"{W}pPr/{W}sectPr") is not None]
    return list(body)[: list(body).index(ends[0]) + 1] if ends else []


def _applied(output: bytes, accept: bool) -> bytes:
    """The .docx with every revision of yuanwen's accepted or rejected (as Word does it), and the cover taken out."""
    from lxml import etree

    parts = zipfile.ZipFile(io.BytesIO(output))
    root = etree.fromstring(parts.read("word/document.xml"))
    body = root.find(W + "body")
    for paragraph in cover_paragraphs(body):
        body.remove(paragraph)
    gone, kept = (("del", "moveFrom"), ("ins", "moveTo")) if accept else (("ins", "moveTo"), ("del", "moveFrom"))
    for mark in list(root.iter(*(W + kind for kind in gone))):
        if mark.get(W + "author") == "yuanwen":
            mark.getparent().remove(mark)
    ranges = [W + f"{kind}Range{edge}" for kind in ("moveFrom", "moveTo") for edge in ("Start", "End")]
    for mark in list(root.iter(*ranges)):
        mark.getparent().remove(mark)
    for mark in list(root.iter(*(W + kind for kind in kept))):
        if mark.get(W + "author") != "yuanwen":
            continue
        for text in mark.iter(W + "delText"):
            text.tag = W + "t"
        for child in list(mark):
            mark.addprevious(child)
        mark.getparent().remove(mark)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as changed:
        for item in parts.infolist():
            data = etree.tostring(root) if item.filename == "word/document.xml" else parts.read(item)
            changed.writestr(item, data)
    return out.getvalue()


def _read_back(output: bytes, accept: bool) -> str:
    return read_bytes(_applied(output, accept), "applied.docx").text


def _flat(text: str) -> str:
    return "".join(text.split())


def _assert_anchored(report: Report, output: bytes) -> Any:
    """Every entry of the list has its comment, in order, on exactly its first finding's words (an omission:
    the character before)."""
    document = docx.Document(io.BytesIO(output))
    comments = sorted(document.comments, key=lambda c: c.comment_id)
    ranges = comment_ranges(document)
    firsts = [report.findings[group.members[0]] for group in review(report).groups]
    assert len(comments) == len(firsts)
    for finding, comment in zip(firsts, comments, strict=True):
        assert comment.author == "yuanwen"
        assert finding.message in comment.text and finding.rule in comment.text
        anchored = _flat(ranges[comment.comment_id])
        if finding.reprint_text:
            assert anchored == _flat(finding.reprint_text)
        else:
            assert anchored == _flat(report.reprint.text[: finding.reprint_span.start])[-1]
    return document


@pytest.fixture(scope="module")
def example() -> Report:
    return check(read_document(EXAMPLES / "reprint.txt"), read_document(SOURCE))


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Report]:
    path = formatted_docx(tmp_path_factory.mktemp("own") / "booklet.docx")
    return path, check(read_document(path), read_document(SOURCE))


def test_text_reprint_gets_a_new_docx_with_a_comment_on_each_entry(example: Report) -> None:
    document = _assert_anchored(example, render_docx_comments(example))
    texts = [c.text for c in sorted(document.comments, key=lambda c: c.comment_id)]
    assert ["原文：继续" in texts[0], "原文：指导" in texts[1]] == [True, True]
    assert "同样的改动共 26 处（第 21–27 行）" in texts[2]
    assert len(texts) == 6


def test_the_cover_is_an_a4_section_with_the_verdict_the_rate_and_every_critical(example: Report) -> None:
    document = docx.Document(io.BytesIO(render_docx(example)))
    cover = cover_paragraphs(document.element.body)
    text = ["".join(t.text or "" for t in p.iter(W + "t")) for p in cover]
    assert text[0] == "原文核对报告"
    assert text[1] == "有 2 处严重差错（领导人讲话被改动、机构名称被改动），须改正"
    assert "差错率 18.74/10000，编校质量不合格" in text[2]
    assert any("标点的全角、半角不同" in line and "×26" in line for line in text)
    assert [line for line in text if line.startswith("【严重")] == [
        "【严重·改动】第 23 行  领导人讲话中“继续”被改为“进一步”",
        "【严重·改动】第 45 行  机构名称“指导”被改为“督导”",
    ]
    first, body = document.sections[0], document.sections[-1]
    for section in (first, body):
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_tracked_changes_accept_to_fix_and_reject_to_the_reprint(example: Report) -> None:
    output = render_docx(example)
    fixed = corrected_text(example.reprint.text, edits(example, frozenset(KINDS)))
    assert _flat(_read_back(output, accept=True)) == _flat(fixed)
    assert _flat(_read_back(output, accept=False)) == _flat(example.reprint.text)
    document = docx.Document(io.BytesIO(output))
    marks = [m for m in document.element.body.iter(W + "ins", W + "del")]
    assert {m.get(W + "author") for m in marks} == {"yuanwen"}
    # 28 edits: 2 words and 26 commas, each a deletion and an insertion; one comment per entry.
    assert len(marks) == 2 * 28 and len(document.comments) == 6


def test_own_docx_tracked_changes_accept_and_reject_exactly(own: tuple[Path, Report]) -> None:
    report = own[1]
    output = render_docx(report)
    fixed = corrected(report, frozenset(KINDS))
    assert isinstance(fixed, bytes)
    assert _read_back(output, accept=True) == read_bytes(fixed, "fixed.docx").text
    assert _read_back(output, accept=False) == report.reprint.text
    assert docx.Document(io.BytesIO(output)).sections[-1].header.paragraphs[0].text == "政治学习资料 第22期"


def test_own_docx_keeps_its_formatting_and_gets_the_comments(own: tuple[Path, Report]) -> None:
    path, report = own
    assert report.reprint.format == "docx"
    assert [f.reprint_text for f in report.findings if f.severity == "critical"] == ["进一步", "督导"]
    before = docx.Document(str(path))
    after = _assert_anchored(report, render_docx_comments(report))
    assert formatting(after) == formatting(before)
    cover = len(cover_paragraphs(after.element.body))
    assert len(after.tables) == 1 and len(after.paragraphs) == len(before.paragraphs) + cover
    assert after.sections[-1].header.paragraphs[0].text == "政治学习资料 第22期"


def test_own_docx_report_needs_no_file(tmp_path: Path) -> None:
    """The Report carries the bytes the reprint was read from: the file may be gone by the time of the report."""
    path = formatted_docx(tmp_path / "booklet.docx")
    before = formatting(docx.Document(str(path)))
    report = check(read_document(path), read_document(SOURCE))
    path.unlink()
    after = _assert_anchored(report, render_docx_comments(report))
    assert formatting(after) == before
    fixed = corrected(report, frozenset({"substitution"}))
    assert isinstance(fixed, bytes)
    assert docx.Document(io.BytesIO(fixed)).sections[0].header.paragraphs[0].text == "政治学习资料 第22期"
    again = check(read_bytes(fixed, "fixed.docx"), read_document(SOURCE))
    assert not [f for f in again.findings if f.kind == "substitution"]


# Text in a tracked insertion beside a tracked deletion, in a field, in a text box (drawn and, for
# older readers, drawn again in a fallback), after a blank paragraph, in a table cell.
_TRICKY_BODY = (
    w_p(w_r("会议要求，要"), f"<w:ins>{w_r('进一步')}</w:ins>", "<w:del><w:r><w:delText>继续</w:delText></w:r></w:del>")
    + w_p(w_r("完善疏解激励约束政策"), f'<w:fldSimple w:instr=" DATE ">{w_r("体系")}</w:fldSimple>', w_r("。"))
    + w_p()
    + w_p(
        w_r("充分发挥政策引导作用。"),
        "<w:r><mc:AlternateContent>"
        f'<mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>{w_p(w_r("督导组要加强督促"))}'
        "</w:txbxContent></wps:txbx></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{w_p(w_r('督导组要加强督促'))}"
        "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>",
    )
    + f"<w:tbl><w:tblPr/><w:tblGrid/><w:tr><w:tc>{w_p(w_r('确保'), w_r('各项任务落到实处'))}</w:tc></w:tr></w:tbl>"
)
_TRICKY_SOURCE = (
    "会议要求，要继续\n完善疏解激励约束政策体系。\n充分发挥政策引导作用。\n指导组要加强督促\n确保各项工作落到实处\n"
)


def test_comments_and_fixes_land_in_insertions_fields_text_boxes_and_tables(tmp_path: Path) -> None:
    """The runs the Word outputs edit hold exactly the text the reader read, wherever Word put them."""
    reprint = read_document(body_docx(tmp_path, _TRICKY_BODY))
    report = check(reprint, Document("source.txt", "txt", _TRICKY_SOURCE))
    assert [f.reprint_text for f in report.findings if f.kind == "substitution"] == ["进一步", "督导", "任务"]
    _assert_anchored(report, render_docx_comments(report))
    fixed = corrected(report, frozenset(KINDS))
    assert isinstance(fixed, bytes)
    assert read_bytes(fixed, "fixed.docx").text == _TRICKY_SOURCE
    tracked = render_docx(report)
    assert _read_back(tracked, accept=True) == _TRICKY_SOURCE
    assert _read_back(tracked, accept=False) == reprint.text


def test_characters_xml_cannot_hold_become_spaces() -> None:
    text = "第一页\f正文，\x0b继续完善\n"
    source = Document("source", "txt", "第一页正文，继续完善\n")
    output = render_docx_comments(check(Document("reprint", "txt", text), source))
    document = docx.Document(io.BytesIO(output))
    cover = len(cover_paragraphs(document.element.body))
    assert "".join(p.text for p in document.paragraphs[cover:]) == "第一页 正文， 继续完善"


def test_cli_writes_the_docx_and_refuses_stdout(tmp_path: Path) -> None:
    out = tmp_path / "checked.docx"
    result = run_cli("check", EXAMPLES / "reprint.txt", "--source", SOURCE, "--format", "docx", "-o", out)
    assert result.exit_code == 1, result.output
    assert zipfile.is_zipfile(out)
    refused = run_cli("check", EXAMPLES / "reprint.txt", "--source", SOURCE, "--format", "docx")
    assert refused.exit_code == 2
    plain = tmp_path / "comments.docx"
    args = ("check", EXAMPLES / "reprint.txt", "--source", SOURCE, "-f", "docx")
    result = run_cli(*args, "--comments-only", "-o", plain)
    assert result.exit_code == 1, result.output
    document = docx.Document(str(plain))
    assert not list(document.element.body.iter(W + "ins", W + "del")) and len(document.comments) == 6
    assert run_cli("check", EXAMPLES / "reprint.txt", "--source", SOURCE, "--comments-only").exit_code == 2


def test_libreoffice_opens_it(own: tuple[Path, Report], tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    checked = tmp_path / "checked.docx"
    checked.write_bytes(render_docx(own[1]))
    command = [
        soffice,
        f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(tmp_path),
        str(checked),
    ]
    done = subprocess.run(command, capture_output=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "checked.pdf").stat().st_size > 10_000


def test_a_moved_paragraph_is_tracked_and_accepting_all_moves_it_back() -> None:
    paragraphs = (EXAMPLES / "reprint.txt").read_text(encoding="utf-8").split("\n")
    ding = next(i for i, p in enumerate(paragraphs) if p.startswith("丁薛祥表示"))
    li = next(i for i, p in enumerate(paragraphs) if p.startswith("李强在讲话中"))
    paragraphs[li], paragraphs[ding] = paragraphs[ding], paragraphs[li]
    report = check(Document("moved.txt", "txt", "\n".join(paragraphs)), read_document(SOURCE))
    assert [f.rule for f in report.findings if f.kind == "move"] == ["move.passage"]
    output = render_docx(report)
    fixed = corrected_text(report.reprint.text, edits(report, frozenset(KINDS)))
    assert _flat(_read_back(output, accept=True)) == _flat(fixed)
    assert _flat(_read_back(output, accept=False)) == _flat(report.reprint.text)
    # Accepted, the paragraphs stand in the source's order: 李强's, then 丁薛祥's.
    accepted = _flat(_read_back(output, accept=True))
    assert accepted.index("李强在讲话中表示") < accepted.index("丁薛祥表示") < accepted.index("调整优化运输结构")
    # Word's compare marks: one named move, taken out in a w:moveFrom range and put back in a w:moveTo.
    body = docx.Document(io.BytesIO(output)).element.body
    names = {kind: [m.get(W + "name") for m in body.iter(W + kind + "RangeStart")] for kind in ("moveFrom", "moveTo")}
    assert names["moveFrom"] == names["moveTo"] and len(set(names["moveFrom"])) == 1
    assert "".join(t.text for m in body.iter(W + "moveTo") for t in m.iter(W + "t")).startswith("丁薛祥表示")
    assert not list(body.iter(W + "delText")) or all(
        m.getparent().tag != W + "moveFrom" for m in body.iter(W + "r") if m.find(W + "delText") is not None
    )
