"""Reading .doc, .wps and .odt through LibreOffice, and the message when it is not installed."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from extract_builders import BOOKLET_HEADER, build_booklet_docx, content, reprint_paragraphs
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


def test_doc_report_comes_from_the_conversion_made_when_read(
    converted: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Word report of a .doc is made from the .docx LibreOffice gave when it was read: no second run."""
    import docx

    from yuanwen.check import check
    from yuanwen.model import Document
    from yuanwen.render.docx import render_docx

    path = tmp_path / "reprint.doc"
    path.write_bytes(converted[".doc"].read_bytes())
    reprint = read_document(path)
    path.unlink()
    monkeypatch.setattr(subprocess, "run", lambda *args, **kwargs: pytest.fail("LibreOffice ran again"))
    source = "".join(f"{line}\n" for line in reprint_paragraphs()[2:]).replace("进一步", "继续", 1)
    report = check(reprint, Document("source.txt", "txt", source))
    output = docx.Document(io.BytesIO(render_docx(report)))
    # The user's document, not a new one (its own section after the report's cover).
    assert output.sections[-1].header.paragraphs[0].text == BOOKLET_HEADER
    assert [c.text for c in output.comments if "原文：继续" in c.text and "严重" in c.text]


def test_broken_doc_is_refused(tmp_path: Path) -> None:
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    path = tmp_path / "broken.doc"
    path.write_bytes(OLE2 + b"\xff" * 2000)
    with pytest.raises(InputError, match=r"LibreOffice"):
        read_document(path)
