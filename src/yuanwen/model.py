"""The data types passed between yuanwen's stages, and nothing else."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

Kind = Literal["substitution", "omission", "insertion", "punctuation", "move"]
Severity = Literal["critical", "major", "minor", "info"]
Op = Literal["equal", "delete", "insert"]

SEVERITIES: tuple[Severity, ...] = ("critical", "major", "minor", "info")
KINDS: tuple[Kind, ...] = ("substitution", "omission", "insertion", "punctuation", "move")


@dataclass(frozen=True)
class Anchor:
    """Where a page or paragraph of the original document starts in the text as read."""

    start: int
    unit: Literal["page", "paragraph"]
    number: int


@dataclass(frozen=True)
class Document:
    """A file's text as read (what `yuanwen extract` prints), with page or paragraph anchors."""

    path: str | None
    format: str
    text: str
    anchors: tuple[Anchor, ...] = ()
    # The .docx the text was read from (for a .doc, .wps or .odt: LibreOffice's .docx of it), so
    # the Word outputs edit the user's own file without reading or converting it again.
    data: bytes | None = field(default=None, repr=False, compare=False)
    # Read by OCR from page images: what was read so, and what it was unsure of.
    ocr: OcrEvidence | None = None
    # What a reader must know of how the text was read (a page OCR could hardly read), one line each;
    # every report shows them.
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class OcrEvidence:
    """What OCR read of a document: the stretches of the text as read that came from page images,
    the characters read with low confidence, and each OCR line's place on its page image."""

    read: tuple[Span, ...]
    uncertain: tuple[Span, ...]
    lines: tuple[OcrLine, ...] = field(default=(), repr=False)
    # Where OCR may have dropped characters (offsets, sorted): each line's two ends, the gaps
    # between its boxes and the room it left inside one.
    gaps: tuple[int, ...] = ()
    # The stretches read from pages OCR could hardly read: nothing there is certain.
    poor: tuple[Span, ...] = ()
    # Each OCR page as a small grayscale JPEG (index = page number - 1; b"" for a page with a text
    # layer), so a report can show the page around a doubtful finding without reading the file.
    images: tuple[bytes, ...] = field(default=(), repr=False)


@dataclass(frozen=True)
class OcrLine:
    """One OCR line: its stretch of the text as read, its page, and its box on that page's image."""

    span: Span
    page: int
    box: tuple[int, int, int, int]


@dataclass(frozen=True)
class Span:
    """A half-open range [start, end)."""

    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class TextMap:
    """The content characters of a text, each mapped back to its offset in the text as read."""

    text: str
    content: str
    offsets: Sequence[int]
    paragraph_starts: Sequence[int]
    # Where an empty span before the first content character lies in the text as read: 0 for a
    # whole text, the stretch's own place for a stretch of one (see within).
    origin: int = 0

    def to_read(self, span: Span) -> Span:
        """Map a span of content characters to the span of the text as read that holds them."""
        if span.start == span.end:
            point = self.offsets[span.start - 1] + 1 if span.start > 0 else self.origin
            return Span(point, point)
        return Span(self.offsets[span.start], self.offsets[span.end - 1] + 1)

    def within(self, span: Span) -> TextMap:
        """A stretch of the content as a TextMap of its own, still mapping into the whole text as read."""
        return TextMap(
            text=self.text,
            content=self.content[span.start : span.end],
            offsets=self.offsets[span.start : span.end],
            paragraph_starts=tuple(p - span.start for p in self.paragraph_starts if span.start < p < span.end),
            origin=self.to_read(Span(span.start, span.start)).start,
        )


@dataclass(frozen=True)
class Edit:
    """One step of an alignment: a run of content kept, deleted from the source or inserted."""

    op: Op
    source: Span
    reprint: Span


@dataclass(frozen=True)
class Alignment:
    """Source and reprint content aligned character by character, as a list of edits."""

    source: TextMap
    reprint: TextMap
    edits: tuple[Edit, ...]

    @property
    def matched_chars(self) -> int:
        return sum(len(e.source) for e in self.edits if e.op == "equal")


@dataclass(frozen=True)
class SourceText:
    """A text a reprint is checked against: its id, what is known of it, and its content."""

    id: str
    title: str | None
    path: str | None
    text: TextMap


@dataclass(frozen=True)
class Pairing:
    """A stretch of the reprint's content and the source it reprints, aligned; no source: found in none.

    A stretch found in no source is aligned to nothing (one insertion), so the rules grade it too."""

    span: Span
    source: SourceText | None
    alignment: Alignment


@dataclass(frozen=True)
class Move:
    """The other two places of a passage moved: where it stands in the source's order, in both texts.

    A move's own spans are the passage in the source and in the reprint; `home` is the empty span
    of the reprint where the source has it (where it goes back), `landing` the empty span of the
    source facing where the reprint put it."""

    home: Span
    landing: Span
    # Whether the passage was taken out of a longer cut, as an excerpt pastes its pieces.
    cut_around: bool = False


@dataclass(frozen=True)
class Difference:
    """One change a proof-reader would mark, in content offsets of both texts.

    A change made of several a few characters apart in one clause keeps them as its parts: it is
    graded as the worst of them. A passage moved (kind "move") has its other places in `move`."""

    kind: Kind
    source: Span
    reprint: Span
    parts: tuple[Difference, ...] = ()
    move: Move | None = None


@dataclass(frozen=True)
class Finding:
    """A graded difference, with spans into the texts as read; the one type every output reads."""

    kind: Kind
    severity: Severity
    rule: str
    message: str
    source_id: str | None
    source_text: str
    reprint_text: str
    source_span: Span
    reprint_span: Span
    line: int
    location: str | None = None
    # A passage moved: its other places, in the texts as read.
    move: Move | None = None


@dataclass(frozen=True)
class SourceInfo:
    """A source text a report was checked against, with its text as read and its TextMap (for side-by-side views)."""

    id: str
    title: str | None
    path: str | None
    matched_chars: int
    map: TextMap = field(repr=False, compare=False)
    # The stretches of the reprint (as read) drawn from this source; none means all of it.
    parts: tuple[Span, ...] = ()

    @property
    def text(self) -> str:
        return self.map.text

    @property
    def chars(self) -> int:
        return len(self.map.text)


@dataclass(frozen=True)
class TextDate:
    """The days a text speaks of (one day, a month or a year; None when not found) and how they were found."""

    first: date | None
    last: date | None
    how: str


@dataclass(frozen=True)
class Report:
    """Everything a check found, ready for any renderer."""

    reprint: Document
    sources: tuple[SourceInfo, ...]
    findings: tuple[Finding, ...]
    reprint_map: TextMap = field(repr=False, compare=False)
    # The date the source-free checks read the reprint at; None when they did not run.
    text_date: TextDate | None = None
    # True when the sources were searched for in a library (none found: the library lacks them).
    searched: bool = False

    @property
    def summary(self) -> dict[Severity, int]:
        counts: dict[Severity, int] = dict.fromkeys(SEVERITIES, 0)
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts

    def fails(self, fail_on: Severity) -> bool:
        """True when a finding is at or above the given severity."""
        limit = SEVERITIES.index(fail_on)
        return any(SEVERITIES.index(f.severity) <= limit for f in self.findings)


@dataclass(frozen=True)
class TextEdit:
    """A change to make in the reprint: its span (as read) replaced by a text, with a note saying why."""

    span: Span
    text: str
    note: str
    # The number of the moved passage this edit takes out or puts back: the two are one move.
    move: int | None = None


@dataclass(frozen=True)
class CheckOptions:
    """All options of a check, in one place."""

    rule_files: tuple[Path, ...] = field(default_factory=tuple)
    # The reprint's date for the source-free checks, when the user gives it (else found in the text).
    day: date | None = None
