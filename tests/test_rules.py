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


# The G20's members and China's neighbours on land and sea, whose heads foreign.toml holds.
G20_AND_NEIGHBOURS = {
    "美国", "俄罗斯", "英国", "法国", "德国", "意大利", "加拿大", "澳大利亚", "日本", "韩国", "印度", "巴西",
    "阿根廷", "墨西哥", "南非", "印度尼西亚", "土耳其", "沙特阿拉伯", "欧盟", "非盟", "朝鲜", "蒙古国",
    "哈萨克斯坦", "吉尔吉斯斯坦", "塔吉克斯坦", "阿富汗", "巴基斯坦", "尼泊尔", "不丹", "缅甸", "老挝", "越南",
    "菲律宾", "马来西亚", "文莱",
}  # fmt: skip


def test_foreign_leaders_are_dated_for_every_g20_member_and_neighbour() -> None:
    foreign = load_rules().foreign
    assert {office.title for office in foreign} >= {"美国总统", "俄罗斯总统", "日本首相", "越南国家主席"}
    countries = {c for c in G20_AND_NEIGHBOURS if any(office.title.startswith(c) for office in foreign)}
    assert countries == G20_AND_NEIGHBOURS
    for office in foreign:
        for period in office.holders:
            assert period.end is None or period.start < period.end, (office.title, period)
        # Every office is covered to this day: its last holder's period is open, or the office ended.
        assert any(p.end is None for p in office.holders) or office.title in ENDED, office.title


# Offices that no longer exist, or that the data leaves at a last holder: 苏联总统, 土耳其总理 (abolished
# 2018), 阿富汗总统 (2021), 朝鲜最高人民会议常任委员会委员长 (held by the leader since 2019).
ENDED = {"苏联总统", "土耳其总理", "阿富汗总统", "朝鲜最高人民会议常任委员会委员长"}


def test_a_user_file_adds_a_foreign_leader(tmp_path: Path) -> None:
    user = tmp_path / "mine.toml"
    user.write_text(
        '[[foreign]]\ncountry = "新西兰"\noffice = "总理"\nholders = [{ name = "拉克森", from = 2023-11-27 }]\n',
        encoding="utf-8",
    )
    source, reprint = "会谈后，拉克森抵达上海。", "会谈后，拉森克抵达上海。"
    assert _rules_fired(source, reprint) == ["word.substitution"]
    assert _rules_fired(source, reprint, CheckOptions(rule_files=(user,))) == ["political.foreign_name"]


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
        ('[[foreign]]\ncountry = "美国"\noffice = "总统"\nholders = [{ name = "拜登" }]\n', "from"),
        ('[[foreign]]\noffice = "总统"\n', "country"),
    ],
)
def test_a_bad_rule_file_says_where(tmp_path: Path, content: str, expected: str) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(RuleError, match=expected) as error:
        load_rules([bad])
    assert str(bad) in str(error.value)
