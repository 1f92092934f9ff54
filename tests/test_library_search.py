"""Keyword search through the index of pairs of characters: found, ranked, snippets, unindexed texts, migration."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from conftest import EXAMPLES, run_cli
from yuanwen import keywords
from yuanwen import library as library_module
from yuanwen.library import BATCH, SCHEMA_VERSION, Library, Metadata
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
        assert _found(library, "协同创新")[1] == "第一篇"  # once in each: the one stored last first
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
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4


def _unsearched(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute("SELECT count(*) FROM unsearched").fetchone()[0])


def _stored(path: Path) -> list[tuple[object, ...]]:
    """Every row a user stored: texts, bodies and fingerprints."""
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT * FROM texts JOIN bodies USING (num) ORDER BY num").fetchall()
        grams = db.execute("SELECT count(*) FROM grams_docsize").fetchall()
    return [*rows, *grams]


def test_texts_are_ranked_by_how_often_they_hold_a_word_reading_only_those_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Texts holding 粮食 1 to 40 times (in 3 batches: the index made in worker processes): the 5
    holding it most often come first, found through the index's tiers, and the total is exact."""
    counts = [1 + (n * 7) % 40 for n in range(2 * BATCH + 40)]
    path = tmp_path / "lib.sqlite3"
    with Library(path) as library:
        texts = (Document(None, "txt", f"第{n}篇\n" + "粮食安全，" * c + f"其余{n}。") for n, c in enumerate(counts))
        list(library.add_many((text, Metadata(title=text.text.split("\n")[0])) for text in texts))
        read: list[int] = []
        body = library._body
        monkeypatch.setattr(library, "_body", lambda num: read.append(num) or body(num))
        found = library.search("粮食", limit=5)
        assert found.total == len(counts) and found.exact
        holding = {f"第{n}篇": c for n, c in enumerate(counts)}
        assert [holding[hit.entry.metadata.title or ""] for hit in found.hits] == [40] * 5
        # Only the top tier's texts were read (those holding it 16 times or more), and the 5 shown again.
        assert len(read) == sum(c >= 16 for c in counts) + 5 and found.hits[0].snippet.startswith("…第")
        # Longer words: held by every text holding it twice or more, and by every text.
        assert library.search("安全，粮食", limit=3).total == len(counts) - counts.count(1)
        assert library.search("食安全，其", limit=3).total == len(counts)


def test_a_common_word_s_total_is_estimated_past_what_is_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(keywords, "COUNTED_AT_MOST", 20)
    path = tmp_path / "lib.sqlite3"
    with Library(path) as library:
        for n in range(60):
            library.add(Document(None, "txt", f"第{n}篇。{'粮食' if n % 2 else '协同'}"), Metadata())
        found = library.search("粮食", limit=5)
    assert not found.exact and 25 <= found.total <= 35 and len(found.hits) == 5
    assert "约" in run_cli("library", "--library", str(path), "search", "粮食").stdout


def test_a_version_3_library_is_read_as_it_stands_and_upgraded_by_a_search(tmp_path: Path) -> None:
    """Version 4 changed only the keyword index: check and audit read a version 3 library as it
    stands; a search the user may write makes the index again, and nothing stored changes."""
    path = _library(tmp_path)
    with Library(path) as library:
        assert library.search("协同", limit=1).total == 4
    with sqlite3.connect(path) as db:  # as version 3 indexed it: the pairs without tiers
        db.execute("INSERT INTO pairs(pairs) VALUES('delete-all')")
        rows = db.execute("SELECT num, text FROM bodies").fetchall()
        db.executemany("INSERT INTO pairs (rowid, tokens) VALUES (?, ?)", ((n, _untiered(t)) for n, t in rows))
        db.execute("PRAGMA user_version = 3")
    before = _stored(path)
    with Library(path, create=False, read_only=True) as reading:
        assert _found(reading, "协同")[1:] == ["第一篇", "第二篇", "第三篇"]
    with Library.reading(path) as reading:
        assert reading.count() == 4
    with Library(path) as library:
        assert _found(library, "协同")[1:] == ["第一篇", "第二篇", "第三篇"]
    assert _stored(path) == before
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
        db.execute("INSERT INTO pairs(pairs) VALUES('integrity-check')")
        assert db.execute("SELECT count(*) FROM unsearched").fetchone()[0] == 0


def _untiered(text: str) -> str:
    """A text's pairs as version 3 indexed them (no tiers)."""
    return ", ".join(token for token in keywords.pair_tokens(text).split(", ") if int(token) < 1 << 42)


def test_two_searches_indexing_at_once_index_each_text_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _library(tmp_path)
    bodies = library_module._unsearched_bodies

    def another_search_first(db: sqlite3.Connection) -> object:
        waiting = list(bodies(db))  # this search has read what waits; another indexes it all meanwhile
        monkeypatch.setattr(library_module, "_unsearched_bodies", bodies)
        with Library(path) as other:
            assert other.search("协同", limit=1).total == 4
        return iter(waiting)

    monkeypatch.setattr(library_module, "_unsearched_bodies", another_search_first)
    with Library(path) as library:
        assert library.search("协同", limit=9).total == 4
    once = _library(tmp_path / "once")
    with Library(once) as library:
        library.search("协同", limit=1)
    with sqlite3.connect(path) as db, sqlite3.connect(once) as reference:
        db.execute("INSERT INTO pairs(pairs) VALUES('integrity-check')")
        # The index as one search makes it: no second copy of any text's pairs.
        segments = "SELECT count(*), sum(length(block)) FROM pairs_data"
        assert db.execute(segments).fetchone() == reference.execute(segments).fetchone()
