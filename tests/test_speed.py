"""Set-up paid once: rule sets loaded once per files as they stand, tables derived once per rule set,
and the alignment's two ways of finding anchors giving the same anchors."""

from __future__ import annotations

import os
import pickle
import time
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from pytest import MonkeyPatch

from conftest import EXAMPLES
from yuanwen import lexicon as lexicon_module
from yuanwen import rules as rules_module
from yuanwen.align import _anchors_large, _anchors_small
from yuanwen.files import STALE_SECONDS
from yuanwen.memo import KEPT, per_rules
from yuanwen.rules import RuleSet, load_rules
from yuanwen.words import rules_segmenter

SOURCE = (EXAMPLES / "source.txt").read_text(encoding="utf-8")
REPRINT = (EXAMPLES / "reprint.txt").read_text(encoding="utf-8")
_ONCE = ((True, True), (True, False), (False, True))


def test_both_ways_of_finding_anchors_agree_on_the_example() -> None:
    # The dictionaries serve short texts in a fresh process, NumPy's hashes once it is loaded.
    a, b = "".join(SOURCE.split()), "".join(REPRINT.split())
    for once in _ONCE:
        anchors = _anchors_small(a, b, once, 0, 0)
        assert anchors == _anchors_large(a, b, once, 0, 0)
    assert len(_anchors_small(a, b, (True, True), 0, 0).a) > 100


@settings(max_examples=60, deadline=None)
@given(
    a=st.text(alphabet="甲乙丙丁。", min_size=0, max_size=300),
    b=st.text(alphabet="甲乙丙丁。", min_size=0, max_size=300),
)
def test_both_ways_of_finding_anchors_agree_on_repetitive_texts(a: str, b: str) -> None:
    # Five characters repeat 12-grams often: uniqueness and first places are what is compared, and
    # the places given counting from where each range starts in its text.
    joined = a + b + a
    for once in _ONCE:
        assert _anchors_small(joined, b + a, once, 3, 40) == _anchors_large(joined, b + a, once, 3, 40)


def test_a_rules_file_is_read_once_until_it_changes(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('[lists]\nleaders = ["张三"]\n', encoding="utf-8")
    first = load_rules([rules])
    assert load_rules([rules]) is first
    assert "张三" in first.words("leaders")
    rules.write_text('[lists]\nleaders = ["李四四"]\n', encoding="utf-8")
    os.utime(rules, ns=(1, 1))  # a file's times set back: its size and change time still tell
    changed = load_rules([rules])
    assert changed is not first
    assert "李四四" in changed.words("leaders") and "张三" not in changed.words("leaders")
    assert load_rules() is load_rules(())


def test_what_is_derived_from_a_rule_set_is_built_once_for_it(tmp_path: Path) -> None:
    built: list[int] = []

    @per_rules
    def count(rules: RuleSet) -> int:
        built.append(len(rules.rules))
        return len(built)

    builtin = load_rules()
    assert count(builtin) == count(builtin) == 1
    rules = tmp_path / "rules.toml"
    rules.write_text('[lists]\nleaders = ["张三"]\n', encoding="utf-8")
    assert count(load_rules([rules])) == count(load_rules([rules])) == 2
    assert rules_segmenter(load_rules([rules])) is rules_segmenter(load_rules([rules]))
    assert rules_segmenter(load_rules([rules])) is not rules_segmenter(builtin)
    for _ in range(KEPT):  # the oldest rule set's table is built again once others pushed it out
        count(RuleSet(rules=(), lists={}))
    assert count(builtin) == KEPT + 3


def test_the_built_in_rules_are_kept_parsed_in_the_cache_folder(tmp_path: Path, monkeypatch: MonkeyPatch) -> None:
    monkeypatch.setattr(rules_module, "cache_folder", lambda: tmp_path / "cache")
    (tmp_path / "cache").mkdir()
    older = tmp_path / "cache" / "rules-of-an-older-yuanwen.pickle"
    older.write_bytes(b"")
    unused = time.time() - STALE_SECONDS - 60
    os.utime(older, (unused, unused))
    beside = tmp_path / "cache" / "rules-of-another-install.pickle"  # in use by another venv: kept
    beside.write_bytes(b"")
    parse = rules_module._builtin.__wrapped__  # the cached function itself: this process's rules stay
    assert parse() == load_rules()
    kept = next(path for path in (tmp_path / "cache").glob("rules-*.pickle") if path != beside)
    assert not older.exists() and beside.exists()
    os.utime(kept, (unused, unused))
    assert parse() == load_rules() and kept.stat().st_mtime > unused  # used: marked so
    mine = RuleSet(rules=(), lists={"leaders": ("张三",)})
    kept.write_bytes(pickle.dumps(mine))
    assert parse() == mine  # read, not parsed again
    kept.write_bytes(b"\x80\x05not a pickle")
    assert parse() == load_rules()  # a spoilt file is parsed again and replaced
    assert pickle.loads(kept.read_bytes()) == load_rules()


def test_the_dictionary_file_of_another_install_is_kept_until_unused(tmp_path: Path, monkeypatch: MonkeyPatch) -> None:
    # Two virtual environments hold the same dict.txt dated differently: each keeps a file of its own,
    # where dropping the other's at once made them rebuild each other's (~2.7 s of CPU each time).
    monkeypatch.setattr(lexicon_module, "cache_folder", lambda: tmp_path)
    beside, stale = tmp_path / "lexicon-1-5-1.sqlite3", tmp_path / "lexicon-1-5-2.sqlite3"
    beside.write_bytes(b"")
    stale.write_bytes(b"")
    unused = time.time() - STALE_SECONDS - 60
    os.utime(stale, (unused, unused))
    lexicon = lexicon_module.open_lexicon()
    assert lexicon is not None and lexicon.entries(["中国"])
    assert beside.exists() and not stale.exists()
    [mine] = set(tmp_path.glob("lexicon-*.sqlite3")) - {beside}
    os.utime(mine, (unused, unused))
    assert lexicon_module.open_lexicon() is not None and mine.stat().st_mtime > unused
