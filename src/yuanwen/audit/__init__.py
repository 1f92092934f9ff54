"""Audit a whole archive: every document under the given paths checked against its sources in the library.

1. walk the inputs: each file, and each HTML page of a web archive (WARC), with its content hash
2. skip a document the state in OUT holds with the same content, library and checker
3. check the rest in a pool of worker processes, each with the library open read-only; a worker
   writes its document's JSON and HTML reports (atomically) and hands back the rows
4. record each outcome in the state, an SQLite file, a transaction every fraction of a second
5. rebuild summary.csv, summary.jsonl, findings.jsonl and index.html from the state, in walk order

A kill at any moment loses at most the open transaction: the re-run checks those documents again,
and the outputs, written only in step 5, are those of an uninterrupted run.
"""

from __future__ import annotations

import hashlib
import queue
import re
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from yuanwen.audit.outcome import (
    CRAWLED,
    FILE_TIME,
    OWN_DATE,
    Outcome,
    audited,
    failed,
    own_date,
    prepare,
    skipped,
)
from yuanwen.audit.state import REPORTS, STATE_FILE, Done, State, Totals
from yuanwen.audit.walk import Input, entries
from yuanwen.errors import InputError, YuanwenError
from yuanwen.extract import MAX_BYTES, read_bytes, read_document
from yuanwen.files import write_atomic
from yuanwen.library import Library
from yuanwen.model import CheckOptions, Document, Report, Severity
from yuanwen.workers import DEFAULT_TIME_LIMIT, Stopped, Worker

if TYPE_CHECKING:
    from warcio.recordloader import ArcWarcRecord

# Documents in flight per worker: enough that a worker never waits for the next one, few enough
# that the bytes of web-archive pages waiting in the queue stay small.
IN_FLIGHT_PER_JOB = 4
# A document in a worker this long is named in the progress, and the progress is told this often.
SLOW_SECONDS = 5.0
PROGRESS_SECONDS = 1.0
_HTML_TYPES = ("text/html", "application/xhtml+xml")


class AuditError(YuanwenError):
    """The audit as a whole cannot go on; one line of Chinese says why."""


@dataclass(frozen=True)
class Item:
    """One document to audit: a file, or a page of a web archive (then `data` holds its bytes)."""

    name: str  # the path, or the page's URL: the rows' `path`
    uid: str  # unique within the audit: the path, or the archive's path and the page's number
    digest: str | None  # the content hash; none when the bytes could not be read
    path: Path | None = None
    data: bytes | None = None
    error: str | None = None  # why it cannot be read at all, known before any check
    skipped: bool = False  # the error says why it is not read at all (a link, a device, no permission)
    date: str = ""  # the ISO date a web archive crawled the page, or the file was last changed
    date_from: str = ""


@dataclass(frozen=True)
class Plan:
    """Where an audit reads its sources and writes its outputs, and how many workers check."""

    library: Path
    out: Path
    jobs: int
    options: CheckOptions
    time_limit: float | None = DEFAULT_TIME_LIMIT
    retry_failed: bool = False


@dataclass(frozen=True)
class Slow:
    """The document a worker has been on longest, when that is long: its name and the seconds so far."""

    name: str
    seconds: float


@dataclass(frozen=True)
class Progress:
    """How far an audit has come: documents done (checked now or found in the state), of how many."""

    done: int
    skipped: int
    total: int | None
    slow: Slow | None = None


def inputs(paths: Sequence[Path], out: Path) -> list[Input]:
    """The entries under the paths (the output folder left out): files, web archives and those skipped."""
    inside = out.resolve()
    return [
        Input(path, is_web_archive(path)) if reason is None else Input(path, skipped=reason)
        for path, reason in entries(paths)
        if not path.resolve().is_relative_to(inside)
    ]


def documents(files: Iterable[Input]) -> Iterator[Item]:
    """Every document of the files: each file, or each HTML page of a web archive; a skipped entry too."""
    for entry in files:
        name = str(entry.path)
        try:
            if entry.skipped is not None:
                yield Item(name, name, None, error=entry.skipped, skipped=True)
            elif not entry.warc:
                digest, date = _file_digest(entry.path), _file_date(entry.path)
                yield Item(name, name, digest, path=entry.path, date=date, date_from=FILE_TIME)
            else:
                with entry.path.open("rb") as stream:
                    yield from web_pages(stream, name)
        except OSError as error:
            yield Item(name, name, None, error=f"无法读取（{error.strerror}）", skipped=True)


def is_web_archive(path: Path) -> bool:
    """True for a WARC file, plain or gzipped, told from its first bytes."""
    try:
        with path.open("rb") as stream:
            return starts_web_archive(stream.read(512))
    except OSError:
        return False


def starts_web_archive(head: bytes) -> bool:
    """True when a file's first bytes (512 are enough) open a WARC file, plain or gzipped."""
    if head.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head)
        except zlib.error:
            return False
    return head.startswith(b"WARC/")


def web_pages(stream: BinaryIO, origin: str) -> Iterator[Item]:
    """The HTML pages a web archive holds (responses 2xx, resources), each named by its URL."""
    from warcio.exceptions import ArchiveLoadFailed

    from yuanwen.audit.warc import records

    number = 0
    try:
        for record in records(stream, origin):
            if _is_page(record):
                number += 1
                yield _page(record, f"{origin}#{number}")
    except InputError as error:
        yield Item(origin, f"{origin}#{number + 1}", None, error=str(error))
    except (ArchiveLoadFailed, OSError, EOFError, ValueError, zlib.error) as error:
        reason = f"网页存档已损坏，其后的记录无法读取：{origin}（{type(error).__name__}）"
        yield Item(origin, f"{origin}#{number + 1}", None, error=reason)


def _is_page(record: ArcWarcRecord) -> bool:
    if record.rec_type == "response" and record.http_headers is not None:
        status = record.http_headers.get_statuscode() or ""
        kind = record.http_headers.get_header("Content-Type") or ""
        return status.startswith("2") and kind.lower().startswith(_HTML_TYPES)
    kind = record.rec_headers.get_header("Content-Type") or ""
    return record.rec_type == "resource" and kind.lower().startswith(_HTML_TYPES)


def _page(record: ArcWarcRecord, uid: str) -> Item:
    """A page's bytes (transfer and content encodings undone), refused past the size check reads."""
    url = record.rec_headers.get_header("WARC-Target-URI") or uid
    crawled = (record.rec_headers.get_header("WARC-Date") or "")[:10]
    data = record.content_stream().read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        too_large = f"网页过大（上限 {MAX_BYTES // (1024 * 1024)} MB）：{url}"
        return Item(url, uid, None, error=too_large, date=crawled, date_from=CRAWLED)
    return Item(url, uid, hashlib.sha256(data).hexdigest(), data=data, date=crawled, date_from=CRAWLED)


def _file_date(path: Path) -> str:
    """A file's date for lineage: the day it was last changed (UTC), or "" when it cannot be told."""
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC).date().isoformat()
    except OSError:
        return ""


def _file_digest(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def checker_identity(rule_files: Sequence[Path]) -> str:
    """A digest of yuanwen's own code and rules and the user's rule files: what else decides a report."""
    digest = hashlib.sha256()
    package = Path(__file__).parent.parent
    for path in sorted(p for p in package.rglob("*") if p.suffix in (".py", ".toml")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    for path in rule_files:
        try:
            digest.update(b"\0rules\0" + path.read_bytes())
        except OSError as error:
            raise AuditError(f"无法读取规则文件：{path}（{error.strerror}）") from error
    return digest.hexdigest()


def audit(files: Iterable[Input], plan: Plan, fail_on: Severity, on_progress: Callable[[Progress], None]) -> Totals:
    """Check every document of the files not already in the state, then write the outputs from the state."""
    from yuanwen.audit.outputs import write_outputs

    files = list(files)
    counter = _Counter(on_progress, None if any(entry.warc for entry in files) else len(files))
    with Library.reading(plan.library) as library:
        run_key = f"{library.identity()}/{checker_identity(plan.options.rule_files)}"
    (plan.out / REPORTS).mkdir(parents=True, exist_ok=True)
    with State(plan.out / STATE_FILE) as state:
        state.new_listing()
        _check_all(documents(files), plan, state, run_key, counter)
        state.commit()
        return write_outputs(state, plan.out, fail_on)


@dataclass
class _Counter:
    """Counts documents done and tells the caller after each, and now and then while one takes long."""

    on_progress: Callable[[Progress], None]
    total: int | None
    done: int = 0
    skipped: int = 0
    # The documents in the workers now, by uid: name and when it started (written by the waiting threads).
    working: dict[str, tuple[str, float]] = field(default_factory=dict)

    def tick(self, skipped: bool = False) -> None:
        self.done += 1
        self.skipped += skipped
        self.tell()

    def tell(self) -> None:
        """Tell the caller how far the audit is, naming the document that has been in a worker longest."""
        now = time.monotonic()
        longest = min(list(self.working.values()), key=lambda started: started[1], default=None)
        slow = None
        if longest is not None and now - longest[1] >= SLOW_SECONDS:
            slow = Slow(longest[0], now - longest[1])
        self.on_progress(Progress(self.done, self.skipped, self.total, slow))


def _check_all(items: Iterator[Item], plan: Plan, state: State, run_key: str, counter: _Counter) -> None:
    """Check each document not in the state in worker processes, each within the time limit; outcomes to the state."""
    start = (plan.library, plan.options, plan.out / REPORTS)
    # spawn, not fork: a worker must not inherit the state's open SQLite connection.
    context = get_context("spawn")
    idle: queue.SimpleQueue[Worker[Done]] = queue.SimpleQueue()
    workers: list[Worker[Done]] = [Worker(context, _start_worker, start) for _ in range(plan.jobs)]
    for worker in workers:
        idle.put(worker)
    # A thread per worker waits on its pipe: the waiting costs nothing, the work is in the processes.
    threads = ThreadPoolExecutor(plan.jobs, thread_name_prefix="yuanwen-audit")
    try:
        _dispatch(items, threads, plan, state, run_key, counter, partial(_in_worker, idle, counter, plan.time_limit))
    finally:
        # Stopped (Ctrl-C): the documents in hand finish, those waiting are not begun.
        threads.shutdown(cancel_futures=True)
        for worker in workers:
            worker.stop()


def _in_worker(
    idle: queue.SimpleQueue[Worker[Done]], counter: _Counter, limit: float | None, item: Item, key: str
) -> Done:
    """Check one document in an idle worker; past the time limit (or if the worker dies) it is a failed row."""
    worker = idle.get()
    counter.working[item.uid] = (item.name, time.monotonic())
    try:
        answer = worker.call((item, key), limit)
    finally:
        counter.working.pop(item.uid, None)
        idle.put(worker)
    if isinstance(answer, Stopped):
        return Done(item.uid, key, stopped(item, answer.reason).row, [], None)
    return answer


def _dispatch(
    items: Iterator[Item],
    threads: ThreadPoolExecutor,
    plan: Plan,
    state: State,
    run_key: str,
    counter: _Counter,
    call: Callable[[Item, str], Done],
) -> None:
    """Send each document not in the state to a worker, at most IN_FLIGHT_PER_JOB per worker at a time."""
    pending: set[Future[Done]] = set()
    for item in items:
        key = hashlib.sha256(f"{item.digest}/{run_key}".encode()).hexdigest() if item.digest else ""
        if not state.listed(item.uid) or (key and state.has(item.uid, key, plan.retry_failed)):
            counter.tick(skipped=True)
        else:
            pending.add(threads.submit(call, item, key))
        while len(pending) >= IN_FLIGHT_PER_JOB * plan.jobs:
            pending = _record_some(pending, state, counter)
    while pending:
        pending = _record_some(pending, state, counter)


def _record_some(pending: set[Future[Done]], state: State, counter: _Counter) -> set[Future[Done]]:
    """Wait for a document (telling the progress now and then), record every one finished; the rest are pending."""
    finished, still = wait(pending, timeout=PROGRESS_SECONDS, return_when=FIRST_COMPLETED)
    for future in finished:
        state.record(future.result())
        counter.tick()
    if not finished:
        counter.tell()
    return still


@dataclass
class _Worker:
    """What a worker process opens once: the library, read-only, and the options with their rules."""

    library: Library
    options: CheckOptions
    reports: Path


_worker: list[_Worker] = []


def _start_worker(library: Path, options: CheckOptions, reports: Path) -> Callable[[tuple[Item, str]], Done]:
    """In a new worker process: open the library and load the rules once; what checks its documents."""
    prepare(options)
    _worker.append(_Worker(Library.reading(library), options, reports))
    return _audit_job


def _audit_job(job: tuple[Item, str]) -> Done:
    return _audit_one(*job)


def _audit_one(item: Item, key: str) -> Done:
    """In a worker: check one document, write its reports, hand back its rows."""
    worker = _worker[0]
    outcome = outcome_of(item, worker.library, worker.options)
    stem = None
    if outcome.report is not None:
        stem = report_stem(item.uid, item.name)
        _write_reports(outcome.report, worker.reports / stem)
    return Done(item.uid, key, outcome.row, outcome.findings, stem)


def outcome_of(item: Item, library: Library, options: CheckOptions) -> Outcome:
    """One document's outcome: the failure its walk found, or its check against the library."""
    if item.error is not None:
        return _dated((skipped if item.skipped else failed)(item.name, item.error), item)
    return _dated(audited(item.name, partial(_read, item), library, options), item)


def stopped(item: Item, reason: str) -> Outcome:
    """The outcome of a document whose worker was stopped: over the time limit, or dead."""
    return _dated(failed(item.name, reason), item)


def _dated(outcome: Outcome, item: Item) -> Outcome:
    """The outcome with its document's date: its own date line, else the crawl's or the file's."""
    own = own_date(outcome.report) if outcome.report is not None else ""
    outcome.row["date"], outcome.row["date_from"] = (own, OWN_DATE) if own else (item.date, item.date_from)
    return outcome


def _read(item: Item) -> Document:
    if item.path is not None:
        return read_document(item.path)
    return read_bytes(item.data or b"", item.name)


def _write_reports(report: Report, stem: Path) -> None:
    from yuanwen.render.html import render_html
    from yuanwen.render.json import render_json

    # Unsynced: two syncs per document cost more than its check (34 ms, benchmarks/bench_audit.py),
    # and a sync of everything at the end took minutes on a busy machine. A rename is whole or
    # nothing all the same when a process is killed; a report a power cut empties or loses is
    # checked again by the next run (State.has).
    write_atomic(stem.with_name(stem.name + ".json"), render_json(report).encode("utf-8"), sync=False)
    write_atomic(stem.with_name(stem.name + ".html"), render_html(report).encode("utf-8"), sync=False)


def report_stem(uid: str, name: str) -> str:
    """A document's report file name without suffix: its own name, shortened, and a digest of its uid."""
    last = [part for part in re.split(r"[/\\?#]", name) if part]
    readable = re.sub(r"[^\w.-]+", "_", last[-1] if last else "page")[:40]
    return f"{readable}-{hashlib.sha256(uid.encode()).hexdigest()[:12]}"
