"""An audit's memory in OUT: an SQLite file of each document's outcome, and this run's documents in walk order.

A document's outcome is kept under its uid with a key (its content hash, the library's identity,
the checker's); a re-run skips it when the key is the same and its report files are still whole.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from yuanwen.errors import YuanwenError

STATE_FILE = "audit.sqlite3"
REPORTS = "reports"
# Outcomes are committed to the state at most this often: a commit per document would cost a
# sync each; a kill loses at most this long of work.
COMMIT_SECONDS = 0.5


class StateError(YuanwenError):
    """The state file cannot be used; one line of Chinese says why."""


@dataclass(frozen=True)
class Done:
    """A document's outcome as the state keeps it: the rows, and the stem of its report files (if any)."""

    uid: str
    key: str
    row: dict[str, Any]
    findings: list[dict[str, Any]]
    report: str | None


@dataclass(frozen=True)
class Totals:
    """What an audit found: documents by status, and how many have a finding at or above --fail-on."""

    documents: int
    statuses: dict[str, int]
    failing: int
    shared: int  # deviations from a source that two documents or more carry
    families: int  # groups of documents that share them


class State:
    """The audit's memory in OUT: each document's outcome by key, and this run's documents in walk order."""

    def __init__(self, path: Path) -> None:
        self._lock = _locked(path.parent)
        try:
            self._db = sqlite3.connect(path, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            # NORMAL: a kill loses nothing committed; a power cut may lose the last commits, which
            # the next run checks again.
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS done (uid TEXT PRIMARY KEY, key TEXT NOT NULL, row TEXT NOT NULL,"
                " findings TEXT NOT NULL, report TEXT)"
            )
            self._db.execute("CREATE TABLE IF NOT EXISTS listing (seq INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE)")
            # A document's outcomes of earlier runs at other dates: lineage tells from them what was fixed.
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS earlier (uid TEXT NOT NULL, date TEXT NOT NULL, row TEXT NOT NULL,"
                " findings TEXT NOT NULL, PRIMARY KEY (uid, date))"
            )
            self._db.execute("BEGIN")
        except sqlite3.Error as error:
            os.close(self._lock)
            raise StateError(f"无法使用审核状态文件：{path}（{error}）") from error
        self._committed = time.monotonic()
        self.reports = path.parent / REPORTS

    def __enter__(self) -> State:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._db.in_transaction:
            self._db.execute("COMMIT")
        self._db.close()
        os.close(self._lock)

    def new_listing(self) -> None:
        """Forget the last run's list of documents: this run lists its own as it walks."""
        self._db.execute("DELETE FROM listing")

    def listed(self, uid: str) -> bool:
        """Put a document on this run's list; False when it is there already (given twice)."""
        return self._db.execute("INSERT OR IGNORE INTO listing (uid) VALUES (?)", (uid,)).rowcount == 1

    def has(self, uid: str, key: str, retry_failed: bool = False) -> bool:
        """True when the document was audited with this key and its report files are still there, whole.

        A document that failed (unreadable, over the time limit) counts as audited unless `retry_failed`."""
        query = "SELECT report, json_extract(row, '$.status') FROM done WHERE uid = ? AND key = ?"
        row = self._db.execute(query, (uid, key)).fetchone()
        if row is None or (retry_failed and row[1] == "failed"):
            return False
        stem = row[0]
        return stem is None or all(_nonempty(self.reports / f"{stem}{suffix}") for suffix in (".json", ".html"))

    def record(self, done: Done) -> None:
        """Keep an outcome (and the one it replaces, if it was of another date); commit every COMMIT_SECONDS."""
        self._db.execute(
            "INSERT OR REPLACE INTO earlier (uid, date, row, findings) SELECT uid, json_extract(row, '$.date'), row,"
            " findings FROM done WHERE uid = ? AND json_extract(row, '$.date') NOT IN ('', ?)",
            (done.uid, done.row.get("date", "")),
        )
        self._db.execute(
            "INSERT OR REPLACE INTO done (uid, key, row, findings, report) VALUES (?, ?, ?, ?, ?)",
            (done.uid, done.key, json.dumps(done.row, ensure_ascii=False),
             json.dumps(done.findings, ensure_ascii=False), done.report),
        )  # fmt: skip
        if time.monotonic() - self._committed > COMMIT_SECONDS:
            self.commit()

    def commit(self) -> None:
        """Commit what is recorded, now."""
        self._db.execute("COMMIT")
        self._db.execute("BEGIN")
        self._committed = time.monotonic()

    def outcomes(self) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]], str | None]]:
        """This run's documents in walk order: each one's row, finding rows and report stem."""
        query = "SELECT d.row, d.findings, d.report FROM listing l JOIN done d USING (uid) ORDER BY l.seq"
        for row, findings, report in self._db.execute(query):
            yield json.loads(row), json.loads(findings), report

    def earlier_outcomes(self) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
        """Outcomes of this run's documents kept from earlier runs at other dates: each one's row and finding rows."""
        query = "SELECT e.row, e.findings FROM listing l JOIN earlier e USING (uid) ORDER BY l.seq, e.date"
        for row, findings in self._db.execute(query):
            yield json.loads(row), json.loads(findings)

    def reports_listed(self) -> set[str]:
        """The stems of this run's report files."""
        query = "SELECT d.report FROM listing l JOIN done d USING (uid) WHERE d.report IS NOT NULL"
        return {str(row[0]) for row in self._db.execute(query)}


def _locked(folder: Path) -> int:
    """The output folder locked for this audit (the lock goes with the process, killed or not)."""
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as error:
        os.close(handle)
        raise StateError(f"另一个核对正在使用该输出目录：{folder}") from error
    return handle


def _nonempty(path: Path) -> bool:
    """A report file that is there and not empty (what a power cut can leave of one written unsynced)."""
    try:
        return path.stat().st_size > 0
    except OSError:
        return False
