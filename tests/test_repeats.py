"""Repeated text is reported as a repeat: never a garble of edits, never a critical cut of names."""

from __future__ import annotations

from conftest import EXAMPLES
from yuanwen.check import check
from yuanwen.model import Document, Report

SOURCE = (EXAMPLES / "source.txt").read_text(encoding="utf-8")
REPRINT = (EXAMPLES / "reprint.txt").read_text(encoding="utf-8")


def _rows(report: Report) -> list[tuple[str, str, str]]:
    return [(f.kind, f.severity, f.rule) for f in report.findings]


def test_a_source_printed_fifty_times_is_matched_once_and_the_rest_is_an_excerpt() -> None:
    once = check(Document("reprint", "txt", REPRINT), Document("source", "txt", SOURCE))
    fifty = check(Document("reprint", "txt", REPRINT), Document("source", "txt", SOURCE * 50))
    assert [r for r in _rows(fifty) if r[1] != "info"] == [r for r in _rows(once) if r[1] != "info"]
    [rest] = [f for f in fifty.findings if f.rule == "excerpt.edge"]
    assert rest.source_text.strip() == (SOURCE * 49).strip()


def test_a_reprint_of_the_source_fifty_times_is_one_repeat() -> None:
    report = check(Document("reprint", "txt", SOURCE * 50), Document("source", "txt", SOURCE))
    assert _rows(report) == [("insertion", "major", "repeat.insertion")]
    [repeat] = report.findings
    assert repeat.reprint_text.strip() == (SOURCE * 49).strip()


def test_sentences_printed_twice_are_a_repeat_and_nothing_else() -> None:
    ends = [i + 1 for i, char in enumerate(SOURCE) if char == "。"]
    start, end = ends[10], ends[12]
    doubled = SOURCE[:end] + SOURCE[start:end] + SOURCE[end:]
    report = check(Document("reprint", "txt", doubled), Document("source", "txt", SOURCE))
    assert _rows(report) == [("insertion", "major", "repeat.insertion")]
    # Where a twice-printed passage is marked is a choice: any turn of it (BA inserted in ABAB) is right.
    repeated, passage = "".join(report.findings[0].reprint_text.split()), "".join(SOURCE[start:end].split())
    assert len(repeated) == len(passage) and repeated in passage * 2
