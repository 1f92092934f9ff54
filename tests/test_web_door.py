"""Issue 20, the web server's front door: Host checked, queue and upload bytes bounded, folder cleaned, quiet ends."""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from conftest import EXAMPLES
from web_server import Server, serving
from yuanwen.web.app import QUEUE_PER_WORKER
from yuanwen.web.guard import FREE_WRONG, WRONG_DELAY
from yuanwen.web.uploads import upload_folder

REPRINT, SOURCE = EXAMPLES / "reprint.txt", EXAMPLES / "source.txt"
# Simultaneous checks of the flood, and the bytes of each (the figures).
FLOOD, FLOOD_BYTES = 60, 1024**2


def _folder(server: Server) -> Path:
    return upload_folder("127.0.0.1", int(server.url.rsplit(":", 1)[1]))


def _folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.glob("*") if path.exists())


def test_a_foreign_host_is_refused_whatever_the_origin(web_server: Any) -> None:
    port = web_server.url.rsplit(":", 1)[1]
    evil = {"host": f"evil.example:{port}", "origin": f"http://evil.example:{port}"}
    with web_server.client() as client:
        assert client.post("/api/checks", headers=evil, json={"reprint": "正文"}).status_code == 421
        assert client.get("/records", headers=evil).status_code == 421
        assert client.delete("/api/library/abc", headers=evil).status_code == 421
        answer = client.get("/api/library", headers=evil)
        assert answer.status_code == 421 and "DNS 重绑定" in answer.json()["error"]
        assert client.get("/api/library", headers={"host": f"localhost:{port}"}).status_code == 200
        assert client.get("/api/library").status_code == 200


def test_bad_json_offsets_and_pages_are_400_not_500(web_server: Any) -> None:
    with web_server.client() as client:
        surrogate = client.post(
            "/api/check", content=b'{"reprint": "\\ud800"}', headers={"content-type": "application/json"}
        )
        assert surrogate.status_code == 400 and "代理项" in surrogate.json()["error"]
        deep = b"[" * 100_000 + b"]" * 100_000
        assert client.post("/api/check", content=deep, headers={"content-type": "application/json"}).status_code == 400
        assert client.get("/api/library?offset=9223372036854775807").status_code == 400
        assert client.get("/library?page=99999999999999999999").status_code == 400
        assert client.get("/api/library?offset=0").status_code == 200


def test_a_flood_of_checks_gets_202_or_429_and_the_uploads_stay_bounded(tmp_path: Path) -> None:
    body = {"reprint": ("flood.txt", "正文。".encode() * (FLOOD_BYTES // 9))}
    with serving(tmp_path, "--workers", "1") as server:
        folder, answers, largest = _folder(server), [], 0
        start = threading.Barrier(FLOOD)

        def post() -> None:
            with server.client() as client:
                start.wait()
                answer = client.post("/api/checks", files=body)
                answers.append((answer.status_code, answer.headers.get("retry-after")))

        threads = [threading.Thread(target=post) for _ in range(FLOOD)]
        for thread in threads:
            thread.start()
        while any(thread.is_alive() for thread in threads):
            largest = max(largest, _folder_bytes(folder))
            time.sleep(0.01)
    statuses = [status for status, _ in answers]
    assert len(answers) == FLOOD and set(statuses) == {202, 429}, statuses
    assert statuses.count(202) <= QUEUE_PER_WORKER + 1  # the queue's cap (one may slip in as another leaves)
    assert all(after == "10" for status, after in answers if status == 429)
    assert largest <= QUEUE_PER_WORKER * FLOOD_BYTES * 1.1


def test_upload_bytes_arriving_past_the_cap_get_503(tmp_path: Path) -> None:
    with serving(tmp_path, "--workers", "1", "--max-upload", "1") as server:
        host, port = "127.0.0.1", int(server.url.rsplit(":", 1)[1])
        held = []
        for _ in range(4):  # four bodies of 1 MB announced, none sent: the 4 MB arriving is the cap
            sock = socket.create_connection((host, port))
            sock.sendall(
                f"POST /api/library HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: multipart/form-data; "
                f"boundary=b\r\nContent-Length: {1024**2}\r\n\r\n".encode()
            )
            held.append(sock)
        time.sleep(0.5)
        with server.client() as client:
            answer = client.post("/api/library", files={"file": ("a.txt", b"x" * 1000)})
            assert answer.status_code == 503 and answer.headers["retry-after"] == "10", answer.text
            for sock in held:
                sock.close()
            time.sleep(0.5)
            assert client.post("/api/library", files={"file": ("a.txt", SOURCE.read_bytes())}).status_code == 201
        server.stop()
        log = server.log.read_text(encoding="utf-8")
    assert "Traceback" not in log and log.count("the client hung up before its request ended") == 4, log


def test_uploads_left_by_a_killed_server_are_removed_at_the_next_start(tmp_path: Path) -> None:
    stuck = "正文。" * 200_000  # each check waits its turn behind the first: their uploads stay in the folder
    with serving(tmp_path, "--workers", "1") as server, server.client() as client:
        for _ in range(4):
            assert client.post("/api/checks", json={"reprint": stuck, "source": stuck + "。"}).status_code == 202
        folder = _folder(server)
        assert len(list(folder.iterdir())) >= 4
        server.kill_and_restart()
        assert _folder(server) == folder and list(folder.iterdir()) == []
    assert not folder.exists()


def test_login_is_slowed_after_wrong_tokens_and_the_cookie_holds_a_session(tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text("s3cret-token\n", encoding="utf-8")
    tries = FREE_WRONG + 3
    with serving(tmp_path, "--workers", "1", "--token-file", str(token_file)) as server, server.client() as client:
        started = time.monotonic()
        for _ in range(tries):
            assert client.post("/login", data={"token": "wrong-token"}).status_code == 401
        assert time.monotonic() - started >= (tries - FREE_WRONG) * WRONG_DELAY
        logged = client.post("/login", data={"token": "s3cret-token", "next": "/records"})
        session = logged.cookies["yuanwen_session"]
        assert logged.status_code == 303 and "s3cret" not in session and len(session) >= 32
        assert client.get("/records").status_code == 200
        with httpx.Client(base_url=server.url, cookies={"yuanwen_session": "s3cret-token"}) as forged:
            assert forged.get("/records").status_code == 303  # the token is no session


def test_sigterm_with_busy_workers_ends_quietly(tmp_path: Path) -> None:
    busy = "正文。" * 200_000
    with serving(tmp_path, "--workers", "2") as server, server.client() as client:
        for _ in range(3):
            assert client.post("/api/checks", json={"reprint": busy, "source": busy + "。"}).status_code == 202
        time.sleep(1.0)
        os.kill(server.pid, signal.SIGTERM)
        server.stop()
    log = server.log.read_text(encoding="utf-8")
    assert "Traceback" not in log and "BrokenPipe" not in log and "Finished server process" in log, log
