"""Source-free checks: every lint rule's examples, the text's date, the example reprint, the corpus, the faces."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from conftest import CORPUS_FILES, EXAMPLES, SHARED, needs_corpus, run_cli
from yuanwen.check import check
from yuanwen.fix import corrected
from yuanwen.library import FILE_NAME, Library
from yuanwen.lint import lint
from yuanwen.model import Document, Finding
from yuanwen.render import renderer
from yuanwen.rules import LintExample, LintRule, load_rules

RULES = load_rules()
REPRINT = (EXAMPLES / "reprint.txt").read_text(encoding="utf-8")
REAL = SHARED / "real"
# Items of the evening news (../shared/real/xwlb) with a critical or major source-free finding at
# their broadcast date, each a genuine error. Before issue 17: 2 critical and 7 major, 1 genuine.
XWLB_ERRORS = {("20121017-03", "roster.name", "尉建行")}
# Corpus texts with a critical or major source-free finding, each with the reason it is a genuine
# error of that text. None today: the figure the corpus holds is 0 false alarms in 42 texts.
CORPUS_EXCEPTIONS: dict[str, str] = {}


def _lint(text: str, day: date | None = None) -> list[Finding]:
    return list(lint(Document("t", "txt", text), RULES, day).findings)


def _fired(text: str, day: date | None = None) -> list[tuple[str, str, str]]:
    return [(f.rule, f.reprint_text, f.source_text) for f in _lint(text, day)]


def test_every_lint_rule_has_examples_and_counterexamples() -> None:
    checks = {rule.check for rule in RULES.lint}
    assert checks == {"pattern", "title", "former", "name", "order", "pairs", "headings"}
    for rule in RULES.lint:
        assert rule.examples and rule.counterexamples, rule.id


@pytest.mark.parametrize("rule", RULES.lint, ids=lambda r: r.id)
def test_lint_rule_examples(rule: LintRule) -> None:
    for example in rule.examples:
        assert rule.id in [f.rule for f in _lint(example.text, example.date)], example
    for example in rule.counterexamples:
        assert rule.id not in [f.rule for f in _lint(example.text, example.date)], example


DATED = [
    (rule, e, fires)
    for rule in RULES.lint
    for es, fires in ((rule.examples, True), (rule.counterexamples, False))
    for e in es
    if e.date
]


@pytest.mark.parametrize(("rule", "example", "fires"), DATED, ids=lambda x: getattr(x, "id", None))
def test_dated_examples_hold_with_the_date_found_in_a_dateline(
    rule: LintRule, example: LintExample, fires: bool
) -> None:
    day = example.date
    assert day is not None
    release = f"{day.year}年{day.month}月{day.day}日\n新华社北京{day.month}月{day.day}日电 {example.text}"
    result = lint(Document("t", "txt", release), RULES)
    assert (result.date.first, result.date.last) == (day, day)
    assert (rule.id in [f.rule for f in result.findings]) == fires, example


@pytest.mark.parametrize(
    ("text", "first", "last", "how"),
    [
        (REPRINT, date(2023, 5, 1), date(2023, 5, 31), "刊头"),
        (
            "政府工作报告\n新华社北京３月１５日电\n——２０１０年３月５日在第十一届全国人民代表大会第三次会议上\n",
            date(2010, 3, 5),
            date(2010, 3, 15),
            "电头",
        ),
        (
            "习近平会见外宾\n新华社北京5月12日电 2024年5月，习近平会见外宾。\n",
            date(2024, 5, 12),
            date(2024, 5, 12),
            "电头",
        ),
        (
            "2026年甘肃省政府工作报告\n——二〇二六年一月二十七日在甘肃省十四届人民代表大会第四次会议上\n",
            date(2026, 1, 27),
            date(2026, 1, 27),
            "日期行",
        ),
        ("1954年政府工作报告\n各位代表：\n", date(1954, 1, 1), date(1954, 12, 31), "标题"),
        (
            "中华人民共和国反垄断法\n（2007年8月30日第十届全国人民代表大会常务委员会第二十九次会议通过　根据"
            "2022年6月24日第十三届全国人民代表大会常务委员会第三十五次会议《关于修改〈中华人民共和国反垄断法〉的决定》修正）\n",
            date(2022, 6, 24),
            date(2022, 6, 24),
            "题注",
        ),
        ((EXAMPLES / "source.txt").read_text(encoding="utf-8"), None, None, "未找到日期"),
    ],
)
def test_the_texts_date_and_why(text: str, first: date | None, last: date | None, how: str) -> None:
    found = lint(Document("t", "txt", text), RULES).date
    assert (found.first, found.last) == (first, last)
    assert how in found.how


def test_a_consolidated_law_is_dated_by_the_last_amendment_its_note_lists() -> None:
    law = REAL / "amendments" / "criminal_law_2024.txt"
    if not law.exists():
        pytest.skip(f"{law} is absent (../shared/real is not beside the checkout)")
    found = lint(Document("刑法", "txt", law.read_text(encoding="utf-8")), RULES).date
    assert (found.first, found.last) == (date(2023, 12, 29), date(2023, 12, 29)) and "题注" in found.how


def test_a_title_is_judged_at_the_date_found_in_the_dateline() -> None:
    said = "国务院总理李克强出席会议并讲话。"
    in_2024 = _lint(f"新华社北京3月5日电 2024年3月5日，{said}")
    assert [(f.rule, f.severity) for f in in_2024] == [("roster.former", "major")]
    assert _lint(f"新华社北京3月5日电 2014年3月5日，{said}") == []
    # Premier from 2013-03-15: ten days earlier he was not yet.
    anachronism = _lint(f"新华社北京3月5日电 2013年3月5日，{said}")
    assert [(f.rule, f.severity, f.reprint_text) for f in anachronism] == [("roster.title", "critical", "国务院总理")]


def test_a_given_date_overrides_the_one_found() -> None:
    text = "2014年3月5日\n国务院总理李克强出席会议。"
    assert _lint(text) == []
    assert [f.rule for f in _lint(text, date(2024, 1, 2))] == ["roster.former"]


def test_the_example_reprint_has_no_critical_or_major_finding_of_its_genuine_wording() -> None:
    findings = _lint(REPRINT)
    # The 26 full-width commas printed half-width that the check against the source finds, and nothing else.
    assert len(findings) == 26 and {f.severity for f in findings} == {"minor"}
    assert {f.rule for f in findings} == {"norm.halfwidth"}


@pytest.mark.parametrize(
    ("genuine", "wrong", "expected"),
    [
        ("丁薛祥表示", "丁雪祥表示", ("roster.name", "丁雪祥", "丁薛祥")),
        ("李强在讲话中表示", "国务院副总理李强在讲话中表示", ("roster.title", "国务院副总理", "国务院总理")),
        ("中央军委主席习近平", "中央军委主席习近凭", ("roster.name", "习近凭", "习近平")),
        ("丁薛祥表示", "丁薛样表示", ("roster.name", "丁薛样", "丁薛祥")),
    ],
)
def test_the_example_reprint_with_a_wrong_name_or_title_is_critical(
    genuine: str, wrong: str, expected: tuple[str, str, str]
) -> None:
    assert genuine in REPRINT
    critical = [f for f in _lint(REPRINT.replace(genuine, wrong, 1)) if f.severity == "critical"]
    assert [(f.rule, f.reprint_text, f.source_text) for f in critical] == [expected]


def test_the_right_title_for_the_date_is_no_finding() -> None:
    right = REPRINT.replace("李强在讲话中表示", "中共中央政治局常委、国务院总理李强在讲话中表示", 1)
    assert not [f for f in _lint(right) if f.severity != "minor"]


@needs_corpus
def test_every_corpus_text_lints_clean_of_critical_and_major_findings() -> None:
    files = CORPUS_FILES
    flagged = {}
    for path in files:
        result = lint(Document(path.name, "txt", path.read_text(encoding="utf-8")), RULES)
        assert result.date.first is not None, path.name
        serious = [f"{f.rule} {f.reprint_text}" for f in result.findings if f.severity in ("critical", "major")]
        if serious:
            flagged[path.name] = serious
    assert len(files) == 42
    assert set(flagged) == set(CORPUS_EXCEPTIONS), flagged


def test_professionally_edited_news_lints_with_its_genuine_errors_only() -> None:
    """Every 新闻联播 item read at its broadcast date: critical and major findings are the genuine ones."""
    folder = REAL / "xwlb"
    if not folder.exists():
        pytest.skip(f"{folder} is absent (../shared/real is not beside the checkout)")
    days = dict(line.split("\t") for line in (folder / "dates.tsv").read_text(encoding="utf-8").splitlines() if line)
    assert len(days) == 298
    flagged = set()
    for item, day in days.items():
        text = (folder / f"{item}.txt").read_text(encoding="utf-8")
        for f in lint(Document(item, "txt", text), RULES, date.fromisoformat(day.strip())).findings:
            if f.severity in ("critical", "major"):
                flagged.add((item, f.rule, f.reprint_text))
    assert flagged == XWLB_ERRORS


def test_a_leaders_name_one_look_alike_character_off_is_found() -> None:
    """Every roster name with each character swapped for its two nearest look-alikes among the 3,755
    common characters (GB 2312 level 1), after a title: 527 of 528 found (陈锡敢 for 陈锡联 is not)."""
    from evaluation import gb2312_common, nearest_look_alikes
    from yuanwen.roster import index

    assert len(gb2312_common()) == 3755
    names = [n for n in index(RULES.roster, RULES.words("standing_titles")).names if len(n) >= 3]
    nearest = nearest_look_alikes("".join(names), 2)
    planted = found = 0
    for name in names:
        for i, char in enumerate(name):
            for other in nearest[char]:
                wrong = name[:i] + other + name[i + 1 :]
                planted += 1
                found += ("roster.name", wrong, name) in _fired(f"中共中央政治局常委{wrong}出席会议。")
    assert planted > 500 and found / planted >= 0.99


def test_standing_committee_order_is_suggested_when_only_names_are_listed() -> None:
    found = _fired("赵乐际、李强、王沪宁出席会议。", date(2024, 3, 5))
    assert found == [("roster.order", "赵乐际、李强、王沪宁", "李强、赵乐际、王沪宁")]


def test_a_users_file_corrects_the_roster_and_turns_a_rule_off(tmp_path: Path) -> None:
    user = tmp_path / "mine.toml"
    user.write_text(
        '[[offices]]\ntitle = "国务院总理"\nholders = [{ name = "李强", from = 2023-03-11, to = 2023-12-31 }]\n\n'
        '[[lint]]\nid = "norm.halfwidth"\nenabled = false\n',
        encoding="utf-8",
    )
    rules = load_rules([user])
    text = "国务院总理李强出席会议,发表讲话。"
    assert [f.rule for f in lint(Document("t", "txt", text), rules, date(2024, 6, 1)).findings] == ["roster.former"]
    assert [f.rule for f in lint(Document("t", "txt", text), RULES, date(2024, 6, 1)).findings] == ["norm.halfwidth"]


def test_fix_applies_only_the_findings_with_one_suggested_wording() -> None:
    text = "丁雪祥表示，新增就业3千人,向第二个百年目标进军。"
    result = lint(Document("t", "txt", text), RULES)
    from yuanwen.model import Report

    report = Report(Document("t", "txt", text), (), result.findings, result.date)
    assert "norm.digit_unit" in [f.rule for f in report.findings]
    assert corrected(report, frozenset({"substitution"})) == "丁薛祥表示，新增就业3千人，向第二个百年奋斗目标进军。"


def test_lint_on_the_command_line_says_the_date_and_fails_on_critical(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.txt"
    wrong.write_text(REPRINT.replace("丁薛祥表示", "丁雪祥表示"), encoding="utf-8")
    text = run_cli("lint", wrong)
    assert text.exit_code == 1
    assert "文本日期：2023-05-01 至 2023-05-31" in text.stdout and "roster.name" in text.stdout
    genuine = run_cli("lint", EXAMPLES / "reprint.txt", "--format", "json", "--date", "2023-05-12")
    assert genuine.exit_code == 0
    report = json.loads(genuine.stdout)
    assert report["text_date"] == {"first": "2023-05-12", "last": "2023-05-12", "how": "使用给定的日期 2023-05-12"}
    assert report["sources"] == [] and {f["source_id"] for f in report["findings"]} == {None}
    bad = run_cli("lint", wrong, "--date", "2023-13-01")
    assert bad.exit_code == 2 and len(bad.stderr.splitlines()) == 1


@pytest.mark.parametrize("output_format", ["html", "docx"])
def test_a_lint_report_renders_in_every_format(tmp_path: Path, output_format: str) -> None:
    out = tmp_path / f"report.{output_format}"
    wrong = tmp_path / "wrong.txt"
    wrong.write_text(REPRINT.replace("丁薛祥表示", "丁雪祥表示"), encoding="utf-8")
    assert run_cli("lint", wrong, "--format", output_format, "-o", out).exit_code == 1
    assert out.stat().st_size > 1000


def test_check_with_no_source_found_reports_the_source_free_findings(tmp_path: Path) -> None:
    empty = tmp_path / "empty" / FILE_NAME
    Library(empty).close()
    wrong = tmp_path / "wrong.txt"
    wrong.write_text(REPRINT.replace("李强在讲话中表示", "国务院副总理李强在讲话中表示"), encoding="utf-8")
    result = run_cli("check", wrong, "--library", empty, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["sources"] == [] and report["summary"]["critical"] == 1
    assert report["text_date"]["first"] == "2023-05-01"
    assert run_cli("check", EXAMPLES / "reprint.txt", "--library", empty).exit_code == 3
    fixed = run_cli("fix", wrong, "--library", empty)
    assert fixed.exit_code == 0 and "国务院总理李强在讲话中表示" in fixed.stdout and "," not in fixed.stdout
    unfixable = tmp_path / "plain.txt"
    unfixable.write_text("本市今年将新建三座公园。\n", encoding="utf-8")
    assert run_cli("fix", unfixable, "--library", empty).exit_code == 3


def test_check_with_a_source_adds_findings_of_the_reprints_own_text_only() -> None:
    source = Document("s", "txt", (EXAMPLES / "source.txt").read_text(encoding="utf-8"))
    header = "政治学习资料\n国务院副总理李强同志重要讲话摘编\n"
    report = check(Document("r", "txt", header + REPRINT), source)
    added = [f for f in report.findings if f.source_id is None]
    assert [(f.rule, f.reprint_text) for f in added] == [("roster.title", "国务院副总理")]
    assert report.text_date is not None and report.text_date.first == date(2023, 5, 1)
    # The body's half-width commas are the source check's punctuation findings, not repeated.
    assert not [f for f in report.findings if f.rule == "norm.halfwidth"]
    assert "文本日期" in str(renderer("text")(report))
