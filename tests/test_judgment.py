"""Judgment on whole corpus texts: width and punctuation are never more than minor; invisible characters are nothing."""

from __future__ import annotations

import click
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, TEXT_FILES
from yuanwen.chars import is_punctuation
from yuanwen.check import check
from yuanwen.diff import fold_width
from yuanwen.model import Document, Report
from yuanwen.numbers import tokens
from yuanwen.render import renderer

TEXTS = {p.name: p.read_text(encoding="utf-8") for p in TEXT_FILES}
SOURCE = (EXAMPLES / "source.txt").read_text(encoding="utf-8")
REPRINT = (EXAMPLES / "reprint.txt").read_text(encoding="utf-8")
_NUMBER_MARKS = ".．%％‰"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_HALF = {ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ"}
_FULL = {ord(c): ord(c) + 0xFEE0 for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"}


def _report(reprint: str, source: str) -> Report:
    return check(Document("reprint", "txt", reprint), Document("source", "txt", source))


def _above_minor(report: Report) -> list[tuple[str, str, str]]:
    return [(f.rule, f.source_text, f.reprint_text) for f in report.findings if f.severity in ("critical", "major")]


def test_digits_and_letters_in_the_other_width_are_never_above_minor() -> None:
    for name, text in TEXTS.items():
        for other in (text.translate(_HALF), text.translate(_FULL)):
            if other != text:
                report = _report(other, text)
                assert _above_minor(report) == [], name
                assert {f.rule for f in report.findings} <= {"width.digits", "width.letters"}, name


def test_every_mark_removed_is_never_above_minor_and_said_in_one_line() -> None:
    for name, text in TEXTS.items():
        bare = _without_marks(text)
        report = _report(bare, text)
        assert _above_minor(report) == [], name
        rendered = renderer("text")(report)
        assert isinstance(rendered, str)
        head = click.unstyle(rendered).split("\n\n")[0].splitlines()  # the summary lines before the list
        assert any(line.startswith("标点几乎全部被删去") for line in head), name


def _without_marks(text: str) -> str:
    """The text with every punctuation mark removed but a number's own (6.07, 5%: dropping them changes it)."""
    kept = [
        ch for i, ch in enumerate(text) if not is_punctuation(ch) or (ch in _NUMBER_MARKS and text[i - 1].isdigit())
    ]
    return "".join(kept)


def test_the_example_has_no_punctuation_line() -> None:
    rendered = renderer("text")(_report(REPRINT, SOURCE))
    assert isinstance(rendered, str)
    assert "标点几乎全部" not in rendered and "过半标点" not in rendered


def _essence(report: Report) -> list[tuple[str, ...]]:
    def clean(text: str) -> str:
        return "".join(ch for ch in "".join(text.split()) if ch not in _INVISIBLE)

    return [(f.kind, f.severity, f.rule, clean(f.source_text), clean(f.reprint_text)) for f in report.findings]


BASELINE = _essence(_report(REPRINT, SOURCE))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    places=st.lists(st.tuples(st.floats(0, 1), st.sampled_from(_INVISIBLE)), min_size=1, max_size=30),
    in_source=st.booleans(),
)
def test_invisible_characters_anywhere_change_no_finding(places: list[tuple[float, str]], in_source: bool) -> None:
    text = SOURCE if in_source else REPRINT
    for where, ch in sorted(places, reverse=True):
        at = int(where * len(text))
        text = text[:at] + ch + text[at:]
    report = _report(REPRINT, text) if in_source else _report(text, SOURCE)
    assert _essence(report) == BASELINE


def test_numbers_are_whole_tokens_and_words_with_numerals_are_not() -> None:
    text = "粮食产量6.07亿吨，增长1.5个百分点，达到1,234元，第二产业，三大攻坚战，党的二十大，十四五规划，三分之一"
    assert [text[s.start : s.end] for s in tokens(text)] == [
        "6.07亿吨", "1.5个百分点", "1,234元", "第二", "三大", "二十大", "十四五", "三分之一",
    ]  # fmt: skip
    assert list(tokens("这是一些情况，大家一起统一思想，以防万一，三人民公社，十分重要")) == []


def test_width_folding_is_only_the_full_width_forms() -> None:
    assert fold_width("２０２３ＧＤＰ＋％，") == "2023GDP+%,"
    assert fold_width("①…“”　。") == "①…“”　。"
