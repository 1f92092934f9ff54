"""How fast `yuanwen compile` is: a 20-item issue of about 100,000 characters, typeset and proved.

Each item is a text of its own (the first ~5,000 characters of a corpus text: government work
reports of different years), cut to all but its second paragraph. Measured in-process:
the .docx alone (typeset, read back, checked against the 20 sources), then with the PDF
(LibreOffice's layout, read back and checked too); the anchor is one `check` of the compiled .docx
against the same 20 sources, the proof's own work, in the same run."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from pairs import _SHIFT, CORPUS

ITEMS = 20
ITEM_CHARS = 5_200
_MASTHEAD = '[masthead]\nname = "政治学习资料"\nissuer = "宣传部编印"\nnumber = "第1期"\ndate = "2024年1月"\n'


def _sources(folder: Path) -> list[tuple[Path, int]]:
    """The first ITEM_CHARS characters (whole paragraphs) of each of the corpus's first ITEMS texts, as files,
    the Han characters of the k-th shifted by k * _SHIFT code points.

    Shifted, because these government work reports share whole sentences of boilerplate (现在，我代表
    国务院，向大会作政府工作报告……), which the check's locate step gives to the neighbouring item's
    source when both are in one booklet: unshifted, the proof fails (3 critical, 4 major, 5 minor)."""
    texts = sorted(CORPUS.glob("*.txt"))[:ITEMS]
    if len(texts) < ITEMS:
        raise FileNotFoundError(f"the corpus is missing or short: {CORPUS}")
    paths: list[tuple[Path, int]] = []
    for number, text in enumerate(texts):
        kept: list[str] = []
        for line in text.read_text(encoding="utf-8").splitlines():
            if sum(map(len, kept)) >= ITEM_CHARS:
                break
            kept.append("".join(chr(ord(c) + number * _SHIFT) if "\u4e00" <= c <= "\u9f00" else c for c in line))
        path = folder / text.name
        path.write_text("\n".join(kept) + "\n", encoding="utf-8")
        paths.append((path, len(kept)))
    return paths


def _booklet(folder: Path, sources: list[tuple[Path, int]]) -> Path:
    items = "".join(f'[[items]]\nfile = "{path.name}"\nkeep = ["3-"]\n' for path, _ in sources)
    path = folder / "issue.toml"
    path.write_text(_MASTHEAD + items, encoding="utf-8")
    return path


def main(runs: int = 3) -> None:
    from yuanwen.booklet import load_booklet
    from yuanwen.check import check
    from yuanwen.compile import compile_booklet
    from yuanwen.extract import read_bytes
    from yuanwen.library import Library, Metadata

    def no_library() -> Library:
        raise AssertionError("the benchmark's items are files")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sources = _sources(folder)
        path = _booklet(folder, sources)
        booklet = load_booklet(path, path.read_bytes())
        docx_times: list[float] = []
        for _ in range(runs):
            start = time.perf_counter()
            compiled = compile_booklet(booklet, no_library)
            docx_times.append(time.perf_counter() - start)
        assert compiled.passed, compiled.checklist()
        printed = sum(sum(len(p) for p in item.excerpt.body) for item in compiled.items)
        with Library(folder / "anchor.sqlite3") as library:
            for source, _ in sources:
                library.add(read_bytes(source.read_bytes(), str(source)), Metadata())
            document = read_bytes(compiled.outputs[0].data, "issue.docx")
            start = time.perf_counter()
            check(document, library)
            anchor = time.perf_counter() - start
        start = time.perf_counter()
        with_pdf = compile_booklet(booklet, no_library, pdf=True)
        pdf_time = time.perf_counter() - start
        assert with_pdf.passed, with_pdf.checklist()
    docx = statistics.median(docx_times)
    print(
        f"yuanwen compile, {ITEMS} items, {printed:,} characters printed: .docx with its proof "
        f"{docx:.2f} s (median of {runs}; anchor: one check of it against the 20 sources {anchor:.2f} s, "
        f"ratio {docx / anchor:.1f}); with the PDF {pdf_time:.2f} s",
        file=sys.stdout,
    )


if __name__ == "__main__":
    main()
