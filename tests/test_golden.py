"""Golden cases: each file under cases/ holds a source, a reprint and the findings expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from yuanwen.check import check
from yuanwen.model import KINDS, Document

CASES = sorted((Path(__file__).parent / "cases").glob("*.case"))


def _sections(path: Path) -> dict[str, str]:
    """The file's sections: the text after each `--- name` line up to the next."""
    sections: dict[str, str] = {}
    name = "comment"
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith("--- "):
            name = line[4:].strip()
            sections[name] = ""
        else:
            sections[name] = sections.get(name, "") + line + "\n"
    return sections


def _expected(block: str) -> list[tuple[str, ...]]:
    rows = []
    for line in block.strip().split("\n"):
        if line.strip():
            head, source, reprint = (part.strip() for part in line.split("|"))
            rows.append((*head.split(), source, reprint))
    return rows


def _flat(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_golden_case(case: Path) -> None:
    sections = _sections(case)
    source, reprint = Document("source", "txt", sections["source"]), Document("reprint", "txt", sections["reprint"])
    report = check(reprint, source)
    found = [(f.kind, f.severity, f.rule, _flat(f.source_text), _flat(f.reprint_text)) for f in report.findings]
    assert found == _expected(sections["findings"])
    again = check(reprint, source)
    assert again == report, "a re-run must give the same result"


def test_there_is_a_case_for_every_kind_and_severity() -> None:
    rows = [row for case in CASES for row in _expected(_sections(case)["findings"])]
    assert {row[0] for row in rows} == set(KINDS)
    assert {row[1] for row in rows} == {"critical", "major", "minor", "info"}
