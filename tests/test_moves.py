"""A passage moved is one finding (issue 18, item 6): the example reprint with a paragraph or a sentence
moved as an editor moves it (cut and paste in the text), graded, shown in both places and undone."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import EXAMPLES, run_cli
from yuanwen.check import check
from yuanwen.extract import read_document
from yuanwen.fix import corrected_text, edits
from yuanwen.model import KINDS, Document, Report
from yuanwen.render.html import render_html
from yuanwen.review import review

SOURCE = EXAMPLES / "source.txt"
REPRINT = (EXAMPLES / "reprint.txt").read_text(encoding="utf-8")
# The reprint's paragraphs of 李强's and 丁薛祥's speeches, in the source's order.
LI_QIANG, DING_XUEXIANG = "李强在讲话中表示", "丁薛祥表示"


def _paragraph_swapped(text: str, first: str, second: str) -> str:
    """The text with the paragraph starting with `second` cut and pasted before the one starting with `first`."""
    paragraphs = text.split("\n")
    moved = next(i for i, p in enumerate(paragraphs) if p.startswith(second))
    line = paragraphs.pop(moved)
    paragraphs.pop(moved)  # the blank line after it
    at = next(i for i, p in enumerate(paragraphs) if p.startswith(first))
    paragraphs[at:at] = [line, ""]
    return "\n".join(paragraphs)


def _sentence_moved(text: str, sentence: str, before: str) -> str:
    """The text with a sentence cut and pasted before another sentence."""
    assert sentence in text and before in text
    return text.replace(sentence, "", 1).replace(before, sentence + before, 1)


def _checked(text: str) -> Report:
    return check(Document("moved.txt", "txt", text), read_document(SOURCE))


def _counts(report: Report) -> dict[str, int]:
    return dict(report.summary)


def _fixed(report: Report) -> str:
    return corrected_text(report.reprint.text, edits(report, frozenset(KINDS)))


@pytest.fixture(scope="module")
def unmoved() -> Report:
    return _checked(REPRINT)


def test_a_paragraph_moved_is_one_major_move_and_nothing_else(unmoved: Report) -> None:
    report = _checked(_paragraph_swapped(REPRINT, LI_QIANG, DING_XUEXIANG))
    moves = [f for f in report.findings if f.kind == "move"]
    assert [(f.rule, f.severity) for f in moves] == [("move.passage", "major")]
    move = moves[0]
    assert move.reprint_text.startswith(DING_XUEXIANG) and move.source_text.replace("\n", "").startswith(DING_XUEXIANG)
    assert move.move is not None
    # It goes back after 李强's paragraph, which the source has first.
    assert report.reprint.text[: move.move.home.start].rstrip().endswith("形成更为紧密的协同推进格局。")
    assert "应移到第 41 行“…的协同推进格局。”之后" in move.message
    assert _counts(report) == {**_counts(unmoved), "major": 1}
    # A transposition counts one 差错 (quality.toml ⑴).
    assert review(report).errors == pytest.approx(review(unmoved).errors + 1)


def test_a_sentence_moved_inside_a_paragraph_is_a_move_not_a_critical_insertion(unmoved: Report) -> None:
    sentence = "要加快推进公共服务共建共享，强化就业优先政策，促进京津冀地区更加充分更高质量就业。"
    report = _checked(_sentence_moved(REPRINT, sentence, "要大兴调查研究之风"))
    assert [(f.rule, f.reprint_text) for f in report.findings if f.kind == "move"] == [("move.passage", sentence)]
    assert _counts(report) == {**_counts(unmoved), "major": 1}


def test_fixing_a_move_puts_the_passage_back_as_the_source_has_it(unmoved: Report) -> None:
    fixed = _fixed(unmoved)
    for text in (
        _paragraph_swapped(REPRINT, LI_QIANG, DING_XUEXIANG),
        _sentence_moved(REPRINT, "要加快推进公共服务共建共享，", "要大兴调查研究之风"),
    ):
        assert _fixed(_checked(text)) == fixed


def test_a_word_changed_in_a_moved_passage_of_speech_is_still_critical(unmoved: Report) -> None:
    moved = _paragraph_swapped(REPRINT, LI_QIANG, DING_XUEXIANG).replace("持之以恒做好", "持之以恒抓好", 1)
    report = _checked(moved)
    inside = [f for f in report.findings if f.rule == "speech.substitution" and f.reprint_text == "抓好"]
    move = next(f for f in report.findings if f.kind == "move")
    assert len(inside) == 1 and inside[0].source_text == "做好"
    assert move.reprint_span.start <= inside[0].reprint_span.start < move.reprint_span.end
    assert _counts(report) == {**_counts(unmoved), "critical": 3, "major": 1}
    # The move takes the source's passage back, so the word is restored with it.
    assert _fixed(report) == _fixed(unmoved)


def test_an_excerpt_pasting_paragraphs_in_another_order_is_info_and_kept() -> None:
    paragraphs = REPRINT.split("\n")
    earlier, later = (next(p for p in paragraphs if p.startswith(s)) for s in ("他对党的十九大", "习近平指出，要继续"))
    # A booklet quoting two paragraphs of the speech, the later one first.
    excerpt = "\n\n".join([later, earlier])
    report = _checked(excerpt)
    moves = [f for f in report.findings if f.kind == "move"]
    assert [(f.rule, f.severity) for f in moves] == [("move.excerpt", "info")]
    assert moves[0].reprint_text.startswith("习近平指出，要继续")
    assert {f.severity for f in report.findings} == {"info"}
    assert review(report).errors == 0
    assert _fixed(report) == excerpt


def test_json_and_html_show_both_places(tmp_path: Path) -> None:
    path = tmp_path / "moved.txt"
    path.write_text(_paragraph_swapped(REPRINT, LI_QIANG, DING_XUEXIANG), encoding="utf-8")
    result = run_cli("check", str(path), "--source", str(SOURCE), "--format", "json")
    moves = [f for f in json.loads(result.stdout)["findings"] if f["kind"] == "move"]
    assert len(moves) == 1 and set(moves[0]["move"]) == {"home", "landing"}
    home, landing = moves[0]["move"]["home"], moves[0]["move"]["landing"]
    assert home[0] == home[1] and landing[0] == landing[1]
    text = path.read_text(encoding="utf-8")
    # The passage went up before 李强's paragraph; its home is after it.
    assert text[moves[0]["reprint_span"][1] : home[0]].lstrip().startswith(LI_QIANG)
    page = render_html(_checked(text))
    marks = re.findall(r'<(del|ins)( id="f\d+")? class="f sev-major kind-move( empty)?"', page)
    # In the source column: the passage where the source has it, and a caret where the reprint put
    # it; in the reprint column the reverse. The list links to the reprint's passage only.
    shown = sorted((element, bool(anchor), empty) for element, anchor, empty in marks)
    assert shown == [("del", False, ""), ("del", False, " empty"), ("ins", False, " empty"), ("ins", True, "")]


def test_a_passage_printed_twice_is_no_move() -> None:
    paragraph = next(p for p in REPRINT.split("\n") if p.startswith(DING_XUEXIANG))
    report = _checked(REPRINT + "\n\n" + paragraph)
    assert not [f for f in report.findings if f.kind == "move"]
    assert [f.rule for f in report.findings if f.reprint_text == paragraph] == ["repeat.insertion"]


def test_a_move_is_found_when_the_source_is_found_in_the_library(tmp_path: Path) -> None:
    library, path = tmp_path / "library.sqlite3", tmp_path / "moved.txt"
    path.write_text(_paragraph_swapped(REPRINT, LI_QIANG, DING_XUEXIANG), encoding="utf-8")
    run_cli("library", "--library", str(library), "add", str(SOURCE))
    result = run_cli("check", str(path), "--library", str(library), "--format", "json")
    found = json.loads(result.stdout)["findings"]
    assert [f["rule"] for f in found if f["kind"] == "move"] == ["move.passage"]
