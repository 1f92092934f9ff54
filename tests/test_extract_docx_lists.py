"""Word's automatic numbering: a list paragraph reads with its number, as Word and LibreOffice show it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from conftest import CORPUS_FILES, needs_corpus
from extract_builders import content
from office_builders import (
    CHINESE_HEADINGS,
    Item,
    headings_as_lists,
    numbered_docx,
    numbering_level,
    soffice_convert,
)
from yuanwen.check import check
from yuanwen.docxbody import format_number
from yuanwen.extract import read_document
from yuanwen.fix import RESTORED_KINDS, corrected
from yuanwen.model import Document

# What LibreOffice 7's .txt export writes for these numbers in these formats.
WRITTEN = [
    ("chineseCounting", 1, "一"),
    ("chineseCounting", 10, "十"),
    ("chineseCounting", 11, "十一"),
    ("chineseCounting", 20, "二十"),
    ("chineseCounting", 99, "九十九"),
    ("chineseCounting", 110, "一百一十"),
    ("chineseCounting", 1001, "一千零一"),
    ("chineseCounting", 1010, "一千零一十"),
    ("chineseCounting", 10001, "一万零一"),
    ("chineseCountingThousand", 21, "二十一"),
    ("chineseLegalSimplified", 10, "壹拾"),
    ("chineseLegalSimplified", 1010, "壹仟零壹拾"),
    ("ideographTraditional", 4, "丁"),
    ("ideographTraditional", 11, "11"),
    ("ideographZodiac", 12, "亥"),
    ("decimalEnclosedCircle", 3, "③"),
    ("decimalEnclosedCircleChinese", 21, "㉑"),
    ("decimalFullWidth", 7, "7"),
    ("decimalZero", 7, "07"),
    ("upperRoman", 14, "XIV"),
    ("lowerLetter", 28, "bb"),
    ("none", 3, ""),
]

TEXT = """关于做好当前工作的通知
各有关单位：
现就做好当前工作通知如下。
学习贯彻党的二十大精神
深入学习领会党的二十大报告，把思想和行动统一到党中央决策部署上来。
全面准确领会精神实质
坚持读原著、学原文、悟原理，做到学思用贯通、知信行统一。
推动学习往深里走
各级党组织要制定学习计划，确保学习全覆盖。
扎实推进各项重点任务
着力推动高质量发展
坚持稳中求进工作总基调，完整、准确、全面贯彻新发展理念。
切实保障和改善民生
办好民生实事，兜牢民生底线。
加强组织领导
各单位主要负责同志要亲自抓、负总责。
"""
# Which paragraphs of TEXT are list items, and at which level: 一、 headings and （一） below them.
LEVELS = {3: 0, 5: 1, 7: 1, 9: 0, 10: 1, 12: 1, 14: 0}
NUMBERED = """关于做好当前工作的通知
各有关单位：
现就做好当前工作通知如下。
一、学习贯彻党的二十大精神
深入学习领会党的二十大报告，把思想和行动统一到党中央决策部署上来。
（一）全面准确领会精神实质
坚持读原著、学原文、悟原理，做到学思用贯通、知信行统一。
（二）推动学习往深里走
各级党组织要制定学习计划，确保学习全覆盖。
二、扎实推进各项重点任务
（一）着力推动高质量发展
坚持稳中求进工作总基调，完整、准确、全面贯彻新发展理念。
（二）切实保障和改善民生
办好民生实事，兜牢民生底线。
三、加强组织领导
各单位主要负责同志要亲自抓、负总责。
"""


def _items(text: str) -> list[Item]:
    return [Item(line, 1, LEVELS[i]) if i in LEVELS else Item(line) for i, line in enumerate(text.splitlines())]


@pytest.mark.parametrize(("number_format", "value", "written"), WRITTEN)
def test_numbers_are_written_as_libreoffice_writes_them(number_format: str, value: int, written: str) -> None:
    assert format_number(value, number_format) == written


def test_headings_numbered_by_word_read_with_their_numbers(tmp_path: Path) -> None:
    document = read_document(numbered_docx(tmp_path / "notice.docx", CHINESE_HEADINGS, _items(TEXT)))
    assert content(document.text) == content(NUMBERED)
    assert document.text.splitlines()[3] == "一、\t学习贯彻党的二十大精神"


def test_a_numbered_docx_against_its_text_has_nothing_above_minor(tmp_path: Path) -> None:
    """Before: a major clause.omission (句中删去了“一、”) for every heading."""
    reprint = read_document(numbered_docx(tmp_path / "notice.docx", CHINESE_HEADINGS, _items(TEXT)))
    report = check(reprint, Document("notice.txt", "txt", NUMBERED))
    assert [f for f in report.findings if f.severity in ("critical", "major")] == []


def test_a_changed_word_in_a_numbered_heading_is_found_and_fixed_in_its_run(tmp_path: Path) -> None:
    changed = TEXT.replace("加强组织领导", "加强组织保障")
    reprint = read_document(numbered_docx(tmp_path / "notice.docx", CHINESE_HEADINGS, _items(changed)))
    report = check(reprint, Document("notice.txt", "txt", NUMBERED))
    [finding] = [f for f in report.findings if f.severity != "info"]
    assert (finding.source_text, finding.reprint_text) == ("领导", "保障")
    assert reprint.text[finding.reprint_span.start : finding.reprint_span.end] == "保障"
    fixed = corrected(report, RESTORED_KINDS)
    assert isinstance(fixed, bytes)
    assert content(read_document_bytes(fixed, tmp_path)) == content(NUMBERED)


def read_document_bytes(data: bytes, folder: Path) -> str:
    path = folder / "fixed.docx"
    path.write_bytes(data)
    return read_document(path).text


LISTS = {
    1: [
        numbering_level(0, "chineseCounting", "%1、"),
        numbering_level(1, "chineseCounting", "（%2）"),
        numbering_level(2, "decimal", "%3."),
        numbering_level(3, "decimalEnclosedCircle", "%4"),
    ],
    2: [numbering_level(0, "decimal", "第%1条", start=5), numbering_level(1, "ideographTraditional", "%2、")],
    3: [numbering_level(0, "chineseLegalSimplified", "%1.", start=9), numbering_level(1, "decimal", "%1.%2")],
}
PARAGRAPHS = [
    Item("总体要求", 1, 0),
    Item("指导思想", 1, 1),
    Item("坚持党的领导", 1, 2),
    Item("坚持人民至上", 1, 2),
    Item("一是", 1, 3),
    Item("二是", 1, 3),
    Item("主要目标", 1, 1),
    Item("坚持问题导向", 1, 2),
    Item("重点任务", 1, 0),
    Item("正文段落，不在列表中。"),
    Item("条文", 2, 0),
    Item("甲项", 2, 1),
    Item("条文", 2, 0),
    Item("重新开始的甲项", 2, 1),
    Item("再起一个列表", 4, 0),
    Item("样式带出的编号", None, None, "ListHead"),
    Item("样式带出的编号", None, None, "ListHead"),
    Item("玖之后", 3, 0),
    Item("二级", 3, 1),
    Item("不编号", 0, 0),
]


def test_lists_read_as_libreoffice_writes_them(tmp_path: Path) -> None:
    """Levels, restarts, lvlRestart 0, w:start, startOverride, a style's list: each line as soffice --convert-to txt."""
    made = numbered_docx(tmp_path / "lists.docx", LISTS, PARAGRAPHS, {4: (1, {0: 7})}, {"ListHead": 2})
    [txt] = soffice_convert([made], "txt:Text (encoded):UTF8", tmp_path)
    reference = [content(line) for line in txt.read_text(encoding="utf-8-sig").splitlines() if line.strip()]
    ours = [content(line) for line in read_document(made).text.splitlines()]
    assert ours == reference
    assert ours[:4] == ["一、总体要求", "（一）指导思想", "1.坚持党的领导", "2.坚持人民至上"]
    assert ours[6:9] == ["（二）主要目标", "1.坚持问题导向", "二、重点任务"]


def test_a_level_that_never_restarts_counts_on(tmp_path: Path) -> None:
    """w:lvlRestart 0 (ECMA-376 17.9.10): Word counts on under a new item above; LibreOffice 7.4 restarts."""
    lists = {
        1: [numbering_level(0, "decimal", "第%1条"), numbering_level(1, "ideographTraditional", "%2、", restart=0)]
    }
    items = [Item("条文", 1, 0), Item("甲项", 1, 1), Item("条文", 1, 0), Item("乙项", 1, 1)]
    lines = read_document(numbered_docx(tmp_path / "restart.docx", lists, items)).text.splitlines()
    assert [content(line) for line in lines] == ["第1条条文", "甲、甲项", "第2条条文", "乙、乙项"]


@needs_corpus
def test_corpus_texts_with_word_numbered_headings_have_nothing_above_minor(tmp_path: Path) -> None:
    tried = 0
    for path in CORPUS_FILES[::6]:
        text = path.read_text(encoding="utf-8")
        made = headings_as_lists(text)
        if made is None or sum(item.num is not None for item in made[1]) < 6:
            continue
        tried += 1
        reprint = read_document(numbered_docx(tmp_path / f"{path.stem}.docx", *made))
        report = check(reprint, Document(path.name, "txt", text))
        assert [(f.rule, f.reprint_text) for f in report.findings if f.severity in ("critical", "major")] == [], path
    assert tried >= 3


def test_a_docx_without_lists_reads_as_before(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("一、已经写在文字里的编号")
    buffer = io.BytesIO()
    document.save(buffer)
    path = tmp_path / "plain.docx"
    path.write_bytes(buffer.getvalue())
    assert read_document(path).text == "一、已经写在文字里的编号\n"


def test_a_hostile_list_definition_cannot_blow_the_text_up(tmp_path: Path) -> None:
    """A level text of 10,000 marks and a start of 10**12 in letters would make each label megabytes."""
    lists = {1: [numbering_level(0, "upperLetter", "%1" * 5000, start=10**12)]}
    lines = read_document(numbered_docx(tmp_path / "hostile.docx", lists, [Item("正文", 1, 0)] * 3)).text.splitlines()
    # The level text cut at Word's 255 characters (127 numbers and a %), each number in digits.
    assert [len(line) for line in lines] == [13 * 127 + len("%\t正文")] * 3
    assert lines[2].startswith("1000000000002")
