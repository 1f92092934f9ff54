"""What is derived from a rule set, built once per rule set and process and reused by every check.

yuanwen.rules.load_rules gives one RuleSet object per set of rule files as they stand, so a
RuleSet's identity stands for its content: a web worker, an audit worker or a Spark partition
checking many documents builds each derived table (patterns, the segmenter, the roster index) once.
A RuleSet holds dictionaries and cannot be hashed; its identity can, and the entry holds the RuleSet
itself, so the identity is not reused while the entry lives.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from yuanwen.rules import RuleSet

T = TypeVar("T")
# Rule sets whose derived tables are kept: a process meets few (the built-in one, a user's file or two).
KEPT = 8


def per_rules(build: Callable[[RuleSet], T]) -> Callable[[RuleSet], T]:
    """build(rules), computed once for each of the last KEPT rule sets it was asked for."""
    built: OrderedDict[int, tuple[RuleSet, T]] = OrderedDict()
    lock = threading.Lock()  # the web app's threads share a process

    @wraps(build)
    def cached(rules: RuleSet) -> T:
        with lock:
            entry = built.get(id(rules))
            if entry is not None and entry[0] is rules:
                built.move_to_end(id(rules))
                return entry[1]
            value = build(rules)
            built[id(rules)] = (rules, value)
            if len(built) > KEPT:
                built.popitem(last=False)
            return value

    return cached
