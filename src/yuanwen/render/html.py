"""The HTML report: source and reprint side by side, every finding marked, in one self-contained file.

1. pair each source with the reprint: the texts as read and their TextMaps, as the Report carries them
2. walk the findings in source order: the text between two findings is the same in both columns
3. cut that shared text into rows at the paragraph starts of either text, so the columns stay level
4. wrap the rows in the page: verdict, summary lines, the findings list worst first (yuanwen.review),
   filters, navigation, density strip (inline CSS and JS)
"""

from __future__ import annotations

import base64
import hashlib
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from importlib.resources import files
from itertools import pairwise
from typing import Literal

from yuanwen.model import SEVERITIES, Finding, Report, SourceInfo, Span, TextMap
from yuanwen.render.crops import Crops
from yuanwen.review import KIND_NAMES, SEVERITY_NAMES, Group, Review, context, review

# A hard wrap between two Latin words or digits stands for a space; anywhere else it is layout.
_LATIN_WRAP = re.compile(r"(?<=[0-9A-Za-z,.;:!?])[^\S\n]*\n\s*(?=[0-9A-Za-z])")
_WRAP = re.compile(r"[^\S\n]*\n\s*")
_SPACES = re.compile(r"[^\S\n]+")
# Shown in the column that lacks the text of an omission or an insertion.
_CARET = "∧"
_NO_TEXT = TextMap("", "", (), ())
# A marked text longer than this is shown on one line when printed (a cut of a page is not read on paper).
_LONG = 120
# Characters of context on each side of a finding in the list.
_CONTEXT = 10


@dataclass(frozen=True)
class _Placed:
    """A finding with its spans in the two columns, the source's and the reprint's."""

    finding: Finding
    source: Span
    reprint: Span
    # The finding's index in Report.findings: its number in the page.
    index: int
    # A move shows in two places, as Word's compare shows it: where the source has the passage
    # ("from": a caret in the reprint) and where the reprint put it ("to": a caret in the source),
    # the latter holding the changes made to the passage on the way.
    role: Literal["change", "from", "to"] = "change"
    inside: tuple[_Placed, ...] = ()


@dataclass(frozen=True)
class _Pair:
    """One source and the reprint, with the findings between them in source order."""

    title: str
    source: _Text
    reprint: _Text
    placed: tuple[_Placed, ...]
    stretch: Span
    # The scanned page around a finding OCR was unsure of.
    crops: Crops


class _Text:
    """A text with its content offsets and paragraph starts (as the check read them), to cut it into level rows."""

    def __init__(self, mapped: TextMap) -> None:
        self.text = mapped.text
        self.offsets = mapped.offsets
        self.paragraphs = mapped.paragraph_starts

    def content_index(self, offset: int) -> int:
        return bisect_left(self.offsets, offset)

    def read_offset(self, index: int, end: int) -> int:
        """The offset in the text as read of a content index, or `end` past the last one."""
        return self.offsets[index] if index < len(self.offsets) else end

    def starts_between(self, start: int, end: int) -> list[int]:
        """Paragraph starts (content indexes) in [start, end], relative to start."""
        low, high = bisect_left(self.paragraphs, start), bisect_left(self.paragraphs, end + 1)
        return [p - start for p in self.paragraphs[low:high]]

    def flow(self, span: Span) -> str:
        """A span as HTML: layout whitespace collapsed, a line break where a paragraph starts inside."""
        first, last = self.content_index(span.start), self.content_index(span.end)
        inside = [self.offsets[first + k] for k in self.starts_between(first, last) if 0 < k < last - first]
        edges = [span.start, *inside, span.end]
        return "<br>".join(_flow(self.text[a:b]) for a, b in pairwise(edges))


def render_html(report: Report) -> str:
    """The report as one HTML page that works offline and prints well."""
    sections = [_section(pair, _rows(pair)) for pair in _pairs(report)]
    return _page(report, review(report), "".join(sections))


def _pairs(report: Report) -> list[_Pair]:
    """Each stretch of the reprint beside its source, in reprint order; a part in no source stands alone."""
    reprint = (_Text(report.reprint_map), Crops(report.reprint))
    index = {id(f): i for i, f in enumerate(report.findings)}
    whole = Span(0, len(report.reprint.text))
    if len(report.sources) <= 1:
        info = report.sources[0] if report.sources else SourceInfo("source", "无（不对照原文检查）", None, 0, _NO_TEXT)
        return [_pair(reprint, info, report.findings, whole, index)]
    pairs = [
        _pair(reprint, info, [f for f in report.findings if f.source_id == info.id and _within(f, part)], part, index)
        for info in report.sources
        for part in info.parts or (whole,)
    ]
    alone = SourceInfo("", "资料库中找不到原文的部分", None, 0, _NO_TEXT)
    pairs.extend(_pair(reprint, alone, [f], f.reprint_span, index) for f in report.findings if f.source_id is None)
    return sorted(pairs, key=lambda pair: pair.stretch.start)


def _within(finding: Finding, stretch: Span) -> bool:
    return stretch.start <= finding.reprint_span.start and finding.reprint_span.end <= stretch.end


def _pair(
    reprint: tuple[_Text, Crops], info: SourceInfo, findings: Sequence[Finding], stretch: Span, index: dict[int, int]
) -> _Pair:
    moved = [f for f in findings if f.move is not None]
    inner = {id(f): m for m in moved for f in findings if f is not m and _within(f, m.reprint_span)}
    placed: list[_Placed] = []
    for finding in findings:
        number = index[id(finding)]
        if finding.move is not None:
            inside = tuple(
                _Placed(f, f.source_span, f.reprint_span, index[id(f)]) for f in findings if inner.get(id(f)) is finding
            )
            placed += [
                _Placed(finding, finding.source_span, finding.move.home, number, "from"),
                _Placed(finding, finding.move.landing, finding.reprint_span, number, "to", inside),
            ]
        elif id(finding) not in inner:
            placed.append(_Placed(finding, finding.source_span, finding.reprint_span, number))
    placed.sort(key=lambda p: (p.source.start, p.reprint.start))
    title = info.title or info.path or info.id
    text, crops = reprint
    return _Pair(title, _Text(info.map), text, tuple(placed), stretch, crops)


class _Rows:
    """Rows of two cells, source and reprint, filled piece by piece."""

    def __init__(self) -> None:
        self.html: list[str] = []
        self._left: list[str] = []
        self._right: list[str] = []

    def add(self, left: str, right: str) -> None:
        self._left.append(left)
        self._right.append(right)

    def close(self) -> None:
        """End the current row; an empty one is dropped."""
        left, right = "".join(self._left).strip(), "".join(self._right).strip()
        if left or right:
            self.html.append(f'<div class="row"><div class="src">{left}</div><div class="rep">{right}</div></div>')
        self._left.clear()
        self._right.clear()


def _rows(pair: _Pair) -> str:
    """The rows of a pair, each finding numbered by its index in the report."""
    source, reprint = pair.source, pair.reprint
    rows = _Rows()
    at_source, at_reprint = 0, pair.stretch.start
    for placed in pair.placed:
        span = placed.reprint
        source_start, reprint_start = max(placed.source.start, at_source), max(span.start, at_reprint)
        _shared(rows, (source, Span(at_source, source_start)), (reprint, Span(at_reprint, reprint_start)))
        rows.add(*_marks(placed, pair))
        at_source, at_reprint = max(at_source, placed.source.end), max(at_reprint, span.end)
    _shared(rows, (source, Span(at_source, len(source.text))), (reprint, Span(at_reprint, pair.stretch.end)))
    rows.close()
    return "".join(rows.html)


def _shared(rows: _Rows, left: tuple[_Text, Span], right: tuple[_Text, Span]) -> None:
    """Text the same in both columns, cut into rows where a paragraph starts in either."""
    (source, in_source), (reprint, in_reprint) = left, right
    a0, a1 = source.content_index(in_source.start), source.content_index(in_source.end)
    b0, b1 = reprint.content_index(in_reprint.start), reprint.content_index(in_reprint.end)
    cuts = sorted({*source.starts_between(a0, a1), *reprint.starts_between(b0, b1)})
    at_left, at_right = in_source.start, in_reprint.start
    for cut in cuts:
        to_left = source.read_offset(a0 + cut, in_source.end) if a0 + cut < a1 else in_source.end
        to_right = reprint.read_offset(b0 + cut, in_reprint.end) if b0 + cut < b1 else in_reprint.end
        rows.add(_flow(source.text[at_left:to_left]), _flow(reprint.text[at_right:to_right]))
        rows.close()
        at_left, at_right = to_left, to_right
    rows.add(_flow(source.text[at_left : in_source.end]), _flow(reprint.text[at_right : in_reprint.end]))


def _marks(placed: _Placed, pair: _Pair) -> tuple[str, str]:
    """The finding marked in both columns: <del> for the source's wording, <ins> for the reprint's."""
    source, reprint = placed.source, placed.reprint
    left = _mark(placed, "del", source, pair.source.flow(source), anchored=False)
    shown = _with_inside(placed, pair) if placed.role == "to" else pair.reprint.flow(reprint)
    right = _mark(placed, "ins", reprint, shown, anchored=placed.role != "from")
    return left, right + (pair.crops.html(placed.finding) if placed.role != "from" else "")


def _mark(placed: _Placed, element: str, span: Span, shown: str, anchored: bool) -> str:
    """One column's mark of a finding: its text, or a caret where it has none; the anchor the list links to."""
    finding = placed.finding
    label = f"{SEVERITY_NAMES[finding.severity]}·{KIND_NAMES[finding.kind]}"
    title = escape(f"{label}：{finding.message}（规则 {finding.rule}）", quote=True)
    classes = f"f sev-{finding.severity} kind-{finding.kind}"
    if not shown:
        shown, classes = f'<span class="gap">{_CARET}</span>', classes + " empty"
    if span.end - span.start > _LONG:
        shown = f'<span class="long" data-chars="{span.end - span.start}">{shown}</span>'
    anchor = f' id="f{placed.index}"' if anchored else ""
    tag = f'<sup class="tag">{label}</sup>'
    return f'<{element}{anchor} class="{classes}" data-f="{placed.index}" title="{title}">{shown}{tag}</{element}>'


def _with_inside(placed: _Placed, pair: _Pair) -> str:
    """A moved passage as the reprint has it, the changes made to it on the way marked inside."""
    parts: list[str] = []
    at = placed.reprint.start
    for inner in sorted(placed.inside, key=lambda p: p.reprint.start):
        parts.append(pair.reprint.flow(Span(at, inner.reprint.start)))
        parts.append(_mark(inner, "ins", inner.reprint, pair.reprint.flow(inner.reprint), anchored=True))
        at = max(at, inner.reprint.end)
    parts.append(pair.reprint.flow(Span(at, placed.reprint.end)))
    return "".join(parts)


def _flow(text: str) -> str:
    """Text as read, its layout whitespace (hard wraps, runs of spaces) collapsed, HTML-escaped."""
    text = _SPACES.sub(" ", _WRAP.sub("", _LATIN_WRAP.sub(" ", text)))
    return escape(text, quote=False)


def _section(pair: _Pair, rows: str) -> str:
    return (
        '<section class="pair">'
        f'<div class="row head"><div class="src">原文：{escape(pair.title)}</div>'
        '<div class="rep">转载稿</div></div>'
        f"{rows}</section>"
    )


def _page(report: Report, seen: Review, body: str) -> str:
    """The whole page around the rows: verdict and summary lines, filters, the list, toolbar, strip."""
    style, script = asset("report.css"), asset("report.js")
    worst = next((g.severity for g in seen.groups), "none")
    warned = set(report.reprint.warnings)
    notes = "".join(
        f'<p class="meta{" warning" if line in warned else ""}">{escape(line)}</p>' for line in seen.notes[:-1]
    )
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{content_policy(script)}">'
        f"<title>原文核对报告 · {escape(report.reprint.path or '')}</title><style>{style}</style></head>"
        f'<body><header><h1>原文核对报告</h1><p class="verdict sev-{worst}">{escape(seen.verdict)}</p>'
        f'<p class="rate{"" if seen.passes else " fails"}">{escape(seen.rate_line)}</p>{notes}'
        f"{_summary(report, seen)}{findings_list(report, seen)}</header>{_toolbar()}"
        f'<main id="report">{body}</main><nav id="strip" aria-label="差异分布"></nav>'
        f"<script>{script}</script></body></html>\n"
    )


def content_policy(script: str) -> str:
    """Nothing loads from outside, and only the report's own script runs, even were escaping to fail."""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{digest}'"


def _summary(report: Report, seen: Review) -> str:
    """Counts by severity, each a checkbox that shows or hides that severity."""
    counts = report.summary
    boxes = "".join(
        f'<label class="count sev-{s}"><input type="checkbox" data-sev="{s}" checked> '
        f"{SEVERITY_NAMES[s]} <b>{counts[s]}</b></label>"
        for s in SEVERITIES
    )
    return f'<div class="summary">{boxes}<span class="total">{escape(seen.notes[-1])}</span></div>'


def findings_list(report: Report, seen: Review) -> str:
    """The list worst first: an entry per finding, one per group of the same change (its members folded in)."""
    if not seen.groups:
        return ""
    entries = "".join(_entry(report, group) for group in seen.groups)
    return f'<nav id="findings" aria-label="差异清单"><h2>差异清单（按严重程度）</h2><ol>{entries}</ol></nav>'


def _entry(report: Report, group: Group) -> str:
    first = report.findings[group.members[0]]
    badge = f'<span class="badge">{SEVERITY_NAMES[group.severity]}·{KIND_NAMES[group.kind]}</span>'
    where = group.where if group.count > 1 else f"第 {first.line} 行"
    head = f'{badge}<span class="where">{where}</span> {escape(group.label)}'
    attributes = f'class="entry sev-{group.severity}" data-g="{group.id}" data-f="{group.members[0]}"'
    if group.count == 1:
        return f'<li {attributes}><a href="#f{group.members[0]}" data-f="{group.members[0]}">{head}</a></li>'
    members = "".join(_member(report, i) for i in group.members)
    return f"<li {attributes}><details><summary>{head}</summary><ol>{members}</ol></details></li>"


def _member(report: Report, index: int) -> str:
    """One finding of a group in the list: its line and its context."""
    finding = report.findings[index]
    shown = escape(context(finding, report.reprint.text, _CONTEXT))
    return f'<li><a href="#f{index}" data-f="{index}">第 {finding.line} 行 {shown}</a></li>'


def _toolbar() -> str:
    return (
        '<div class="toolbar"><button type="button" id="prev" title="上一处（k）">↑ 上一处</button>'
        '<button type="button" id="next" title="下一处（j）">↓ 下一处</button>'
        '<span id="position">—</span><span id="current">按 j / k 或点按钮逐处查看差异</span></div>'
    )


def asset(name: str) -> str:
    return files("yuanwen.render").joinpath("assets", name).read_text(encoding="utf-8")
