"""A corrected reprint: the source's wording restored where the report found it changed.

The edits are data, a pure function of the Report (`yuanwen.edits`); a text takes them with
`corrected_text`, a .docx in its runs, with a comment on each (`yuanwen.render.docx.edited_docx`),
its formatting kept.
"""

from __future__ import annotations

from yuanwen.edits import RESTORED_KINDS, corrected_text, edits, restorable
from yuanwen.model import Kind, Report
from yuanwen.render.docx import edited_docx

__all__ = ["RESTORED_KINDS", "corrected", "corrected_text", "edits", "restorable"]


def corrected(report: Report, kinds: frozenset[Kind]) -> str | bytes:
    """The reprint with the findings of the given kinds undone: text for text, .docx bytes for a .docx."""
    chosen = edits(report, kinds)
    if report.reprint.data is not None:
        return edited_docx(report.reprint, chosen)
    return corrected_text(report.reprint.text, chosen)
