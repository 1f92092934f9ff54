"""Numbers as a proof-reader reads them: whole tokens such as 6.07亿吨, 2,392万吨, 5%, 第二, 三大, 二十大, 十四五, 五年.

A change inside a number changes the number: the diff widens it to the whole token on both sides
and grading calls it a number change. Only the token's extent is needed, never its value, so a
small grammar does the job (cn2an reads values and cannot find tokens in running text). A
numeral changed inside a word (两手 → 三手, 三级 → 二级) or printed as its look-alike (千万 → 干万)
changes a number too, and a zero printed as another circle (一八四○) is a zero all the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from yuanwen.model import Span

_DIGITS = "0-9０-９"
_NUMERALS = "〇零一二三四五六七八九十百千万亿两"
# What reprints print for the 〇 of a year (一八四○, 二０二三): GB/T 15835 writes 〇 (U+3007); ○ is a
# geometric shape, ０, Ｏ and O are a digit and letters. Inside a run of numerals they are its zero.
_ZEROS = "〇○◯０0ＯO零"
_RUN_ZEROS = "○◯"
# Numerals misprinted as a character of like shape (形近): 千万 → 干万, 十 → 干, 二 → 三. 一 is left
# out: it is in too many words (统一, 一定) for a look-alike of it to say a number was meant.
_LOOKALIKES = {
    "二": "三", "三": "二", "十": "干千士土", "千": "干于", "七": "匕", "八": "人入", "九": "丸",
    "万": "方", "亿": "忆", "百": "白", "两": "雨", "五": "王",
}  # fmt: skip
# Words a numeral counts in, besides the units below (两手, 三级, 两岸, 三农, 一国两制): a numeral
# changed before one of them changes a quantity; before any other word 一 is an article (一些, 一定).
_COUNTED = "手级岸农会制带路步点线轮期层面化风权区方网通保严实新学做"
_MAGNITUDES = ("万亿", "亿", "万", "千", "百")
# Units and measure words that belong to the number before them (the longest is tried first).
# 年, 月 and 日 are left out: a date's number is the finding (11日 → 12日 reads 11 → 12).
_UNITS = (
    "个百分点", "百分点", "平方公里", "平方千米", "平方米", "立方米", "千瓦时", "千瓦", "万千瓦", "公顷",
    "公里", "千米", "公斤", "千克", "美元", "欧元", "亿元", "万元", "元", "吨", "斤", "亩", "米", "克",
    "人次", "人(?!民)", "户", "家", "个", "项", "条", "座", "台", "辆", "套", "所", "岁", "倍", "成", "件",
    "名", "位", "批", "次", "届", "种", "类", "大", "中全会", "周年", "年代", "小时", "分钟", "天", "周",
)  # fmt: skip
# Numeral runs that are words, not numbers (万一 in 以防万一, 千万 in 千万不能).
_IDIOMS = frozenset({"万一", "一一", "千万", "万万", "千千万万", "一五一十", "三三两两", "七七八八"})


def _alternation(words: tuple[str, ...]) -> str:
    """Alternatives, longest first; the words may hold a lookahead (人 but not 人民)."""
    return "|".join(sorted(words, key=lambda word: len(word.split("(")[0]), reverse=True))


_UNIT = f"(?:{_alternation(_UNITS)})"
_UNIT_AT = re.compile(_UNIT)
# The numerals that count; a zero changed is a zero's glyph (zero_misprinted) or a digit's value.
_COUNTING = _NUMERALS.replace("〇", "").replace("零", "")
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
# 第二批, 三分之一, 二十大, 十四五, 三千万吨, 一九五○年; a lone 一 is an article (一个, 一些), never
# a number by itself.
_ORDINAL = f"第[{_NUMERALS}]+{_UNIT}?"
_FRACTION = f"[{_NUMERALS}]+分之[{_NUMERALS}]+"
_RUN = f"(?P<run>[{_NUMERALS}](?:[{_NUMERALS}{_RUN_ZEROS}])+){_ABOUT}?{_UNIT}?{_BOUND}?"
_SINGLE = f"[二三四五六七八九十两]{_ABOUT}?{_UNIT}{_BOUND}?"
# A duration is a number of years (五年, 三年以上, 30多年), a date's year has four digits (2023年,
# 一九五四年): 年 belongs to a count, never to a year, whose digits are the finding.
_COUNT = (
    f"(?<![{_DIGITS}.．,{_NUMERALS}])[{_DIGITS}]{{1,3}}(?![{_DIGITS}])"
    f"|(?<![{_NUMERALS}])(?:[一二三四五六七八九两]?[十百千][一二三四五六七八九十百千零〇]*|[二三四五六七八九两])"
)
_DURATION = f"(?:{_COUNT}){_ABOUT}?个?年(?!代){_BOUND}?"
_TOKEN = re.compile(f"{_DURATION}|{_ARABIC}|{_ORDINAL}|{_FRACTION}|{_RUN}|{_SINGLE}")
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
    while at > 0 and (text[at - 1] in _NUMERALS + _RUN_ZEROS or text[at - 1] in "第.．," or text[at - 1].isdigit()):
        at -= 1
    return at


def numeral_changed(source: str, source_span: Span, reprint: str, reprint_span: Span) -> bool:
    """Whether a numeral is changed or misprinted, character for character, in spans of equal length
    (两手 → 三手, 千万 → 干万, 完善了三级 → 健全了二级).

    What follows a changed 一 says whether it counts (一手 → 两手) or is an article (一些 → 二些)."""
    changed = _one_for_one(source, source_span, reprint, reprint_span)
    return any(_numeral_misprinted(source[i], reprint[j], source[i + 1 : i + 5]) for i, j in changed)


def zero_misprinted(source: str, source_span: Span, reprint: str, reprint_span: Span) -> bool:
    """Whether the spans differ only in the glyph of a zero among Chinese numerals (一八四〇 → 一八四○)."""
    changed = _one_for_one(source, source_span, reprint, reprint_span)
    return bool(changed) and all(
        source[i] in _ZEROS and reprint[j] in _ZEROS and (_by_a_numeral(source, i) or _by_a_numeral(reprint, j))
        for i, j in changed
    )


def _one_for_one(source: str, source_span: Span, reprint: str, reprint_span: Span) -> list[tuple[int, int]]:
    """The places where spans of equal length differ, character for character; none when their lengths differ."""
    if len(source_span) != len(reprint_span):
        return []
    places = zip(range(source_span.start, source_span.end), range(reprint_span.start, reprint_span.end), strict=True)
    return [(i, j) for i, j in places if source[i] != reprint[j]]


def _numeral_misprinted(numeral: str, printed: str, after: str) -> bool:
    """A numeral printed as another numeral where it counts, or as its look-alike anywhere."""
    if printed in _LOOKALIKES.get(numeral, ""):
        return True
    if numeral not in _COUNTING or printed not in _COUNTING:
        return False
    counts = bool(after) and (after[0] in _COUNTED or _UNIT_AT.match(after) is not None)
    return "一" not in numeral + printed or counts


def _by_a_numeral(text: str, i: int) -> bool:
    """Whether a Chinese numeral other than a zero stands next to position i."""
    return any(0 <= j < len(text) and text[j] in _COUNTING for j in (i - 1, i + 1))
