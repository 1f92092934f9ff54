"""Where a difference stands: reported speech, headings, whole sentences, names, numbers, dates.

Each public method of Context is one condition of the grading rules (yuanwen.rules.CONDITIONS).
Everything is read in the source, the authoritative text, and for names, numbers and dates in the
reprint too, since a wrong name is as wrong as a changed one.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable

from yuanwen.model import Alignment, Difference, OcrEvidence, Span, TextMap
from yuanwen.normalize import is_boundary
from yuanwen.rules import RuleSet
from yuanwen.words import Segmenter, Token

# A speaker and the cue that opens their speech stand in one sentence, rarely more than this far
# apart (习近平近日在河北考察，主持召开…座谈会并发表重要讲话: 35 characters).
_SPEAKER_TO_CUE = 40
# Reported speech is looked for this far back at most, so one huge paragraph stays cheap.
_SPEECH_LOOKBACK = 3000
# Names, titles and dates are at most this long; windows this wide around a span find them.
_TERM_WINDOW = 10
# The headings of a release (title, subtitles, dateline) fit in its first characters.
_HEADING_LIMIT = 300
# An insertion at least this long that the reprint already holds is a passage printed twice; a
# shorter one (a title repeated in a masthead, a set phrase) is not taken for a repeat.
_REPEAT_CHARS = 40
_NUMERALS = "0-9０-９〇零一二三四五六七八九十百千万亿两"
_DATE = re.compile(f"[{_NUMERALS}]{{1,4}}(?:年|月|日|号)")
_DIGIT = re.compile("[0-9０-９]")
_PERSON_TAGS = frozenset({"nr", "nrfg", "nrt"})


class Context:
    """Answers the grading conditions for the differences of one alignment."""

    def __init__(
        self, alignment: Alignment, rules: RuleSet, segmenter: Segmenter, ocr: OcrEvidence | None = None
    ) -> None:
        self._source, self._reprint = alignment.source, alignment.reprint
        self._ocr = ocr
        self._segmenter = segmenter
        self._names = _alternation(rules.words("leaders"))
        self._titles = _alternation(rules.words("titles"))
        self._organisations = _alternation(rules.words("organisations"))
        self._formulations = _alternation(rules.words("formulations"))
        self._suffixes = tuple(rules.words("organisation_suffixes"))
        self._surnames = tuple(rules.words("surnames"))
        self._excerpt_marks = frozenset(rules.words("excerpt_marks"))
        self._speech = _speech_pattern(rules)
        self._heading_end = _heading_end(self._source, rules.words("dateline_agencies"))
        self._body_source, self._body_reprint = _body(alignment)

    def holds(self, condition: str, diff: Difference) -> bool:
        """Whether a rule's condition (possibly "not X") holds for a difference."""
        name = condition.removeprefix("not ").strip()
        value: bool = getattr(self, name)(diff)
        return not value if condition.startswith("not ") else value

    def width_only(self, diff: Difference) -> bool:
        a, b = self._texts(diff)
        return a != b and unicodedata.normalize("NFKC", a) == unicodedata.normalize("NFKC", b)

    def outside_body(self, diff: Difference) -> bool:
        span, body = (
            (diff.reprint, self._body_reprint) if diff.kind == "insertion" else (diff.source, self._body_source)
        )
        return span.end <= body.start or span.start >= body.end

    def in_heading(self, diff: Difference) -> bool:
        return diff.source.end <= self._heading_end

    def whole_sentences(self, diff: Difference) -> bool:
        text, span = (self._reprint, diff.reprint) if diff.kind == "insertion" else (self._source, diff.source)
        return is_boundary(text, span.start) and is_boundary(text, span.end)

    def excerpt_mark(self, diff: Difference) -> bool:
        source_text, reprint_text = self._texts(diff)
        return not source_text and reprint_text in self._excerpt_marks

    def name(self, diff: Difference) -> bool:
        if self._touches(self._names, diff):
            return True
        return diff.kind == "substitution" and any(self._is_person(w) for w in self._words_touching(diff))

    def title(self, diff: Difference) -> bool:
        return self._touches(self._titles, diff)

    def organisation(self, diff: Difference) -> bool:
        if self._touches(self._organisations, diff):
            return True
        return any(len(w.text) >= 3 and w.text.endswith(self._suffixes) for w in self._words_touching(diff))

    def formulation(self, diff: Difference) -> bool:
        # Cutting into a formulation alters it; dropping a clause that holds one whole does not.
        return self._touches(self._formulations, diff, partly=True)

    def number(self, diff: Difference) -> bool:
        if any(_DIGIT.search(text) for text in self._texts(diff)):
            return True
        return any(w.tag == "m" for w in self._words_touching(diff))

    def date(self, diff: Difference) -> bool:
        return self._touches(_DATE, diff)

    def in_speech(self, diff: Difference) -> bool:
        position = diff.source.start
        starts = self._source.paragraph_starts
        paragraph = starts[bisect_right(starts, position) - 1] if starts and starts[0] <= position else 0
        since = max(paragraph, position - _SPEECH_LOOKBACK)
        return self._speech.search(self._source.content, since, position) is not None

    def repeated(self, diff: Difference) -> bool:
        if diff.kind != "insertion" or len(diff.reprint) < _REPEAT_CHARS:
            return False
        content = self._reprint.content
        head = content[diff.reprint.start : diff.reprint.start + _REPEAT_CHARS]
        return content.find(head) < diff.reprint.start or content.find(head, diff.reprint.end) >= 0

    def unmatched(self, diff: Difference) -> bool:
        # Only a stretch of the reprint found in no source is aligned to an empty text.
        return not self._source.content

    def ocr_uncertain(self, diff: Difference) -> bool:
        # OCR is evidence, not truth: a change resting on a character read with low confidence, or
        # on a punctuation width a scan cannot show (， or ,), needs a look at the page.
        if self._ocr is None:
            return False
        span = self._reprint.to_read(diff.reprint)
        if not any(read.start <= span.start and span.end <= read.end for read in self._ocr.read):
            return False
        near = Span(span.start - 1, span.end + 1) if span.start == span.end else span
        return self.width_only(diff) or any(_overlaps(doubt, near) for doubt in self._ocr.uncertain)

    def _is_person(self, word: Token) -> bool:
        return word.tag in _PERSON_TAGS and 2 <= len(word.text) <= 4 and word.text.startswith(self._surnames)

    def _texts(self, diff: Difference) -> tuple[str, str]:
        a = self._source.content[diff.source.start : diff.source.end]
        return a, self._reprint.content[diff.reprint.start : diff.reprint.end]

    def _touches(self, pattern: re.Pattern[str] | None, diff: Difference, partly: bool = False) -> bool:
        """Whether the pattern occurs over the difference in either text (partly: and not wholly inside it)."""
        if pattern is None:
            return False
        return any(
            _overlaps(found, span) and not (partly and span.start <= found.start and found.end <= span.end)
            for text, span in ((self._source, diff.source), (self._reprint, diff.reprint))
            for found in (Span(m.start(), m.end()) for m in _matches_near(pattern, text.content, span))
        )

    def _words_touching(self, diff: Difference) -> list[Token]:
        """The words of either text that overlap the difference."""
        found: list[Token] = []
        for text, span in ((self._source, diff.source), (self._reprint, diff.reprint)):
            start, end = max(0, span.start - _TERM_WINDOW), min(len(text.content), span.end + _TERM_WINDOW)
            words = self._segmenter.words(text.content[start:end], start)
            found.extend(w for w in words if _overlaps(Span(w.start, w.end), span))
        return found


def _matches_near(pattern: re.Pattern[str], content: str, span: Span) -> Iterable[re.Match[str]]:
    """Matches overlapping the span: looked for as far around it as the pattern's longest term."""
    reach = max(_TERM_WINDOW, _longest(pattern))
    return pattern.finditer(content, max(0, span.start - reach), min(len(content), span.end + reach))


def _longest(pattern: re.Pattern[str]) -> int:
    """The longest alternative of a word-list pattern (an upper bound on a match's length)."""
    return max(len(alternative) for alternative in pattern.pattern.split("|"))


def _overlaps(word: Span, span: Span) -> bool:
    """A word overlaps a span, or holds an empty span's point strictly inside it."""
    if span.start == span.end:
        return word.start < span.start < word.end
    return word.start < span.end and span.start < word.end


def _alternation(words: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern matching any of the words, longest first."""
    ordered = sorted(set(words), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, ordered))) if ordered else None


def _speech_pattern(rules: RuleSet) -> re.Pattern[str]:
    """A speaker (a leader, a title or a pronoun) and a cue that opens their speech."""
    speakers = [*rules.words("leaders"), *rules.words("titles")]
    pronouns = "|".join(f"(?<!其){re.escape(p)}" for p in rules.words("speech_pronouns"))
    names = "|".join(map(re.escape, sorted(speakers, key=len, reverse=True)))
    cues = "|".join(map(re.escape, rules.words("speech_cues")))
    object_cues = "|".join(map(re.escape, rules.words("speech_object_cues")))
    return re.compile(
        f'(?:{names}|{pronouns})[^。！？!?]{{0,{_SPEAKER_TO_CUE}}}?(?:(?:{cues})[，：:,“"]|(?:{object_cues}))'
    )


def _heading_end(source: TextMap, agencies: Iterable[str]) -> int:
    """Where the title, subtitles and dateline of the source end (0 when it has none)."""
    head = source.content[:_HEADING_LIMIT]
    agency = "|".join(map(re.escape, agencies))
    dateline = re.search(f"(?:{agency})[^。，]{{0,15}}?[{_NUMERALS}]{{1,2}}月[{_NUMERALS}]{{1,3}}日(?:电|讯)", head)
    if agency and dateline:
        return dateline.end()
    ends = [*source.paragraph_starts, len(source.content)]
    start = 0
    for end in ends:
        if end > _HEADING_LIMIT or re.search("[。！？!?]", source.content[start:end]):
            return start
        start = end
    return start


def _body(alignment: Alignment) -> tuple[Span, Span]:
    """The stretch of each text from the first to the last text they share."""
    equal = [e for e in alignment.edits if e.op == "equal"]
    if not equal:
        return Span(0, 0), Span(0, 0)
    return (
        Span(equal[0].source.start, equal[-1].source.end),
        Span(equal[0].reprint.start, equal[-1].reprint.end),
    )
