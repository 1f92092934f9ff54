"""A study booklet described as data (BOOKLET.toml), validated whole, and each item's text cut to what is kept.

The file names the masthead (刊头), an optional 编者按 for the issue, the style (fonts by role, the
mark of a cut inside a paragraph) and the items in order: each a library text (`id`, or a `title`
found among the library's titles) or a source `file`, its first `head` paragraphs printed as its
title block, and `keep`, what is kept of the rest (paragraph ranges, or the first and last words of
each kept stretch). Every error names the file and the line, as the `--rules` files' do. Pure: the
face (yuanwen.compile) reads the files and the library.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from yuanwen.errors import YuanwenError
from yuanwen.model import Span, TextMap
from yuanwen.normalize import normalize
from yuanwen.texts import shorten, unwrapped

# A booklet file is a page of settings; past this it is not one (and is not read whole into memory).
MAX_BOOKLET_BYTES = 1024 * 1024
# The house style's mark of a cut inside a paragraph, unless the booklet's [style] says otherwise.
CUT_MARK = "……"
# The fonts by role when the booklet names none: the Noto CJK fonts Debian ships (fonts-noto-cjk);
# Word and LibreOffice fall back to them when a named font is not installed.
FALLBACK_FONTS = {"title": "Noto Serif CJK SC", "heading": "Noto Sans CJK SC", "body": "Noto Serif CJK SC"}
_TABLES = frozenset({"masthead", "note", "style", "items"})
_MASTHEAD_KEYS = ("name", "issuer", "number", "date")
_STYLE_KEYS = frozenset({"cut_mark", "running_head", "title_font", "heading_font", "body_font"})
_SOURCE_KEYS = ("id", "title", "file")
_ITEM_KEYS = frozenset({*_SOURCE_KEYS, "head", "keep", "note", "date"})
_RANGE = re.compile(r"\s*(\d+)\s*(?:(-)\s*(\d*)\s*)?")


class BookletError(YuanwenError):
    """A booklet file that cannot be used, with its file and the place in it."""


@dataclass(frozen=True)
class Masthead:
    """The 刊头: the publication's name, the body that issues it, the issue number and the date."""

    name: str
    issuer: str
    number: str
    date: str


@dataclass(frozen=True)
class Style:
    """Fonts by role (title, heading, body), the mark of a cut inside a paragraph, the running head."""

    title_font: str
    heading_font: str
    body_font: str
    cut_mark: str
    running_head: str | None


@dataclass(frozen=True)
class Words:
    """A kept stretch given by its first and last words (layout ignored), searched after the stretch before."""

    first: str
    last: str


@dataclass(frozen=True)
class Paragraphs:
    """Kept paragraphs first..last, counted from 1 over the whole text (title lines too); None: to the end."""

    first: int
    last: int | None


@dataclass(frozen=True)
class ItemSpec:
    """One item as the booklet names it: where its text comes from, and what of it is kept."""

    text_id: str | None
    title: str | None
    file: Path | None
    head: int
    keep: tuple[Words | Paragraphs, ...]
    note: str | None
    date: str | None
    # Where the item, and its `keep`, are written: `编印文件 F：第 N 行，第 k 篇`, for the messages.
    where: str
    keep_where: str


@dataclass(frozen=True)
class Booklet:
    """A whole booklet file, validated."""

    path: Path
    masthead: Masthead
    note: str | None
    style: Style
    items: tuple[ItemSpec, ...]


@dataclass(frozen=True)
class Excerpt:
    """What an item prints of its source: the title block, the kept paragraphs (cut marks in place) and
    a line for each stretch left out."""

    head: tuple[str, ...]
    body: tuple[str, ...]
    cuts: tuple[Cut, ...]


@dataclass(frozen=True)
class Cut:
    """A stretch of the source left out: its first and last paragraphs (from 1), its words shortened, its size."""

    first: int
    last: int
    text: str
    chars: int

    @property
    def paragraphs(self) -> str:
        return f"第 {self.first} 段" if self.first == self.last else f"第 {self.first}–{self.last} 段"


def load_booklet(path: Path, data: bytes) -> Booklet:
    """A booklet file's bytes parsed and validated whole; the first problem raises with its line."""
    if len(data) > MAX_BOOKLET_BYTES:
        raise BookletError(f"编印文件 {path} 过大（上限 {MAX_BOOKLET_BYTES // 1024} KB）")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BookletError(f"编印文件 {path} 不是 UTF-8 文本") from error
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        place = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        at = f"第 {place[1]} 行第 {place[2]} 列，" if place else ""
        raise BookletError(f"编印文件 {path}：{at}TOML 格式有误（{str(error).split(' (at ')[0]}）") from error
    except RecursionError as error:  # tomllib reads nested arrays and tables recursively
        raise BookletError(f"编印文件 {path} 嵌套过深") from error
    return _booklet(parsed, path, _Lines(path, text))


class _Lines:
    """Places in one booklet file, as `编印文件 F：第 N 行` for the messages."""

    def __init__(self, path: Path, text: str) -> None:
        self._path = path
        self._text = text
        self._items = [m.start() for m in re.finditer(r"^[ \t]*\[\[[ \t]*items[ \t]*\]\]", text, re.MULTILINE)]

    def key(self, table: str, key: str | None = None) -> str:
        """Where a key of a plain table ([masthead], [style]) or the table itself is written."""
        start = self._find(rf"^[ \t]*\[[ \t]*{table}[ \t]*\]", 0)
        if key is not None:
            start = self._find(rf"^[ \t]*{re.escape(key)}[ \t]*=", start or 0) or start
        return self._at(start, table if key is None else f"{table}.{key}")

    def item(self, index: int, key: str | None = None) -> str:
        """Where the index-th [[items]] table, or one of its keys, is written."""
        start = self._items[index] if index < len(self._items) else None
        if start is not None and key is not None:
            end = next((s for s in self._items if s > start), len(self._text))
            start = self._find(rf"^[ \t]*{re.escape(key)}[ \t]*=", start, end) or start
        return self._at(start, f"第 {index + 1} 篇" + (f"的 {key}" if key else ""))

    def file(self) -> str:
        return f"编印文件 {self._path}"

    def _find(self, pattern: str, start: int, end: int | None = None) -> int | None:
        match = re.compile(pattern, re.MULTILINE).search(self._text, start, len(self._text) if end is None else end)
        return None if match is None else match.start()

    def _at(self, offset: int | None, label: str) -> str:
        line = "" if offset is None else f"第 {self._text.count(chr(10), 0, offset) + 1} 行，"
        return f"{self.file()}：{line}{label}"


def _booklet(data: Mapping[str, Any], path: Path, lines: _Lines) -> Booklet:
    unknown = set(data) - _TABLES
    if unknown:
        raise BookletError(
            f"{lines.file()} 有未知的键：{', '.join(sorted(unknown))}（只能有 {'、'.join(sorted(_TABLES))}）"
        )
    items = data.get("items")
    if not isinstance(items, list) or not items or not all(isinstance(item, dict) for item in items):
        raise BookletError(f"{lines.file()}：须有至少一篇 [[items]]")
    return Booklet(
        path=path,
        masthead=_masthead(data.get("masthead"), lines),
        note=_optional_text(data.get("note"), lambda: f"{lines.file()}：note"),
        style=_style(data.get("style", {}), lines),
        items=tuple(_item(item, index, path.parent, lines) for index, item in enumerate(items)),
    )


def _masthead(table: Any, lines: _Lines) -> Masthead:
    if not isinstance(table, dict):
        raise BookletError(f"{lines.file()}：须有刊头 [masthead]（{'、'.join(_MASTHEAD_KEYS)}）")
    unknown = set(table) - set(_MASTHEAD_KEYS)
    if unknown:
        raise BookletError(f"{lines.key('masthead')} 有未知的键：{', '.join(sorted(unknown))}")
    for key in _MASTHEAD_KEYS:
        if not isinstance(table.get(key), str) or not table[key].strip():
            raise BookletError(f"{lines.key('masthead', key if key in table else None)}：{key} 应是非空字符串")
    return Masthead(*(" ".join(table[key].split()) for key in _MASTHEAD_KEYS))


def _style(table: Any, lines: _Lines) -> Style:
    if not isinstance(table, dict):
        raise BookletError(f"{lines.file()}：style 应是一个表（[style]）")
    unknown = set(table) - _STYLE_KEYS
    if unknown:
        raise BookletError(f"{lines.key('style')} 有未知的键：{', '.join(sorted(unknown))}")
    for key, value in table.items():
        if not isinstance(value, str) or (key != "cut_mark" and not value.strip()):
            raise BookletError(f"{lines.key('style', key)}：{key} 应是非空字符串")
    return Style(
        title_font=table.get("title_font", FALLBACK_FONTS["title"]),
        heading_font=table.get("heading_font", FALLBACK_FONTS["heading"]),
        body_font=table.get("body_font", FALLBACK_FONTS["body"]),
        cut_mark=table.get("cut_mark", CUT_MARK),
        running_head=table.get("running_head"),
    )


def _item(table: dict[str, Any], index: int, folder: Path, lines: _Lines) -> ItemSpec:
    unknown = set(table) - _ITEM_KEYS
    if unknown:
        raise BookletError(f"{lines.item(index)} 有未知的键：{', '.join(sorted(unknown))}")
    given = [key for key in _SOURCE_KEYS if key in table]
    if len(given) != 1:
        raise BookletError(f"{lines.item(index)}：id、title、file 须给出且只给出一个")
    key = given[0]
    if not isinstance(table[key], str) or not table[key].strip():
        raise BookletError(f"{lines.item(index, key)}：{key} 应是非空字符串")
    head = table.get("head", 1)
    if not isinstance(head, int) or isinstance(head, bool) or head < 0:
        raise BookletError(f"{lines.item(index, 'head')}：head 应是不小于 0 的整数（标题占几段）")
    return ItemSpec(
        text_id=table.get("id"),
        title=table.get("title"),
        file=folder / table["file"] if "file" in table else None,
        head=head,
        keep=_keep(table.get("keep", []), lambda: lines.item(index, "keep")),
        note=_optional_text(table.get("note"), lambda: lines.item(index, "note")),
        date=_date(table.get("date"), lambda: lines.item(index, "date")),
        where=lines.item(index),
        keep_where=lines.item(index, "keep" if "keep" in table else None),
    )


def _keep(value: Any, at: Callable[[], str]) -> tuple[Words | Paragraphs, ...]:
    """`keep`: a list of paragraph ranges ("3", "3-7", "12-") or of { from = "…", to = "…" } tables."""
    usage = '应是段落范围（如 "3-7"、"12-"）或 { from = "开头几个字", to = "末尾几个字" } 的列表'
    if not isinstance(value, list):
        raise BookletError(f"{at()}：keep {usage}")
    kept: list[Words | Paragraphs] = []
    for entry in value:
        if isinstance(entry, str) and (match := _RANGE.fullmatch(entry)):
            first = int(match[1])
            last = None if match[2] and not match[3] else int(match[3] or first)
            if first < 1 or (last is not None and last < first):
                raise BookletError(f"{at()}：段落范围 {entry} 有误（段落从 1 数起，后一段不能在前一段之前）")
            kept.append(Paragraphs(first, last))
        elif isinstance(entry, dict) and set(entry) == {"from", "to"} and all(_words(v) for v in entry.values()):
            kept.append(Words(entry["from"], entry["to"]))
        else:
            raise BookletError(f"{at()}：keep {usage}，而不是 {shorten(str(entry), 30)}")
    return tuple(kept)


def _words(value: Any) -> bool:
    return isinstance(value, str) and bool(normalize(value).content)


def _optional_text(value: Any, at: Callable[[], str]) -> str | None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise BookletError(f"{at()} 应是非空字符串")
    return None if value is None else value.strip()


def _date(value: Any, at: Callable[[], str]) -> str | None:
    if value is not None and (not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)):
        raise BookletError(f"{at()} 应写作 YYYY-MM-DD")
    return value


def excerpt(text: str, item: ItemSpec, cut_mark: str) -> Excerpt:
    """What an item prints of its source text: its title block and the stretches kept, each paragraph
    kept in part marked with the cut mark where it was cut."""
    source = normalize(text)
    starts = _paragraph_starts(source)
    if item.head >= len(starts) - 1:
        raise BookletError(f"{item.where}：原文只有 {len(starts) - 1} 段，不能都算作标题（head = {item.head}）")
    body_start = starts[item.head]
    head = tuple(_printed(source, Span(starts[i], starts[i + 1])) for i in range(item.head))
    kept = _kept_spans(source, starts, body_start, item)
    body = _paragraphs(source, starts, kept, cut_mark)
    return Excerpt(head=head, body=body, cuts=_cuts(source, starts, body_start, kept))


def paragraphs(text: str) -> tuple[str, ...]:
    """A text's paragraphs as an item prints them, numbered as `keep` counts them (the first is 1)."""
    source = normalize(text)
    starts = _paragraph_starts(source)
    return tuple(_printed(source, Span(start, end)) for start, end in pairwise(starts))


def _paragraph_starts(source: TextMap) -> list[int]:
    """Content offsets of each paragraph's start, and the end of the content last."""
    starts = [0, *(p for p in source.paragraph_starts if 0 < p < len(source.content))]
    return [*starts, len(source.content)]


def _kept_spans(source: TextMap, starts: list[int], body_start: int, item: ItemSpec) -> list[Span]:
    """The stretches of content kept, in order and apart; all of the text after its title when none is given."""
    if not item.keep:
        return [Span(body_start, len(source.content))]
    spans: list[Span] = []
    after = body_start
    for keep in item.keep:
        if isinstance(keep, Paragraphs):
            span = _paragraph_span(starts, body_start, keep, item)
        else:
            span = _words_span(source, after, keep, item)
        if span.start < after:
            raise BookletError(f"{item.keep_where}：保留的段落须按顺序给出且互不重叠")
        spans.append(span)
        after = span.end
    return spans


def _paragraph_span(starts: list[int], body_start: int, keep: Paragraphs, item: ItemSpec) -> Span:
    count = len(starts) - 1
    last = count if keep.last is None else keep.last
    if max(keep.first, last) > count:
        raise BookletError(f"{item.keep_where}：原文只有 {count} 段，没有第 {max(keep.first, last)} 段")
    if starts[last] <= body_start:
        raise BookletError(f"{item.keep_where}：第 {keep.first}–{last} 段是标题（head = {item.head}），标题总是印出")
    return Span(max(starts[keep.first - 1], body_start), starts[last])


def _words_span(source: TextMap, after: int, keep: Words, item: ItemSpec) -> Span:
    first, last = normalize(keep.first).content, normalize(keep.last).content
    start = source.content.find(first, after)
    if start < 0:
        raise BookletError(f"{item.keep_where}：原文中（前一段保留文字之后）找不到“{shorten(keep.first, 20)}”")
    end = source.content.find(last, start)
    if end < 0:
        raise BookletError(f"{item.keep_where}：原文中“{shorten(keep.first, 20)}”之后找不到“{shorten(keep.last, 20)}”")
    return Span(start, end + len(last))


def _paragraphs(source: TextMap, starts: list[int], kept: list[Span], mark: str) -> tuple[str, ...]:
    """Each source paragraph touched by a kept stretch, as printed: its kept pieces joined by the cut
    mark, the mark also where the paragraph was cut before its first or after its last piece."""
    printed: list[str] = []
    for number in range(len(starts) - 1):
        whole = Span(starts[number], starts[number + 1])
        pieces = [Span(max(s.start, whole.start), min(s.end, whole.end)) for s in kept]
        pieces = [p for p in pieces if p.start < p.end]
        if not pieces:
            continue
        text = mark.join(_printed(source, piece) for piece in pieces)
        before = mark if pieces[0].start > whole.start else ""
        after = mark if pieces[-1].end < whole.end and not text.endswith(mark) else ""
        printed.append(before + text + after)
    return tuple(printed)


def _printed(source: TextMap, span: Span) -> str:
    """A stretch of content as printed: the text as read without its layout (hard wraps, a PDF's spaces)."""
    read = source.to_read(span)
    return unwrapped(source.text[read.start : read.end])


def _cuts(source: TextMap, starts: list[int], body_start: int, kept: list[Span]) -> tuple[Cut, ...]:
    """A line for each stretch of the text after its title left out: its paragraphs, first and last words, size."""
    left: list[Span] = []
    position = body_start
    for span in [*kept, Span(len(source.content), len(source.content))]:
        if span.start > position:
            left.append(Span(position, span.start))
        position = max(position, span.end)
    return tuple(_described(source, starts, span) for span in left)


def _described(source: TextMap, starts: list[int], span: Span) -> Cut:
    text = _printed(source, span)
    return Cut(
        first=_paragraph_of(starts, span.start),
        last=_paragraph_of(starts, span.end - 1),
        text=shorten(text, 24, head=10, tail=10, count=False),
        chars=span.end - span.start,
    )


def _paragraph_of(starts: list[int], offset: int) -> int:
    """The number (from 1) of the paragraph holding a content offset."""
    return bisect_right(starts, offset)
