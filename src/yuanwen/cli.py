"""The command line: parses options, calls the library, renders. Errors become one line and exit 2."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn, TypeVar

import click

from yuanwen import __version__
from yuanwen.cli_library import library_group
from yuanwen.errors import YuanwenError
from yuanwen.model import KINDS, SEVERITIES, CheckOptions, Kind, Report, Severity
from yuanwen.render import RENDERERS, renderer

EXIT_FOUND = 1
EXIT_BAD_INPUT = 2
# `check` without --source found no source of the reprint in the library.
EXIT_NO_SOURCE = 3
T = TypeVar("T")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="yuanwen")
def cli() -> None:
    """yuanwen（原文）：核对转载稿是否忠实于权威原文，并指出每一处差异。"""


_source_option = click.option(
    "--source", "-s", "source", type=click.Path(path_type=Path), help="权威原文文件；不给出时到资料库中找。"
)
_library_option = click.option(
    "--library",
    "library_file",
    type=click.Path(path_type=Path),
    help="不给出 --source 时查找原文的资料库（默认：环境变量 YUANWEN_LIBRARY，或用户数据目录下的资料库）。",
)
_rules_option = click.option(
    "--rules",
    "rule_files",
    type=click.Path(path_type=Path),
    multiple=True,
    help="追加或覆盖规则的 TOML 文件，可多次给出。",
)


@cli.command()
@click.argument("reprint", type=click.Path(path_type=Path))
@_source_option
@_library_option
@click.option(
    "--format",
    "-f",
    "output_format",
    type=click.Choice(tuple(RENDERERS)),
    default="text",
    show_default=True,
    help="报告格式。",
)
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES),
    default="critical",
    show_default=True,
    help="有此级别或更高级别的差异时退出码为 1。",
)
@_rules_option
@click.option("--output", "-o", type=click.Path(path_type=Path), help="把报告写入文件，而不是标准输出。")
def check(
    reprint: Path,
    source: Path | None,
    library_file: Path | None,
    output_format: str,
    fail_on: Severity,
    rule_files: tuple[Path, ...],
    output: Path | None,
) -> None:
    """核对转载稿 REPRINT 与原文；退出码 0 无问题，1 有达到 --fail-on 级别的差异，2 输入有误，3 资料库中找不到原文。"""
    report = _report(reprint, source, library_file, rule_files)
    _progress("生成报告……")
    _write(renderer(output_format)(report), output)
    if not report.sources:
        click.echo("yuanwen：资料库中找不到这份转载稿的原文", err=True)
        sys.exit(EXIT_NO_SOURCE)
    sys.exit(EXIT_FOUND if report.fails(fail_on) else 0)


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
def extract(path: Path) -> None:
    """打印 yuanwen 从文件中读出的文字（报告中的位置即指向这段文字）。"""
    from yuanwen.extract import read_document

    document = _guarded(lambda: read_document(path))
    click.echo(document.text, nl=not document.text.endswith("\n"))


@cli.command()
@click.argument("reprint", type=click.Path(path_type=Path))
@_source_option
@_library_option
@click.option("--only", type=click.Choice(KINDS), multiple=True, help="只恢复这些种类的差异（默认：改动和标点）。")
@_rules_option
@click.option("--output", "-o", type=click.Path(path_type=Path), help="改正后的文件；默认打印到标准输出。")
def fix(
    reprint: Path,
    source: Path | None,
    library_file: Path | None,
    only: tuple[Kind, ...],
    rule_files: tuple[Path, ...],
    output: Path | None,
) -> None:
    """按原文改正转载稿：恢复原文的措辞和标点，保留转载稿的刊头和节选。"""
    from yuanwen.fix import corrected

    report = _report(reprint, source, library_file, rule_files)
    if not report.sources:
        _fail("资料库中找不到这份转载稿的原文，无从改正", EXIT_NO_SOURCE)
    kinds = frozenset(only or ("substitution", "punctuation"))
    _write(_guarded(lambda: corrected(report, kinds)), output)


def _report(reprint: Path, source: Path | None, library_file: Path | None, rule_files: tuple[Path, ...]) -> Report:
    """Read the reprint and check it against its source, or against the sources found in the library."""
    from yuanwen.check import check as run_check
    from yuanwen.extract import read_document

    options = CheckOptions(rule_files=rule_files)
    _progress(f"读取 {reprint}……")
    document = _guarded(lambda: read_document(reprint))
    if source is not None:
        _progress(f"读取原文 {source}……")
        original = _guarded(lambda: read_document(source))
        _progress("比对……")
        return _guarded(lambda: run_check(document, original, options))
    from yuanwen.library import library_path
    from yuanwen.sources import check_in_library

    path = library_path(library_file)
    _progress(f"在资料库 {path} 中查找原文并比对……")
    return _guarded(lambda: check_in_library(document, path, options))


def _progress(message: str) -> None:
    """Say what a long check is doing, on a terminal only: scripts read stderr for errors."""
    if sys.stderr.isatty():
        click.echo(click.style(message, dim=True), err=True)


def _write(content: str | bytes, output: Path | None) -> None:
    if output is None and isinstance(content, bytes):
        _fail("这种格式是二进制文件，请用 -o 指定输出文件")
    if output is None:
        click.echo(content, nl=False)
        return
    try:
        output.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    except OSError as error:
        _fail(f"无法写入 {output}：{error.strerror}")


def _guarded(action: Callable[[], T]) -> T:
    """Run a library call, turning its errors into one line on stderr and exit code 2."""
    try:
        return action()
    except YuanwenError as error:
        _fail(str(error))
    except MemoryError:
        _fail("内存不足：文件太大")


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    click.echo(f"yuanwen：错误：{message}", err=True)
    sys.exit(code)


def main() -> None:
    """The console script: click's own usage errors, too, become one line and exit 2."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        _fail("已中断")
    except click.ClickException as error:
        _fail(f"用法有误：{error.format_message()}（yuanwen --help 查看用法）")
    except KeyboardInterrupt:
        _fail("已中断")


cli.add_command(library_group)
