"""Renderers: each turns a Report into one output format, text (str) or a file's bytes."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from yuanwen.model import Report

Renderer = Callable[[Report], str | bytes]

# Format name → "module:function"; imported on use, so a text check never loads python-docx.
RENDERERS: dict[str, str] = {
    "text": "yuanwen.render.text:render_text",
    "json": "yuanwen.render.json:render_json",
    "html": "yuanwen.render.html:render_html",
    "docx": "yuanwen.render.docx:render_docx",
    "docx-comments": "yuanwen.render.docx:render_docx_comments",
    "pdf": "yuanwen.render.pdf:render_pdf",
}

# The formats a user chooses with --format (docx-comments is --format docx --comments-only).
FORMATS = ("text", "json", "html", "docx", "pdf")


def renderer(name: str) -> Renderer:
    """The render function of a format."""
    module, function = RENDERERS[name].split(":")
    found: Renderer = getattr(import_module(module), function)
    return found
