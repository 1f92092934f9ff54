"""Numbers as a proof-reader reads them: whole tokens such as 6.07亿吨, 2,392万吨, 5%, 第二, 三大, 二十大, 十四五.

A change inside a number changes the number: the diff widens it to the whole token on both sides
and grading calls it a number change. Only the token's extent is needed, never its value, so a
small grammar does the job (cn2an reads values and cannot find tokens in running text).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from yuanwen.model import Span

_DIGITS = "0-9０-９"
_NUMERALS = "〇零一二三四五六七八九十百千万亿两"
_MAGNITUDES = ("万亿", "亿", "万", "千", "百")
# Units and measure words that belong to the number before them (the longest is tried first).
# 年, 月 and 日 are left out: a date's number is the finding (11日 → 12日 reads 11 → 12).
_UNITS = (
    "个百分点", "百分点", "平方公里", "平方千米", "平方米", "立方米", "千瓦时", "千瓦", "万千瓦", "公顷",
    "公里", "千米", "公斤", "千克", "美元", "欧元", "亿元", "万元", "元", "吨", "斤", "亩", "米", "克",
    "人次", "人(?!民)", "户", "家", "个", "项", "条", "座", "台", "辆", "套", "所", "岁", "倍", "成", "件",
    "名", "位", "批", "次", "届", "种", "类", "大", "中全会", "周年", "年代",
)  # fmt: skip
# Numeral runs that are words, not numbers (万一 in 以防万一, 千万 in 千万不能).
_IDIOMS = frozenset({"万一", "一一", "千万", "万万", "千千万万", "一五一十", "三三两两", "七七八八"})


def _alternation(words: tuple[str, ...]) -> str:
    """Alternatives, longest first; the words may hold a lookahead (人 but not 人民)."""
    return "|".join(sorted(words, key=lambda word: len(word.split("(")[0]), reverse=True))


_UNIT = f"(?:{_alternation(_UNITS)})"
# 300余人, 1200万人以上, 5%左右: how exact a quantity is belongs to it (dropping 以上 changes it).
_ABOUT = "[余多]"
_BOUND = "(?:以上|以下|左右)"
_MAGNITUDE = f"(?:{_alternation(_MAGNITUDES)})"
# 6.07亿吨, 2,392万吨, ５％, 1.5个百分点: digits, decimal point or thousands groups, then a percent
# sign or a magnitude and a unit.
_ARABIC = (
    f"[{_DIGITS}]+(?:[.．][{_DIGITS}]+|,[{_DIGITS}]{{3}}(?![{_DIGITS}]))*"
    f"(?:[%％‰]|{_ABOUT}?{_MAGNITUDE}?{_UNIT}?){_BOUND}?"
)
# 第二批, 三分之一, 二十大, 十四五, 三千万吨; a lone 一 is an article (一个, 一些), never a number by itself.
_ORDINAL = f"第[{_NUMERALS}]+{_UNIT}?"
_FRACTION = f"[{_NUMERALS}]+分之[{_NUMERALS}]+"
_RUN = f"(?P<run>[{_NUMERALS}]{{2,}}){_ABOUT}?{_UNIT}?{_BOUND}?"
_SINGLE = f"[二三四五六七八九十两]{_ABOUT}?{_UNIT}{_BOUND}?"
_TOKEN = re.compile(f"{_ARABIC}|{_ORDINAL}|{_FRACTION}|{_RUN}|{_SINGLE}")
# A token is never longer than this (1,234,567.89万亿元 has 16 characters); windows this wide
# around a span find every token touching it.
_REACH = 24


def tokens(text: str, start: int = 0, end: int | None = None) -> Iterator[Span]:
    """The number tokens of text[start:end], as spans of text."""
    for match in _TOKEN.finditer(text, start, len(text) if end is None else end):
        run = match.group("run")
        if run is not None and run in _IDIOMS and match.end() - match.start() == len(run):
            continue
        yield Span(match.start(), match.end())


def tokens_near(text: str, span: Span) -> list[Span]:
    """The number tokens that overlap a span, or hold an empty span's point strictly inside."""
    start = _token_start(text, max(0, span.start - _REACH))
    found = tokens(text, start, min(len(text), span.end + _REACH))
    if span.start == span.end:
        return [t for t in found if t.start < span.start < t.end]
    return [t for t in found if t.start < span.end and span.start < t.end]


def _token_start(text: str, at: int) -> int:
    """A place at or before at where no token is cut: the start of the run of characters there."""
    while at > 0 and (text[at - 1] in _NUMERALS or text[at - 1] in "第.．," or text[at - 1].isdigit()):
        at -= 1
    return at
