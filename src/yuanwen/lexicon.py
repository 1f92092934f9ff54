"""jieba's dictionary kept in an SQLite file, its words looked up by the strings a text holds.

The words are jieba's own dict.txt (the jieba package's, the list jieba-rs embeds), each with the
frequency and tag jieba-rs's loading gives it (of a word listed twice: the last frequency, the first
tag). The file is built once (~1 s) into the user's cache folder, named by the size and time of
the dict.txt it was built from (not its content: hashing 5 MB costs ~8 ms a process), and written
whole or not at all, so processes may race to build it.
"""

from __future__ import annotations

import importlib.util
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from yuanwen.files import cache_folder, drop_stale, in_use

# Changed when the file's tables change, so an older file is not read.
_SCHEMA = 1
# SQLite's default limit on a statement's parameters is 32,766; lookups go in batches well under it.
_BATCH = 5_000


class Entry(NamedTuple):
    """A dictionary word, its frequency and its part-of-speech tag (a tuple: thousands are loaded at once)."""

    word: str
    freq: int
    tag: str


class Lexicon:
    """The dictionary file, open read-only: its total frequency, its longest word, and lookups."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, check_same_thread=False)
        self.total, self.longest = self._db.execute("SELECT total, longest FROM facts").fetchone()

    def entries(self, words: Iterable[str]) -> list[Entry]:
        """The entries of those of the words that are in the dictionary."""
        wanted = list(words)
        found: list[Entry] = []
        for start in range(0, len(wanted), _BATCH):
            batch = wanted[start : start + _BATCH]
            marks = ",".join("?" * len(batch))
            rows = self._db.execute(f"SELECT word, freq, tag FROM words WHERE word IN ({marks})", batch)
            found.extend(Entry(*row) for row in rows)
        return found


def open_lexicon() -> Lexicon | None:
    """The dictionary file, built first if it is not there; None when jieba's dict.txt is absent or
    the file can be neither found nor written (the caller then builds jieba-rs's own dictionary)."""
    source = _dict_txt()
    if source is None:
        return None
    stat = source.stat()
    path = cache_folder() / f"lexicon-{_SCHEMA}-{stat.st_size}-{stat.st_mtime_ns}.sqlite3"
    try:
        if not path.exists():
            _build(source, path)
            drop_stale(path, "lexicon-*.sqlite3")
        in_use(path)
        return Lexicon(path)
    except (OSError, sqlite3.Error):
        return None


def _dict_txt() -> Path | None:
    """jieba's dict.txt, found without importing jieba."""
    spec = importlib.util.find_spec("jieba")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "dict.txt"
        if path.is_file():
            return path
    return None


def _build(source: Path, path: Path) -> None:
    """Read dict.txt as jieba-rs's load_dict reads it and write the file, whole or not at all."""
    records: dict[str, list[int | str]] = {}
    for line in source.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            continue
        freq = int(parts[1]) if len(parts) > 1 else 0
        if parts[0] in records:
            records[parts[0]][0] = freq
        else:
            records[parts[0]] = [freq, parts[2] if len(parts) > 2 else ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        db = sqlite3.connect(partial)
        with db:
            db.execute("CREATE TABLE words (word TEXT PRIMARY KEY, freq INTEGER, tag TEXT) WITHOUT ROWID")
            db.executemany("INSERT INTO words VALUES (?, ?, ?)", ((w, f, t) for w, (f, t) in records.items()))
            db.execute("CREATE TABLE facts (total INTEGER, longest INTEGER)")
            total = sum(int(freq) for freq, _ in records.values())
            db.execute("INSERT INTO facts VALUES (?, ?)", (total, max(map(len, records))))
        db.close()
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
