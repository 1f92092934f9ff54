"""What every report face shows first, computed once from a Report: verdict, error rate, summary lines, grouped list.

1. weigh each finding as the book-quality standard counts errors (rules/quality.toml)
2. group findings of the same rule and the same change (26 × “，”→“,” is one entry), worst first
3. the verdict sentence, the standard's rate and verdict, and the summary lines every format prints
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from yuanwen.chars import is_mark
from yuanwen.model import SEVERITIES, Finding, Kind, Report, Severity, TextDate
from yuanwen.texts import flat, shorten

SEVERITY_NAMES: dict[Severity, str] = {"critical": "严重", "major": "重要", "minor": "一般", "info": "提示"}
KIND_NAMES: dict[Kind, str] = {
    "substitution": "改动",
    "omission": "删节",
    "insertion": "增添",
    "punctuation": "标点",
    "move": "移位",
}
# Above this share of the source's marks dropped, the reprint has "almost all" punctuation removed.
_ALMOST_ALL = 0.9
# Rates are per this many characters (差错率 is 万分率).
PER = 10000


@dataclass(frozen=True)
class Weight:
    """How many errors a finding of some rules or kinds counts for, and the clause that says so."""

    rules: tuple[str, ...]
    kinds: tuple[str, ...]
    weight: float
    by_chars: tuple[tuple[int, float], ...]
    repeat_cap: float | None
    clause: str
    checked: bool

    def names(self, finding: Finding) -> bool:
        """True when this entry names the finding's rule, exactly or by a prefix ending in `.*`."""
        return any(r == finding.rule or (r.endswith(".*") and finding.rule.startswith(r[:-1])) for r in self.rules)

    def of(self, finding: Finding) -> float:
        """The errors one finding counts for."""
        if not self.by_chars:
            return self.weight
        size = max(_chars(finding.source_text), _chars(finding.reprint_text))
        return next(w for most, w in self.by_chars if size <= most)


@dataclass(frozen=True)
class Standard:
    """The counting rules of the standard: weights in order, the passing rate, the words for critical findings."""

    name: str
    pass_rate: float
    pass_source: str
    characters: str
    weights: tuple[Weight, ...]
    critical: dict[str, str]

    def weight(self, finding: Finding) -> Weight:
        """The first entry naming the finding's rule, else the first naming its kind."""
        named = next((w for w in self.weights if w.names(finding)), None)
        return named or next(w for w in self.weights if finding.kind in w.kinds)


@cache
def standard() -> Standard:
    """The built-in counting rules (rules/quality.toml)."""
    data = tomllib.loads(files("yuanwen.rules").joinpath("quality.toml").read_text(encoding="utf-8"))
    return Standard(
        name=data["standard"],
        pass_rate=float(data["pass_rate"]),
        pass_source=data["pass_source"],
        characters=data["characters"],
        weights=tuple(_weight(entry) for entry in data["weights"]),
        critical=dict(data["critical"]),
    )


def _weight(entry: dict[str, Any]) -> Weight:
    cap = entry.get("repeat_cap")
    return Weight(
        rules=tuple(entry.get("rules", ())),
        kinds=tuple(entry.get("kinds", ())),
        weight=float(entry.get("weight", 0)),
        by_chars=tuple((int(most), float(w)) for most, w in entry.get("by_chars", ())),
        repeat_cap=None if cap is None else float(cap),
        clause=entry["clause"],
        checked=bool(entry["checked"]),
    )


@dataclass(frozen=True)
class Group:
    """Findings of the same rule and the same change: one entry of the list, worst first."""

    id: int
    severity: Severity
    kind: Kind
    rule: str
    message: str
    # Indexes into Report.findings, in the reprint's order.
    members: tuple[int, ...]
    lines: tuple[int, ...]
    # What the group counts for under the standard (a repeated change may be capped).
    errors: float

    @property
    def count(self) -> int:
        return len(self.members)

    @property
    def where(self) -> str:
        """Its lines: 第 21 行, 第 21、23 行 or 第 21–27 行."""
        if len(self.lines) <= 2:
            return "第 " + "、".join(map(str, self.lines)) + " 行"
        return f"第 {self.lines[0]}–{self.lines[-1]} 行"

    @property
    def label(self) -> str:
        """The entry's one line: the message, and the count and lines when there are several."""
        return self.message if self.count == 1 else f"{self.message} ×{self.count}（{self.where}）"


@dataclass(frozen=True)
class Review:
    """What a report shows first: its verdict, the standard's count and rate, summary lines, the grouped list."""

    verdict: str
    errors: float
    # Errors per 10,000 characters; None for a text with no characters.
    rate: float | None
    passes: bool
    rate_line: str
    notes: tuple[str, ...]
    groups: tuple[Group, ...]
    # Each finding's weight and group id, by its index in Report.findings.
    weights: tuple[float, ...]
    group_of: tuple[int, ...]

    @property
    def lines(self) -> tuple[str, ...]:
        """Every summary line in the order each format prints them: verdict, rate, then the notes."""
        return (self.verdict, self.rate_line, *self.notes)


# The last report reviewed and its review: the JSON, HTML and Word faces of one report each ask for
# it (an audit renders two of them and its rows from the same report: 3 reviews, ~2 ms, made one).
_last: tuple[Report, Review] | None = None


def review(report: Report) -> Review:
    """The review of a report: steps 1 to 3 (the last report's is remembered)."""
    global _last
    last = _last
    if last is not None and last[0] is report:
        return last[1]
    seen = _reviewed(report)
    _last = (report, seen)
    return seen


def _reviewed(report: Report) -> Review:
    rules = standard()
    weights = tuple(rules.weight(f).of(f) for f in report.findings)
    groups = _groups(report.findings, weights, rules)
    group_of = [0] * len(report.findings)
    for group in groups:
        for member in group.members:
            group_of[member] = group.id
    errors = round(sum(g.errors for g in groups), 2)
    chars = _chars(report.reprint.text)
    rate = round(errors * PER / chars, 2) if chars else None
    passes = rate is None or rate <= rules.pass_rate
    return Review(
        verdict=verdict(report),
        errors=errors,
        rate=rate,
        passes=passes,
        rate_line=_rate_line(errors, rate, chars, passes),
        notes=notes(report),
        groups=groups,
        weights=weights,
        group_of=tuple(group_of),
    )


def _groups(findings: Sequence[Finding], weights: Sequence[float], rules: Standard) -> tuple[Group, ...]:
    """Findings of one rule and one change together, ordered by severity, then by first position."""
    keyed: dict[tuple[str, str, str, str], list[int]] = {}
    for i, f in enumerate(findings):
        keyed.setdefault((f.severity, f.rule, f.source_text, f.reprint_text), []).append(i)
    ordered = sorted(keyed.values(), key=lambda m: (SEVERITIES.index(findings[m[0]].severity), _first(findings, m)))
    groups = []
    for number, members in enumerate(ordered):
        members.sort(key=lambda i: findings[i].reprint_span.start)
        first = findings[members[0]]
        total = sum(weights[i] for i in members)
        cap = rules.weight(first).repeat_cap
        errors = round(total if cap is None or len(members) == 1 else min(total, cap), 2)
        lines = tuple(sorted({findings[i].line for i in members}))
        found = (first.severity, first.kind, first.rule, first.message)
        groups.append(Group(number, *found, tuple(members), lines, errors))
    return tuple(groups)


def _first(findings: Sequence[Finding], members: Sequence[int]) -> int:
    return min(findings[i].reprint_span.start for i in members)


def _chars(text: str) -> int:
    """The characters of a text that are not white space (str.split drops exactly those)."""
    return sum(map(len, text.split()))


def verdict(report: Report) -> str:
    """The report's first sentence: matches, how many serious errors and what they touch, or no source."""
    counts = report.summary
    if not report.sources:
        found = f"有 {len(report.findings)} 处问题" if report.findings else "未发现问题"
        return ("文献库中找不到原文" if report.searched else "未对照原文") + f"，按日期、职务和规范写法检查{found}"
    if counts["critical"]:
        what = "、".join(dict.fromkeys(_critical_word(f) for f in report.findings if f.severity == "critical"))
        return f"有 {counts['critical']} 处严重差错（{what}），须改正"
    faults = counts["major"] + counts["minor"]
    if faults:
        parts = "，".join(f"{SEVERITY_NAMES[s]} {counts[s]}" for s in ("major", "minor") if counts[s])
        return f"与原文有 {faults} 处差异（{parts}），无严重差错"
    return "与原文一致" + (f"（另有 {counts['info']} 处提示，如节选的删节、刊头）" if counts["info"] else "")


def _critical_word(finding: Finding) -> str:
    """What a critical finding changed, in a few words (its rule's words, else its message's head)."""
    return standard().critical.get(finding.rule) or finding.message.split("“")[0].split("：")[0]


def _rate_line(errors: float, rate: float | None, chars: int, passes: bool) -> str:
    rules = standard()
    if rate is None:
        return f"按{rules.name}：无正文可计差错率"
    judged = "合格" if passes else "不合格"
    return (
        f"按{rules.name}计差错 {errors:g} 个，{chars:,} 字，差错率 {rate:g}/10000，"
        f"编校质量{judged}（合格线 {rules.pass_rate:g}/10000）"
    )


def notes(report: Report) -> tuple[str, ...]:
    """The summary lines after the verdict: what was checked, the date read at, the punctuation, the counts."""
    # How the text was read comes right after what was checked: a page OCR could hardly read.
    lines = [heading(report), *report.reprint.warnings]
    if report.text_date is not None:
        lines.append(date_line(report.text_date))
    punctuation = punctuation_line(report)
    if punctuation:
        lines.append(punctuation)
    lines.append(summary_line(report))
    return tuple(lines)


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
    return sum(map(is_mark, text))


def context(finding: Finding, text: str, chars: int) -> str:
    """A few characters of the reprint around a finding, the finding itself bracketed."""
    start, end = finding.reprint_span.start, finding.reprint_span.end
    before = flat(text[max(0, start - chars * 2) : start])[-chars:]
    after = flat(text[end : end + chars * 2])[:chars]
    shown = shorten(flat(finding.reprint_text), 2 * chars, head=chars, tail=4, count=False) or "∧"
    return f"…{before}【{shown}】{after}…"
