"""`yuanwen library`: thin shells over yuanwen.library (which loads only when a command runs)."""

from __future__ import annotations

import os
import sys
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING

import click

from yuanwen.cli.common import guarded

if TYPE_CHECKING:
    from yuanwen.library import Entry, Imported, Library

# Display columns of each field of `list` and `search` (a Chinese character takes two).
_COLUMNS = (("编号", 10), ("日期", 10), ("发布者", 12), ("标题", 44), ("字数", 7))


@click.group("library")
@click.option(
    "--library",
    "library_file",
    type=click.Path(path_type=Path),
    help="资料库文件（默认：环境变量 YUANWEN_LIBRARY，或用户数据目录下的 library.sqlite3）。",
)
@click.pass_context
def library_group(context: click.Context, library_file: Path | None) -> None:
    """权威原文资料库：添加、导入、列出、查看、搜索、删除。"""
    context.obj = library_file


@library_group.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--title", help="标题（默认：原文第一行）。")
@click.option("--date", "day", help="发布日期，YYYY-MM-DD。")
@click.option("--publisher", help="发布者，如 新华社。")
@click.pass_obj
def add(library_file: Path | None, file: Path, title: str | None, day: str | None, publisher: str | None) -> None:
    """把一篇权威原文加入资料库；同一原文已在库中时只报告其编号。"""
    from yuanwen.extract import read_document
    from yuanwen.library import Metadata, first_line

    def run() -> str:
        document = read_document(file)
        metadata = Metadata(title or first_line(document.text), publisher, day, str(file.resolve()))
        with _opened(library_file, create=True) as library:
            added = library.add(document, metadata)
        return f"已加入资料库：{added.id}" if added.new else f"资料库中已有同一原文：{added.id}（未重复加入）"

    click.echo(guarded(run))


@library_group.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="同时处理原文的进程数（默认：全部 CPU 核心）。")
@click.pass_obj
def import_files(library_file: Path | None, paths: tuple[Path, ...], jobs: int | None) -> None:
    """导入文件或文件夹中的全部文件；无法读取的文件逐个报告并跳过。"""
    from yuanwen.errors import YuanwenError
    from yuanwen.extract import files_in, read_each
    from yuanwen.library import LibraryError

    tally = _Tally()

    def run() -> str:
        files = files_in(paths)
        with _opened(library_file, create=True) as library:
            library.check_integrity()
            try:
                with click.progressbar(length=len(files), label="导入", file=sys.stderr) as bar:
                    for result in library.import_files(files, read_each, jobs):
                        bar.update(1)
                        tally.count(result)
                total = library.count()
            except (YuanwenError, KeyboardInterrupt, MemoryError) as error:
                # Whatever ended it (a full disk, Ctrl-C), the user learns what is safe in the library.
                cause = "已中断" if isinstance(error, KeyboardInterrupt) else str(error) or "内存不足"
                raise LibraryError(f"{cause}；{tally.committed()}，其余未导入") from error
        counts = f"新增 {tally.new} 篇，库中已有 {tally.old} 篇，跳过 {len(tally.skipped)} 个文件"
        return f"{tally.committed()}：{counts}；资料库共 {total} 篇。"

    try:
        summary = guarded(run)
    finally:  # the files skipped are named however the import ended
        for reason in tally.skipped:
            click.echo(f"yuanwen：跳过：{reason}", err=True)
    click.echo(summary)


class _Tally:
    """What an import has done so far; every result it counts is already committed."""

    def __init__(self) -> None:
        self.new = self.old = 0
        self.skipped: list[str] = []

    def count(self, result: Imported) -> None:
        from yuanwen.library import BATCH

        if result.added is None:
            self.skipped.append(result.error or str(result.path))
        elif result.added.new:
            self.new += 1
        else:
            self.old += 1
        done = self.new + self.old + len(self.skipped)
        if done % BATCH == 0 and not sys.stderr.isatty():  # results come a batch at a time, after its commit
            click.echo(f"yuanwen：已处理 {done} 个文件，{self.committed()}", err=True)

    def committed(self) -> str:
        return f"已导入 {self.new + self.old} 篇，已提交"


@library_group.command("list")
@click.pass_obj
def list_texts(library_file: Path | None) -> None:
    """列出资料库中的全部原文：编号、日期、发布者、标题、字数。"""

    def run() -> None:
        with _opened(library_file, read_only=True) as library:
            click.echo(_row(tuple(name for name, _ in _COLUMNS)))
            for entry in library.entries():
                click.echo(_entry_row(entry))

    guarded(run)


@library_group.command()
@click.argument("text_id")
@click.pass_obj
def show(library_file: Path | None, text_id: str) -> None:
    """显示一篇原文的信息和全文。"""

    def run() -> tuple[Entry, str]:
        with _opened(library_file, read_only=True) as library:
            return library.entry(text_id), library.text(text_id)

    entry, text = guarded(run)
    meta = entry.metadata
    for label, value in (
        ("编号", entry.id),
        ("标题", meta.title),
        ("发布者", meta.publisher),
        ("日期", meta.date),
        ("来源文件", meta.origin),
        ("格式", entry.format),
        ("字数", str(entry.chars)),
        ("加入时间", entry.added),
    ):
        click.echo(f"{label}：{value or '—'}")
    click.echo("")
    click.echo(text, nl=not text.endswith("\n"))


@library_group.command()
@click.argument("keyword")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1), help="最多列出多少篇。")
@click.pass_obj
def search(library_file: Path | None, keyword: str, limit: int) -> None:
    """全文搜索：列出含有关键词的原文（关键词可为任意长度，忽略原文中的换行和空格）。"""

    def run() -> None:
        # Opened for writing when the user may: the texts added since the last search are indexed
        # (and an older library upgraded) first; a library the user may not write is scanned.
        with _opened(library_file, read_only=not _may_write(library_file)) as library:
            result = library.search(keyword, limit)
        if not result.total:
            click.echo(f"资料库中没有含“{keyword}”的原文。")
            return
        shown = f"，列出前 {len(result.hits)} 篇" if len(result.hits) < result.total else ""
        # A common word in a large library is counted in part: the rest estimated (yuanwen.keywords).
        click.echo(f"{'共' if result.exact else '约'} {result.total} 篇含“{keyword}”{shown}：")
        for hit in result.hits:
            click.echo(_entry_row(hit.entry))
            click.echo(f"    {hit.snippet}")

    guarded(run)


@library_group.command()
@click.argument("text_id")
@click.pass_obj
def remove(library_file: Path | None, text_id: str) -> None:
    """从资料库中删除一篇原文。"""

    def run() -> Entry:
        with _opened(library_file) as library:
            return library.remove(text_id)

    entry = guarded(run)
    click.echo(f"已从资料库删除：{entry.id} {entry.metadata.title or ''}".rstrip())


@contextmanager
def _opened(library_file: Path | None, create: bool = False, read_only: bool = False) -> Iterator[Library]:
    """The library given, or the default one; only add and import create it, list, show and search only read."""
    from yuanwen.library import Library, library_path

    library = Library(library_path(library_file), create=create, read_only=read_only)
    try:
        yield library
    finally:
        library.close()


def _may_write(library_file: Path | None) -> bool:
    from yuanwen.library import library_path

    path = library_path(library_file)
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _entry_row(entry: Entry) -> str:
    meta = entry.metadata
    return _row((entry.id, meta.date or "—", meta.publisher or "—", meta.title or "—", str(entry.chars)))


def _row(values: tuple[str, ...]) -> str:
    """One line of the table, each value cut or padded to its column's display width."""
    cells = [_fit(value, width) for value, (_, width) in zip(values, _COLUMNS, strict=True)]
    return "  ".join(cells).rstrip()


def _fit(value: str, width: int) -> str:
    """The value in exactly `width` display columns: shortened with … when longer, padded when shorter."""
    flat = " ".join(value.split())
    ends = list(accumulate(map(_width, flat)))  # the width up to each character: one pass, however long
    if ends and ends[-1] > width:
        flat = flat[: bisect_right(ends, width - 1)] + "…"
    return flat + " " * (width - sum(map(_width, flat)))


def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1
