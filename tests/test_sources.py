"""Checking without --source: a reprint's sources are found in the library, one part per source."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import CORPUS, CORPUS_FILES, EXAMPLES, corpus_files, needs_corpus, run_cli, run_json
from yuanwen.check import check
from yuanwen.extract import read_each
from yuanwen.library import FILE_NAME, Library, Metadata
from yuanwen.model import Document, Report
from yuanwen.rules import load_rules

SOURCE = EXAMPLES / "source.txt"
REPRINT = EXAMPLES / "reprint.txt"
UNMATCHED_RULE = "unmatched.part"
HEADER = "学习资料汇编\n第 3 期\n\n"
NAMES = [path.name for path in CORPUS_FILES]


@dataclass(frozen=True)
class Excerpt:
    """Paragraphs [start, start + count) of a corpus text, with `word` replaced by `new` once in each."""

    name: str
    start: int
    count: int
    word: str
    new: str


EXCERPTS = (
    Excerpt("0012.txt", 20, 4, "经济", "金融"),
    Excerpt("0030.txt", 40, 3, "加快", "加速"),
    Excerpt("0024.txt", 30, 3, "推进", "推动"),
)


@pytest.fixture(autouse=True)
def _no_user_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YUANWEN_LIBRARY", str(tmp_path / "default" / FILE_NAME))


@pytest.fixture(scope="session")
def corpus_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library of the 42 corpus texts and the example source, imported as `library import` does."""
    path = tmp_path_factory.mktemp("library") / FILE_NAME
    with Library(path) as library:
        files = [*corpus_files(), SOURCE]
        assert all(result.error is None for result in library.import_documents(read_each(files)))
    return path


def _id_of(library: Library, path: Path) -> str:
    return next(e.id for e in library.entries() if e.metadata.origin == str(path.resolve()))


def _original(excerpt: Excerpt) -> str:
    lines = [line for line in (CORPUS / excerpt.name).read_text(encoding="utf-8").splitlines() if line]
    return "\n".join(lines[excerpt.start : excerpt.start + excerpt.count]) + "\n"


def _edited(excerpt: Excerpt) -> tuple[str, int]:
    """The excerpt with the word replaced once per paragraph after its first 20 characters, and how often."""
    original = _original(excerpt).splitlines()
    edited = []
    for line in original:
        at = line.find(excerpt.word, 20)
        edited.append(line if at < 0 else line[:at] + excerpt.new + line[at + len(excerpt.word) :])
    return "\n".join(edited) + "\n", sum(a != b for a, b in zip(edited, original, strict=True))


def _check(library_path: Path, text: str) -> Report:
    with Library(library_path) as library:
        return check(Document("booklet.txt", "txt", text), library)


def _spans_point_at_their_texts(report: Report) -> None:
    sources = {s.id: s.text for s in report.sources}
    for f in report.findings:
        assert report.reprint.text[f.reprint_span.start : f.reprint_span.end] == f.reprint_text
        source = sources.get(f.source_id or "", "")
        assert source[f.source_span.start : f.source_span.end] == f.source_text


def test_the_example_is_checked_against_its_source_found_in_the_library(corpus_library: Path) -> None:
    def key(finding: dict[str, Any]) -> tuple[Any, ...]:
        fields = ("kind", "severity", "rule", "source_text", "reprint_text", "source_span", "reprint_span", "message")
        return tuple(json.dumps(finding[name], ensure_ascii=False) for name in fields)

    given = run_json("check", REPRINT, "--source", SOURCE)
    found = run_json("check", REPRINT, "--library", corpus_library)
    assert [key(f) for f in found["findings"]] == [key(f) for f in given["findings"]]
    with Library(corpus_library) as library:
        text_id = _id_of(library, SOURCE)
    [source] = found["sources"]
    assert source["id"] == text_id and source["path"] == str(SOURCE.resolve())
    assert source["title"] and source["matched_chars"] == given["sources"][0]["matched_chars"]
    assert {f["source_id"] for f in found["findings"]} == {text_id}
    assert run_cli("check", REPRINT, "--library", corpus_library).exit_code == 1


def test_a_booklet_of_three_excerpts_finds_each_source_and_every_edit(corpus_library: Path) -> None:
    (first, edits_1), (second, edits_2), (third, edits_3) = (_edited(e) for e in EXCERPTS)
    booklet = HEADER + first + "\n二、地方政府工作报告摘编\n" + second + "\n" + third
    report = _check(corpus_library, booklet)
    with Library(corpus_library) as library:
        ids = [_id_of(library, CORPUS / e.name) for e in EXCERPTS]
    assert [s.id for s in report.sources] == ids
    graded = [f for f in report.findings if f.severity != "info"]
    assert len(graded) == edits_1 + edits_2 + edits_3 >= 6
    for text_id, excerpt, edits in zip(ids, EXCERPTS, (edits_1, edits_2, edits_3), strict=True):
        mine = [f for f in graded if f.source_id == text_id]
        assert len(mine) == edits
        assert all(excerpt.word in f.source_text and excerpt.new in f.reprint_text for f in mine)
    header = [f for f in report.findings if f.reprint_span.start < len(HEADER)]
    assert header and all(f.severity == "info" for f in header)
    assert any("学习资料汇编" in f.reprint_text for f in header)
    section = [f for f in report.findings if "地方政府工作报告摘编" in f.reprint_text]
    assert section and all(f.severity == "info" for f in section)
    _spans_point_at_their_texts(report)


def test_a_part_with_no_source_is_one_info_finding(corpus_library: Path) -> None:
    foreign = _shifted(_original(EXCERPTS[1]))
    booklet = _original(EXCERPTS[0]) + foreign + _original(EXCERPTS[2])
    report = _check(corpus_library, booklet)
    [unmatched] = [f for f in report.findings if f.rule == UNMATCHED_RULE]
    assert unmatched.kind == "insertion" and unmatched.severity == "info" and unmatched.source_id is None
    assert unmatched.message == load_rules().rule(UNMATCHED_RULE).message
    assert "".join(unmatched.reprint_text.split()) == "".join(foreign.split())
    assert len(report.sources) == 2
    assert all(f.severity == "info" for f in report.findings)
    _spans_point_at_their_texts(report)


def test_a_page_quoting_two_texts_finds_both(corpus_library: Path) -> None:
    def sentences(name: str, first: int) -> str:
        text = "".join((CORPUS / name).read_text(encoding="utf-8").splitlines())
        start = text.index("。", len(text) // 3) + 1
        return "。".join(text[start:].split("。")[first : first + 2]) + "。"

    foreign = _shifted(_original(EXCERPTS[1]))[:150]
    quotes = (sentences("0007.txt", 0), sentences("0035.txt", 3))
    page = f"{foreign}\n正如报告所说：“{quotes[0]}”\n{foreign[::-1]}\n报告还指出：“{quotes[1]}”\n{foreign}\n"
    report = _check(corpus_library, page)
    with Library(corpus_library) as library:
        assert [s.id for s in report.sources] == [_id_of(library, CORPUS / n) for n in ("0007.txt", "0035.txt")]
    assert all(f.severity == "info" for f in report.findings)
    assert len([f for f in report.findings if f.rule == UNMATCHED_RULE]) == 3
    _spans_point_at_their_texts(report)


def _shifted(text: str) -> str:
    """The text with its Han characters moved: the same statistics, found in no library."""
    return "".join(chr(ord(c) + 7) if "\u4e00" <= c <= "\u9f00" else c for c in text)


def test_a_long_insertion_into_a_source_s_running_text_stays_an_insertion(corpus_library: Path) -> None:
    lines = _original(EXCERPTS[0]).splitlines()
    inserted = "这一段是转载者自行加入的文字，" * 10
    reprint = "\n".join([*lines[:2], inserted, *lines[2:]]) + "\n"
    report = _check(corpus_library, reprint)
    assert len(report.sources) == 1
    [insertion] = [f for f in report.findings if f.severity != "info"]
    assert insertion.kind == "insertion" and "".join(insertion.reprint_text.split()) == inserted


@pytest.mark.parametrize("name", NAMES)
def test_an_excerpt_of_any_corpus_text_finds_that_text(corpus_library: Path, name: str) -> None:
    text = (CORPUS / name).read_text(encoding="utf-8")
    middle = len(text) // 2
    report = _check(corpus_library, text[middle : middle + 300])
    with Library(corpus_library) as library:
        assert [s.id for s in report.sources] == [_id_of(library, CORPUS / name)]
    assert all(f.severity == "info" for f in report.findings)


@needs_corpus
def test_set_phrases_another_text_has_pages_apart_do_not_make_it_a_source(tmp_path: Path) -> None:
    # The 2026 Hebei report (0042) has the leader's five 在推进…中… phrases the example quotes in a
    # row, but as the headings of sections thousands of characters apart.
    path = tmp_path / "lib" / FILE_NAME
    with Library(path) as library:
        assert all(result.error is None for result in library.import_documents(read_each(CORPUS_FILES)))
    assert run_cli("check", REPRINT, "--library", path).exit_code == 3


def test_a_text_ending_in_a_bracketed_line_keeps_its_bracket_before_the_next_part(tmp_path: Path) -> None:
    """（《人民日报》…第1版） closes a text: its ） is the text's own, not a frame around it, and neither
    the next text nor the booklet's own text after it takes it."""
    first = "关于学习的通知\n各级党组织要认真组织学习，切实把思想和行动统一到中央的决策部署上来。\n"
    first += "（《人民日报》1975年1月21日第1版）\n"
    second = "关于春耕的通知\n各地要抓紧春耕备耕，确保粮食生产稳定发展，务必不误农时，做好各项准备工作。\n"
    note = "这是编者所加的一段说明，没有出现在任何原文里。" * 5
    with Library(tmp_path / FILE_NAME) as library:
        library.add(Document("first", "txt", first), Metadata())
        library.add(Document("second", "txt", second), Metadata())
        for reprint in (f"{note}\n{first}{note}\n", f"{note}\n{first}{second}{note}\n"):
            report = check(Document("r", "txt", reprint), library)
            assert [(f.rule, f.reprint_text[:2]) for f in report.findings] == [(UNMATCHED_RULE, "这是")] * 2


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    names=st.lists(st.sampled_from(NAMES or ["absent"]), min_size=1, max_size=3, unique=True),
    where=st.floats(min_value=0.0, max_value=0.9),
    length=st.integers(min_value=120, max_value=1500),
)
# Excerpts that once broke: one ending mid-word before a repeat of its last characters, one ending
# mid-number, two whose line between them a 12-gram of the first source spans, and two where the
# second opens with stock sentences the first source words almost alike (or quotes word for word),
# one ending mid-sentence on 一 (anchored, wrongly, at the section heading 一 that follows), one
# whose second excerpt has a single fingerprint, and two reports opening alike, the second's true
# start (its dateline) three paragraphs before where the first one's match ran out, and one cut
# mid-number at its start (1954 → 954 is where the excerpt starts, not a changed year), and one cut
# just before a full stop that the next excerpt opens with (the 。 alone is no text they share).
@example(names=["0017.txt", "0011.txt", "0024.txt"], where=0.6586274114605517, length=330)
@example(names=["0001.txt", "0032.txt", "0035.txt"], where=0.4765625, length=231)
@example(names=["0001.txt", "0032.txt", "0035.txt"], where=0.4765625, length=238)
@example(names=["0001.txt", "0032.txt", "0035.txt"], where=0.47265625, length=263)
@example(names=["0023.txt", "0017.txt"], where=0.859375, length=578)
@example(names=["0006.txt", "0001.txt"], where=0.8581766695434239, length=121)
@example(names=["0001.txt", "0011.txt", "0002.txt"], where=0.0, length=120)
@example(names=["0027.txt", "0028.txt"], where=0.0, length=120)
@example(names=["0003.txt"], where=0.0, length=143)
@example(names=["0001.txt", "0026.txt"], where=0.6168946732758198, length=120)
@example(names=["0001.txt", "0026.txt", "0023.txt"], where=0.0, length=120)
@example(names=["0001.txt"], where=6.1e-05, length=120)
def test_excerpts_one_after_another_find_their_texts_in_order(
    corpus_library: Path, names: list[str], where: float, length: int
) -> None:
    texts = [(CORPUS / name).read_text(encoding="utf-8") for name in names]
    excerpts = [text[int(where * len(text)) :][:length] for text in texts]
    report = _check(corpus_library, "\n".join(excerpts))
    with Library(corpus_library) as library:
        assert [s.id for s in report.sources] == [_id_of(library, CORPUS / name) for name in names]
    assert not [f for f in report.findings if f.severity in ("critical", "major")]
    _spans_point_at_their_texts(report)


def test_no_source_in_the_library_is_exit_3_with_one_line(corpus_library: Path, tmp_path: Path) -> None:
    unknown = tmp_path / "unknown.txt"
    unknown.write_text("本市今年将新建三座公园，改造两百条背街小巷，让市民出门见绿、推窗见景。\n" * 3, encoding="utf-8")
    result = run_cli("check", unknown, "--library", corpus_library, "--format", "json")
    assert result.exit_code == 3
    assert len(result.stderr.splitlines()) == 1 and "找不到" in result.stderr
    report = json.loads(result.stdout)
    assert report["sources"] == []
    assert [f["rule"] for f in report["findings"]] == [UNMATCHED_RULE]


def test_an_empty_library_finds_nothing_and_a_missing_one_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty" / FILE_NAME
    Library(empty).close()
    assert run_cli("check", REPRINT, "--library", empty).exit_code == 3
    missing = run_cli("check", REPRINT, "--library", tmp_path / "missing.sqlite3")
    assert missing.exit_code == 2 and "资料库也不存在" in missing.stderr and "--source" in missing.stderr


def test_the_environment_names_the_library(corpus_library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YUANWEN_LIBRARY", str(corpus_library))
    assert run_json("check", REPRINT)["sources"][0]["path"] == str(SOURCE.resolve())


def test_metadata_given_on_add_is_what_the_report_shows(tmp_path: Path) -> None:
    path = tmp_path / "lib" / FILE_NAME
    with Library(path) as library:
        library.add(Document(str(SOURCE), "txt", SOURCE.read_text(encoding="utf-8")), Metadata(title="原文标题"))
    assert run_json("check", REPRINT, "--library", path)["sources"][0]["title"] == "原文标题"


def test_the_html_report_shows_each_part_beside_its_own_source(corpus_library: Path) -> None:
    from yuanwen.render.html import render_html

    parts = [(CORPUS / name).read_text(encoding="utf-8").splitlines()[10:13] for name in ("0003.txt", "0031.txt")]
    note = (
        "本刊编者按：以下内容为学院自行撰写的学习体会，供各支部交流讨论使用，"
        "请结合实际认真研读，并在下次学习会上交流各自的心得体会，形成书面材料报送宣传部。"
        "各支部书记要带头学习，把学习成效转化为推动学院改革发展的实际行动。"
    )
    booklet = "\n".join(["政治学习资料", *parts[0], note, *parts[1]])
    report = _check(corpus_library, booklet)
    assert len(report.sources) == 2 and all(len(s.parts) == 1 for s in report.sources)
    page = render_html(report)
    # A matched paragraph stands once in each column, the note found in no source once in all.
    for paragraph, times in ((parts[0][1], 2), (parts[1][1], 2), (note, 1)):
        assert page.count(paragraph[:20]) == times, paragraph[:20]
    assert "资料库中找不到原文的部分" in page


def test_the_text_report_names_each_finding_s_source(corpus_library: Path) -> None:
    from yuanwen.render.text import render_text

    parts = [(CORPUS / name).read_text(encoding="utf-8").splitlines()[10:13] for name in ("0003.txt", "0031.txt")]
    parts[1][1] = parts[1][1].replace("，", ",", 1)
    report = _check(corpus_library, "\n".join([*parts[0], *parts[1]]))
    titles = {s.id: s.title for s in report.sources}
    (comma,) = [f for f in report.findings if f.kind == "punctuation"]
    line = next(line for line in render_text(report).splitlines() if "全角、半角" in line)
    assert f"原文《{titles[comma.source_id]}》" in line


def test_a_numbered_paragraph_after_the_booklet_s_note_stays_matched(corpus_library: Path) -> None:
    first = (CORPUS / "0003.txt").read_text(encoding="utf-8").splitlines()[10:13]
    second = (CORPUS / "0021.txt").read_text(encoding="utf-8").splitlines()[10:13]
    assert second[0].startswith("（二）")
    note = "本刊编者按：以下内容供各支部交流讨论使用。"
    booklet = "\n".join([*first, note, *second])
    report = _check(corpus_library, booklet)
    assert len(report.sources) == 2
    heading = booklet.index("（二）")
    assert not [f for f in report.findings if f.reprint_span.start <= heading < f.reprint_span.end]
    (inserted,) = [f for f in report.findings if f.kind == "insertion"]
    assert "".join(inserted.reprint_text.split()) == note


def test_a_user_rule_file_sets_the_severity_of_a_part_with_no_source(corpus_library: Path, tmp_path: Path) -> None:
    rules = tmp_path / "mine.toml"
    rules.write_text('[[rules]]\nid = "unmatched.part"\nseverity = "major"\n', encoding="utf-8")
    known = (CORPUS / "0003.txt").read_text(encoding="utf-8").splitlines()[10:13]
    unknown = "本市今年将新建三座公园，改造两百条背街小巷，让市民出门见绿、推窗见景。" * 4
    booklet = tmp_path / "booklet.txt"
    booklet.write_text("\n".join([*known, unknown]) + "\n", encoding="utf-8")
    report = run_json("check", booklet, "--library", corpus_library, "--rules", rules)
    assert [f["severity"] for f in report["findings"] if f["rule"] == UNMATCHED_RULE] == ["major"]
