"""The HTML report: side by side, every finding marked, user text inert, and working in a real browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from conftest import CORPUS, EXAMPLES, needs_corpus, run_cli
from yuanwen.check import check
from yuanwen.extract import read_document
from yuanwen.model import Document, Report
from yuanwen.render import renderer
from yuanwen.render.html import render_html

INJECTED = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
SOURCE = EXAMPLES / "source.txt"


@pytest.fixture(scope="module")
def example() -> Report:
    return check(read_document(EXAMPLES / "reprint.txt"), read_document(SOURCE))


@pytest.fixture(scope="module")
def hostile() -> Report:
    """The example with markup typed into the reprint's text and file name: it must stay text."""
    text = (EXAMPLES / "reprint.txt").read_text(encoding="utf-8").replace("京津冀成为", f"京津冀{INJECTED}成为", 1)
    return check(Document(f'"><script>window.__pwned = 3</script>{INJECTED}.txt', "txt", text), read_document(SOURCE))


def _has(*classes: str) -> str:
    """An XPath test for elements that have all these classes."""
    return " and ".join(f"contains(concat(' ', @class, ' '), ' {c} ')" for c in classes)


def _find(tree: Any, column: str, tag: str = "*", *classes: str) -> list[Any]:
    found: list[Any] = tree.xpath(f"//div[{_has(column)}]//{tag}[{_has('f', *classes)}]")
    return found


def _marks(page_html: str, column: str, tag: str, severity: str) -> list[str]:
    """The own text of each finding mark of a severity in a column (without its label)."""
    tree = lxml_html.fromstring(page_html)
    return ["".join(e.xpath("./text()")) for e in _find(tree, column, tag, f"sev-{severity}")]


def test_both_critical_findings_marked_in_both_columns(example: Report) -> None:
    page = render_html(example)
    assert _marks(page, "src", "del", "critical") == ["继续", "指导"]
    assert _marks(page, "rep", "ins", "critical") == ["进一步", "督导"]


def test_every_finding_is_marked_once_per_column(example: Report) -> None:
    tree = lxml_html.fromstring(render_html(example))
    numbers = sorted(int(e.get("data-f")) for e in _find(tree, "rep"))
    assert numbers == list(range(len(example.findings)))
    assert len(_find(tree, "src")) == len(example.findings)


def test_summary_in_chinese_by_severity(example: Report) -> None:
    tree = lxml_html.fromstring(render_html(example))
    counts = [" ".join(label.text_content().split()) for label in tree.xpath(f"//label[{_has('count')}]")]
    assert counts == ["严重 2", "重要 0", "一般 26", "提示 3"]


def test_shared_text_is_level_and_the_cut_stands_alone(example: Report) -> None:
    tree = lxml_html.fromstring(render_html(example))
    rows = [
        tuple("".join(cell.text_content().split()) for cell in row.xpath("./div"))
        for row in tree.xpath(f"//div[{_has('row')} and not({_has('head')})]")
    ]
    # The long cut of the 11-12 May visits is a row of its own with only the caret on the right.
    cut = next(row for row in rows if "11日上午" in row[0])
    assert cut[1] == "∧提示·删节"
    # Rows without findings read the same on both sides once layout is set aside.
    plain = [row for row in rows if "·" not in row[0] + row[1]]
    assert len(plain) > 5
    for left, right in plain:
        assert left == right


ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"


def _row_texts(page_html: str, column: str) -> list[str]:
    """The content of each row's cell in a column: labels, whitespace and zero-width marks left out."""
    tree = lxml_html.fromstring(page_html)
    for label in tree.xpath(f"//sup[{_has('tag')}]"):
        label.drop_tree()
    cells = tree.xpath(f"//div[{_has('row')} and not({_has('head')})]/div[{_has(column)}]")
    return ["".join(c for c in cell.text_content() if not c.isspace() and c not in ZERO_WIDTH) for cell in cells]


def _paragraphs(text: str) -> list[str]:
    return [line for line in ("".join(c for c in line if c not in ZERO_WIDTH) for line in text.split("\n")) if line]


@needs_corpus
@pytest.mark.parametrize(
    ("source_marks", "reprint_marks"),
    [("\u200d", ""), ("", "\u200d"), ("\u200d", "\ufeff\u200b"), ("\u2060\u00ad", "\u200c")],
)
def test_rows_start_at_paragraph_starts_whatever_zero_width_marks(source_marks: str, reprint_marks: str) -> None:
    """A Wikisource copy begins with a zero-width joiner; marks at line starts must not shift the rows."""
    lines = (CORPUS / "0023.txt").read_text(encoding="utf-8").splitlines()[3:12]
    source = source_marks + "\n".join(lines) + "\n"
    edited = "\n".join(lines).replace("复杂严峻", "复杂多变", 1).replace("\n", "\n" + reprint_marks)
    reprint = reprint_marks + edited + "\n"
    report = check(Document("reprint.txt", "txt", reprint), Document("source.txt", "txt", source))
    assert [f.reprint_text for f in report.findings] == ["多变"]
    page = render_html(report)
    assert _row_texts(page, "src") == _paragraphs(source)
    assert _row_texts(page, "rep") == _paragraphs(reprint)


def test_user_text_is_escaped(hostile: Report) -> None:
    page = render_html(hostile)
    assert "<script>window" not in page and "<img" not in page
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page
    assert page.count("<script>") == 1  # the report's own


def test_self_contained(example: Report) -> None:
    page = render_html(example)
    tree = lxml_html.fromstring(page)
    assert not tree.xpath("//*[@src] | //link | //*[@href and not(starts-with(@href, '#'))]")
    assert "http://" not in page and "https://" not in page
    assert "script-src 'sha256-" in page  # only the report's own script may run


def test_the_source_column_needs_no_source_file(example: Report) -> None:
    from dataclasses import replace

    gone = replace(example, sources=tuple(replace(s, path="/nonexistent/source.txt") for s in example.sources))
    page = render_html(gone)
    assert _marks(page, "src", "del", "critical") == ["继续", "指导"]
    assert "丁薛祥表示" in page


def test_cli_writes_the_html_file(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = run_cli("check", EXAMPLES / "reprint.txt", "--source", SOURCE, "--format", "html", "-o", out)
    assert result.exit_code == 1, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert renderer("html") is render_html


def _open(browser: Any, path: Path, problems: list[str]) -> Any:
    """A page showing a local file, with every console error and outside request noted."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.on("console", lambda m: problems.append(f"console {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"pageerror {e}"))
    page.on("request", lambda r: None if r.url.startswith("file://") else problems.append(f"request {r.url}"))
    page.goto(path.as_uri())
    return page


def test_in_a_browser_offline_navigation_and_screenshot(browser: Any, example: Report, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text(render_html(example), encoding="utf-8")
    problems: list[str] = []
    page = _open(browser, path, problems)
    for word in ("进一步", "督导"):
        assert page.locator("ins.f.sev-critical", has_text=word).is_visible()
    for word in ("继续", "指导"):
        assert page.locator("del.f.sev-critical", has_text=word).is_visible()
    focused = []
    page.click("#next")
    focused.append(page.evaluate("document.body.dataset.focused"))
    for key in ("j", "j", "k"):
        page.keyboard.press(key)
        focused.append(page.evaluate("document.body.dataset.focused"))
    # The list worst first: the two critical changes, then the 26 commas as one entry.
    assert focused == ["20", "30", "3", "30"]
    assert page.locator(".f.current").count() == 2
    assert page.locator("#strip a").count() == len(example.findings)
    page.screenshot(path=str(tmp_path / "report.png"), full_page=False)
    assert (tmp_path / "report.png").stat().st_size > 10_000
    assert problems == []


def test_in_a_browser_filters_leave_only_the_chosen_severities(browser: Any, example: Report, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text(render_html(example), encoding="utf-8")
    page = _open(browser, path, [])
    for severity in ("minor", "info"):
        page.uncheck(f'input[data-sev="{severity}"]')
    assert page.locator("#strip a").count() == 2
    seen = set()
    for _ in range(3):
        page.keyboard.press("j")
        seen.add(page.locator("ins.f.current").inner_text())
    assert {text.split("严重")[0] for text in seen} == {"进一步", "督导"}


def test_in_a_browser_a_script_in_the_reprint_runs_nothing(browser: Any, hostile: Report, tmp_path: Path) -> None:
    path = tmp_path / "hostile.html"
    path.write_text(render_html(hostile), encoding="utf-8")
    problems: list[str] = []
    page = _open(browser, path, problems)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("ins.f", has_text="<script>window.__pwned = 1</script>").is_visible()
    page.keyboard.press("j")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert problems == []


def test_the_list_is_worst_first_and_a_repeated_change_is_one_entry(example: Report) -> None:
    tree = lxml_html.fromstring(render_html(example))
    entries = tree.xpath('//nav[@id="findings"]/ol/li')
    assert [e.get("class").split()[1] for e in entries] == ["sev-critical"] * 2 + ["sev-minor"] + ["sev-info"] * 3
    commas = entries[2]
    assert "×26（第 21–27 行）" in commas.xpath("string(.//summary)")
    assert len(commas.xpath(".//details/ol/li")) == 26
    assert tree.xpath('string(//p[contains(@class, "verdict")])').startswith("有 2 处严重差错（领导人讲话被改动")
    assert "差错率 18.74/10000，编校质量不合格" in tree.xpath('string(//p[contains(@class, "rate")])')


def test_in_a_browser_the_list_steps_and_opens_groups(browser: Any, example: Report, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text(render_html(example), encoding="utf-8")
    page = _open(browser, path, [])
    page.click("#findings li.entry:nth-child(2) > a")
    assert page.evaluate("document.body.dataset.focused") == "30"
    page.keyboard.press("j")
    assert page.locator("#findings li.current details").get_attribute("open") is None
    page.keyboard.press("Enter")
    assert page.locator("#findings li.current details").get_attribute("open") == ""
    page.click('#findings details a[data-f="29"]')
    assert page.locator("ins.f.current").get_attribute("id") == "f29"
