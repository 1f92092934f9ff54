"""A web page: the article's text without navigation, sidebars, footers or comments (trafilatura).

trafilatura finds the article; its own text output is not used, because it writes tables and
lists in Markdown (`| a | b |`, `|---|`, `- item`), and those marks would be read as text that
the reprint inserted. The article's tree is written out here instead: one paragraph, heading,
list item or table row per line, table cells separated by tabs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from yuanwen.errors import InputError
from yuanwen.model import Document

# Fewer content characters than this is a menu or a "page not found", not an article: the
# shortest official notice is a sentence of 20-odd characters; menu labels are 2 to 6.
MIN_ARTICLE_CHARS = 20
# Elements of trafilatura's tree that stand on lines of their own (lb is a <br>).
_LINES = frozenset({"p", "head", "item", "quote", "code", "row", "list", "table", "lb"})


class _Element(Protocol):
    """The part of lxml's element that the walk uses."""

    tag: object
    text: str | None
    tail: str | None

    def __iter__(self) -> Iterator[_Element]: ...


def read_html_document(html: str, name: str) -> Document:
    """The main text of a saved web page, one paragraph per line."""
    try:
        body = _article(_tree(html, name))
        text = "" if body is None else _text(body)
    except RecursionError as error:  # trafilatura walks nested lists recursively
        raise _too_deep(name) from error
    if len("".join(text.split())) < MIN_ARTICLE_CHARS:
        raise InputError(f"网页里找不到正文（可能只有导航或目录）：{name}")
    return Document(path=name, format="html", text=text)


def _tree(html: str, name: str) -> _Element | str:
    """The page parsed with libxml2's deeper limit, which past it drops text without failing: then an error.

    The page as given when lxml finds no document in it; trafilatura then tries its own repairs."""
    from lxml.etree import ParserError
    from lxml.html import HTMLParser, fromstring

    # The options trafilatura parses with (trafilatura.utils.HTML_PARSER), and huge_tree.
    parser = HTMLParser(
        collect_ids=False,
        default_doctype=False,
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        huge_tree=True,
    )
    try:
        tree: _Element = fromstring(html.encode("utf-8", "surrogatepass"), parser=parser)
    except (ParserError, ValueError):
        return html
    if any("Excessive depth" in error.message for error in parser.error_log):
        raise _too_deep(name)
    return tree


def _too_deep(name: str) -> InputError:
    return InputError(f"网页标签嵌套过深，有文字无法读取（请另存为纯文本再核对）：{name}")


def _article(page: _Element | str) -> _Element | None:
    import trafilatura
    from trafilatura.settings import Document as Extracted

    found = trafilatura.bare_extraction(
        page,
        # Recall over precision: a paragraph wrongly left out would be reported as an omission
        # from the reprint, while a stray line of page furniture only shows up as an insertion.
        favor_recall=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        include_formatting=False,
        # A reprint may repeat a sentence on purpose; each occurrence must stay.
        deduplicate=False,
        with_metadata=False,
    )
    if not isinstance(found, Extracted):
        return None
    body: _Element | None = found.body
    return body


def _text(body: _Element) -> str:
    parts = [body.text or ""]
    _walk(body, parts)
    lines = (line.strip() for line in "".join(parts).split("\n"))
    return "".join(f"{line}\n" for line in lines if line)


def _walk(element: _Element, parts: list[str]) -> None:
    for child in element:
        breaks = child.tag in _LINES
        if breaks:
            parts.append("\n")
        parts.append(child.text or "")
        _walk(child, parts)
        if child.tag == "cell":
            parts.append("\t")
        if breaks:
            parts.append("\n")
        parts.append(child.tail or "")
