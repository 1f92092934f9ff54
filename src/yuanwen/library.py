"""The library of authoritative texts, one SQLite file, and the search for a reprint's sources in it.

The store: `texts` (one row of metadata each), `bodies` (each text exactly as read, so report spans
index into it), `grams`, a contentless FTS5 index of each text's fingerprints (rowids only), and
`pairs`, one of its pairs of characters for keyword search. WAL,
a busy timeout and one transaction per batch let two processes import at once; a killed import
loses its open batch and nothing else. The schema has a version (PRAGMA user_version) and
migrations; the fingerprint scheme is part of it, since `remove` recomputes a text's fingerprints.

The search: the texts holding a reprint's fingerprints (yuanwen.fingerprint) are its candidates,
each fingerprint weighted by how few texts hold it (boilerplate shared by hundreds weighs little).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from itertools import chain, islice, pairwise
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from yuanwen import keywords
from yuanwen.errors import YuanwenError
from yuanwen.fingerprint import digest_and_fingerprints, fingerprints
from yuanwen.model import Document
from yuanwen.normalize import normalize
from yuanwen.texts import unwrapped

if TYPE_CHECKING:
    import numpy as np

T = TypeVar("T")
R = TypeVar("R")
# Reads files lazily, each as its document or the one line saying why it cannot be (yuanwen.extract.read_each).
Reader = Callable[[Iterable[Path]], Iterable[tuple[Path, Document | str]]]
ENV_VAR = "YUANWEN_LIBRARY"
FILE_NAME = "library.sqlite3"
SCHEMA_VERSION = 4
# The oldest version a reading command uses as it stands: version 4 changed the keyword index only,
# which a search of an older library read-only does without (it reads the texts).
READABLE_FROM = 3
# "YWLB": marks the file as a yuanwen library, so a stray SQLite file is not taken for one.
APPLICATION_ID = 0x59574C42
# A fingerprint held by more texts than this is boilerplate; only the first this many are read,
# which bounds a search at ~180 x 32 rowids however large the library.
POSTINGS_CAP = 32
# A text is a candidate when its fingerprints in the reprint weigh this much, each weighing 1 / the
# number of texts holding it: one fingerprint no other text holds, or several shared by few. A
# text sharing only boilerplate (sentences found in dozens of texts) is not worth aligning.
MIN_SCORE = 1.0
# Postings of this many fingerprints are remembered by an open library (~22 MB), while its data
# is unchanged: an audit's reprints share their sources' boilerplate. Measured on the 1,000
# benchmark reprints (benchmarks/bench_audit.py), a worker of two looking up 109,643 fingerprints:
# 23% remembered at 20,000, 40% at 65,536, and no more however many.
POSTINGS_REMEMBERED = 65_536
# Each fingerprint of a JSON list (?1) with its first ?2 texts, their numbers joined by commas.
_POSTINGS = """SELECT j.value, (SELECT group_concat(rowid) FROM
    (SELECT rowid FROM grams WHERE grams MATCH '"' || j.value || '"' LIMIT ?2)) FROM json_each(?1) j"""
# Sums of a text's weights taken in another order differ from its exact score by far less than this.
_SCORE_SLACK = 1e-6
# An import that adds this share of the library's texts merges the fingerprint index into one
# b-tree (FTS5 'optimize'): FTS5 keeps each transaction's segment until enough pile up at a level,
# and a look-up probes every segment (20,000 texts imported in batches of 256: 10 segments, 54 µs a
# fingerprint; merged, 18 µs). The merge rewrites the whole index (0.3 s at 20,000 texts), so it
# waits until an import has grown the library by this share: its cost stays a bounded multiple of
# the imports'.
OPTIMIZE_SHARE = 0.25
# Texts per transaction: ~0.1 s of work, so a second importing process waits little and a killed
# one loses little.
BATCH = 256
# Batches each worker process may have waiting or under way ahead of the one storing: enough to
# keep it busy while a batch is committed, and bounded (~10 MB a worker for 3,000-character texts).
IN_FLIGHT = 3
# How long a process waits for another's transaction before it gives up.
BUSY_SECONDS = 60.0
# Hex digits of a text's id (from its content hash); one more pair whenever two texts share them.
ID_CHARS = 8
# Characters of a text's first paragraph that make its title when none is given, and the
# characters read to find that paragraph (a title wrapped over a few lines).
TITLE_CHARS = 60
_TITLE_SCAN = 1000
_MARKDOWN_HEADING = re.compile(r"\A#+[^\S\n]*")

_SCHEMA_1 = (
    """CREATE TABLE texts (
        num INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        content_hash BLOB NOT NULL UNIQUE,
        title TEXT,
        publisher TEXT,
        date TEXT,
        origin TEXT,
        format TEXT NOT NULL,
        chars INTEGER NOT NULL,
        added TEXT NOT NULL
    )""",
    "CREATE TABLE bodies (num INTEGER PRIMARY KEY, text TEXT NOT NULL)",
    "CREATE VIRTUAL TABLE grams USING fts5(tokens, content='', detail=none, tokenize='ascii')",
)
# Keyword search (yuanwen.keywords): each text's distinct pairs of characters. Texts wait in
# `unsearched` until a search indexes them: indexing takes ~1.6 ms of CPU a text, which at import
# would cut its rate six times (bench_library.py).
_SCHEMA_2 = (
    "CREATE VIRTUAL TABLE pairs USING fts5(tokens, content='', detail=none, tokenize='ascii')",
    "CREATE TABLE unsearched (num INTEGER PRIMARY KEY)",
    "INSERT INTO unsearched SELECT num FROM texts",
)


def _fingerprint_all(db: sqlite3.Connection) -> None:
    """Index every stored text's fingerprints again, as yuanwen.fingerprint now chooses them, a batch at a time."""
    last = 0
    while rows := db.execute(
        "SELECT num, text FROM bodies WHERE num > ? ORDER BY num LIMIT ?", (last, BATCH)
    ).fetchall():
        db.executemany(
            "INSERT INTO grams (rowid, tokens) VALUES (?, ?)", ((n, _digest_and_tokens(t)[1]) for n, t in rows)
        )
        last = rows[-1][0]
    db.execute("INSERT INTO grams(grams) VALUES('optimize')")


# Fingerprints chosen by winnowing too (yuanwen.fingerprint): the index is made again from the
# stored texts, which stay as they were (at 100,000 texts, ~1 minute, once).
_SCHEMA_3 = ("INSERT INTO grams(grams) VALUES('delete-all')", _fingerprint_all)
# The keyword index with tiers (yuanwen.keywords): made again from the stored texts by the next
# search, as after an import; the texts stay as they were.
_SCHEMA_4 = (
    "INSERT INTO pairs(pairs) VALUES('delete-all')",
    "INSERT INTO unsearched SELECT num FROM texts WHERE num NOT IN (SELECT num FROM unsearched)",
)
# Each step brings a library from version i to i + 1, in one transaction; none drops or rewrites
# what a user stored (an index made from it may be made again).
_MIGRATIONS: tuple[tuple[str | Callable[[sqlite3.Connection], None], ...], ...] = (
    _SCHEMA_1,
    _SCHEMA_2,
    _SCHEMA_3,
    _SCHEMA_4,
)
_ENTRY_COLUMNS = "id, title, publisher, date, origin, format, chars, added"


class LibraryError(YuanwenError):
    """The library cannot do what was asked; one line of Chinese says why."""


def _use_wal(db: sqlite3.Connection) -> None:
    """Switch to WAL, waiting for other processes that open the same new file at the same moment.

    Changing the journal mode needs the file to itself, and SQLite answers "locked" at once
    instead of calling the busy handler; seen with three processes creating one library."""
    deadline = time.monotonic() + BUSY_SECONDS
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class UnknownText(LibraryError):
    """No text in the library has the id given."""


@dataclass(frozen=True)
class Metadata:
    """What a person knows about a text: all optional; a date is YYYY-MM-DD."""

    title: str | None = None
    publisher: str | None = None
    date: str | None = None
    origin: str | None = None


@dataclass(frozen=True)
class Entry:
    """A stored text's id, metadata and size, without its text."""

    id: str
    metadata: Metadata
    format: str
    chars: int
    added: str


@dataclass(frozen=True)
class Added:
    """The id a text is stored under, and whether it was new (False: the same text was there)."""

    id: str
    new: bool


@dataclass(frozen=True)
class Imported:
    """What became of one file of an import: added, or skipped with the reason."""

    path: Path
    added: Added | None
    error: str | None = None


@dataclass(frozen=True)
class Hit:
    """A text a keyword search found, with a few characters around the first occurrence."""

    entry: Entry
    snippet: str


@dataclass(frozen=True)
class SearchResult:
    """How many texts hold a keyword (estimated, when not `exact`), and the first of them."""

    total: int
    hits: tuple[Hit, ...]
    exact: bool = True


@dataclass(frozen=True)
class Candidate:
    """A stored text sharing fingerprints with a reprint: where in the reprint's key, and each one's weight."""

    id: str
    hits: tuple[tuple[int, float], ...]

    @property
    def score(self) -> float:
        return sum(weight for _, weight in self.hits)


@dataclass
class _Remembered:
    """Fingerprints' postings read lately, oldest first, valid at one data_version of the library file."""

    version: int = -1
    # Ordered, not a dict: a dict's oldest key, taken after many are moved to the end, is found past
    # every slot they left (0.47 against 0.15 ms a reprint, once 65,536 are remembered).
    postings: OrderedDict[int, array[int]] = field(default_factory=OrderedDict)


@dataclass(frozen=True)
class _Prepared:
    """A text ready to store: its content hash and fingerprint tokens computed outside the transaction."""

    document: Document
    metadata: Metadata
    digest: bytes
    tokens: str


def library_path(given: Path | None = None) -> Path:
    """The library file: the path given, else $YUANWEN_LIBRARY, else the user's data folder."""
    if given is not None:
        return given
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    import platformdirs

    return platformdirs.user_data_path("yuanwen", appauthor=False) / FILE_NAME


def existing_library(given: Path | None = None) -> Library:
    """The library to look for a reprint's sources in (see library_path), which must exist."""
    path = library_path(given)
    if not path.exists():
        raise LibraryError(
            f"没有给出 --source，资料库也不存在：{path}（用 --source 给出原文，或先用 yuanwen library import 建库）"
        )
    return Library(path, create=False, read_only=True)


class Library:
    """An open library file; close it, or use it as a context manager."""

    def __init__(self, path: Path, create: bool = True, read_only: bool = False) -> None:
        """Open (or create) the library; read_only opens it without writing anything, not even WAL's files."""
        self.path = path
        self._writable = not read_only
        self._remembered = _Remembered()
        if not create and not path.exists():
            raise LibraryError(f"资料库不存在：{path}（先用 yuanwen library add 或 import 加入原文）")
        with self._errors():
            if read_only:
                self._db = _connect_read_only(path)
                self._require_library(current=True)
                return
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
            if not create:
                self._require_library(current=False)
            _use_wal(self._db)
            # FULL: a committed batch survives a power cut too, for one fsync per batch.
            self._db.execute("PRAGMA synchronous=FULL")
            self._migrate()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    @classmethod
    def reading(cls, path: Path, immutable: bool = False) -> Library:
        """A library opened to read only: no lock taken for writing, no migration; many processes at once.

        `immutable` for a copy nothing writes to (a Spark executor's): SQLite then takes no lock at all."""
        library = cls.__new__(cls)
        library.path = path
        library._writable = False
        library._remembered = _Remembered()
        if not path.is_file():
            raise LibraryError(f"资料库不存在：{path}（先用 yuanwen library add 或 import 加入原文）")
        with library._errors():
            flags = "immutable=1" if immutable else "mode=ro"
            library._db = sqlite3.connect(f"{path.resolve().as_uri()}?{flags}", uri=True, timeout=BUSY_SECONDS)
            version = library._pragma("user_version")
            if not READABLE_FROM <= version <= SCHEMA_VERSION or library._pragma("application_id") != APPLICATION_ID:
                library.close()
                raise LibraryError(f"这不是 yuanwen 资料库，或须先由本版 yuanwen 升级：{path}")
        return library

    def identity(self) -> str:
        """A digest of every stored text and its metadata, in store order: equal digests give equal reports."""
        import hashlib

        digest = hashlib.sha256()
        with self._errors():
            for row in self._db.execute(
                "SELECT num, id, content_hash, title, publisher, date, origin, format FROM texts ORDER BY num"
            ):
                digest.update(repr(row).encode("utf-8"))
        return digest.hexdigest()

    def add(self, document: Document, metadata: Metadata) -> Added:
        """Store one text, or find that the same text is stored already."""
        return self._store([_prepare(document, metadata)])[0]

    def add_many(self, items: Iterable[tuple[Document, Metadata]], jobs: int | None = None) -> Iterator[Added]:
        """Store texts a batch per transaction, yielding each result once its batch is committed.

        Texts are fingerprinted in `jobs` worker processes (default: one a core) while this one stores."""
        new = 0
        for batch in _in_parallel(_prepare_batch, _chunks(items), jobs):
            results = self._store(batch)
            new += sum(added.new for added in results)
            yield from results
        self._merge_index(new)

    def import_documents(
        self, read: Iterable[tuple[Path, Document | str]], jobs: int | None = None
    ) -> Iterator[Imported]:
        """Store each file's document as read (titled by its first line), or report why it could not be read.

        `read` is lazy (yuanwen.extract.read_each): files are read in a helper thread and titled and
        fingerprinted in `jobs` worker processes while this one stores the batch before; a file that
        cannot be read never ends the import."""
        return self._import(_in_parallel(_prepared_batch, _chunks(read), jobs))

    def import_files(self, paths: Iterable[Path], read: Reader, jobs: int | None = None) -> Iterator[Imported]:
        """Store each file, read by `read` (yuanwen.extract.read_each), as import_documents does; the
        files are read in the worker processes too (a PDF or Word file takes far longer to read than
        to fingerprint), a batch of files each."""
        return self._import(_in_parallel(partial(_read_batch, read), _chunks(paths), jobs))

    def _import(self, prepared: Iterator[list[tuple[Path, _Prepared | str]]]) -> Iterator[Imported]:
        """Store each batch of prepared documents in a transaction, saying what became of each file."""
        new = 0
        for batch in prepared:
            yield from (Imported(path, None, outcome) for path, outcome in batch if isinstance(outcome, str))
            readable = [(path, outcome) for path, outcome in batch if not isinstance(outcome, str)]
            results = self._store([item for _, item in readable]) if readable else []
            new += sum(added.new for added in results)
            yield from (Imported(path, added) for (path, _), added in zip(readable, results, strict=True))
        self._merge_index(new)

    def _merge_index(self, new: int) -> None:
        """Merge the fingerprint index into one b-tree when the texts just added are OPTIMIZE_SHARE of all."""
        if new and new >= OPTIMIZE_SHARE * self.count():
            with self._transaction():
                self._db.execute("INSERT INTO grams(grams) VALUES('optimize')")

    def entries(self) -> Iterator[Entry]:
        """Every stored text, by date (undated last), then in the order added."""
        with self._errors():
            rows = self._db.execute(f"SELECT {_ENTRY_COLUMNS} FROM texts ORDER BY date IS NULL, date, num")
            yield from (_entry(row) for row in rows)

    def entry(self, text_id: str) -> Entry:
        """One stored text's metadata."""
        return self._entry_at(self._num(text_id))

    def text(self, text_id: str) -> str:
        """One stored text, exactly as read."""
        return self._body(self._num(text_id))

    def _body(self, num: int) -> str:
        return str(self._row("SELECT text FROM bodies WHERE num = ?", num, f"第 {num} 行")[0])

    def _entry_at(self, num: int) -> Entry:
        return _entry(self._row(f"SELECT {_ENTRY_COLUMNS} FROM texts WHERE num = ?", num, f"第 {num} 行"))

    def describe(self, text_id: str, metadata: Metadata) -> Entry:
        """Change a text's title, publisher and date; its text and origin stay."""
        checked = checked_metadata(metadata)
        with self._transaction():
            num = self._num(text_id)
            self._db.execute(
                "UPDATE texts SET title = ?, publisher = ?, date = ? WHERE num = ?",
                (checked.title, checked.publisher, checked.date, num),
            )
        return self._entry_at(num)

    def remove(self, text_id: str) -> Entry:
        """Delete a text, its body and its fingerprints, in one transaction."""
        with self._transaction():
            num = self._num(text_id)
            entry, (_, tokens) = self._entry_at(num), _digest_and_tokens(self._body(num))
            self._db.execute("INSERT INTO grams(grams, rowid, tokens) VALUES('delete', ?, ?)", (num, tokens))
            if self._db.execute("DELETE FROM unsearched WHERE num = ?", (num,)).rowcount == 0:
                pairs = keywords.pair_tokens(self._body(num))
                self._db.execute("INSERT INTO pairs(pairs, rowid, tokens) VALUES('delete', ?, ?)", (num, pairs))
            self._db.execute("DELETE FROM bodies WHERE num = ?", (num,))
            self._db.execute("DELETE FROM texts WHERE num = ?", (num,))
        return entry

    def count(self) -> int:
        """How many texts are stored."""
        with self._errors():
            return int(self._db.execute("SELECT count(*) FROM texts").fetchone()[0])

    def search(self, keyword: str, limit: int = 20) -> SearchResult:
        """The texts holding a keyword of any length, white space in the text ignored; those holding it
        most often first (yuanwen.keywords), each with a snippet.

        Texts stored since the last search are indexed first when the library is open for writing;
        open read-only, they are scanned, and so is every text for a keyword of one character."""
        words = "".join(keyword.split())
        if not words:
            raise LibraryError("搜索词是空的")
        with self._errors():
            if self._writable:
                self._index_unsearched()
            unindexed = self._db.execute("SELECT 1 FROM unsearched LIMIT 1").fetchone() is not None
            if len(words) >= 2 and not unindexed and self._pragma("user_version") == SCHEMA_VERSION:
                found = keywords.ranked(self._db, words, limit, self._body)
                hits = tuple(Hit(self._entry_at(n), s) for n, s in zip(found.nums, found.snippets, strict=True))
                return SearchResult(found.total, hits, found.exact)
            nums = keywords.scanned(self._db, words, unindexed)
        hits = tuple(Hit(self._entry_at(num), keywords.snippet(self._body(num), words)) for num in nums[:limit])
        return SearchResult(total=len(nums), hits=hits)

    def _index_unsearched(self) -> None:
        """Index the texts stored since the last search for keywords: their tokens made in worker
        processes when there are several batches, one transaction a batch."""
        if self._db.execute("SELECT 1 FROM unsearched LIMIT 1").fetchone() is None:
            return
        # Bodies are read on a connection of their own: a helper thread reads while this one writes.
        reader = sqlite3.connect(self.path, timeout=BUSY_SECONDS, check_same_thread=False)
        try:
            for rows in _in_parallel(keywords.indexed, _unsearched_bodies(reader), jobs=None):
                with self._transaction():
                    # Only those still waiting: another process's search may have indexed some since.
                    waiting = "DELETE FROM unsearched WHERE num = ?"
                    rows = [row for row in rows if self._db.execute(waiting, (row[0],)).rowcount]
                    self._db.executemany("INSERT INTO pairs (rowid, tokens) VALUES (?, ?)", rows)
        finally:
            reader.close()

    def candidates(
        self,
        hashes: np.ndarray,
        within: np.ndarray | None = None,
        cap: int = POSTINGS_CAP,
        min_score: float = MIN_SCORE,
    ) -> list[Candidate]:
        """The stored texts whose fingerprints among a key's gram hashes (those starting `within`, when
        given) weigh min_score or more, best first; each fingerprint's first `cap` texts are read."""
        values, positions = fingerprints(hashes)
        if within is not None:
            values, positions = values[within[positions]], positions[within[positions]]
        listed = values.tolist()
        with self._errors():
            self._unchanged()
            held = self._postings(listed, cap)
        kept = _scored(listed, positions, held, min_score)
        return [Candidate(self._id_at(num), found) for num, found in kept]

    def holding(self, text_ids: Sequence[str], pieces: Sequence[str]) -> dict[str, int]:
        """How many of the pieces each text holds, its white space dropped (a quotation may run across a
        line break). Counted here, not by SQLite's instr: 3 to 4 times faster on Chinese text."""
        with self._errors():
            query = (
                "SELECT t.id, b.text FROM texts t JOIN bodies b USING (num)"
                " WHERE t.id IN (SELECT value FROM json_each(?))"
            )
            rows = self._db.execute(query, (json.dumps(list(text_ids)),))
            return {str(text_id): sum(piece in flat for piece in pieces) for text_id, flat in _flattened(rows)}

    def _id_at(self, num: int) -> str:
        return str(self._row("SELECT id FROM texts WHERE num = ?", num, f"第 {num} 行")[0])

    def _postings(self, values: list[int], cap: int) -> dict[int, array[int]]:
        """The first `cap` texts holding each fingerprint; remembered at POSTINGS_CAP, the latest kept."""
        remembered = self._remembered.postings
        held: dict[int, array[int]] = {}
        distinct = dict.fromkeys(values)
        for value in distinct:
            known = remembered.get(value) if cap == POSTINGS_CAP else None
            if known is not None:
                remembered.move_to_end(value)
                held[value] = known
        unknown = [value for value in distinct if value not in held]
        # One statement for all the fingerprints not remembered: a query each cost ~14 µs, this ~11.
        for value, rowids in self._db.execute(_POSTINGS, (json.dumps(unknown), cap)) if unknown else ():
            held[value] = array("q", map(int, rowids.split(","))) if rowids else array("q")
            if cap == POSTINGS_CAP:
                if len(remembered) >= POSTINGS_REMEMBERED:
                    remembered.popitem(last=False)
                remembered[value] = held[value]
        return held

    def _unchanged(self) -> None:
        """Forget the postings remembered when another connection has changed the library since."""
        version = self._pragma("data_version")
        if version != self._remembered.version:
            self._remembered = _Remembered(version)

    def _store(self, batch: Sequence[_Prepared]) -> list[Added]:
        """One transaction: each text's row, then the new texts' bodies and fingerprints in bulk."""
        added_at = datetime.now(UTC).isoformat(timespec="seconds")
        with self._transaction():
            rows = [self._store_row(item, added_at) for item in batch]
            new = [(num, item) for (_, num), item in zip(rows, batch, strict=True) if num is not None]
            self._db.executemany("INSERT INTO bodies (num, text) VALUES (?, ?)", ((n, i.document.text) for n, i in new))
            self._db.executemany("INSERT INTO grams (rowid, tokens) VALUES (?, ?)", ((n, i.tokens) for n, i in new))
            self._db.executemany("INSERT INTO unsearched (num) VALUES (?)", ((n,) for n, _ in new))
        return [added for added, _ in rows]

    def _store_row(self, item: _Prepared, added_at: str) -> tuple[Added, int | None]:
        """The text's row and its number, or the id of the same text stored before (and no number)."""
        row = self._db.execute("SELECT id FROM texts WHERE content_hash = ?", (item.digest,)).fetchone()
        if row is not None:
            return Added(str(row[0]), new=False), None
        text_id = self._free_id(item.digest)
        meta, document = item.metadata, item.document
        cursor = self._db.execute(
            "INSERT INTO texts (id, content_hash, title, publisher, date, origin, format, chars, added)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (text_id, item.digest, meta.title, meta.publisher, meta.date, meta.origin, document.format,
             len(document.text), added_at),
        )  # fmt: skip
        return Added(text_id, new=True), cursor.lastrowid

    def _free_id(self, digest: bytes) -> str:
        """The shortest prefix of the content hash, from ID_CHARS hex digits, that no text has."""
        full = digest.hex()
        for length in range(ID_CHARS, len(full), 2):
            if self._db.execute("SELECT 1 FROM texts WHERE id = ?", (full[:length],)).fetchone() is None:
                return full[:length]
        return full

    def _num(self, text_id: str) -> int:
        return int(str(self._row("SELECT num FROM texts WHERE id = ?", text_id.strip(), f"编号为 {text_id} 的")[0]))

    def _row(self, sql: str, key: object, name: str) -> tuple[object, ...]:
        """The one row a query by key finds; none is an error naming the text."""
        with self._errors():
            row = self._db.execute(sql, (key,)).fetchone()
        if row is None:
            raise UnknownText(f"资料库中没有{name}原文（yuanwen library list 列出全部）")
        return tuple(row)

    def _migrate(self) -> None:
        """Create the schema in a new file, or bring an older library up to SCHEMA_VERSION."""
        if self._pragma("user_version") == SCHEMA_VERSION and self._pragma("application_id") == APPLICATION_ID:
            return
        with self._transaction():
            version, application = self._pragma("user_version"), self._pragma("application_id")
            tables = self._db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if (version == 0 and tables) or (version and application != APPLICATION_ID):
                raise LibraryError(f"这不是 yuanwen 资料库：{self.path}")
            if version > SCHEMA_VERSION:
                raise LibraryError(f"资料库由更新版本的 yuanwen 建立（版本 {version}），请升级 yuanwen：{self.path}")
            for step in _MIGRATIONS[version:]:
                for statement in step:
                    if isinstance(statement, str):
                        self._db.execute(statement)
                    else:
                        statement(self._db)
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self._db.execute(f"PRAGMA application_id = {APPLICATION_ID}")

    def check_integrity(self) -> None:
        """Refuse a damaged file before writing into it (PRAGMA quick_check reads every page once: ~1 s per GB)."""
        with self._errors():
            problems = [str(row[0]) for row in self._db.execute("PRAGMA quick_check(1)")]
        if problems != ["ok"]:
            raise LibraryError(f"资料库文件已损坏：{self.path}（{' '.join(problems[0].split())}）")

    def _require_library(self, current: bool) -> None:
        """A yuanwen library (never an empty file made one), and when `current`, one needing no migration."""
        version, application = self._pragma("user_version"), self._pragma("application_id")
        if version == 0 or application != APPLICATION_ID:
            raise LibraryError(f"这不是 yuanwen 资料库（或文件是空的）：{self.path}")
        if current and not READABLE_FROM <= version <= SCHEMA_VERSION:
            raise LibraryError(f"资料库版本 {version} 不是 {SCHEMA_VERSION}，先导入一次以升级：{self.path}")

    def _pragma(self, name: str) -> int:
        return int(self._db.execute(f"PRAGMA {name}").fetchone()[0])

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write transaction, taken at once (IMMEDIATE) so two writers queue instead of deadlocking."""
        with self._errors():
            self._db.execute("BEGIN IMMEDIATE")
            # This connection's own changes leave data_version as it was.
            self._remembered = _Remembered()
            try:
                yield
                self._db.execute("COMMIT")
            except BaseException:
                # SQLite has already rolled back after some errors (a full disk): a second
                # ROLLBACK would fail and hide the cause.
                if self._db.in_transaction:
                    with suppress(sqlite3.Error):
                        self._db.execute("ROLLBACK")
                raise

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """SQLite's and the file system's errors, as one line of Chinese."""
        try:
            yield
        except sqlite3.OperationalError as error:
            raise LibraryError(_operational_message(error, self.path)) from error
        except sqlite3.DatabaseError as error:
            raise LibraryError(f"这不是 yuanwen 资料库，或文件已损坏：{self.path}（{error}）") from error
        except OSError as error:
            raise LibraryError(f"无法使用资料库 {self.path}：{error.strerror or error}") from error


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that writes nothing: mode=ro, or immutable where WAL's -shm cannot be made (a folder
    the user may not write); immutable reads the file as it stands, so it is the fallback only."""
    uri = path.resolve().as_uri()
    try:
        db = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=BUSY_SECONDS, isolation_level=None)
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return db
    except sqlite3.OperationalError as error:
        if "unable to open" not in str(error) and "readonly" not in str(error):
            raise
    return sqlite3.connect(f"{uri}?immutable=1", uri=True, isolation_level=None)


def checked_metadata(metadata: Metadata) -> Metadata:
    """The metadata with its date in YYYY-MM-DD form; an unreadable date is an error."""
    if not metadata.date:
        return metadata
    try:
        day = date.fromisoformat(metadata.date.strip())
    except ValueError as error:
        raise LibraryError(f"日期应写作 YYYY-MM-DD，例如 2023-05-12：{metadata.date}") from error
    return Metadata(metadata.title, metadata.publisher, day.isoformat(), metadata.origin)


def _prepare(document: Document, metadata: Metadata) -> _Prepared:
    digest, tokens = _digest_and_tokens(document.text)
    return _Prepared(document, checked_metadata(metadata), digest, tokens)


def _prepared(path: Path, document: Document | str) -> tuple[Path, _Prepared | str]:
    """A document read for an import ready to store, titled by its first line; or why it cannot be."""
    if isinstance(document, str):
        return path, document
    try:
        return path, _prepare(document, Metadata(title=first_line(document.text), origin=str(path.resolve())))
    except YuanwenError as error:
        return path, str(error)


def _scored(
    values: list[int], places: np.ndarray, held: dict[int, array[int]], min_score: float
) -> list[tuple[int, tuple[tuple[int, float], ...]]]:
    """Each text whose hits (a fingerprint at a place, weighing 1 / the texts holding it) weigh
    min_score or more, with its hits by place: best first, on a tie the text stored first (as the
    claims' tie-break expects). A text's weights are summed in place order."""
    import numpy as np

    flat: array[int] = array("q")
    for value in values:
        flat.extend(held[value])
    sizes = np.array([len(held[value]) for value in values], dtype=np.int64)
    nums = np.frombuffer(flat, dtype=np.int64) if flat else np.zeros(0, dtype=np.int64)
    weights = np.repeat(1 / np.maximum(sizes, 1), sizes)
    places = np.repeat(places, sizes)
    # ~6,000 hits a 3,000-character reprint, of a few texts that weigh enough: the texts whose hits,
    # summed in any order, come within a hair of min_score are kept, then summed in place order.
    texts, which = np.unique(nums, return_inverse=True)
    near = np.bincount(which, weights, len(texts)) >= min_score - _SCORE_SLACK
    chosen = near[which]
    nums, places, weights = nums[chosen], places[chosen], weights[chosen]
    order = np.lexsort((weights, places, nums))
    by_num = nums[order]
    starts = [0, *(np.flatnonzero(np.diff(by_num)) + 1).tolist()] if len(order) else []
    ordered_places, ordered_weights = places[order].tolist(), weights[order].tolist()
    kept: list[tuple[float, int, int, int]] = []
    for start, end in pairwise([*starts, len(order)]):
        score = sum(ordered_weights[start:end])
        if score >= min_score:
            kept.append((-score, int(by_num[start]), start, end))
    kept.sort(key=lambda item: item[:2])
    return [(num, tuple(zip(ordered_places[a:b], ordered_weights[a:b], strict=True))) for _, num, a, b in kept]


def _flattened(rows: Iterable[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    """Each row's text without white space, one at a time."""
    for text_id, text in rows:
        yield text_id, "".join(text.split())


def _unsearched_bodies(db: sqlite3.Connection) -> Iterator[list[tuple[int, str]]]:
    """The texts waiting to be indexed for keywords, with their numbers, a batch at a time."""
    last = 0
    query = "SELECT u.num, b.text FROM unsearched u JOIN bodies b USING (num) WHERE u.num > ? ORDER BY u.num LIMIT ?"
    while rows := db.execute(query, (last, BATCH)).fetchall():
        yield [(int(num), str(text)) for num, text in rows]
        last = rows[-1][0]


def _chunks(items: Iterable[T]) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def _prepare_batch(items: list[tuple[Document, Metadata]]) -> list[_Prepared]:
    """A batch of texts ready to store (run in a worker process)."""
    return [_prepare(document, metadata) for document, metadata in items]


def _prepared_batch(items: list[tuple[Path, Document | str]]) -> list[tuple[Path, _Prepared | str]]:
    """A batch of documents read for an import, ready to store (run in a worker process)."""
    return [_prepared(path, document) for path, document in items]


def _read_batch(read: Reader, paths: list[Path]) -> list[tuple[Path, _Prepared | str]]:
    """A batch of files read and ready to store (run in a worker process)."""
    return _prepared_batch(list(read(paths)))


def _in_parallel(work: Callable[[list[T]], list[R]], batches: Iterator[list[T]], jobs: int | None) -> Iterator[list[R]]:
    """Each batch's work, in order: in `jobs` worker processes when there is more than one batch and
    more than one job, at most IN_FLIGHT batches a worker ahead of the caller (memory stays bounded),
    the batches read in a helper thread; else in a helper thread, a batch ahead of the caller (in a
    daemon process too, such as a web worker's, which may start none)."""
    from collections import deque

    first = next(batches, None)
    second = next(batches, None) if first is not None else None
    begun = [batch for batch in (first, second) if batch is not None]
    jobs = jobs or os.cpu_count() or 1
    if second is None or jobs < 2 or _daemon():
        yield from _ahead(work(batch) for batch in chain(begun, batches))
        return
    from concurrent.futures import Future, ProcessPoolExecutor
    from multiprocessing import get_context

    from yuanwen.workers import bound_to

    # spawn, not fork: a worker must not inherit this process's open SQLite connection and threads;
    # bound to this process, so that a killed import leaves no worker behind.
    with ProcessPoolExecutor(jobs, get_context("spawn"), bound_to, (os.getpid(),)) as pool:
        pending: deque[Future[list[R]]] = deque(pool.submit(work, batch) for batch in begun)
        for batch in _ahead(batches):
            pending.append(pool.submit(work, batch))
            if len(pending) >= IN_FLIGHT * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _daemon() -> bool:
    """Whether this is a daemon process, which may start no other."""
    from multiprocessing import current_process

    return bool(current_process().daemon)


def _ahead(batches: Iterator[list[T]]) -> Iterator[list[T]]:
    """The batches, each made in a helper thread while the caller stores the one before.

    Reading and fingerprinting hold the GIL, SQLite's work on a batch releases it, so the two
    overlap on two cores (measured: 1.2x the import rate of one thread)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="yuanwen-prepare") as pool:
        future = pool.submit(next, batches, None)
        while (batch := future.result()) is not None:
            future = pool.submit(next, batches, None)
            yield batch


def _digest_and_tokens(text: str) -> tuple[bytes, str]:
    """The content hash and the fingerprints as FTS5 tokens."""
    digest, values = digest_and_fingerprints(text)
    if not digest:
        raise LibraryError("原文是空的")
    return digest, _tokens(values)


def _tokens(values: list[int]) -> str:
    """Fingerprint values as FTS5 tokens: decimal numbers, once each (the ascii tokenizer splits at ", ")."""
    return str(list(set(values)))[1:-1]


def first_line(text: str) -> str | None:
    """A text's first paragraph, shortened: the title of a text imported without one, whole though
    it was wrapped over lines (习近平在河北考察并主持召开深入推进京津冀协同发展 / 座谈会时强调)."""
    head = _MARKDOWN_HEADING.sub("", text[:_TITLE_SCAN].lstrip(), count=1)
    mapped = normalize(head)
    if not mapped.content:
        return None
    end = next((p for p in mapped.paragraph_starts if p > 0), len(mapped.content))
    return unwrapped(head[mapped.offsets[0] : mapped.offsets[end - 1] + 1])[:TITLE_CHARS]


def _entry(row: Sequence[object]) -> Entry:
    text_id, title, publisher, day, origin, fmt, chars, added = (None if v is None else str(v) for v in row)
    return Entry(str(text_id), Metadata(title, publisher, day, origin), str(fmt), int(str(chars)), str(added))


def _operational_message(error: sqlite3.OperationalError, path: Path) -> str:
    text = str(error)
    if "locked" in text or "busy" in text:
        return f"资料库正被另一个程序长时间占用，请稍后再试：{path}"
    if "full" in text:
        return f"磁盘已满，无法写入资料库：{path}"
    if "readonly" in text or "unable to open" in text:
        return f"无法打开或写入资料库（权限不足？）：{path}"
    if "no such module" in text:
        return "此 Python 的 SQLite 不含 FTS5，无法使用资料库"
    return f"资料库出错：{path}（{text}）"
