"""Grading rules and word lists, kept as TOML data files; users extend them with --rules FILE."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from yuanwen.errors import InputError
from yuanwen.extract import read_input
from yuanwen.model import KINDS, SEVERITIES, Kind, Severity
from yuanwen.rules.schema import RuleError, Where, filled, validate

CONDITIONS = frozenset(
    {
        "width_only",
        "outside_body",
        "in_heading",
        "whole_sentences",
        "excerpt_mark",
        "name",
        "title",
        "organisation",
        "formulation",
        "number",
        "date",
        "in_speech",
        "unmatched",
        "repeated",
    }
)
_BUILTIN = Path(__file__).parent
_BUILTIN_FILES = ("leaders.toml", "language.toml", "formulations.toml", "grading.toml")
# ~50 times the built-in rules and lists (18 KB together). A 10 MB file took 15 s and 1 GB; 0.84 MB of
# leaders (70,000 words) makes the example check take 4.5 s and 126 MB instead of 0.8 s (shared 2-core machine).
MAX_RULES_BYTES = 1024 * 1024
__all__ = ["CONDITIONS", "Example", "Rule", "RuleError", "RuleSet", "load_rules"]


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
class RuleSet:
    """Rules in the order they are tried, and the named word lists their conditions read."""

    rules: tuple[Rule, ...]
    lists: Mapping[str, tuple[str, ...]]

    def words(self, name: str) -> tuple[str, ...]:
        return self.lists.get(name, ())

    def rule(self, rule_id: str) -> Rule:
        """The rule of that id (a built-in one always exists)."""
        return next(rule for rule in self.rules if rule.id == rule_id)


def load_rules(extra: Iterable[Path] = ()) -> RuleSet:
    """The built-in rules, extended and overridden by the user's files in order."""
    ruleset = _builtin()
    for path in extra:
        ruleset = _extend(ruleset, _read(path))
    return ruleset


@cache
def _builtin() -> RuleSet:
    ruleset = RuleSet(rules=(), lists={})
    for name in _BUILTIN_FILES:
        path = _BUILTIN / name
        ruleset = _extend(ruleset, _read(path), user=False)
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
    return RuleSet(rules=tuple(ordered), lists=lists)


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
