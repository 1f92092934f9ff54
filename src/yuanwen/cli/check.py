"""`yuanwen check`, `fix` and `extract`: a reprint read, checked against its sources, rendered."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from yuanwen.cli.common import (
    EXIT_FOUND,
    EXIT_NO_SOURCE,
    date_option,
    fail,
    fail_on_option,
    format_option,
    guarded,
    library_option,
    output_option,
    parse_date,
    progress,
    report_format,
    rules_option,
    source_option,
    time_limit_option,
    time_limited,
    write,
)
from yuanwen.model import KINDS, CheckOptions, Kind, Report, Severity
from yuanwen.render import renderer


@click.command()
@click.argument("reprint", nargs=-1, required=True, type=click.Path(path_type=Path))
@source_option
@library_option
@format_option
@fail_on_option
@rules_option
@date_option
@output_option
@time_limit_option(None)
def check(
    reprint: tuple[Path, ...],
    source: Path | None,
    library_file: Path | None,
    output_format: str,
    comments_only: bool,
    fail_on: Severity,
    rule_files: tuple[Path, ...],
    day: str | None,
    output: Path | None,
    time_limit: float | None,
) -> None:
    """核对转载稿 REPRINT（或按顺序给出的各页图片）与原文；退出码 0 无问题，1 有达到 --fail-on 级别的差异，
    2 输入有误，3 资料库中找不到原文。

    找不到原文时，报告只有不对照原文的检查（日期、职务、规范写法），其中有达到 --fail-on 级别的问题时退出码为 1。"""
    with time_limited(time_limit):
        report = _report(reprint, source, library_file, rule_files, parse_date(day))
    progress("生成报告……")
    write(guarded(lambda: renderer(report_format(output_format, comments_only))(report)), output)
    if not report.sources:
        click.echo("yuanwen：资料库中找不到这份转载稿的原文", err=True)
    sys.exit(EXIT_FOUND if report.fails(fail_on) else EXIT_NO_SOURCE if not report.sources else 0)


@click.command()
@click.argument("path", nargs=-1, required=True, type=click.Path(path_type=Path))
@time_limit_option(None)
def extract(path: tuple[Path, ...], time_limit: float | None) -> None:
    """打印 yuanwen 从文件（或按顺序给出的各页图片）中读出的文字（报告中的位置即指向这段文字）。"""
    from yuanwen.extract import read_pages

    with time_limited(time_limit):
        document = guarded(lambda: read_pages(path))
    click.echo(document.text, nl=not document.text.endswith("\n"))


@click.command()
@click.argument("reprint", type=click.Path(path_type=Path))
@source_option
@library_option
@click.option(
    "--only", type=click.Choice(KINDS), multiple=True, help="只恢复这些种类的差异（默认：全部，节选和刊头除外）。"
)
@rules_option
@click.option("--output", "-o", type=click.Path(path_type=Path), help="改正后的文件；默认打印到标准输出。")
def fix(
    reprint: Path,
    source: Path | None,
    library_file: Path | None,
    only: tuple[Kind, ...],
    rule_files: tuple[Path, ...],
    output: Path | None,
) -> None:
    """按原文改正转载稿：恢复原文的措辞和标点，保留转载稿的刊头和节选。

    找不到原文时，只按不对照原文的检查中有唯一改法的问题改正（人名、规范提法、标点用法等）。"""
    from yuanwen.fix import RESTORED_KINDS, corrected, restorable

    report = _report((reprint,), source, library_file, rule_files)
    kinds = frozenset(only or RESTORED_KINDS)
    if not report.sources and not any(restorable(f, kinds) for f in report.findings):
        fail("资料库中找不到这份转载稿的原文，无从改正", EXIT_NO_SOURCE)
    write(guarded(lambda: corrected(report, kinds)), output)


def _report(
    reprint: tuple[Path, ...],
    source: Path | None,
    library_file: Path | None,
    rule_files: tuple[Path, ...],
    day: date | None = None,
) -> Report:
    """Read the reprint (one file, or images of its pages) and check it against its source or the library."""
    from yuanwen.check import check as run_check
    from yuanwen.extract import read_document, read_pages

    options = CheckOptions(rule_files=rule_files, day=day)
    progress(f"读取 {'、'.join(map(str, reprint))}……")
    document = guarded(lambda: read_pages(reprint))
    if source is not None:
        progress(f"读取原文 {source}……")
        original = guarded(lambda: read_document(source))
        progress("比对……")
        return guarded(lambda: run_check(document, original, options))
    from yuanwen.library import existing_library

    def in_library() -> Report:
        with existing_library(library_file) as library:
            progress(f"在资料库 {library.path} 中查找原文并比对……")
            return run_check(document, library, options)

    return guarded(in_library)
