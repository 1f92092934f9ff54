"""The real case yuanwen starts from: the Xinhua release of 2023-05-12 and a booklet's reprint."""

from __future__ import annotations

from collections import Counter
from typing import Any

from conftest import EXAMPLES

SOURCE = (EXAMPLES / "source.txt").read_text(encoding="utf-8")
REPRINT = (EXAMPLES / "reprint.txt").read_text(encoding="utf-8")


def _flat(text: str) -> str:
    return "".join(text.split())


def test_exactly_the_expected_findings(example_report: dict[str, Any]) -> None:
    findings = example_report["findings"]
    critical = [(f["kind"], f["source_text"], f["reprint_text"]) for f in findings if f["severity"] == "critical"]
    assert critical == [("substitution", "继续", "进一步"), ("substitution", "指导", "督导")]
    minor = [f for f in findings if f["severity"] == "minor"]
    assert len(minor) == 26
    assert {(f["kind"], f["source_text"], f["reprint_text"]) for f in minor} == {("punctuation", "，", ",")}
    assert not [f for f in findings if f["severity"] == "major"]
    info = Counter(f["kind"] for f in findings if f["severity"] == "info")
    assert info == {"insertion": 1, "omission": 2}
    assert example_report["summary"] == {"critical": 2, "major": 0, "minor": 26, "info": 3}


def test_info_findings_are_the_header_and_the_cuts(example_report: dict[str, Any]) -> None:
    info = [f for f in example_report["findings"] if f["severity"] == "info"]
    header = next(f for f in info if f["kind"] == "insertion")
    assert _flat(header["reprint_text"]) == "河北轨道运输职业技术学院政治学习资料宣传统战部编印23第22期2023年5月"
    omitted = "".join(_flat(f["source_text"]) for f in info if f["kind"] == "omission")
    for cut in ("时强调", "新华社石家庄5月12日电", "李强丁薛祥出席座谈会", "11日上午", "听取大家发言后"):
        assert cut in omitted
    assert 1100 < len(omitted) < 1300


def test_every_span_points_at_its_text(example_report: dict[str, Any]) -> None:
    for f in example_report["findings"]:
        start, end = f["source_span"]
        assert SOURCE[start:end] == f["source_text"]
        start, end = f["reprint_span"]
        assert REPRINT[start:end] == f["reprint_text"]
        assert f["source_id"] == "source"


def test_critical_findings_are_in_the_speech_and_the_organisation(example_report: dict[str, Any]) -> None:
    rules = [f["rule"] for f in example_report["findings"] if f["severity"] == "critical"]
    assert rules == ["speech.substitution", "organisation.change"]


def test_report_header_fields(example_report: dict[str, Any]) -> None:
    assert example_report["schema"] == "yuanwen.report/1"
    assert example_report["reprint"] == {"path": str(EXAMPLES / "reprint.txt"), "format": "txt", "chars": len(REPRINT)}
    (source,) = example_report["sources"]
    assert source["chars"] == len(SOURCE)
    assert 2000 < source["matched_chars"] < len(_flat(SOURCE))
