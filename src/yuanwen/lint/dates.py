"""The date a text speaks of: given, from its dateline, from a date line of its head, or from its header.

Tried in that order; the first found wins, and the TextDate says which it was.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date, timedelta

from yuanwen.model import TextDate

_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0}
_NUM = "[0-9〇一二三四五六七八九十零○]"
_YEAR = "((?:19|20)[0-9]{2}|[一二][〇一二三四五六七八九零○]{3})"
_FULL_DATE = re.compile(
    f"{_YEAR}年({_NUM}{{1,3}})月({_NUM}{{1,3}})日|((?:19|20)[0-9]{{2}})-([0-9]{{1,2}})-([0-9]{{1,2}})"
)
_YEAR_MONTH = re.compile(f"{_YEAR}年({_NUM}{{1,3}})月")
_YEAR_ONLY = re.compile(f"{_YEAR}年")
# The head of a text holds its title, subtitles, header and date lines: its first lines.
_HEAD_LINES = 12
# A line holding the date of a whole text is short: 2023 年 5 月, or ——1954年5月23日在第一届全国人民代表大会…
_DATE_LINE = 80
# A header's year-and-month line (2023 年 5 月, 第 22 期 2023年5月) is shorter still.
_SHORT_LINE = 16
# A consolidated law's 题注 lists its adoption and each amendment, one date a line or all in one
# parenthesis, in its first lines (刑法: 16 dated lines, 1979 to 2023); the text is the latest one's.
_NOTE_LINES = 40
_NOTE_ACT = re.compile("通过|修订|修正|修改|批准")
# A release carries a speech given at most this long before it (seen: 13 days, the 2013 report).
_SPEECH_TO_RELEASE = timedelta(days=60)
# The dateline is near the start: after a booklet's header, the title and subtitles.
_DATELINE_WINDOW = 1500
# The year of a dateline is written with its month near the start of the text, if anywhere.
_YEAR_WINDOW = 6000


def text_date(text: str, agencies: tuple[str, ...], given: date | None = None) -> TextDate:
    """The days a text speaks of, and how they were found (or that none was)."""
    if given is not None:
        return TextDate(given, given, f"使用给定的日期 {given.isoformat()}")
    # A year is looked for with the dateline's month this far in; the raw text may be half layout.
    head = text[: _YEAR_WINDOW * 2]
    # Each line flattened once (NFKC never joins anything to a newline, so the lines joined are the
    # head flattened whole): the readers below took it three times over (1.2 ms each at 12,000 characters).
    flat_lines = [_flat(raw) for raw in head.split("\n")]
    flat = "".join(flat_lines)
    lines = [line for line in flat_lines if line]
    amended = _from_note(lines[:_NOTE_LINES])
    lines = lines[:_HEAD_LINES]
    if amended is not None:
        return amended
    dateline, date_line = _from_dateline(flat, lines, agencies), _from_date_line(lines)
    if dateline and date_line:
        return _both(dateline, date_line)
    for found in (dateline, date_line, _from_header(lines)):
        if found is not None:
            return found
    return TextDate(None, None, "未找到日期（电头、日期行、刊头都没有）：只做与日期无关的检查")


def _both(dateline: TextDate, date_line: TextDate) -> TextDate:
    """A release dated after the speech it carries speaks of both days (温家宝's report of 2013-03-05, sent
    out on 2013-03-18, the day after he left office)."""
    assert dateline.first and date_line.first
    early = date_line.first
    if not (dateline.first - _SPEECH_TO_RELEASE <= early < dateline.first):
        return dateline
    return TextDate(early, dateline.first, f"{date_line.how}至{dateline.how}")


def _flat(text: str) -> str:
    """Whitespace dropped and full-width digits made ASCII, so 2023 年 5 月 and ２０２３年 read alike."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _from_dateline(flat: str, lines: list[str], agencies: tuple[str, ...]) -> TextDate | None:
    if not agencies:
        return None
    pattern = f"(?:{'|'.join(map(re.escape, agencies))})[^，。0-9]{{0,8}}?([0-9]{{1,2}})月([0-9]{{1,2}})日(?:电|讯)"
    match = re.search(pattern, flat[:_DATELINE_WINDOW])
    if match is None:
        return None
    month, day = int(match.group(1)), int(match.group(2))
    year = _year_near(flat, lines, month)
    line = match.group()
    if year is None or not _valid(year, month, day):
        return None
    when = date(year, month, day)
    return TextDate(when, when, f"电头“{line}”，年份取自文中的“{year}年”")


def _year_near(flat: str, lines: list[str], month: int) -> int | None:
    """The year of a dateline: a year written with its month in the text, else the first year of the head."""
    for match in _YEAR_MONTH.finditer(flat[:_YEAR_WINDOW]):
        if _number(match.group(2)) == month:
            return _year(match.group(1))
    years = (_YEAR_ONLY.search(line) for line in lines)
    return next((_year(found.group(1)) for found in years if found), None)


def _from_date_line(lines: list[str]) -> TextDate | None:
    for line in lines:
        match = _FULL_DATE.search(line)
        if match is None or len(line) > _DATE_LINE:
            continue
        when = _full_date(match)
        if when is not None:
            return TextDate(when, when, f"开头的日期行“{match.group()}”")
    return None


def _from_note(lines: list[str]) -> TextDate | None:
    """The latest date of a 题注 listing a law's adoption and amendments, when it lists two or more,
    from the head's first lines (flattened)."""
    dated = []
    for line in lines:
        if not (_NOTE_ACT.search(line) and re.match(f"[（(]?{_FULL_DATE.pattern}", line)):
            continue
        for match in _FULL_DATE.finditer(line):
            when = _full_date(match)
            if when is not None:
                dated.append((when, match.group()))
    if len(dated) < 2:
        return None
    when, written = max(dated)
    return TextDate(when, when, f"题注所列最后一次通过或修改的日期“{written}”")


def _full_date(match: re.Match[str]) -> date | None:
    """The day a _FULL_DATE match names, if it is a real one."""
    if match.group(1):
        year, month, day = _year(match.group(1)), _number(match.group(2)), _number(match.group(3))
    else:
        year, month, day = int(match.group(4)), int(match.group(5)), int(match.group(6))
    return date(year, month, day) if _valid(year, month, day) else None


def _from_header(lines: list[str]) -> TextDate | None:
    """A month (2023 年 5 月 under a booklet's masthead) or a year (1954年政府工作报告) in the head."""
    for line in lines:
        match = _YEAR_MONTH.search(line)
        if match and len(line) <= _SHORT_LINE:
            year, month = _year(match.group(1)), _number(match.group(2))
            if _valid(year, month, 1):
                last = calendar.monthrange(year, month)[1]
                return TextDate(date(year, month, 1), date(year, month, last), f"刊头的“{match.group()}”（只知年月）")
    for line in lines[:2]:
        match = _YEAR_ONLY.match(line)
        if match and _valid(_year(match.group(1)), 1, 1):
            year = _year(match.group(1))
            return TextDate(date(year, 1, 1), date(year, 12, 31), f"标题中的“{match.group()}”（只知年份）")
    return None


def _year(text: str) -> int:
    if text.isdigit() and text.isascii():
        return int(text)
    return int("".join(str(_CN_DIGITS.get(c, 0)) for c in text))


def _number(text: str) -> int:
    """A month or day in digits or Chinese numerals (5, 十二, 二十七)."""
    if text.isascii():
        return int(text)
    if "十" not in text:
        return int("".join(str(_CN_DIGITS.get(c, 0)) for c in text))
    tens, _, units = text.partition("十")
    return (_CN_DIGITS.get(tens, 0) if tens else 1) * 10 + (_CN_DIGITS.get(units, 0) if units else 0)


def _valid(year: int, month: int, day: int) -> bool:
    """A day the roster can speak of: from 1949 to 2100, and a real one."""
    if not (1949 <= year <= 2100 and 1 <= month <= 12):
        return False
    return 1 <= day <= calendar.monthrange(year, month)[1]
