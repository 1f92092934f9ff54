"""What a source-free check finds, before its rule grades it."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field

from yuanwen.model import Span


@dataclass(frozen=True)
class Hit:
    """A stretch of content a check flags, the wording it suggests (None: no single one) and message fields."""

    span: Span
    suggestion: str | None
    fields: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Layout:
    """Where a text's content is divided: paragraph starts (0 first), and breaks (sorted), the positions
    a space of the text as read stands before (an unpunctuated headline's words: 国家主席 赵乐际)."""

    paragraphs: tuple[int, ...]
    breaks: tuple[int, ...]

    def broken(self, at: int) -> bool:
        """Whether a space stands before `at`."""
        i = bisect_left(self.breaks, at)
        return i < len(self.breaks) and self.breaks[i] == at

    def between(self, start: int, end: int) -> tuple[int, ...]:
        """The breaks after `start` and at or before `end`."""
        return self.breaks[bisect_right(self.breaks, start) : bisect_right(self.breaks, end)]

    def starts_paragraph(self, start: int, end: int) -> bool:
        """Whether a paragraph starts after `start` and at or before `end`."""
        i = bisect_right(self.paragraphs, start)
        return i < len(self.paragraphs) and self.paragraphs[i] <= end

    def separates(self, content: str, at: int) -> bool:
        """Whether a list's item may end (or start) at `at`: a 、, a space, a paragraph's edge."""
        return (
            at <= 0
            or at >= len(content)
            or self.broken(at)
            or "、" in content[max(0, at - 1) : at + 1]
            or self.starts_paragraph(at - 1, at)
        )
