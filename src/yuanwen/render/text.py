"""The terminal report: verdict and summary lines, then the findings list worst first, a repeated change once."""

from __future__ import annotations

import click

from yuanwen.model import Report, Severity
from yuanwen.review import KIND_NAMES, SEVERITY_NAMES, Group, context, review

__all__ = ["KIND_NAMES", "SEVERITY_NAMES", "render_text"]
_COLOURS: dict[Severity, str] = {
    "critical": "red",
    "major": "yellow",
    "minor": "cyan",
    "info": "bright_black",
}
# Characters of reprint context shown on each side of a finding.
_CONTEXT = 12


def render_text(report: Report) -> str:
    """The report for a person at a terminal; colour codes are dropped when not a terminal."""
    seen = review(report)
    lines: list[str] = [click.style(seen.verdict, bold=True), seen.rate_line, *seen.notes[:-1]]
    severity: Severity | None = None
    names = _source_names(report)
    for group in seen.groups:
        if group.severity != severity:
            severity = group.severity
            count = sum(g.count for g in seen.groups if g.severity == severity)
            lines.append("")
            lines.append(click.style(f"{SEVERITY_NAMES[severity]}（{count}）", fg=_COLOURS[severity], bold=True))
        lines.extend(_entry(group, report, names))
    lines.append("")
    lines.append(seen.notes[-1])
    return "\n".join(lines) + "\n"


def _source_names(report: Report) -> dict[str | None, str]:
    """Each source's name for a finding's line, when there is more than one source to tell apart."""
    if len(report.sources) < 2:
        return {}
    return {s.id: f"原文《{s.title or s.path or s.id}》" for s in report.sources} | {None: "无原文"}


def _entry(group: Group, report: Report, sources: dict[str | None, str]) -> list[str]:
    """One entry of the list: where, kind, message (×count for a group) and rule, then the first one's context."""
    finding = report.findings[group.members[0]]
    where = f"第 {finding.line} 行" + (f"（{finding.location}）" if finding.location else "")
    if group.count > 1:
        where = group.where
    if finding.source_id in sources:
        where += f" {sources[finding.source_id]}"
    colour = _COLOURS[finding.severity]
    times = f"  ×{group.count}" if group.count > 1 else ""
    head = f"  {where}  {KIND_NAMES[finding.kind]}  {group.message}{times}  [{finding.rule}]"
    return [click.style(head, fg=colour), f"      {context(finding, report.reprint.text, _CONTEXT)}"]
