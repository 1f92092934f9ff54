"""Issue 14, point by point: a hostile or unlucky input gets one line, its exit code, bounded memory, intact files."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

from conftest import CORPUS, EXAMPLES, needs_corpus
from hostile import (
    DOCX_RELS,
    DOCX_TYPES,
    docx_bytes,
    one_line,
    paragraphs_xml,
    read_only_folder,
    run_yuanwen,
    small_disk,
)
from yuanwen.extract import MAX_BYTES

SOURCE = EXAMPLES / "source.txt"
REPRINT = EXAMPLES / "reprint.txt"


# 1. Bounded reads ---------------------------------------------------------------------------


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_1_a_device_is_refused_at_once(device: str) -> None:
    line = one_line(run_yuanwen("check", device, "--source", SOURCE, timeout=20))
    assert "不是普通文件" in line and device in line


def test_1_a_fifo_with_no_writer_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert "不是普通文件" in one_line(run_yuanwen("extract", fifo, timeout=20))


def test_1_stdin_is_read_when_asked_for_and_bounded_by_the_same_cap() -> None:
    with SOURCE.open("rb") as given:
        same = run_yuanwen("check", REPRINT, "--source", "-", stdin=given.fileno())
    assert same.returncode == 1 and "共 31 处差异" in same.stdout
    with open("/dev/zero", "rb") as endless:
        line = one_line(run_yuanwen("extract", "-", stdin=endless.fileno(), timeout=30))
    assert "文件过大" in line and f"{MAX_BYTES // 1024**2} MB" in line


def test_1_a_pipe_beyond_the_cap_is_refused_without_being_read_whole(tmp_path: Path) -> None:
    feeder = subprocess.Popen(["head", "-c", str(3 * MAX_BYTES), "/dev/zero"], stdout=subprocess.PIPE)
    assert feeder.stdout is not None
    line = one_line(run_yuanwen("extract", "-", stdin=feeder.stdout.fileno(), timeout=30))
    feeder.kill()
    feeder.wait()
    assert "文件过大" in line


# 2. Zip bombs -------------------------------------------------------------------------------


def _bomb(member: str, megabytes: int, lie: bool = False) -> bytes:
    """A .docx whose member inflates to `megabytes` of paragraphs (declaring 1 KB when `lie`)."""
    paragraph = "<w:p><w:r><w:t>指导组督导组</w:t></w:r></w:p>".encode()
    payload = paragraph * (megabytes * 1024**2 // len(paragraph))
    parts = {"word/document.xml": paragraphs_xml(["正文"]), "[Content_Types].xml": None}
    parts[member] = payload
    data = bytearray(docx_bytes(parts["word/document.xml"] or b"", parts["[Content_Types].xml"]))
    if lie:
        with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
            declared = archive.getinfo(member).file_size.to_bytes(4, "little")
        data = data.replace(declared, (1024).to_bytes(4, "little"))  # local header and central directory
    return bytes(data)


@pytest.mark.parametrize("member", ["word/document.xml", "[Content_Types].xml"])
def test_2_a_docx_bomb_is_refused_in_bounded_memory(tmp_path: Path, member: str) -> None:
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(_bomb(member, 300))
    assert bomb.stat().st_size < 2 * 1024**2
    started = time.monotonic()
    assert "压缩炸弹" in one_line(run_yuanwen("extract", bomb))
    assert time.monotonic() - started < 20


def test_2_a_bomb_that_lies_about_its_size_is_read_no_further_than_it_claims(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(_bomb("word/document.xml", 300, lie=True))
    assert "已损坏" in one_line(run_yuanwen("extract", bomb))


def test_2_markup_that_compresses_little_is_capped_too(tmp_path: Path) -> None:
    """Random text compresses twice, not a hundred times, yet 21 MB of XML is a tree of some 400 MB."""
    text = os.urandom(21 * 1024**2 // 2).hex()
    document = tmp_path / "big.docx"
    document.write_bytes(docx_bytes(paragraphs_xml([text])))
    assert "XML 超过 20 MB" in one_line(run_yuanwen("extract", document))


def test_2_an_odt_bomb_is_refused_before_libreoffice_runs(tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", b"<text>" + "指导组".encode() * 20_000_000 + b"</text>")
    bomb = tmp_path / "bomb.odt"
    bomb.write_bytes(out.getvalue())
    assert "过大" in one_line(run_yuanwen("extract", bomb, timeout=30))


def test_2_a_real_docx_still_reads(tmp_path: Path) -> None:
    document = tmp_path / "ok.docx"
    document.write_bytes(docx_bytes(paragraphs_xml(["第一段原文。", "第二段原文。"])))
    result = run_yuanwen("extract", document)
    assert result.returncode == 0 and result.stdout == "第一段原文。\n第二段原文。\n"


# 3. Deeply nested HTML ----------------------------------------------------------------------


def _nested_page(depth: int) -> str:
    paragraphs = [line for line in REPRINT.read_text(encoding="utf-8").splitlines() if line.strip()]
    head = "".join(f"<p>{p}</p>" for p in paragraphs[:4])
    deep = "".join(f"<p>{p}</p>" for p in paragraphs[4:])
    return f"<html><body><article>{head}{'<div>' * depth}{deep}{'</div>' * depth}</article></body></html>"


def test_3_text_nested_past_libxml2s_default_limit_is_read_and_checked(tmp_path: Path) -> None:
    page = tmp_path / "deep.html"
    page.write_text(_nested_page(300), encoding="utf-8")
    result = run_yuanwen("check", page, "--source", SOURCE, "--format", "json")
    assert result.returncode == 1, result.stderr
    assert '"reprint_text": "督导"' in result.stdout and '"severity": "critical"' in result.stdout


def test_3_text_nested_too_deep_to_read_is_an_error_not_an_excerpt(tmp_path: Path) -> None:
    page = tmp_path / "deeper.html"
    page.write_text(_nested_page(5000), encoding="utf-8")
    assert "嵌套过深" in one_line(run_yuanwen("check", page, "--source", SOURCE))


# 4. Rules files -----------------------------------------------------------------------------

_RULE = '[[rules]]\nid = "punct.width"\n'


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("rules = 5\n", "rules 应是表的数组"),
        ("lists = 5\n", "lists 应是一个表"),
        (_RULE + "examples = [{}]\n", "第 3 行"),
        (_RULE + 'message = "{foo}"\n', "不能用 {foo}"),
        (_RULE + 'message = "{0}"\n', "不能用 {0}"),
        (_RULE + 'message = "{"\n', "花括号不成对"),
        (_RULE + 'message = "{change.__class__.__mro__}"\n', "不能用 {change.__class__.__mro__}"),
        (_RULE + 'message = "{change!r}"\n', "不能用"),
        (_RULE + "severity = 3\n", "第 3 行"),
        (_RULE + 'kinds = "omission"\n', "kinds 应是字符串的列表"),
        ('[[rules]]\nid = "a"\nkinds = ["omission"]\nseverity = "major"\nmessage = "x"\n' * 2, "第 6 行"),
        ("x = " + "[" * 100_000 + "]" * 100_000 + "\n", "嵌套过深"),
        ('[lists]\nleaders = ["张三"]\n' + "# " + "字" * 400_000 + "\n", "文件过大"),
        ("lint = 5\n", "lint 应是表的数组"),
        ('[[lint]]\nid = "x"\ncheck = "pattern"\nmessage = "{found.__class__}"\n', "不能用 {found.__class__}"),
        ('[[lint]]\nid = "x"\ntranslate = 5\n', "translate"),
        ('[[offices]]\ntitle = "总理"\nbefore = 5\n', "before 应是字符串的列表"),
    ],
    ids=lambda value: value[:24] if isinstance(value, str) else value,
)
def test_4_a_bad_rules_file_is_one_line_with_its_file_and_exit_2(tmp_path: Path, content: str, expected: str) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(content, encoding="utf-8")
    line = one_line(run_yuanwen("check", REPRINT, "--source", SOURCE, "--rules", rules))
    assert expected in line and str(rules) in line


def test_4_a_message_names_change_and_keeps_literal_braces(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(_RULE + 'message = "{{体例}}：{change}"\n', encoding="utf-8")
    result = run_yuanwen("check", REPRINT, "--source", SOURCE, "--rules", rules)
    assert result.returncode == 1 and "{体例}：“，”被改为“,”" in result.stdout


# 5. A full or closed standard output --------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [("check", REPRINT, "--source", SOURCE), ("extract", SOURCE), ("check", REPRINT, "-s", SOURCE, "-f", "html")],
    ids=["check", "extract", "html"],
)
def test_5_a_full_device_is_one_line_and_exit_2(args: tuple[object, ...]) -> None:
    with open("/dev/full", "wb") as full:
        line = one_line(run_yuanwen(*args, stdout=full.fileno()))
    assert "标准输出" in line and "磁盘已满" in line


def test_5_a_closed_pipe_is_one_line_and_exit_2() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        line = one_line(run_yuanwen("extract", SOURCE, stdout=write_end))
    finally:
        os.close(write_end)
    assert "标准输出" in line


def test_5_library_list_and_show_to_a_full_device(tmp_path: Path) -> None:
    library = tmp_path / "lib.sqlite3"
    assert run_yuanwen("library", "--library", library, "add", SOURCE).returncode == 0
    with open("/dev/full", "wb") as full:
        one_line(run_yuanwen("library", "--library", library, "list", stdout=full.fileno()))
        text_id = run_yuanwen("library", "--library", library, "list").stdout.splitlines()[1].split()[0]
        one_line(run_yuanwen("library", "--library", library, "show", text_id, stdout=full.fileno()))


# 6. -o atomic on a full disk ----------------------------------------------------------------


def test_6_a_report_that_does_not_fit_leaves_the_old_one_intact(tmp_path: Path) -> None:
    with small_disk(tmp_path, 64) as disk:
        report = disk.folder / "report.html"
        old = b"<p>the previous report</p>" * 1000  # 27 KB: with the new one's 43 KB, more than the disk holds
        report.write_bytes(old)
        args = ("check", REPRINT, "--source", SOURCE, "--format", "html", "-o", report)
        line = one_line(run_yuanwen(*args, preexec=disk.preexec))
        assert str(report) in line and ("磁盘已满" in line or "文件超过" in line)
        assert report.read_bytes() == old
        assert sorted(p.name for p in disk.folder.iterdir()) == ["report.html"]


def test_6_fix_onto_the_reprint_itself_on_a_full_disk_keeps_it(tmp_path: Path) -> None:
    with small_disk(tmp_path, 16) as disk:
        reprint = disk.folder / "reprint.txt"
        reprint.write_bytes(REPRINT.read_bytes())
        filler = disk.folder / "filler"
        with filler.open("wb") as out, pytest.raises(OSError):  # the disk now has no room for a second copy
            out.write(b"x" * 64 * 1024)
        one_line(run_yuanwen("fix", reprint, "--source", SOURCE, "-o", reprint, preexec=disk.preexec))
        assert reprint.read_bytes() == REPRINT.read_bytes()


# 7. A full disk during an import ------------------------------------------------------------


def test_7_a_full_disk_is_named_and_what_was_committed_is_said_and_kept(tmp_path: Path) -> None:
    texts = tmp_path / "texts"
    texts.mkdir()
    source = SOURCE.read_text(encoding="utf-8")
    for number in range(1200):  # distinct short texts: several batches of 256
        at = number % 40 * 50
        (texts / f"{number:04}.txt").write_text(f"第{number}篇。{source[at : at + 400]}", encoding="utf-8")
    with small_disk(tmp_path, 1536) as disk:
        library = disk.folder / "lib.sqlite3"
        result = run_yuanwen("library", "--library", library, "import", texts, preexec=disk.preexec, timeout=120)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        *progress, line = result.stderr.strip().splitlines()
        assert "磁盘已满" in line or "文件超过" in line
        assert "yuanwen：已处理 256 个文件，已导入 256 篇，已提交" in progress
        committed = int(line.split("已导入 ")[1].split(" 篇，已提交")[0])
        assert 0 < committed < 1200
        disk.grow()
        with sqlite3.connect(library) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert db.execute("SELECT count(*) FROM texts").fetchone()[0] == committed


def test_7_an_import_without_a_terminal_says_each_committed_batch(tmp_path: Path) -> None:
    texts = tmp_path / "texts"
    texts.mkdir()
    for number in range(300):
        (texts / f"{number:03}.txt").write_text(f"第{number}篇原文，内容各不相同。", encoding="utf-8")
    result = run_yuanwen("library", "--library", tmp_path / "lib.sqlite3", "import", texts)
    assert result.returncode == 0
    assert "已处理 256 个文件，已导入 256 篇，已提交" in result.stderr
    assert result.stdout.startswith("已导入 300 篇，已提交")


# 8. A library the user may only read --------------------------------------------------------


def test_8_a_read_only_library_can_be_listed_searched_shown_and_checked_against(tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    reference.mkdir()
    library = reference / "lib.sqlite3"
    assert run_yuanwen("library", "--library", library, "add", SOURCE).returncode == 0
    with read_only_folder(reference):
        listed = run_yuanwen("library", "--library", library, "list")
        assert listed.returncode == 0, listed.stderr
        text_id = listed.stdout.splitlines()[1].split()[0]
        assert run_yuanwen("library", "--library", library, "search", "督导组").returncode == 0
        assert run_yuanwen("library", "--library", library, "show", text_id).returncode == 0
        checked = run_yuanwen("check", REPRINT, "--library", library)
        assert checked.returncode == 1 and "共 31 处差异" in checked.stdout
        assert "无法" in one_line(run_yuanwen("library", "--library", library, "remove", text_id))
    assert sorted(p.name for p in reference.iterdir()) == ["lib.sqlite3"]


# 9. Slow paths ------------------------------------------------------------------------------


def test_9_a_30000_character_title_lists_at_once(tmp_path: Path) -> None:
    library = tmp_path / "lib.sqlite3"
    assert run_yuanwen("library", "--library", library, "add", SOURCE, "--title", "标题" * 15_000).returncode == 0
    started = time.monotonic()
    listed = run_yuanwen("library", "--library", library, "list")
    assert listed.returncode == 0 and time.monotonic() - started < 5
    assert listed.stdout.splitlines()[1].split()[3].endswith("…")


# 11. Small ones -----------------------------------------------------------------------------


def test_11_an_empty_file_is_never_made_a_library(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite3"
    empty.write_bytes(b"")
    for args in (("list",), ("search", "督导组"), ("remove", "abc")):
        assert "不是 yuanwen 资料库" in one_line(run_yuanwen("library", "--library", empty, *args))
    assert "不是 yuanwen 资料库" in one_line(run_yuanwen("check", REPRINT, "--library", empty))
    assert empty.stat().st_size == 0


def test_11_control_characters_anywhere_in_a_text_are_refused(tmp_path: Path) -> None:
    text = tmp_path / "late.txt"
    text.write_bytes(SOURCE.read_bytes() * 30 + b"\x1b[2J\x07" + SOURCE.read_bytes())  # past 65,536 characters
    assert "控制字符" in one_line(run_yuanwen("check", text, "--source", SOURCE))


@pytest.mark.parametrize(("encoding", "named"), [("big5", "Big5"), ("utf-16-le", "UTF-16")])
def test_11_an_unsupported_encoding_is_named(tmp_path: Path, encoding: str, named: str) -> None:
    text = tmp_path / "reprint.txt"
    text.write_bytes(REPRINT.read_text(encoding="utf-8").encode(encoding, errors="replace"))
    assert named in one_line(run_yuanwen("check", text, "--source", SOURCE))


@needs_corpus
def test_11_an_import_into_a_damaged_library_is_refused(tmp_path: Path) -> None:
    library = tmp_path / "lib.sqlite3"
    assert run_yuanwen("library", "--library", library, "import", CORPUS).returncode == 0
    pages = library.stat().st_size // 4096
    with library.open("r+b") as damaged:  # ten pages in the middle overwritten, as a bad disk block would
        damaged.seek(pages // 3 * 4096)
        damaged.write(bytes(range(256)) * 16 * 10)
    line = one_line(run_yuanwen("library", "--library", library, "import", SOURCE))
    assert "已损坏" in line


# Found by the fuzz tests (fuzz_inputs.py), kept as cases -------------------------------------


def test_fuzz_found_a_docx_part_in_another_namespace_is_a_damaged_file(tmp_path: Path) -> None:
    document = tmp_path / "odd.docx"
    types = DOCX_TYPES.replace("http://schemas", "ttp://schemas").encode()
    document.write_bytes(docx_bytes(paragraphs_xml(["正文。"]), types))
    assert "已损坏" in one_line(run_yuanwen("extract", document))


def test_fuzz_found_a_corrupt_deflate_stream_is_a_damaged_file(tmp_path: Path) -> None:
    data = bytearray(docx_bytes(paragraphs_xml(["第一段原文。" * 200])))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        member = archive.getinfo("word/document.xml")
    start = member.header_offset + 30 + len(member.filename)  # the member's deflate stream
    data[start : start + 8] = b"\xff" * 8
    document = tmp_path / "broken.docx"
    document.write_bytes(bytes(data))
    assert "已损坏" in one_line(run_yuanwen("extract", document))


def test_fuzz_found_an_id_with_a_line_break_is_refused_on_one_line(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('[[lint]]\nid = "a\\nb"\n', encoding="utf-8")
    assert "不含空白" in one_line(run_yuanwen("check", REPRINT, "--source", SOURCE, "--rules", rules))


def test_fuzz_found_a_relationship_without_its_target_is_a_damaged_file(tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", DOCX_TYPES)
        archive.writestr("_rels/.rels", DOCX_RELS.replace(' Target="word/document.xml"', ""))
        archive.writestr("word/document.xml", paragraphs_xml(["正文。"]))
    document = tmp_path / "odd.docx"
    document.write_bytes(out.getvalue())
    assert "已损坏" in one_line(run_yuanwen("extract", document))
