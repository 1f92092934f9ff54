"""Grading rules and word lists, kept as TOML data files; users extend them with --rules FILE."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any, cast

from yuanwen.errors import YuanwenError
from yuanwen.model import KINDS, SEVERITIES, Kind, Severity

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
        "ocr_uncertain",
    }
)
_BUILTIN = Path(__file__).parent
_BUILTIN_FILES = ("leaders.toml", "language.toml", "formulations.toml", "grading.toml")


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


class RuleError(YuanwenError):
    """A rule file that cannot be used, with its file and the place in it."""


def load_rules(extra: Iterable[Path] = ()) -> RuleSet:
    """The built-in rules, extended and overridden by the user's files in order."""
    ruleset = _builtin()
    for path in extra:
        ruleset = _extend(ruleset, _read(path), str(path))
    return ruleset


@cache
def _builtin() -> RuleSet:
    ruleset = RuleSet(rules=(), lists={})
    for name in _BUILTIN_FILES:
        path = _BUILTIN / name
        ruleset = _extend(ruleset, _read(path), str(path), user=False)
    return ruleset


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise RuleError(f"找不到规则文件：{path}") from error
    except (OSError, UnicodeDecodeError) as error:
        raise RuleError(f"无法读取规则文件：{path}") from error
    except tomllib.TOMLDecodeError as error:
        raise RuleError(f"规则文件格式有误：{path}：{error}") from error


def _extend(ruleset: RuleSet, data: dict[str, Any], origin: str, user: bool = True) -> RuleSet:
    """Add a file's lists to the lists; its rules replace rules of the same id or come first."""
    unknown = set(data) - {"lists", "rules"}
    if unknown:
        raise RuleError(f"规则文件 {origin} 有未知的表：{', '.join(sorted(unknown))}")
    lists = dict(ruleset.lists)
    for name, words in cast(dict[str, Any], data.get("lists", {})).items():
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise RuleError(f"规则文件 {origin}：lists.{name} 应是非空字符串的列表")
        lists[name] = tuple(dict.fromkeys([*lists.get(name, ()), *words]))
    rules = list(ruleset.rules)
    added: list[Rule] = []
    for index, table in enumerate(cast(list[dict[str, Any]], data.get("rules", []))):
        place = f"{origin}：第 {index + 1} 条规则（{table.get('id', '无 id')}）"
        existing = next((i for i, r in enumerate(rules) if r.id == table.get("id")), None)
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
            fields[key] = str(value)
        elif key in ("examples", "counterexamples"):
            fields[key] = tuple(Example(str(e["source"]), str(e["reprint"])) for e in value)
        else:
            raise RuleError(f"{place} 有未知字段：{key}")
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
