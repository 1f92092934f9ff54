"""Where a difference stands: reported speech, headings, whole sentences, names, numbers, dates.

Each public method of Context is one condition of the grading rules (yuanwen.rules.CONDITIONS).
Everything is read in the source, the authoritative text, and for names, numbers and dates in the
reprint too, since a wrong name is as wrong as a changed one.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cache

from yuanwen.chars import SENTENCE_ENDS, fold_width, is_punctuation
from yuanwen.memo import per_rules
from yuanwen.model import Alignment, Difference, Edit, OcrEvidence, Span, TextMap
from yuanwen.normalize import is_boundary
from yuanwen.numbers import numeral_changed, tokens_near, zero_misprinted
from yuanwen.roster import index
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
# OCR drops a character or a few where it left a gap or ends a line, never a passage: the copies
# of the test booklet lost 1-2 at a time (一，, 共), while a reprint's cut sentences run to dozens.
_OCR_DROPS = 3
_NUMERALS = "0-9０-９〇零一二三四五六七八九十百千万亿两"
# A year has four digits (2023年, 一九五○年; two in 九八年): a count of years (五年, 三十年, 10年) is
# a duration, a number. Months and days are dates whatever their digits.
_DATE = re.compile(f"(?:[0-9０-９]{{4}}|[〇○◯零一二三四五六七八九]{{2,4}})年|[{_NUMERALS}]{{1,3}}(?:月|日|号)")
_PERSON_TAGS = frozenset({"nr", "nrfg", "nrt"})
# A name is two to four characters; the tagger splits an unknown one (张明远 → 张 明远) into a
# surname and a part of at most two characters.
_NAME_CHARS = (2, 4)
# Tags of words that end a name after a title: verbs (主持), prepositions (在), conjunctions (和),
# particles, pronouns, numerals and marks.
_FUNCTION_WORDS = frozenset({"c", "p", "uj", "ul"})
_NOT_IN_A_NAME = frozenset({"c", "p", "u", "uj", "ul", "uz", "ug", "ud", "uv", "d", "r", "f", "m", "v", "x", "vn"})
_OPENING = frozenset('“「『"')
_CLOSING = frozenset('”」』"')
_QUOTES = _OPENING | _CLOSING
_LATIN = re.compile("[A-Za-z]")
# A word of a leader's standing stands just before the name, in its clause (中共中央政治局常委、国务院
# 总理李强: 11 characters), or right after it (习近平同志, 李强总理, 习近平总书记).
_STANDING_BEFORE = 12
_STANDING_AFTER = 1
_CLAUSE_MARKS = frozenset("，,。；;：:！？!?")
# A word this short is a leader's name, a standing or an act only as a whole word of the segmenter's:
# 万里 in 万里长城, 原 in 原则 and 通伦 in 普通伦理 are not.
_SHORT_WORD = 2
# Foreign names are written with their given names before them (约瑟夫·拜登, 弗拉基米尔·普京).
_GIVEN_NAMES = "(?:[\u4e00-\u9fff]{1,8}[·・])*"


@dataclass(frozen=True)
class _Patterns:
    """The rules' word lists as patterns: built once per rule set, not per alignment (~10 ms a check)."""

    names: re.Pattern[str] | None
    titles: re.Pattern[str] | None
    organisations: re.Pattern[str] | None
    formulations: re.Pattern[str] | None
    speech: re.Pattern[str]
    leaders: re.Pattern[str] | None
    standing: re.Pattern[str] | None
    acts: re.Pattern[str] | None
    # Foreign leaders' names with the given names written before them, and the names alone.
    foreign: re.Pattern[str] | None
    foreign_names: re.Pattern[str] | None


@per_rules
def _patterns(rules: RuleSet) -> _Patterns:
    foreign = _alternation(period.name for office in rules.foreign for period in office.holders)
    return _Patterns(
        names=_alternation(rules.words("leaders")),
        titles=_alternation(rules.words("titles")),
        organisations=_alternation(rules.words("organisations")),
        formulations=_alternation(rules.words("formulations")),
        speech=_speech_pattern(rules),
        leaders=_alternation(index(rules.roster, rules.words("standing_titles")).names),
        standing=_alternation(rules.words("leader_standing")),
        acts=_alternation(rules.words("leader_acts")),
        foreign=re.compile(_GIVEN_NAMES + f"(?:{foreign.pattern})") if foreign else None,
        foreign_names=foreign,
    )


class Context:
    """Answers the grading conditions for the differences of one alignment."""

    def __init__(
        self, alignment: Alignment, rules: RuleSet, segmenter: Segmenter, ocr: OcrEvidence | None = None
    ) -> None:
        self._source, self._reprint = alignment.source, alignment.reprint
        self._ocr = ocr
        self._segmenter = segmenter
        patterns = _patterns(rules)
        self._names, self._titles = patterns.names, patterns.titles
        self._title_words = tuple(rules.words("titles"))
        self._person_marks = tuple(rules.words("person_marks"))
        self._organisations, self._formulations = patterns.organisations, patterns.formulations
        self._suffixes = tuple(rules.words("organisation_suffixes"))
        self._surnames = tuple(rules.words("surnames"))
        self._excerpt_marks = frozenset(rules.words("excerpt_marks"))
        self._speech = patterns.speech
        self._heading_end = _heading_end(self._source, rules.words("dateline_agencies"))
        self._body_source, self._body_reprint = _body(alignment)
        self._leaders, self._standing, self._acts = patterns.leaders, patterns.standing, patterns.acts
        self._foreign, self._foreign_names = patterns.foreign, patterns.foreign_names
        # Each condition's test once looked up, and each window's words once cut: the rules ask
        # several conditions of a difference, which cut the same window around it.
        self._tests: dict[str, tuple[Callable[[Difference], bool], bool]] = {}
        self._cut: dict[tuple[int, int, int], list[Token]] = {}

    def holds(self, condition: str, diff: Difference) -> bool:
        """Whether a rule's condition (possibly "not X") holds for a difference."""
        test = self._tests.get(condition)
        if test is None:
            test = self._tests[condition] = (
                getattr(self, condition.removeprefix("not ").strip()),
                condition.startswith("not "),
            )
        value = test[0](diff)
        return not value if test[1] else value

    def width_only(self, diff: Difference) -> bool:
        a, b = self._texts(diff)
        return a != b and fold_width(a) == fold_width(b)

    def holds_digits(self, diff: Difference) -> bool:
        return any(ch.isdigit() for ch in "".join(self._texts(diff)))

    def holds_letters(self, diff: Difference) -> bool:
        return _LATIN.search(fold_width("".join(self._texts(diff)))) is not None

    def holds_symbols(self, diff: Difference) -> bool:
        return any(unicodedata.category(ch).startswith("S") for ch in "".join(self._texts(diff)))

    def quotation(self, diff: Difference) -> bool:
        a, b = self._texts(diff)
        if sum(ch in _QUOTES for ch in a) == sum(ch in _QUOTES for ch in b):
            return False
        if any(not text and any(ch not in _QUOTES for ch in other) for text, other in ((a, b), (b, a))):
            # The quotation's colon or full stop went (or came) with it: the text's marks were
            # dropped wholesale, and no one's words were made a quotation or unmade one.
            return False
        # A quotation of speech opens after a colon (强调：“) and closes after its sentence (。”);
        # marks around a term (“四个中心”) are not one.
        return any(
            _speech_mark(text.content, i)
            for text, span in ((self._source, diff.source), (self._reprint, diff.reprint))
            for i in range(span.start, span.end)
        )

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

    def from_a_cut(self, diff: Difference) -> bool:
        # A passage the reprint took out of a longer cut and pasted elsewhere, as an excerpt is
        # made; a passage moved out of text kept in place is not.
        return diff.move is not None and diff.move.cut_around

    def excerpt_mark(self, diff: Difference) -> bool:
        source_text, reprint_text = self._texts(diff)
        return not source_text and reprint_text in self._excerpt_marks

    def name(self, diff: Difference) -> bool:
        if self._leader_named(diff):
            return True
        return diff.kind == "substitution" and any(
            _overlaps(person, span)
            for text, span in ((self._source, diff.source), (self._reprint, diff.reprint))
            for person in self._persons_near(text.content, span)
        )

    def title(self, diff: Difference) -> bool:
        return self._touches(self._titles, diff)

    def organisation(self, diff: Difference) -> bool:
        # A clause dropped or added that merely mentions 政府 leaves the organisation's name as it
        # was; dropping or adding the name itself, or cutting into it, changes it.
        clause = diff.kind != "substitution"
        if self._touches(self._organisations, diff, partly=clause, alone=True):
            return True
        # The tagger takes idioms for names (顾全大局 is nr): a word it calls a person's is no organisation.
        return any(
            len(w.text) >= 3
            and w.text.endswith(self._suffixes)
            and w.tag not in _PERSON_TAGS
            and not (clause and _within(Span(w.start, w.end), span))
            for text, span in ((self._source, diff.source), (self._reprint, diff.reprint))
            for w in self._words_over(text, span)
        )

    def formulation(self, diff: Difference) -> bool:
        # Cutting into a formulation alters it; dropping a clause that holds one whole does not.
        return self._touches(self._formulations, diff, partly=True)

    def number(self, diff: Difference) -> bool:
        return any(
            tokens_near(text.content, span)
            for text, span in ((self._source, diff.source), (self._reprint, diff.reprint))
        ) or numeral_changed(self._source.content, diff.source, self._reprint.content, diff.reprint)

    def zero_glyph(self, diff: Difference) -> bool:
        return zero_misprinted(self._source.content, diff.source, self._reprint.content, diff.reprint)

    def date(self, diff: Difference) -> bool:
        return self._touches(_DATE, diff)

    def leader_standing(self, diff: Difference) -> bool:
        return self._beside_leader(self._standing, diff, act=False)

    def leader_act(self, diff: Difference) -> bool:
        return self._beside_leader(self._acts, diff, act=True)

    def foreign_leader(self, diff: Difference) -> bool:
        return any(
            _overlaps(found, span) and self._whole(text.content, found)
            for text, span in ((self._source, diff.source), (self._reprint, diff.reprint))
            for found in self._found(self._foreign, text.content, span, self._foreign_names)
        )

    def _beside_leader(self, pattern: re.Pattern[str] | None, diff: Difference, act: bool) -> bool:
        """Whether the difference touches a word of the pattern that stands beside a leader's name in
        its sentence: after the name for an act (习近平在北京会见), next to it for a standing."""
        return any(
            _overlaps(word, span)
            and self._whole(text.content, word, "leading" if act else "whole")
            and self._leader_beside(text, word, act)
            for text, span in ((self._source, diff.source), (self._reprint, diff.reprint))
            for word in self._found(pattern, text.content, span)
        )

    def _leader_beside(self, text: TextMap, word: Span, act: bool) -> bool:
        content = text.content
        reach = _SPEAKER_TO_CUE if act else _STANDING_BEFORE
        start, end = max(0, word.start - reach - 4), min(len(content), word.end + _STANDING_AFTER + 4)
        for found in self._found(self._leaders, content, Span(start, end)):
            if not self._whole(content, found, "split"):
                continue
            if found.end <= word.start:
                between = content[found.end : word.start]
                stops = SENTENCE_ENDS if act else _CLAUSE_MARKS
                near = len(between) <= (reach if act else _STANDING_AFTER)
            elif not act and word.end <= found.start:
                between, stops, near = content[word.end : found.start], _CLAUSE_MARKS, found.start - word.end <= reach
            else:
                continue
            if near and not any(ch in stops for ch in between) and not _parted(text, found, word):
                return True
        return False

    def _found(
        self, pattern: re.Pattern[str] | None, content: str, span: Span, core: re.Pattern[str] | None = None
    ) -> list[Span]:
        """The pattern's matches around a span; none where core, a part every match holds, is absent."""
        if pattern is None:
            return []
        return [Span(m.start(), m.end()) for m in _matches_near(pattern, content, span, core)]

    def _whole(self, content: str, word: Span, how: str = "whole") -> bool:
        """A word longer than _SHORT_WORD, or one the segmenter reads as a word there: whole ("whole": 原
        of 原则 is not), leading a word ("leading": 主持 of 主持会议 is, 通话 of 普通话 is not), or held by
        no longer word ("split": 韩正 read 韩 正在 is, 万里 of 万里长城 is not)."""
        if len(word) > _SHORT_WORD:
            return True
        window = Span(max(0, word.start - _TERM_WINDOW), min(len(content), word.end + _TERM_WINDOW))
        tokens = self._words(content, window.start, window.end)
        if how == "split":
            return not any(t.start <= word.start and word.end <= t.end and len(t.text) > len(word) for t in tokens)
        starts, ends = {t.start for t in tokens}, {t.end for t in tokens}
        return word.start in starts and (how == "leading" or word.end in ends)

    def in_speech(self, diff: Difference) -> bool:
        # A mark changed is in the speech its cue opens (习近平强调， → 习近平强调：“ changes the cue's
        # own mark), and a mark added at a paragraph's end belongs to that paragraph.
        position = diff.source.end if diff.kind == "punctuation" else diff.source.start
        inside = position - 1 if diff.kind == "punctuation" else position
        starts = self._source.paragraph_starts
        paragraph = starts[bisect_right(starts, inside) - 1] if starts and starts[0] <= inside else 0
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
        # OCR is evidence, not truth: a change resting on a character read with low confidence, on
        # a punctuation width a scan cannot show (， or ,), on characters OCR may have dropped, or
        # read from a page OCR could hardly read, needs a look at the page.
        if self._ocr is None:
            return False
        span = self._reprint.to_read(diff.reprint)
        if not any(read.start <= span.start and span.end <= read.end for read in self._ocr.read):
            return False
        if any(_overlaps(poor, span) or poor.start <= span.start < poor.end for poor in self._ocr.poor):
            return True
        near = Span(span.start - 1, span.end + 1) if span.start == span.end else span
        if self.width_only(diff) or any(_overlaps(doubt, near) for doubt in self._ocr.uncertain):
            return True
        # Characters the source has and OCR did not give, where OCR may have dropped some.
        gaps = self._ocr.gaps
        at = bisect_left(gaps, span.start - 1)
        dropped = len(diff.source) - len(diff.reprint)
        return 0 < dropped <= _OCR_DROPS and at < len(gaps) and gaps[at] <= span.end + 1

    def whole_names(self, diffs: list[Difference]) -> list[Difference]:
        """Substitutions grown over the person's name they cut into: 建春 → 建新 in 孙建春 becomes 孙建春 → 孙建新.

        The tagger splits a name it does not know, so the diff stage cannot grow to it; a name
        is known here, by the title before it. Only shared text around the change is taken in."""
        grown = list(diffs)
        for i, diff in enumerate(diffs):
            if diff.kind != "substitution":
                continue
            for name in self._persons_near(self._source.content, diff.source):
                if _overlaps(name, diff.source) and not _within(name, diff.source):
                    grown[i] = self._grown_over(diff, name, diffs, i)
                    break
        return grown

    def _grown_over(self, diff: Difference, name: Span, diffs: list[Difference], i: int) -> Difference:
        """The difference grown by the same shared characters on both sides to hold the name, if it can."""
        left, right = max(0, diff.source.start - name.start), max(0, name.end - diff.source.end)
        source = Span(diff.source.start - left, diff.source.end + right)
        reprint = Span(diff.reprint.start - left, diff.reprint.end + right)
        a, b = self._source.content, self._reprint.content
        before = diffs[i - 1] if i else None
        after = diffs[i + 1] if i + 1 < len(diffs) else None
        shared = (
            reprint.start >= 0
            and a[source.start : diff.source.start] == b[reprint.start : diff.reprint.start]
            and a[diff.source.end : source.end] == b[diff.reprint.end : reprint.end]
        )
        apart = (before is None or (before.source.end <= source.start and before.reprint.end <= reprint.start)) and (
            after is None or (source.end <= after.source.start and reprint.end <= after.reprint.start)
        )
        return replace(diff, source=source, reprint=reprint) if shared and apart else diff

    def _persons_near(self, content: str, span: Span) -> list[Span]:
        """Persons' names around a span, by evidence: a title just before (总理李强) or 同志 just after.

        The tagger alone calls 高水平 and 明显改善 names (its dictionary tags them nr), so a word
        starting with a surname is a name only where the text itself says a person is meant."""
        start, end = max(0, span.start - _TERM_WINDOW), min(len(content), span.end + _TERM_WINDOW)
        titles = self._titles.finditer(content, max(0, start - _TERM_WINDOW), end) if self._titles else ()
        after = [m.end() for m in titles if content.startswith(self._surnames, m.end())]
        named = (_name_after_title(self._words(content, p, p + _NAME_CHARS[1] + 2)) for p in after)
        words = self._words(content, start, end)
        return [name for name in named if name] + [
            Span(w.start, w.end) for w in words if self._marked_person(w, content)
        ]

    def _marked_person(self, word: Token, content: str) -> bool:
        """A word tagged a name, of a name's length and starting with a surname, before 同志."""
        low, high = _NAME_CHARS
        return (
            word.tag in _PERSON_TAGS
            and low <= len(word.text) <= high
            and word.text.startswith(self._surnames)
            and content.startswith(self._person_marks, word.end)
        )

    def _leader_named(self, diff: Difference) -> bool:
        """A leader's name over the difference, where it names the person: not inside a formulation
        (习近平新时代中国特色社会主义思想, 邓小平理论), which is no person's name."""
        if self._names is None:
            return False
        for text, span in ((self._source, diff.source), (self._reprint, diff.reprint)):
            found_terms = _matches_near(self._formulations, text.content, span) if self._formulations else ()
            terms = [Span(m.start(), m.end()) for m in found_terms]
            for m in _matches_near(self._names, text.content, span):
                found = Span(m.start(), m.end())
                if _overlaps(found, span) and not any(_within(found, term) for term in terms):
                    return True
        return False

    def _texts(self, diff: Difference) -> tuple[str, str]:
        a = self._source.content[diff.source.start : diff.source.end]
        return a, self._reprint.content[diff.reprint.start : diff.reprint.end]

    def _touches(
        self, pattern: re.Pattern[str] | None, diff: Difference, partly: bool = False, alone: bool = False
    ) -> bool:
        """Whether the pattern occurs over the difference in either text.

        partly: and not wholly inside it, unless (alone) it is all the difference holds but a mark."""
        if pattern is None:
            return False
        return any(
            _overlaps(found, span) and not (partly and (_mentioned(found, span) if alone else _within(found, span)))
            for text, span in ((self._source, diff.source), (self._reprint, diff.reprint))
            for found in (Span(m.start(), m.end()) for m in _matches_near(pattern, text.content, span))
        )

    def _words_over(self, text: TextMap, span: Span) -> list[Token]:
        """The words of a text that overlap a span."""
        start, end = max(0, span.start - _TERM_WINDOW), min(len(text.content), span.end + _TERM_WINDOW)
        words = self._words(text.content, start, end)
        return [w for w in words if _overlaps(Span(w.start, w.end), span)]

    def _words(self, content: str, start: int, end: int) -> list[Token]:
        """The words of content[start:end], offsets in content (content is the source's or the reprint's)."""
        key = (id(content), start, end)
        if key not in self._cut:
            self._cut[key] = self._segmenter.words(content[start:end], start)
        return self._cut[key]


def _parted(text: TextMap, a: Span, b: Span) -> bool:
    """Whether a paragraph starts between two spans (a headline's name and the body's words)."""
    low, high = min(a.end, b.end), max(a.start, b.start)
    i = bisect_right(text.paragraph_starts, low)
    return i < len(text.paragraph_starts) and text.paragraph_starts[i] <= high


def _name_after_title(words: list[Token]) -> Span | None:
    """The name the words start with, after a title: up to the verb, mark or particle after it.

    The tagger splits a name it does not know (许立新 → 许 立新, 郭强永 → 郭强 永), so the name is
    the words after the title, at most a name's length, until one that cannot be part of a name."""
    first = words[0]
    if first.tag in _FUNCTION_WORDS:
        return None  # 书记和省长: 和 is a conjunction, not a surname
    end = first.end
    for word in words[1:]:
        # A surname alone is no name: the word after it is its given name, whatever its tag (孙 建春).
        alone = end - first.start == 1
        if (word.tag in _NOT_IN_A_NAME and not alone) or word.end - first.start > _NAME_CHARS[1] - 1:
            break
        end = word.end
    return Span(first.start, end)


def _speech_mark(content: str, i: int) -> bool:
    """Whether content[i] opens a quotation after a colon or closes one after a sentence's end."""
    before = content[i - 1] if i > 0 else ""
    if content[i] in _OPENING:
        return before in "：:"
    return content[i] in _CLOSING and before in SENTENCE_ENDS


def _matches_near(
    pattern: re.Pattern[str], content: str, span: Span, core: re.Pattern[str] | None = None
) -> Iterable[re.Match[str]]:
    """Matches overlapping the span: looked for as far around it as the pattern's longest term.

    A pattern that may open with anything (given names before a foreign name) is tried at every
    character, a plain list of words only where one of its first characters stands: looking for
    the core first costs a 15th of a search that finds nothing (the 1,342 findings of the 1M
    benchmark pair: 37 → 2.5 ms)."""
    reach = max(_TERM_WINDOW, _longest(pattern))
    start, end = max(0, span.start - reach), min(len(content), span.end + reach)
    if core is not None and core.search(content, start, end) is None:
        return ()
    return pattern.finditer(content, start, end)


@cache  # per pattern, not per difference: a word list's pattern has thousands of alternatives
def _longest(pattern: re.Pattern[str]) -> int:
    """The longest alternative of a word-list pattern (an upper bound on a match's length)."""
    return max(len(alternative) for alternative in pattern.pattern.split("|"))


def _within(word: Span, span: Span) -> bool:
    return span.start <= word.start and word.end <= span.end


def _mentioned(word: Span, span: Span) -> bool:
    """A word wholly inside a longer span, which holds more than the word and a mark."""
    return _within(word, span) and len(word) < len(span) - 1


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
    # Not preceded by 其 (其他, 其他们), checked after the pronoun: a pattern whose every alternative
    # opens with a character is tried only where one of them stands, not at every character.
    pronouns = "|".join(f"{re.escape(p)}(?<!其{re.escape(p)})" for p in rules.words("speech_pronouns"))
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


def _marks_opening_a_line(alignment: Alignment, edit: Edit) -> bool:
    """Whether the edit is marks alone that begin a line of the reprint as read."""
    reprint, start = alignment.reprint, edit.reprint.start
    if start == 0 or not is_punctuation(reprint.content[start : edit.reprint.end]):
        return False
    return "\n" in reprint.text[reprint.offsets[start - 1] + 1 : reprint.offsets[start]]


def _body(alignment: Alignment) -> tuple[Span, Span]:
    """The stretch of each text from the first to the last text they share.

    Marks that open a line of the reprint after the last shared text are no shared text: an
    excerpt cut just before a full stop, the next excerpt opening with that stop, shares only the 。
    with the rest of the first one's sentence, which is an excerpt's cut (found by hypothesis: 0017,
    0011 and 0024 at 0.6586, kept as an example)."""
    equal = [e for e in alignment.edits if e.op == "equal"]
    while len(equal) > 1 and _marks_opening_a_line(alignment, equal[-1]):
        equal.pop()
    if not equal:
        return Span(0, 0), Span(0, 0)
    return (
        Span(equal[0].source.start, equal[-1].source.end),
        Span(equal[0].reprint.start, equal[-1].reprint.end),
    )
