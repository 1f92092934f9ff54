"""The fuzz tests (fuzz_inputs.py) in a process of their own whose address space is capped: an input that makes
a reader take unbounded memory fails there as a MemoryError, not by swapping the machine."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hostile import limit_memory

TESTS = Path(__file__).resolve().parent


def test_every_reader_and_rules_file_survives_hostile_input() -> None:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(TESTS / "fuzz_inputs.py")]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, preexec_fn=limit_memory, check=False)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
