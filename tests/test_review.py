"""The review every face shows first: one list worst first with a repeated change grouped, a verdict, an error rate."""

from __future__ import annotations

import io
import tomllib
from importlib.resources import files
from typing import Any

import docx
import pytest

from conftest import EXAMPLES, run_cli
from yuanwen.check import check, check_alone
from yuanwen.model import KINDS, Document
from yuanwen.render import renderer
from yuanwen.review import review, standard
from yuanwen.rules import load_rules

SOURCE = (
    "习近平强调，要坚持稳中求进工作总基调，完整、准确、全面贯彻新发展理念，加快构建新发展格局，着力推动高质量发展。"
)


def _checked(reprint: str, source: str = SOURCE) -> Any:
    return check(Document("reprint", "txt", reprint), Document("source", "txt", source))


def test_the_example_text_report_opens_with_the_verdict_and_groups_the_commas() -> None:
    result = run_cli("check", EXAMPLES / "reprint.txt", "--source", EXAMPLES / "source.txt")
    lines = result.output.splitlines()
    assert lines[0] == "有 2 处严重差错（领导人讲话被改动、机构名称被改动），须改正"
    assert "差错率 18.74/10000，编校质量不合格" in lines[1]
    entries = [line for line in lines if line.startswith("  第 ")]
    assert len(entries) == 2 + 1 + 3
    assert [e for e in entries if "[speech.substitution]" in e or "[organisation.change]" in e] == entries[:2]
    assert entries[2].startswith("  第 21–27 行  标点") and "×26" in entries[2]


def test_the_example_json_keeps_every_finding_with_its_weight_and_group(example_report: dict[str, Any]) -> None:
    findings, groups = example_report["findings"], example_report["groups"]
    assert len(findings) == 31
    assert [g["severity"] for g in groups] == ["critical", "critical", "minor", "info", "info", "info"]
    assert groups[2]["count"] == 26 and groups[2]["lines"] == [21, 23, 25, 27]
    assert sorted(i for g in groups for i in g["findings"]) == list(range(31))
    for group in groups:
        assert all(findings[i]["group"] == group["id"] for i in group["findings"])
    # Two words changed (1 each), 26 commas (0.1 each), the header and the cuts not counted.
    assert [f["weight"] for f in findings if f["severity"] == "critical"] == [1.0, 1.0]
    assert example_report["errors"] == 4.6
    chars = sum(1 for ch in (EXAMPLES / "reprint.txt").read_text(encoding="utf-8") if not ch.isspace())
    assert example_report["error_rate"] == round(4.6 * 10000 / chars, 2)
    assert example_report["passes"] is False
    assert example_report["summary_lines"][0] == example_report["verdict"]


def test_a_faithful_copy_says_it_matches() -> None:
    seen = review(_checked(SOURCE))
    assert seen.verdict == "与原文一致" and seen.errors == 0 and seen.passes
    assert "编校质量合格" in seen.rate_line


def test_an_excerpt_matches_with_its_cuts_as_notes() -> None:
    second = "会议要求，各地区各部门要结合实际抓好贯彻落实，确保各项部署落地见效。"
    seen = review(_checked(SOURCE, f"{SOURCE}\n{second}"))
    assert seen.verdict.startswith("与原文一致（另有") and seen.errors == 0


def test_a_changed_word_outside_speech_is_a_difference_without_a_critical() -> None:
    report = _checked("会议认为，要坚持稳中求进工作总基调。", "会议指出，要坚持稳中求进工作总基调。")
    assert review(report).verdict.startswith("与原文有 1 处差异（重要 1）")


def test_no_source_says_so() -> None:
    alone = review(check_alone(Document("reprint", "txt", SOURCE)))
    assert alone.verdict.startswith("未对照原文，按日期、职务和规范写法检查")


def test_a_dropped_clause_counts_by_its_length() -> None:
    report = _checked(SOURCE.replace("完整、准确、全面贯彻新发展理念，", ""))
    (finding,) = [f for f in report.findings if f.severity != "info"]
    assert review(report).weights == (4.0,)
    assert standard().weight(finding).clause.startswith("⑴⑵")


def test_repeated_letters_width_is_capped_as_the_standard_says() -> None:
    source = "ＧＤＰ增长。" * 5
    report = _checked(source.replace("ＧＤＰ", "GDP"), source)
    seen = review(report)
    assert [g.count for g in seen.groups] == [5] and seen.errors == 1.5


def test_the_weights_cover_every_built_in_rule_and_cite_a_clause() -> None:
    rules = load_rules(())
    named = {r.id for r in rules.rules} | {r.id for r in rules.lint}
    entries = standard().weights
    by_kind = {k for w in entries for k in w.kinds}
    assert by_kind == set(KINDS)
    data = tomllib.loads(files("yuanwen.rules").joinpath("quality.toml").read_text(encoding="utf-8"))
    assert all(entry["clause"] and isinstance(entry["checked"], bool) for entry in data["weights"])
    listed = {r for w in entries for r in w.rules}
    stale = {r for r in listed if not r.endswith(".*") and r not in named}
    assert not stale, f"quality.toml names rules that do not exist: {stale}"
    critical = {r.id for r in rules.rules if r.severity == "critical"}
    assert critical <= set(standard().critical), "a critical rule has no words for the verdict"


@pytest.mark.parametrize("face", ["text", "json", "html", "docx"])
def test_the_summary_lines_are_in_every_format(face: str) -> None:
    stripped = "".join(ch for ch in SOURCE if ch not in "，、。")
    report = check(Document("reprint", "txt", stripped), Document("source", "txt", SOURCE))
    output = renderer(face)(report)
    if isinstance(output, bytes):
        output = "\n".join(p.text for p in docx.Document(io.BytesIO(output)).paragraphs)
    for line in review(report).lines:
        assert line in output
    assert "标点几乎全部被删去" in output
