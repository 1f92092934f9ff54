"""An archive whose copying history is known: one source, a first copy with two errors, its copies, faithful ones.

- `first.txt` (2023-05-13): the example source with two words of the speech changed (E1, E2)
- six copies of the first, as text files dated 2023-05-14 to 05-19; copy 3 adds an error of its own
  (E3) and copy 6 copies copy 3 (so it carries E1, E2 and E3); copy 5 adds an error no one repeats
- two web pages crawled twice: on 2023-05-16 and 05-17 they carry E1 and E2; recrawled on
  2023-06-01, one has fixed E2, the other E1
- five faithful copies, dated 2023-05-14 to 05-18, that copy the source without an error
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from conftest import EXAMPLES
from yuanwen.library import Library, Metadata
from yuanwen.model import Document

SOURCE = (EXAMPLES / "source.txt").read_text(encoding="utf-8")
# The planted errors: (what the source says, what the copy prints), each where it first stands.
E1 = ("要继续加快推进", "要进一步加快推进")
E2 = ("中央第二指导组", "中央第二督导组")
E3 = ("深入推", "深人推")  # 入 printed 人: a look-alike only the copies of copy 3 carry
OWN = ("高质量发展", "高水平发展")
HOST = "https://news.example.cn"


@dataclass(frozen=True)
class LineageArchive:
    """The folder to audit and its library."""

    folder: Path
    library: Path


def _with(text: str, *errors: tuple[str, str]) -> str:
    for old, new in errors:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def _booklet(day: int, body: str) -> str:
    """A copy as a study booklet prints it: its own header with its own date, then the text."""
    return f"学习资料\n2023年5月{day}日\n\n{body}"


def build_lineage_archive(root: Path) -> LineageArchive:
    folder = root / "archive"
    folder.mkdir(parents=True)
    first = _with(SOURCE, E1, E2)
    (folder / "first.txt").write_text(_booklet(13, first), encoding="utf-8")
    copies = {1: first, 2: first, 3: _with(first, E3), 4: first, 5: _with(first, OWN), 6: _with(first, E3)}
    for number, body in copies.items():
        (folder / f"copy-{number}.txt").write_text(_booklet(13 + number, body), encoding="utf-8")
    for number in range(1, 6):
        (folder / f"faithful-{number}.txt").write_text(_booklet(13 + number, SOURCE), encoding="utf-8")
    _crawls(folder / "crawls.warc", first)
    library = root / "library.sqlite3"
    with Library(library) as store:
        store.add(Document("source.txt", "txt", SOURCE), Metadata(title="习近平在河北考察"))
    return LineageArchive(folder, library)


def _crawls(path: Path, first: str) -> None:
    """Two pages that reprint the first copy, crawled on two days each; the second crawl finds one error fixed."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    pages = [
        (f"{HOST}/a.html", "2023-05-16", first),
        (f"{HOST}/b.html", "2023-05-17", first),
        (f"{HOST}/a.html", "2023-06-01", _with(SOURCE, E1)),  # E2 fixed
        (f"{HOST}/b.html", "2023-06-01", _with(SOURCE, E2)),  # E1 fixed
    ]
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=False)
        for url, day, text in pages:
            body = "".join(f"<p>{line}</p>" for line in text.splitlines() if line)
            head = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>转载</title></head>'
            page = f"{head}<body><article>{body}</article></body></html>"
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(page.encode("utf-8")),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": f"{day}T08:00:00Z"},
            )
            writer.write_record(record)
