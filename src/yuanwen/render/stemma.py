"""A family's copying tree (yuanwen.lineage) drawn as an inline SVG: the exemplar on top, its copies below.

A tree needs no general graph layout: each member stands one row below its exemplar, leaves take
the columns in order and an exemplar stands over the middle of its copies. Drawn here, so the page
stays one offline file with nothing to install.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from yuanwen.lineage import Family, Member

NODE_WIDTH, NODE_HEIGHT, COLUMN, ROW = 150, 38, 170, 80
# Characters of a document's name a node shows (the end of its path, where names differ).
NAME_CHARS = 18
EDGE_COLOURS = {"强": "#333", "中": "#777", "弱": "#bbb"}


def stemma_svg(family: Family) -> str:
    """The family's tree: a box per document (name and date), a line per edge, dashed when weak."""
    children: dict[str, list[Member]] = {m.path: [] for m in family.members}
    for member in family.members[1:]:
        children[str(member.parent)].append(member)
    places: dict[str, tuple[float, int]] = {}
    _place(family.members[0], children, 0, places, [0])
    width = max(x for x, _ in places.values()) + COLUMN
    height = max(depth for _, depth in places.values()) * ROW + NODE_HEIGHT + 20
    edges = [_edge(places[str(m.parent)], places[m.path], m) for m in family.members[1:]]
    nodes = [_node(places[m.path], m) for m in family.members]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="stemma" width="{width:.0f}" height="{height}"'
        f' viewBox="0 0 {width:.0f} {height}" role="img" aria-label="传抄关系图">{"".join(edges + nodes)}</svg>'
    )


def _place(
    member: Member,
    children: dict[str, list[Member]],
    depth: int,
    places: dict[str, tuple[float, int]],
    next_column: list[int],
) -> float:
    """Give the member and its copies their places; return the member's x."""
    below = children[member.path]
    if below:
        xs = [_place(child, children, depth + 1, places, next_column) for child in below]
        x = (xs[0] + xs[-1]) / 2
    else:
        x = next_column[0] * COLUMN + 10
        next_column[0] += 1
    places[member.path] = (x, depth)
    return x


def _node(place: tuple[float, int], member: Member) -> str:
    x, depth = place
    y = depth * ROW + 10
    name = member.path.rstrip("/").rsplit("/", 1)[-1] or member.path
    shown = name if len(name) <= NAME_CHARS else "…" + name[-(NAME_CHARS - 1) :]
    root = " root" if member.parent is None else ""
    return (
        f'<g class="node{root}"><title>{escape(member.path)}</title>'
        f'<rect x="{x:.0f}" y="{y}" width="{NODE_WIDTH}" height="{NODE_HEIGHT}" rx="4"/>'
        f'<text x="{x + 6:.0f}" y="{y + 15}">{escape(shown)}</text>'
        f'<text x="{x + 6:.0f}" y="{y + 31}" class="date">{escape(member.date or "日期不明")}</text></g>'
    )


def _edge(top: tuple[float, int], bottom: tuple[float, int], member: Member) -> str:
    x1, y1 = top[0] + NODE_WIDTH / 2, top[1] * ROW + 10 + NODE_HEIGHT
    x2, y2 = bottom[0] + NODE_WIDTH / 2, bottom[1] * ROW + 10
    colour = EDGE_COLOURS[member.confidence]
    dash = ' stroke-dasharray="4 3"' if member.confidence == "弱" else ""
    return (
        f'<line x1="{x1:.0f}" y1="{y1}" x2="{x2:.0f}" y2="{y2}" stroke="{colour}" stroke-width="1.5"{dash}>'
        f"<title>{escape(member.confidence)}（{member.strength:.2f}）</title></line>"
    )
