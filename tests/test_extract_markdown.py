"""Reading Markdown: the text without headings, emphasis, links or other markup."""

from __future__ import annotations

from pathlib import Path

import pytest

from yuanwen.errors import InputError
from yuanwen.extract import read_document

SOURCE = """\
# 习近平在河北考察

## 一、**总体要求**

要*坚定信心*，保持[定力](https://www.news.cn/a.html)，增强`抓机遇`的能力。
第二行紧接着。

1. 坚持积极稳妥
2. 稳中求进

- 疏解北京非首都功能
- 高标准建设雄安新区

> 引用的一段话。

| 项目 | 进度 |
|---|---|
| 雄安新区 | 加快 |

![图片说明](photo.jpg)

<div align="center">新华社发</div>

---
"""

EXPECTED = [
    "习近平在河北考察",
    "一、总体要求",
    "要坚定信心，保持定力，增强抓机遇的能力。",
    "第二行紧接着。",
    "1.坚持积极稳妥",
    "2.稳中求进",
    "疏解北京非首都功能",
    "高标准建设雄安新区",
    "引用的一段话。",
    "项目\t进度",
    "雄安新区\t加快",
    "新华社发",
]


def test_markup_is_stripped(tmp_path: Path) -> None:
    path = tmp_path / "reprint.md"
    path.write_text(SOURCE, encoding="utf-8")
    doc = read_document(path)
    assert doc.format == "md"
    assert doc.text.splitlines() == EXPECTED


def test_same_text_named_txt_is_read_as_written(tmp_path: Path) -> None:
    path = tmp_path / "reprint.txt"
    path.write_text(SOURCE, encoding="utf-8")
    doc = read_document(path)
    assert doc.format == "txt"
    assert doc.text == SOURCE


def test_markdown_of_markup_only_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.md"
    path.write_text("---\n\n![](a.png)\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"^Markdown 文件里没有文字"):
        read_document(path)
