"""The house's import rules, read from the source with ast, so the layers cannot slide back."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
# Renderers and fix read a Report only: they never read files, normalize, align or search.
_STAGES = tuple(f"yuanwen.{name}" for name in ("extract", "normalize", "align", "sources", "locate", "library"))
# Module (or package) → the modules it must not import, at the top or inside a function alike.
RULES: dict[str, tuple[str, ...]] = {"yuanwen.render": _STAGES, "yuanwen.fix": _STAGES}


def _modules() -> dict[str, Path]:
    """Every module of the package by its dotted name."""
    found = {}
    for path in sorted((SRC / "yuanwen").rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(name: str, path: Path) -> set[str]:
    """The modules a module imports anywhere in its code, relative imports resolved."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]) if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _under(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def test_imports_are_read_from_the_source() -> None:
    modules = _modules()
    assert {"yuanwen.docxbody", "yuanwen.model"} <= imports("yuanwen.render.docx", modules["yuanwen.render.docx"])
    assert "yuanwen.render.docx" in imports("yuanwen.fix", modules["yuanwen.fix"])


@pytest.mark.parametrize("layer", RULES)
def test_layer_keeps_its_import_rules(layer: str) -> None:
    broken = [
        f"{name} imports {imported}"
        for name, path in _modules().items()
        if _under(name, layer)
        for imported in sorted(imports(name, path))
        if any(_under(imported, banned) for banned in RULES[layer])
    ]
    assert not broken
