"""Reading .doc, .wps and .odt through LibreOffice, and the message when it is not installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from extract_builders import build_booklet_docx, content, reprint_paragraphs
from yuanwen.errors import InputError
from yuanwen.extract import read_document
from yuanwen.extract.office import INSTALL_HINT

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def test_missing_libreoffice_is_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    path = tmp_path / "reprint.doc"
    path.write_bytes(OLE2 + b"\x00" * 504)
    with pytest.raises(InputError) as error:
        read_document(path)
    assert INSTALL_HINT in str(error.value)
    assert "\n" not in str(error.value)


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("office")
    source = build_booklet_docx(folder / "booklet.docx", reprint_paragraphs())
    files = {}
    for target, suffix in (("doc:MS Word 97", ".doc"), ("odt", ".odt")):
        out = folder / suffix.lstrip(".")
        profile = (folder / "profile").as_uri()
        command = [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", target]
        subprocess.run([*command, "--outdir", str(out), str(source)], check=True, capture_output=True)
        files[suffix] = out / f"booklet{suffix}"
    return files


@pytest.mark.parametrize("suffix", [".doc", ".odt"])
def test_office_file_is_converted_and_read(converted: dict[str, Path], suffix: str) -> None:
    doc = read_document(converted[suffix])
    assert doc.format == "docx"
    assert content(doc.text) == content("".join(reprint_paragraphs()))
    assert len(doc.anchors) == len(reprint_paragraphs())


def test_doc_named_wps_is_read(converted: dict[str, Path], tmp_path: Path) -> None:
    path = tmp_path / "reprint.wps"
    path.write_bytes(converted[".doc"].read_bytes())
    assert content(read_document(path).text) == content("".join(reprint_paragraphs()))


def test_broken_doc_is_refused(tmp_path: Path) -> None:
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    path = tmp_path / "broken.doc"
    path.write_bytes(OLE2 + b"\xff" * 2000)
    with pytest.raises(InputError, match=r"LibreOffice"):
        read_document(path)
