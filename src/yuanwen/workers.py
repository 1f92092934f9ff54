"""Work bounded in time: a worker process serving one job at a time, killed and replaced when a job overruns.

A thread cannot be stopped, and a check can sit for minutes inside a C library (PDFium, the OCR
engine) where no flag is ever looked at; a process can always be killed. The web's pool, `yuanwen
audit` and the Spark job each keep a few of these, and only the overrunning job fails.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:  # the command line imports this module for its constants: multiprocessing costs ~20 ms
    from multiprocessing.connection import Connection
    from multiprocessing.context import SpawnContext, SpawnProcess

# Seconds a document may take where a default is needed (the web, audit, Spark): a long booklet
# checks in a few seconds, a scan of a hundred pages in about a minute on one busy core.
DEFAULT_TIME_LIMIT = 120.0
# What a worker says once it has loaded everything, before its first job.
READY = "ready"
# Seconds a new worker may take to load the rules and renderers: ~2 s on a busy two-core machine.
START_SECONDS = 60.0
# Seconds a worker has to finish its job and exit when it is stopped.
STOP_SECONDS = 5.0
# How often a worker looks whether the process that started it is still there (killed: it ends).
PARENT_POLL_SECONDS = 1.0

Answer = TypeVar("Answer")
# Builds, in the worker process, what serves its jobs: called once with the worker's arguments.
Start = Callable[..., Callable[[Any], Any]]


@dataclass(frozen=True)
class Stopped:
    """A job that gave no answer: the one-line reason, and whether it was the time limit."""

    reason: str
    timed_out: bool = False


def overran(limit: float) -> str:
    """The reason given for a job stopped at the time limit."""
    return f"核对超时（超过 {limit:g} 秒），已中止"


class Worker(Generic[Answer]):
    """One worker process and the parent's end of its pipe."""

    def __init__(self, context: SpawnContext, start: Start, args: tuple[Any, ...]) -> None:
        self._context, self._start, self._args = context, start, args
        self._process, self._pipe = self._spawn()
        self._ready = self._stopped = False

    def _spawn(self) -> tuple[SpawnProcess, Connection]:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_serve, args=(child, self._start, self._args, os.getpid()), daemon=True)
        process.start()
        child.close()
        return process, parent

    def call(self, job: object, limit: float | None) -> Answer | Stopped:
        """The job's answer, or why there is none (blocks: call it from a thread of its own).

        The limit counts from the job's start: a new worker's warm-up is waited for first."""
        try:
            self._ready = self._ready or (self._pipe.poll(START_SECONDS) and self._pipe.recv() == READY)
            if not self._ready:
                stopped = Stopped("核对进程未能启动（详情见日志）")
            else:
                self._pipe.send(job)
                if self._pipe.poll(limit):
                    answer: Answer = self._pipe.recv()
                    return answer
                stopped = Stopped(overran(limit or 0), timed_out=True)
        except (EOFError, OSError):
            stopped = Stopped("核对进程意外退出（文件过大或已损坏？），已中止")
        self._restart()
        return stopped

    def _restart(self) -> None:
        self._process.kill()
        self._process.join()
        self._pipe.close()
        if not self._stopped:  # a job that ends as its worker is stopped starts no new one
            self._process, self._pipe = self._spawn()
            self._ready = False

    def stop(self) -> None:
        """Ask the worker to end; kill it when it does not within STOP_SECONDS."""
        self._stopped = True
        with contextlib.suppress(OSError):
            self._pipe.send(None)
        self._process.join(STOP_SECONDS)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._pipe.close()


def _serve(connection: Connection, start: Start, args: tuple[Any, ...], parent: int) -> None:
    """A worker process's main loop: build the server of jobs, then answer each job until told to stop."""
    bound_to(parent)
    handle = start(*args)
    with contextlib.suppress(EOFError, OSError):  # the parent gone: nothing is left to answer
        connection.send(READY)
        while (job := connection.recv()) is not None:
            connection.send(handle(job))


def bound_to(parent: int) -> None:
    """Make this worker process end once its parent is gone, and leave Ctrl-C to the parent (which
    lets the jobs in hand finish, then stops its workers); also a process pool's initializer."""
    threading.Thread(target=_watch, args=(parent,), daemon=True, name="yuanwen-watch").start()
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _watch(parent: int) -> None:
    """End the worker once its parent is gone (killed with -9: no one would stop it)."""
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)
