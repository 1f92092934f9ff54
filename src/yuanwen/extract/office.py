"""Legacy and other office formats (.doc, .wps, .odt, .rtf): LibreOffice converts them to .docx
(and `yuanwen compile`'s .docx to PDF)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from yuanwen.errors import InputError

INSTALL_HINT = "需要安装 LibreOffice：apt-get install libreoffice-writer"
# The first start of LibreOffice with a fresh profile takes 5-10 s; a 300-page .doc converts in
# under a minute on two cores. Past this the converter has hung (a dialog, a broken file).
TIMEOUT_SECONDS = 180
# LibreOffice's import filter for each kind of input. Named, because left to guess LibreOffice
# reads a file it does not recognise as plain text and "converts" the garbage without complaint.
_FILTERS = {".doc": "MS Word 97", ".odt": "writer8", ".rtf": "Rich Text Format"}


def convert_to_docx(data: bytes, name: str) -> bytes:
    """The bytes of a .docx that LibreOffice made from an office document."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise InputError(f"读取 {Path(name).suffix or 'Word'} 文件{INSTALL_HINT}（或先另存为 .docx）：{name}")
    suffix = _suffix(data)
    return _converted(soffice, data, suffix, _FILTERS[suffix], "docx", name)


def convert_docx_to_pdf(data: bytes, name: str) -> bytes:
    """The bytes of the PDF that LibreOffice lays out from a .docx."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise InputError(f"生成 PDF {INSTALL_HINT}：{name}")
    return _converted(soffice, data, ".docx", "MS Word 2007 XML", "pdf", name)


def _converted(soffice: str, data: bytes, suffix: str, input_filter: str, target: str, name: str) -> bytes:
    """LibreOffice's conversion of a file's bytes to the target format, in a folder of its own."""
    with tempfile.TemporaryDirectory(prefix="yuanwen-") as tmp:
        source = Path(tmp) / f"input{suffix}"
        source.write_bytes(data)
        _run(soffice, input_filter, target, source, Path(tmp), name)
        converted = Path(tmp) / "out" / f"input.{target}"
        if not converted.is_file():
            raise InputError(f"LibreOffice 无法转换此文件（文件可能已损坏）：{name}")
        return converted.read_bytes()


def _suffix(data: bytes) -> str:
    """.rtf, .odt or .doc (a WPS Writer file is a Word 97 file inside) by the bytes."""
    if data.startswith(b"{\\rtf"):
        return ".rtf"
    if data.startswith(b"PK"):
        return ".odt"
    return ".doc"


def _run(soffice: str, input_filter: str, target: str, source: Path, tmp: Path, name: str) -> None:
    # A profile of its own lets the conversion run while the user has LibreOffice open (it would
    # otherwise hand the job to that instance and return at once) and leaves their settings alone.
    command = [
        soffice,
        f"-env:UserInstallation={(tmp / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        f"--infilter={input_filter}",
        "--convert-to",
        target,
        "--outdir",
        str(tmp / "out"),
        str(source),
    ]
    try:
        subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired as error:
        raise InputError(f"LibreOffice 转换超时（超过 {TIMEOUT_SECONDS} 秒）：{name}") from error
    except OSError as error:
        raise InputError(f"无法启动 LibreOffice（{error.strerror}）：{name}") from error
