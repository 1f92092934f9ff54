"""The shape of a rules file, checked whole before any of it is used; each error names its file and line."""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from yuanwen.errors import YuanwenError

# The fields a rule's message may name; grade.py fills them (only {change}: “原”被改为“新” …).
MESSAGE_FIELDS = frozenset({"change"})
RULE_KEYS = frozenset({"id", "kinds", "when", "severity", "message", "examples", "counterexamples"})
_LIST_KEYS = ("kinds", "when")
_EXAMPLE_KEYS = frozenset({"source", "reprint"})
_RULE_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*rules[ \t]*\]\]", re.MULTILINE)


class RuleError(YuanwenError):
    """A rule file that cannot be used, with its file and the place in it."""


class Where:
    """Places in one rules file, as `file 第 N 行` for the messages."""

    def __init__(self, origin: str, text: str) -> None:
        self.origin = origin
        self._text = text
        self._headers = [match.start() for match in _RULE_HEADER.finditer(text)]

    def rule(self, index: int, table: Mapping[str, Any], key: str | None = None) -> str:
        """Where the index-th rule (or one of its keys) is written."""
        start = self._headers[index] if index < len(self._headers) else self._find(_id_pattern(table.get("id")), 0)
        if start is not None and key is not None:
            end = next((h for h in self._headers if h > start), len(self._text))
            start = self._find(rf"^[ \t]*{re.escape(key)}[ \t]*=|\b{re.escape(key)}[ \t]*=", start, end) or start
        label = f"第 {index + 1} 条规则（{table.get('id', '无 id')}）"
        return self._at(start, label)

    def list(self, name: str) -> str:
        return self._at(self._find(rf"^[ \t]*(lists\.)?{re.escape(name)}[ \t]*=", 0), f"lists.{name}")

    def file(self) -> str:
        return f"规则文件 {self.origin}"

    def _find(self, pattern: str | None, start: int, end: int | None = None) -> int | None:
        if pattern is None:
            return None
        match = re.compile(pattern, re.MULTILINE).search(self._text, start, len(self._text) if end is None else end)
        return None if match is None else match.start()

    def _at(self, offset: int | None, label: str) -> str:
        line = "" if offset is None else f"第 {self._text.count(chr(10), 0, offset) + 1} 行，"
        return f"规则文件 {self.origin}：{line}{label}"


def validate(data: Mapping[str, Any], where: Where) -> None:
    """Types, known keys, message fields and unique ids of a parsed rules file; the first problem raises."""
    unknown = set(data) - {"lists", "rules"}
    if unknown:
        raise RuleError(f"{where.file()} 有未知的表：{', '.join(sorted(unknown))}（只能有 lists 与 rules）")
    _validate_lists(data.get("lists", {}), where)
    rules = data.get("rules", [])
    if not isinstance(rules, list) or not all(isinstance(table, dict) for table in rules):
        raise RuleError(f"{where.file()}：rules 应是表的数组（[[rules]]）")
    seen: set[str] = set()
    for index, table in enumerate(rules):
        _validate_rule(table, partial(where.rule, index, table))
        if table.get("id") in seen:
            raise RuleError(f"{where.rule(index, table)}：同一文件中 id 重复")
        seen.add(table.get("id", ""))


def _validate_lists(lists: Any, where: Where) -> None:
    if not isinstance(lists, dict):
        raise RuleError(f"{where.file()}：lists 应是一个表（[lists]）")
    for name, words in lists.items():
        if not isinstance(words, list) or not all(isinstance(word, str) and word for word in words):
            raise RuleError(f"{where.list(name)} 应是非空字符串的列表")


def _validate_rule(table: dict[str, Any], at: Callable[..., str]) -> None:
    unknown = set(table) - RULE_KEYS
    if unknown:
        raise RuleError(f"{at()} 有未知字段：{', '.join(sorted(unknown))}")
    if not isinstance(table.get("id"), str) or not table["id"].strip():
        raise RuleError(f"{at('id')}：id 应是非空字符串")
    for key in ("severity", "message"):
        if key in table and not isinstance(table[key], str):
            raise RuleError(f"{at(key)}：{key} 应是字符串")
    for key in _LIST_KEYS:
        if key in table and not (isinstance(table[key], list) and all(isinstance(v, str) for v in table[key])):
            raise RuleError(f"{at(key)}：{key} 应是字符串的列表")
    for key in ("examples", "counterexamples"):
        if key in table and not _examples(table[key]):
            raise RuleError(f'{at(key)}：{key} 应是 {{ source = "…", reprint = "…" }} 的列表')
    if "message" in table:
        check_message(table["message"], at("message"))


def _examples(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(e, dict) and set(e) == _EXAMPLE_KEYS and all(isinstance(v, str) for v in e.values()) for e in value
    )


def check_message(message: str, place: str) -> None:
    """A message template names only MESSAGE_FIELDS, plainly: no index, attribute, conversion or format."""
    try:
        fields = [parsed[1:] for parsed in string.Formatter().parse(message) if parsed[1] is not None]
    except ValueError as error:
        raise RuleError(f"{place}：message 中的花括号不成对（字面的花括号写作 {{{{ 与 }}}}）") from error
    for field, spec, conversion in fields:
        if field not in MESSAGE_FIELDS or spec or conversion:
            allowed = "、".join(f"{{{name}}}" for name in sorted(MESSAGE_FIELDS))
            raise RuleError(f"{place}：message 只能用 {allowed}，不能用 {{{field}}}")


def filled(message: str, **values: str) -> str:
    """A checked message template with its fields filled in; nothing in it is evaluated."""
    parts = string.Formatter().parse(message)
    return "".join(literal + (values[field] if field is not None else "") for literal, field, _, _ in parts)


def _id_pattern(rule_id: object) -> str | None:
    return rf"\bid[ \t]*=[ \t]*[\"']{re.escape(rule_id)}[\"']" if isinstance(rule_id, str) else None
