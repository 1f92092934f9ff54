"""The library store and its commands: add, import, list, show, search, remove; ids, schema, bad input."""

from __future__ import annotations

import hashlib
import sqlite3
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import CORPUS, EXAMPLES, TEXT_FILES, needs_corpus, run_cli
from yuanwen import library as library_module
from yuanwen.extract import read_document, read_each
from yuanwen.fingerprint import content_of, gram_hashes, key_of
from yuanwen.library import (
    APPLICATION_ID,
    FILE_NAME,
    SCHEMA_VERSION,
    Library,
    LibraryError,
    Metadata,
    first_line,
    library_path,
)
from yuanwen.model import Document
from yuanwen.normalize import normalize

SOURCE = EXAMPLES / "source.txt"


@pytest.fixture(autouse=True)
def _no_user_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may touch the user's real library."""
    monkeypatch.setenv("YUANWEN_LIBRARY", str(tmp_path / "default" / FILE_NAME))


def _lib(tmp_path: Path) -> Path:
    return tmp_path / "lib" / FILE_NAME


def _document(text: str) -> Document:
    return Document(None, "txt", text)


def test_add_list_show_search_remove(tmp_path: Path) -> None:
    lib = _lib(tmp_path)
    metadata = ("--title", "京津冀协同发展座谈会", "--date", "2023-05-12", "--publisher", "新华社")
    added = run_cli("library", "--library", lib, "add", SOURCE, *metadata)
    assert added.exit_code == 0, added.output
    text_id = added.stdout.split("：")[1].strip()
    content = normalize(read_document(SOURCE).text).content
    assert text_id == hashlib.sha256(content.encode()).hexdigest()[:8]

    again = run_cli("library", "--library", lib, "add", SOURCE)
    assert again.exit_code == 0 and "已有" in again.stdout and text_id in again.stdout

    listed = run_cli("library", "--library", lib, "list").stdout.splitlines()
    assert len(listed) == 2
    assert listed[1].split()[:4] == [text_id, "2023-05-12", "新华社", "京津冀协同发展座谈会"]

    shown = run_cli("library", "--library", lib, "show", text_id)
    assert shown.exit_code == 0
    assert "标题：京津冀协同发展座谈会" in shown.stdout and f"来源文件：{SOURCE.resolve()}" in shown.stdout
    assert shown.stdout.endswith(read_document(SOURCE).text)

    for keyword in ("京津冀协同发展", "冀", "协同"):
        found = run_cli("library", "--library", lib, "search", keyword)
        assert found.exit_code == 0 and "共 1 篇" in found.stdout and text_id in found.stdout, keyword
    assert "没有" in run_cli("library", "--library", lib, "search", "不存在的词语").stdout

    removed = run_cli("library", "--library", lib, "remove", text_id)
    assert removed.exit_code == 0 and text_id in removed.stdout
    gone = run_cli("library", "--library", lib, "show", text_id)
    assert gone.exit_code == 2 and len(gone.stderr.splitlines()) == 1 and text_id in gone.stderr


def test_a_text_is_stored_exactly_as_read(tmp_path: Path) -> None:
    wide = tmp_path / "utf16.txt"
    wide.write_bytes("第一行\r\n\r\n  第二行，有空格。\r\n".encode("utf-16"))
    with Library(_lib(tmp_path)) as library:
        added = library.add(read_document(wide), Metadata())
        assert library.text(added.id) == read_document(wide).text == "第一行\n\n  第二行，有空格。\n"


def test_the_same_content_with_another_layout_is_not_stored_twice(tmp_path: Path) -> None:
    text = (EXAMPLES / "source.txt").read_text(encoding="utf-8")
    rewrapped = "\n\n".join(text[i : i + 37] for i in range(0, len(text), 37))
    with Library(_lib(tmp_path)) as library:
        first = library.add(_document(text), Metadata(title="一"))
        second = library.add(_document(rewrapped), Metadata(title="二"))
        assert first.new and not second.new and second.id == first.id
        assert library.count() == 1


def test_ids_grow_only_when_their_prefix_is_taken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(library_module, "ID_CHARS", 1)
    texts = [f"第{n}篇原文，内容各不相同。" for n in range(40)]
    with Library(_lib(tmp_path)) as library:
        ids = [added.id for added in library.add_many((_document(t), Metadata()) for t in texts)]
    assert len(set(ids)) == 40
    for text_id, text in zip(ids, texts, strict=True):
        assert hashlib.sha256(content_of(text).encode()).hexdigest().startswith(text_id)
    assert min(map(len, ids)) == 1 and max(map(len, ids)) >= 3


def test_an_import_in_worker_processes_stores_what_one_process_stores(tmp_path: Path) -> None:
    """Several batches prepared by two worker processes: the same ids, titles and fingerprints, in order."""
    texts = [f"第{n}号文件\n关于{n}的通知，内容各不相同，第{n * 7}条。\n" for n in range(2 * library_module.BATCH + 9)]
    texts[5] = texts[3]  # the same text twice: stored once, said so
    read = [(tmp_path / f"{n}.txt", _document(text)) for n, text in enumerate(texts)]
    stored = {}
    for jobs in (1, 2):
        with Library(tmp_path / f"jobs{jobs}" / FILE_NAME) as library:
            results = list(library.import_documents(read, jobs=jobs))
            db = library._db
            rows = db.execute("SELECT t.id, t.title, b.text FROM texts t JOIN bodies b USING (num) ORDER BY num")
            grams = db.execute("SELECT rowid FROM grams WHERE grams MATCH ?", (f'"{_a_fingerprint(texts[9])}"',))
            stored[jobs] = ([r.added for r in results], rows.fetchall(), grams.fetchall())
    assert stored[1] == stored[2]
    added, rows, grams = stored[2]
    assert len(added) == len(texts) and not added[5].new and added[5].id == added[3].id
    # The 10th text is the 9th stored: the 6th was the 4th again.
    assert [title for _, title, _ in rows][:2] == ["第0号文件", "第1号文件"] and grams == [(9,)]


def test_files_read_in_worker_processes_are_stored_as_files_read_here(tmp_path: Path) -> None:
    """An import of more files than a batch, read by worker processes: what one process stores."""
    folder = tmp_path / "files"
    folder.mkdir()
    for n in range(library_module.BATCH + 30):
        (folder / f"{n:04}.txt").write_text(f"第{n}号文件\n关于{n}的通知，第{n * 3}条。\n", encoding="utf-8")
    (folder / "0007.txt").write_bytes(b"")
    files = sorted(folder.iterdir())
    stored = {}
    for jobs in (1, 2):
        with Library(tmp_path / f"jobs{jobs}" / FILE_NAME) as library:
            results = list(library.import_files(files, read_each, jobs=jobs))
            rows = library._db.execute("SELECT t.id, t.title, t.origin, b.text FROM texts t JOIN bodies b USING (num)")
            stored[jobs] = ([(r.path, r.added, r.error) for r in results], rows.fetchall())
    assert stored[1] == stored[2]
    outcomes, rows = stored[2]
    empty = next(outcome for outcome in outcomes if outcome[0].name == "0007.txt")
    assert len(rows) == len(files) - 1 and empty[1] is None and "空" in (empty[2] or "")


def _a_fingerprint(text: str) -> int:
    """One fingerprint value of a text, as the library stores it."""
    return int(library_module._digest_and_tokens(text)[1].split(", ")[0])


def test_a_folder_with_bad_files_is_imported_and_they_are_reported(tmp_path: Path) -> None:
    folder = tmp_path / "texts"
    (folder / "nested").mkdir(parents=True)
    (folder / "good.txt").write_text("第一篇原文。\n", encoding="utf-8")
    (folder / "nested" / "good.md").write_text("第二篇原文。\n", encoding="utf-8")
    (folder / "image.bin").write_bytes(bytes(range(256)) * 40)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "latin.txt").write_bytes(b"\x80\x81\xff\xfe\xfd" * 10 + b"\xc3")
    (folder / ".hidden.txt").write_text("隐藏文件不导入。", encoding="utf-8")
    result = run_cli("library", "--library", _lib(tmp_path), "import", folder)
    assert result.exit_code == 0, result.output
    assert "新增 2 篇" in result.stdout and "跳过 3 个文件" in result.stdout
    skipped = [line for line in result.stderr.splitlines() if "跳过" in line]
    assert len(skipped) == 3
    for name in ("image.bin", "empty.txt", "latin.txt"):
        assert any(name in line for line in skipped), name
    again = run_cli("library", "--library", _lib(tmp_path), "import", "--jobs", "1", folder / "nested")
    assert again.exit_code == 0 and "库中已有 1 篇" in again.stdout, again.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("import", "nowhere"), "找不到文件或文件夹"),
        (("add", str(SOURCE), "--date", "2023-5-1"), "YYYY-MM-DD"),
        (("add", "nowhere.txt"), "找不到文件"),
        (("remove", "deadbeef"), "deadbeef"),
    ],
)
def test_bad_usage_is_one_line_and_exit_2(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    lib = _lib(tmp_path)
    run_cli("library", "--library", lib, "add", EXAMPLES / "source.txt")
    result = run_cli("library", "--library", lib, *args)
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1 and message in result.stderr


def test_reading_commands_do_not_create_a_library(tmp_path: Path) -> None:
    lib = _lib(tmp_path)
    for command in (("list",), ("show", "abc"), ("search", "发展"), ("remove", "abc")):
        result = run_cli("library", "--library", lib, *command)
        assert result.exit_code == 2 and "资料库不存在" in result.stderr
    assert not lib.exists()


def test_a_file_that_is_not_a_library_is_refused(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("这不是数据库文件。" * 100, encoding="utf-8")
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE things (x)")
    for path in (text, other):
        result = run_cli("library", "--library", path, "list")
        assert result.exit_code == 2 and "不是 yuanwen 资料库" in result.stderr, result.stderr


def test_a_library_of_a_newer_version_is_refused(tmp_path: Path) -> None:
    lib = _lib(tmp_path)
    Library(lib).close()
    with sqlite3.connect(lib) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(LibraryError, match="更新版本"):
        Library(lib)


def test_a_new_library_has_its_schema_version_and_wal(tmp_path: Path) -> None:
    lib = _lib(tmp_path)
    Library(lib).close()
    with sqlite3.connect(lib) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    Library(lib).close()  # opening again migrates nothing


def test_the_library_path_is_the_option_then_the_environment_then_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import platformdirs

    given_path = tmp_path / "given.sqlite3"
    assert library_path(given_path) == given_path
    assert library_path(None) == tmp_path / "default" / FILE_NAME
    monkeypatch.delenv("YUANWEN_LIBRARY")
    assert library_path(None) == platformdirs.user_data_path("yuanwen", appauthor=False) / FILE_NAME


@needs_corpus
def test_removing_a_text_removes_its_fingerprints(tmp_path: Path) -> None:
    texts = [(CORPUS / name).read_text(encoding="utf-8") for name in ("0003.txt", "0005.txt", "0006.txt")]
    lib = _lib(tmp_path)
    with Library(lib) as library:
        ids = [added.id for added in library.add_many((_document(t), Metadata()) for t in texts)]
        hashes = gram_hashes(key_of(content_of(texts[1])).codes)
        assert [c.id for c in library.candidates(hashes)][:1] == [ids[1]]
        library.remove(ids[1])
        assert ids[1] not in [c.id for c in library.candidates(hashes)]
        assert library.add(_document(texts[1]), Metadata()).id == ids[1]
    with sqlite3.connect(lib) as db:
        db.execute("INSERT INTO grams(grams) VALUES('integrity-check')")
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_content_is_normalize_s_content_for_every_bmp_character() -> None:
    every = "".join(chr(c) for c in range(0xFFFF) if not 0xD800 <= c < 0xE000)
    assert content_of(every) == normalize(every).content


@given(st.text())
def test_content_is_normalize_s_content(text: str) -> None:
    assert content_of(text) == normalize(text).content


@given(st.integers(min_value=0, max_value=len(TEXT_FILES) - 1), st.integers(min_value=0, max_value=5000))
def test_layout_and_punctuation_width_do_not_change_the_key(number: int, at: int) -> None:
    text = TEXT_FILES[number].read_text(encoding="utf-8")[at : at + 400]
    retyped = " \n".join(text.replace("，", ",").replace("。", ".").replace("２", "2").split("、"))
    assert (
        gram_hashes(key_of(content_of(retyped)).codes).tolist() == gram_hashes(key_of(content_of(text)).codes).tolist()
    )


def test_a_text_s_description_changes_and_its_text_stays(tmp_path: Path) -> None:
    with Library(_lib(tmp_path), create=True) as library:
        added = library.add(_document("国务院召开常务会议\n会议部署下半年工作。"), Metadata(title="国务院召开"))
        entry = library.describe(added.id, Metadata(title="国务院常务会议", publisher="新华社", date="2023-05-12"))
        assert (entry.metadata.title, entry.metadata.publisher) == ("国务院常务会议", "新华社")
        assert library.entry(added.id).metadata.date == "2023-05-12"
        assert library.text(added.id) == "国务院召开常务会议\n会议部署下半年工作。"
        with pytest.raises(LibraryError, match="YYYY-MM-DD"):
            library.describe(added.id, Metadata(date="五月"))


def _segments(path: Path) -> int:
    """How many b-trees the fingerprint index has (FTS5's shadow table grams_idx names each one's segid)."""
    with sqlite3.connect(path) as db:
        return int(db.execute("SELECT count(DISTINCT segid) FROM grams_idx").fetchone()[0])


def test_an_import_that_grows_the_library_merges_its_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = SOURCE.read_text(encoding="utf-8")
    step = len(source) // 5
    texts = [source[n * step : (n + 1) * step] for n in range(5)]
    monkeypatch.setattr(library_module, "BATCH", 1)  # a transaction, and so a segment, per text
    lib = _lib(tmp_path)
    with Library(lib) as library:
        ids = [added.id for added in library.add_many((_document(t), Metadata()) for t in texts[:4])]
        assert _segments(lib) == 1
        # One text more is not a quarter of the library: the index is left as FTS5 keeps it.
        ids.extend(added.id for added in library.add_many([(_document(texts[4]), Metadata())]))
        assert _segments(lib) == 2
        for text, text_id in zip(texts, ids, strict=True):
            assert next(c.id for c in library.candidates(gram_hashes(key_of(content_of(text)).codes))) == text_id


def test_a_reader_sees_texts_another_process_added_since_its_last_search(tmp_path: Path) -> None:
    source = SOURCE.read_text(encoding="utf-8")
    hashes = gram_hashes(key_of(content_of(source)).codes)
    lib = _lib(tmp_path)
    with Library(lib) as writer:
        first = writer.add(_document(source), Metadata()).id
        with Library.reading(lib) as reader:
            assert [c.id for c in reader.candidates(hashes)] == [first]
            # The same passages in another text: the postings the reader remembers are stale now.
            second = writer.add(_document("附件\n" + source), Metadata()).id
            assert [c.id for c in reader.candidates(hashes)] == [first, second]


def _sampled_tokens(text: str) -> str:
    """A text's fingerprints as version 2 chose them (one gram in 16, by its hash alone), as FTS5 tokens."""
    hashes = gram_hashes(key_of(content_of(text)).codes)
    return ", ".join(str(v) for v in sorted(set((hashes[(hashes >> 60) == 0] >> 32).tolist())))


def test_a_version_2_library_gets_the_new_fingerprints_and_keeps_its_texts(tmp_path: Path) -> None:
    source = SOURCE.read_text(encoding="utf-8")
    lib = _lib(tmp_path)
    with Library(lib) as library:
        text_id = library.add(_document(source), Metadata(title="原文")).id
    with sqlite3.connect(lib) as db:  # as version 2 indexed it
        db.execute("INSERT INTO grams(grams) VALUES('delete-all')")
        db.execute("INSERT INTO grams (rowid, tokens) VALUES (1, ?)", (_sampled_tokens(source),))
        db.execute("PRAGMA user_version = 2")
    before = _stored_rows(lib)
    # Passages of 43 key characters (one window of 32 grams) holding no gram version 2 sampled.
    content = content_of(source)
    key = key_of(content)
    sampled = np.flatnonzero((gram_hashes(key.codes) >> 60) == 0)
    starts = [int(a) + 1 for a, b in pairwise(sampled) if b - a > 32]
    assert starts, "the example source has no long stretch without a sampled gram"
    passages = [content[key.at[start] : key.at[start + 42] + 1] for start in starts]
    with Library(lib) as library:  # a writing command upgrades it
        assert _stored_rows(lib) == before
        for passage in passages:
            found = library.candidates(gram_hashes(key_of(content_of(passage)).codes), min_score=0.0)
            assert [c.id for c in found] == [text_id], passage
        library.remove(text_id)
    with sqlite3.connect(lib) as db:
        db.execute("INSERT INTO grams(grams) VALUES('integrity-check')")
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4


def _stored_rows(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT * FROM texts JOIN bodies USING (num) ORDER BY num").fetchall()


def test_a_title_wrapped_over_lines_is_taken_whole(tmp_path: Path) -> None:
    """The title of a text imported without one is its first paragraph, whole: the example release
    wraps its title after 协同发展, as Xinhua's page does; a Markdown heading's marks are no part of it."""
    library = tmp_path / "library.sqlite3"
    run_cli("library", "--library", str(library), "add", str(SOURCE))
    checked = run_cli("check", str(EXAMPLES / "reprint.txt"), "--library", str(library)).stdout
    assert "← 原文 习近平在河北考察并主持召开深入推进京津冀协同发展座谈会时强调\n" in checked
    assert first_line("# 中华人民共和国刑法\n\n第一条 为了惩罚犯罪，保护人民，制定本法。") == "中华人民共和国刑法"
    assert first_line("\u200b\n\n政府工作报告\n\n——2017年3月5日") == "政府工作报告"
    assert first_line(" \n\n") is None
