"""Shared fixtures: the example pair, the corpus, and a CLI runner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from yuanwen.cli import cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CORPUS = ROOT.parent / "shared" / "corpus" / "texts"


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
