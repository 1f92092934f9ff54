"""`yuanwen lint`: a text checked without its source, against the dated roster and the standard wording."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

import click

from yuanwen.cli.common import EXIT_FOUND, fail, guarded, progress, rules_option, write
from yuanwen.model import SEVERITIES, Severity
from yuanwen.render import RENDERERS, renderer


def parse_date(value: str | None) -> date | None:
    """A --date value, YYYY-MM-DD; a bad one is a usage error."""
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        fail(f"--date 应写作 YYYY-MM-DD（如 2023-05-12），而不是 {value}")


date_option = click.option("--date", "day", metavar="YYYY-MM-DD", help="文本的日期；不给出时从电头、日期行或刊头中找。")


@click.command()
@click.argument("path", type=click.Path(path_type=Path))
@date_option
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
    help="有此级别或更高级别的问题时退出码为 1。",
)
@rules_option
@click.option("--output", "-o", type=click.Path(path_type=Path), help="把报告写入文件，而不是标准输出。")
def lint(
    path: Path,
    day: str | None,
    output_format: str,
    fail_on: Severity,
    rule_files: tuple[Path, ...],
    output: Path | None,
) -> None:
    """不对照原文检查 PATH：领导人姓名、职务与排序（按文本日期）、规范提法、数字和标点用法。"""
    from yuanwen.extract import read_document
    from yuanwen.lint import lint as run_lint
    from yuanwen.model import Report
    from yuanwen.rules import load_rules

    given = parse_date(day)
    progress(f"读取 {path}……")
    document = guarded(lambda: read_document(path))
    rules = guarded(lambda: load_rules(rule_files))
    result = run_lint(document, rules, given)
    report = Report(reprint=document, sources=(), findings=result.findings, text_date=result.date)
    write(renderer(output_format)(report), output)
    sys.exit(EXIT_FOUND if report.fails(fail_on) else 0)
