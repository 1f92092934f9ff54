"""The library survives real processes: one killed mid-import, two importing at once."""

from __future__ import annotations

import hashlib
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from yuanwen.extract import read_document
from yuanwen.fingerprint import content_of, gram_hashes, key_of
from yuanwen.library import BATCH, FILE_NAME, Library

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from bench_library import recombined_texts
from conftest import corpus_files

YUANWEN = Path(sys.executable).parent / "yuanwen"
# Enough files that an import takes seconds, so the kill surely lands in the middle of it.
FILES = 6000


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """FILES distinct texts of ~1,500 characters made from the corpus, one file each."""
    corpus_files()  # the texts are recombined from its sentences
    path = tmp_path_factory.mktemp("texts")
    for number, text in enumerate(recombined_texts(FILES, chars=1500, seed=9)):
        (path / f"{number:05}.txt").write_text(text, encoding="utf-8")
    return path


def _import(library: Path, *folders: Path) -> subprocess.Popen[str]:
    command = [str(YUANWEN), "library", "--library", str(library), "import", *map(str, folders)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _committed(library: Path) -> int:
    """Texts committed so far, read by a third connection while the import runs."""
    try:
        with sqlite3.connect(library, timeout=5) as db:
            return int(db.execute("SELECT count(*) FROM texts").fetchone()[0])
    except sqlite3.Error:
        return 0


def _consistent(library: Path) -> None:
    """SQLite's and FTS5's integrity checks pass."""
    with sqlite3.connect(library) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        db.execute("INSERT INTO grams(grams) VALUES('integrity-check')")


def _complete_and_searchable(library: Path) -> int:
    """Every stored text is its file exactly, under its content hash, and is found again; how many."""
    with Library(library) as store:
        entries = list(store.entries())
        for number, entry in enumerate(entries):
            text = store.text(entry.id)
            assert entry.metadata.origin is not None
            assert text == read_document(Path(entry.metadata.origin)).text
            assert hashlib.sha256(content_of(text).encode()).hexdigest().startswith(entry.id)
            if number % 97 == 0:
                [best, *_] = store.candidates(gram_hashes(key_of(content_of(text)).codes))
                assert best.id == entry.id
                assert entry.id in [hit.entry.id for hit in store.search(text[600:640], limit=1000).hits]
    return len(entries)


def test_a_killed_import_loses_nothing_committed_and_can_be_finished(folder: Path, tmp_path: Path) -> None:
    library = tmp_path / FILE_NAME
    process = _import(library, folder)
    deadline = time.monotonic() + 120
    while _committed(library) < 2 * BATCH and time.monotonic() < deadline:
        time.sleep(0.01)
    assert process.poll() is None, "the import ended before it could be killed"
    workers = _children(process.pid)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    assert workers, "the import prepared its texts in no worker process"
    deadline = time.monotonic() + 30  # each worker looks for its parent every second
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in workers if _alive(pid)], "a worker outlived the killed import"

    _consistent(library)
    stored = _complete_and_searchable(library)
    assert 2 * BATCH <= stored < FILES
    assert stored % BATCH == 0  # whole batches or nothing

    finished = _import(library, folder)
    out, err = finished.communicate(timeout=600)
    assert finished.returncode == 0, err
    assert f"新增 {FILES - stored} 篇，库中已有 {stored} 篇" in out
    _consistent(library)
    assert _complete_and_searchable(library) == FILES


def _children(pid: int) -> list[int]:
    """The processes a process started (Linux's /proc)."""
    found = Path(f"/proc/{pid}/task").glob("*/children")
    return [int(child) for path in found for child in path.read_text().split()]


def _alive(pid: int) -> bool:
    """Whether a process is still running (a zombie, ended but not yet reaped, is not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def test_two_processes_importing_at_once_store_each_text_once(folder: Path, tmp_path: Path) -> None:
    files = sorted(folder.iterdir())[:2500]
    first, second = tmp_path / "first", tmp_path / "second"
    for part, chosen in ((first, files[:1500]), (second, files[1000:])):
        part.mkdir()
        for path in chosen:
            (part / path.name).write_bytes(path.read_bytes())
    library = tmp_path / FILE_NAME
    processes = [_import(library, first), _import(library, second)]
    outputs = [process.communicate(timeout=600) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], outputs
    added = [int(out.split("新增 ")[1].split(" 篇")[0]) for out, _ in outputs]
    known = [int(out.split("库中已有 ")[1].split(" 篇")[0]) for out, _ in outputs]
    assert sum(added) == 2500 and sum(known) == 500
    _consistent(library)
    assert _complete_and_searchable(library) == 2500


def test_several_processes_creating_one_library_at_once_all_succeed(tmp_path: Path) -> None:
    # Each process opens five new libraries, all at agreed moments; without waiting for the switch
    # to WAL, some open failed in 22 of 30 rounds of three processes.
    start = time.time() + 2.0
    code = (
        "import sys, time\nfrom pathlib import Path\nfrom yuanwen.library import Library\n"
        "for i in range(5):\n"
        f"    while time.time() < {start} + i * 0.3: pass\n"
        "    with Library(Path(sys.argv[1]) / f'{i}.sqlite3'): pass\n"
    )
    processes = [
        subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    errors = [process.communicate(timeout=120)[1] for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0, 0], errors
    for i in range(5):
        _consistent(tmp_path / f"{i}.sqlite3")
