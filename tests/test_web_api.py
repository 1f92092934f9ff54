"""The HTTP API and the server's guards: the CLI's JSON byte for byte, polling, the token, cross-site posts, limits."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from conftest import CORPUS_FILES, EXAMPLES, needs_corpus, run_cli
from web_server import serving

REPRINT, SOURCE = EXAMPLES / "reprint.txt", EXAMPLES / "source.txt"


def _pair() -> dict[str, tuple[str, bytes]]:
    return {"reprint": ("reprint.txt", REPRINT.read_bytes()), "source": ("source.txt", SOURCE.read_bytes())}


def _poll(client: Any, check_id: str, until: str, seconds: float = 60.0) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state: dict[str, Any] = client.get(f"/api/checks/{check_id}").json()
        if state["status"] == until:
            return state
        time.sleep(0.05)
    raise AssertionError(f"check {check_id} not {until} within {seconds} s: {state}")


def test_api_check_is_the_cli_json_byte_for_byte(web_server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    with web_server.client() as client:
        answer = client.post("/api/check", files=_pair())
    monkeypatch.chdir(EXAMPLES)
    cli = run_cli("check", "reprint.txt", "--source", "source.txt", "--format", "json")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    assert answer.text == cli.stdout
    assert json.loads(answer.text)["summary"]["critical"] == 2


def test_submit_then_poll_and_download(web_server: Any) -> None:
    with web_server.client() as client:
        submitted = client.post("/api/checks", files=_pair())
        assert submitted.status_code == 202
        state = _poll(client, submitted.json()["id"], "done")
        assert state["summary"] == {"critical": 2, "major": 0, "minor": 26, "info": 3}
        assert state["report"]["schema"] == "yuanwen.report/1"
        fixed = client.get(state["downloads"]["fixed"])
        assert "attachment" in fixed.headers["content-disposition"]
        assert "指导组" in fixed.text and "督导组" not in fixed.text


def test_json_text_and_a_bad_file(web_server: Any) -> None:
    with web_server.client() as client:
        pasted = client.post(
            "/api/check",
            json={"reprint": REPRINT.read_text(encoding="utf-8"), "source": SOURCE.read_text(encoding="utf-8")},
        )
        assert pasted.json()["summary"]["critical"] == 2
        bad = client.post(
            "/api/check", files={"reprint": ("坏.pdf", b"%PDF-1.7 not really"), "source": ("s.txt", b"x")}
        )
        assert bad.status_code == 422
        assert bad.json()["error"].endswith("坏.pdf") and "Traceback" not in bad.text
        missing = client.post("/api/check", files={"source": ("s.txt", b"x")})
        assert missing.status_code == 400 and "转载稿" in missing.json()["error"]
        # The server kept serving, and the failure is on record with its reason.
        failed = [r for r in client.get("/records").text.split("<tr>") if "坏.pdf" in r]
        assert len(failed) == 1 and "失败" in failed[0]
        assert client.post("/api/check", files=_pair()).status_code == 200


def test_library_api(web_server: Any) -> None:
    with web_server.client() as client:
        added = client.post("/api/library", files={"file": ("s.txt", SOURCE.read_bytes())}, data={"title": "调研"})
        assert added.status_code == 201
        again = client.post("/api/library", files={"file": ("s.txt", SOURCE.read_bytes())})
        assert again.status_code == 200 and again.json() == {"id": added.json()["id"], "new": False}
        found = client.get("/api/library", params={"q": "京津冀协同发展"}).json()
        assert [t["title"] for t in found["texts"]] == ["调研"]
        checked = client.post("/api/check", files={"reprint": ("r.txt", REPRINT.read_bytes())}).json()
        assert [s["title"] for s in checked["sources"]] == ["调研"]
        assert client.delete(f"/api/library/{added.json()['id']}").json()["title"] == "调研"
        assert client.get("/api/library").json()["total"] == 0
        assert client.delete("/api/library/ffffffff").status_code == 422


def test_pages_are_guarded(web_server: Any) -> None:
    with web_server.client() as client:
        page = client.get("/")
        policy = page.headers["content-security-policy"]
        assert "unsafe-inline" not in policy and "default-src 'none'" in policy
        cross = client.post("/checks", files=_pair(), headers={"origin": "http://elsewhere.example"})
        assert cross.status_code == 403 and "跨站" in cross.text
        record = client.post("/checks", files=_pair(), headers={"origin": web_server.url})
        assert record.status_code == 303
        assert record.headers["location"].startswith("/checks/")
        docs = client.get("/docs").text
        assert "/api/check" in docs and "/api/checks/{check_id}" in docs
        assert client.get("/openapi.json").json()["paths"]["/api/check"]["post"]
        assert client.get("/checks/nothing-here").status_code == 404


def test_the_report_runs_only_its_own_script(web_server: Any) -> None:
    with web_server.client() as client:
        check_id = client.post("/api/checks", files=_pair()).json()["id"]
        _poll(client, check_id, "done")
        report = client.get(f"/checks/{check_id}/report.html")
    policy = report.headers["content-security-policy"]
    assert "unsafe-inline" not in policy
    assert policy.count("'sha256-") == 2  # its one <style> and its one <script>


def test_a_token_is_required_when_set(tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text("s3cret-token\n", encoding="utf-8")
    with serving(tmp_path, "--workers", "1", "--token-file", str(token_file)) as server, server.client() as client:
        assert client.get("/api/library").status_code == 401
        assert client.get("/api/library", headers={"authorization": "Bearer wrong-token"}).status_code == 401
        assert client.get("/api/library", headers={"authorization": "Bearer s3cret-token"}).status_code == 200
        assert client.get("/records").headers["location"] == "/login?next=/records"
        logged = client.post("/login", data={"token": "s3cret-token", "next": "/records"})
        assert logged.status_code == 303 and client.get("/records").status_code == 200


def test_serve_refuses_an_open_address_without_a_token(tmp_path: Path) -> None:
    result = run_cli("serve", "--host", "0.0.0.0", "--library", tmp_path / "l.sqlite3")
    assert result.exit_code == 2
    assert result.output.strip() == "yuanwen：错误：在 0.0.0.0 上提供服务会让其他机器访问，须用 --token-file 设定口令"


@needs_corpus
def test_queue_position_and_time_limit(tmp_path: Path) -> None:
    """With one worker busy, the next check waits its turn; one over the time limit fails and the server goes on."""
    # The corpus three times over against itself with one word changed throughout: several seconds of
    # checking however fast a check gets (once over took ~2.4 s on an idle machine, and less since).
    source = "".join(path.read_text(encoding="utf-8") for path in CORPUS_FILES) * 3
    with serving(tmp_path, "--workers", "1", "--time-limit", "1") as server, server.client() as client:
        edited = {"reprint": source.replace("发展", "发扬"), "source": source}
        slow = client.post("/api/checks", json=edited).json()["id"]
        quick = client.post("/api/checks", files=_pair()).json()["id"]
        waiting = client.get(f"/api/checks/{quick}").json()
        assert waiting["status"] == "queued" and waiting["position"] in (1, 2)
        assert f"排队中（第 {waiting['position']} 位）" in client.get(f"/checks/{quick}").text
        assert "核对超时（超过 1 秒）" in _poll(client, slow, "failed")["error"]
        assert _poll(client, quick, "done")["summary"]["critical"] == 2
