"""The web page as an editor reviews with it, at a laptop's size and a phone's: the findings panel worst first,
j/k anywhere, marks honoured by the downloads, no page wider than the screen; screenshots of every page."""

from __future__ import annotations

import io
from typing import Any

import docx
import pytest

from conftest import ARTIFACTS, EXAMPLES

SOURCE = EXAMPLES / "source.txt"
SIZES = {"laptop": (1366, 768), "phone": (390, 844)}
TITLE = "国务院召开常务会议"


@pytest.fixture(params=sorted(SIZES))
def sized(request: pytest.FixtureRequest, browser: Any, web_server: Any) -> Any:
    """A page of the server at one of the two sizes, its name, and every console or page error noted."""
    width, height = SIZES[request.param]
    context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
    opened = context.new_page()
    opened.problems = []
    opened.on("console", lambda m: opened.problems.append(f"console {m.text}") if m.type == "error" else None)
    opened.on("pageerror", lambda e: opened.problems.append(f"pageerror {e}"))
    opened.size = request.param
    yield opened
    context.close()


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{page.size}.png"))


def _fits(page: Any) -> None:
    """No horizontal scroll: the page is no wider than the window."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.evaluate("window.innerWidth"), f"{page.url} is {width} px wide at {page.size}"


def _checked(page: Any, url: str) -> Any:
    page.goto(url)
    _fits(page)
    _shot(page, "web-form")
    page.set_input_files("#reprint", EXAMPLES / "reprint.txt")
    page.set_input_files("#source", SOURCE)
    page.click("#submit")
    page.wait_for_selector("#report-frame", timeout=60_000)
    page.wait_for_function("document.getElementById('report-frame').contentDocument.querySelector('#findings')")
    return page.frame_locator("#report-frame")


def test_the_panel_lists_worst_first_and_j_works_on_load(sized: Any, web_server: Any) -> None:
    page = sized
    frame = _checked(page, web_server.url)
    entries = page.locator("#panel li.entry")
    assert entries.count() == 6
    assert "sev-critical" in entries.nth(0).get_attribute("class")
    assert "领导人讲话中“继续”被改为“进一步”" in entries.nth(0).inner_text()
    assert "×26（第 21–27 行）" in entries.nth(2).inner_text()
    assert page.locator("#verdict").inner_text().startswith("有 2 处严重差错")
    page.keyboard.press("j")
    assert frame.locator("body").get_attribute("data-focused") == "20"
    page.keyboard.press("j")
    assert frame.locator("body").get_attribute("data-focused") == "30"
    assert "current" in entries.nth(1).get_attribute("class")
    _fits(page)
    _shot(page, "web-report")
    entries.nth(2).locator("a.go").click()
    assert frame.locator("body").get_attribute("data-focused") == "3"
    page.locator("#summary button[data-sev=minor]").click()
    assert not entries.nth(2).is_visible()
    assert page.problems == []


def test_a_finding_marked_ignored_is_left_out_of_the_word_report(sized: Any, web_server: Any) -> None:
    page = sized
    _checked(page, web_server.url)
    entry = page.locator("#panel li.entry", has_text="督导")
    entry.locator("button[value=ignored]").click()
    page.wait_for_selector("#report-frame")
    assert page.locator("#panel li.entry.marked", has_text="督导").locator(".mark").inner_text() == "忽略"
    with page.expect_download() as download:
        page.click("#download-docx")
    word = docx.Document(io.BytesIO(download.value.path().read_bytes()))
    comments = [c.text for c in word.comments]
    assert len(comments) == 5 and not [c for c in comments if "督导" in c]
    assert any("继续" in c for c in comments)
    cover = "\n".join(p.text for p in word.paragraphs[:12])
    assert "有 1 处严重差错" in cover
    page.locator("#panel li.entry.marked", has_text="督导").locator("button[value=clear]").click()
    page.wait_for_selector("#report-frame")
    assert page.locator("#panel li.entry.marked").count() == 0
    assert page.problems == []


def test_records_and_library_fit_and_say_what_they_hold(sized: Any, web_server: Any) -> None:
    page = sized
    with web_server.client() as client:
        reprint = (EXAMPLES / "reprint.txt").read_text(encoding="utf-8")
        pasted = {"reprint": "学习资料第22期\n" + reprint, "source": None}
        assert client.post("/api/check", json=pasted).status_code == 200
    page.goto(f"{web_server.url}/records")
    _fits(page)
    _shot(page, "web-records")
    row = page.locator("#records tr", has_text="学习资料第22期.txt")
    assert row.count() >= 1 and "未找到原文" in row.first.inner_text()
    page.fill("input[name=q]", "学习资料第22期")
    page.click("form.search button")
    assert page.locator("#records tbody tr").count() >= 1
    assert page.locator("#records tbody tr", has_text="reprint.txt").count() == 0
    page.goto(f"{web_server.url}/library")
    _fits(page)
    _shot(page, "web-library")
    assert page.problems == []


def test_a_library_text_has_its_page_and_its_dateline_date(sized: Any, web_server: Any) -> None:
    page = sized
    text = f"{TITLE}\n新华社北京5月12日电　国务院总理李强12日主持召开国务院常务会议，部署{page.size}2023年工作。\n"
    upload = {"name": "会议.txt", "mimeType": "text/plain", "buffer": text.encode()}
    page.goto(f"{web_server.url}/library")
    page.locator("details.add").evaluate("add => { add.open = true; }")
    page.set_input_files("#add-text input[name=file]", upload)
    page.click("#add-text button")
    assert page.locator("#flash").inner_text() == f"已加入文献库：{TITLE}"
    row = page.locator("#texts tbody tr", has_text=TITLE).first
    assert "2023-05-12" in row.inner_text()  # the dateline's day, the year from the text
    row.locator("a", has_text=TITLE).click()
    _fits(page)
    _shot(page, "web-text")
    assert "部署" in page.locator("#text").inner_text()
    page.fill("#describe input[name=title]", f"国务院常务会议（{page.size}）")
    page.fill("#describe input[name=publisher]", "新华社")
    page.click("#describe button")
    assert page.locator("#flash").inner_text() == "已保存"
    assert page.locator("h1").inner_text() == f"国务院常务会议（{page.size}）"
    page.goto(f"{web_server.url}/library")
    mine = page.locator("#texts tbody tr", has_text=f"国务院常务会议（{page.size}）")
    assert "新华社" in mine.inner_text()
    # The library is shared by the session's web tests: leave it as found.
    mine.locator("a", has_text="删除").click()
    page.click("#confirm")
    assert page.problems == []


def test_an_empty_submit_stays_on_the_form_with_the_reason(sized: Any, web_server: Any) -> None:
    page = sized
    page.goto(web_server.url)
    page.set_input_files("#source", SOURCE)
    page.click("#submit")
    assert "请上传转载稿" in page.locator("#problem").inner_text()
    assert page.locator("#reprint").count() == 1
