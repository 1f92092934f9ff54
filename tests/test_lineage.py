"""Where an error came from: an audit's shared errors, copying families and fixes, on an archive of known history."""

from __future__ import annotations

import csv
import json
import shutil
import webbrowser
from pathlib import Path
from typing import Any

import pytest

from conftest import ARTIFACTS, run_cli
from lineage_archive import E1, E2, E3, HOST, LineageArchive, build_lineage_archive
from yuanwen.lineage import SharedError, Version, families, shared_error


@pytest.fixture(scope="module")
def lineage_archive(tmp_path_factory: pytest.TempPathFactory) -> LineageArchive:
    return build_lineage_archive(tmp_path_factory.mktemp("lineage"))


@pytest.fixture(scope="module")
def lineage_out(lineage_archive: LineageArchive) -> Path:
    out = lineage_archive.folder.parent / "out"
    result = run_cli("audit", lineage_archive.folder, "--library", lineage_archive.library, "--out", out, "--jobs", "1")
    assert result.exit_code == 1, result.stderr  # the planted errors are in the leader's words: critical
    return out


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _by_change(out: Path) -> dict[tuple[str, str], dict[str, Any]]:
    return {(row["source_text"], row["reprint_text"]): row for row in _lines(out / "shared.jsonl")}


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _planted(shared: dict[tuple[str, str], dict[str, Any]], error: tuple[str, str]) -> dict[str, Any]:
    """The shared error whose change lies within the planted one (a finding is as small as the change)."""
    (row,) = [r for (old, new), r in shared.items() if old and old in error[0] and new and new in error[1]]
    return row


def test_the_two_errors_of_the_first_copy_are_shared_by_nine_documents_and_start_there(lineage_out: Path) -> None:
    shared = _by_change(lineage_out)
    for error in (E1, E2):
        row = _planted(shared, error)
        assert row["count"] == 9, row["documents"]
        assert _name(row["earliest"]) == "first.txt" and row["earliest_date"] == "2023-05-13"
        assert row["earliest_date_from"] == "文内日期"
        assert row["severity"] == "critical"
        assert not any("faithful" in path for path in row["documents"])
    third = _planted(shared, E3)
    assert sorted(_name(p) for p in third["documents"]) == ["copy-3.txt", "copy-6.txt"]
    assert len(shared) == 3  # copy 5's own error is carried by no other document


def test_a_page_recrawled_without_an_error_is_marked_fixed_with_the_date(lineage_out: Path) -> None:
    shared = _by_change(lineage_out)
    assert _planted(shared, E1)["fixed"] == [{"path": f"{HOST}/b.html", "date": "2023-06-01"}]
    assert _planted(shared, E2)["fixed"] == [{"path": f"{HOST}/a.html", "date": "2023-06-01"}]
    assert _planted(shared, E3)["fixed"] == []


def test_the_family_tree_has_the_first_copy_at_its_root_and_the_faithful_copies_outside(lineage_out: Path) -> None:
    (family,) = _lines(lineage_out / "families.jsonl")
    assert _name(family["root"]) == "first.txt"
    members = {_name(m["path"]): m for m in family["members"]}
    assert len(members) == 9 and not any(name.startswith("faithful") for name in members)
    parents = {name: m["parent"] and _name(m["parent"]) for name, m in members.items()}
    assert parents == {
        "first.txt": None,
        **{f"copy-{n}.txt": "first.txt" for n in (1, 2, 3, 4, 5)},
        "copy-6.txt": "copy-3.txt",  # it carries copy 3's own error: copied from copy 3
        "a.html": "first.txt",
        "b.html": "first.txt",
    }
    assert members["copy-6.txt"]["confidence"] == "强" and len(members["copy-6.txt"]["ties"]) == 3


def test_the_shared_table_is_the_same_in_csv(lineage_out: Path) -> None:
    with (lineage_out / "shared.csv").open(encoding="utf-8-sig", newline="") as table:
        rows = list(csv.DictReader(table))
    assert [int(r["count"]) for r in rows] == [row["count"] for row in _lines(lineage_out / "shared.jsonl")]
    assert rows[0]["severity"] == "critical"


def test_each_document_row_says_its_date_and_where_it_came_from(lineage_out: Path) -> None:
    rows = {(_name(r["path"]), r["date"]): r["date_from"] for r in _lines(lineage_out / "summary.jsonl")}
    assert rows[("first.txt", "2023-05-13")] == "文内日期"
    assert rows[("a.html", "2023-05-16")] == rows[("a.html", "2023-06-01")] == "抓取时间"


def test_a_rerun_writes_the_same_shared_errors_and_families(lineage_archive: LineageArchive, lineage_out: Path) -> None:
    """A re-run, which checks nothing again, writes the same shared errors and families."""
    before = [(lineage_out / name).read_bytes() for name in ("shared.jsonl", "families.jsonl")]
    result = run_cli("audit", lineage_archive.folder, "--library", lineage_archive.library, "--out", lineage_out)
    assert result.exit_code == 1
    assert [(lineage_out / name).read_bytes() for name in ("shared.jsonl", "families.jsonl")] == before


def test_a_copy_lacking_one_of_its_exemplar_s_errors_still_hangs_from_it() -> None:
    """Weights: a copy that lacks one of its exemplar's errors still hangs from it (it fixed one)."""

    def carried(key: str, *names: str) -> SharedError:
        finding = {"source_id": "s", "severity": "major", "source_span": [0, 1]}
        return shared_error(key, ((finding, Version(n, f"2023-01-0{n[-1]}", "文件修改时间", 0)) for n in names), {})

    errors = [carried("a", "d1", "d2", "d3"), carried("b", "d1", "d2")]
    (family,) = families(errors, {"s": 10})
    assert family.root == "d1"
    assert {m.path: m.parent for m in family.members} == {"d1": None, "d2": "d1", "d3": "d1"}


def test_in_a_browser_the_index_shows_the_shared_errors_and_the_tree(browser: Any, lineage_out: Path) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto((lineage_out / "index.html").as_uri())
    page.click("a[href='#shared']")
    assert page.locator("#shared table.shared tbody tr").count() == 3
    assert page.locator("svg.stemma .node").count() == 9
    assert "推断" in page.inner_text("#shared .note")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator("#shared").screenshot(path=str(ARTIFACTS / "audit-shared.png"))
    page.close()


def test_spark_finds_the_same_shared_errors_and_families(
    lineage_archive: LineageArchive, lineage_out: Path, tmp_path: Path
) -> None:
    pyspark_sql = pytest.importorskip("pyspark.sql", reason="the extra yuanwen[spark] is not installed")
    from yuanwen.model import CheckOptions
    from yuanwen.spark import local_python, run

    local_python()
    session = pyspark_sql.SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false").getOrCreate()
    try:
        run(session, lineage_archive.library, [str(lineage_archive.folder)], str(tmp_path), CheckOptions())
        for table, lines in (("shared", "shared.jsonl"), ("families", "families.jsonl")):
            rows = [row.asDict(recursive=True) for row in session.read.parquet(str(tmp_path / table)).collect()]
            assert sorted(map(_canonical, rows)) == sorted(map(_canonical, _lines(lineage_out / lines)))
    finally:
        session.stop()


def _canonical(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, sort_keys=True)


def test_a_file_corrected_between_two_audits_is_marked_fixed(lineage_archive: LineageArchive, tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    shutil.copytree(lineage_archive.folder, folder)
    out = tmp_path / "out"
    audit = ("audit", folder, "--library", lineage_archive.library, "--out", out, "--jobs", "1")
    assert run_cli(*audit).exit_code == 1
    copy = folder / "copy-1.txt"
    corrected = copy.read_text(encoding="utf-8").replace(E1[1], E1[0], 1).replace("2023年5月14日", "2023年6月2日")
    copy.write_text(corrected, encoding="utf-8")
    assert run_cli(*audit).exit_code == 1
    shared = _by_change(out)
    assert {"path": str(copy), "date": "2023-06-02"} in _planted(shared, E1)["fixed"]
    assert _planted(shared, E1)["count"] == 9  # copy 1 carried it, at its first date
    assert not any(fix["path"] == str(copy) for fix in _planted(shared, E2)["fixed"])


def test_serve_report_opens_the_index_and_the_summary_counts_shared_errors(
    lineage_archive: LineageArchive, lineage_out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", opened.append)
    audit = ("audit", lineage_archive.folder, "--library", lineage_archive.library, "--out", lineage_out)
    result = run_cli(*audit, "--serve-report")
    assert result.exit_code == 1
    assert "共同差错 3 处，传抄关系 1 组" in result.stderr
    assert opened == [(lineage_out / "index.html").resolve().as_uri()]
