"""The 编印 page: a booklet put together from 文献库's texts, compiled and proved as `yuanwen compile` does.

1. 选文: texts of the library ticked (the last booklet's ticked already)
2. 编排: the masthead, the 编者按, and for each text its order, its title lines, its note and the
   paragraphs kept (a box a paragraph)
3. the booklet file (BOOKLET.toml) written from the form and validated as the CLI validates one;
   compiled with its proof in a thread; kept with its outputs in a folder beside the library,
   `last.toml` the definition the next issue starts from

No script: every step is a form, so the page runs under the app's Content-Security-Policy.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import anyio.to_thread
from fastapi import APIRouter
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from yuanwen.booklet import Booklet, BookletError, Paragraphs, load_booklet, paragraphs
from yuanwen.library import Library
from yuanwen.web.views import Settings, templates

router = APIRouter(include_in_schema=False)
LAST = "last.toml"
_MASTHEAD_FIELDS = {"name": "刊名", "issuer": "编印单位", "number": "期号", "date": "日期"}
# The outputs kept for each booklet and how each is served.
FILES = {
    "booklet.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "booklet.pdf": "application/pdf",
    "booklet.checklist.json": "application/json",
    "booklet.toml": "text/plain; charset=utf-8",
}
# Texts offered in 选文 at once; a search narrows a larger library.
_OFFERED = 200
# Form fields a booklet may post: the masthead and note, and five per item for this many items.
_MAX_ITEMS = 60


@dataclass(frozen=True)
class Chosen:
    """A text of the library as step 2 shows it: its paragraphs, and what the last booklet kept of it."""

    id: str
    title: str
    paragraphs: tuple[str, ...]
    head: int
    kept: frozenset[int]
    note: str


def folder_of(settings: Settings) -> Path:
    """The folder beside the library that keeps the booklets."""
    return settings.library.with_name(settings.library.name + ".booklets")


@router.get("/booklet")
async def booklet_page(request: Request, q: str = "") -> Response:
    """Step 1 (no text chosen yet) or step 2 (the texts chosen, in the query's `id`s)."""
    settings: Settings = request.app.state.settings
    last = await anyio.to_thread.run_sync(_last, folder_of(settings))
    ids = request.query_params.getlist("id")
    if not ids:
        offered = await anyio.to_thread.run_sync(_offered, settings.library, q)
        ticked = {item.text_id for item in last.items} if last else set()
        return _page(request, "booklet.html", offered=offered, ticked=ticked, q=q, last=last)
    chosen = await anyio.to_thread.run_sync(_chosen, settings.library, ids, last)
    return _page(request, "booklet.html", chosen=chosen, last=last, fields=_MASTHEAD_FIELDS)


@router.post("/booklet")
async def compile_page(request: Request) -> Response:
    """Step 3: the booklet file from the form, compiled and proved; its page shows the verdict."""
    settings: Settings = request.app.state.settings
    async with request.form(max_files=0, max_fields=8 + 5 * _MAX_ITEMS + 20_000) as form:
        toml = _booklet_toml(form)
        pdf = form.get("pdf") == "1"
    booklet_id = await anyio.to_thread.run_sync(_compiled, settings.library, folder_of(settings), toml, pdf)
    return RedirectResponse(f"/booklet/{booklet_id}", status_code=303)


@router.get("/booklet/{booklet_id}")
async def result_page(request: Request, booklet_id: str) -> Response:
    folder = _kept(request, booklet_id)
    report = folder / "report.txt"
    failed = report.is_file()
    files = [name for name in FILES if (folder / name).is_file()]
    context = {
        "booklet_id": booklet_id,
        "files": files,
        "toml": (folder / "booklet.toml").read_text(encoding="utf-8"),
        "report": report.read_text(encoding="utf-8") if failed else None,
        "checklist": None if failed else json.loads((folder / "booklet.checklist.json").read_text(encoding="utf-8")),
    }
    return _page(request, "booklet_result.html", 422 if failed else 200, **context)


@router.get("/booklet/{booklet_id}/{name}")
async def booklet_file(request: Request, booklet_id: str, name: str) -> Response:
    path = _kept(request, booklet_id) / name
    if name not in FILES or not path.is_file():
        raise HTTPException(404)
    disposition = f"attachment; filename*=UTF-8''{quote(name)}"
    return Response(path.read_bytes(), media_type=FILES[name], headers={"content-disposition": disposition})


def _page(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    return templates.TemplateResponse(request, template, context, status_code=status)


def _kept(request: Request, booklet_id: str) -> Path:
    """A kept booklet's folder; an id that is not one of ours is a 404, never a path."""
    settings: Settings = request.app.state.settings
    folder = folder_of(settings) / booklet_id
    if not booklet_id.isalnum() or not (folder / "booklet.toml").is_file():
        raise HTTPException(404)
    return folder


def _last(folder: Path) -> Booklet | None:
    """The last booklet compiled here, the one the next issue starts from."""
    path = folder / LAST
    try:
        return load_booklet(path, path.read_bytes()) if path.is_file() else None
    except BookletError:
        return None


def _offered(library: Path, keyword: str) -> list[tuple[str, str, str]]:
    """The library's texts to choose from: id, date and title, or those holding the keyword."""
    if not library.is_file():
        return []
    with Library.reading(library) as opened:
        if keyword.strip():
            entries = [hit.entry for hit in opened.search(keyword, _OFFERED).hits]
        else:
            entries = [entry for _, entry in zip(range(_OFFERED), opened.entries(), strict=False)]
    return [(e.id, e.metadata.date or "", e.metadata.title or e.id) for e in entries]


def _chosen(library: Path, ids: list[str], last: Booklet | None) -> list[Chosen]:
    """The texts chosen, with their paragraphs and what the last booklet did with each (else all kept)."""
    before = {item.text_id: item for item in last.items} if last else {}
    chosen: list[Chosen] = []
    with Library.reading(library) as opened:
        for text_id in ids[:_MAX_ITEMS]:
            entry = opened.entry(text_id)
            found = paragraphs(opened.text(text_id))
            item = before.get(text_id)
            head = item.head if item else 1
            kept = _kept_numbers(item.keep, len(found)) if item else frozenset(range(1, len(found) + 1))
            note = item.note or "" if item else ""
            chosen.append(Chosen(text_id, entry.metadata.title or text_id, found, head, kept, note))
    return chosen


def _kept_numbers(keep: tuple[Any, ...], count: int) -> frozenset[int]:
    """The paragraph numbers a `keep` of paragraph ranges names (the page writes only ranges)."""
    if not keep:
        return frozenset(range(1, count + 1))
    numbers: set[int] = set()
    for kept in keep:
        if isinstance(kept, Paragraphs):
            numbers.update(range(kept.first, (kept.last or count) + 1))
    return frozenset(numbers)


def _booklet_toml(form: FormData) -> str:
    """The booklet file the form describes: items in the order given, each paragraph ticked kept."""

    def text(name: str) -> str:
        return str(form.get(name) or "").strip()

    lines = [f"note = {_quoted(text('note'))}"] if text("note") else []
    lines += ["[masthead]", *(f"{key} = {_quoted(text(key))}" for key in _MASTHEAD_FIELDS)]
    ids = [str(value) for value in form.getlist("id")][:_MAX_ITEMS]
    for k in sorted(range(len(ids)), key=lambda k: (_number(text(f"order-{k}"), k + 1), k)):
        head = _number(text(f"head-{k}"), 1)
        ticked = {int(v) for v in map(str, form.getlist(f"keep-{k}")) if v.isdigit()}
        kept = sorted(n for n in ticked if n > head)
        if not kept:
            raise BookletError(f"第 {k + 1} 篇没有勾选任何正文段落")
        lines += ["[[items]]", f"id = {_quoted(ids[k])}", f"head = {head}", f"keep = {_quoted(_ranges(kept))}"]
        if text(f"note-{k}"):
            lines.append(f"note = {_quoted(text(f'note-{k}'))}")
    return "\n".join(lines) + "\n"


def _quoted(value: str | list[str]) -> str:
    """A value in TOML: a JSON string (or array of strings) is one."""
    return json.dumps(value, ensure_ascii=False)


def _number(value: str, default: int) -> int:
    return int(value) if value.isdigit() else default


def _ranges(numbers: list[int]) -> list[str]:
    """Paragraph numbers as ranges: [2, 3, 4, 7] → ["2-4", "7"]."""
    ranges: list[list[int]] = []
    for n in numbers:
        if ranges and n == ranges[-1][1] + 1:
            ranges[-1][1] = n
        else:
            ranges.append([n, n])
    return [f"{a}-{b}" if a != b else str(a) for a, b in ranges]


def _compiled(library: Path, folder: Path, toml: str, pdf: bool) -> str:
    """Compile and prove the booklet, keep it with its outputs (or the report that refused it); its id."""
    from yuanwen.compile import compile_booklet
    from yuanwen.render.text import render_text

    booklet = load_booklet(Path("编印单"), toml.encode("utf-8"))
    compiled = compile_booklet(booklet, lambda: Library.reading(library), pdf)
    booklet_id = secrets.token_hex(8)
    kept = folder / booklet_id
    kept.mkdir(parents=True)
    (kept / "booklet.toml").write_text(toml, encoding="utf-8")
    if not compiled.passed:
        reports = [render_text(out.report) for out in compiled.outputs if not out.passed]
        (kept / "report.txt").write_text("\n".join(reports), encoding="utf-8")
        return booklet_id
    for out in compiled.outputs:
        (kept / f"booklet.{out.format}").write_bytes(out.data)
    checklist = json.dumps(compiled.checklist(), ensure_ascii=False, indent=2)
    (kept / "booklet.checklist.json").write_text(checklist, encoding="utf-8")
    (folder / LAST).write_text(toml, encoding="utf-8")
    return booklet_id
