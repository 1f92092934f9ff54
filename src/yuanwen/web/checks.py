"""Checks as the server sees them: recorded when asked for, run in the pool, failures recorded with their reason."""

from __future__ import annotations

import asyncio
import secrets

import anyio.to_thread

from yuanwen.web.pool import Pool
from yuanwen.web.records import Records
from yuanwen.web.uploads import Folder
from yuanwen.web.worker import Job, Outcome, Upload

RESTARTED = "服务已重启，这次核对没有完成，请重新提交"


class Checks:
    """Submit a check and wait for it, or submit it to run in the background and look at it later."""

    def __init__(self, records: Records, pool: Pool, folder: Folder) -> None:
        self.records, self.pool, self.folder = records, pool, folder
        self._background: set[asyncio.Task[Outcome]] = set()

    async def run(self, reprint: Upload, source: Upload | None) -> Outcome:
        """A check's outcome, once done (it is recorded too)."""
        return await self._done(await self._recorded(reprint, source))

    async def submit(self, reprint: Upload, source: Upload | None) -> str:
        """A check's id at once; it runs in the background."""
        job = await self._recorded(reprint, source)
        task = asyncio.create_task(self._done(job))
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return job.id

    async def remark(self, check_id: str, marked: frozenset[int]) -> Outcome:
        """Render a recorded check's outputs again, its marked findings left out; the record keeps its state."""
        return await self.pool.run(Job(check_id, None, None, marked))

    def position(self, check_id: str) -> int | None:
        return self.pool.position(check_id)

    async def close(self) -> None:
        """Stop waiting for background checks; their records say so at the next start."""
        for task in list(self._background):
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)

    async def _recorded(self, reprint: Upload, source: Upload | None) -> Job:
        job = Job(secrets.token_urlsafe(12), reprint, source)
        source_name = None if source is None else source.name
        await anyio.to_thread.run_sync(self.records.create, job.id, reprint.name, source_name)
        return job

    async def _done(self, job: Job) -> Outcome:
        try:
            outcome = await self.pool.run(job)
        finally:
            self.folder.discard(job.reprint, job.source)
        if outcome.error is not None:
            await anyio.to_thread.run_sync(self.records.fail, job.id, outcome.error)
        return outcome
