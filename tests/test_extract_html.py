"""Reading web pages: the article's paragraphs, without menus, sidebars or footers."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract_builders import FOOTER, NAV, SIDEBAR, build_news_html, reprint_paragraphs
from yuanwen.errors import InputError
from yuanwen.extract import read_document

# examples/reprint.txt without the booklet's own header lines: the title, then the article.
ARTICLE = reprint_paragraphs()[5:]


def _page(tmp_path: Path, name: str = "news.html", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    html = build_news_html(ARTICLE[0], ARTICLE[1:])
    path.write_bytes(html.replace('charset="utf-8"', f'charset="{encoding}"').encode(encoding))
    return path


def test_article_paragraphs_one_per_line(tmp_path: Path) -> None:
    doc = read_document(_page(tmp_path))
    assert doc.format == "html"
    assert doc.text.splitlines() == ARTICLE


@pytest.mark.parametrize("furniture", [*NAV, *SIDEBAR, *FOOTER, "热点新闻", "浏览次数"])
def test_page_furniture_is_left_out(tmp_path: Path, furniture: str) -> None:
    assert furniture not in read_document(_page(tmp_path)).text


def test_gb18030_page(tmp_path: Path) -> None:
    assert read_document(_page(tmp_path, encoding="gb18030")).text.splitlines() == ARTICLE


def test_web_page_saved_as_doc_is_read_as_html(tmp_path: Path) -> None:
    # Government sites often serve a web page under a .doc name.
    assert read_document(_page(tmp_path, name="notice.doc")).format == "html"


def test_page_without_main_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "index.html"
    path.write_text(
        '<!DOCTYPE html><html><body><nav><a href="/">首页</a><a href="/a">通知公告</a></nav></body></html>',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"^网页里找不到正文"):
        read_document(path)


def test_tables_and_lists_without_markdown_marks(tmp_path: Path) -> None:
    intro = "".join(ARTICLE[1:3])
    path = tmp_path / "table.html"
    path.write_text(
        f"<!DOCTYPE html><html><body><article><p>{intro}</p>"
        "<table><tr><th>项目</th><th>进度</th></tr><tr><td>雄安新区</td><td>加快<b>推进</b></td></tr></table>"
        "<ul><li>疏解北京非首都功能</li><li>建设城市副中心</li></ul>"
        "<p>末段，<a href='/x'>有链接</a>。<br>换行之后。</p></article></body></html>",
        encoding="utf-8",
    )
    lines = read_document(path).text.splitlines()
    assert lines == [
        intro,
        "项目\t进度",
        "雄安新区\t加快推进",
        "疏解北京非首都功能",
        "建设城市副中心",
        "末段，有链接。",
        "换行之后。",
    ]
