"""The command line: exit codes, encodings, and one clear line for every kind of bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, run_cli, run_json
from yuanwen import extract
from yuanwen.cli import cli

SOURCE = EXAMPLES / "source.txt"
REPRINT = EXAMPLES / "reprint.txt"


def test_exit_code_follows_fail_on() -> None:
    assert run_cli("check", REPRINT, "--source", SOURCE).exit_code == 1
    assert run_cli("check", SOURCE, "--source", SOURCE).exit_code == 0
    only_minor = run_cli("check", REPRINT, "--source", SOURCE, "--fail-on", "minor")
    assert only_minor.exit_code == 1


def test_text_report_is_in_chinese_with_lines_and_a_summary() -> None:
    output = run_cli("check", REPRINT, "--source", SOURCE).output
    assert "严重（2）" in output
    assert "第 23 行" in output and "【进一步】" in output
    assert output.rstrip().endswith("共 31 处差异：严重 2，重要 0，一般 26，提示 3。")


def test_a_text_against_itself_says_so() -> None:
    assert "转载稿与原文一致" in run_cli("check", SOURCE, "--source", SOURCE).output


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "gb18030"])
def test_every_encoding_gives_the_same_findings(tmp_path: Path, encoding: str) -> None:
    copy = tmp_path / "reprint.txt"
    copy.write_bytes(REPRINT.read_text(encoding="utf-8").encode(encoding))
    baseline = run_json("check", REPRINT, "--source", SOURCE)["findings"]
    findings = run_json("check", copy, "--source", SOURCE)["findings"]
    drop_bom = 1 if encoding != "gb18030" else 0
    assert [(f["rule"], f["reprint_text"]) for f in findings] == [(f["rule"], f["reprint_text"]) for f in baseline]
    assert drop_bom == 0 or all(f["reprint_span"] == g["reprint_span"] for f, g in zip(findings, baseline, strict=True))


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_text(" \n\n\u3000\n", encoding="utf-8")
    binary = tmp_path / "image.txt"
    binary.write_bytes(bytes(range(256)) * 40)
    latin = tmp_path / "latin.txt"
    latin.write_bytes(b"\x80\x81\xff\xfe\xfd" * 10 + b"\xc3")
    unrelated = tmp_path / "unrelated.txt"
    park = "本市今年将新建三座公园，改造两百条背街小巷，让市民出门见绿、推窗见景。\n"
    unrelated.write_text(park * 20, encoding="utf-8")
    return {
        "missing": (tmp_path / "nope.txt", "找不到文件"),
        "directory": (tmp_path, "文件夹"),
        "empty": (empty, "文件是空的"),
        "blank": (blank, "文件是空的"),
        "binary": (binary, "不是文本文件"),
        "undecodable": (latin, "无法识别文件编码"),
        "unrelated": (unrelated, "没有足够的共同文本"),
    }


@pytest.mark.parametrize("case", ["missing", "directory", "empty", "blank", "binary", "undecodable", "unrelated"])
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, case: str) -> None:
    path, message = _bad_inputs(tmp_path)[case]
    for args in (("check", path, "--source", SOURCE), ("check", REPRINT, "--source", path)):
        result = _run_main(*args)
        assert result.returncode == 2, result
        assert result.stdout == ""
        (line,) = result.stderr.strip().split("\n")
        assert message in line and "Traceback" not in line


def test_a_huge_file_is_refused_clearly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract, "MAX_BYTES", 1000)
    result = run_cli("check", REPRINT, "--source", SOURCE)
    assert result.exit_code == 2
    assert "文件过大" in result.stderr


def test_a_100_mb_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as out:
        out.truncate(100 * 1024 * 1024)
    result = _run_main("check", huge, "--source", SOURCE)
    assert result.returncode == 2 and "文件过大" in result.stderr


def test_usage_errors_are_one_line_and_exit_2() -> None:
    result = _run_main("check", REPRINT)
    assert result.returncode == 2
    (line,) = result.stderr.strip().split("\n")
    assert "--source" in line


def test_a_bad_rules_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[[rules]]\nid = 1\n", encoding="utf-8")
    result = _run_main("check", REPRINT, "--source", SOURCE, "--rules", bad)
    assert result.returncode == 2 and str(bad) in result.stderr


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (EXAMPLES.parent / "README.md").read_text(encoding="utf-8")
    for name in cli.list_commands(None):  # type: ignore[arg-type]
        assert f"yuanwen {name}" in readme, name


def _run_main(*args: object) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from yuanwen.cli import main; main()", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
