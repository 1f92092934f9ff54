"""An audit's shared errors and copying families (yuanwen.lineage), from its outcomes, as rows.

The findings are grouped on disk, in a temporary SQLite file, so an archive of any size is read in
bounded memory: only deviations carried by two documents or more come back into memory.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from typing import Any

from yuanwen.lineage import Family, SharedError, Version, error_key, families, shared_error
from yuanwen.model import SEVERITIES

SHARED_COLUMNS = (
    "id",
    "source_id",
    "source_span",
    "severity",
    "rule",
    "source_text",
    "reprint_text",
    "count",
    "documents",
    "earliest",
    "earliest_date",
    "latest",
    "latest_date",
    "fixed",
)
LINEAGE_OUTPUTS = ("shared.csv", "shared.jsonl", "families.jsonl")
# Documents in one batch of inserts into the grouping file.
_BATCH = 500


@dataclass(frozen=True)
class Lineage:
    """What the audit's outcomes say of copying: the shared errors (worst and most widespread first) and families."""

    shared: list[SharedError]
    families: list[Family]


def lineage(outcomes: Iterable[tuple[dict[str, Any], list[dict[str, Any]]]]) -> Lineage:
    """Group every finding above info of every document by what it changed; keep those two documents share."""
    with closing(sqlite3.connect("")) as db:  # "": a temporary file SQLite removes on close
        db.executescript(
            "CREATE TABLE docs (seq INTEGER PRIMARY KEY, path TEXT, date TEXT, date_from TEXT, sources TEXT);"
            "CREATE TABLE marks (key TEXT, seq INTEGER, finding TEXT);"
        )
        _load(db, outcomes)
        db.execute("CREATE INDEX marks_key ON marks (key)")
        groups = list(_grouped(db))
        docs = _versions(db, {seq for _, marked in groups for seq, _ in marked})
        versions: dict[str, list[Version]] = defaultdict(list)
        for version in docs.values():
            versions[version.path].append(version)
        shared = [shared_error(key, ((f, docs[seq]) for seq, f in marked), versions) for key, marked in groups]
        copies = _copies(db)
    shared.sort(key=rank)
    return Lineage(shared, families(shared, copies))


def _load(db: sqlite3.Connection, outcomes: Iterable[tuple[dict[str, Any], list[dict[str, Any]]]]) -> None:
    docs: list[tuple[Any, ...]] = []
    marks: list[tuple[Any, ...]] = []
    for seq, (row, found) in enumerate(outcomes):
        sources = json.dumps([s["id"] for s in row["sources"]])
        docs.append((seq, row["path"], row.get("date", ""), row.get("date_from", ""), sources))
        marks += [(key, seq, json.dumps(f, ensure_ascii=False)) for f in found if (key := error_key(f)) is not None]
        if len(docs) >= _BATCH:
            _insert(db, docs, marks)
            docs, marks = [], []
    _insert(db, docs, marks)


def _insert(db: sqlite3.Connection, docs: list[tuple[Any, ...]], marks: list[tuple[Any, ...]]) -> None:
    db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?)", docs)
    db.executemany("INSERT INTO marks VALUES (?, ?, ?)", marks)


def _grouped(db: sqlite3.Connection) -> Iterator[tuple[str, list[tuple[int, dict[str, Any]]]]]:
    """Each deviation that two documents or more (by name) carry: its key, and each carrier's finding."""
    query = "SELECT m.key FROM marks m JOIN docs d USING (seq) GROUP BY m.key HAVING COUNT(DISTINCT d.path) >= 2"
    for (key,) in db.execute(query).fetchall():
        marked = db.execute("SELECT seq, finding FROM marks WHERE key = ? ORDER BY seq", (key,))
        yield key, [(seq, json.loads(finding)) for seq, finding in marked]


def _versions(db: sqlite3.Connection, carriers: set[int]) -> dict[int, Version]:
    """Every version of each document that carries a shared error (other versions tell which fixed it)."""
    db.execute("CREATE TEMP TABLE carriers (seq INTEGER PRIMARY KEY)")
    db.executemany("INSERT INTO carriers VALUES (?)", ((seq,) for seq in carriers))
    query = (
        "SELECT seq, path, date, date_from FROM docs WHERE path IN (SELECT path FROM docs JOIN carriers USING (seq))"
    )
    return {seq: Version(path, date, date_from, seq) for seq, path, date, date_from in db.execute(query)}


def _copies(db: sqlite3.Connection) -> dict[str, int]:
    """How many documents (by name) reprint each source."""
    counted: dict[str, set[str]] = defaultdict(set)
    for path, sources in db.execute("SELECT path, sources FROM docs"):
        for source in json.loads(sources):
            counted[source].add(path)
    return {source: len(paths) for source, paths in counted.items()}


def rank(error: SharedError) -> tuple[int, int, str]:
    """Worst first, then the most widespread, then by id: the order of the tables and the index."""
    return (SEVERITIES.index(error.finding["severity"]), -len(error.documents), error.id)


def shared_row(error: SharedError) -> dict[str, Any]:
    """A shared error as shared.jsonl has it."""
    finding, first, last = error.finding, error.carriers[0], error.carriers[-1]
    return {
        "id": error.id,
        "source_id": finding["source_id"],
        "source_span": finding["source_span"],
        "severity": finding["severity"],
        "rule": finding["rule"],
        "source_text": finding["source_text"],
        "reprint_text": finding["reprint_text"],
        "count": len(error.documents),
        "documents": list(error.documents),
        "earliest": first.path,
        "earliest_date": first.date,
        "earliest_date_from": first.date_from,
        "latest": last.path,
        "latest_date": last.date,
        "latest_date_from": last.date_from,
        "fixed": [{"path": fix.path, "date": fix.date} for fix in error.fixed],
    }


def family_row(family: Family) -> dict[str, Any]:
    """A family as families.jsonl has it."""
    return {
        "source_id": family.source_id,
        "root": family.root,
        "errors": list(family.errors),
        "members": [
            {
                "path": m.path,
                "date": m.date,
                "parent": m.parent,
                "ties": list(m.ties),
                "strength": m.strength,
                "confidence": m.confidence,
            }
            for m in family.members
        ],
    }
