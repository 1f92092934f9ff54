"""Difference + context + rules → Finding: the first rule that matches sets severity and message."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import replace

from yuanwen.context import Context
from yuanwen.model import SEVERITIES, Alignment, Difference, Document, Finding
from yuanwen.rules import Rule, RuleSet
from yuanwen.texts import shorten

# An edit no longer than a name (普京 → 京普, 李克强 → 李强克) changes one word: it is graded whole, as
# its parts (京 added, 京 dropped) say nothing of the name they are parts of.
_ONE_WORD = 4
# Longer texts are shortened in messages: a person reads the start and the end.
_MESSAGE_CHARS = 30
# Characters of the reprint quoted before the place a moved passage goes back to: a clause's end.
_BEFORE_HOME = 8


class Locator:
    """Line numbers and page or paragraph labels of offsets in a document's text as read."""

    def __init__(self, document: Document) -> None:
        self._line_starts = [0, *(match.end() for match in re.finditer("\n", document.text))]
        self._anchors = document.anchors
        self._anchor_starts = [a.start for a in document.anchors]

    def line(self, offset: int) -> int:
        return bisect_right(self._line_starts, offset)

    def label(self, offset: int) -> str | None:
        i = bisect_right(self._anchor_starts, offset) - 1
        if i < 0:
            return None
        anchor = self._anchors[i]
        return f"第 {anchor.number} 页" if anchor.unit == "page" else f"第 {anchor.number} 段"


def grade(
    differences: Iterable[Difference],
    alignment: Alignment,
    context: Context,
    rules: RuleSet,
    locator: Locator,
    source_id: str | None,
) -> list[Finding]:
    """One finding per difference, graded by the first matching rule (a person's name changed shown whole)."""
    named = context.whole_names(list(differences))
    return [_finding(d, _rule_for(d, context, rules), alignment, locator, source_id) for d in named]


def _rule_for(diff: Difference, context: Context, rules: RuleSet) -> Rule:
    """The rule of a difference, or of the worst of its parts: an edit is as grave as its gravest change.

    The whole edit's own rule names it when it is as grave, else a worst part of the edit's kind
    does; it is never graver, since the unchanged characters between its parts changed nothing."""
    own = _first_rule(diff, context, rules)
    if not diff.parts or max(len(diff.source), len(diff.reprint)) <= _ONE_WORD:
        return own
    graded = [(_first_rule(part, context, rules), part.kind) for part in diff.parts]
    worst, _ = min(graded, key=lambda pair: (SEVERITIES.index(pair[0].severity), pair[1] != diff.kind))
    return own if own.severity == worst.severity else worst


def _first_rule(diff: Difference, context: Context, rules: RuleSet) -> Rule:
    for rule in rules.rules:
        if diff.kind in rule.kinds and all(context.holds(c, diff) for c in rule.when):
            return rule
    # The built-in rules end with a catch-all for every kind; a user file cannot remove it.
    raise AssertionError(f"no rule grades a {diff.kind}")


def _finding(diff: Difference, rule: Rule, alignment: Alignment, locator: Locator, source_id: str | None) -> Finding:
    source, reprint = alignment.source, alignment.reprint
    source_span, reprint_span = source.to_read(diff.source), reprint.to_read(diff.reprint)
    before = source.content[diff.source.start : diff.source.end]
    after = reprint.content[diff.reprint.start : diff.reprint.end]
    move = None
    if diff.move is not None:
        move = replace(diff.move, home=reprint.to_read(diff.move.home), landing=source.to_read(diff.move.landing))
        change = _moved(after, diff.move.home.start, reprint.content, locator.line(move.home.start))
    else:
        change = _change(before, after)
    return Finding(
        kind=diff.kind,
        severity=rule.severity,
        rule=rule.id,
        message=rule.message_for(change),
        source_id=source_id,
        source_text=source.text[source_span.start : source_span.end],
        reprint_text=reprint.text[reprint_span.start : reprint_span.end],
        source_span=source_span,
        reprint_span=reprint_span,
        line=locator.line(reprint_span.start),
        location=locator.label(reprint_span.start),
        move=move,
    )


def _change(before: str, after: str) -> str:
    """“原”被改为“新”, 删去了“原” or 增加了“新”, as a person reads it."""
    if not after:
        return f"删去了“{_short(before)}”"
    if not before:
        return f"增加了“{_short(after)}”"
    return f"“{_short(before)}”被改为“{_short(after)}”"


def _moved(passage: str, home: int, content: str, line: int) -> str:
    """“段”应移到第 N 行“…前文”之后: where a moved passage goes back, by the reprint's words before that place."""
    if home == 0:
        return f"“{_short(passage)}”应移到开头"
    return f"“{_short(passage)}”应移到第 {line} 行“…{content[max(0, home - _BEFORE_HOME) : home]}”之后"


def _short(text: str) -> str:
    return shorten(text, _MESSAGE_CHARS, head=14, tail=8)
