"""`yuanwen compile`'s face: a booklet typeset from its sources, then read back and checked against them.

1. each item's source: a file read as `check` reads one, or a text of the library (by id or title)
2. each item cut to what the booklet keeps (yuanwen.booklet), the fonts it names or their fallbacks
3. the .docx typeset (yuanwen.typeset), with the 核对单 as its last page; the PDF laid out by LibreOffice
4. the proof: each output read back by the readers `check` uses and checked against a library of
   exactly the booklet's sources; it passes when every item's source is found and no finding is
   above info, which a later `yuanwen check` of the booklet against the library reproduces

Only a passing booklet is written (by the CLI); the 核对单 it carries says so. Like the other faces,
it calls `check` and wires no stage itself.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from yuanwen import __version__
from yuanwen.booklet import FALLBACK_FONTS, Booklet, BookletError, Excerpt, ItemSpec, Style, excerpt
from yuanwen.check import check
from yuanwen.errors import YuanwenError
from yuanwen.extract import read_bytes, read_document
from yuanwen.fingerprint import digest_and_fingerprints
from yuanwen.library import Library, LibraryError, Metadata, UnknownText
from yuanwen.model import Document, Finding, Report
from yuanwen.typeset import Article, Issue, typeset

# The schema of the JSON 核对单; a change of its fields changes the number.
CHECKLIST_SCHEMA = "yuanwen.checklist/1"
# A title search naming more texts than this is too vague to list them all in one line.
_SHOWN_MATCHES = 3


@dataclass(frozen=True)
class Source:
    """An item's source: the text as read, where it came from, and what is known of it."""

    document: Document
    origin: str
    library_id: str | None
    title: str | None
    date: str | None
    # sha256 of the text's content, the hash the library's ids are made from.
    content_hash: str = ""


@dataclass(frozen=True)
class Item:
    """One item compiled: its booklet entry, its source and what is printed of it."""

    spec: ItemSpec
    source: Source
    excerpt: Excerpt

    @property
    def title(self) -> str:
        return self.spec.title or self.source.title or (self.excerpt.head[0] if self.excerpt.head else "")


@dataclass(frozen=True)
class Output:
    """One output as written and read back: its format, its bytes, and the check of it against the sources."""

    format: str
    data: bytes
    report: Report
    missing: tuple[int, ...]

    @property
    def failures(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.report.findings if f.severity != "info")

    @property
    def passed(self) -> bool:
        return not self.failures and not self.missing


@dataclass(frozen=True)
class Compiled:
    """A compiled booklet: its outputs, each proved; the 核对单 as data; notes for the user (fonts replaced)."""

    items: tuple[Item, ...]
    outputs: tuple[Output, ...]
    notes: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return all(output.passed for output in self.outputs)

    def checklist(self) -> dict[str, Any]:
        """The 核对单 as JSON data: each item's source and cuts, each output's verdict, the version."""
        return {
            "schema": CHECKLIST_SCHEMA,
            "yuanwen": __version__,
            "items": [_item_record(number, item) for number, item in enumerate(self.items, 1)],
            "outputs": [
                {"format": o.format, "passed": o.passed, "summary": o.report.summary, "missing": list(o.missing)}
                for o in self.outputs
            ],
            "passed": self.passed,
        }


def compile_booklet(booklet: Booklet, library: Callable[[], Library], pdf: bool = False) -> Compiled:
    """Steps 1-4: the booklet's outputs, each read back and checked; `library` opens the library if an item needs it."""
    opened: list[Library] = []

    def the_library() -> Library:
        if not opened:
            opened.append(library())
        return opened[0]

    try:
        items = tuple(_compiled_item(spec, booklet, the_library) for spec in booklet.items)
    finally:
        for each in opened:
            each.close()
    style, notes = _installed_fonts(booklet.style)
    issue = Issue(booklet.masthead, style, booklet.note, tuple(map(_article, items)), _checklist_lines(items))
    docx = typeset(issue)
    with tempfile.TemporaryDirectory(prefix="yuanwen-compile-") as folder:
        proof = Library(Path(folder) / "sources.sqlite3")
        with proof:
            ids = [proof.add(item.source.document, _metadata(item)).id for item in items]
            outputs = [_proved("docx", docx, proof, ids)]
            if pdf:
                from yuanwen.extract.office import convert_docx_to_pdf

                outputs.append(_proved("pdf", convert_docx_to_pdf(docx, "booklet.docx"), proof, ids))
    return Compiled(items, tuple(outputs), notes)


def _compiled_item(spec: ItemSpec, booklet: Booklet, library: Callable[[], Library]) -> Item:
    """Steps 1 and 2 for one item."""
    found = _source(spec, library)
    source = replace(found, content_hash=digest_and_fingerprints(found.document.text)[0].hex())
    return Item(spec, source, excerpt(source.document.text, spec, booklet.style.cut_mark))


def _source(spec: ItemSpec, library: Callable[[], Library]) -> Source:
    """Step 1: an item's source, from its file or the library; a problem is one line naming the item."""
    try:
        if spec.file is not None:
            document = read_document(spec.file)
            return Source(document, str(spec.file), None, None, spec.date)
        text_id = spec.text_id or _found_by_title(library(), spec)
        entry = library().entry(text_id)
        document = Document(f"资料库 {text_id}", entry.format, library().text(text_id))
        return Source(document, "资料库", text_id, entry.metadata.title, spec.date or entry.metadata.date)
    except UnknownText as error:
        raise BookletError(f"{spec.where}：资料库中没有 id 为 {spec.text_id} 的原文") from error
    except BookletError:
        raise
    except YuanwenError as error:
        raise BookletError(f"{spec.where}：{error}") from error


def _found_by_title(library: Library, spec: ItemSpec) -> str:
    """The one library text whose title holds the words given (spaces ignored)."""
    words = "".join((spec.title or "").split())
    found = [e for e in library.entries() if e.metadata.title and words in "".join(e.metadata.title.split())]
    if len(found) != 1:
        shown = "、".join(f"{e.id}（{e.metadata.title}）" for e in found[:_SHOWN_MATCHES])
        why = "没有标题含" if not found else f"有 {len(found)} 篇标题含"
        raise BookletError(
            f"{spec.where}：资料库中{why}“{spec.title}”的原文{('：' + shown) if found else ''}（用 id 指定）"
        )
    return found[0].id


def _metadata(item: Item) -> Metadata:
    return Metadata(title=item.title, date=item.source.date, origin=item.source.origin)


def _installed_fonts(style: Style) -> tuple[Style, tuple[str, ...]]:
    """Step 2: each font the booklet names, or its fallback when fontconfig says it is not installed
    (without fontconfig, as on Windows, the fonts named are kept: Word substitutes its own)."""
    if shutil.which("fc-list") is None:
        return style, ()
    chosen: dict[str, str] = {}
    notes: list[str] = []
    for role, fallback in FALLBACK_FONTS.items():
        named = getattr(style, f"{role}_font")
        if named != fallback and not _installed(named):
            notes.append(f"字体“{named}”未安装，用“{fallback}”代替")
            named = fallback
        chosen[f"{role}_font"] = named
    return replace(style, **chosen), tuple(notes)


def _installed(font: str) -> bool:
    found = subprocess.run(["fc-list", f":family={font}", "family"], capture_output=True, text=True, check=False)
    return bool(found.stdout.strip())


def _article(item: Item) -> Article:
    return Article(head=item.excerpt.head, note=item.spec.note, body=item.excerpt.body, contents=item.title)


def _checklist_lines(items: Sequence[Item]) -> tuple[str, ...]:
    """The 核对单's lines in the .docx: sources by id and hash, cuts by paragraph and size (their words,
    which the proof would read as the source's own, are in the JSON 核对单 only)."""
    lines: list[str] = []
    for number, item in enumerate(items, 1):
        source = item.source
        lines.append(
            f"第 {number} 篇　{item.title}　日期：{source.date or '不详'}　来源：{source.origin}"
            f"　内容哈希 sha256:{source.content_hash}"
        )
        lines.extend(f"　　删节：{cut.paragraphs}，{cut.chars} 字" for cut in item.excerpt.cuts)
    lines.append(
        f"核对：编印后由 yuanwen {__version__} 读回本文件，逐篇与原文核对，各篇原文均已找到，"
        "除刊头、目录、编者按和删节外没有差异（无高于“提示”级别的问题）。"
    )
    return tuple(lines)


def _item_record(number: int, item: Item) -> dict[str, Any]:
    source = item.source
    return {
        "number": number,
        "title": item.title,
        "date": source.date,
        "origin": source.origin,
        "library_id": source.library_id,
        "content_hash": f"sha256:{source.content_hash}",
        "head": list(item.excerpt.head),
        "cuts": [{"paragraphs": [c.first, c.last], "chars": c.chars, "text": c.text} for c in item.excerpt.cuts],
        "printed_chars": sum(len(p) for p in item.excerpt.body),
    }


def _proved(kind: str, data: bytes, proof: Library, ids: Sequence[str]) -> Output:
    """Step 4 for one output: read back as `check` reads a reprint, checked against the booklet's sources."""
    try:
        report = check(read_bytes(data, f"booklet.{kind}"), proof)
    except LibraryError as error:
        raise YuanwenError(f"核对编印结果时出错：{error}") from error
    found = {info.id for info in report.sources}
    missing = tuple(number for number, text_id in enumerate(ids, 1) if text_id not in found)
    return Output(kind, data, report, missing)
