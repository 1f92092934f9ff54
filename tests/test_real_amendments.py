"""Real amended texts (../shared/real/amendments) labelled as a proof-reader labels them: a penalty
changed is a number, a thought added to a list names no person, a zero's glyph is not a date, and a
list rewritten is one finding."""

from __future__ import annotations

import pytest

from conftest import SHARED
from yuanwen.check import check
from yuanwen.model import Document, Finding

AMENDMENTS = SHARED / "real" / "amendments"
pytestmark = pytest.mark.skipif(
    not AMENDMENTS.is_dir(), reason=f"the real amended texts are absent ({AMENDMENTS}): a clone alone"
)


def _findings(reprint: str, source: str) -> list[Finding]:
    def read(name: str) -> Document:
        return Document(name, "txt", (AMENDMENTS / name).read_text(encoding="utf-8-sig"))

    return check(read(reprint), read(source)).findings


def _flat(text: str) -> str:
    return "".join(text.split())


def test_the_2018_preamble_against_the_2004_one() -> None:
    found = _findings("constitution_preamble_2018.txt", "constitution_preamble_2004.txt")
    rows = {(f.rule, f.severity, _flat(f.source_text), _flat(f.reprint_text)) for f in found}
    assert ("norm.zero", "minor", "一八四０", "一八四○") in rows
    assert ("word.substitution", "major", "、民主、文明", "民主文明和谐美丽") in rows
    assert ("clause.insertion", "major", "", "、科学发展观、习近平新时代中国特色社会主义思想") in rows
    assert not [f for f in found if f.rule.startswith(("name.", "date."))]


def test_penalties_changed_by_the_twelfth_amendment_are_numbers() -> None:
    found = _findings("criminal_law_2024.txt", "criminal_law_2022.txt")
    # 五年以下 → 三年以下, and penalties added (；情节特别严重的，处三年以上十年以下有期徒刑).
    penalties = [f for f in found if "年以" in f.source_text + f.reprint_text]
    assert len(penalties) == 7
    assert {(f.rule, f.severity) for f in penalties} == {("number.change", "critical")}
    # The one date changed is the 题注's new line: the amendment's day of adoption.
    assert [f.rule for f in found if f.rule.startswith("date.")] == ["date.change"]
