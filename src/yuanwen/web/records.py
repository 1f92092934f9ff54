"""核对记录: each check's state and its rendered outputs, kept in the library's SQLite file.

The records have tables of their own (`web_checks`, `web_outputs`), created when missing. The file
is first opened through `Library`, so a new file gets the library's schema version and application
id before these tables are added, and an existing library's are left untouched. Every output is
stored when the check ends, so a report link works after a restart and after the upload is gone.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from yuanwen.library import BUSY_SECONDS, Library
from yuanwen.model import SEVERITIES, Severity

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS web_checks (
        id TEXT PRIMARY KEY,
        created TEXT NOT NULL,
        reprint TEXT NOT NULL,
        source TEXT,
        status TEXT NOT NULL,
        error TEXT,
        sources TEXT NOT NULL DEFAULT '[]',
        critical INTEGER, major INTEGER, minor INTEGER, info INTEGER
    )""",
    "CREATE INDEX IF NOT EXISTS web_checks_created ON web_checks (created)",
    """CREATE TABLE IF NOT EXISTS web_outputs (
        check_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        media TEXT NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (check_id, kind)
    )""",
    # An editor's mark on a finding (by its index in the unmarked report): ignored or done.
    """CREATE TABLE IF NOT EXISTS web_marks (
        check_id TEXT NOT NULL,
        finding INTEGER NOT NULL,
        mark TEXT NOT NULL,
        PRIMARY KEY (check_id, finding)
    )""",
)
# The marks an editor may set on a finding; a marked finding is left out of every export.
MARKS = {"ignored": "忽略", "done": "已改"}
# The newest this many records are kept; older ones (and their outputs) go when a check is added.
# At ~100 KB of outputs for a booklet's check, that bounds the records at ~100 MB.
KEEP = 1000
_COLUMNS = "id, created, reprint, source, status, error, sources, critical, major, minor, info"

Status = str  # "queued", "done" or "failed"


@dataclass(frozen=True)
class Output:
    """One rendered output of a check, ready to download."""

    kind: str
    name: str
    media: str
    data: bytes


@dataclass(frozen=True)
class Record:
    """One check: what was checked, when, and what came of it."""

    id: str
    created: str
    reprint: str
    source: str | None
    status: Status
    error: str | None
    sources: tuple[str, ...]
    summary: dict[Severity, int] | None
    outputs: tuple[str, ...] = ()

    @property
    def in_library(self) -> bool:
        """True when the sources were looked up in the library rather than given."""
        return self.source is None


class Records:
    """The records in a library file; each call opens its own connection, so any thread or process may call."""

    def __init__(self, path: Path) -> None:
        self.path = path
        Library(path, create=True).close()
        with self._connection() as db:
            for statement in _SCHEMA:
                db.execute(statement)

    def create(self, check_id: str, reprint: str, source: str | None) -> None:
        """A queued check; the oldest records beyond KEEP are dropped."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._connection() as db:
            db.execute(
                "INSERT INTO web_checks (id, created, reprint, source, status) VALUES (?, ?, ?, ?, 'queued')",
                (check_id, now, reprint, source),
            )
            old = "SELECT id FROM web_checks ORDER BY created DESC, rowid DESC LIMIT -1 OFFSET ?"
            db.execute(f"DELETE FROM web_outputs WHERE check_id IN ({old})", (KEEP,))
            db.execute(f"DELETE FROM web_marks WHERE check_id IN ({old})", (KEEP,))
            db.execute(f"DELETE FROM web_checks WHERE id IN ({old})", (KEEP,))

    def finish(
        self, check_id: str, sources: Sequence[str], summary: dict[Severity, int], outputs: Sequence[Output]
    ) -> None:
        """A check done: the sources found, the counts by severity and every output, in one transaction."""
        with self._connection() as db:
            db.executemany(
                "INSERT OR REPLACE INTO web_outputs (check_id, kind, name, media, data) VALUES (?, ?, ?, ?, ?)",
                ((check_id, o.kind, o.name, o.media, o.data) for o in outputs),
            )
            db.execute(
                "UPDATE web_checks SET status = 'done', sources = ?, critical = ?, major = ?, minor = ?, info = ?"
                " WHERE id = ?",
                (json.dumps(list(sources), ensure_ascii=False), *(summary[s] for s in SEVERITIES), check_id),
            )

    def fail(self, check_id: str, reason: str) -> None:
        """A check that could not be done, with the one-line reason the user sees."""
        with self._connection() as db:
            db.execute("UPDATE web_checks SET status = 'failed', error = ? WHERE id = ?", (reason, check_id))

    def abandon_unfinished(self, reason: str) -> int:
        """Mark checks still queued (by a server that stopped) as failed; how many there were."""
        with self._connection() as db:
            cursor = db.execute("UPDATE web_checks SET status = 'failed', error = ? WHERE status = 'queued'", (reason,))
            return cursor.rowcount

    def get(self, check_id: str) -> Record | None:
        with self._connection() as db:
            row = db.execute(f"SELECT {_COLUMNS} FROM web_checks WHERE id = ?", (check_id,)).fetchone()
            kinds = db.execute("SELECT kind FROM web_outputs WHERE check_id = ? ORDER BY kind", (check_id,)).fetchall()
        return None if row is None else _record(row, tuple(str(k[0]) for k in kinds))

    def recent(self, limit: int = 200, words: str = "") -> list[Record]:
        """The newest records first; with words, those whose reprint, source or sources found hold them."""
        pattern = f"%{words.strip()}%"
        with self._connection() as db:
            rows = db.execute(
                f"SELECT {_COLUMNS} FROM web_checks WHERE ? = '%%' OR reprint LIKE ? OR source LIKE ? OR sources LIKE ?"
                " ORDER BY created DESC, rowid DESC LIMIT ?",
                (pattern, pattern, pattern, pattern, limit),
            ).fetchall()
        return [_record(row) for row in rows]

    def marks(self, check_id: str) -> dict[int, str]:
        """The editor's marks on a check's findings, by finding index."""
        with self._connection() as db:
            rows = db.execute("SELECT finding, mark FROM web_marks WHERE check_id = ?", (check_id,)).fetchall()
        return {int(row[0]): str(row[1]) for row in rows}

    def set_marks(self, check_id: str, findings: Sequence[int], mark: str | None) -> None:
        """Mark findings ignored or done, or (None) take their marks away."""
        with self._connection() as db:
            db.executemany(
                "DELETE FROM web_marks WHERE check_id = ? AND finding = ?", ((check_id, i) for i in findings)
            )
            if mark is not None:
                db.executemany(
                    "INSERT INTO web_marks (check_id, finding, mark) VALUES (?, ?, ?)",
                    ((check_id, i, mark) for i in findings),
                )

    def output(self, check_id: str, kind: str) -> Output | None:
        with self._connection() as db:
            row = db.execute(
                "SELECT kind, name, media, data FROM web_outputs WHERE check_id = ? AND kind = ?", (check_id, kind)
            ).fetchone()
        return None if row is None else Output(str(row[0]), str(row[1]), str(row[2]), bytes(row[3]))

    def delete(self, check_id: str) -> bool:
        """Remove a record and its outputs; False when there was none."""
        with self._connection() as db:
            db.execute("DELETE FROM web_outputs WHERE check_id = ?", (check_id,))
            db.execute("DELETE FROM web_marks WHERE check_id = ?", (check_id,))
            return db.execute("DELETE FROM web_checks WHERE id = ?", (check_id,)).rowcount > 0

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """A connection holding one transaction, committed on leaving (rolled back on an error)."""
        db = sqlite3.connect(self.path, timeout=BUSY_SECONDS)
        try:
            # NORMAL under WAL: a record survives the server's crash; only a power cut may lose the last one.
            db.execute("PRAGMA synchronous=NORMAL")
            with db:
                yield db
        finally:
            db.close()


def _record(row: Sequence[object], outputs: tuple[str, ...] = ()) -> Record:
    check_id, created, reprint, source, status, error, sources, *counts = row
    summary = None if counts[0] is None else {s: int(str(c)) for s, c in zip(SEVERITIES, counts, strict=True)}
    return Record(
        id=str(check_id),
        created=str(created),
        reprint=str(reprint),
        source=None if source is None else str(source),
        status=str(status),
        error=None if error is None else str(error),
        sources=tuple(json.loads(str(sources))),
        summary=summary,
        outputs=outputs,
    )
