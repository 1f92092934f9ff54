"""index.html of an audit: every document in a table, sortable and filterable, linking to its HTML report.

Written in three pieces (head, one row per document, tail) so an archive of any size streams to disk.
Offline and locked down as the HTML report: inline CSS and one inline script allowed by its hash.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from yuanwen.model import SEVERITIES
from yuanwen.render.html import asset, content_policy
from yuanwen.render.stemma import stemma_svg
from yuanwen.render.text import SEVERITY_NAMES
from yuanwen.texts import flat

if TYPE_CHECKING:
    from yuanwen.lineage import Family, Member, SharedError

# Shared errors the page lists (shared.csv has them all), and characters of each side of a change shown.
SHARED_SHOWN, SHORT_CHARS = 300, 40
STATUS_NAMES = {"ok": "已核对", "failed": "无法核对", "no-source": "找不到原文", "skipped": "已跳过"}


def index_head() -> str:
    """The page up to the first row: title, filters and the table's header."""
    script = asset("index.js")
    counts = "".join(f'<th data-sort="number" class="sev-{s}">{SEVERITY_NAMES[s]}</th>' for s in SEVERITIES)
    statuses = "".join(f'<option value="{k}">{v}</option>' for k, v in STATUS_NAMES.items())
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{content_policy(script)}">'
        f"<title>原文核对 · 审核总表</title><style>{asset('index.css')}</style></head>"
        '<body><header><h1>原文核对 · 审核总表</h1><p id="shown"></p><div class="filters">'
        '<input type="search" id="filter" placeholder="按文件、原文或差异筛选" aria-label="筛选">'
        f'<select id="status" aria-label="状态"><option value="">全部状态</option>{statuses}</select>'
        '<label><input type="checkbox" id="findings"> 只看有严重或重要差异的</label>'
        '<a href="#shared">共同差错与传抄关系</a></div></header>'
        '<main><table id="documents"><thead><tr><th data-sort="text">文件</th><th data-sort="text">状态</th>'
        f'<th data-sort="text">原文</th>{counts}<th data-sort="text">最重的差异</th></tr></thead><tbody>\n'
    )


def index_row(row: dict[str, Any], link: str | None) -> str:
    """One document's row; its name links to its report when it has one."""
    name = escape(row["path"])
    shown = f'<a href="{escape(link, quote=True)}">{name}</a>' if link else name
    sources = "；".join(f"{s['title'] or s['id']}" for s in row["sources"])
    worst = f"{row['worst_text']}（{row['worst_rule']}）" if row["worst_rule"] else row["reason"]
    counts = "".join(f'<td class="n sev-{s}">{int(row[s])}</td>' for s in SEVERITIES)
    return (
        f'<tr class="st-{escape(row["status"], quote=True)}" data-status="{escape(row["status"], quote=True)}">'
        f'<td class="path">{shown}</td><td>{STATUS_NAMES.get(row["status"], escape(row["status"]))}</td>'
        f"<td>{escape(sources)}</td>{counts}<td>{escape(worst)}</td></tr>\n"
    )


def index_tail(shared: Sequence[SharedError], families: Sequence[Family]) -> str:
    """The end of the documents' table, then the shared errors and the copying trees, then the script."""
    return (
        f"</tbody></table>{_shared_view(shared, families)}</main><script>{asset('index.js')}</script></body></html>\n"
    )


def _shared_view(shared: Sequence[SharedError], families: Sequence[Family]) -> str:
    """共同差错: each deviation several documents carry, worst and most widespread first; then who copied whom."""
    if not shared:
        return '<section id="shared"><h2>共同差错</h2><p>没有两份以上文件共有的差错。</p></section>'
    rows = "".join(_shared_row(error) for error in shared[:SHARED_SHOWN])
    more = f"<p>另有 {len(shared) - SHARED_SHOWN} 处，见 shared.csv。</p>" if len(shared) > SHARED_SHOWN else ""
    trees = "".join(_family(number, family) for number, family in enumerate(families, 1))
    return (
        f'<section id="shared"><h2>共同差错（{len(shared)} 处）</h2>'
        '<p class="note">多份文件对同一原文的同一处作了同样的改动。共有的差错说明它们很可能抄自同一来源：'
        "下面的传抄关系是据此作出的推断，不是证明；每条连线注明依据（共有的差错）和强弱。</p>"
        '<table class="shared"><thead><tr><th>程度</th><th>原文 → 转载</th><th>份数</th><th>最早</th><th>最晚</th>'
        f"<th>已更正</th></tr></thead><tbody>{rows}</tbody></table>{more}"
        f"<h2>传抄关系（{len(families)} 组）</h2>{trees}</section>"
    )


def _shared_row(error: SharedError) -> str:
    finding, first, last = error.finding, error.carriers[0], error.carriers[-1]
    severity = finding["severity"]
    change = f"{_short(finding['source_text'])} → {_short(finding['reprint_text'])}"
    documents = "".join(f"<li>{escape(path)}</li>" for path in error.documents)
    fixed = "；".join(f"{escape(fix.path)}（{escape(fix.date)}）" for fix in error.fixed) or "—"
    return (
        f'<tr id="e-{error.id}"><td class="sev-{severity}">{SEVERITY_NAMES[severity]}</td>'
        f"<td>{escape(change)}<br><small>{escape(finding['message'])}</small></td>"
        f'<td class="n"><details><summary>{len(error.documents)}</summary><ul>{documents}</ul></details></td>'
        f"<td>{escape(first.path)}<br><small>{escape(first.date)} {escape(first.date_from)}</small></td>"
        f"<td>{escape(last.path)}<br><small>{escape(last.date)} {escape(last.date_from)}</small></td>"
        f"<td>{fixed}</td></tr>"
    )


def _family(number: int, family: Family) -> str:
    edges = "".join(
        f"<li>{escape(m.path)} ← {escape(str(m.parent))}：{m.confidence}（{m.strength:.2f}），共有差错 {_ties(m)}</li>"
        for m in family.members[1:]
    )
    return (
        f'<div class="family"><h3>第 {number} 组：原文 {escape(family.source_id)}，'
        f"最早的底本 {escape(family.root)}（{len(family.members)} 份）</h3>"
        f'<div class="tree">{stemma_svg(family)}</div><ul class="edges">{edges}</ul></div>'
    )


def _ties(member: Member) -> str:
    """Links to the shared errors that tie a member to its exemplar."""
    return "、".join(f'<a href="#e-{error}">{error[:6]}</a>' for error in member.ties)


def _short(text: str) -> str:
    shown = flat(text) or "∧"
    return shown if len(shown) <= SHORT_CHARS else shown[: SHORT_CHARS - 1] + "…"
