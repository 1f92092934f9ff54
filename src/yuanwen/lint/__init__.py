"""Source-free checks: a text read against the dated roster and the standard ways of writing.

1. normalize the text (layout dropped, offsets kept)
2. find its date: given, from the dateline, a date line or the header
3. run each enabled lint rule's kind over the content; the date-bound ones only when a date was found
4. each hit a Finding: kind substitution, the suggested wording as source_text (empty when there is
   no single one), source_id None, the rule's id, severity and message
"""

from __future__ import annotations

import re
import string
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

from yuanwen.grade import Locator
from yuanwen.lint.dates import text_date
from yuanwen.lint.hits import Hit, Layout
from yuanwen.lint.leaders import Lists, name_hits, order_hits, title_hits
from yuanwen.lint.marks import heading_hits, pair_hits
from yuanwen.memo import per_rules
from yuanwen.model import Document, Finding, Report, Span, TextDate, TextMap
from yuanwen.normalize import normalize
from yuanwen.roster import DaySpan, RosterIndex, index
from yuanwen.rules import LintRule, RuleSet

# Spaces inside a line part an unpunctuated headline's words; a line's end does not.
_SPACES = re.compile("[ \t\u3000\u00a0]+")
# Checks that read the roster against the text's date; without a date they do not run.
_DATED = frozenset({"title", "former", "order"})
# Checks of the whole text's structure (paired marks, heading numbers): with a source, part of the
# text is the source's, so they are left to the comparison.
_STRUCTURE = frozenset({"pairs", "headings"})


@dataclass(frozen=True)
class LintResult:
    """What the source-free checks found, and the date they read the text at."""

    findings: tuple[Finding, ...]
    date: TextDate


def lint(reprint: Document, rules: RuleSet, day: date | None = None) -> LintResult:
    """Every source-free finding of a text, read at the given date or the one found in it."""
    found = text_date(reprint.text, rules.words("dateline_agencies"), day)
    return LintResult(_checked(reprint, normalize(reprint.text), rules, found), found)


def linted(report: Report, rules: RuleSet, day: date | None = None) -> Report:
    """A check's report with the source-free findings added: all of them when no source was found,
    else those inside the reprint's own text (its header, parts found in no source) and not about
    the whole text's structure, whose marks and numbers the source's own may pair with."""
    reprint = report.reprint
    found = text_date(reprint.text, rules.words("dateline_agencies"), day)
    if report.sources:
        own = [f.reprint_span for f in report.findings if f.kind == "insertion" and f.severity == "info"]
        structure = {rule.id for rule in rules.lint if rule.check in _STRUCTURE}
        checked = _checked(reprint, _only(report.reprint_map, own), rules, found) if own else ()
        added = [f for f in checked if f.rule not in structure and any(_within(f.reprint_span, s) for s in own)]
    else:
        added = list(_checked(reprint, report.reprint_map, rules, found))
    if not added:  # the check's own order (its sources' order) stays as it is
        return replace(report, text_date=found)
    findings = sorted((*report.findings, *added), key=lambda f: (f.reprint_span.start, f.reprint_span.end))
    return replace(report, findings=tuple(findings), text_date=found)


def _checked(reprint: Document, content: TextMap, rules: RuleSet, found: TextDate) -> tuple[Finding, ...]:
    """Steps 3 and 4 on the reprint's content (all of it, or only its own stretches)."""
    span = DaySpan(found.first, found.last) if found.first and found.last else None
    hits = _Hits(content, rules, _roster_index(rules), span)
    locator = Locator(reprint)
    findings = [
        _finding(rule, hit, content, reprint.text, locator)
        for rule in rules.lint
        if rule.enabled and (span is not None or rule.check not in _DATED)
        for hit in hits.of(rule)
    ]
    return tuple(sorted(findings, key=lambda f: (f.reprint_span.start, f.reprint_span.end, f.rule)))


@per_rules
def _roster_index(rules: RuleSet) -> RosterIndex:
    return index(rules.roster, rules.words("standing_titles"))


def _only(content: TextMap, spans: list[Span]) -> TextMap:
    """The content within the spans (of the text as read) alone, still mapping into the whole text;
    each span starts a paragraph.

    Linting only the reprint's own stretches keeps a check against a 700,000-character source as fast
    as it was (linting all of it costs ~0.9 s there)."""
    offsets = content.offsets
    ranges = sorted({(bisect_left(offsets, s.start), bisect_left(offsets, s.end)) for s in spans})
    kept = sorted({i for start, end in ranges for i in range(start, end)})
    place = {index: at for at, index in enumerate(kept)}
    starts = {place[start] for start, end in ranges if end > start} | {
        place[p] for p in content.paragraph_starts if p in place
    }
    return TextMap(
        text=content.text,
        content="".join(content.content[i] for i in kept),
        offsets=[offsets[i] for i in kept],
        paragraph_starts=tuple(sorted(starts - {0})),
    )


def _within(inner: Span, outer: Span) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


class _Hits:
    """Runs a rule's kind of check over one text."""

    def __init__(self, content: TextMap, rules: RuleSet, roster: RosterIndex, span: DaySpan | None) -> None:
        self._text = content.content
        self._paragraphs = (0, *content.paragraph_starts)
        self._layout = Layout(self._paragraphs, _breaks(content))
        self._roster, self._span = roster, span
        self._lists = Lists(
            former_marks=rules.words("former_marks"),
            title_endings=rules.words("title_endings"),
            cues=rules.words("speech_cues"),
        )
        self._titles: list[tuple[str, Hit]] | None = None

    def of(self, rule: LintRule) -> Iterator[Hit]:
        if rule.check == "pattern":
            yield from _pattern_hits(self._text, rule)
        elif rule.check in ("title", "former"):
            yield from (hit for kind, hit in self._title_hits() if kind == rule.check)
        elif rule.check == "name":
            yield from name_hits(self._text, self._roster, self._lists, frozenset(self._paragraphs))
        elif rule.check == "order" and self._span is not None:
            yield from order_hits(self._text, self._roster, self._span, self._lists, self._layout)
        elif rule.check == "pairs":
            yield from pair_hits(self._text, self._paragraphs)
        elif rule.check == "headings":
            yield from heading_hits(self._text, self._paragraphs)

    def _title_hits(self) -> list[tuple[str, Hit]]:
        """Titles and former titles come from one pass over the names."""
        if self._titles is None:
            assert self._span is not None
            self._titles = list(title_hits(self._text, self._roster, self._span, self._lists, self._layout))
        return self._titles


def _breaks(content: TextMap) -> tuple[int, ...]:
    """Content positions a space of the text as read stands before, inside a line (not a line's end)."""
    if not content.content:
        return ()
    found = []
    # Only spaces between the first and last content characters can stand before one: a reprint's
    # own stretches linted alone are often its header, a few dozen characters of a long text.
    for match in _SPACES.finditer(content.text, content.offsets[0], content.offsets[-1] + 1):
        at = bisect_left(content.offsets, match.end())
        if 0 < at < len(content.content) and content.offsets[at - 1] < match.start():
            found.append(at)
    return tuple(sorted(set(found)))


def _pattern_hits(content: str, rule: LintRule) -> Iterator[Hit]:
    for match in _compiled(rule.pattern).finditer(content):
        if match.end() > match.start():
            yield Hit(Span(match.start(), match.end()), _suggestion(match, rule))


def _suggestion(match: re.Match[str], rule: LintRule) -> str | None:
    found = match.group()
    if rule.replace is not None:
        suggested = match.expand(rule.replace)
    elif rule.translate:
        suggested = found
        for old, new in rule.translate:
            suggested = suggested.replace(old, new)
    else:
        return None
    return suggested if suggested != found else None


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _finding(rule: LintRule, hit: Hit, content: TextMap, reprint: str, locator: Locator) -> Finding:
    read = content.to_read(hit.span)
    found = content.content[hit.span.start : hit.span.end]
    fields = {"found": found, "suggestion": hit.suggestion or "", **hit.fields}
    return Finding(
        kind="substitution",
        severity=rule.severity,
        rule=rule.id,
        message=string.Formatter().vformat(rule.message, (), _Fields(fields)),
        source_id=None,
        source_text=hit.suggestion or "",
        reprint_text=reprint[read.start : read.end],
        source_span=Span(0, 0),
        reprint_span=read,
        line=locator.line(read.start),
        location=locator.label(read.start),
    )


class _Fields(dict[str, str]):
    """Message fields; one a message names but a check does not give reads as itself."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
