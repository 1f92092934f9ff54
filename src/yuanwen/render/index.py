"""index.html of an audit: every document in a table, sortable and filterable, linking to its HTML report.

Written in three pieces (head, one row per document, tail) so an archive of any size streams to disk.
Offline and locked down as the HTML report: inline CSS and one inline script allowed by its hash.
"""

from __future__ import annotations

from html import escape
from typing import Any

from yuanwen.model import SEVERITIES
from yuanwen.render.html import asset, content_policy
from yuanwen.render.text import SEVERITY_NAMES

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
        '<label><input type="checkbox" id="findings"> 只看有严重或重要差异的</label></div></header>'
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


def index_tail() -> str:
    return f"</tbody></table></main><script>{asset('index.js')}</script></body></html>\n"
