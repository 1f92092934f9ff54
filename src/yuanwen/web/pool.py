"""The check workers: one process per slot, jobs served first come first served, each within a time limit.

Checks are CPU-bound, so they never run on the event loop: a thread hands a job to an idle
worker's pipe and waits for its answer. A worker that overruns the time limit or dies is killed and
replaced, and only its own job fails; a concurrent.futures pool would break as a whole instead.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections import deque
from multiprocessing.context import SpawnContext
from pathlib import Path

import anyio.to_thread

from yuanwen.web.worker import Job, Outcome, serving
from yuanwen.workers import Stopped, Worker


class _Slot:
    """One worker process; a job that overruns or kills it is an Outcome with the reason."""

    def __init__(self, context: SpawnContext, library: Path) -> None:
        self._worker: Worker[Outcome] = Worker(context, serving, (str(library),))

    def call(self, job: Job, limit: float) -> Outcome:
        """Run a job in the worker (in a thread of the server: it blocks until the answer or the limit)."""
        answer = self._worker.call(job, limit)
        if isinstance(answer, Stopped):
            return Outcome(job.id, error=answer.reason, timed_out=answer.timed_out)
        return answer

    def stop(self) -> None:
        self._worker.stop()


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
