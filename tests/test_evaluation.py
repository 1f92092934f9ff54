"""The accuracy gate: planted edits of every kind found with their kind and severity (floors pinned)."""

from __future__ import annotations

import pytest

from conftest import needs_corpus
from evaluation import (
    EDITS,
    LAYOUTS,
    NEWS,
    LayoutScore,
    Score,
    cases,
    findings,
    matches,
    move_cases,
    news_cases,
    score,
    score_layouts,
)
from yuanwen.check import check
from yuanwen.fix import RESTORED_KINDS, corrected
from yuanwen.model import Document

# Measured with SEED on this code: precision and recall 1.000 for every kind, critical recall 1.000,
# no false critical, 1.000 findings per planted edit (seeds 1-3: each edit 0.97-1.000 exact). At
# acfb8cb, before issue 8: substitution recall 0.773, omission precision 0.584, insertion precision
# 0.704, critical recall 0.760, 55 false criticals. At 8bb823d, before issue 17's numerals, labels and
# merging, on this planted set: substitution recall 0.973, insertion precision 0.828, punctuation
# precision 0.915, critical recall 0.837, 28 false criticals, 1.057 findings per planted edit;
# number.in_word, number.duration, norm.zero and clause.multi never exact, number.lookalike 0.206.
# Issue 17's political edits (act, standing, foreign name: all critical; ordinary words of the same
# sentences: major) and look-alike leaders' names: every one exact, no false critical.
# The floors leave room for a finding or two lost to a change elsewhere, not for a kind of edit missed.
FLOORS = {"precision": 0.97, "recall": 0.97, "critical_recall": 0.98, "exact": 0.9, "findings_per_edit": 1.02}
pytestmark = needs_corpus


# Measured with SEED on this code: each layout's reprints have exactly the plain text's findings
# above info (84 copies out of a PDF, 47 numbered Word files, 14 Latin-quote PDFs), none added.
# Before (the readers and normalize of 8bb823d, the same cases): the same findings for none of the
# copies (251 findings added), 2 of the 47 Word files (70 added) and none of the PDFs (351 added).
LAYOUT_FLOOR = 0.97


@pytest.fixture(scope="module")
def result() -> Score:
    return score(cases())


@pytest.fixture(scope="module")
def layouts(tmp_path_factory: pytest.TempPathFactory) -> LayoutScore:
    return score_layouts(cases(), tmp_path_factory.mktemp("layouts"))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_reprints_as_offices_make_them_have_the_texts_findings(layouts: LayoutScore, layout: str) -> None:
    """Page furniture copied out of a PDF, Word's list numbering, a Word-made PDF's Latin-font marks."""
    assert layouts.tried[layout] >= 10, f"too few {layout} reprints to judge"
    assert layouts.same_share(layout) >= LAYOUT_FLOOR, layout
    assert layouts.added[layout] == 0, layout


@pytest.mark.parametrize("kind", ["substitution", "omission", "insertion", "punctuation"])
def test_precision_and_recall_of_each_kind(result: Score, kind: str) -> None:
    assert result.precision(kind) >= FLOORS["precision"], kind
    assert result.recall(kind) >= FLOORS["recall"], kind


def test_critical_edits_are_found_critical_and_nothing_else_is(result: Score) -> None:
    assert result.critical_recall >= FLOORS["critical_recall"]
    assert result.false_critical == 0


def test_one_edit_is_one_finding(result: Score) -> None:
    """A list rewritten (three changes a few characters apart) is one finding, as every other edit."""
    assert result.findings_per_edit <= FLOORS["findings_per_edit"]


@pytest.mark.parametrize("name", list(EDITS))
def test_each_edit_is_found_once_with_its_kind_and_severity(result: Score, name: str) -> None:
    assert result.planted_by_edit[name] >= 10, f"too few {name} planted to judge"
    assert result.exact_by_edit[name] / result.planted_by_edit[name] >= FLOORS["exact"], name


def test_ordinary_words_changed_are_never_a_name_or_a_number() -> None:
    """Words dropped, changed or added all over the corpus (统一, 一定, 一些 among them): no name.*,
    number.* or date.* grading.

    On this planted set acfb8cb graded 73 of 671 edits name.change and 8 number.change."""
    ordinary = (
        "word.substitution",
        "word.surname_initial",
        "word.char_dropped",
        "word.with_one",
        "clause.insertion",
        "clause.omission",
    )
    planted = cases(seed=7, names=ordinary)
    assert sum(len(c.edits) for c in planted) > 500
    false = [
        (f.rule, f.source_text, f.reprint_text)
        for case in planted
        for f in check(Document("r", "txt", case.reprint), Document("s", "txt", case.source)).findings
        if f.rule.split(".")[0] in ("name", "number", "date")
    ]
    assert false == []


def test_ordinary_words_of_a_sentence_naming_a_leader_are_not_political() -> None:
    """The words of a leader's act and standing are critical; the sentence's other words are not.

    Seed 7: every political.* edit critical, and none of the ordinary edits in the same sentences."""
    political_edits = ("political.act", "political.standing", "political.foreign_name", "political.ordinary")
    planted = cases(seed=7, names=political_edits)
    ordinary = political = 0
    for case in planted:
        found = findings(case)
        for edit, at in zip(case.edits, case.reprint_at, strict=True):
            mine = [f.severity for f in found if matches(f, edit, at)]
            if edit.name == "political.ordinary":
                ordinary += 1
                assert mine == ["major"], (edit, mine)
            else:
                political += 1
                assert mine == ["critical"], (edit, mine)
    assert ordinary > 40 and political > 100


def test_on_the_evening_news_a_leaders_act_changed_is_critical_and_ordinary_words_are_not_political() -> None:
    """Real sentences naming leaders (../shared/real/xwlb), one edit a reprint: 30 foreign leaders'
    names transposed (those the segmenter reads whole) and 39 acts of national leaders changed, all
    critical; 15 ordinary words of such sentences, none graded political.* (3 are critical as
    reported speech)."""
    if not NEWS.exists():
        pytest.skip(f"{NEWS} is absent (../shared/real is not beside the checkout)")
    acts = ordinary = 0
    for case in news_cases():
        edit, at = case.edits[0], case.reprint_at[0]
        mine = [f for f in findings(case) if matches(f, edit, at)]
        if edit.severity == "critical":
            acts += 1
            assert [f.severity for f in mine] == ["critical"], (edit, mine)
        else:
            ordinary += 1
            assert mine and not any(f.rule.startswith("political.") for f in mine), (edit, mine)
    assert acts >= 60 and ordinary >= 10


# Measured with SEED and seeds 1 and 3 on this code: 84, 82 and 83 moves, every one a single major
# move and nothing else above info (in 79% of them the passage moved; otherwise the one it jumped
# over, which says the same). Before issue 18's moves: none, each a cut and an addition, graded
# apart (a critical wherever a name or reported speech was in the passage).
MOVE_FLOOR = 0.97


def test_a_sentence_or_paragraph_moved_is_one_major_move_and_nothing_else() -> None:
    made = move_cases()
    one = 0
    for case in made:
        report = check(Document("r", "txt", case.reprint), Document("s", "txt", case.source))
        above = [f for f in report.findings if f.severity != "info"]
        one += [(f.kind, f.severity) for f in above] == [("move", "major")]
    assert len(made) >= 80 and one / len(made) >= MOVE_FLOOR


def test_fixed_reprints_of_planted_edits_have_nothing_above_info() -> None:
    for case in cases(seed=11)[::4]:
        source = Document("s", "txt", case.source)
        fixed = corrected(check(Document("r", "txt", case.reprint), source), RESTORED_KINDS)
        assert isinstance(fixed, str)
        again = check(Document("fixed", "txt", fixed), source).findings
        assert [f for f in again if f.severity != "info"] == [], case.edits
