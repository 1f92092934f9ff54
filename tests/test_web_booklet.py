"""The 编印 page in Debian's Chromium: a booklet put together from 文献库, compiled, proved and downloaded."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import test_web
from conftest import ARTIFACTS, EXAMPLES
from yuanwen.extract import read_bytes

SOURCE = EXAMPLES / "source.txt"
# test_web's page fixture (console errors noted), here over this module's own server.
page = test_web.page


@pytest.fixture(scope="module")
def web_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """This module's own server (the shared one's library is counted by other tests), the example source in
    its library; test_web's `page` fixture opens pages of it."""
    from web_server import serving

    with serving(tmp_path_factory.mktemp("booklet-web"), "--workers", "1") as server:
        with server.client() as client, SOURCE.open("rb") as source:
            added = client.post(
                "/api/library", files={"file": source}, data={"title": "京津冀座谈会", "date": "2023-05-12"}
            )
        assert added.status_code in (200, 201), added.text
        server.text_id = added.json()["id"]
        yield server


def test_a_booklet_is_built_on_the_page_and_both_files_downloaded(
    page: Any,
    web_server: Any,
) -> None:
    page.goto(f"{web_server.url}/booklet")
    page.check(f"#offered input[value='{web_server.text_id}']")
    page.click("#next")
    masthead = {"name": "政治学习资料", "issuer": "宣传统战部编印", "number": "第22期", "date": "2023年5月"}
    for key, value in masthead.items():
        page.fill(f"#masthead-{key}", value)
    page.fill("#note", "请各党支部组织学习。")
    page.fill("input[name=head-0]", "4")
    for number in range(5, 14):  # the dateline's paragraph and the visits: clicked off
        page.uncheck(f"#item-0 input[name=keep-0][value='{number}']")
    page.click("#compile")
    page.wait_for_selector("#verdict", timeout=120_000)
    assert "核对通过：1 篇" in page.locator("#verdict").inner_text()
    assert "第 5–13 段" in page.locator("#checklist").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-booklet.png"))

    downloaded = {}
    for kind in ("docx", "pdf", "checklist"):
        with page.expect_download() as download:
            page.click(f"#download-{kind}")
        downloaded[kind] = Path(download.value.path()).read_bytes()
    text = read_bytes(downloaded["docx"], "booklet.docx").text
    assert text.startswith("政治学习资料\n第22期\n") and "沧州" not in text and "主题教育中央第二指导组" in text
    assert "沧州" not in read_bytes(downloaded["pdf"], "booklet.pdf").text
    assert json.loads(downloaded["checklist"])["passed"] is True

    # The next issue starts from this one: the same text ticked, the masthead and the cuts as left.
    page.goto(f"{web_server.url}/booklet")
    assert page.is_checked(f"#offered input[value='{web_server.text_id}']")
    page.click("#next")
    assert page.input_value("#masthead-name") == "政治学习资料"
    assert not page.is_checked("#item-0 input[name=keep-0][value='7']")
    assert page.is_checked("#item-0 input[name=keep-0][value='14']")
    assert page.problems == []


def test_a_booklet_with_no_paragraph_kept_is_refused_in_one_line(page: Any, web_server: Any) -> None:
    page.goto(f"{web_server.url}/booklet?id={web_server.text_id}")
    for key in ("name", "issuer", "number", "date"):
        page.fill(f"#masthead-{key}", "某")
    for box in page.locator("#item-0 input[name=keep-0]").all():
        box.uncheck()
    page.click("#compile")
    assert "第 1 篇没有勾选任何正文段落" in page.locator("main").inner_text()
