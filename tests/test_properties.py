"""Properties: layout never makes a finding, a text matches itself, a changed word is found where it is."""

from __future__ import annotations

import itertools
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, TEXT_FILES
from yuanwen.check import check
from yuanwen.model import Document, Report

SOURCE = (EXAMPLES / "source.txt").read_text(encoding="utf-8")
REPRINT = (EXAMPLES / "reprint.txt").read_text(encoding="utf-8")
TEXTS = [p.read_text(encoding="utf-8") for p in TEXT_FILES]
_HAN = re.compile(r"[\u4e00-\u9fff]{2}")
# Characters found in none of the corpus texts, so a substitution by them cannot be mistaken.
_STRANGE = "鼐鼒"
_SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _report(reprint: str, source: str) -> Report:
    return check(Document("reprint", "txt", reprint), Document("source", "txt", source))


def _essence(report: Report) -> list[tuple[str, ...]]:
    flat = "".join
    return [
        (f.kind, f.severity, f.rule, flat(f.source_text.split()), flat(f.reprint_text.split())) for f in report.findings
    ]


@st.composite
def layouts(draw: st.DrawFn) -> tuple[int, str, bool]:
    """A re-layout: wrap width, what separates wrapped lines, whether digits get spaces."""
    width = draw(st.integers(min_value=18, max_value=60))
    separator = draw(st.sampled_from(["\n", "\n\n", "\n \n", "\r\n", "\n\f\n"]))
    return width, separator, draw(st.booleans())


def _relayout(text: str, layout: tuple[int, str, bool]) -> str:
    """The same paragraphs hard-wrapped, spaced and separated as a PDF extraction would."""
    width, separator, spaced = layout
    paragraphs = []
    for paragraph in text.split("\n"):
        content = "".join(paragraph.split())
        if spaced:
            content = re.sub(r"(\d+)", r" \1 ", content)
        paragraphs.append(separator.join(content[i : i + width] for i in range(0, len(content), width)))
    return "\n\n\n".join(paragraphs)


BASELINE = _essence(_report(REPRINT, SOURCE))


@_SETTINGS
@given(layout=layouts())
def test_relayout_of_the_reprint_changes_no_finding(layout: tuple[int, str, bool]) -> None:
    assert _essence(_report(_relayout(REPRINT, layout), SOURCE)) == BASELINE


@_SETTINGS
@given(layout=layouts())
def test_relayout_of_the_source_changes_no_finding(layout: tuple[int, str, bool]) -> None:
    paragraphs = "\n".join("".join(p.split()) for p in _source_paragraphs())
    assert _essence(_report(REPRINT, _relayout(paragraphs, layout))) == BASELINE


def _source_paragraphs() -> list[str]:
    """The example source's paragraphs, its hard wraps undone by the paragraph starts yuanwen finds."""
    from yuanwen.normalize import normalize

    text = normalize(SOURCE)
    bounds = [0, *text.paragraph_starts, len(text.content)]
    return [text.content[a:b] for a, b in itertools.pairwise(bounds)]


@_SETTINGS
@given(index=st.integers(min_value=0, max_value=len(TEXTS) - 1), layout=layouts())
def test_a_text_against_itself_relaid_has_no_finding(index: int, layout: tuple[int, str, bool]) -> None:
    text = TEXTS[index]
    assert _report(_relayout(text, layout), text).findings == ()


@_SETTINGS
@given(index=st.integers(min_value=0, max_value=len(TEXTS) - 1), where=st.floats(min_value=0.0, max_value=1.0))
def test_a_substituted_word_is_found_at_its_place(index: int, where: float) -> None:
    text = TEXTS[index]
    spots = [m.start() for m in _HAN.finditer(text)]
    at = spots[int(where * (len(spots) - 1))]
    reprint = text[:at] + _STRANGE + text[at + 2 :]
    (finding,) = _report(reprint, text).findings
    assert finding.kind == "substitution"
    assert finding.source_span.start <= at and at + 2 <= finding.source_span.end
    assert len(finding.source_text) <= 12, "grown at most to a long organisation's or person's title"
    assert _STRANGE in finding.reprint_text
    assert reprint[finding.reprint_span.start : finding.reprint_span.end] == finding.reprint_text
