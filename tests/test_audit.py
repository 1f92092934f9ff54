"""`yuanwen audit` on 300 documents: the rows `yuanwen check` gives each alone, and a kill loses nothing."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from audit_archive import Archive
from conftest import run_cli
from test_render_html import _open
from yuanwen.model import SEVERITIES

OUTPUTS = ("summary.csv", "summary.jsonl", "findings.jsonl", "index.html")
# Documents the killed audit must have committed before the kill: well into the run, far from its end.
KILL_AFTER = 60


def summary(out: Path) -> list[dict[str, str]]:
    with (out / "summary.csv").open(encoding="utf-8-sig", newline="") as table:
        return list(csv.DictReader(table))


def test_each_row_is_what_check_says_of_the_document_alone(archive: Archive, audited: Path, tmp_path: Path) -> None:
    rows = {row["path"]: row for row in summary(audited)}
    assert len(rows) == archive.documents == 300
    alone = {str(path): _check_alone(path, archive) for path in _files(archive.folder)}
    alone |= {url: _check_alone(page, archive) for url, page in _pages(archive, tmp_path)}
    cut = [name for name in rows if name not in alone]
    assert len(cut) == 1 and cut[0].endswith("cut.warc.gz") and rows[cut[0]]["status"] == "failed"
    assert rows[cut[0]]["reason"].startswith("网页存档已损坏")
    for name, expected in alone.items():
        dated = rows[name].pop("date"), rows[name].pop("date_from")
        assert rows[name] == {"path": name, **expected}, name
        assert dated[1] in ("文内日期", "抓取时间", "文件修改时间") and len(dated[0]) == 10, (name, dated)
    statuses = [row["status"] for row in rows.values()]
    assert statuses.count("failed") == 5 and statuses.count("no-source") >= 23 and statuses.count("ok") >= 240


def test_outputs_agree_with_each_other(audited: Path) -> None:
    rows = summary(audited)
    lines = [json.loads(line) for line in (audited / "summary.jsonl").read_text(encoding="utf-8").splitlines()]
    findings = [json.loads(line) for line in (audited / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [line["path"] for line in lines] == [row["path"] for row in rows]
    for line in lines:
        mine = [f for f in findings if f["path"] == line["path"]]
        assert [sum(f["severity"] == s for f in mine) for s in SEVERITIES] == [line[s] for s in SEVERITIES]
    index = (audited / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="(reports/[^"]+\.html)"', index)
    assert len(links) == sum(line["status"] != "failed" for line in lines)
    assert all((audited / link).is_file() and (audited / link).with_suffix(".json").is_file() for link in links)
    assert "Content-Security-Policy" in index and "<script src" not in index
    assert {p.name for p in (audited / "reports").iterdir()} == {Path(link).name for link in links} | {
        Path(link).with_suffix(".json").name for link in links
    }


def test_a_killed_audit_resumes_to_the_same_outputs(archive: Archive, audited: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    command = [sys.executable, "-c", "from yuanwen.cli import main; main()", "audit", str(archive.folder)]
    process = subprocess.Popen(
        [*command, "--library", str(archive.library), "--out", str(out), "--jobs", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        committed = _wait_for_commits(out, process)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        assert not (out / "summary.csv").exists()
        _wait_for_workers_to_end(process.pid)
    finally:
        _kill_group(process.pid)
    result = run_cli("audit", archive.folder, "--library", archive.library, "--out", out, "--jobs", "2")
    assert result.exit_code == 1, result.stderr
    resumed = re.findall(r"上次已核对 (\d+) 份", result.stderr)
    assert resumed and int(resumed[-1]) >= committed
    for name in OUTPUTS:
        assert (out / name).read_bytes() == (audited / name).read_bytes(), name
    assert _tree(out / "reports") == _tree(audited / "reports")


def test_a_rerun_checks_only_what_changed(archive: Archive, tmp_path: Path) -> None:
    folder = tmp_path / "few"
    folder.mkdir()
    for path in sorted((archive.folder / "excerpts").glob("*.txt"))[:3]:
        (folder / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "out"
    first = run_cli("audit", folder, "--library", archive.library, "--out", out, "--jobs", "1")
    assert "上次已核对 0 份" in first.stderr
    changed = folder / "excerpt-000.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("。", "，", 1), encoding="utf-8")
    again = run_cli("audit", folder, "--library", archive.library, "--out", out, "--jobs", "1")
    assert "上次已核对 2 份" in again.stderr
    rules = tmp_path / "rules.toml"
    rules.write_text('[lists]\nleaders = ["张三"]\n', encoding="utf-8")
    other_rules = run_cli("audit", folder, "--library", archive.library, "--out", out, "--jobs", "1", "--rules", rules)
    assert "上次已核对 0 份" in other_rules.stderr


def test_bad_usage_is_one_line_and_exit_2(archive: Archive, tmp_path: Path) -> None:
    missing = run_cli("audit", tmp_path / "nowhere", "--library", archive.library, "--out", tmp_path / "out")
    no_library = run_cli("audit", archive.folder, "--library", tmp_path / "none.sqlite3", "--out", tmp_path / "o")
    for result in (missing, no_library):
        assert result.exit_code == 2
        (line,) = result.stderr.strip().splitlines()
        assert line.startswith("yuanwen：错误：")
    assert not (tmp_path / "o").exists()


def _check_alone(path: Path, archive: Archive) -> dict[str, Any]:
    """The row `yuanwen check PATH --library LIB --format json` implies, read from its output and exit code."""
    result = run_cli("check", path, "--library", archive.library, "--format", "json")
    empty = {"reason": "", "sources": "", **{s: "0" for s in SEVERITIES}, "worst_rule": "", "worst_text": ""}
    if result.exit_code == 2:
        return {**empty, "status": "failed", "reason": result.stderr.strip().removeprefix("yuanwen：错误：")}
    report = json.loads(result.stdout)
    findings = report["findings"]
    worst = min(findings, key=lambda f: SEVERITIES.index(f["severity"])) if findings else None
    return {
        "status": {0: "ok", 1: "ok", 3: "no-source"}[result.exit_code],
        "reason": result.stderr.strip().removeprefix("yuanwen："),
        "sources": "；".join(f"{s['id']}《{s['title']}》" for s in report["sources"]),
        **{s: str(report["summary"][s]) for s in SEVERITIES},
        "worst_rule": worst["rule"] if worst else "",
        "worst_text": f"{_short(worst['source_text'])} → {_short(worst['reprint_text'])}" if worst else "",
    }


def _short(text: str) -> str:
    flat = "".join(text.split()) or "∧"
    return flat if len(flat) <= 30 else flat[:29] + "…"


def _files(folder: Path) -> list[Path]:
    return [p for p in sorted(folder.rglob("*")) if p.is_file() and ".warc" not in p.name]


def _pages(archive: Archive, tmp_path: Path) -> list[tuple[str, Path]]:
    """Each HTML page of the web archives, saved as a file of its own (warcio read directly)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    pages: list[tuple[str, Path]] = []
    for warc in sorted(archive.folder.rglob("*.warc.gz")):
        with warc.open("rb") as stream:
            try:
                for record in ArchiveIterator(stream):
                    headers = record.http_headers
                    if headers.get_statuscode() == "200" and headers.get_header("Content-Type").startswith("text/html"):
                        page = tmp_path / f"page-{len(pages)}.html"
                        page.write_bytes(record.content_stream().read())
                        pages.append((record.rec_headers.get_header("WARC-Target-URI"), page))
            except ArchiveLoadFailed:
                pass
    assert len(pages) == archive.pages - 1
    return pages


def _wait_for_commits(out: Path, process: subprocess.Popen[bytes]) -> int:
    """How many documents the running audit has committed, once at least KILL_AFTER (those without a
    content hash, unreadable before any check, are recorded anew each run and not counted)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, "the audit ended before it could be killed"
        try:
            with sqlite3.connect(f"{(out / 'audit.sqlite3').as_uri()}?mode=ro", uri=True) as db:
                count = int(db.execute("SELECT count(*) FROM done WHERE key != ''").fetchone()[0])
        except sqlite3.Error:
            count = 0
        if count >= KILL_AFTER:
            return count
        time.sleep(0.1)
    raise AssertionError("the audit committed too little in two minutes")


def _wait_for_workers_to_end(group: int) -> None:
    """The workers of a killed audit notice and end by themselves (zombies waiting for init do not count)."""
    deadline = time.monotonic() + 10
    while _alive(group):
        assert time.monotonic() < deadline, "workers of the killed audit are still running"
        time.sleep(0.2)


def _alive(group: int) -> list[int]:
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            alive.append(int(stat.parent.name))
    return alive


def _kill_group(group: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signal.SIGKILL)


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_in_a_browser_the_index_sorts_and_filters(browser: Any, audited: Path) -> None:
    problems: list[str] = []
    page = _open(browser, audited / "index.html", problems)
    assert page.inner_text("#shown") == "显示 300 份，共 300 份"
    page.select_option("#status", "failed")
    assert page.locator("#documents tbody tr:visible").count() == 5
    page.select_option("#status", "")
    page.fill("#filter", "booklet-")
    assert page.locator("#documents tbody tr:visible").count() == 40
    page.fill("#filter", "")
    critical = page.locator("th", has_text="严重")
    critical.click()
    critical.click()
    counts = [int(text) for text in page.locator("#documents tbody tr td:nth-child(4)").all_inner_texts()]
    assert counts == sorted(counts, reverse=True) and counts[0] > 0
    page.locator("#documents tbody tr a").first.click()
    assert page.title().startswith("原文核对报告")
    assert problems == []


def test_in_a_browser_a_hostile_file_name_runs_nothing(browser: Any, archive: Archive, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    hostile = folder / '<img src=x onerror="window.__pwned=1">.txt'
    hostile.write_bytes((archive.folder / "excerpts" / "excerpt-000.txt").read_bytes())
    out = tmp_path / "out"
    run_cli("audit", folder, "--library", archive.library, "--out", out, "--jobs", "1")
    page = _open(browser, out / "index.html", [])
    assert page.locator("#documents tbody a").inner_text() == str(hostile)
    assert page.evaluate("window.__pwned") is None
