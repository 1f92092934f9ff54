"""The one text shortener the outputs share, and a wording without its layout."""

from __future__ import annotations

import pytest

from yuanwen.texts import shorten, unwrapped

LONG = "要牢牢牵住疏解北京非首都功能这个“牛鼻子”坚持积极稳妥稳中求进"  # 31 characters


@pytest.mark.parametrize(
    ("limit", "options", "shown"),
    [
        (31, {}, LONG),
        (10, {}, "要牢牢牵住疏解北京非……（共 31 字）"),
        (24, {"head": 12, "tail": 4, "count": False}, "要牢牢牵住疏解北京非首都……稳中求进"),
        (20, {"head": 14, "tail": 8}, "要牢牢牵住疏解北京非首都功能……积极稳妥稳中求进（共 31 字）"),
    ],
)
def test_shorten_keeps_the_start_and_the_end_asked_for(limit: int, options: dict[str, object], shown: str) -> None:
    assert shorten(LONG, limit, **options) == shown  # type: ignore[arg-type]


def test_unwrapped_drops_layout_but_keeps_a_space_between_latin_words() -> None:
    assert unwrapped("坚持稳中\n求进 工作 总基调，GDP\n growth 5 %") == "坚持稳中求进工作总基调，GDP growth 5%"
