"""Keyword search through the index of pairs of characters: found, ranked, snippets, unindexed texts, migration."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from conftest import EXAMPLES, run_cli
from yuanwen.library import SCHEMA_VERSION, Library, Metadata
from yuanwen.model import Document

SOURCE = (EXAMPLES / "source.txt").read_text(encoding="utf-8")
TEXTS = (
    "第一篇\n推进京津冀协同发展。\n协同发展，协同\n创新。",
    "第二篇\n京津冀协\n同发展座谈会，协同发展。",
    "第三篇\n粮食安全是国之大者，协同。",
)


def _library(tmp_path: Path) -> Path:
    path = tmp_path / "lib.sqlite3"
    with Library(path) as library:
        for text in (*TEXTS, SOURCE):
            library.add(Document(None, "txt", text), Metadata(title=text.split("\n", 1)[0]))
    return path


def _found(library: Library, keyword: str) -> list[str]:
    return [hit.entry.metadata.title or "" for hit in library.search(keyword, limit=10).hits]


def test_words_of_every_length_are_found_across_line_breaks_most_frequent_first(tmp_path: Path) -> None:
    with Library(_library(tmp_path)) as library:
        # 协同 three times in the first text (once across a line break), twice in the second, once in the
        # third; the example's source (titled by its first line) holds it 19 times.
        assert [title[:3] for title in _found(library, "协同")] == [" 习近", "第一篇", "第二篇", "第三篇"]
        assert _found(library, "协同发展，协同") == ["第一篇"]
        assert sorted(_found(library, "京津冀协同发展"))[1:] == ["第一篇", "第二篇"]
        assert _found(library, "协同创新")[0] == "第一篇"  # once in each: the one stored first
        assert _found(library, "粮") == ["第三篇"]
        assert [title[:3] for title in _found(library, "指导组")] == [" 习近"]
        assert library.search("安全是国之大者", limit=5).hits[0].snippet == "…第三篇粮食【安全是国之大者】，协同。…"
        assert library.search("协同发展会议", limit=5).total == 0
        assert library.search("不存在", limit=5).total == 0


def test_a_search_indexes_the_texts_added_since_the_last_one(tmp_path: Path) -> None:
    path = _library(tmp_path)
    with Library(path) as library:
        assert _unsearched(path) == 4
        assert library.search("粮食", limit=1).total == 1
        assert _unsearched(path) == 0
        library.add(Document(None, "txt", "第五篇\n协同，甲乙推进。"), Metadata(title="第五篇"))
        assert _unsearched(path) == 1
    with Library(path, create=False, read_only=True) as reading:  # scanned, not indexed, when only read
        assert reading.search("甲乙推进", limit=5).total == 1
        assert reading.search("协同", limit=9).total == 5
    assert _unsearched(path) == 1
    with Library(path) as library:
        assert library.search("协同", limit=5).total == 5 and _unsearched(path) == 0


def test_a_removed_text_is_no_longer_found(tmp_path: Path) -> None:
    path = _library(tmp_path)
    with Library(path) as library:
        assert library.search("粮食", limit=5).total == 1  # indexed
        third = library.search("粮食", limit=5).hits[0].entry.id
        library.remove(third)
        assert library.search("粮食", limit=5).total == 0
        added = library.add(Document(None, "txt", "第六篇\n粮仓。"), Metadata(title="第六篇"))  # unindexed
        library.remove(added.id)
        assert library.search("粮", limit=5).total == 0
        assert _unsearched(path) == 0


def test_a_library_of_the_previous_version_is_upgraded_and_loses_nothing(tmp_path: Path) -> None:
    path = _library(tmp_path)
    with sqlite3.connect(path) as db:  # version 1 had neither the index nor its queue
        db.execute("DROP TABLE pairs")
        db.execute("DROP TABLE unsearched")
        db.execute("PRAGMA user_version = 1")
    before = _stored(path)
    assert "先导入一次以升级" in run_cli("library", "--library", str(path), "list").stderr
    found = run_cli("library", "--library", str(path), "search", "京津冀协同发展")
    assert found.exit_code == 0 and "共 3 篇" in found.stdout, found.output
    assert _stored(path) == before
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3


def _unsearched(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute("SELECT count(*) FROM unsearched").fetchone()[0])


def _stored(path: Path) -> list[tuple[object, ...]]:
    """Every row a user stored: texts, bodies and fingerprints."""
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT * FROM texts JOIN bodies USING (num) ORDER BY num").fetchall()
        grams = db.execute("SELECT count(*) FROM grams_docsize").fetchall()
    return [*rows, *grams]
