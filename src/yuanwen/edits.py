"""The edits that undo a report's findings: which are restorable, and each edit's text and note; pure, of the Report.

Every change above info is undone: words and punctuation restored, a clause dropped from a
sentence put back, words added to one taken out. The reprint's own header (an info insertion) and
its excerpting (info omissions) are the editor's choices, not errors: they are kept whatever
kinds are asked for. `yuanwen fix` makes these edits; the Word report marks them as tracked changes.
"""

from __future__ import annotations

from collections.abc import Sequence

from yuanwen.model import KINDS, Finding, Kind, Report, TextEdit
from yuanwen.review import KIND_NAMES, SEVERITY_NAMES
from yuanwen.texts import flat, shorten, unwrapped

# What `fix` restores unless told otherwise (--only): tampering of every kind.
RESTORED_KINDS: frozenset[Kind] = frozenset(KINDS)
# Rules that mark what the reprint chose to leave out or add around the body; a user rule file
# may raise their severity, and they are still kept.
_KEPT_RULES = ("excerpt.", "heading.omission", "header.")
# Characters of each wording a fix comment quotes.
_NOTE_CHARS = 60


def edits(report: Report, kinds: frozenset[Kind]) -> tuple[TextEdit, ...]:
    """The edits that undo the report's findings of the given kinds, in reprint order, none overlapping."""
    chosen = sorted(
        (f for f in report.findings if restorable(f, kinds)), key=lambda f: (f.reprint_span.start, f.reprint_span.end)
    )
    made: list[TextEdit] = []
    for finding in chosen:
        # Findings never overlap; should two, the first one wins.
        if made and finding.reprint_span.start < made[-1].span.end:
            continue
        made.append(TextEdit(finding.reprint_span, unwrapped(finding.source_text), _note(finding)))
    return tuple(made)


def restorable(finding: Finding, kinds: frozenset[Kind]) -> bool:
    """True when a finding is of a chosen kind and undoing it keeps the reprint's header and excerpting."""
    if finding.kind not in kinds or finding.rule.startswith(_KEPT_RULES):
        return False
    # A source-free finding (yuanwen.lint) with no single suggested wording has nothing to restore.
    if finding.source_id is None and finding.kind == "substitution" and not finding.source_text:
        return False
    return not (finding.severity == "info" and finding.kind in ("omission", "insertion"))


def corrected_text(text: str, edits: Sequence[TextEdit]) -> str:
    """A text with each edit made (edits in order, none overlapping)."""
    parts: list[str] = []
    done = 0
    for edit in edits:
        parts += [text[done : edit.span.start], edit.text]
        done = edit.span.end
    parts.append(text[done:])
    return "".join(parts)


def _note(finding: Finding) -> str:
    """The comment on a fix: what was there, what the source says, and why."""
    was = shorten(flat(finding.reprint_text), _NOTE_CHARS)
    now = shorten(unwrapped(finding.source_text), _NOTE_CHARS)
    if not was:
        action = f"已按原文补回删去的文字：“{now}”"
    elif not now:
        action = f"已按原文删去增添的文字：“{was}”"
    else:
        basis = "按原文" if finding.source_id is not None else "按规范写法"
        action = f"已{basis}改正：“{was}”改为“{now}”"
    kind = f"{SEVERITY_NAMES[finding.severity]}·{KIND_NAMES[finding.kind]}"
    return f"{action}\n【{kind}】{finding.message}\n规则：{finding.rule}"
