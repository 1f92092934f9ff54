"""The edits that undo a report's findings: which are restorable, and each edit's text and note; pure, of the Report.

Every change above info is undone: words and punctuation restored, a clause dropped from a
sentence put back, words added to one taken out, a passage moved put back. The reprint's own
header (an info insertion) and its excerpting (info omissions, paragraphs pasted in another order)
are the editor's choices, not errors: they are kept whatever kinds are asked for. `yuanwen fix`
makes these edits; the Word report marks them as tracked changes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from yuanwen.model import KINDS, Finding, Kind, Report, Span, TextEdit
from yuanwen.review import KIND_NAMES, SEVERITY_NAMES
from yuanwen.texts import flat, shorten, unwrapped

# What `fix` restores unless told otherwise (--only): tampering of every kind.
RESTORED_KINDS: frozenset[Kind] = frozenset(KINDS)
# Rules that mark what the reprint chose to leave out or add around the body; a user rule file
# may raise their severity, and they are still kept.
_KEPT_RULES = ("excerpt.", "heading.omission", "header.", "move.excerpt")
# The layout after a paragraph: blanks, a line break, and the blank lines and indent before the next.
_BREAK = re.compile(r"[^\S\n]*\n\s*")
# Characters of each wording a fix comment quotes.
_NOTE_CHARS = 60


def edits(report: Report, kinds: frozenset[Kind]) -> tuple[TextEdit, ...]:
    """The edits that undo the report's findings of the given kinds, in reprint order, none overlapping.

    A passage moved goes back whole, in the source's wording: it is taken out where the reprint put
    it and the source's passage put where the source has it, so changes inside it need no edit."""
    chosen = sorted(
        (edit for i, f in enumerate(report.findings) if restorable(f, kinds) for edit in _undoing(f, i, report)),
        key=lambda edit: (edit.span.start, edit.move is None, edit.span.end),
    )
    made: list[TextEdit] = []
    for edit in chosen:
        # Findings never overlap but a moved passage and the changes inside it: the move comes first
        # and wins, as does the first of two findings that should overlap.
        if made and edit.span.start < made[-1].span.end:
            continue
        made.append(edit)
    # A move is made whole or not at all: half of one would lose its passage or print it twice.
    halves = Counter(edit.move for edit in made if edit.move is not None)
    return tuple(edit for edit in made if edit.move is None or halves[edit.move] == 2)


def _undoing(finding: Finding, number: int, report: Report) -> list[TextEdit]:
    """The edits that undo one finding: its span given the source's wording, or a move's passage taken
    out and the source's put back where the source has it (the two numbered as the finding)."""
    note = _note(finding)
    if finding.move is None:
        return [TextEdit(finding.reprint_span, unwrapped(finding.source_text), note)]
    passage, home, text = finding.reprint_span, finding.move.home, report.reprint.text
    # Whole paragraphs of a text file go back as paragraphs, with the break that followed them; a
    # .docx keeps its paragraphs as elements, which a text edit does not move.
    after = _BREAK.match(text, passage.end)
    if report.reprint.data is None and after and _BREAK.match(text, home.start) and _line_start(text, passage.start):
        return [
            TextEdit(home, after.group() + unwrapped(finding.source_text), note, number),
            TextEdit(Span(passage.start, after.end()), "", note, number),
        ]
    return [TextEdit(home, unwrapped(finding.source_text), note, number), TextEdit(passage, "", note, number)]


def _line_start(text: str, at: int) -> bool:
    """Whether only blanks stand between a line's start and an offset."""
    return not text[text.rfind("\n", 0, at) + 1 : at].strip()


def restorable(finding: Finding, kinds: frozenset[Kind]) -> bool:
    """True when a finding is of a chosen kind and undoing it keeps the reprint's header and excerpting."""
    if finding.kind not in kinds or finding.rule.startswith(_KEPT_RULES):
        return False
    # A source-free finding (yuanwen.lint) with no single suggested wording has nothing to restore.
    if finding.source_id is None and finding.kind == "substitution" and not finding.source_text:
        return False
    return not (finding.severity == "info" and finding.kind in ("omission", "insertion", "move"))


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
    if finding.move is not None:
        action = f"已按原文的顺序移回：“{now}”"
    elif not was:
        action = f"已按原文补回删去的文字：“{now}”"
    elif not now:
        action = f"已按原文删去增添的文字：“{was}”"
    else:
        basis = "按原文" if finding.source_id is not None else "按规范写法"
        action = f"已{basis}改正：“{was}”改为“{now}”"
    kind = f"{SEVERITY_NAMES[finding.severity]}·{KIND_NAMES[finding.kind]}"
    return f"{action}\n【{kind}】{finding.message}\n规则：{finding.rule}"
