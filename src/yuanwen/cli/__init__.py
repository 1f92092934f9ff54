"""The command line, one module per group of commands; each parses options, calls yuanwen and renders.

Errors become one line of Chinese on stderr and exit code 2 (yuanwen.cli.common), in this package alone.
"""

from __future__ import annotations

import click

from yuanwen import __version__
from yuanwen.cli.audit import audit
from yuanwen.cli.check import check, extract, fix
from yuanwen.cli.common import fail
from yuanwen.cli.library import library_group
from yuanwen.cli.lint import lint
from yuanwen.cli.serve import serve


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="yuanwen")
def cli() -> None:
    """yuanwen（原文）：核对转载稿是否忠实于权威原文，并指出每一处差异。"""


for command in (check, fix, extract, library_group, serve, lint, audit):
    cli.add_command(command)


def main() -> None:
    """The console script: click's own usage errors, too, become one line and exit 2."""
    run(cli, "yuanwen --help")


def run(command: click.Command, help_command: str) -> None:
    """Run a command of yuanwen's: usage errors and Ctrl-C, too, become one line and exit 2."""
    try:
        command.main(standalone_mode=False)
    except click.exceptions.Abort:
        fail("已中断")
    except click.ClickException as error:
        fail(f"用法有误：{error.format_message()}（{help_command} 查看用法）")
    except KeyboardInterrupt:
        fail("已中断")
