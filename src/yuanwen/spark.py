"""The audit on Apache Spark, for archives one machine cannot hold: the same check of each document, same rows.

    python -m yuanwen.spark --library LIB --input DOCS --output OUT [--master local[2]|spark://HOST:7077]

1. read the input: a folder of files (under it, at any depth; each HTML page of a web archive is a
   document of its own), or a table of (id, text) in Parquet or JSON lines
2. ship the library file (and the rule files) to every executor (SparkContext.addFile)
3. in each partition (mapPartitions): open the executor's copy of the library once, read-only and
   immutable, and turn each document into its rows (yuanwen.audit.outcome, as `yuanwen audit` does)
4. write OUT/documents/ and OUT/findings/ as Parquet, the columns of summary.jsonl and findings.jsonl
5. group the findings by what they changed (yuanwen.lineage) across the cluster; the deviations two
   documents or more share come to the driver, which draws the families: OUT/shared/, OUT/families/
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from yuanwen.cli.common import fail, guarded, rules_option, time_limit_option
from yuanwen.model import SEVERITIES, CheckOptions
from yuanwen.workers import DEFAULT_TIME_LIMIT, Stopped, Worker

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import SparkSession
    from pyspark.sql.types import StructType

    from yuanwen.audit import Item
    from yuanwen.lineage import Version

# Partitions per core of the cluster: small enough that a slow document (a long booklet) does not
# hold a whole core's share back, large enough that opening the library per partition costs little.
PARTITIONS_PER_CORE = 4
# Bytes Spark counts for opening a file when it packs files into tasks (see spark_audit).
_OPEN_COST = 64 * 1024
# The job itself failed on the cluster (an executor without yuanwen, a full disk): one line, this code.
EXIT_JOB_FAILED = 4
_FINDING_TEXT = ("kind", "severity", "source_id", "source_text", "reprint_text")
_FINDING_TAIL = ("message", "rule")
# One document's summary row and finding rows.
Rows = tuple[dict[str, Any], list[dict[str, Any]]]
# The earliest and latest carrier of a shared error: the columns named after each.
_ENDS = ("", "_date", "_date_from")


def documents_schema() -> StructType:
    """The columns of summary.jsonl: sources as a list of (id, title), counts as integers."""
    from pyspark.sql.types import ArrayType, IntegerType, StringType, StructField, StructType

    source = StructType([StructField("id", StringType()), StructField("title", StringType())])
    return StructType(
        [
            *(StructField(name, StringType()) for name in ("path", "status", "reason")),
            StructField("sources", ArrayType(source)),
            *(StructField(severity, IntegerType()) for severity in SEVERITIES),
            *(StructField(name, StringType()) for name in ("worst_rule", "worst_text", "date", "date_from")),
        ]
    )


def findings_schema() -> StructType:
    """The columns of findings.jsonl: the report schema's finding with its document's path first."""
    from pyspark.sql.types import ArrayType, DoubleType, IntegerType, StringType, StructField, StructType

    return StructType(
        [
            StructField("path", StringType()),
            *(StructField(name, StringType()) for name in _FINDING_TEXT),
            *(StructField(name, ArrayType(IntegerType())) for name in ("source_span", "reprint_span")),
            *(StructField(name, StringType()) for name in _FINDING_TAIL),
            StructField("line", IntegerType()),
            StructField("location", StringType()),
            # The errors it counts for under CY/T 266—2023, and its entry in the report's list (yuanwen.review).
            StructField("weight", DoubleType()),
            StructField("group", IntegerType()),
        ]
    )


def run(
    spark: SparkSession,
    library: Path,
    sources: Sequence[str],
    output: str,
    options: CheckOptions,
    time_limit: float = DEFAULT_TIME_LIMIT,
) -> None:
    """Audit the input with the library into OUT/documents/ and OUT/findings/ (Parquet, replaced)."""
    from pyspark import StorageLevel

    context = spark.sparkContext
    context.addFile(str(library))
    for rules in options.rule_files:
        context.addFile(str(rules))
    names = (library.name, tuple(rules.name for rules in options.rule_files))
    items = _items(spark, list(sources)).repartition(context.defaultParallelism * PARTITIONS_PER_CORE)
    outcomes = items.mapPartitions(lambda part: _audit_partition(part, *names, time_limit))
    # Kept, so the findings are not checked a second time after the documents table is written.
    outcomes.persist(StorageLevel.MEMORY_AND_DISK)
    documents, findings = documents_schema(), findings_schema()
    rows = outcomes.map(lambda outcome: _in_order(outcome[0], documents.fieldNames()))
    spark.createDataFrame(rows, documents).write.mode("overwrite").parquet(f"{output}/documents")
    found = outcomes.flatMap(lambda outcome: [_in_order(f, findings.fieldNames()) for f in outcome[1]])
    spark.createDataFrame(found, findings).write.mode("overwrite").parquet(f"{output}/findings")
    _write_lineage(spark, outcomes, output)
    outcomes.unpersist()


def _write_lineage(spark: SparkSession, outcomes: RDD[Rows], output: str) -> None:
    """OUT/shared/ and OUT/families/: findings grouped on the cluster, the shared ones drawn into families."""
    from yuanwen.audit.shared import family_row, rank, shared_row
    from yuanwen.lineage import families, shared_error

    grouped = outcomes.flatMap(_marks).groupByKey().filter(lambda keyed: len({v.path for _, v in keyed[1]}) >= 2)
    shared_marks = grouped.mapValues(list).collect()
    carriers = {version.path for _, marked in shared_marks for _, version in marked}
    versions: dict[str, list[Version]] = {}
    for version in outcomes.map(lambda outcome: _version(outcome[0])).filter(lambda v: v.path in carriers).collect():
        versions.setdefault(version.path, []).append(version)
    shared = sorted((shared_error(key, marked, versions) for key, marked in shared_marks), key=rank)
    documents = outcomes.flatMap(lambda outcome: [(s["id"], outcome[0]["path"]) for s in outcome[0]["sources"]])
    copies = documents.distinct().countByKey()
    rows = [shared_row(error) for error in shared]
    spark.createDataFrame(rows, shared_schema()).write.mode("overwrite").parquet(f"{output}/shared")
    trees = [family_row(family) for family in families(shared, copies)]
    spark.createDataFrame(trees, families_schema()).write.mode("overwrite").parquet(f"{output}/families")


def _marks(outcome: Rows) -> list[tuple[str, tuple[dict[str, Any], Version]]]:
    """Each finding of a document keyed by what it changed, with the document's version (info findings left out)."""
    from yuanwen.lineage import error_key

    row, found = outcome
    version = _version(row)
    return [(key, (finding, version)) for finding in found if (key := error_key(finding)) is not None]


def _version(row: dict[str, Any]) -> Version:
    from yuanwen.lineage import Version

    return Version(row["path"], row["date"], row["date_from"], 0)


def shared_schema() -> StructType:
    """The columns of shared.jsonl."""
    from pyspark.sql.types import ArrayType, IntegerType, StringType, StructField, StructType

    fix = StructType([StructField("path", StringType()), StructField("date", StringType())])
    text = ("source_text", "reprint_text")
    return StructType(
        [
            *(StructField(name, StringType()) for name in ("id", "source_id")),
            StructField("source_span", ArrayType(IntegerType())),
            *(StructField(name, StringType()) for name in ("severity", "rule", *text)),
            StructField("count", IntegerType()),
            StructField("documents", ArrayType(StringType())),
            *(StructField(f"{end}{part}", StringType()) for end in ("earliest", "latest") for part in _ENDS),
            StructField("fixed", ArrayType(fix)),
        ]
    )


def families_schema() -> StructType:
    """The columns of families.jsonl: each member with its parent, the errors that tie them and how strongly."""
    from pyspark.sql.types import ArrayType, DoubleType, StringType, StructField, StructType

    member = StructType(
        [
            *(StructField(name, StringType()) for name in ("path", "date", "parent")),
            StructField("ties", ArrayType(StringType())),
            StructField("strength", DoubleType()),
            StructField("confidence", StringType()),
        ]
    )
    return StructType(
        [
            *(StructField(name, StringType()) for name in ("source_id", "root")),
            StructField("errors", ArrayType(StringType())),
            StructField("members", ArrayType(member)),
        ]
    )


def _items(spark: SparkSession, sources: list[str]) -> RDD[Item]:
    """The documents of the inputs: a table's rows, or the files of folders and the pages of their web archives."""
    from yuanwen.audit import Item

    if sources[0].endswith((".parquet", ".jsonl", ".json")):
        reader = spark.read.parquet if sources[0].endswith(".parquet") else spark.read.json
        table = reader(*sources).select("id", "text")
        return table.rdd.map(lambda row: Item(str(row.id), str(row.id), None, data=str(row.text).encode("utf-8")))
    files = spark.read.format("binaryFile").option("recursiveFileLookup", "true").load(sources)
    columns = files.select("path", "modificationTime", "content").rdd
    return columns.flatMap(lambda row: _file_items(_name(row.path), row.modificationTime, bytes(row.content)))


def _name(uri: str) -> str:
    """A file's name as `yuanwen audit` shows it: a local file by its path, others by their URI."""
    return uri.removeprefix("file:") if uri.startswith("file:/") else uri


def _file_items(name: str, changed: datetime, data: bytes) -> Iterable[Item]:
    from yuanwen.audit import Item, starts_web_archive, web_pages
    from yuanwen.audit.outcome import FILE_TIME

    if starts_web_archive(data[:512]):
        return list(web_pages(io.BytesIO(data), name))
    # The day it was last changed in UTC, as `yuanwen audit` dates a file (Spark hands back local time).
    day = changed.astimezone(UTC).date().isoformat()
    return [Item(name, name, None, data=data, date=day, date_from=FILE_TIME)]


# An executor's Python process keeps its worker, and the worker its library and warm caches, from one
# partition to the next (PySpark reuses its Python processes); the worker ends with the process.
_WORKERS: dict[tuple[str, tuple[str, ...]], Worker[Rows]] = {}


def _audit_partition(items: Iterable[Item], library: str, rules: tuple[str, ...], limit: float) -> Iterator[Rows]:
    """On an executor: a worker process opens its copy of the library once, then checks each document in turn.

    A document over the time limit is a failed row: its worker is killed and replaced (yuanwen.workers)."""
    from multiprocessing import get_context

    from pyspark import SparkFiles

    from yuanwen.audit import stopped

    paths = (SparkFiles.get(library), tuple(SparkFiles.get(name) for name in rules))
    worker = _WORKERS.get(paths)
    if worker is None:
        worker = _WORKERS[paths] = Worker(get_context("spawn"), checking, paths)
    for item in items:
        answer = worker.call(item, limit)
        if isinstance(answer, Stopped):
            answer = stopped(item, answer.reason).row, []
        yield answer


def checking(library: str, rules: tuple[str, ...]) -> Callable[[Item], Rows]:
    """In a worker process: the library opened once, read-only; what turns a document into its rows."""
    from yuanwen.audit import outcome_of
    from yuanwen.audit.outcome import prepare
    from yuanwen.library import Library

    options = CheckOptions(rule_files=tuple(Path(name) for name in rules))
    prepare(options)
    opened = Library.reading(Path(library), immutable=True)

    def rows(item: Item) -> Rows:
        outcome = outcome_of(item, opened, options)
        return outcome.row, outcome.findings

    return rows


def local_python() -> None:
    """Run a local job's Python workers in this Python, the one yuanwen is installed in (else: `python3`)."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)


def _in_order(row: dict[str, Any], columns: list[str]) -> tuple[Any, ...]:
    return tuple(row[name] for name in columns)


@click.command()
@click.option("--library", "library_file", type=click.Path(path_type=Path), required=True, help="资料库文件。")
@click.option(
    "--input",
    "sources",
    required=True,
    multiple=True,
    help="文件夹（含网页存档），或 (id, text) 表：.parquet 或 .jsonl；可多次给出。",
)
@click.option("--output", required=True, help="输出文件夹：documents/ 与 findings/（Parquet）。")
@click.option("--master", help="Spark 主节点，例如 local[2] 或 spark://主机:7077；用 spark-submit 时不必给出。")
@rules_option
@time_limit_option(DEFAULT_TIME_LIMIT)
def spark_audit(
    library_file: Path,
    sources: tuple[str, ...],
    output: str,
    master: str | None,
    rule_files: tuple[Path, ...],
    time_limit: float,
) -> None:
    """在 Spark 上审核整个档案：每份文件到资料库中找原文并核对，结果写成 Parquet 表。"""
    from yuanwen.library import Library
    from yuanwen.rules import load_rules

    guarded(lambda: load_rules(rule_files))
    guarded(lambda: Library.reading(library_file).close())
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        fail("未安装 PySpark：pip install 'yuanwen[spark]'")
    # An archive is many small files: Spark's default cost of opening one (4 MB) made a task of every
    # 32 files, 313 tasks for 10,000 reprints of ~9 KB; at 64 KB they are read in 6 (bench_audit.py
    # --docs 10000 on two idle cores: the files read in 5.0 s, not 9.8 s; the whole job 45.7 → 40.6 s).
    builder = SparkSession.builder.appName("yuanwen audit").config("spark.sql.files.openCostInBytes", _OPEN_COST)
    if master is not None:
        builder = builder.master(master)
    if master is not None and master.startswith("local"):
        local_python()
        builder = builder.config("spark.ui.enabled", "false")
    spark = builder.getOrCreate()
    try:
        run(spark, library_file, sources, output, CheckOptions(rule_files), time_limit)
    except Exception as error:  # Spark raises its own kinds, and Py4J's for the JVM's; each is one line here
        fail(f"Spark 作业失败：{_cause(error)}", EXIT_JOB_FAILED)
    finally:
        spark.stop()


def _cause(error: Exception) -> str:
    """What went wrong, in one line: the JVM's exception (Py4J's own message only names the call), or the
    last line of the Python traceback Spark passes on from an executor."""
    java = getattr(error, "java_exception", None)
    text = str(java.toString()) if java is not None else str(error)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return type(error).__name__
    return lines[-1] if "Traceback (most recent call last)" in text else lines[0]


def main() -> None:
    """`python -m yuanwen.spark`: usage errors become one line and exit 2, as in `yuanwen`."""
    from yuanwen.cli import run as run_command

    run_command(spark_audit, "python -m yuanwen.spark --help")


if __name__ == "__main__":
    # Run as a script (`python -m yuanwen.spark`, `spark-submit spark.py`), this file is `__main__`; the
    # executors and their worker processes must find what they run by name, so the installed module runs.
    from yuanwen.spark import main as installed

    installed()
