"""What the hardening tests share: the CLI in a process with bounded memory, a small full disk, a read-only folder."""

from __future__ import annotations

import contextlib
import os
import resource
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

# A yuanwen process must do every job here within this much address space (the bound).
MEMORY_LIMIT = 1024**3
DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Override PartName="/word/document.xml"'
    ' ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml"'
    ' Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def limit_memory() -> None:
    """In the child before exec: the address space capped, so unbounded reading ends in MemoryError."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_yuanwen(
    *args: object,
    stdin: int | None = subprocess.DEVNULL,
    stdout: int | None = subprocess.PIPE,
    preexec: Callable[[], None] = limit_memory,
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    """The console script in its own process, memory capped, its output as text."""
    command = [sys.executable, "-c", "from yuanwen.cli import main; main()", *map(str, args)]
    return subprocess.run(
        command, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=timeout,
        preexec_fn=preexec, check=False,
    )  # fmt: skip


def one_line(result: subprocess.CompletedProcess[str], code: int = 2) -> str:
    """The one line a failed command prints on stderr (and no traceback), checked with its exit code."""
    assert result.returncode == code, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def docx_bytes(body_xml: bytes, types: bytes | None = None) -> bytes:
    """A minimal .docx around a document.xml body (and a [Content_Types].xml, when given)."""
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", DOCX_TYPES.encode() if types is None else types)
        archive.writestr("_rels/.rels", DOCX_RELS)
        archive.writestr("word/document.xml", body_xml)
    return out.getvalue()


def paragraphs_xml(paragraphs: list[str]) -> bytes:
    runs = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    return f'<w:document xmlns:w="{W}"><w:body>{runs}</w:body></w:document>'.encode()


@dataclass(frozen=True)
class Disk:
    """A folder on a file system of a few hundred KB, and how a process is made to feel it full."""

    folder: Path
    preexec: Callable[[], None]
    grow: Callable[[], None]


def _mount(*options: str, target: Path) -> bool:
    return subprocess.run(["mount", *options, str(target)], capture_output=True, check=False).returncode == 0


@contextlib.contextmanager
def small_disk(tmp_path: Path, kilobytes: int) -> Iterator[Disk]:
    """A tmpfs of that size where the test runs as root; otherwise files capped at that size (RLIMIT_FSIZE)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    if os.geteuid() == 0 and _mount("-t", "tmpfs", "-o", f"size={kilobytes}k", "tmpfs", target=folder):
        try:
            yield Disk(folder, limit_memory, lambda: _mount("-o", "remount,size=64m", target=folder) or None)
        finally:
            subprocess.run(["umount", "-l", str(folder)], check=False)
        return
    size = kilobytes * 1024

    def capped() -> None:
        limit_memory()
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    yield Disk(folder, capped, lambda: None)


@contextlib.contextmanager
def read_only_folder(folder: Path) -> Iterator[None]:
    """The folder made read-only: remounted read-only where the test runs as root (root ignores modes)."""
    if os.geteuid() == 0:
        assert _mount("--bind", str(folder), target=folder) and _mount("-o", "remount,bind,ro", target=folder)
        try:
            yield
        finally:
            subprocess.run(["umount", str(folder)], check=False)
        return
    modes = {path: path.stat().st_mode for path in [folder, *folder.iterdir()]}
    for path in modes:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        yield
    finally:
        for path, mode in modes.items():
            path.chmod(mode)


def page_tree_pdf(references: int, runs: int = 1) -> bytes:
    """A PDF whose page tree lists one page object `references` times (6 bytes a reference).

    The page prints `runs` words on one line, each a text object of its own: each one PDFium parses."""
    kids = b" ".join([b"3 0 R"] * references)
    content = b" ".join(b"BT /F1 4 Tf %d 100 Td (w%d) Tj ET" % (n % 190, n) for n in range(runs))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % references,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def blank_png(path: Path, side: int = 50) -> Path:
    """A white square PNG: a blank scanned page."""
    from PIL import Image

    Image.new("L", (side, side), 255).save(path)
    return path


def blank_scan_pdf(folder: Path, pages: int) -> Path:
    """An image-only PDF of `pages` blank pages, as a scanner's software makes it (img2pdf)."""
    png = blank_png(folder / "blank.png")
    path = folder / "blank-scan.pdf"
    subprocess.run(["img2pdf", *[str(png)] * pages, "-o", str(path)], check=True)
    return path


def blank_tiff(path: Path, pages: int) -> Path:
    """A multi-page TIFF of `pages` blank pages."""
    from PIL import Image

    frames = [Image.new("L", (50, 50), 255) for _ in range(pages)]
    frames[0].save(path, save_all=True, append_images=frames[1:], compression="tiff_deflate")
    return path
