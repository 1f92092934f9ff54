"""The house cannot slide back: which module may import which, walked with ast over src/yuanwen."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from yuanwen.check import check
from yuanwen.model import CheckOptions, Document
from yuanwen.rules import load_rules
from yuanwen.words import rules_segmenter

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "yuanwen"
# The faces: the only modules that may call the check. `yuanwen compile` is one: it writes a
# booklet, then checks what it wrote as any reprint is checked.
FACES = ("yuanwen.cli", "yuanwen.web", "yuanwen.audit", "yuanwen.spark", "yuanwen.compile")
# What renderers and fix read is the Report, nothing else.
REPORT_READERS = ("yuanwen.render", "yuanwen.fix", "yuanwen.edits", "yuanwen.review")
STAGES = ("yuanwen.extract", "yuanwen.normalize", "yuanwen.align", "yuanwen.locate", "yuanwen.library")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in PACKAGE.rglob("*.py")}


def _is_type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def _imported(name: str) -> set[str]:
    """The yuanwen modules a module imports, anywhere in it (late imports too), but for type checking only."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    skipped = {
        id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and _is_type_checking(node) for n in ast.walk(node)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.update(
                f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in MODULES else node.module
                for alias in node.names
            )
    return {module for module in found if module in MODULES and module != name}


GRAPH = {name: _imported(name) for name in MODULES}


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def test_only_the_faces_call_the_check() -> None:
    callers = {name for name, imported in GRAPH.items() if "yuanwen.check" in imported}
    assert callers and all(_within(name, FACES) for name in callers), callers


def test_renderers_and_fix_read_the_report_only() -> None:
    readers = [name for name in GRAPH if _within(name, REPORT_READERS)]
    wrong = {name: sorted(m for m in GRAPH[name] if _within(m, STAGES)) for name in readers}
    assert not {name: found for name, found in wrong.items() if found}


def test_the_library_reads_no_files() -> None:
    assert not [m for m in GRAPH["yuanwen.library"] if _within(m, ("yuanwen.extract",))]


def test_no_import_circle() -> None:
    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in GRAPH[start]:
            if nxt == goal or (nxt not in seen and (seen.add(nxt) or reaches(nxt, goal, seen))):
                return True
        return False

    circles = sorted(name for name in GRAPH if reaches(name, name, set()))
    assert not circles


def test_the_segmenter_is_built_in_one_place() -> None:
    users = [name for name, path in MODULES.items() if "rjieba" in path.read_text(encoding="utf-8")]
    assert users == ["yuanwen.words"]


def test_one_check_s_words_do_not_reach_another(tmp_path: Path) -> None:
    """Two rule sets in one process: each segmenter keeps only its own words whole, before and after the other."""
    text = "鼐鼒研究中心的同志参加了会议。"
    mine = tmp_path / "mine.toml"
    mine.write_text('[lists]\norganisations = ["鼐鼒研究中心"]\n', encoding="utf-8")

    def words(options: tuple[Path, ...]) -> list[str]:
        return [token.text for token in rules_segmenter(load_rules(options)).words(text)]

    before = words(())
    assert "鼐鼒研究中心" not in before
    assert "鼐鼒研究中心" in words((mine,))
    assert words(()) == before
    with_name = check(
        Document("r", "txt", text.replace("鼐鼒", "鼐鼎")), Document("s", "txt", text), CheckOptions((mine,))
    )
    assert [(f.rule, f.source_text) for f in with_name.findings] == [("organisation.change", "鼐鼒研究中心")]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_says_what_it_is(name: str) -> None:
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    assert ast.get_docstring(tree), f"{name} has no docstring"
