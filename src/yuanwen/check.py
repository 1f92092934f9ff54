"""The whole check, wired stage by stage; prints nothing.

1. normalize both texts (layout dropped, offsets kept)
2. align their content
3. diff: the changes a proof-reader would mark
4. grade each change by the rules, in its context
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from yuanwen.align import align
from yuanwen.context import Context
from yuanwen.diff import differences
from yuanwen.errors import NoCommonText
from yuanwen.grade import Locator, grade
from yuanwen.model import Alignment, CheckOptions, Document, Finding, Report, SourceInfo
from yuanwen.normalize import normalize
from yuanwen.rules import RuleSet, load_rules
from yuanwen.words import Segmenter, segmenter

if TYPE_CHECKING:
    from yuanwen.library import Library

# Below this share of the shorter text in common, the "source" is not this reprint's source:
# an excerpt shares nearly all of its own text, an unrelated text of the same genre under 5%.
_MIN_COMMON_SHARE = 0.1


def check(
    reprint: Document, source: Document | Library, options: CheckOptions | None = None, source_id: str = "source"
) -> Report:
    """Check a reprint against its source, or against the sources found in an open library; every difference graded.

    The one entry point of every face (CLI, web, audit): a Report with no sources means the library
    holds none of the reprint's sources."""
    if not isinstance(source, Document):
        from yuanwen.sources import check_library

        return check_library(reprint, source, options)
    rules = load_rules((options or CheckOptions()).rule_files)
    alignment = align(normalize(source.text), normalize(reprint.text))
    _require_common_text(alignment, source, reprint)
    findings = graded(alignment, reprint, rules, source_id)
    info = SourceInfo(
        id=source_id,
        title=None,
        path=source.path,
        chars=len(source.text),
        matched_chars=alignment.matched_chars,
        text=source.text,
    )
    return Report(reprint=reprint, sources=(info,), findings=tuple(findings))


def rules_segmenter(rules: RuleSet) -> Segmenter:
    """A segmenter that keeps the rules' names, titles and organisations whole."""
    terms = (
        *((w, "nr") for w in rules.words("leaders")),
        *((w, "n") for w in rules.words("titles")),
        *((w, "nt") for w in rules.words("organisations")),
    )
    return segmenter(tuple(terms))


def _require_common_text(alignment: Alignment, source: Document, reprint: Document) -> None:
    shorter = min(len(alignment.source.content), len(alignment.reprint.content))
    if alignment.matched_chars < max(1, _MIN_COMMON_SHARE * shorter):
        raise NoCommonText(f"转载稿与原文没有足够的共同文本：原文选对了吗？（{reprint.path} / {source.path}）")


def graded(alignment: Alignment, reprint: Document, rules: RuleSet, source_id: str | None) -> list[Finding]:
    """Steps 3 and 4: the graded differences of an alignment (also of a reprint's part and its source)."""
    words = rules_segmenter(rules)
    found = differences(alignment, words, frozenset(rules.words("excerpt_marks")))
    context = Context(alignment, rules, words, reprint.ocr)
    return grade(found, alignment, context, rules, Locator(reprint), source_id)
