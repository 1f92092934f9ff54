"""A web archive's records read under caps: warcio reads a header line or block whole, however long.

warcio has no limits of its own: a record header line of 1 GiB in a 4.7 MB `.warc.gz` took 3 GB.
Its buffered reader is wrapped so that every line it reads (record headers, HTTP headers, the blank
lines between records) is capped, and so are the header lines read one after another with no body
between them; the count of records is capped too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

from yuanwen.errors import InputError

if TYPE_CHECKING:
    from warcio.recordloader import ArcWarcRecord

# Real header lines are under a few KB (a long URL with its query, a cookie); a header block of
# dozens of lines, some KB. Past these the archive is broken or built to exhaust memory.
MAX_LINE = 64 * 1024
MAX_HEADERS = 1024 * 1024
# Records of one archive: a crawl of a whole site holds some hundred thousand; each is a row.
MAX_RECORDS = 1_000_000
_CAPS = f"一行超过 {MAX_LINE // 1024} KB，或一个记录头超过 {MAX_HEADERS // 1024**2} MB"


class _BoundedLines:
    """warcio's reader, each line read capped, and the lines read in a row (a header block) capped."""

    def __init__(self, reader: Any, origin: str) -> None:
        self._reader, self._origin = reader, origin
        self._in_a_row = 0

    def readline(self, length: int | None = None) -> bytes:
        cap = MAX_LINE + 1 if length is None else min(length, MAX_LINE + 1)
        line: bytes = self._reader.readline(cap)
        self._in_a_row += len(line)
        if len(line) > MAX_LINE or self._in_a_row > MAX_HEADERS:
            raise InputError(f"网页存档的记录头过长（{_CAPS}），其后的记录无法读取：{self._origin}")
        return line

    def read(self, length: int | None = None) -> bytes:
        self._in_a_row = 0
        data: bytes = self._reader.read(length)
        return data

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)


def records(stream: IO[bytes], origin: str) -> Iterator[ArcWarcRecord]:
    """The records of a web archive (plain or gzipped), refused past the caps with one line saying which."""
    from warcio.archiveiterator import ArchiveIterator

    archive = ArchiveIterator(stream)
    archive.reader = _BoundedLines(archive.reader, origin)
    for count, record in enumerate(archive, start=1):
        if count > MAX_RECORDS:
            raise InputError(f"网页存档的记录过多（上限 {MAX_RECORDS:,} 条），其后的记录未读：{origin}")
        yield record
