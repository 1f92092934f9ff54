"""The check workers: one process per slot, jobs served first come first served, each within a time limit.

Checks are CPU-bound, so they never run on the event loop: a thread hands a job to an idle
worker's pipe and waits for its answer. A worker that overruns the time limit or dies is killed and
replaced, and only its own job fails; a concurrent.futures pool would break as a whole instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
from collections import deque
from multiprocessing.connection import Connection
from multiprocessing.context import SpawnContext, SpawnProcess
from pathlib import Path

import anyio.to_thread

from yuanwen.web.worker import READY, Job, Outcome, work

# Seconds a worker has to finish its jobs and exit when the server stops.
_STOP_SECONDS = 5.0
# Seconds a new worker may take to load the rules and renderers: ~2 s on a busy two-core machine.
_START_SECONDS = 60.0


class _Slot:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, context: SpawnContext, library: Path) -> None:
        self._context, self._library = context, library
        self._process, self._pipe = self._start()
        self._ready = False

    def _start(self) -> tuple[SpawnProcess, Connection]:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=work, args=(child, str(self._library)), daemon=True)
        process.start()
        child.close()
        return process, parent

    def call(self, job: Job, limit: float) -> Outcome:
        """Run a job in the worker (in a thread of the server: it blocks until the answer or the limit).

        The limit counts from the job's start: a worker's warm-up (~2 s) is waited for first."""
        try:
            self._ready = self._ready or (self._pipe.poll(_START_SECONDS) and self._pipe.recv() == READY)
            if not self._ready:
                outcome = Outcome(job.id, error="核对进程未能启动，详情见服务日志")
            else:
                self._pipe.send(job)
                if self._pipe.poll(limit):
                    answer: Outcome = self._pipe.recv()
                    return answer
                outcome = Outcome(job.id, error=f"核对超时（超过 {limit:g} 秒），已中止", timed_out=True)
        except (EOFError, OSError):
            outcome = Outcome(job.id, error="核对进程意外退出（文件过大或已损坏？），已中止")
        self._restart()
        return outcome

    def _restart(self) -> None:
        self._process.kill()
        self._process.join()
        self._pipe.close()
        self._process, self._pipe = self._start()
        self._ready = False

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self._pipe.send(None)
        self._process.join(_STOP_SECONDS)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._pipe.close()


class Pool:
    """Worker processes sharing one queue; `position` tells a waiting job its place in it."""

    def __init__(self, workers: int, library: Path, time_limit: float) -> None:
        # spawn: a fork of the server would copy its event loop and threads into the worker.
        context = multiprocessing.get_context("spawn")
        self.time_limit = time_limit
        self._slots = [_Slot(context, library) for _ in range(workers)]
        self._idle: asyncio.Queue[_Slot] = asyncio.Queue()
        for slot in self._slots:
            self._idle.put_nowait(slot)
        self._waiting: deque[str] = deque()
        self._running: set[str] = set()

    def position(self, job_id: str) -> int | None:
        """1 for the next job to start, 2 for the one after...; 0 while it runs; None when not in the pool."""
        if job_id in self._running:
            return 0
        try:
            return self._waiting.index(job_id) + 1
        except ValueError:
            return None

    @property
    def busy(self) -> int:
        """Jobs waiting or running."""
        return len(self._waiting) + len(self._running)

    async def run(self, job: Job) -> Outcome:
        """The job's outcome once a worker is free and has done it (or it overran the time limit)."""
        self._waiting.append(job.id)
        try:
            slot = await self._idle.get()
        finally:
            self._waiting.remove(job.id)
        self._running.add(job.id)
        try:
            # Not abandoned on cancel: the slot goes back to the idle queue only once its worker is done.
            return await anyio.to_thread.run_sync(slot.call, job, self.time_limit)
        finally:
            self._running.discard(job.id)
            self._idle.put_nowait(slot)

    def close(self) -> None:
        for slot in self._slots:
            slot.stop()
