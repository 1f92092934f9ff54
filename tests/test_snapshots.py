"""Reports recorded byte for byte: a change that moves code must leave every one of them as it was.

A change meant to alter findings re-records them (YUANWEN_UPDATE_SNAPSHOTS=1 pytest tests/test_snapshots.py)
and its diff of tests/snapshots/ shows exactly what it altered."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import CORPUS, EXAMPLES, ROOT, SHARED, corpus_files
from test_golden import CASES, _sections
from yuanwen.check import check
from yuanwen.extract import read_each
from yuanwen.library import FILE_NAME, Library
from yuanwen.model import Document, Report
from yuanwen.render import renderer

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = bool(os.environ.get("YUANWEN_UPDATE_SNAPSHOTS"))
# Three excerpts of the corpus and a passage of no stored text between them, edited.
BOOKLET = (
    ("0012.txt", 20, 4, "经济", "金融"),
    ("0030.txt", 40, 3, "加快", "加速"),
    (None, 0, 0, "", ""),
    ("0024.txt", 30, 3, "推进", "推动"),
)
UNSTORED = (
    "本刊编者按：为深入学习贯彻党的二十大精神，编辑部选编了部分政府工作报告的段落，供各党支部在组织生活中学习讨论。"
    "各支部要结合本单位实际，认真组织学习，把学习成果转化为推动工作的实际行动，并于月底前将学习情况报送党委宣传部。\n"
)


def _read(path: Path) -> Document:
    return Document(path.name, "txt", path.read_text(encoding="utf-8"))


def _booklet() -> str:
    parts = ["学习资料汇编\n第 3 期\n\n"]
    for name, start, count, word, new in BOOKLET:
        if name is None:
            parts.append(UNSTORED)
            continue
        lines = [line for line in (CORPUS / name).read_text(encoding="utf-8").splitlines() if line]
        parts.extend(line.replace(word, new, 1) + "\n" for line in lines[start : start + count])
    return "".join(parts)


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("snapshots") / FILE_NAME
    with Library(path) as opened:
        results = opened.import_documents(read_each([*corpus_files(), EXAMPLES / "source.txt"]))
        assert all(result.error is None for result in results)
    return path


def _in_library(path: Path, reprint: Document) -> Report:
    with Library(path) as opened:
        return check(reprint, opened)


def _rendered(report: Report, output: str) -> str:
    text = renderer(output)(report)
    assert isinstance(text, str)
    # Library origins are absolute paths of this checkout and of the shared texts beside it.
    return text.replace(str(SHARED), "<shared>").replace(str(ROOT), "<repo>")


def _compare(name: str, actual: str) -> None:
    path = SNAPSHOTS / name
    if UPDATE:
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"no snapshot {path}: record it with YUANWEN_UPDATE_SNAPSHOTS=1"
    assert actual == path.read_text(encoding="utf-8"), f"{name} changed"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_golden_case_json(case: Path) -> None:
    sections = _sections(case)
    report = check(Document("reprint", "txt", sections["reprint"]), Document("source", "txt", sections["source"]))
    _compare(f"case-{case.stem}.json", _rendered(report, "json"))


@pytest.mark.parametrize("output", ["json", "text", "html"])
def test_example_pair(output: str) -> None:
    report = check(_read(EXAMPLES / "reprint.txt"), _read(EXAMPLES / "source.txt"))
    _compare(f"example.{output}", _rendered(report, output))


LIBRARY_CHECKS: dict[str, Callable[[], Document]] = {
    "example": lambda: _read(EXAMPLES / "reprint.txt"),
    "booklet": lambda: Document("booklet.txt", "txt", _booklet()),
}


@pytest.mark.parametrize("name", LIBRARY_CHECKS)
def test_library_check(name: str, library: Path) -> None:
    report = _in_library(library, LIBRARY_CHECKS[name]())
    _compare(f"library-{name}.json", _rendered(report, "json"))
