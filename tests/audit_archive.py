"""An archive to audit, built from the corpus at test time: 300 documents of every kind an audit meets.

Excerpts of corpus texts with planted edits (as text, web pages and Word files), booklets of
several sources, texts found in no source, exact duplicates, corrupt and encrypted files, and a
gzipped web archive (WARC) of news pages with a 404 page and a stylesheet it must pass over.
"""

from __future__ import annotations

import io
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from conftest import CORPUS
from extract_builders import build_news_html
from yuanwen.library import Library, Metadata, first_line
from yuanwen.model import Document

HEADER = "学习资料汇编\n第 7 期\n\n"
# Words a careless reprint changes, each to a near-synonym: planted edits the audit must find.
EDITS = (("发展", "发达"), ("继续", "进一步"), ("经济", "金融"), ("加快", "加速"), ("坚持", "坚守"), ("人民", "群众"))
EXCERPTS, BOOKLETS, FOREIGN, DUPLICATES, PAGES = 200, 40, 23, 10, 20
# A Han character shifted this far makes text of the corpus's look that no corpus text holds.
_SHIFT = 7


@dataclass(frozen=True)
class Archive:
    """The folder of documents, the library of their sources, and how many documents it holds."""

    folder: Path
    library: Path
    documents: int
    pages: int


def build_archive(root: Path, seed: int = 11) -> Archive:
    """The archive under root/archive and its library root/library.sqlite3 (the corpus)."""
    rng = random.Random(seed)
    texts = [path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.txt"))]
    folder = root / "archive"
    made = _excerpts(folder / "excerpts", texts, rng) + _booklets(folder / "booklets", texts, rng)
    made += _foreign(folder / "other", texts, rng)
    for number, original in enumerate(rng.sample(made, DUPLICATES)):
        shutil.copyfile(original, folder / "other" / f"copy-{number:02d}{original.suffix}")
    broken = _broken(folder / "broken")
    pages = _web_archive(folder / "crawl" / "site.warc.gz", texts, rng, PAGES)
    pages += _broken_web_archive(folder / "crawl" / "cut.warc.gz", texts, rng)
    library = root / "library.sqlite3"
    with Library(library) as store:
        documents = ((Document(None, "txt", t), Metadata(title=first_line(t))) for t in texts)
        for _ in store.add_many(documents):
            pass
    return Archive(folder, library, len(made) + DUPLICATES + broken + pages, pages)


def excerpt(text: str, rng: random.Random, edits: int) -> str:
    """A run of 2-5 paragraphs of the text, with words changed and one comma printed half-width."""
    paragraphs = [p for p in text.splitlines() if p.strip()]
    start = rng.randrange(1, max(2, len(paragraphs) - 5))
    end = start + rng.randint(2, 5)
    # A run of headings alone is no reprint: take paragraphs until there is some prose.
    while end < len(paragraphs) and len("".join(paragraphs[start:end])) < 300:
        end += 1
    body = "\n".join(paragraphs[start:end])[:2400]
    for old, new in rng.sample(EDITS, edits):
        body = body.replace(old, new, 1)
    return body.replace("，", ",", 1) if rng.random() < 0.5 else body


def _excerpts(folder: Path, texts: list[str], rng: random.Random) -> list[Path]:
    """Single-source excerpts: most as text files with a booklet header, some as web pages or Word files."""
    folder.mkdir(parents=True)
    made = []
    for number in range(EXCERPTS):
        body = excerpt(rng.choice(texts), rng, rng.randint(0, 3))
        if number % 20 == 7:
            made.append(_docx(folder / f"excerpt-{number:03d}.docx", body))
        elif number % 10 == 3:
            path = folder / f"excerpt-{number:03d}.html"
            path.write_text(build_news_html(f"学习材料之{number}", body.splitlines()), encoding="utf-8")
            made.append(path)
        else:
            path = folder / f"excerpt-{number:03d}.txt"
            path.write_text(HEADER + body + "\n", encoding="utf-8")
            made.append(path)
    return made


def _booklets(folder: Path, texts: list[str], rng: random.Random) -> list[Path]:
    """Booklets reprinting excerpts of two or three different texts, one after the other."""

    def booklet() -> str:
        parts = [excerpt(texts[i], rng, 1) for i in rng.sample(range(len(texts)), rng.randint(2, 3))]
        return HEADER + "\n\n".join(parts) + "\n"

    return _text_files(folder, "booklet", [booklet() for _ in range(BOOKLETS)])


def _foreign(folder: Path, texts: list[str], rng: random.Random) -> list[Path]:
    """Texts of the corpus's look found in no source: the library holds none of them."""
    bodies = [excerpt(rng.choice(texts), rng, 0) for _ in range(FOREIGN)]
    shifted = ["".join(chr(ord(c) + _SHIFT) if "\u4e00" <= c <= "\u9f00" else c for c in b) for b in bodies]
    return _text_files(folder, "commentary", shifted)


def _text_files(folder: Path, stem: str, bodies: list[str]) -> list[Path]:
    folder.mkdir(parents=True)
    made = [folder / f"{stem}-{number:02d}.txt" for number in range(len(bodies))]
    for path, body in zip(made, bodies, strict=True):
        path.write_text(body, encoding="utf-8")
    return made


def _broken(folder: Path) -> int:
    """Files an audit must report as failed and go on: corrupt, truncated, encrypted, misnamed."""
    folder.mkdir(parents=True)
    whole = _docx(folder / "whole.docx", "第一段。\n第二段。").read_bytes()
    (folder / "whole.docx").unlink()
    (folder / "truncated.docx").write_bytes(whole[: len(whole) // 2])
    (folder / "not-a-pdf.pdf").write_text("这不是 PDF 文件", encoding="utf-8")
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    _encrypted_pdf(folder / "encrypted.pdf")
    return 4


def _docx(path: Path, body: str) -> Path:
    from docx import Document as Word

    word = Word()
    for paragraph in body.splitlines():
        word.add_paragraph(paragraph)
    word.save(str(path))
    return path


def _encrypted_pdf(path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), encrypt="secret")
    canvas.drawString(72, 720, "confidential")
    canvas.save()


def _broken_web_archive(path: Path, texts: list[str], rng: random.Random) -> int:
    """A web archive whose third page is garbled on disk: two pages, then one failure for the rest."""
    _web_archive(path, texts, rng, 3, host="mirror.example.org")
    data = bytearray(path.read_bytes())
    data[-600:-200] = bytes(400)
    path.write_bytes(bytes(data))
    return 3


def _web_archive(path: Path, texts: list[str], rng: random.Random, pages: int, host: str = "news.example.cn") -> int:
    """A gzipped WARC of news pages reprinting excerpts, with a 404 page and a stylesheet among them."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)

        def record(url: str, status: str, kind: str, body: str) -> None:
            headers = StatusAndHeaders(status, [("Content-Type", kind)], protocol="HTTP/1.1")
            payload = io.BytesIO(body.encode("utf-8"))
            writer.write_record(writer.create_warc_record(url, "response", payload=payload, http_headers=headers))

        for number in range(pages):
            page = build_news_html(f"转载稿 {number}", excerpt(rng.choice(texts), rng, 1).splitlines())
            record(f"https://{host}/xxzl/{number}.html", "200 OK", "text/html; charset=utf-8", page)
            if number == 5:
                record(f"https://{host}/gone.html", "404 Not Found", "text/html", "<html>404</html>")
                record(f"https://{host}/site.css", "200 OK", "text/css", "body { color: red; }")
    return pages
