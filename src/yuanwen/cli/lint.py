"""`yuanwen lint`: a text checked without its source, against the dated roster and the standard wording."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from yuanwen.cli.common import (
    EXIT_FOUND,
    date_option,
    fail_on_option,
    format_option,
    guarded,
    output_option,
    parse_date,
    progress,
    report_format,
    rules_option,
    write,
)
from yuanwen.model import CheckOptions, Severity
from yuanwen.render import renderer


@click.command()
@click.argument("path", type=click.Path(path_type=Path))
@date_option
@format_option
@fail_on_option
@rules_option
@output_option
def lint(
    path: Path,
    day: str | None,
    output_format: str,
    comments_only: bool,
    fail_on: Severity,
    rule_files: tuple[Path, ...],
    output: Path | None,
) -> None:
    """不对照原文检查 PATH：领导人姓名、职务与排序（按文本日期）、规范提法、数字和标点用法。"""
    from yuanwen.check import check_alone
    from yuanwen.extract import read_document

    options = CheckOptions(rule_files=rule_files, day=parse_date(day))
    progress(f"读取 {path}……")
    document = guarded(lambda: read_document(path))
    report = guarded(lambda: check_alone(document, options))
    write(guarded(lambda: renderer(report_format(output_format, comments_only))(report)), output)
    sys.exit(EXIT_FOUND if report.fails(fail_on) else 0)
