"""Shared fixtures: the example pair, the corpus, and a CLI runner."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import settings

from yuanwen.cli import cli

# Every run draws the same examples, so a test's verdict depends on the code, never on the draw;
# `make fuzz` explores at random (`--hypothesis-profile fuzz`: that is how the excerpt cut mid-number
# was found), and what it finds is kept as an @example.
# No deadline: a draw's time depends on the machine's load (the first one pays for imports), and
# pytest-timeout already bounds every test.
settings.register_profile("repeatable", derandomize=True, deadline=None)
settings.register_profile("fuzz", derandomize=False, deadline=None, print_blob=True)
settings.load_profile("repeatable")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
# Texts made by others are never copied into the repository: they are read beside the checkout
# (`../shared`, as CI has it), and the tests that need them skip, saying so, when it is absent.
SHARED = ROOT.parent / "shared"
# Real official texts, the origin of each in ../shared/corpus/SOURCES.md.
CORPUS = SHARED / "corpus" / "texts"
CORPUS_FILES = sorted(CORPUS.glob("*.txt"))
# What the property tests draw from: the corpus, or in a clone alone the example's source.
TEXT_FILES = CORPUS_FILES or [EXAMPLES / "source.txt"]
CORPUS_ABSENT = f"the corpus is absent ({CORPUS}): a clone alone"
needs_corpus = pytest.mark.skipif(not CORPUS_FILES, reason=CORPUS_ABSENT)
# Screenshots and pages the browser tests save, to be looked at (git ignores the folder).
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


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


def corpus_files() -> list[Path]:
    """The corpus texts' paths; the calling test or fixture is skipped when the corpus is absent."""
    if not CORPUS_FILES:
        pytest.skip(CORPUS_ABSENT)
    return CORPUS_FILES


@pytest.fixture(scope="session")
def corpus_texts() -> list[str]:
    return [f.read_text(encoding="utf-8") for f in corpus_files()]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright, one per test module."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        # `make test` installs it; only a hand-made environment may lack it.
        missing = pytest.fail if os.environ.get("CI") else pytest.skip
        missing("Debian's chromium is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def web_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One `yuanwen serve` for the web tests: one worker, uploads up to 1 MB, a library of its own."""
    from web_server import serving

    with serving(tmp_path_factory.mktemp("web"), "--workers", "1", "--max-upload", "1") as server:
        yield server


@pytest.fixture(scope="session")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """An archive of 300 documents and the library of their sources (tests/audit_archive.py)."""
    from audit_archive import build_archive

    corpus_files()
    return build_archive(tmp_path_factory.mktemp("audit"))


@pytest.fixture(scope="session")
def audited(archive: Any) -> Path:
    """The archive audited without interruption, with two workers: its output folder."""
    out: Path = archive.folder.parent / "out"
    result = run_cli("audit", archive.folder, "--library", archive.library, "--out", out, "--jobs", "2")
    assert result.exit_code == 1, result.stderr  # planted edits of names and numbers are critical
    assert f"共 {archive.documents} 份" in result.stderr
    return out
