"""`yuanwen compile`: a study booklet built from its sources (BOOKLET.toml), proved, and written with its 核对单."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from yuanwen.cli.common import EXIT_FOUND, guarded, library_option, progress, write


@click.command("compile")
@click.argument("booklet_file", metavar="BOOKLET", type=click.Path(path_type=Path))
@click.option(
    "--output", "-o", type=click.Path(path_type=Path), help="Word 文件（默认：当前目录下与编印文件同名的 .docx）。"
)
@click.option("--pdf", is_flag=True, help="同时用 LibreOffice 排出 PDF（与 Word 文件同名），一并核对。")
@library_option
def compile_command(booklet_file: Path, output: Path | None, pdf: bool, library_file: Path | None) -> None:
    """按编印文件 BOOKLET（TOML：刊头、编者按、各篇原文及保留部分）从原文编印一期学习资料，编成后读回逐篇核对原文，
    通过时写出 Word 文件（及 PDF）和核对单（.checklist.json）。

    退出码 0 核对通过；1 核对发现高于“提示”级别的问题或找不到某篇的原文（打印报告，不写出文件）；2 输入有误。"""
    from yuanwen.booklet import MAX_BOOKLET_BYTES, load_booklet
    from yuanwen.compile import compile_booklet
    from yuanwen.extract import read_input
    from yuanwen.library import Library, library_path
    from yuanwen.render.text import render_text

    booklet = guarded(lambda: load_booklet(booklet_file, read_input(booklet_file, MAX_BOOKLET_BYTES)))
    progress(f"编印 {booklet_file}（{len(booklet.items)} 篇）并核对……")
    compiled = guarded(lambda: compile_booklet(booklet, lambda: Library.reading(library_path(library_file)), pdf))
    for note in compiled.notes:
        click.echo(f"yuanwen：{note}", err=True)
    docx = output or Path(booklet_file.stem + ".docx")
    names = {"docx": docx, "pdf": docx.with_suffix(".pdf")}
    if not compiled.passed:
        for out in compiled.outputs:
            if not out.passed:
                click.echo(render_text(out.report))
                for number in out.missing:
                    click.echo(f"第 {number} 篇的原文在编成的 {names[out.format].name} 中没有找到")
        click.echo(f"yuanwen：编印结果与原文不符，未写出文件：{docx}", err=True)
        sys.exit(EXIT_FOUND)
    checklist = docx.with_suffix(".checklist.json")
    for out in compiled.outputs:
        write(out.data, names[out.format])
    write(json.dumps(compiled.checklist(), ensure_ascii=False, indent=2) + "\n", checklist)
    written = "、".join(str(names[out.format]) for out in compiled.outputs)
    summary = "；".join(f"{out.format} 提示 {out.report.summary['info']} 处" for out in compiled.outputs)
    click.echo(f"已编印 {written}（{len(compiled.items)} 篇，核对通过：{summary}），核对单 {checklist}")
