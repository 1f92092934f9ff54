"""`yuanwen audit`: every document of an archive checked against its sources in the library, on every core."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from yuanwen.cli.common import (
    EXIT_FOUND,
    fail,
    fail_on_option,
    guarded,
    library_option,
    rules_option,
    time_limit_option,
)
from yuanwen.model import CheckOptions, Severity
from yuanwen.workers import DEFAULT_TIME_LIMIT

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
@time_limit_option(DEFAULT_TIME_LIMIT)
@click.option("--retry-failed", is_flag=True, help="重新核对上次无法核对（含超时）的文件。")
@click.option("--serve-report", is_flag=True, help="核对完成后在浏览器中打开总表（含共同差错与传抄关系）。")
def audit(
    paths: tuple[Path, ...],
    library_file: Path | None,
    jobs: int | None,
    out: Path,
    fail_on: Severity,
    rule_files: tuple[Path, ...],
    time_limit: float,
    retry_failed: bool,
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
    plan = Plan(library, out, jobs or os.cpu_count() or 1, CheckOptions(rule_files), time_limit, retry_failed)
    try:
        with _Progress() as progress:
            totals = guarded(lambda: audit(files, plan, fail_on, progress.show))
    except (OSError, sqlite3.Error) as error:
        fail(f"无法写入输出文件夹 {out}：{getattr(error, 'strerror', None) or error}")
    statuses = totals.statuses
    click.echo(
        f"共 {totals.documents} 份：已核对 {statuses.get('ok', 0)}，找不到原文 {statuses.get('no-source', 0)}，"
        f"无法核对 {statuses.get('failed', 0)}，跳过 {statuses.get('skipped', 0)}；"
        f"有{_severity_name(fail_on)}或更重差异的 {totals.failing} 份；"
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
        self._last: Progress | None = None

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.close()
        elif self._last is not None and self._last.done:
            self._say(self._last)

    def show(self, state: Progress) -> None:
        """Called after each document, and now and then while one takes long."""
        if sys.stderr.isatty():
            self._terminal(state)
            return
        self._last = state
        if time.monotonic() - self._said >= PLAIN_EVERY_SECONDS:
            self._say(state)

    def _terminal(self, state: Progress) -> None:
        from tqdm import tqdm

        if self._bar is None:
            self._bar = tqdm(total=state.total, unit="份", file=sys.stderr, dynamic_ncols=True, desc="核对")
        self._bar.update(state.done - self._bar.n)
        notes = [f"上次已核对 {state.skipped} 份"] if state.skipped else []
        notes += [_slow(state)] if state.slow else []
        self._bar.set_postfix_str("；".join(notes), refresh=True)

    def _say(self, state: Progress) -> None:
        seconds = max(time.monotonic() - self._started, 1e-9)
        of = f"/{state.total}" if state.total is not None else ""
        rate = (state.done - state.skipped) / seconds
        line = f"已完成 {state.done}{of} 份（其中上次已核对 {state.skipped} 份），每秒 {rate:.1f} 份"
        click.echo(line + (f"；{_slow(state)}" if state.slow else ""), err=True)
        self._said = time.monotonic()


def _slow(state: Progress) -> str:
    """The document a worker has been on longest, named: it may be the one that holds the audit up."""
    assert state.slow is not None
    return f"正在核对 {state.slow.name}（已 {state.slow.seconds:.0f} 秒）"
