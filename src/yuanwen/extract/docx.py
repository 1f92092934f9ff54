"""Word .docx: the body's paragraphs and tables in reading order, one Anchor per paragraph.

Headers, footers, footnotes and comments live in other parts of the package and stay out. The body
is read by `yuanwen.docxbody`, the walk the Word outputs edit the runs by; its lists numbered as
Word shows them.
"""

from __future__ import annotations

import io
import zipfile

from yuanwen.docxbody import Body, word_body
from yuanwen.errors import InputError
from yuanwen.extract.zipcheck import checked_zip
from yuanwen.model import Anchor, Document


def read_docx_document(data: bytes, name: str) -> Document:
    """A .docx file's body as a Document, one line and one Anchor per non-empty paragraph; it keeps the bytes."""
    body = _read_body(data, name)
    if not body.paragraph_starts:
        raise InputError(f"Word 文档里没有正文文字：{name}")
    anchors = tuple(Anchor(start, "paragraph", number) for number, start in enumerate(body.paragraph_starts, 1))
    return Document(path=name, format="docx", text=body.text, anchors=anchors, data=data)


def _read_body(data: bytes, name: str) -> Body:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    checked_zip(data, name)
    try:
        return word_body(docx.Document(io.BytesIO(data)))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, XMLSyntaxError) as error:
        raise InputError(f"Word 文档已损坏，无法读取：{name}") from error
    except (AttributeError, TypeError) as error:
        # python-docx meets a part in another namespace (an element without its fields), or a
        # relationship without its target (None where a path should be).
        raise InputError(f"Word 文档已损坏（部件或部件间的关系有误）：{name}") from error
    except ValueError as error:  # python-docx refuses a package whose main part is not a document
        raise InputError(f"不是 Word 文档（可能是模板或其他 Office 文件）：{name}") from error
