"""The web page in Debian's Chromium: a booklet checked, its findings visited and downloaded; the library."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
import pytest

from conftest import ARTIFACTS, EXAMPLES
from extract_builders import build_booklet_docx, reprint_paragraphs
from yuanwen.extract import read_bytes, read_document

SOURCE = EXAMPLES / "source.txt"
INJECTED = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


@pytest.fixture
def page(browser: Any, web_server: Any) -> Any:
    """A page of the server, with every console error, page error and request elsewhere noted in .problems."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    opened = context.new_page()
    opened.problems = []
    opened.on("console", lambda m: opened.problems.append(f"console {m.text}") if m.type == "error" else None)
    opened.on("pageerror", lambda e: opened.problems.append(f"pageerror {e}"))
    opened.on(
        "request",
        lambda r: None if r.url.startswith(web_server.url) else opened.problems.append(f"request {r.url}"),
    )
    yield opened
    context.close()


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def _submit(page: Any, url: str, reprint: Path | dict[str, Any], source: Path | None) -> Any:
    """Fill in 核对 and submit; the report's frame once the check is done."""
    page.goto(url)
    page.set_input_files("#reprint", reprint)
    if source is None:
        page.check("#mode-library")
    else:
        page.set_input_files("#source", source)
    page.click("#submit")
    page.wait_for_selector("#report-frame", timeout=60_000)
    return page.frame_locator("#report-frame")


def test_a_word_reprint_checked_navigated_and_downloaded(page: Any, web_server: Any, tmp_path: Path) -> None:
    reprint = build_booklet_docx(tmp_path / "学习资料.docx", reprint_paragraphs())
    frame = _submit(page, web_server.url, reprint, SOURCE)
    assert page.locator("#summary .sev-critical b").inner_text() == "2"
    for word in ("进一步", "督导"):
        assert frame.locator("ins.f.sev-critical", has_text=word).is_visible()
    focused = []
    for action in ("#next", "j", "j", "k", "#prev"):
        if action.startswith("#"):
            frame.locator(action).click()
        else:
            page.keyboard.press(action)
        focused.append(frame.locator("body").get_attribute("data-focused"))
    # The list worst first: the two critical changes, then the 26 commas as one entry.
    assert focused == ["20", "30", "3", "30", "20"]
    frame.locator("ins.f.sev-critical", has_text="督导").click()
    assert frame.locator("#current").inner_text().startswith("严重·改动")
    _shot(page, "web-report")

    with page.expect_download() as report_download:
        page.click("#download-docx")
    comments = [c.text for c in docx.Document(report_download.value.path()).comments]
    # One comment per entry of the list; every correction a tracked change.
    assert len(comments) == 6 and sum("严重" in c for c in comments) == 2
    with page.expect_download() as fixed_download:
        page.click("#download-fixed")
    assert fixed_download.value.suggested_filename == "学习资料.改正.docx"
    fixed = read_bytes(Path(fixed_download.value.path()).read_bytes(), "fixed.docx").text
    original = read_document(reprint).text
    assert "督导组" in original and "督导组" not in fixed and "指导组" in fixed
    assert fixed.count("进一步") == original.count("进一步") - 1
    assert page.problems == []


def test_the_library_finds_the_source_and_a_text_is_removed(page: Any, web_server: Any) -> None:
    page.goto(f"{web_server.url}/library")
    page.set_input_files("#add-text input[name=file]", SOURCE)
    page.fill("#add-text input[name=title]", "丁薛祥在河北调研")
    page.fill("#add-text input[name=publisher]", "新华社")
    page.fill("#add-text input[name=date]", "2023-05-12")
    page.click("#add-text button")
    assert "已加入文献库" in page.locator("#flash").inner_text()
    assert page.locator("#texts tbody tr").count() == 1
    _shot(page, "web-library")

    frame = _submit(page, web_server.url, EXAMPLES / "reprint.txt", None)
    assert "《丁薛祥在河北调研》" in page.locator("#summary").inner_text()
    assert frame.locator("ins.f.sev-critical").count() == 2

    page.goto(f"{web_server.url}/library")
    page.click("#texts a:has-text('删除')")
    assert "确定删除《丁薛祥在河北调研》" in page.locator("main").inner_text()
    page.click("#confirm")
    assert "已从文献库删除：丁薛祥在河北调研" in page.locator("#flash").inner_text()
    assert page.locator("#texts").count() == 0
    _submit(page, web_server.url, EXAMPLES / "reprint.txt", None)
    assert page.locator("#no-source").is_visible()
    assert page.problems == []


def test_a_record_opens_after_a_restart(page: Any, web_server: Any) -> None:
    with web_server.client() as client:
        reprint = (EXAMPLES / "reprint.txt").read_bytes()
        files = {"reprint": ("重启前.txt", reprint), "source": ("source.txt", SOURCE.read_bytes())}
        assert client.post("/api/check", files=files).status_code == 200
    web_server.restart()
    page.goto(f"{web_server.url}/records")
    _shot(page, "web-records")
    page.click("#records a:has-text('重启前.txt')")
    frame = page.frame_locator("#report-frame")
    assert frame.locator("ins.f.sev-critical", has_text="督导").is_visible()
    page.goto(f"{web_server.url}/records")
    rows = page.locator("#records tbody tr").count()
    page.locator("#records tr", has_text="重启前.txt").locator("a.delete").click()
    assert "确定删除“重启前.txt”" in page.locator("main").inner_text()
    page.click("#confirm")
    assert page.locator("#records tbody tr").count() == rows - 1
    assert page.locator("#records", has_text="重启前.txt").count() == 0
    assert page.problems == []


def test_a_script_in_the_reprint_runs_nothing(page: Any, web_server: Any) -> None:
    text = (EXAMPLES / "reprint.txt").read_text(encoding="utf-8").replace("京津冀成为", f"京津冀{INJECTED}成为", 1)
    hostile = {"name": f"{INJECTED}.txt", "mimeType": "text/plain", "buffer": text.encode("utf-8")}
    frame = _submit(page, web_server.url, hostile, SOURCE)
    assert frame.locator("ins.f", has_text="<script>window.__pwned = 1</script>").is_visible()
    # The name's last part after "/" is its label, shown as text: no element comes of it.
    assert page.locator("h1").inner_text().startswith("script><img src=x onerror=")
    assert page.locator("img").count() == 0
    page.keyboard.press("j")
    page.goto(f"{web_server.url}/records")
    assert page.locator("#records a", has_text="script><img src=x").count() == 1
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.problems == []


def test_an_oversized_upload_gets_the_413_page(page: Any, web_server: Any) -> None:
    big = {"name": "大文件.txt", "mimeType": "text/plain", "buffer": "文".encode() * 700_000}
    page.goto(web_server.url)
    page.set_input_files("#reprint", big)
    page.set_input_files("#source", SOURCE)
    _shot(page, "web-form")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.click("#submit")
    assert answer.value.status == 413
    assert "上传的文件过大：上限 1 MB" in page.locator("#error").inner_text()
    _shot(page, "web-413")
