"""Page furniture in any text: page numbers and running heads copied out of a PDF are not the text's words."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import CORPUS_FILES, EXAMPLES, needs_corpus
from extract_builders import BOOKLET_HEADER
from office_builders import (
    PAGE_STYLES,
    furniture_between_paragraphs,
    furniture_inside_lines,
    paragraphs_of,
    wrapped_with_furniture,
)
from yuanwen.check import check
from yuanwen.extract import read_document
from yuanwen.furniture import furniture
from yuanwen.model import Document, Finding
from yuanwen.normalize import normalize

SOURCE = (EXAMPLES / "source.txt").read_text(encoding="utf-8")
REPRINT = (EXAMPLES / "reprint.txt").read_text(encoding="utf-8")


def _graded(reprint: Document) -> list[tuple[str, str, str, str]]:
    """The findings above minor, flattened, of a reprint checked against the example source."""
    return [_flat(f) for f in check(reprint, Document("source.txt", "txt", SOURCE)).findings if _above_minor(f)]


def _above_minor(finding: Finding) -> bool:
    return finding.severity in ("critical", "major")


def _flat(finding: Finding) -> tuple[str, str, str, str]:
    return finding.severity, finding.rule, "".join(finding.source_text.split()), "".join(finding.reprint_text.split())


EXAMPLE_GRADED = _graded(Document("reprint.txt", "txt", REPRINT))


def test_the_example_has_two_critical_findings() -> None:
    assert [row[:2] for row in EXAMPLE_GRADED] == [
        ("critical", "speech.substitution"),
        ("critical", "organisation.change"),
    ]


def test_source_with_furniture_after_every_third_paragraph_reads_as_the_source() -> None:
    """Before: 47 critical number.change (数字增加了“—46—政治学习资料第22期”)."""
    furnished = furniture_between_paragraphs(SOURCE)
    assert furnished.count(BOOKLET_HEADER) == 48
    assert normalize(furnished).content == normalize(SOURCE).content
    assert check(Document("r", "txt", furnished), Document("s", "txt", SOURCE)).findings == ()


@pytest.mark.parametrize(("style", "every"), PAGE_STYLES.items())
def test_reprint_copied_out_of_a_pdf_has_the_examples_findings(style: str, every: int) -> None:
    """The reprint wrapped at 34 characters, furniture every 20-30 lines: before, 2-4 false criticals."""
    copied = wrapped_with_furniture(REPRINT, style, every)
    assert copied.count(BOOKLET_HEADER) >= 2
    assert _graded(Document("copied.txt", "txt", copied)) == EXAMPLE_GRADED


@pytest.mark.parametrize(
    "style", ["{}", "— {} —", "— {} —政治学习资料 第22期", "{}政治学习资料 第22期", "政治学习资料 第22期 - {} -"]
)
def test_furniture_inside_a_line_is_cut_out_and_the_word_joined(style: str) -> None:
    """A page's number (and head) caught in mid-word: 重大进12展 reads 重大进展."""
    copied = furniture_inside_lines(SOURCE, style)
    assert len(furniture(copied)) >= 5
    assert normalize(copied).content == normalize(SOURCE).content
    assert check(Document("r", "txt", copied), Document("s", "txt", SOURCE)).findings == ()


def test_a_page_number_in_mid_word_among_page_numbers_on_lines() -> None:
    lines = wrapped_with_furniture(SOURCE, "— {} —", 20).split("\n")
    at = lines.index("— 3 —")
    glued = [*lines[: at - 1], lines[at - 1][:-1] + "3" + lines[at - 1][-1], *lines[at + 1 :]]
    text = "\n".join(glued)
    spans = furniture(text)
    inside = text.index(lines[at - 1][:-1] + "3")
    assert any(s.start == inside + len(lines[at - 1]) - 1 for s in spans)
    assert normalize(text).content == normalize(SOURCE).content


TEXT = "中共中央、国务院印发了《意见》，要求各地区各部门结合实际认真贯彻落实。" * 6
BODY = f"{TEXT}\n" * 40


@pytest.mark.parametrize(
    "text",
    [
        # A list of numbers, one to a line (a table's column copied out).
        "各地报送数字如下：\n1\n2\n3\n4\n5\n6\n7\n" + TEXT,
        # A real heading printed twice, and a short line printed three times close together.
        f"结束语\n{TEXT}\n结束语\n{TEXT}",
        f"问：\n答：{TEXT}\n问：\n答：{TEXT[:30]}\n问：\n答：{TEXT}",
        # Numbers of the text counting up, a page apart or not.
        f"{TEXT}建成8个基地。{TEXT}新增9个项目。{TEXT}其中10个已投产，{TEXT}另有12个在建。",
        f"{TEXT}第8条{TEXT}第9条{TEXT}第10条{TEXT}第11条{TEXT}",
        f"{TEXT}详见第9页。{TEXT}",
        f"{TEXT}\n2022年\n{TEXT}\n2023年\n{TEXT}\n2024年\n",
        # An anthology: each report opens with the same byline, at even intervals, pages apart.
        "".join(f"{year}年政府工作报告\n国务院总理李强\n{BODY}{year}年。\n" for year in range(2020, 2025)),
    ],
)
def test_content_that_looks_like_furniture_is_kept(text: str) -> None:
    assert furniture(text) == []
    assert normalize(text).content == "".join(text.split())


def test_a_page_number_line_in_a_form_no_sentence_takes_stands_alone() -> None:
    text = f"{TEXT}\n— 9 —\n{TEXT}\n第 3 页\n{TEXT}"
    assert [text[s.start : s.end] for s in furniture(text)] == ["— 9 —", "第 3 页"]


@needs_corpus
def test_corpus_texts_have_no_page_furniture() -> None:
    found = {f.name: furniture(f.read_text(encoding="utf-8")) for f in CORPUS_FILES}
    assert {name: spans for name, spans in found.items() if spans} == {}


def _docx(path: Path, text: str) -> Path:
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        if line.strip():
            document.add_paragraph(line)
    document.save(str(path))
    return path


def _html(path: Path, text: str) -> Path:
    paragraphs = "".join(f"<p>{line}</p>\n" for line in paragraphs_of(text))
    path.write_text(f"<html><body><article>{paragraphs}</article></body></html>", encoding="utf-8")
    return path


def _markdown(path: Path, text: str) -> Path:
    path.write_text("\n\n".join(paragraphs_of(text)) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("make", "suffix"), [(_docx, ".docx"), (_html, ".html"), (_markdown, ".md")])
def test_word_web_and_markdown_reprints_copied_out_of_a_pdf(
    tmp_path: Path, make: Callable[[Path, str], Path], suffix: str
) -> None:
    """The same copy, pasted into Word, a web page or Markdown one line to a paragraph."""
    copied = wrapped_with_furniture(REPRINT, "— {} —", 25)
    document = read_document(make(tmp_path / f"copied{suffix}", copied))
    assert "政治学习资料 第22期" in document.text
    assert _graded(document) == EXAMPLE_GRADED


def test_spans_still_point_into_the_text_as_read() -> None:
    copied = wrapped_with_furniture(REPRINT, "— {} —", 25)
    report = check(Document("r", "txt", copied), Document("s", "txt", SOURCE))
    for finding in report.findings:
        assert copied[finding.reprint_span.start : finding.reprint_span.end] == finding.reprint_text
    assert report.findings
