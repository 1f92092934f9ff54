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
# The fields a lint rule's message may name (rules/lint.toml documents them); yuanwen.lint fills them.
LINT_MESSAGE_FIELDS = frozenset({"found", "suggestion", "name", "title", "date", "expected"})
# The kinds of source-free check written in code (yuanwen.lint); a lint rule picks one.
LINT_CHECKS = frozenset({"pattern", "title", "former", "name", "order", "pairs", "headings"})
RULE_KEYS = frozenset({"id", "kinds", "when", "severity", "message", "examples", "counterexamples"})
_TABLES = ("lists", "rules", "lint", "offices", "standing", "foreign")
_ARRAYS_OF_TABLES = ("rules", "lint", "offices", "standing", "foreign")
_LIST_KEYS = ("kinds", "when")
_EXAMPLE_KEYS = frozenset({"source", "reprint"})


class RuleError(YuanwenError):
    """A rule file that cannot be used, with its file and the place in it."""


class Where:
    """Places in one rules file, as `file 第 N 行` for the messages."""

    def __init__(self, origin: str, text: str) -> None:
        self.origin = origin
        self._text = text
        self._starts: dict[str, list[int]] = {}

    def rule(self, index: int, table: Mapping[str, Any], key: str | None = None) -> str:
        """Where the index-th [[rules]] table (or one of its keys) is written."""
        return self.table("rules", index, table, key)

    def table(self, array: str, index: int, table: Mapping[str, Any], key: str | None = None) -> str:
        """Where the index-th table of an array of tables ([[rules]], [[lint]]), or one of its keys, is written."""
        headers = self._headers(array)
        start = headers[index] if index < len(headers) else self._find(_id_pattern(table.get("id")), 0)
        if start is not None and key is not None:
            end = next((h for h in headers if h > start), len(self._text))
            start = self._find(rf"^[ \t]*{re.escape(key)}[ \t]*=|\b{re.escape(key)}[ \t]*=", start, end) or start
        shown = " ".join(str(table.get("id", "无 id")).split())[:40]  # one line, whatever the file holds
        label = f"第 {index + 1} 条{'规则' if array == 'rules' else f' {array} 规则'}（{shown}）"
        return self._at(start, label)

    def words(self, name: str) -> str:
        return self._at(self._find(rf"^[ \t]*(lists\.)?{re.escape(name)}[ \t]*=", 0), f"lists.{name}")

    def _headers(self, array: str) -> list[int]:
        """Where each [[array]] header starts, found once per array."""
        if array not in self._starts:
            pattern = rf"^[ \t]*\[\[[ \t]*{re.escape(array)}[ \t]*\]\]"
            self._starts[array] = [match.start() for match in re.finditer(pattern, self._text, re.MULTILINE)]
        return self._starts[array]

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
    unknown = set(data) - set(_TABLES)
    if unknown:
        raise RuleError(f"{where.file()} 有未知的表：{', '.join(sorted(unknown))}（只能有 {'、'.join(_TABLES)}）")
    _validate_lists(data.get("lists", {}), where)
    for name in _ARRAYS_OF_TABLES:
        tables = data.get(name, [])
        if not isinstance(tables, list) or not all(isinstance(table, dict) for table in tables):
            raise RuleError(f"{where.file()}：{name} 应是表的数组（[[{name}]]）")
    _validate_ids("rules", data.get("rules", []), where, _validate_rule)
    _validate_ids("lint", data.get("lint", []), where, _validate_lint)
    for index, office in enumerate(data.get("offices", [])):
        _validate_office(office, partial(where.table, "offices", index, office))
    for index, office in enumerate(data.get("foreign", [])):
        _validate_foreign(office, partial(where.table, "foreign", index, office))


def _validate_ids(array: str, tables: list[dict[str, Any]], where: Where, check: Callable[..., None]) -> None:
    """Each table of an array checked, and no id twice in it."""
    seen: set[str] = set()
    for index, table in enumerate(tables):
        check(table, partial(where.table, array, index, table))
        if table["id"] in seen:
            raise RuleError(f"{where.table(array, index, table)}：同一文件中 id 重复")
        seen.add(table["id"])


def _validate_lists(lists: Any, where: Where) -> None:
    if not isinstance(lists, dict):
        raise RuleError(f"{where.file()}：lists 应是一个表（[lists]）")
    for name, words in lists.items():
        if not isinstance(words, list) or not all(isinstance(word, str) and word for word in words):
            raise RuleError(f"{where.words(name)} 应是非空字符串的列表")


def _validate_rule(table: dict[str, Any], at: Callable[..., str]) -> None:
    unknown = set(table) - RULE_KEYS
    if unknown:
        raise RuleError(f"{at()} 有未知字段：{', '.join(sorted(unknown))}")
    _require_id(table, at)
    for key in ("severity", "message"):
        if key in table and not isinstance(table[key], str):
            raise RuleError(f"{at(key)}：{key} 应是字符串")
    for key in _LIST_KEYS:
        if key in table and not _strings(table[key]):
            raise RuleError(f"{at(key)}：{key} 应是字符串的列表")
    for key in ("examples", "counterexamples"):
        if key in table and not _examples(table[key]):
            raise RuleError(f'{at(key)}：{key} 应是 {{ source = "…", reprint = "…" }} 的列表')
    if "message" in table:
        check_message(table["message"], at("message"))


def _require_id(table: dict[str, Any], at: Callable[..., str]) -> None:
    if not isinstance(table.get("id"), str) or not re.fullmatch(r"\S+", table["id"]):
        raise RuleError(f"{at('id')}：id 应是不含空白的非空字符串（如 punct.width）")


def _validate_lint(table: dict[str, Any], at: Callable[..., str]) -> None:
    """A [[lint]] table: the types its reader (rules._lint_override) expects, and message fields it may name."""
    _require_id(table, at)
    for key in ("check", "severity", "message", "pattern", "replace"):
        if key in table and not isinstance(table[key], str):
            raise RuleError(f"{at(key)}：{key} 应是字符串")
    if "enabled" in table and not isinstance(table["enabled"], bool):
        raise RuleError(f"{at('enabled')}：enabled 应是 true 或 false")
    translate = table.get("translate", {})
    if not isinstance(translate, dict) or not all(isinstance(v, str) for v in translate.values()):
        raise RuleError(f"{at('translate')}：translate 应是字符到字符的表")
    for key in ("examples", "counterexamples"):
        value = table.get(key, [])
        if not isinstance(value, list) or not all(
            isinstance(e, dict) and isinstance(e.get("text"), str) for e in value
        ):
            raise RuleError(f'{at(key)}：{key} 应是 {{ text = "…" }} 的列表')
    if "message" in table:
        check_message(table["message"], at("message"), LINT_MESSAGE_FIELDS)


def _validate_office(table: dict[str, Any], at: Callable[..., str]) -> None:
    """An [[offices]] table's types (its dates are checked where the roster is built)."""
    if not isinstance(table.get("title"), str) or not re.fullmatch(r"\S+", table["title"]):
        raise RuleError(f"{at('title')}：title 应是不含空白的非空字符串")
    for key in ("before", "after"):
        if key in table and not _strings(table[key]):
            raise RuleError(f"{at(key)}：{key} 应是字符串的列表")
    holders = table.get("holders", [])
    if not isinstance(holders, list) or not all(isinstance(holder, dict) for holder in holders):
        raise RuleError(f"{at('holders')}：holders 应是表的列表")


def _validate_foreign(table: dict[str, Any], at: Callable[..., str]) -> None:
    """A [[foreign]] table's types: a country, an office and their holders (dates checked where read)."""
    for key in ("country", "office"):
        if not isinstance(table.get(key), str) or not re.fullmatch(r"\S+", table[key]):
            raise RuleError(f"{at(key)}：{key} 应是不含空白的非空字符串")
    holders = table.get("holders", [])
    if not isinstance(holders, list) or not all(isinstance(holder, dict) for holder in holders):
        raise RuleError(f"{at('holders')}：holders 应是表的列表")


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _examples(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(e, dict) and set(e) == _EXAMPLE_KEYS and all(isinstance(v, str) for v in e.values()) for e in value
    )


def check_message(message: str, place: str, allowed: frozenset[str] = MESSAGE_FIELDS) -> None:
    """A message template names only the allowed fields, plainly: no index, attribute, conversion or format."""
    try:
        fields = [parsed[1:] for parsed in string.Formatter().parse(message) if parsed[1] is not None]
    except ValueError as error:
        raise RuleError(f"{place}：message 中的花括号不成对（字面的花括号写作 {{{{ 与 }}}}）") from error
    for field, spec, conversion in fields:
        if field not in allowed or spec or conversion:
            names = "、".join(f"{{{name}}}" for name in sorted(allowed))
            raise RuleError(f"{place}：message 只能用 {names}，不能用 {{{field}}}")


def filled(message: str, **values: str) -> str:
    """A checked message template with its fields filled in; nothing in it is evaluated."""
    parts = string.Formatter().parse(message)
    return "".join(literal + (values[field] if field is not None else "") for literal, field, _, _ in parts)


def _id_pattern(rule_id: object) -> str | None:
    return rf"\bid[ \t]*=[ \t]*[\"']{re.escape(rule_id)}[\"']" if isinstance(rule_id, str) else None
