"""The library as the 文献库 page and /api/library use it; each call opens the library, does one thing and closes it.

Blocking calls: the routes run them in a thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from yuanwen.library import Added, Entry, Library, Metadata, first_line
from yuanwen.web.worker import Upload

# Texts listed on one page of the library.
PAGE_SIZE = 100
# The last page and offset asked for: far past any library (a million texts), and within what a
# slice of the listing can take (an offset of 2**63 overflowed it).
MAX_PAGE = 1_000_000
MAX_OFFSET = MAX_PAGE * PAGE_SIZE


@dataclass(frozen=True)
class Listing:
    """A page of the library's texts, or of those holding a keyword, and how many there are in all."""

    total: int
    entries: tuple[Entry, ...]
    snippets: tuple[str, ...] = ()
    exact: bool = True


def listing(path: Path, keyword: str, offset: int = 0, limit: int = PAGE_SIZE) -> Listing:
    """The texts from `offset` on, or the first ones holding the keyword."""
    with Library(path, create=False) as library:
        if keyword.strip():
            result = library.search(keyword, limit)
            hits = result.hits
            return Listing(result.total, tuple(h.entry for h in hits), tuple(h.snippet for h in hits), result.exact)
        return Listing(library.count(), tuple(islice(library.entries(), offset, offset + limit)))


def add(path: Path, upload: Upload, title: str, day: str, publisher: str) -> Added:
    """Read an uploaded file and store it with what the user said about it."""
    from yuanwen.extract import read_bytes

    document = read_bytes(Path(upload.path).read_bytes(), upload.name)
    metadata = Metadata(
        title=title.strip() or first_line(document.text),
        publisher=publisher.strip() or None,
        date=day.strip() or dateline_day(document.text),
        origin=f"网页上传：{upload.name}",
    )
    with Library(path, create=False) as library:
        return library.add(document, metadata)


def dateline_day(text: str) -> str | None:
    """The one day a text's dateline (or date line) names, as YYYY-MM-DD; None when it names no single day."""
    from yuanwen.lint.dates import text_date
    from yuanwen.rules import load_rules

    found = text_date(text, load_rules(()).words("dateline_agencies"))
    return found.first.isoformat() if found.first is not None and found.first == found.last else None


def opened(path: Path, text_id: str) -> tuple[Entry, str]:
    """A stored text's metadata and its text."""
    with Library(path, create=False) as library:
        return library.entry(text_id), library.text(text_id)


def describe(path: Path, text_id: str, title: str, day: str, publisher: str) -> Entry:
    """Change what the library says about a text."""
    metadata = Metadata(title=title.strip() or None, publisher=publisher.strip() or None, date=day.strip() or None)
    with Library(path, create=False) as library:
        return library.describe(text_id, metadata)


def entry(path: Path, text_id: str) -> Entry:
    with Library(path, create=False) as library:
        return library.entry(text_id)


def remove(path: Path, text_id: str) -> Entry:
    with Library(path, create=False) as library:
        return library.remove(text_id)
