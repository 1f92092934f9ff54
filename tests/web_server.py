"""A `yuanwen serve` process for the web tests: on a free 127.0.0.1 port, stopped by the test that started it."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

# The server answers within ~1 s; its workers take ~2 s more to warm up, which a first check waits for.
START_SECONDS = 60.0


class Server:
    """A server process; `restart` stops it and starts another on the same library and options."""

    def __init__(self, library: Path, log: Path, *options: str) -> None:
        self.library, self.log, self.options = library, log, options
        self.url = ""
        self._process: subprocess.Popen[bytes] | None = None
        self.start()

    def start(self, port: int | None = None) -> None:
        port = port or _free_port()
        self.url = f"http://127.0.0.1:{port}"
        command = [str(Path(sys.executable).parent / "yuanwen"), "serve", "--port", str(port)]
        with self.log.open("ab") as log:
            self._process = subprocess.Popen(
                [*command, "--library", str(self.library), *self.options], stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"the server stopped: {self.log.read_text(encoding='utf-8')}")
            try:
                httpx.get(f"{self.url}/static/app.css", timeout=1.0)
                return
            except httpx.TransportError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the server did not answer within {START_SECONDS} s")

    def stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(15)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None

    @property
    def pid(self) -> int:
        if self._process is None:
            raise RuntimeError("the server is not running")
        return self._process.pid

    def restart(self) -> None:
        self.stop()
        self.start()

    def kill_and_restart(self) -> None:
        """kill -9, then a server on the same port: the same upload folder."""
        port = int(self.url.rsplit(":", 1)[1])
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None
        self.start(port)

    def client(self, timeout: float = 60.0) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=timeout)


@contextmanager
def serving(folder: Path, *options: str) -> Iterator[Server]:
    """A server on a new library in `folder`, stopped on leaving."""
    server = Server(folder / "library.sqlite3", folder / "server.log", *options)
    try:
        yield server
    finally:
        server.stop()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
