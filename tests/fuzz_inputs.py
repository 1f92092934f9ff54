"""Hypothesis over hostile bytes for every reader and over TOML for --rules, run by test_fuzz.py in a process
whose memory is capped. Every input ends as a Document or one YuanwenError: never another exception.

YUANWEN_FUZZ_EXAMPLES sets the examples per reader (a long exploration: 100000); the default is CI's short run.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract_builders import build_lines_pdf
from hostile import DOCX_RELS, DOCX_TYPES, paragraphs_xml
from yuanwen.errors import YuanwenError
from yuanwen.extract import read_bytes
from yuanwen.model import Document
from yuanwen.rules.schema import RULE_KEYS

EXAMPLES = int(os.environ.get("YUANWEN_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=os.environ.get("CI") is not None,
    database=None,
)
SAMPLE = "习近平指出，要继续完善疏解激励约束政策体系。主题教育中央第二指导组参加座谈会。\n"
# Characters that make readers work: Chinese, markup, escapes, controls, surrogates' neighbours, BOMs.
ALPHABET = st.sampled_from(list(SAMPLE) + list("<>&;#/\"'=[]{}()*_`|-\\\t\r\n \x00\x07\x1b\x7f\u2028\ufeff\U0001f600"))
TEXT = st.text(ALPHABET, max_size=400)


def _edited(seed: bytes) -> st.SearchStrategy[bytes]:
    """The seed with a few spans replaced by other bytes: files damaged the way disks and mailers damage them."""
    edit = st.tuples(st.integers(0, len(seed)), st.integers(0, 64), st.binary(max_size=64))

    def apply(edits: list[tuple[int, int, bytes]]) -> bytes:
        data = seed
        for at, cut, insert in edits:
            data = data[:at] + insert + data[at + cut :]
        return data

    return st.lists(edit, max_size=6).map(apply)


def _read(data: bytes, name: str) -> None:
    """The contract of every reader: a Document whose text is a string, or one line of YuanwenError."""
    try:
        document = read_bytes(data, name)
    except YuanwenError as error:
        assert str(error) and "\n" not in str(error), repr(str(error))
        return
    assert isinstance(document, Document) and isinstance(document.text, str)


@st.composite
def _encoded_text(draw: st.DrawFn) -> bytes:
    encoding = draw(st.sampled_from(["utf-8-sig", "utf-16", "utf-16-le", "gb18030", "big5", "latin-1"]))
    return draw(TEXT).encode(encoding, errors="replace")


@FUZZ
@given(st.one_of(st.binary(max_size=2000), TEXT.map(lambda t: t.encode("utf-8")), _encoded_text()))
def test_text(data: bytes) -> None:
    _read(data, "reprint.txt")


def _html() -> st.SearchStrategy[str]:
    tags = st.sampled_from(["html", "body", "article", "div", "p", "table", "tr", "td", "ul", "li", "h1", "script"])
    tree = st.recursive(
        TEXT,
        lambda inner: st.tuples(tags, st.lists(inner, max_size=4), st.booleans()).map(
            lambda t: f"<{t[0]}>{''.join(t[1])}" + (f"</{t[0]}>" if t[2] else "")
        ),
        max_leaves=30,
    )
    return st.tuples(st.sampled_from(["", "<!DOCTYPE html>", "<html>"]), tree).map("".join)


@FUZZ
@given(st.one_of(_html(), TEXT.map(lambda t: "<html>" + t)))
def test_html(page: str) -> None:
    _read(page.encode("utf-8", errors="surrogatepass"), "page.html")


MARKDOWN = st.sampled_from(["# ", "> ", "- ", "1. ", "```\n", "| a | b |\n|---|---|\n", "<div>", "[a](", "![b]("])


@FUZZ
@given(st.lists(st.one_of(TEXT, MARKDOWN), max_size=30))
def test_markdown(parts: list[str]) -> None:
    _read("".join(parts).encode("utf-8", errors="surrogatepass"), "page.md")


# No "mimetype": an .odt goes to LibreOffice, seconds per example; its zip is checked as a .docx's is.
_MEMBER = st.sampled_from(["[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml", "word/x.bin"])


@st.composite
def _docx(draw: st.DrawFn) -> bytes:
    """A zip with Word's parts (or odd ones), each the real part, an edited one, or other bytes."""
    real = {"[Content_Types].xml": DOCX_TYPES.encode(), "_rels/.rels": DOCX_RELS.encode()}
    real["word/document.xml"] = paragraphs_xml(draw(st.lists(TEXT.map(_xml_safe), min_size=1, max_size=5)))
    names = draw(st.lists(_MEMBER, min_size=1, max_size=6, unique=True))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            seed = real.get(name, b"<w:styles/>")
            content = draw(st.one_of(st.just(seed), _edited(seed), st.binary(max_size=200)))
            method = draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
            archive.writestr(name, content, compress_type=method)
    data = out.getvalue()
    return draw(st.one_of(st.just(data), _edited(data)))


def _xml_safe(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@FUZZ
@given(_docx())
def test_docx(data: bytes) -> None:
    _read(data, "reprint.docx")


def _pdf_seed() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = build_lines_pdf(Path(folder) / "seed.pdf", [[SAMPLE.strip()], ["第二页。"]])
        return path.read_bytes()


PDF_SEED = _pdf_seed()


@FUZZ
@given(st.one_of(_edited(PDF_SEED), st.binary(max_size=1000).map(lambda b: b"%PDF-1.7\n" + b)))
def test_pdf(data: bytes) -> None:
    _read(data, "reprint.pdf")


# --rules: TOML built from the keys a rules file has, with values of every type; and raw text.
_ROSTER_AND_LINT_KEYS = {"check", "pattern", "replace", "translate", "enabled", "title", "holders", "before", "after"}
_KEYS = st.sampled_from(
    sorted(RULE_KEYS | _ROSTER_AND_LINT_KEYS | {"after", "from", "members", "name", "text", "source"})
)
_WORDS = st.sampled_from(
    ["punct.width", "omission", "substitution", "name", "not in_speech", "critical", "info", "pattern", "roster.title"]
)
_ARRAYS = st.sampled_from(["rules", "lint", "offices", "standing"])
_SCALARS = st.one_of(_WORDS, TEXT, st.integers(-5, 5), st.booleans(), st.sampled_from(["{change}", "{0}", "{"]))
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_KEYS, inner, max_size=3)),
    max_leaves=12,
)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(map(_toml_value, value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"
    return str(value)


@st.composite
def _rules_file(draw: st.DrawFn) -> str:
    lists = draw(st.dictionaries(st.sampled_from(["leaders", "titles", "x"]), _VALUES, max_size=2))
    tables = draw(st.lists(st.tuples(_ARRAYS, st.dictionaries(_KEYS, _VALUES, max_size=6)), max_size=3))
    lines = ["[lists]", *(f"{k} = {_toml_value(v)}" for k, v in lists.items())]
    for array, table in tables:
        lines += [f"[[{array}]]", *(f"{k} = {_toml_value(v)}" for k, v in table.items())]
    return "\n".join(lines) + "\n"


@settings(FUZZ, max_examples=max(EXAMPLES // 4, 20))
@given(st.one_of(_rules_file(), TEXT))
def test_rules(content: str) -> None:
    from yuanwen.check import check
    from yuanwen.model import CheckOptions

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rules.toml"
        path.write_text(content, encoding="utf-8", errors="surrogatepass")
        pair = (Document("r", "txt", SAMPLE.replace("继续", "进一步")), Document("s", "txt", SAMPLE))
        try:
            report = check(*pair, CheckOptions(rule_files=(path,)))
        except YuanwenError as error:
            assert "\n" not in str(error) and str(path) in str(error), str(error)
            return
        assert all(isinstance(finding.message, str) for finding in report.findings)
