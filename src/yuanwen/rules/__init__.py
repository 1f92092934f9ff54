"""Grading rules and word lists, kept as TOML data files; users extend them with --rules FILE."""

from __future__ import annotations

import contextlib
import hashlib
import pickle
import re
import sys
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, cast

from yuanwen import __version__
from yuanwen.errors import InputError
from yuanwen.extract import read_input
from yuanwen.files import cache_folder, drop_stale, in_use, write_atomic
from yuanwen.model import KINDS, SEVERITIES, Kind, Severity
from yuanwen.roster import Office, Period, Roster, Term
from yuanwen.rules.schema import LINT_CHECKS, RuleError, Where, filled, validate

CONDITIONS = frozenset(
    {
        "width_only",
        "zero_glyph",
        "holds_digits",
        "holds_letters",
        "holds_symbols",
        "quotation",
        "outside_body",
        "in_heading",
        "whole_sentences",
        "excerpt_mark",
        "from_a_cut",
        "name",
        "title",
        "organisation",
        "formulation",
        "number",
        "date",
        "in_speech",
        "unmatched",
        "repeated",
        "ocr_uncertain",
        "leader_standing",
        "leader_act",
        "foreign_leader",
    }
)
_BUILTIN = Path(__file__).parent
_BUILTIN_FILES = (
    "leaders.toml",
    "language.toml",
    "formulations.toml",
    "political.toml",
    "grading.toml",
    "roster.toml",
    "foreign.toml",
    "lint.toml",
)
# ~11 times the built-in rules, lists, roster and foreign leaders (93 KB together). A 10 MB file
# took 15 s and 1 GB; 0.84 MB of leaders (70,000 words) makes the example check take 4.5 s and
# 126 MB instead of 0.8 s (shared 2-core machine).
MAX_RULES_BYTES = 1024 * 1024
# Rule sets kept, by their files: a process meets few (the built-in one, and a user's file or two).
_KEPT = 8
__all__ = ["CONDITIONS", "LINT_CHECKS", "Example", "LintRule", "Rule", "RuleError", "RuleSet", "load_rules"]


@dataclass(frozen=True)
class Example:
    """A source and reprint pair on which a rule must (or must not) grade a finding."""

    source: str
    reprint: str


@dataclass(frozen=True)
class Rule:
    """Sets severity and message of the differences it matches."""

    id: str
    kinds: tuple[Kind, ...]
    when: tuple[str, ...]
    severity: Severity
    message: str
    examples: tuple[Example, ...] = ()
    counterexamples: tuple[Example, ...] = ()

    def message_for(self, change: str) -> str:
        """The message with {change} filled in (the only field a message may name)."""
        return filled(self.message, change=change)


@dataclass(frozen=True)
class LintExample:
    """A text, with the date it is read at, on which a lint rule must (or must not) find something."""

    text: str
    date: date | None = None


@dataclass(frozen=True)
class LintRule:
    """A source-free check: one of the kinds in LINT_CHECKS, with its severity, message and data."""

    id: str
    check: str
    severity: Severity
    message: str
    # For the `pattern` kind: a regular expression over the text's content (whitespace dropped),
    # and the suggested wording as a template of re.Match.expand, or a table of characters.
    pattern: str = ""
    replace: str | None = None
    translate: tuple[tuple[str, str], ...] = ()
    enabled: bool = True
    examples: tuple[LintExample, ...] = ()
    counterexamples: tuple[LintExample, ...] = ()


@dataclass(frozen=True)
class RuleSet:
    """Rules in the order they are tried, and the named word lists their conditions read."""

    rules: tuple[Rule, ...]
    lists: Mapping[str, tuple[str, ...]]
    lint: tuple[LintRule, ...] = ()
    roster: Roster = field(default_factory=Roster)
    # Foreign heads of state and government (foreign.toml): each office titled by its country.
    foreign: tuple[Office, ...] = ()

    def words(self, name: str) -> tuple[str, ...]:
        return self.lists.get(name, ())

    def rule(self, rule_id: str) -> Rule:
        """The rule of that id (a built-in one always exists)."""
        return next(rule for rule in self.rules if rule.id == rule_id)


def load_rules(extra: Iterable[Path] = ()) -> RuleSet:
    """The built-in rules, extended and overridden by the user's files in order.

    One RuleSet object per set of files as they stand: an audit or a web worker checking many
    documents with the same --rules reads and parses them once, and what is derived from a rule set
    (yuanwen.memo.per_rules) is built once for it."""
    paths = tuple(extra)
    stamps = tuple(_stamp(path) for path in paths)
    return _parsed(paths) if None in stamps else _loaded(paths, stamps)


def _stamp(path: Path) -> tuple[int, ...] | None:
    """What changes when a rules file is rewritten; None when it is no file to stat (_read says why)."""
    try:
        stat = path.stat()
    except (OSError, ValueError):
        return None
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


@lru_cache(maxsize=_KEPT)
def _loaded(paths: tuple[Path, ...], stamps: tuple[tuple[int, ...] | None, ...]) -> RuleSet:
    """The rules of those files as they stand (the stamps, only a cache key, say how)."""
    return _parsed(paths)


def _parsed(paths: tuple[Path, ...]) -> RuleSet:
    ruleset = _builtin()
    for path in paths:
        ruleset = _extend(ruleset, _read(path))
    return ruleset


@cache
def _builtin() -> RuleSet:
    """The built-in rules, kept parsed in the user's cache folder under a hash of their files and of
    yuanwen's and Python's versions: loaded in ~1 ms where parsing takes ~30 ms, every process."""
    digest = hashlib.sha256(f"{__version__} {sys.version}".encode())
    for name in _BUILTIN_FILES:
        digest.update((_BUILTIN / name).read_bytes())
    kept = cache_folder() / f"rules-{digest.hexdigest()[:32]}.pickle"
    with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        ruleset = pickle.loads(kept.read_bytes())  # written by yuanwen alone, whole or not at all
        if isinstance(ruleset, RuleSet):
            in_use(kept)
            return ruleset
    ruleset = RuleSet(rules=(), lists={})
    for name in _BUILTIN_FILES:
        ruleset = _extend(ruleset, _read(_BUILTIN / name), user=False)
    with contextlib.suppress(OSError):  # a folder that cannot be written: parsed again next time
        kept.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(kept, pickle.dumps(ruleset), sync=False)
        drop_stale(kept, "rules-*.pickle")
    return ruleset


def _read(path: Path) -> tuple[dict[str, Any], Where]:
    """A rules file parsed and validated whole, with the places in it for later messages."""
    try:
        text = read_input(path, MAX_RULES_BYTES).decode("utf-8")
        data = tomllib.loads(text)
    except InputError as error:
        raise RuleError(f"规则文件：{error}") from error
    except UnicodeDecodeError as error:
        raise RuleError(f"规则文件不是 UTF-8 文本：{path}") from error
    except tomllib.TOMLDecodeError as error:
        raise RuleError(f"规则文件格式有误：{path}：{error}") from error
    except RecursionError as error:  # tomllib reads nested arrays and tables recursively
        raise RuleError(f"规则文件嵌套过深：{path}") from error
    where = Where(str(path), text)
    validate(data, where)
    return data, where


def _extend(ruleset: RuleSet, read: tuple[dict[str, Any], Where], user: bool = True) -> RuleSet:
    """Add a file's lists to the lists; its rules replace rules of the same id or come first."""
    data, where = read
    origin = where.origin
    lists = dict(ruleset.lists)
    for name, words in data.get("lists", {}).items():
        lists[name] = tuple(dict.fromkeys([*lists.get(name, ()), *words]))
    rules = list(ruleset.rules)
    added: list[Rule] = []
    for index, table in enumerate(data.get("rules", [])):
        place = where.rule(index, table)
        existing = next((i for i, r in enumerate(rules) if r.id == table["id"]), None)
        if existing is not None:
            rules[existing] = _override(rules[existing], table, place)
        else:
            added.append(_rule(table, place))
    ordered = [*added, *rules] if user else [*rules, *added]
    return RuleSet(
        rules=tuple(ordered),
        lists=lists,
        lint=_extend_lint(ruleset.lint, data.get("lint", []), origin),
        roster=_extend_roster(ruleset.roster, data, origin),
        foreign=_extend_foreign(ruleset.foreign, data.get("foreign", []), origin),
    )


def _extend_lint(lint: tuple[LintRule, ...], tables: list[dict[str, Any]], origin: str) -> tuple[LintRule, ...]:
    """Lint rules with a file's tables: one of a known id changes that rule, a new one is added."""
    rules = list(lint)
    for index, table in enumerate(tables):
        place = f"{origin}：第 {index + 1} 条 lint 规则（{table.get('id', '无 id')}）"
        existing = next((i for i, r in enumerate(rules) if r.id == table.get("id")), None)
        if existing is not None:
            rules[existing] = _lint_override(rules[existing], table, place)
            continue
        missing = {"id", "check", "severity", "message"} - set(table)
        if missing:
            raise RuleError(f"{place} 缺少字段：{', '.join(sorted(missing))}")
        rules.append(_lint_override(LintRule(str(table["id"]), "pattern", "info", ""), table, place))
    return tuple(rules)


def _lint_override(rule: LintRule, table: dict[str, Any], place: str) -> LintRule:
    fields: dict[str, Any] = {}
    for key, value in table.items():
        if key in ("check", "severity"):
            fields[key] = _choice(value, tuple(sorted(LINT_CHECKS)) if key == "check" else SEVERITIES, place, key)
        elif key in ("message", "pattern", "replace"):
            fields[key] = str(value)
        elif key == "translate":
            fields[key] = tuple((str(k), str(v)) for k, v in cast(dict[str, Any], value).items())
        elif key == "enabled":
            fields[key] = bool(value)
        elif key in ("examples", "counterexamples"):
            fields[key] = tuple(LintExample(str(e["text"]), e.get("date")) for e in value)
        elif key != "id":
            raise RuleError(f"{place} 有未知字段：{key}")
    updated = replace(rule, **fields)
    try:
        re.compile(updated.pattern)
    except re.error as error:
        raise RuleError(f"{place}：正则表达式有误：{error}") from error
    return updated


def _extend_roster(roster: Roster, data: dict[str, Any], origin: str) -> Roster:
    """The roster with a file's offices (a holder's periods replace that name's in that office) and terms."""
    offices = {office.title: office for office in roster.offices}
    for index, table in enumerate(cast(list[dict[str, Any]], data.get("offices", []))):
        office = _office(table, f"{origin}：第 {index + 1} 个职务（{table.get('title', '无 title')}）")
        old = offices.get(office.title, Office(office.title, (), (), ()))
        names = {p.name for p in office.holders}
        offices[office.title] = Office(
            office.title,
            tuple(table.get("before", old.before)),
            tuple(table.get("after", old.after)),
            (*(p for p in old.holders if p.name not in names), *office.holders),
        )
    terms = {term.start: term for term in roster.terms}
    for index, table in enumerate(cast(list[dict[str, Any]], data.get("standing", []))):
        try:
            start = _day(table["from"])
            terms[start] = Term(start, tuple(str(m) for m in table["members"]), bool(table.get("ordered", True)))
        except (KeyError, TypeError, ValueError) as error:
            raise RuleError(f"{origin}：第 {index + 1} 届常委应有 from（日期）和 members：{error}") from error
    return Roster(tuple(offices.values()), tuple(sorted(terms.values(), key=lambda t: t.start)))


def _extend_foreign(foreign: tuple[Office, ...], tables: list[dict[str, Any]], origin: str) -> tuple[Office, ...]:
    """Foreign offices with a file's: a holder's periods replace that name's in that country's office."""
    offices = {office.title: office for office in foreign}
    for index, table in enumerate(tables):
        title = f"{table['country']}{table['office']}"
        read = _office({**table, "title": title}, f"{origin}：第 {index + 1} 个外国职务（{title}）")
        old = offices.get(title, Office(title, (title,), (), ()))
        names = {p.name for p in read.holders}
        kept = tuple(p for p in old.holders if p.name not in names)
        offices[title] = Office(title, old.before, (), (*kept, *read.holders))
    return tuple(offices.values())


def _office(table: dict[str, Any], place: str) -> Office:
    """An [[offices]] table's title and holders, each period checked."""
    try:
        holders = tuple(
            Period(str(h["name"]), _day(h["from"]), _day_or_none(h.get("to"))) for h in table.get("holders", [])
        )
        return Office(str(table["title"]), (), (), holders)
    except (KeyError, TypeError, ValueError) as error:
        raise RuleError(f"{place}：任职记录应有 name、from（日期）和可选的 to：{error}") from error


def _day(value: Any) -> date:
    if isinstance(value, date):
        return value
    raise ValueError(f"{value!r} 不是日期（写作 2023-03-11）")


def _day_or_none(value: Any) -> date | None:
    return None if value is None else _day(value)


def _rule(table: dict[str, Any], place: str) -> Rule:
    missing = {"id", "kinds", "severity", "message"} - set(table)
    if missing:
        raise RuleError(f"{place} 缺少字段：{', '.join(sorted(missing))}")
    base = Rule(id=str(table["id"]), kinds=(), when=(), severity="info", message="")
    return _override(base, table, place)


def _override(rule: Rule, table: dict[str, Any], place: str) -> Rule:
    """A rule with the fields a table gives, each checked."""
    fields: dict[str, Any] = {}
    for key, value in table.items():
        if key == "id":
            continue
        if key == "kinds":
            fields[key] = tuple(_choice(v, KINDS, place, key) for v in value)
        elif key == "when":
            fields[key] = tuple(_condition(v, place) for v in value)
        elif key == "severity":
            fields[key] = _choice(value, SEVERITIES, place, key)
        elif key == "message":
            fields[key] = value
        elif key in ("examples", "counterexamples"):
            fields[key] = tuple(Example(e["source"], e["reprint"]) for e in value)
    return replace(rule, **fields)


def _choice(value: Any, allowed: tuple[str, ...], place: str, key: str) -> Any:
    if value not in allowed:
        raise RuleError(f"{place}：{key} 的值 {value!r} 不在 {', '.join(allowed)} 之中")
    return value


def _condition(value: Any, place: str) -> str:
    name = str(value).removeprefix("not ").strip()
    if name not in CONDITIONS:
        raise RuleError(f"{place}：未知条件 {value!r}（可用：{', '.join(sorted(CONDITIONS))}）")
    return str(value)
