"""Claims of a reprint for stored texts: a stretch many texts share, inside one excerpt, stays with the excerpt."""

from __future__ import annotations

import re

from conftest import EXAMPLES
from yuanwen.fingerprint import content_of, gram_hashes, key_of
from yuanwen.locate.claims import Claim, _cover, _kept_with_neighbours

_SENTENCE = re.compile(r"[^。！？]*[。！？]")


class _Texts:
    """Stored texts by id, as the claims read them from a library."""

    def __init__(self, texts: dict[str, str]) -> None:
        self._texts = texts

    def text(self, text_id: str) -> str:
        return self._texts[text_id]


def _claim(source: str, start: int, end: int, place: tuple[int, int]) -> Claim:
    return Claim(source, start, end, end - start, *place)


def test_shared_sentences_between_two_claims_of_one_text_are_that_texts() -> None:
    # The excerpt: three sentences of the release, the middle one also printed in another text (a
    # commentary quoting it). Greedy claims can give the middle to the commentary; it is the excerpt's.
    first, middle, last = _SENTENCE.findall((EXAMPLES / "source.txt").read_text(encoding="utf-8"))[4:7]
    texts = _Texts({"release": first + middle + last, "commentary": "评论员文章指出：" + middle + "这是关键。"})
    reprint = key_of(content_of(first + middle + last))
    hashes = gram_hashes(reprint.codes)
    covers = [_cover(name, hashes, len(reprint.codes), texts) for name in ("release", "commentary")]  # type: ignore[arg-type]
    a, b = len(key_of(content_of(first)).codes), len(key_of(content_of(first + middle)).codes)
    end = len(reprint.codes)
    release_at = (reprint.at[0], reprint.at[a - 1] + 1), (reprint.at[b], reprint.at[end - 1] + 1)
    found = [
        _claim("release", 0, a, (int(release_at[0][0]), int(release_at[0][1]))),
        _claim("commentary", a, b, (8, 8 + b - a)),
        _claim("release", b, end, (int(release_at[1][0]), int(release_at[1][1]))),
    ]
    kept = _kept_with_neighbours(found, covers)
    assert [claim.source for claim in kept] == ["release"] * 3
    assert release_at[0][1] <= kept[1].source_start + 12 and kept[1].source_end <= release_at[1][0] + 12
    # A quotation the release does not hold stays the commentary's.
    texts = _Texts({"release": first + last, "commentary": "评论员文章指出：" + middle + "这是关键。"})
    covers = [_cover(name, hashes, len(reprint.codes), texts) for name in ("release", "commentary")]  # type: ignore[arg-type]
    assert [claim.source for claim in _kept_with_neighbours(found, covers)] == ["release", "commentary", "release"]
