"""An audit's outputs, rebuilt whole from its state: summary.csv and .jsonl, findings.jsonl, index.html.

Each is written through a temporary file renamed over the old one (yuanwen.files.atomic_file), row
by row, so memory stays bounded however large the archive, and a kill leaves the last complete set.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any

from yuanwen.audit.outcome import COLUMNS, fails
from yuanwen.audit.state import REPORTS, State, Totals
from yuanwen.files import atomic_file
from yuanwen.model import Severity
from yuanwen.render.index import index_head, index_row, index_tail

OUTPUTS = ("summary.csv", "summary.jsonl", "findings.jsonl", "index.html")


def write_outputs(state: State, out: Path, fail_on: Severity) -> Totals:
    """Write the four outputs from the state in walk order, then drop report files of no listed document."""
    statuses: Counter[str] = Counter()
    failing = 0
    with ExitStack() as stack:
        summary_csv, summary, findings, index = (stack.enter_context(atomic_file(out / name)) for name in OUTPUTS)
        table = _CsvLines()
        # With a byte order mark, spreadsheet programs open the Chinese text as UTF-8.
        summary_csv.write(b"\xef\xbb\xbf" + table.line(COLUMNS))
        index.write(index_head().encode("utf-8"))
        for row, found, stem in state.outcomes():
            summary_csv.write(table.line([csv_value(row[column]) for column in COLUMNS]))
            _json_line(summary, row)
            for finding in found:
                _json_line(findings, finding)
            index.write(index_row(row, f"{REPORTS}/{stem}.html" if stem else None).encode("utf-8"))
            statuses[row["status"]] += 1
            failing += fails(row, fail_on)
        index.write(index_tail().encode("utf-8"))
    _clean(out, state.reports_listed())
    return Totals(documents=sum(statuses.values()), statuses=dict(statuses), failing=failing)


def csv_value(value: Any) -> str | int:
    """A row's value as the CSV shows it: sources as `id《title》`, joined by `；`."""
    if isinstance(value, list):
        return "；".join(f"{source['id']}《{source['title'] or ''}》" for source in value)
    return value if isinstance(value, int) else str(value)


class _CsvLines:
    """Rows as CSV lines in UTF-8 bytes, one at a time."""

    def __init__(self) -> None:
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\r\n")

    def line(self, values: Any) -> bytes:
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerow(values)
        return self._buffer.getvalue().encode("utf-8")


def _json_line(out: IO[bytes], value: dict[str, Any]) -> None:
    out.write(json.dumps(value, ensure_ascii=False).encode("utf-8") + b"\n")


def _clean(out: Path, listed: set[str]) -> None:
    """Remove report files of documents no longer audited, and temporary files a kill left behind."""
    for folder in (out, out / REPORTS):
        for leftover in folder.glob(".*.tmp"):
            leftover.unlink(missing_ok=True)
    for report in (out / REPORTS).iterdir():
        if report.is_file() and report.suffix in (".json", ".html") and report.stem not in listed:
            report.unlink(missing_ok=True)
