"""What a source-free check finds, before its rule grades it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from yuanwen.model import Span


@dataclass(frozen=True)
class Hit:
    """A stretch of content a check flags, the wording it suggests (None: no single one) and message fields."""

    span: Span
    suggestion: str | None
    fields: Mapping[str, str] = field(default_factory=dict)
