"""Load on `yuanwen serve`: 50 clients post the example pair to /api/check for 60 s, 2 workers.

Each client sends its next check as soon as the last one is answered (a closed loop, no pause),
only to 127.0.0.1, and stops at the deadline. Printed: answers, errors, latency p50/p95/max, and
the memory (RSS) of the server and its workers after warm-up and at the end.
Targets: zero errors, p95 under 2 s, memory stable."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from pairs import ROOT

sys.path.insert(0, str(ROOT / "tests"))
from web_server import serving

EXAMPLES = ROOT / "examples"


@dataclass
class Tally:
    """Every answer's latency, and the errors by kind."""

    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


def rss_mb(pid: int) -> tuple[float, float]:
    """Resident memory of a process, and of it with its children (the workers), in MB."""
    own = _rss_kb(pid)
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return own / 1024, (own + sum(_rss_kb(int(child)) for child in children)) / 1024


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def client_loop(
    client: httpx.AsyncClient, files: dict[str, tuple[str, bytes]], deadline: float, tally: Tally
) -> None:
    while time.monotonic() < deadline:
        start = time.monotonic()
        try:
            answer = await client.post("/api/check", files=files)
        except httpx.HTTPError as error:
            tally.error(type(error).__name__)
            continue
        if answer.status_code != 200:
            tally.error(f"HTTP {answer.status_code}")
            continue
        tally.latencies.append(time.monotonic() - start)


async def load(url: str, clients: int, seconds: float) -> Tally:
    files = {
        "reprint": ("reprint.txt", (EXAMPLES / "reprint.txt").read_bytes()),
        "source": ("source.txt", (EXAMPLES / "source.txt").read_bytes()),
    }
    tally = Tally()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=60.0, limits=limits) as client:
        deadline = time.monotonic() + seconds
        await asyncio.gather(*(client_loop(client, files, deadline, tally) for _ in range(clients)))
    return tally


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, serving(Path(tmp), "--workers", str(args.workers)) as server:
        asyncio.run(load(server.url, 2, 3.0))  # the workers warmed up
        start_rss = rss_mb(server.pid)
        began = time.monotonic()
        tally = asyncio.run(load(server.url, args.clients, args.seconds))
        took = time.monotonic() - began
        end_rss = rss_mb(server.pid)
    times = sorted(tally.latencies)
    p50, p95 = statistics.median(times), times[int(0.95 * (len(times) - 1))]
    print(
        f"{args.clients} clients, {args.workers} workers, {took:.0f} s: {len(times)} checks, {len(times) / took:.1f}/s"
    )
    print(f"errors: {sum(tally.errors.values())} {tally.errors or ''}".rstrip())
    print(f"latency p50 {p50:.2f} s, p95 {p95:.2f} s, max {times[-1]:.2f} s")
    print(f"RSS server {start_rss[0]:.0f} → {end_rss[0]:.0f} MB; with workers {start_rss[1]:.0f} → {end_rss[1]:.0f} MB")
    return 1 if tally.errors else 0


if __name__ == "__main__":
    sys.exit(main())
