"""The command line, one module per group of commands; each parses options, calls yuanwen and renders.

Errors become one line of Chinese on stderr and exit code 2 (yuanwen.cli.common), in this package alone.
"""

from __future__ import annotations

import os
import sys

import click

from yuanwen import __version__
from yuanwen.cli.audit import audit
from yuanwen.cli.check import check, extract, fix
from yuanwen.cli.common import fail, os_reason
from yuanwen.cli.compile import compile_command
from yuanwen.cli.library import library_group
from yuanwen.cli.lint import lint
from yuanwen.cli.serve import serve


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="yuanwen")
def cli() -> None:
    """yuanwen（原文）：核对转载稿是否忠实于权威原文，并指出每一处差异。"""


for command in (check, fix, extract, compile_command, library_group, serve, lint, audit):
    cli.add_command(command)


def main() -> None:
    """The console script: click's own usage errors, too, become one line and exit 2."""
    run(cli, "yuanwen --help")


def run(command: click.Command, help_command: str) -> None:
    """Run a command of yuanwen's: usage errors and Ctrl-C, too, become one line and exit 2."""
    try:
        try:
            # Not command.main(): it turns a closed stdout pipe into a silent exit 1.
            name = help_command.removesuffix(" --help")  # the command as the user types it, for usage lines
            with command.make_context(name, sys.argv[1:]) as context:
                command.invoke(context)
        finally:
            sys.stdout.flush()  # here, not at exit, where a full device or a closed pipe is a traceback
    except OSError as error:  # every other file's errors are one line where they happen: this is stdout
        _stdout_lost()
        fail(f"无法写出到标准输出（{os_reason(error)}）")
    except click.exceptions.Exit as done:  # --help and --version end this way
        sys.exit(done.exit_code)
    except click.exceptions.Abort:
        fail("已中断")
    except click.ClickException as error:
        fail(f"用法有误：{error.format_message()}（{help_command} 查看用法）")
    except KeyboardInterrupt:
        fail("已中断")


def _stdout_lost() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush at exit finds nothing to fail on."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
