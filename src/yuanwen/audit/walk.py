"""The entries under an audit's paths, each a file to read or one to skip with the reason.

A folder's symbolic links are not followed (a link may lead out of the archive, to `/dev/zero` or
round in a circle), and FIFOs, devices and sockets are not opened (a FIFO with no writer would
hang the audit); each is a `skipped` row saying why, as is a folder that cannot be listed.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from yuanwen.errors import InputError

LINK = "符号链接，未跟随"
NOT_A_FILE = "不是普通文件（管道、设备或套接字），未读取"


@dataclass(frozen=True)
class Input:
    """A file found under the paths: whether it is a web archive, or why it is skipped."""

    path: Path
    warc: bool = False
    skipped: str | None = None


def entries(paths: Sequence[Path]) -> Iterator[tuple[Path, str | None]]:
    """Each entry under the paths (hidden ones left out), in order, with why it is skipped (None: read it)."""
    for path in paths:
        if path.is_dir():
            yield from sorted(_folder(path))
        elif path.exists():  # named by the user: a link is followed
            yield path, _reason(path.stat().st_mode)
        else:
            raise InputError(f"找不到文件或文件夹：{path}")


def _folder(folder: Path) -> Iterator[tuple[Path, str | None]]:
    unreadable: list[OSError] = []
    for root, folders, names in os.walk(folder, onerror=unreadable.append):
        here = Path(root)
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in [name for name in folders if (here / name).is_symlink()]:
            folders.remove(name)  # os.walk lists a link to a folder among the folders, and does not enter it
            yield here / name, LINK
        for name in names:
            if not name.startswith("."):
                yield here / name, _entry_reason(here / name)
    for error in unreadable:
        yield Path(error.filename), f"无法读取文件夹（{error.strerror}）"


def _entry_reason(path: Path) -> str | None:
    try:
        mode = path.lstat().st_mode
    except OSError as error:
        return f"无法读取（{error.strerror}）"
    return LINK if stat.S_ISLNK(mode) else _reason(mode)


def _reason(mode: int) -> str | None:
    return None if stat.S_ISREG(mode) else NOT_A_FILE
