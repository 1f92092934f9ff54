"""`yuanwen.spark` on local[2]: the same documents and findings tables as `yuanwen audit` on the same archive."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from audit_archive import Archive
from hostile import page_tree_pdf
from yuanwen.extract.pages import MAX_PAGES
from yuanwen.model import CheckOptions
from yuanwen.spark import local_python, run

pyspark_sql = pytest.importorskip("pyspark.sql", reason="the extra yuanwen[spark] is not installed")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    local_python()
    session = pyspark_sql.SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false").getOrCreate()
    yield session
    session.stop()


def test_spark_finds_what_audit_finds(archive: Archive, audited: Path, spark: Any, tmp_path: Path) -> None:
    # Booklets of several sources, broken files and web archives: a quarter of the archive keeps the test short.
    folders = [archive.folder / name for name in ("booklets", "broken", "crawl")]
    run(spark, archive.library, [str(folder) for folder in folders], str(tmp_path), CheckOptions())
    for table, lines in (("documents", "summary.jsonl"), ("findings", "findings.jsonl")):
        rows = [row.asDict(recursive=True) for row in spark.read.parquet(str(tmp_path / table)).collect()]
        expected = [json.loads(line) for line in (audited / lines).read_text(encoding="utf-8").splitlines()]
        ours = [row for row in expected if not row["path"].startswith(str(archive.folder)) or _under(row, folders)]
        assert sorted(_canonical(row) for row in rows) == sorted(_canonical(row) for row in ours)
    assert len(ours) > 200


def test_a_table_of_texts_is_audited_too(archive: Archive, spark: Any, tmp_path: Path) -> None:
    excerpt = (archive.folder / "excerpts" / "excerpt-001.txt").read_text(encoding="utf-8")
    table = tmp_path / "texts.jsonl"
    rows = [{"id": "a", "text": excerpt}, {"id": "b", "text": "无关的一句话。"}]
    table.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    run(spark, archive.library, [str(table)], str(tmp_path / "out"), CheckOptions())
    documents = spark.read.parquet(str(tmp_path / "out" / "documents")).collect()
    assert {(row.path, row.status) for row in documents} == {("a", "ok"), ("b", "no-source")}


def test_a_document_over_the_time_limit_is_a_failed_row(archive: Archive, spark: Any, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "stuck.pdf").write_bytes(page_tree_pdf(MAX_PAGES, runs=5000))  # minutes inside PDFium
    (folder / "excerpt.txt").write_bytes((archive.folder / "excerpts" / "excerpt-001.txt").read_bytes())
    started = time.monotonic()
    run(spark, archive.library, [str(folder)], str(tmp_path / "out"), CheckOptions(), time_limit=5)
    documents = {Path(row.path).name: row for row in spark.read.parquet(str(tmp_path / "out" / "documents")).collect()}
    assert (
        documents["stuck.pdf"].status == "failed" and documents["stuck.pdf"].reason == "核对超时（超过 5 秒），已中止"
    )
    assert documents["excerpt.txt"].status == "ok", documents["excerpt.txt"].reason
    assert time.monotonic() - started < 90


def test_the_command_audits_a_folder(archive: Archive, spark: Any, tmp_path: Path) -> None:
    # As a user runs it: the job's code is then `__main__`, which the executors' workers cannot import.
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "excerpt.txt").write_bytes((archive.folder / "excerpts" / "excerpt-001.txt").read_bytes())
    (folder / "other.txt").write_text("无关的一句话。", encoding="utf-8")
    result = _spark_command(archive.library, folder, tmp_path / "out")
    assert result.returncode == 0, result.stderr.decode("utf-8")[-2000:]
    documents = spark.read.parquet(str(tmp_path / "out" / "documents")).collect()
    statuses = {(Path(row.path).name, row.status) for row in documents}
    assert statuses == {("excerpt.txt", "ok"), ("other.txt", "no-source")}


def test_a_failed_job_is_one_line_and_exit_4(archive: Archive, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    result = _spark_command(archive.library, archive.folder / "excerpts", tmp_path / "a-file" / "out")
    assert result.returncode == 4
    line = result.stderr.decode("utf-8").strip().splitlines()[-1]
    assert line.startswith("yuanwen：错误：Spark 作业失败：") and "Parent path is not a directory" in line, line


def _spark_command(library: Path, folder: Path, out: Path) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-m", "yuanwen.spark", "--library", str(library), "--master", "local[2]"]
    return subprocess.run([*command, "--input", str(folder), "--output", str(out)], capture_output=True, timeout=300)


def test_bad_usage_is_one_line_and_exit_2(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "yuanwen.spark", "--library", str(tmp_path / "none.sqlite3")]
    result = subprocess.run([*command, "--input", str(tmp_path), "--output", str(tmp_path / "o")], capture_output=True)
    assert result.returncode == 2
    (line,) = result.stderr.decode("utf-8").strip().splitlines()
    assert line.startswith("yuanwen：错误：资料库不存在")


def _under(row: dict[str, Any], folders: list[Path]) -> bool:
    return any(row["path"].startswith(f"{folder}/") for folder in folders)


def _canonical(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, sort_keys=True)
