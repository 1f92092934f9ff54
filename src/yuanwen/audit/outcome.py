"""What an audit keeps of one document: its summary row and its finding rows, shared by `yuanwen audit` and Spark.

A document is read, checked against its sources in the library (the front door, yuanwen.check),
and turned into one row of COLUMNS and one row per finding (the report schema's finding with the
document's `path`). A document that cannot be read or checked is a row too: status `failed`,
with the one-line reason `yuanwen check` would print; an entry not read at all (a link, a device)
is a row with status `skipped` and the reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from yuanwen.errors import YuanwenError
from yuanwen.model import SEVERITIES, CheckOptions, Document, Finding, Report, Severity
from yuanwen.render.json import report_dict
from yuanwen.texts import flat

if TYPE_CHECKING:
    from yuanwen.library import Library

Status = Literal["ok", "failed", "no-source", "skipped"]
COLUMNS = (
    "path",
    "status",
    "reason",
    "sources",
    "critical",
    "major",
    "minor",
    "info",
    "worst_rule",
    "worst_text",
    "date",
    "date_from",
)
NO_SOURCE = "资料库中找不到这份转载稿的原文"
# Characters of each side of the worst finding shown in the summary, so a row stays one line.
WORST_CHARS = 30
# How a document's date was found (the rows' `date_from`), most telling first.
OWN_DATE, CRAWLED, FILE_TIME = "文内日期", "抓取时间", "文件修改时间"
# A reprint's own date line (a booklet's issue date, a page's 发布时间) stands in its first lines.
OWN_DATE_WINDOW = 400
_DATE = re.compile(r"((?:19|20)[0-9]{2})\s*[年.\-/]\s*([0-9]{1,2})\s*[月.\-/]\s*([0-9]{1,2})")


@dataclass(frozen=True)
class Outcome:
    """One document's summary row, its finding rows, and its report (none when it failed)."""

    row: dict[str, Any]
    findings: list[dict[str, Any]]
    report: Report | None


def prepare(options: CheckOptions) -> None:
    """In a new worker: the rules and the word segmenter holding their names built now (then cached, ~1 s),
    so that its first document is not the slow one (nor over the time limit)."""
    from yuanwen.rules import load_rules
    from yuanwen.words import rules_segmenter

    rules_segmenter(load_rules(options.rule_files))


def audited(name: str, read: Callable[[], Document], library: Library, options: CheckOptions) -> Outcome:
    """Read one document and check it against its sources in the library; a failure is an outcome too."""
    from yuanwen.check import check
    from yuanwen.extract import reader_failure

    try:
        report = check(read(), library, options)
    except YuanwenError as error:
        return failed(name, str(error))
    except MemoryError:
        return failed(name, "内存不足：文件太大")
    except Exception as error:  # a reader's own failure on one odd file must not end an audit
        return failed(name, reader_failure(name, error))
    return Outcome(summary_row(name, report), finding_rows(name, report), report)


def failed(name: str, reason: str) -> Outcome:
    """The outcome of a document that could not be read or checked."""
    return Outcome(_row(name, "failed", reason), [], None)


def skipped(name: str, reason: str) -> Outcome:
    """The outcome of an entry not read at all: a link, a FIFO or device, one that cannot be opened."""
    return Outcome(_row(name, "skipped", reason), [], None)


def summary_row(name: str, report: Report) -> dict[str, Any]:
    """A checked document's row: its sources, its findings counted by severity, and the worst of them."""
    row = _row(name, "ok", "") if report.sources else _row(name, "no-source", NO_SOURCE)
    row.update({severity: count for severity, count in report.summary.items()})
    row["sources"] = [{"id": s.id, "title": s.title} for s in report.sources]
    worst = _worst(report.findings)
    if worst is not None:
        row["worst_rule"], row["worst_text"] = worst.rule, worst_text(worst)
    return row


def finding_rows(name: str, report: Report) -> list[dict[str, Any]]:
    """Every finding of the report as the schema has it, with the document's path first."""
    return [{"path": name, **finding} for finding in report_dict(report)["findings"]]


def fails(row: dict[str, Any], fail_on: Severity) -> bool:
    """True when the row counts a finding at or above the given severity."""
    return any(row[s] for s in SEVERITIES[: SEVERITIES.index(fail_on) + 1])


def worst_text(finding: Finding) -> str:
    """The worst finding's source wording and the reprint's, each on one line and shortened."""
    return f"{_short(finding.source_text)} → {_short(finding.reprint_text)}"


def own_date(report: Report) -> str:
    """The ISO date of the reprint's own date line near its start (one no source holds), or ""."""
    for match in _DATE.finditer(report.reprint.text[:OWN_DATE_WINDOW]):
        if any(match.group() in source.text for source in report.sources):
            continue  # the source's own date line, which every copy carries
        try:
            return date(*map(int, match.groups())).isoformat()
        except ValueError:
            continue
    return ""


def _worst(findings: tuple[Finding, ...]) -> Finding | None:
    """The first finding of the highest severity found."""
    return min(findings, key=lambda f: SEVERITIES.index(f.severity), default=None)


def _short(text: str) -> str:
    shown = flat(text)
    if not shown:
        return "∧"
    return shown if len(shown) <= WORST_CHARS else shown[: WORST_CHARS - 1] + "…"


def _row(name: str, status: Status, reason: str) -> dict[str, Any]:
    return {
        "path": name,
        "status": status,
        "reason": reason,
        "sources": [],
        **dict.fromkeys(SEVERITIES, 0),
        "worst_rule": "",
        "worst_text": "",
        "date": "",
        "date_from": "",
    }
