"""Shared fixtures: the example pair, the corpus, and a CLI runner."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import settings

from yuanwen.cli import cli

# CI draws the same examples every run, so a landing is judged on its code, not on the draw;
# everywhere else hypothesis keeps exploring (that is how it found the excerpt cut mid-number).
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
# The corpus the repository carries (origin of each text in corpus/SOURCES.md).
CORPUS = ROOT / "corpus" / "texts"


def run_cli(*args: str) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def run_json(*args: str) -> dict[str, Any]:
    result = run_cli(*args, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    report: dict[str, Any] = json.loads(result.stdout)
    return report


@pytest.fixture(scope="session")
def example_report() -> dict[str, Any]:
    return run_json("check", EXAMPLES / "reprint.txt", "--source", EXAMPLES / "source.txt")


@pytest.fixture(scope="session")
def corpus_texts() -> list[str]:
    files = sorted(CORPUS.glob("*.txt"))
    assert files, f"the corpus is missing: {CORPUS}"
    return [f.read_text(encoding="utf-8") for f in files]


@pytest.fixture(scope="session")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """An archive of 300 documents and the library of their sources (tests/audit_archive.py)."""
    from audit_archive import build_archive

    return build_archive(tmp_path_factory.mktemp("audit"))


@pytest.fixture(scope="session")
def audited(archive: Any) -> Path:
    """The archive audited without interruption, with two workers: its output folder."""
    out: Path = archive.folder.parent / "out"
    result = run_cli("audit", archive.folder, "--library", archive.library, "--out", out, "--jobs", "2")
    assert result.exit_code == 1, result.stderr  # planted edits of names and numbers are critical
    assert f"共 {archive.documents} 份" in result.stderr
    return out
