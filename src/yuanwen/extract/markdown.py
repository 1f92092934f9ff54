"""Markdown: the text without its markup, one block (heading, paragraph, list item, row) per line."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from yuanwen.errors import InputError
from yuanwen.model import Document

if TYPE_CHECKING:
    from markdown_it.token import Token

_TAG = re.compile(r"<[^>]*>")
# Tokens after which a line ends, and tokens that separate table cells.
_LINE_ENDS = frozenset({"paragraph_close", "heading_close", "tr_close"})
_CELL_ENDS = frozenset({"th_close", "td_close"})


def read_markdown_document(source: str, name: str) -> Document:
    """A Markdown file as plain text: headings, emphasis, links and images without their markup."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    parts: list[str] = []
    for token in parser.parse(source):
        parts.append(_block_text(token))
    lines = [line.rstrip() for line in "".join(parts).split("\n")]
    text = "".join(f"{line}\n" for line in lines if line.strip())
    if not text:
        raise InputError(f"Markdown 文件里没有文字：{name}")
    return Document(path=name, format="md", text=text)


def _block_text(token: Token) -> str:
    if token.type == "inline":
        return "".join(_inline_text(child) for child in token.children or ())
    if token.type in _LINE_ENDS:
        return "\n"
    if token.type in _CELL_ENDS:
        return "\t"
    if token.type == "list_item_open" and token.info:
        # The number of an ordered item ("1." in "1. 坚持…") is part of the text it was copied from.
        return f"{token.info}{token.markup}"
    if token.type in ("fence", "code_block"):
        return token.content
    if token.type == "html_block":
        return _TAG.sub("", token.content)
    return ""


def _inline_text(token: Token) -> str:
    if token.type in ("text", "code_inline"):
        return token.content
    if token.type in ("softbreak", "hardbreak"):
        return "\n"
    return ""
