"""A check worker: a process that reads the uploads, checks, renders every output and records them.

Each worker loads the rules and opens the library once, then serves jobs from its pipe until it
receives None. Only the report's JSON goes back through the pipe; the outputs go to the records,
with the inputs (so that the editor's marks can be honoured later) and the unmarked JSON (`review`,
which the page's findings panel lists). A job that re-renders with marks checks the recorded inputs
again (the check is deterministic, so finding indexes hold) and leaves the marked findings out.
An upload's own name is only ever a label: the worker opens the file under its generated name.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from yuanwen.errors import YuanwenError
from yuanwen.model import Document, Report
from yuanwen.web.records import Output, Records

# What `yuanwen fix` restores when no --only is given: the wording and the punctuation.
_WARM_UP = "习近平在中共中央政治局第五次集体学习时强调，加快建设教育强国，为中华民族伟大复兴提供有力支撑。" * 3
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Upload:
    """A file in the server's private temporary folder, and the user's name for it (shown, never opened)."""

    path: str
    name: str


@dataclass(frozen=True)
class Job:
    """One check: the reprint and its source, or no source to look the reprint's sources up in the library.

    No reprint: render a recorded check again from its recorded inputs, leaving out the marked findings."""

    id: str
    reprint: Upload | None
    source: Upload | None
    marked: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Outcome:
    """What came of a job: the report's JSON (yuanwen.report/1), or the one-line reason it failed."""

    id: str
    json: str | None = None
    error: str | None = None
    timed_out: bool = False


def serving(library: str) -> Callable[[Job], Outcome]:
    """In a new worker process: what answers its jobs (yuanwen.workers runs the loop)."""
    return _Worker(Path(library)).run


class _Worker:
    """The state a worker keeps between jobs: the records and the open library."""

    def __init__(self, library: Path) -> None:
        from yuanwen.library import Library

        self.records = Records(library)
        self.library = Library(library, create=False)
        _warm_up()

    def run(self, job: Job) -> Outcome:
        """Check, render and record; any failure becomes its one-line reason."""
        try:
            from yuanwen.render import renderer

            if job.reprint is None:
                return self._again(job)
            report = self._check(job.reprint, job.source)
            found = [*outputs(report, job.reprint.name), *self._inputs(job)]
            found.append(Output("review", "review.json", "application/json", _bytes(renderer("json")(report))))
            self.records.finish(job.id, _titles(report), report.summary, found)
            return Outcome(job.id, json=str(renderer("json")(report)))
        except YuanwenError as error:
            return Outcome(job.id, error=str(error))
        except MemoryError:
            return Outcome(job.id, error="内存不足：文件太大")
        except Exception as error:  # a reader's failure on one odd file must not end the worker
            traceback.print_exc(file=sys.stderr)
            return Outcome(job.id, error=f"核对出错（{type(error).__name__}），请把文件发给维护者")

    def _check(self, reprint: Upload, source: Upload | None) -> Report:
        from yuanwen.check import check

        return check(_read(reprint), self.library if source is None else _read(source))

    def _inputs(self, job: Job) -> list[Output]:
        """The uploads as they came, kept with the record to check again when marks change."""
        given = (("input-reprint", job.reprint), ("input-source", job.source))
        return [Output(kind, u.name, "application/octet-stream", _upload_bytes(u)) for kind, u in given if u]

    def _again(self, job: Job) -> Outcome:
        """A recorded check rendered again without its marked findings."""
        from yuanwen.check import check
        from yuanwen.extract import read_bytes
        from yuanwen.render import renderer

        reprint, source = (self.records.output(job.id, kind) for kind in ("input-reprint", "input-source"))
        if reprint is None:
            return Outcome(job.id, error="这次核对的输入没有保存，无法按标记重新生成报告")
        read = read_bytes(reprint.data, reprint.name)
        report = check(read, self.library if source is None else read_bytes(source.data, source.name))
        kept = tuple(f for i, f in enumerate(report.findings) if i not in job.marked)
        report = replace(report, findings=kept)
        self.records.finish(job.id, _titles(report), report.summary, outputs(report, reprint.name))
        return Outcome(job.id, json=str(renderer("json")(report)))


def outputs(report: Report, name: str) -> list[Output]:
    """Every output of a report: JSON, HTML, the Word report and, when a source was found, the corrected file.

    The Word outputs of a .docx reprint are the user's own file annotated, from the bytes the Report carries."""
    from yuanwen.fix import RESTORED_KINDS, corrected
    from yuanwen.render import renderer

    stem = Path(name).stem or "转载稿"
    found = [
        Output("json", f"{stem}.核对报告.json", "application/json", _bytes(renderer("json")(report))),
        Output("html", f"{stem}.核对报告.html", "text/html; charset=utf-8", _bytes(renderer("html")(report))),
        Output("docx", f"{stem}.核对修订.docx", _DOCX, _bytes(renderer("docx")(report))),
    ]
    if report.sources:
        fixed = corrected(report, RESTORED_KINDS)
        if isinstance(fixed, bytes):
            found.append(Output("fixed", f"{stem}.改正.docx", _DOCX, fixed))
        else:
            found.append(Output("fixed", f"{stem}.改正.txt", "text/plain; charset=utf-8", fixed.encode("utf-8")))
    return found


def _read(upload: Upload) -> Document:
    from yuanwen.extract import read_bytes

    return read_bytes(_upload_bytes(upload), upload.name)


def _upload_bytes(upload: Upload) -> bytes:
    try:
        return Path(upload.path).read_bytes()
    except FileNotFoundError as error:  # removed as the server stops, its check cancelled
        raise YuanwenError(f"上传的文件已被删除（服务正在停止？）：{upload.name}") from error


def _titles(report: Report) -> list[str]:
    return [s.title or s.path or s.id for s in report.sources]


def _bytes(content: str | bytes) -> bytes:
    return content if isinstance(content, bytes) else content.encode("utf-8")


def _warm_up() -> None:
    """Load the rules, the word segmenter and the renderers now, so the first user's check is not the slow one."""
    from yuanwen.check import check
    from yuanwen.render import renderer

    text = Document("warm-up.txt", "text", _WARM_UP)
    report = check(text, text)
    for name in ("json", "html", "docx"):
        renderer(name)(report)
