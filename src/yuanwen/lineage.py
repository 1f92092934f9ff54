"""Where an error came from: an audit's findings read as evidence of who copied whom.

Textual scholars date and group manuscripts by their shared errors (stemmatology): copies that
carry the same rare deviations from the original share an exemplar. Over an audit's outcomes:

1. each finding above info is keyed by what it changed (its source, the place in the source, its
   kind and the reprinted text with width and layout folded); a key carried by two documents or
   more is a shared error
2. documents that share errors of one source form a family; each error weighs by how rare it is
   among the copies of that source
3. in each family the earliest document carrying all its own errors (those most of its members
   carry) is the likely exemplar, the root; every other hangs from the earlier member whose errors
   best explain its own
4. a document seen at two dates (two crawls of one URL) whose later version lacks an error its
   earlier one carried has fixed it (已更正)

This is inference from the evidence, not proof: each edge says how strong it is.
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# A parent's errors that a copy lacks count against it at this fraction of their weight: a copy may
# fix an error it took over, but less often than it keeps one (a copy with all of one member's
# errors and some of another's hangs from the first).
FIXED_ELSEWHERE = 0.5
# Edge strength (the weighted share of the two documents' errors they have in common) at or above
# which an edge is called strong, and below which weak.
STRONG, WEAK = 0.6, 0.3


@dataclass(frozen=True)
class Version:
    """One document of the audit as lineage sees it: its name (path or URL), its date and where that came from."""

    path: str
    date: str  # ISO date, or "" when none is known
    date_from: str
    order: int  # its place in the audit's walk: two crawls of one page on one day, in crawl order


@dataclass(frozen=True)
class Fix:
    """A document whose later version no longer carries the error: its name and that version's date."""

    path: str
    date: str


@dataclass(frozen=True)
class SharedError:
    """One deviation from a source carried by several documents."""

    id: str
    finding: dict[str, Any]  # the first carrier's finding row, as the report schema has it
    carriers: tuple[Version, ...]  # every version that carries it, earliest first
    fixed: tuple[Fix, ...]

    @property
    def documents(self) -> tuple[str, ...]:
        """The names of the documents that carry it (each once), earliest first."""
        return tuple(dict.fromkeys(v.path for v in self.carriers))


@dataclass(frozen=True)
class Member:
    """A document of a family: its exemplar (none for the root) and the shared errors that tie them."""

    path: str
    date: str
    parent: str | None
    ties: tuple[str, ...]
    strength: float

    @property
    def confidence(self) -> str:
        """How strong the edge to the parent is, in words."""
        if self.parent is None:
            return ""
        return "强" if self.strength >= STRONG else "弱" if self.strength < WEAK else "中"


@dataclass(frozen=True)
class Family:
    """Documents that share errors of one source, as a copying tree."""

    source_id: str
    root: str
    members: tuple[Member, ...]  # the root first, then in date order
    errors: tuple[str, ...]  # the shared errors carried in the family


def error_key(finding: Mapping[str, Any]) -> str | None:
    """What a finding changed, as the same deviation in any copy has it; None for info and unsourced findings."""
    if finding["severity"] == "info" or not finding.get("source_id"):
        return None
    reprinted = "".join(unicodedata.normalize("NFKC", finding["reprint_text"]).split())
    place = [finding["source_id"], *finding["source_span"], finding["kind"], reprinted]
    return json.dumps(place, ensure_ascii=False)


def shared_error(
    key: str, marked: Iterable[tuple[dict[str, Any], Version]], versions: Mapping[str, Sequence[Version]]
) -> SharedError:
    """A shared error from each carrier's finding; `versions` holds each document's versions, to tell which fixed it.

    The finding shown is the earliest carrier's, so the audit and Spark, which meet them in other
    orders, show the same."""
    ordered = sorted(marked, key=lambda pair: _when(pair[1]))
    carriers = tuple(version for _, version in ordered)
    fixed = tuple(fix for path in dict.fromkeys(v.path for v in carriers) if (fix := _fixed(path, carriers, versions)))
    return SharedError(_short_id(key), ordered[0][0], carriers, fixed)


def _fixed(path: str, carriers: Sequence[Version], versions: Mapping[str, Sequence[Version]]) -> Fix | None:
    """The first version of the document, later than its last carrying one, that no longer carries the error."""
    carried = [v for v in carriers if v.path == path]
    last = max(carried, key=_when)
    after = sorted((v for v in versions.get(path, ()) if v not in carried and _when(v) > _when(last)), key=_when)
    return Fix(path, after[0].date) if after else None


def families(shared: Sequence[SharedError], copies: Mapping[str, int]) -> list[Family]:
    """The copying trees of each source's documents; `copies` counts each source's documents in the audit."""
    by_source: dict[str, list[SharedError]] = defaultdict(list)
    for error in shared:
        by_source[error.finding["source_id"]].append(error)
    found = []
    for source_id, errors in sorted(by_source.items()):
        weights = {e.id: math.log((copies.get(source_id, 0) + 1) / len(e.documents)) + 1.0 for e in errors}
        for group in _groups(errors):
            found.append(_tree(source_id, group, weights))
    return found


def _groups(errors: Sequence[SharedError]) -> list[list[SharedError]]:
    """Errors whose carriers overlap, joined: one group per family (documents linked by any shared error)."""
    parent: dict[str, str] = {}

    def root(path: str) -> str:
        while parent.setdefault(path, path) != path:
            parent[path] = parent[parent[path]]
            path = parent[path]
        return path

    for error in errors:
        first, *rest = error.documents
        for other in rest:
            parent[root(other)] = root(first)
    grouped: dict[str, list[SharedError]] = defaultdict(list)
    for error in errors:
        grouped[root(error.documents[0])].append(error)
    return list(grouped.values())


def _tree(source_id: str, errors: Sequence[SharedError], weights: Mapping[str, float]) -> Family:
    """One family's copying tree: the exemplar at the root, each later member under its likeliest exemplar."""
    carried: dict[str, set[str]] = defaultdict(set)
    first_seen: dict[str, Version] = {}
    for error in errors:
        for version in error.carriers:
            carried[version.path].add(error.id)
            if version.path not in first_seen or _when(version) < _when(first_seen[version.path]):
                first_seen[version.path] = version
    order = sorted(carried, key=lambda path: _when(first_seen[path]))
    # The family's own errors, those at least half its members carry: the exemplar's, which its
    # copies took over (an error only a branch carries is that branch's own).
    core = {e.id for e in errors if len(e.documents) * 2 >= len(order)}
    root = next((p for p in order if core <= carried[p]), order[0])
    members = [Member(root, first_seen[root].date, None, (), 1.0)]
    # The earliest member placed with each set of errors: a later one with the same set explains a
    # copy no better, and ties go to the earlier (so twenty copies of one page hang from its root,
    # and the search is over the sets of errors, not over every member).
    exemplars = {frozenset(carried[root]): root}
    for path in (p for p in order if p != root):
        candidates = list(exemplars.values())
        parent = max(candidates, key=lambda p: (_score(carried[p], carried[path], weights), -candidates.index(p)))
        ties = carried[parent] & carried[path]
        union = _weight(carried[parent] | carried[path], weights)
        strength = _weight(ties, weights) / union if union else 0.0
        members.append(Member(path, first_seen[path].date, parent, tuple(sorted(ties)), round(strength, 3)))
        exemplars.setdefault(frozenset(carried[path]), path)
    return Family(source_id, root, tuple(members), tuple(sorted(e.id for e in errors)))


def _score(parent: set[str], child: set[str], weights: Mapping[str, float]) -> float:
    """How well a possible exemplar explains a copy: the errors they share, less those the copy would have fixed."""
    return _weight(parent & child, weights) - FIXED_ELSEWHERE * _weight(parent - child, weights)


def _weight(errors: Iterable[str], weights: Mapping[str, float]) -> float:
    return sum(weights[e] for e in errors)


def _when(version: Version) -> tuple[bool, str, str, int]:
    """Dated versions first, earliest first; then by name and walk order, so the order is the same in every run."""
    return (not version.date, version.date, version.path, version.order)


def _short_id(key: str) -> str:
    import hashlib

    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
