"""The whole check, wired stage by stage; the faces (CLI, web, audit) call it, and nothing below does.

1. normalize the reprint (layout dropped, offsets kept)
2. locate: which source each stretch of it reprints (the one given, or those found in the library),
   each pairing aligned
3. diff: the changes a proof-reader would mark in each pairing; a passage moved is one move
4. grade each change by the rules, in its context (a stretch found in no source too)
5. the Report: findings, sources, and the texts every renderer reads
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from yuanwen.context import Context
from yuanwen.diff import differences
from yuanwen.errors import NoCommonText
from yuanwen.grade import Locator, grade
from yuanwen.lint import linted
from yuanwen.locate import locate
from yuanwen.model import (
    Alignment,
    CheckOptions,
    Document,
    Finding,
    OcrEvidence,
    Pairing,
    Report,
    SourceInfo,
    SourceText,
    Span,
    TextMap,
)
from yuanwen.moves import moves
from yuanwen.normalize import normalize
from yuanwen.rules import RuleSet, load_rules
from yuanwen.words import Segmenter, rules_segmenter

if TYPE_CHECKING:
    from yuanwen.library import Library

# Below this share of the shorter text in common, the "source" is not this reprint's source:
# an excerpt shares nearly all of its own text, an unrelated text of the same genre under 5%.
_MIN_COMMON_SHARE = 0.1


def check(
    reprint: Document, source: Document | Library, options: CheckOptions | None = None, source_id: str = "source"
) -> Report:
    """Check a reprint against its source, or against the sources found in an open library; every difference graded.

    The one entry point of every face: a Report with no sources means the library holds none of the
    reprint's sources."""
    options = options or CheckOptions()
    rules = load_rules(options.rule_files)
    reprint_map = normalize(reprint.text)
    if isinstance(source, Document):
        given = SourceText(source_id, None, source.path, normalize(source.text))
        pairings = locate(reprint_map, given)
        _require_common_text(pairings[0].alignment, source, reprint)
    else:
        pairings = locate(reprint_map, source)
    words, locator = rules_segmenter(rules), Locator(reprint)
    findings = [f for pairing in pairings for f in _graded(pairing, rules, words, locator, reprint.ocr)]
    infos = _source_infos(pairings, reprint_map, whole=isinstance(source, Document))
    searched = not isinstance(source, Document)
    report = Report(
        reprint=reprint, sources=infos, findings=tuple(findings), reprint_map=reprint_map, searched=searched
    )
    return linted(report, rules, options.day)


def check_alone(reprint: Document, options: CheckOptions | None = None) -> Report:
    """The source-free checks alone (`yuanwen lint`): the dated roster, standard wording, numbers and marks."""
    options = options or CheckOptions()
    unchecked = Report(reprint=reprint, sources=(), findings=(), reprint_map=normalize(reprint.text))
    return linted(unchecked, load_rules(options.rule_files), options.day)


def _require_common_text(alignment: Alignment, source: Document, reprint: Document) -> None:
    shorter = min(len(alignment.source.content), len(alignment.reprint.content))
    if alignment.matched_chars < max(1, _MIN_COMMON_SHARE * shorter):
        raise NoCommonText(f"转载稿与原文没有足够的共同文本：原文选对了吗？（{reprint.path} / {source.path}）")


def _graded(
    pairing: Pairing, rules: RuleSet, words: Segmenter, locator: Locator, ocr: OcrEvidence | None
) -> list[Finding]:
    """Steps 3 and 4 for one pairing: its differences, graded (in the light of OCR's doubts, if read so)."""
    alignment = pairing.alignment
    marks = frozenset(rules.words("excerpt_marks"))
    found = moves(differences(alignment, words, marks), alignment, words, marks)
    source_id = pairing.source.id if pairing.source else None
    return grade(found, alignment, Context(alignment, rules, words, ocr), rules, locator, source_id)


def _source_infos(pairings: Sequence[Pairing], reprint: TextMap, whole: bool) -> tuple[SourceInfo, ...]:
    """Each source once, in the order the reprint first draws on it, with the characters matched and,
    unless it was given for the whole reprint, the stretches of the reprint drawn from it."""
    drawn: dict[str, tuple[SourceText, list[Pairing]]] = {}
    for pairing in pairings:
        if pairing.source is not None:
            drawn.setdefault(pairing.source.id, (pairing.source, []))[1].append(pairing)
    return tuple(
        SourceInfo(
            id=source.id,
            title=source.title,
            path=source.path,
            matched_chars=sum(p.alignment.matched_chars for p in mine),
            map=source.text,
            parts=() if whole else _joined_spans([reprint.to_read(p.span) for p in mine], reprint.text),
        )
        for source, mine in drawn.values()
    )


def _joined_spans(spans: list[Span], text: str) -> tuple[Span, ...]:
    """Spans in order, those with only white space between them joined."""
    joined: list[Span] = []
    for span in sorted(spans, key=lambda s: s.start):
        if joined and not text[joined[-1].end : span.start].strip():
            joined[-1] = Span(joined[-1].start, max(joined[-1].end, span.end))
        else:
            joined.append(span)
    return tuple(joined)
