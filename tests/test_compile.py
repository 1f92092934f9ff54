"""`yuanwen compile`: a booklet built from its sources, cut as the file says, proved by reading it back."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from conftest import CORPUS, EXAMPLES, needs_corpus, run_cli
from hostile import one_line, run_yuanwen
from yuanwen import compile as compile_face
from yuanwen.booklet import BookletError, ItemSpec, Paragraphs, Words, excerpt, load_booklet
from yuanwen.extract import read_bytes
from yuanwen.typeset import Issue

BOOKLET = EXAMPLES / "booklet.toml"
SOURCE = EXAMPLES / "source.txt"
MASTHEAD = '[masthead]\nname = "学习资料"\nissuer = "某某学院宣传部编印"\nnumber = "第1期"\ndate = "2024年1月"\n'
# Three paragraphs of reported speech under a one-line title, one line a paragraph as the library keeps texts.
TEXT = (
    "关于加强学习的通知\n"
    "习近平强调，要坚定信心，保持定力，统筹发展和安全。各级党组织要认真学习。\n"
    "习近平指出，要牢牢牵住疏解北京非首都功能这个“牛鼻子”。要继续完善疏解激励约束政策体系。\n"
    "习近平强调，深入开展主题教育是今年党建工作的重中之重。\n"
)


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example booklet compiled by the command line, in a folder of its own."""
    folder = tmp_path_factory.mktemp("compiled")
    result = run_cli("compile", BOOKLET, "-o", folder / "booklet.docx")
    assert result.exit_code == 0, result.output
    assert "核对通过" in result.output
    return folder


@pytest.fixture(scope="module")
def with_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example booklet compiled with its PDF, and the PDF's pages as images (pdftoppm, 100 dpi)."""
    if not (shutil.which("soffice") and shutil.which("pdftoppm")):
        pytest.skip("LibreOffice (soffice) and pdftoppm (poppler-utils) are needed for the PDF")
    folder = tmp_path_factory.mktemp("with-pdf")
    result = run_cli("compile", BOOKLET, "-o", folder / "booklet.docx", "--pdf")
    assert result.exit_code == 0, result.output
    subprocess.run(["pdftoppm", "-r", "100", "-png", folder / "booklet.pdf", folder / "page"], check=True)
    return folder


def _item(keep: tuple[Words | Paragraphs, ...], head: int = 1) -> ItemSpec:
    return ItemSpec(None, None, None, head, keep, None, None, "编印文件 b.toml：第 1 篇", "编印文件 b.toml：第 5 行")


def test_the_example_booklet_is_cut_as_the_college_cut_it(compiled: Path) -> None:
    text = read_bytes((compiled / "booklet.docx").read_bytes(), "booklet.docx").text
    assert text.startswith(
        "政治学习资料\n2023年第22期\n河北轨道运输职业技术学院宣传统战部编印\t2023年5月\n目\u3000录\n"
    )
    assert "编者按：本期刊发" in text and "编者按：京津冀协同发展" in text
    # The dateline and the visits are cut; the cut inside a paragraph is marked.
    assert "新华社石家庄" not in text and "沧州" not in text
    assert "\n……中共中央总书记、国家主席、中央军委主席习近平近日在河北考察" in text
    assert "\n……他对党的十九大以来河北经济社会发展" in text
    assert "要继续完善疏解激励约束政策体系" in text and "主题教育中央第二指导组" in text
    assert "核\u3000对\u3000单" in text


def test_the_checklist_names_the_source_its_cuts_and_the_verdict(compiled: Path) -> None:
    checklist = json.loads((compiled / "booklet.checklist.json").read_text(encoding="utf-8"))
    assert checklist["schema"] == "yuanwen.checklist/1" and checklist["passed"]
    [item] = checklist["items"]
    assert item["content_hash"].startswith("sha256:2521eaff") and item["date"] == "2023-05-12"
    assert [(c["paragraphs"], c["chars"]) for c in item["cuts"]] == [([5, 5], 12), ([6, 13], 1153)]
    assert [c["text"] for c in item["cuts"]] == ["新华社石家庄5月12日电", "中共中央政治局常委、……近平发表了重要讲话。"]
    assert checklist["outputs"] == [
        {"format": "docx", "passed": True, "summary": {"critical": 0, "major": 0, "minor": 0, "info": 6}, "missing": []}
    ]


def test_a_later_check_of_the_booklet_reproduces_the_verdict(compiled: Path, tmp_path: Path) -> None:
    library = tmp_path / "library.sqlite3"
    assert run_cli("library", "--library", library, "add", SOURCE).exit_code == 0
    report = json.loads(run_cli("check", compiled / "booklet.docx", "--library", library, "-f", "json").stdout)
    assert [s["id"] for s in report["sources"]] == ["2521eaff"]
    assert report["summary"] == {"critical": 0, "major": 0, "minor": 0, "info": 6}


def test_one_word_of_a_speech_changed_in_the_booklet_is_one_critical(compiled: Path, tmp_path: Path) -> None:
    edited = tmp_path / "edited.docx"
    edited.write_bytes(_replaced(compiled / "booklet.docx", "要继续完善疏解", "要进一步完善疏解"))
    result = run_cli("check", edited, "--source", SOURCE, "-f", "json")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)["findings"]
    assert [(f["severity"], f["source_text"], f["reprint_text"]) for f in findings if f["severity"] != "info"] == [
        ("critical", "继续", "进一步")
    ]


def _replaced(docx: Path, old: str, new: str) -> bytes:
    """A .docx with a wording replaced in its body, as an editor's hand edit would."""
    out = io.BytesIO()
    with zipfile.ZipFile(docx) as given, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as changed:
        for info in given.infolist():
            data = given.read(info)
            if info.filename == "word/document.xml":
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode())
            changed.writestr(info, data)
    return out.getvalue()


def test_a_booklet_that_does_not_read_back_as_its_source_is_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The proof can fail: a typesetter that changed one word gives exit 1, the report, and no file."""
    typeset = compile_face.typeset

    def careless(issue: Issue) -> bytes:
        changed = [replace(a, body=tuple(p.replace("指导组", "督导组") for p in a.body)) for a in issue.articles]
        return typeset(replace(issue, articles=tuple(changed)))

    monkeypatch.setattr(compile_face, "typeset", careless)
    result = run_cli("compile", BOOKLET, "-o", tmp_path / "booklet.docx")
    assert result.exit_code == 1
    assert "第二【督导】组" in result.output and "严重 1，" in result.output
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("[masthead\n", "第 1 行第 10 列，TOML 格式有误"),
        (MASTHEAD + '[[items]]\nid = "deadbeef"\n', "第 6 行，第 1 篇：资料库中没有 id 为 deadbeef 的原文"),
        (MASTHEAD + '[[items]]\nfile = "s.txt"\nkeep = [{ from = "坚定信心", to = "不在原文中" }]\n', "第 8 行"),
        (MASTHEAD + '[[items]]\nfile = "s.txt"\nkeep = ["2-9"]\n', "原文只有 4 段，没有第 9 段"),
        (MASTHEAD + '[[items]]\nfile = "s.txt"\nfont = "黑体"\n', "第 6 行，第 1 篇 有未知的键：font"),
        (MASTHEAD + '[[items]]\nfile = "s.txt"\nid = "deadbeef"\n', "id、title、file 须给出且只给出一个"),
        (MASTHEAD + '[[items]]\nfile = "s.txt"\nhead = -1\n', "第 8 行，第 1 篇的 head"),
        (MASTHEAD + '[[items]]\nfile = "s.txt"\nhead = 4\n', "第 6 行，第 1 篇：原文只有 4 段，不能都算作标题"),
        (MASTHEAD.replace('date = "2024年1月"\n', "") + '[[items]]\nfile = "s.txt"\n', "第 1 行，masthead"),
        (MASTHEAD, "须有至少一篇 [[items]]"),
        (MASTHEAD + '[[items]]\nfile = "nope.txt"\n', "第 6 行，第 1 篇：找不到文件"),
    ],
)
def test_a_bad_booklet_is_one_line_with_its_file_and_line_and_exit_2(
    tmp_path: Path, content: str, expected: str
) -> None:
    (tmp_path / "s.txt").write_text(TEXT, encoding="utf-8")
    booklet = tmp_path / "b.toml"
    booklet.write_text(content, encoding="utf-8")
    library = tmp_path / "library.sqlite3"
    assert run_cli("library", "--library", library, "add", tmp_path / "s.txt").exit_code == 0
    line = one_line(run_yuanwen("compile", booklet, "--library", library, "-o", tmp_path / "out.docx"))
    assert "编印文件" in line and str(booklet) in line and expected in line, line
    assert not (tmp_path / "out.docx").exists()


def test_paragraph_ranges_keep_whole_paragraphs_and_leave_the_title_alone() -> None:
    cut = excerpt(TEXT, _item((Paragraphs(2, 2), Paragraphs(4, None))), "……")
    assert cut.head == ("关于加强学习的通知",)
    assert cut.body == (TEXT.splitlines()[1], TEXT.splitlines()[3])
    assert [(c.first, c.last, c.chars) for c in cut.cuts] == [(3, 3, 44)]


def test_words_cut_inside_paragraphs_are_marked_and_two_stretches_of_one_are_joined_by_the_mark() -> None:
    keep = (Words("习近平强调", "定力，"), Words("各级党组织", "牛鼻子”。"))
    cut = excerpt(TEXT, _item(keep), "（略）")
    assert cut.body == (
        "习近平强调，要坚定信心，保持定力，（略）各级党组织要认真学习。",
        "习近平指出，要牢牢牵住疏解北京非首都功能这个“牛鼻子”。（略）",
    )
    assert [c.paragraphs for c in cut.cuts] == ["第 2 段", "第 3–4 段"]
    assert excerpt(TEXT, _item((Words("习近平强调，要坚定", "学习。"),)), "").body == (TEXT.splitlines()[1],)


def test_words_are_found_across_hard_wraps_and_in_order() -> None:
    source = SOURCE.read_text(encoding="utf-8")
    cut = excerpt(source, _item((Words("中共中央政治局常委、国务院总理李强", "出席座谈会。"),), head=4), "……")
    assert cut.body == ("中共中央政治局常委、国务院总理李强，中共中央政治局常委、国务院副总理丁薛祥出席座谈会。……",)
    with pytest.raises(BookletError, match=r"第 5 行.*找不到“示范区”"):
        excerpt(source, _item((Words("参加座谈会", "。"), Words("示范区", "。"))), "……")


def test_the_example_booklet_file_loads_with_its_fonts_falling_back_to_noto() -> None:
    booklet = load_booklet(BOOKLET, BOOKLET.read_bytes())
    assert booklet.masthead.name == "政治学习资料" and booklet.style.body_font == "Noto Serif CJK SC"
    assert [item.file for item in booklet.items] == [SOURCE] and booklet.items[0].head == 4


def test_the_pdf_is_proved_too_and_its_pages_show_masthead_contents_page_numbers_and_texts(with_pdf: Path) -> None:
    """The PDF's pages looked at as images: the red masthead, and what OCR reads on them."""
    from PIL import Image

    checklist = json.loads((with_pdf / "booklet.checklist.json").read_text(encoding="utf-8"))
    assert [(o["format"], o["passed"]) for o in checklist["outputs"]] == [("docx", True), ("pdf", True)]
    pages = [Image.open(path).convert("RGB") for path in sorted(with_pdf.glob("page-*.png"))]
    assert len(pages) >= 4
    assert [_red_share(page) > 0.01 for page in pages] == [True] + [False] * (len(pages) - 1)

    # Bands of pages, read by OCR in one image (each call costs seconds): page 1's masthead and
    # contents, page 2's head and its foot, the last page's head.
    bands = [(pages[0], 0, 0.5), (pages[1], 0, 0.5), (pages[1], 0.8, 1), (pages[-1], 0, 0.2)]
    masthead, head, foot, checklist_page = _read_bands(bands)
    assert "政治学习资料" in masthead and "目录" in masthead
    assert any("习近平在河北考察" in text and text.endswith("2") for text in masthead)  # its contents line
    assert head[0] == "政治学习资料"  # the running head
    assert any("习近平在河北考察" in text for text in head) and any("中共中央总书记" in text for text in head)
    assert foot[-1].strip("—-一") == "2"  # the page number
    assert "核对单" in checklist_page


def _read_bands(bands: list[tuple[Any, float, float]]) -> list[list[str]]:
    """What OCR reads in each band (top and bottom as shares of its page's height), spaces dropped."""
    from PIL import Image

    from yuanwen.extract.ocr import read_page

    crops = [
        page.crop((0, round(top * page.height), page.width, round(bottom * page.height))) for page, top, bottom in bands
    ]
    gap = 40
    sheet = Image.new("RGB", (max(c.width for c in crops), sum(c.height + gap for c in crops)), "white")
    tops = []
    y = 0
    for crop in crops:
        sheet.paste(crop, (0, y))
        tops.append(y)
        y += crop.height + gap
    read: list[list[str]] = [[] for _ in crops]
    for line in read_page(sheet).lines:
        band = max(i for i, top in enumerate(tops) if top <= line.box[1] + gap // 2)
        read[band].append("".join(line.text.split()))
    return read


def _red_share(page: Any) -> float:
    """The share of the top third of a page that is printed red."""
    import numpy as np

    top = np.asarray(page.crop((0, 0, page.width, page.height // 3))).astype(int)
    red = (top[..., 0] > 150) & (top[..., 1] < 90) & (top[..., 2] < 90)
    return float(red.mean())


def test_the_compiled_docx_and_pdf_checked_against_the_library_find_their_source_and_nothing_above_info(
    with_pdf: Path, tmp_path: Path
) -> None:
    library = tmp_path / "library.sqlite3"
    assert run_cli("library", "--library", library, "add", SOURCE).exit_code == 0
    for name in ("booklet.docx", "booklet.pdf"):
        result = run_cli("check", with_pdf / name, "--library", library, "--fail-on", "minor", "-f", "json")
        assert result.exit_code == 0, result.output
        report = json.loads(result.stdout)
        assert [s["id"] for s in report["sources"]] == ["2521eaff"]
        assert {f["severity"] for f in report["findings"]} == {"info"}


@needs_corpus
def test_a_three_item_issue_from_the_corpus_library_and_a_file(tmp_path: Path) -> None:
    """Two texts of the library (by id, by title) and a file, each cut; the issue proved and reproduced by check."""
    library = tmp_path / "library.sqlite3"
    added = [
        run_cli("library", "--library", library, "add", CORPUS / name, "--date", day).output.split("：")[-1].strip()
        for name, day in (("0005.txt", "1975-01-13"), ("0042.txt", "2026-01-26"))
    ]
    booklet = tmp_path / "issue.toml"
    booklet.write_text(
        'note = "本期选编三篇政府工作报告，供理论学习中心组学习。"\n'
        + MASTHEAD
        + f'[[items]]\nid = "{added[0]}"\nhead = 3\nkeep = ["4-8"]\n'
        + '[[items]]\ntitle = "2026年河北省政府工作报告"\nhead = 3\nnote = "河北省政府工作报告摘编。"\n'
        + 'keep = [{ from = "各位代表", to = "提出意见。" }, "7-9"]\n'
        + f'[[items]]\nfile = "{CORPUS / "0003.txt"}"\nhead = 3\n'
        + 'keep = ["4-6", { from = "人民公社是我国", to = "。" }]\n',
        encoding="utf-8",
    )
    result = run_cli("compile", booklet, "--library", library, "-o", tmp_path / "issue.docx")
    assert result.exit_code == 0, result.output
    checklist = json.loads((tmp_path / "issue.checklist.json").read_text(encoding="utf-8"))
    items = checklist["items"]
    assert [(i["library_id"], i["date"]) for i in items] == [
        (added[0], "1975-01-13"),
        (added[1], "2026-01-26"),
        (None, None),
    ]
    assert [i["title"] for i in items] == ["1975年国务院政府工作报告", "2026年河北省政府工作报告", "1960年政府工作报告"]
    assert all(i["cuts"] for i in items)
    report = json.loads(run_cli("check", tmp_path / "issue.docx", "--library", library, "-f", "json").stdout)
    assert [s["id"] for s in report["sources"]] == added
    assert {f["severity"] for f in report["findings"]} == {"info"}
