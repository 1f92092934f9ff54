"""An audit's outputs, rebuilt whole from its state: summary.csv and .jsonl, findings.jsonl, index.html,
and what the findings say of copying (yuanwen.lineage): shared.csv and .jsonl, families.jsonl.

Each is written through a temporary file renamed over the old one (yuanwen.files.atomic_file), row
by row, so memory stays bounded however large the archive, and a kill leaves the last complete set.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections import Counter
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any

from yuanwen.audit.outcome import COLUMNS, fails
from yuanwen.audit.shared import LINEAGE_OUTPUTS, SHARED_COLUMNS, Lineage, family_row, lineage, shared_row
from yuanwen.audit.state import REPORTS, State, Totals
from yuanwen.files import atomic_file
from yuanwen.model import Severity
from yuanwen.render.index import index_head, index_row, index_tail

OUTPUTS = ("summary.csv", "summary.jsonl", "findings.jsonl", "index.html")


def write_outputs(state: State, out: Path, fail_on: Severity) -> Totals:
    """Write the outputs from the state in walk order, then drop report files of no listed document."""
    now = ((row, findings) for row, findings, _ in state.outcomes())
    copying = lineage(itertools.chain(state.earlier_outcomes(), now))
    write_lineage(copying, out)
    statuses: Counter[str] = Counter()
    failing = 0
    with ExitStack() as stack:
        summary_csv, summary, findings, index = (stack.enter_context(atomic_file(out / name)) for name in OUTPUTS)
        table = CsvLines()
        # With a byte order mark, spreadsheet programs open the Chinese text as UTF-8.
        summary_csv.write(b"\xef\xbb\xbf" + table.line(COLUMNS))
        index.write(index_head().encode("utf-8"))
        for row, found, stem in state.outcomes():
            summary_csv.write(table.line([csv_value(row[column]) for column in COLUMNS]))
            json_line(summary, row)
            for finding in found:
                json_line(findings, finding)
            index.write(index_row(row, f"{REPORTS}/{stem}.html" if stem else None).encode("utf-8"))
            statuses[row["status"]] += 1
            failing += fails(row, fail_on)
        index.write(index_tail(copying.shared, copying.families).encode("utf-8"))
    _clean(out, state.reports_listed())
    counted = sum(statuses.values())
    return Totals(counted, dict(statuses), failing, len(copying.shared), len(copying.families))


def csv_value(value: Any) -> str | int:
    """A row's value as the CSV shows it: sources as `id《title》`, joined by `；`."""
    if isinstance(value, list):
        return "；".join(f"{source['id']}《{source['title'] or ''}》" for source in value)
    return value if isinstance(value, int) else str(value)


class CsvLines:
    """Rows as CSV lines in UTF-8 bytes, one at a time."""

    def __init__(self) -> None:
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\r\n")

    def line(self, values: Any) -> bytes:
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerow(values)
        return self._buffer.getvalue().encode("utf-8")


def json_line(out: IO[bytes], value: dict[str, Any]) -> None:
    out.write(json.dumps(value, ensure_ascii=False).encode("utf-8") + b"\n")


def _clean(out: Path, listed: set[str]) -> None:
    """Remove report files of documents no longer audited, and temporary files a kill left behind."""
    for folder in (out, out / REPORTS):
        for leftover in folder.glob(".*.tmp"):
            leftover.unlink(missing_ok=True)
    for report in (out / REPORTS).iterdir():
        if report.is_file() and report.suffix in (".json", ".html") and report.stem not in listed:
            report.unlink(missing_ok=True)


def write_lineage(found: Lineage, out: Path) -> None:
    """shared.csv, shared.jsonl and families.jsonl, each replaced whole."""
    with ExitStack() as stack:
        table, lines, trees = (stack.enter_context(atomic_file(out / name)) for name in LINEAGE_OUTPUTS)
        cells = CsvLines()
        table.write(b"\xef\xbb\xbf" + cells.line(SHARED_COLUMNS))
        for error in found.shared:
            row = shared_row(error)
            table.write(cells.line([_csv(column, row[column]) for column in SHARED_COLUMNS]))
            json_line(lines, row)
        for family in found.families:
            json_line(trees, family_row(family))


def _csv(column: str, value: Any) -> str | int:
    if column == "source_span":
        return f"{value[0]}-{value[1]}"
    if column == "documents":
        return "；".join(value)
    if column == "fixed":
        return "；".join(f"{fix['path']}（{fix['date']}）" for fix in value)
    return csv_value(value)
