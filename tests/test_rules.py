"""Every rule's examples: it grades a finding on each example and none on each counterexample."""

from __future__ import annotations

from pathlib import Path

import pytest

from yuanwen.check import check
from yuanwen.model import CheckOptions, Document
from yuanwen.rules import RuleError, load_rules

# Rules whose condition no text pair can meet are exercised elsewhere: the rule of parts found in no
# source by the search of the library (test_sources), OCR's by scans (test_extract_scan).
RULES = tuple(rule for rule in load_rules().rules if not {"unmatched", "ocr_uncertain"} & set(rule.when))


def _rules_fired(source: str, reprint: str, options: CheckOptions | None = None) -> list[str]:
    report = check(Document("reprint", "txt", reprint), Document("source", "txt", source), options)
    return [f.rule for f in report.findings]


def test_every_rule_has_examples_and_counterexamples() -> None:
    assert RULES
    for rule in RULES:
        assert rule.examples, rule.id
        assert rule.counterexamples, rule.id


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_examples(rule: object) -> None:
    from yuanwen.rules import Rule

    assert isinstance(rule, Rule)
    for example in rule.examples:
        assert rule.id in _rules_fired(example.source, example.reprint), example
    for example in rule.counterexamples:
        assert rule.id not in _rules_fired(example.source, example.reprint), example


def test_a_user_file_adds_a_leader_and_changes_a_severity(tmp_path: Path) -> None:
    user = tmp_path / "mine.toml"
    user.write_text(
        '[lists]\nleaders = ["张明远"]\n\n[[rules]]\nid = "punct.width"\nseverity = "info"\n', encoding="utf-8"
    )
    options = CheckOptions(rule_files=(user,))
    source, reprint = "张明远在会上说明了情况，会议通过。", "张明远在会上说明了情况,会议通过。"
    report = check(Document("r", "txt", reprint), Document("s", "txt", source), options)
    assert [(f.rule, f.severity) for f in report.findings] == [("punct.width", "info")]
    renamed = check(Document("r", "txt", "张明园在会上说明了情况，会议通过。"), Document("s", "txt", source), options)
    assert [(f.rule, f.source_text, f.reprint_text) for f in renamed.findings] == [("name.change", "张明远", "张明园")]


def test_a_user_rule_comes_before_the_built_in_ones(tmp_path: Path) -> None:
    user = tmp_path / "mine.toml"
    user.write_text(
        '[[rules]]\nid = "house.style"\nkinds = ["punctuation"]\nseverity = "major"\nmessage = "本刊体例：{change}"\n',
        encoding="utf-8",
    )
    fired = _rules_fired("要坚定信心，保持定力。", "要坚定信心；保持定力。", CheckOptions(rule_files=(user,)))
    assert fired == ["house.style"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('[[rules]]\nid = "x"\nkinds = ["typo"]\nseverity = "major"\nmessage = "m"\n', "typo"),
        (
            '[[rules]]\nid = "x"\nkinds = ["omission"]\nwhen = ["in_song"]\nseverity = "major"\nmessage = "m"\n',
            "in_song",
        ),
        ('[[rules]]\nid = "x"\nkinds = ["omission"]\n', "缺少字段"),
        ("[rules\n", "line 1"),
        ('[lists]\nleaders = "习近平"\n', "lists.leaders"),
        # lint and roster tables too
        ('[[lint]]\nid = "x"\ncheck = "pattern"\npattern = "("\nseverity = "major"\nmessage = "m"\n', "正则表达式"),
        ('[[lint]]\nid = "x"\ncheck = "spell"\nseverity = "major"\nmessage = "m"\n', "spell"),
        ('[[offices]]\ntitle = "国务院总理"\nholders = [{ name = "李强" }]\n', "from"),
    ],
)
def test_a_bad_rule_file_says_where(tmp_path: Path, content: str, expected: str) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(RuleError, match=expected) as error:
        load_rules([bad])
    assert str(bad) in str(error.value)
