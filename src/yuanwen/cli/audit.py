"""`yuanwen audit`: every document of an archive checked against its sources in the library, on every core."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from yuanwen.cli.common import EXIT_FOUND, fail, fail_on_option, guarded, library_option, rules_option
from yuanwen.model import CheckOptions, Severity

if TYPE_CHECKING:
    from yuanwen.audit import Progress

# Without a terminal, a line of progress at most this often, so a log stays readable.
PLAIN_EVERY_SECONDS = 10.0


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@library_option
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="同时核对的进程数（默认：全部 CPU 核心）。")
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    default=Path("yuanwen-audit"),
    show_default=True,
    help="输出文件夹：总表、差异明细、每份文件的报告和续做用的状态文件。",
)
@fail_on_option
@rules_option
@click.option("--serve-report", is_flag=True, help="核对完成后在浏览器中打开总表（含共同差错与传抄关系）。")
def audit(
    paths: tuple[Path, ...],
    library_file: Path | None,
    jobs: int | None,
    out: Path,
    fail_on: Severity,
    rule_files: tuple[Path, ...],
    serve_report: bool,
) -> None:
    """审核整个文件夹或网页存档（WARC）：每份文件到资料库中找原文并核对；中断后重跑会接着做。"""
    import sqlite3  # here, as the audit's own imports: `yuanwen check` starts without SQLite

    from yuanwen.audit import Plan, audit, inputs
    from yuanwen.library import library_path
    from yuanwen.rules import load_rules

    guarded(lambda: load_rules(rule_files))
    library = library_path(library_file)
    files = guarded(lambda: inputs(paths, out))
    plan = Plan(library=library, out=out, jobs=jobs or os.cpu_count() or 1, options=CheckOptions(rule_files))
    try:
        with _Progress() as progress:
            totals = guarded(lambda: audit(files, plan, fail_on, progress.show))
    except (OSError, sqlite3.Error) as error:
        fail(f"无法写入输出文件夹 {out}：{getattr(error, 'strerror', None) or error}")
    statuses = totals.statuses
    click.echo(
        f"共 {totals.documents} 份：已核对 {statuses.get('ok', 0)}，找不到原文 {statuses.get('no-source', 0)}，"
        f"无法核对 {statuses.get('failed', 0)}；有{_severity_name(fail_on)}或更重差异的 {totals.failing} 份；"
        f"共同差错 {totals.shared} 处，传抄关系 {totals.families} 组。总表：{out / 'index.html'}",
        err=True,
    )
    if serve_report:
        import webbrowser

        # The index is one offline file: the browser opens it from disk, no server needed.
        webbrowser.open((out / "index.html").resolve().as_uri())
    sys.exit(EXIT_FOUND if totals.failing else 0)


def _severity_name(severity: Severity) -> str:
    from yuanwen.render.text import SEVERITY_NAMES

    return SEVERITY_NAMES[severity]


class _Progress:
    """A progress bar on a terminal (tqdm: done, per second, time left); a plain line now and then otherwise."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._started = self._said = time.monotonic()
        self._last: tuple[int, int, int | None] = (0, 0, None)

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.close()
        elif self._last[0]:
            self._say(*self._last)

    def show(self, state: Progress) -> None:
        """Called after each document."""
        if sys.stderr.isatty():
            self._terminal(state.done, state.skipped, state.total)
            return
        self._last = (state.done, state.skipped, state.total)
        if time.monotonic() - self._said >= PLAIN_EVERY_SECONDS:
            self._say(*self._last)

    def _terminal(self, done: int, skipped: int, total: int | None) -> None:
        from tqdm import tqdm

        if self._bar is None:
            self._bar = tqdm(total=total, unit="份", file=sys.stderr, dynamic_ncols=True, desc="核对")
        self._bar.update(done - self._bar.n)
        if skipped:
            self._bar.set_postfix_str(f"上次已核对 {skipped} 份", refresh=False)

    def _say(self, done: int, skipped: int, total: int | None) -> None:
        seconds = max(time.monotonic() - self._started, 1e-9)
        of = f"/{total}" if total is not None else ""
        rate = (done - skipped) / seconds
        click.echo(f"已完成 {done}{of} 份（其中上次已核对 {skipped} 份），每秒 {rate:.1f} 份", err=True)
        self._said = time.monotonic()
