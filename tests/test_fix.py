"""The corrected reprint: the source's wording back, the booklet's header and excerpting kept."""

from __future__ import annotations

import io
from difflib import SequenceMatcher
from itertools import pairwise
from pathlib import Path

import docx
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, run_cli
from test_golden import CASES, _sections
from test_render_docx import comment_ranges, formatted_docx, formatting
from yuanwen.check import check
from yuanwen.extract import read_document
from yuanwen.fix import RESTORED_KINDS, corrected, corrected_text, edits, restorable
from yuanwen.model import KINDS, Document, Report

SOURCE = EXAMPLES / "source.txt"
DEFAULT = frozenset({"substitution", "punctuation"})
HEADER = "河北轨道运输职业技术学院"


def _flat(text: str) -> str:
    return "".join(text.split())


def _recheck(text: str) -> Report:
    return check(Document("fixed.txt", "txt", text), read_document(SOURCE))


def _example() -> Report:
    return check(read_document(EXAMPLES / "reprint.txt"), read_document(SOURCE))


def test_example_fixed_has_no_substitution_or_punctuation_left() -> None:
    fixed = corrected(_example(), DEFAULT)
    assert isinstance(fixed, str)
    findings = _recheck(fixed).findings
    assert not [f for f in findings if f.kind in DEFAULT]
    assert fixed.lstrip().startswith(HEADER)
    assert "要继续完善疏解激励约束政策体系，充分发挥" in _flat(fixed)


def test_example_fixed_keeps_header_and_cuts_whatever_kinds_are_asked() -> None:
    fixed = corrected(_example(), frozenset(KINDS))
    assert isinstance(fixed, str)
    assert fixed.lstrip().startswith(HEADER)
    for cut in ("新华社石家庄", "11日上午", "听取大家发言后"):
        assert cut not in _flat(fixed)
    remaining = _recheck(fixed).findings
    assert sorted((f.kind, f.severity) for f in remaining) == [
        ("insertion", "info"),
        ("omission", "info"),
        ("omission", "info"),
    ]


def test_only_the_chosen_kinds_are_fixed() -> None:
    fixed = corrected(_example(), frozenset({"punctuation"}))
    assert isinstance(fixed, str)
    kinds = [f.kind for f in _recheck(fixed).findings if f.severity != "info"]
    assert kinds == ["substitution", "substitution"]


def test_major_omission_and_insertion_are_undone_when_asked() -> None:
    source = "会议强调，要坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，加快构建新发展格局。\n"
    reprint = "会议强调，要坚持工作总基调，完整准确全面贯彻新发展理念，切实加快构建新发展格局。\n"
    report = check(Document("r.txt", "txt", reprint), Document("s.txt", "txt", source))
    assert {f.kind for f in report.findings} == {"omission", "insertion"}
    fixed = corrected(report, frozenset({"omission", "insertion"}))
    assert fixed == source


def test_edits_are_data_of_the_report_in_reprint_order() -> None:
    report = _example()
    made = edits(report, DEFAULT)
    assert len(made) == 28
    assert all(a.span.end <= b.span.start for a, b in pairwise(made))
    assert [(e.text, e.note.splitlines()[0]) for e in made if "严重" in e.note] == [
        ("继续", "已按原文改正：“进一步”改为“继续”"),
        ("指导", "已按原文改正：“督导”改为“指导”"),
    ]
    assert corrected_text(report.reprint.text, made) == corrected(report, DEFAULT)


def test_restorable_never_takes_back_an_excerpt_or_a_header() -> None:
    info = [f for f in _example().findings if f.severity == "info"]
    assert info and not [f for f in info if restorable(f, frozenset(KINDS))]


def test_cli_fix_writes_the_text(tmp_path: Path) -> None:
    out = tmp_path / "fixed.txt"
    result = run_cli("fix", EXAMPLES / "reprint.txt", "--source", SOURCE, "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == corrected(_example(), DEFAULT)


def test_own_docx_is_fixed_in_its_runs_with_a_comment_at_each(tmp_path: Path) -> None:
    path = formatted_docx(tmp_path / "booklet.docx")
    report = check(read_document(path), read_document(SOURCE))
    out = tmp_path / "booklet.fixed.docx"
    result = run_cli("fix", path, "--source", SOURCE, "-o", out)
    assert result.exit_code == 0, result.output
    again = check(read_document(out), read_document(SOURCE))
    assert not [f for f in again.findings if f.kind in DEFAULT]
    assert read_document(out).text.startswith(HEADER)
    fixed = docx.Document(str(out))
    fixes = [f for f in report.findings if restorable(f, DEFAULT)]
    ranges = comment_ranges(fixed)
    assert sorted(_flat(ranges[c.comment_id]) for c in fixed.comments) == sorted(_flat(f.source_text) for f in fixes)
    # Only the marks themselves change, and each takes the formatting of the first character it replaced.
    before, after = formatting(docx.Document(str(path))), formatting(fixed)
    changes = [
        (before[i1:i2], after[j1:j2])
        for tag, i1, i2, j1, j2 in SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
        if tag != "equal"
    ]
    assert sorted(f"{_chars(old)}>{_chars(new)}" for old, new in changes) == sorted(
        [",>，"] * 26 + ["进一步>继续", "督>指"]
    )
    for old, new in changes:
        assert {char[1:] for char in new} == {old[0][1:]}


def _chars(formatted: list[tuple[str, bool, bool]]) -> str:
    return "".join(char for char, *_ in formatted)


def test_docx_fix_returns_bytes_of_a_word_file(tmp_path: Path) -> None:
    path = formatted_docx(tmp_path / "booklet.docx")
    fixed = corrected(check(read_document(path), read_document(SOURCE)), DEFAULT)
    assert isinstance(fixed, bytes)
    assert len(docx.Document(io.BytesIO(fixed)).comments) == 28


_WORDS = st.sampled_from(["继续", "进一步", "指导", "督导", "坚持", "推进", "完善", "加强"])
_PARAGRAPH = "习近平指出，要牢牢牵住疏解北京非首都功能这个“牛鼻子”，坚持积极稳妥、稳中求进，控增量和疏存量相结合。\n"


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(6, 40), _WORDS), min_size=1, max_size=4))
def test_fixing_every_kind_inside_a_sentence_gives_back_the_source(edits: list[tuple[int, str]]) -> None:
    """Words planted inside a paragraph of the example are all taken out again."""
    reprint = _PARAGRAPH
    for at, word in sorted(edits, reverse=True):
        reprint = reprint[:at] + word + reprint[at + 2 :]
    report = check(Document("r.txt", "txt", reprint), Document("s.txt", "txt", _PARAGRAPH))
    assert corrected(report, frozenset(KINDS)) == _PARAGRAPH


def test_every_golden_case_fixed_has_nothing_above_info() -> None:
    for case in CASES:
        sections = _sections(case)
        source = Document("s.txt", "txt", sections["source"])
        fixed = corrected(check(Document("r.txt", "txt", sections["reprint"]), source), RESTORED_KINDS)
        assert isinstance(fixed, str)
        again = check(Document("f.txt", "txt", fixed), source).findings
        assert [(f.rule, f.source_text) for f in again if f.severity != "info"] == [], case.stem
