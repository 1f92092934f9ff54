"""Word .docx: the body's paragraphs and tables in reading order, one Anchor per paragraph.

Headers, footers, footnotes and comments live in other parts of the package and stay out.
The body XML is walked directly, not through python-docx's Paragraph.text, because that skips
runs inside tracked insertions (w:ins), simple fields and content controls, which are text on
the page, and would read a text box twice (once from mc:Choice, once from mc:Fallback).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from typing import Protocol

from yuanwen.errors import InputError
from yuanwen.extract.zipcheck import checked_zip
from yuanwen.model import Anchor, Document

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Subtrees that hold no text of the page: deleted or moved-away runs, run and paragraph
# properties (w:tabs there are tab stops, not tabs), the fallback copy of a drawing.
_SKIP = frozenset({_W + "del", _W + "moveFrom", _W + "pPr", _W + "rPr", _W + "sectPr", _MC + "Fallback"})
_BREAKS = frozenset({_W + "br", _W + "cr"})
_CONTAINERS = frozenset({_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "tr", _W + "tc"})


class _Element(Protocol):
    """The part of lxml's element that the walk uses."""

    tag: object
    text: str | None

    def __iter__(self) -> Iterator[_Element]: ...


def read_docx_document(data: bytes, name: str) -> Document:
    """A .docx file's body as a Document, one line and one Anchor per non-empty paragraph."""
    body = _open_body(data, name)
    paragraphs = [text for text in _blocks(body) if text.strip()]
    if not paragraphs:
        raise InputError(f"Word 文档里没有正文文字：{name}")
    anchors: list[Anchor] = []
    offset = 0
    for number, text in enumerate(paragraphs, start=1):
        anchors.append(Anchor(offset, "paragraph", number))
        offset += len(text) + 1
    text = "".join(f"{paragraph}\n" for paragraph in paragraphs)
    return Document(path=name, format="docx", text=text, anchors=tuple(anchors))


def _open_body(data: bytes, name: str) -> _Element:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    checked_zip(data, name)
    try:
        body: _Element = docx.Document(io.BytesIO(data)).element.body
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, XMLSyntaxError) as error:
        raise InputError(f"Word 文档已损坏，无法读取：{name}") from error
    except AttributeError as error:  # python-docx meets a part in another namespace: an element without its fields
        raise InputError(f"Word 文档已损坏（部件的命名空间有误）：{name}") from error
    except ValueError as error:  # python-docx refuses a package whose main part is not a document
        raise InputError(f"不是 Word 文档（可能是模板或其他 Office 文件）：{name}") from error
    return body


def _blocks(container: Iterable[_Element]) -> Iterator[str]:
    """The text of each paragraph under a container, tables cell by cell, text boxes after their anchor."""
    for child in container:
        if child.tag == _W + "p":
            text, boxes = _paragraph(child)
            yield text
            for box in boxes:
                yield from _blocks(box)
        elif child.tag == _W + "tbl" or child.tag in _CONTAINERS:
            yield from _blocks(child)


def _paragraph(paragraph: _Element) -> tuple[str, list[_Element]]:
    """A paragraph's text, and the text boxes anchored in it."""
    parts: list[str] = []
    boxes: list[_Element] = []
    _runs(paragraph, parts, boxes)
    return "".join(parts), boxes


def _runs(element: _Element, parts: list[str], boxes: list[_Element]) -> None:
    for child in element:
        tag = child.tag
        if tag in _SKIP:
            continue
        if tag == _W + "t":
            parts.append(child.text or "")
        elif tag == _W + "tab":
            parts.append("\t")
        elif tag in _BREAKS:
            parts.append("\n")
        elif tag == _W + "noBreakHyphen":
            parts.append("-")
        elif tag == _W + "txbxContent":
            boxes.append(child)
        else:
            _runs(child, parts, boxes)
