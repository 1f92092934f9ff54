"""Writing a user's files so that a crash, a full disk or a kill never leaves one half written;
the folder where yuanwen keeps what it can make again."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


def cache_folder() -> Path:
    """The user's cache folder for yuanwen: what it keeps there (parsed rules, a dictionary) is made again if lost."""
    import platformdirs

    return platformdirs.user_cache_path("yuanwen", appauthor=False)


# A cache file no process has used for this long is dropped. Installs of yuanwen side by side (two
# virtual environments: each its own dict.txt, dated when it was installed; two versions' rules) each
# use a file of their own, and dropping every other file at once made them rebuild each other's, a
# dictionary's ~2.7 s of CPU at a time.
STALE_SECONDS = 30 * 24 * 3600


def in_use(kept: Path) -> None:
    """Mark a cache file as used now (its time), so that drop_stale keeps it; a read-only folder: skip."""
    with contextlib.suppress(OSError):
        os.utime(kept)


def drop_stale(kept: Path, pattern: str) -> None:
    """Remove the files of the cache folder matching pattern, other than kept, that no process has
    used for STALE_SECONDS: those of an older yuanwen, rules or dictionary, which would pile up there."""
    unused_since = time.time() - STALE_SECONDS
    for old in kept.parent.glob(pattern):
        with contextlib.suppress(OSError):
            if old != kept and old.stat().st_mtime < unused_since:
                old.unlink()


def write_atomic(path: Path, data: bytes, sync: bool = True) -> None:
    """Write data to path whole or not at all: a temporary file beside it, synced, then renamed over it.

    A file that was there before stays intact until the new one is complete on disk. `sync=False`
    for many small files a later run can redo: still whole or nothing when a process is killed,
    not durable against a power cut."""
    if path.exists() and not path.is_file():
        # A device or a pipe (-o /dev/stdout, /dev/null) is written to, never replaced.
        with path.open("wb") as out:
            out.write(data)
        return
    with atomic_file(path, sync) as out:
        out.write(data)


@contextlib.contextmanager
def atomic_file(path: Path, sync: bool = True) -> Iterator[BinaryIO]:
    """A file to write path through piece by piece, whole or not at all (as write_atomic), in bounded memory."""
    folder = path.parent
    temporary = folder / f".{path.name}.{os.urandom(6).hex()}.tmp"
    # Mode 0o666 less the umask, as a file the user creates gets; an existing file's mode is kept.
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
            out.flush()
            if sync:
                os.fsync(out.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    if sync:
        _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (not every file system lets a folder be opened: then skip)."""
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
