"""What every command shares: exit codes, options, progress lines, writing outputs and turning errors into one line."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import NoReturn, TypeVar

import click

from yuanwen.errors import YuanwenError
from yuanwen.files import write_atomic
from yuanwen.model import SEVERITIES
from yuanwen.render import FORMATS
from yuanwen.workers import overran

EXIT_FOUND = 1
EXIT_BAD_INPUT = 2
# `check` without --source found no source of the reprint in the library.
EXIT_NO_SOURCE = 3
T = TypeVar("T")
_REASONS = {
    errno.ENOSPC: "磁盘已满",
    errno.EDQUOT: "磁盘配额已满",
    errno.EFBIG: "文件超过系统允许的大小",
    errno.EPIPE: "接收输出的程序已退出",
    errno.EACCES: "权限不足",
    errno.EPERM: "权限不足",
    errno.EROFS: "只读文件系统",
}

source_option = click.option(
    "--source", "-s", "source", type=click.Path(path_type=Path), help="权威原文文件；不给出时到资料库中找。"
)
library_option = click.option(
    "--library",
    "library_file",
    type=click.Path(path_type=Path),
    help="不给出 --source 时查找原文的资料库（默认：环境变量 YUANWEN_LIBRARY，或用户数据目录下的资料库）。",
)
rules_option = click.option(
    "--rules",
    "rule_files",
    type=click.Path(path_type=Path),
    multiple=True,
    help="追加或覆盖规则的 TOML 文件，可多次给出。",
)


def format_option(command: Callable[..., None]) -> Callable[..., None]:
    """--format, and --comments-only for a Word report without tracked changes."""
    command = click.option(
        "--comments-only",
        is_flag=True,
        help="Word 报告只加批注，不把改正标为修订（--format docx）。",
    )(command)
    return click.option(
        "--format",
        "-f",
        "output_format",
        type=click.Choice(FORMATS),
        default="text",
        show_default=True,
        help="报告格式；docx 把每处改正标为修订（可逐处接受或拒绝），并加批注和 A4 封面。",
    )(command)


def report_format(output_format: str, comments_only: bool) -> str:
    """The renderer's name for a --format and --comments-only."""
    if comments_only and output_format != "docx":
        raise click.UsageError("--comments-only 只用于 --format docx")
    return "docx-comments" if comments_only else output_format


fail_on_option = click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES),
    default="critical",
    show_default=True,
    help="有此级别或更高级别的问题时退出码为 1。",
)
output_option = click.option("--output", "-o", type=click.Path(path_type=Path), help="把报告写入文件，而不是标准输出。")
date_option = click.option(
    "--date", "day", metavar="YYYY-MM-DD", help="文本的日期，用于核对职务；不给出时从电头、日期行或刊头中找。"
)


def time_limit_option(default: float | None) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """--time-limit SECONDS: how long one document may take, reading and checking."""
    return click.option(
        "--time-limit",
        type=click.FloatRange(min=0, min_open=True),
        default=default,
        show_default=default is not None,
        help="每份文件的核对时限（秒）；超时即中止" + ("并记为无法核对。" if default else "，退出码 2。"),
    )


@contextlib.contextmanager
def time_limited(seconds: float | None) -> Iterator[None]:
    """Within this, past `seconds` the process ends with one line and exit 2, wherever the work is.

    A timer thread ends the process: the work may sit in a C library (PDFium, the OCR engine) that
    looks at no flag. Outputs are written after this, and atomically, so none is left half written."""
    if seconds is None:
        yield
        return
    timer = threading.Timer(seconds, _out_of_time, args=(seconds,))
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def _out_of_time(seconds: float) -> None:
    click.echo(f"yuanwen：错误：{overran(seconds)}", err=True)
    sys.stderr.flush()
    os._exit(EXIT_BAD_INPUT)


def parse_date(value: str | None) -> date | None:
    """A --date value, YYYY-MM-DD; a bad one is a usage error."""
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        fail(f"--date 应写作 YYYY-MM-DD（如 2023-05-12），而不是 {value}")


def progress(message: str) -> None:
    """Say what a long command is doing, on a terminal only: scripts read stderr for errors."""
    if sys.stderr.isatty():
        click.echo(click.style(message, dim=True), err=True)


def write(content: str | bytes, output: Path | None) -> None:
    """An output to its file, or text to standard output."""
    if output is None and isinstance(content, bytes):
        fail("这种格式是二进制文件，请用 -o 指定输出文件")
    if output is None:
        click.echo(content, nl=False)
        return
    try:
        write_atomic(output, content if isinstance(content, bytes) else content.encode("utf-8"))
    except OSError as error:
        fail(f"无法写入 {output}（{os_reason(error)}），原有文件未改动")


def os_reason(error: OSError) -> str:
    """Why a write failed, in Chinese for the causes a user can act on."""
    return _REASONS.get(error.errno or 0, error.strerror or str(error))


def guarded(action: Callable[[], T]) -> T:
    """Run a library call, turning its errors into one line on stderr and exit code 2."""
    try:
        return action()
    except YuanwenError as error:
        fail(str(error))
    except MemoryError:
        fail("内存不足：文件太大")


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    """The message on one line of stderr (a name from a file may hold line breaks), then exit."""
    click.echo(f"yuanwen：错误：{' '.join(message.split())}", err=True)
    sys.exit(code)
