"""The terminal report: findings grouped by severity, each with its line and context, in Chinese."""

from __future__ import annotations

import click

from yuanwen.chars import is_punctuation
from yuanwen.model import SEVERITIES, Finding, Report, Severity, TextDate
from yuanwen.texts import flat, shorten

SEVERITY_NAMES: dict[Severity, str] = {"critical": "严重", "major": "重要", "minor": "一般", "info": "提示"}
KIND_NAMES = {"substitution": "改动", "omission": "删节", "insertion": "增添", "punctuation": "标点"}
_COLOURS: dict[Severity, str] = {
    "critical": "red",
    "major": "yellow",
    "minor": "cyan",
    "info": "bright_black",
}
# Characters of reprint context shown on each side of a finding.
_CONTEXT = 12
# Above this share of the source's marks dropped, the reprint has "almost all" punctuation removed.
_ALMOST_ALL = 0.9


def render_text(report: Report) -> str:
    """The report for a person at a terminal; colour codes are dropped when not a terminal."""
    lines: list[str] = [heading(report)]
    lines.extend(click.style(warning, fg="yellow", bold=True) for warning in report.reprint.warnings)
    if report.text_date is not None:
        lines.append(date_line(report.text_date))
    punctuation = punctuation_line(report)
    if punctuation:
        lines.append(click.style(punctuation, bold=True))
    for severity in SEVERITIES:
        group = [f for f in report.findings if f.severity == severity]
        if group:
            lines.append("")
            lines.append(click.style(f"{SEVERITY_NAMES[severity]}（{len(group)}）", fg=_COLOURS[severity], bold=True))
            lines.extend(line for f in group for line in _finding(f, report.reprint.text, _source_names(report)))
    lines.append("")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def summary_line(report: Report) -> str:
    counts = report.summary
    parts = "，".join(f"{SEVERITY_NAMES[s]} {counts[s]}" for s in SEVERITIES)
    if not report.findings:
        return "转载稿与原文一致，未发现差异。" if report.sources else "未发现问题。"
    what = "差异" if report.sources else "问题"
    return f"共 {len(report.findings)} 处{what}：{parts}。"


def punctuation_line(report: Report) -> str | None:
    """One line when more than half of the source's marks are dropped or changed, else None."""
    cut = sum(_marks(f.source_text) for f in report.findings if f.severity == "info" and f.kind == "omission")
    total = sum(_marks(s.text) for s in report.sources) - cut
    changes = [(_marks(f.source_text), _marks(f.reprint_text)) for f in report.findings if f.kind == "punctuation"]
    dropped = sum(max(0, old - new) for old, new in changes)
    touched = dropped + sum(min(old, new) for old, new in changes)
    if total <= 0 or 2 * touched <= total:
        return None
    if dropped >= _ALMOST_ALL * total:
        return f"标点几乎全部被删去（{dropped:,} 处）"
    return f"原文过半标点被删去或改动（{touched:,} 处，原文共 {total:,} 处）"


def _marks(text: str) -> int:
    return sum(1 for ch in text if is_punctuation(ch))


def heading(report: Report) -> str:
    if not report.sources:
        return f"检查 {report.reprint.path}（{len(report.reprint.text)} 字）：无原文，按日期、职务和规范写法检查"
    sources = "、".join(s.title or s.path or s.id for s in report.sources)
    return f"核对 {report.reprint.path}（{len(report.reprint.text)} 字）← 原文 {sources}"


def date_line(found: TextDate) -> str:
    """Which date the source-free checks read the text at, and why."""
    if found.first is None or found.last is None:
        return f"文本日期：{found.how}"
    days = found.first.isoformat() if found.first == found.last else f"{found.first} 至 {found.last}"
    return f"文本日期：{days}（{found.how}）"


def _source_names(report: Report) -> dict[str | None, str]:
    """Each source's name for a finding's line, when there is more than one source to tell apart."""
    if len(report.sources) < 2:
        return {}
    return {s.id: f"原文《{s.title or s.path or s.id}》" for s in report.sources} | {None: "无原文"}


def _finding(finding: Finding, text: str, sources: dict[str | None, str]) -> list[str]:
    where = f"第 {finding.line} 行" + (f"（{finding.location}）" if finding.location else "")
    if finding.source_id in sources:
        where += f" {sources[finding.source_id]}"
    colour = _COLOURS[finding.severity]
    head = f"  {where}  {KIND_NAMES[finding.kind]}  {finding.message}  [{finding.rule}]"
    return [click.style(head, fg=colour), f"      {_context(finding, text)}"]


def _context(finding: Finding, text: str) -> str:
    """A few characters of the reprint around the finding, the finding itself bracketed."""
    start, end = finding.reprint_span.start, finding.reprint_span.end
    before = flat(text[max(0, start - _CONTEXT * 2) : start])[-_CONTEXT:]
    after = flat(text[end : end + _CONTEXT * 2])[:_CONTEXT]
    shown = shorten(flat(finding.reprint_text), 2 * _CONTEXT, head=_CONTEXT, tail=4, count=False) or "∧"
    return f"…{before}【{shown}】{after}…"
