"""A corrected reprint: the source's wording restored where the report found it changed.

Every change above info is undone: words and punctuation restored, a clause dropped from a
sentence put back, words added to one taken out. The reprint's own header (an info insertion) and
its excerpting (info omissions) are the editor's choices, not errors: they are kept whatever
kinds are asked for. A .docx comes back as a
.docx with its formatting kept, the edits made in its runs and a comment on each; any other
reprint comes back as its corrected text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from yuanwen.model import KINDS, Finding, Kind, Report, Span
from yuanwen.render.text import KIND_NAMES, SEVERITY_NAMES

if TYPE_CHECKING:
    from yuanwen.render.docx import Piece, RunText

# What `fix` restores unless told otherwise (--only): tampering of every kind.
RESTORED_KINDS: frozenset[Kind] = frozenset(KINDS)
# Rules that mark what the reprint chose to leave out or add around the body; a user rule file
# may raise their severity, and they are still kept.
_KEPT_RULES = ("excerpt.", "heading.omission", "header.")
_LATIN_SPACE = re.compile(r"(?<=[0-9A-Za-z])\s+(?=[0-9A-Za-z])")
_WHITESPACE = re.compile(r"\s+")
# Characters of each wording a fix comment quotes.
_NOTE_CHARS = 60


def corrected(report: Report, kinds: frozenset[Kind]) -> str | bytes:
    """The reprint with the findings of the given kinds undone: text for text, .docx bytes for a .docx."""
    chosen = [f for f in report.findings if restorable(f, kinds)]
    if report.reprint.format == "docx":
        return _corrected_docx(report, chosen)
    return corrected_text(report.reprint.text, chosen)


def restorable(finding: Finding, kinds: frozenset[Kind]) -> bool:
    """True when a finding is of a chosen kind and undoing it keeps the reprint's header and excerpting."""
    if finding.kind not in kinds or finding.rule.startswith(_KEPT_RULES):
        return False
    return not (finding.severity == "info" and finding.kind in ("omission", "insertion"))


def wording(finding: Finding) -> str:
    """The source's wording of a finding without the source's layout (hard wraps, PDF spaces)."""
    return _WHITESPACE.sub("", _LATIN_SPACE.sub("\x00", finding.source_text)).replace("\x00", " ")


def corrected_text(text: str, findings: Sequence[Finding]) -> str:
    """A text with the source's wording put at each finding's span."""
    parts: list[str] = []
    done = 0
    for finding in sorted(findings, key=lambda f: (f.reprint_span.start, f.reprint_span.end)):
        span = finding.reprint_span
        if span.start < done:  # findings never overlap; should two, the first one wins
            continue
        parts += [text[done : span.start], wording(finding)]
        done = span.end
    parts.append(text[done:])
    return "".join(parts)


def _corrected_docx(report: Report, findings: Sequence[Finding]) -> bytes:
    """The user's .docx with each finding's runs edited to the source's wording, a comment on each."""
    from yuanwen.render.docx import add_comments, anchor, open_target, save

    target = open_target(report)
    spans = [target.offsets.span(f.reprint_span) for f in findings]
    points = [anchor(target.runs.text, Span(s.start, s.start)) for s in spans]
    target.runs.split(offset for span in (*spans, *points) for offset in (span.start, span.end))
    notes = []
    for finding, span, point in zip(findings, spans, points, strict=True):
        edited = _edit(target.runs, span, wording(finding))
        notes.append((edited or target.runs.within(point), _note(finding)))
    add_comments(target.document, notes)
    return save(target.document)


def _edit(runs: RunText, span: Span, text: str) -> list[Piece]:
    """Put a text in place of the runs of a span; the runs that now hold it (none for a removal)."""
    from yuanwen.render.docx import Piece, new_run_after, set_run_text

    if span.end == span.start:
        neighbour = runs.before(span.start)
        return [Piece(new_run_after(neighbour, text), span.start, span.start)] if neighbour else []
    pieces = runs.within(span)
    for piece in pieces[1:]:
        set_run_text(piece.element, "")
    if pieces:
        set_run_text(pieces[0].element, text)
    return pieces[:1] if text else []


def _note(finding: Finding) -> str:
    """The comment on a fix: what was there, what the source says, and why."""
    from yuanwen.render.docx import shorten

    was, now = shorten("".join(finding.reprint_text.split()), _NOTE_CHARS), shorten(wording(finding), _NOTE_CHARS)
    if not was:
        action = f"已按原文补回删去的文字：“{now}”"
    elif not now:
        action = f"已按原文删去增添的文字：“{was}”"
    else:
        action = f"已按原文改正：“{was}”改为“{now}”"
    kind = f"{SEVERITY_NAMES[finding.severity]}·{KIND_NAMES[finding.kind]}"
    return f"{action}\n【{kind}】{finding.message}\n规则：{finding.rule}"
