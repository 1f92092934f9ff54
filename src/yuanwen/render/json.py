"""The JSON report: the only place the schema yuanwen.report/1 lives."""

from __future__ import annotations

import json
from typing import Any

from yuanwen.model import Finding, Move, Report, TextDate
from yuanwen.review import Group, Review, review

SCHEMA = "yuanwen.report/1"


def report_dict(report: Report) -> dict[str, Any]:
    """The report as the schema's JSON object."""
    document = report.reprint
    seen = review(report)
    return (
        {
            "schema": SCHEMA,
            "reprint": {"path": document.path, "format": document.format, "chars": len(document.text)}
            | ({"warnings": list(document.warnings)} if document.warnings else {}),
            "sources": [
                {
                    "id": s.id,
                    "title": s.title,
                    "path": s.path,
                    "chars": s.chars,
                    "matched_chars": s.matched_chars,
                    "reprint_spans": [[p.start, p.end] for p in s.parts] or [[0, len(document.text)]],
                }
                for s in report.sources
            ],
            "findings": [
                _finding(f) | {"weight": weight, "group": group}
                for f, weight, group in zip(report.findings, seen.weights, seen.group_of, strict=True)
            ],
            "summary": report.summary,
        }
        | _review(seen)
        | _text_date(report.text_date)
    )


def _review(seen: Review) -> dict[str, Any]:
    """The verdict, the standard's count and rate, the summary lines, and the list's entries worst first."""
    return {
        "verdict": seen.verdict,
        "errors": seen.errors,
        "error_rate": seen.rate,
        "passes": seen.passes,
        "summary_lines": list(seen.lines),
        "groups": [_group(g) for g in seen.groups],
    }


def _group(group: Group) -> dict[str, Any]:
    return {
        "id": group.id,
        "severity": group.severity,
        "kind": group.kind,
        "rule": group.rule,
        "label": group.label,
        "count": group.count,
        "lines": list(group.lines),
        "findings": list(group.members),
        "errors": group.errors,
    }


def _text_date(found: TextDate | None) -> dict[str, Any]:
    """The date the source-free checks read the reprint at, when they ran: first and last day (null when
    none was found) and how it was found."""
    if found is None:
        return {}
    days = {"first": found.first and found.first.isoformat(), "last": found.last and found.last.isoformat()}
    return {"text_date": days | {"how": found.how}}


def render_json(report: Report) -> str:
    return json.dumps(report_dict(report), ensure_ascii=False, indent=2) + "\n"


def _finding(finding: Finding) -> dict[str, Any]:
    return {
        "kind": finding.kind,
        "severity": finding.severity,
        "source_id": finding.source_id,
        "source_text": finding.source_text,
        "reprint_text": finding.reprint_text,
        "source_span": [finding.source_span.start, finding.source_span.end],
        "reprint_span": [finding.reprint_span.start, finding.reprint_span.end],
        "message": finding.message,
        "rule": finding.rule,
        "line": finding.line,
        "location": finding.location,
        **({"move": _move(finding.move)} if finding.move else {}),
    }


def _move(move: Move) -> dict[str, list[int]]:
    return {"home": [move.home.start, move.home.end], "landing": [move.landing.start, move.landing.end]}
