"""`yuanwen serve`: the web page and HTTP API on this machine (needs the extra: pip install 'yuanwen[web]')."""

from __future__ import annotations

import os
from pathlib import Path

import click

from yuanwen.cli.common import fail, guarded, library_option, time_limit_option
from yuanwen.workers import DEFAULT_TIME_LIMIT

_MB = 1024 * 1024


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址；127.0.0.1 以外须给出 --token-file。")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="端口。")
@library_option
@click.option(
    "--token-file", type=click.Path(path_type=Path), help="口令文件：每个请求都须带其中的口令（团队共用时）。"
)
@click.option("--max-upload", default=50, show_default=True, type=click.IntRange(1, 64), help="一次上传的上限（MB）。")
@click.option("--workers", type=click.IntRange(1, 64), help="同时核对的进程数（默认：CPU 核数）。")
@time_limit_option(DEFAULT_TIME_LIMIT)
@click.option(
    "--name",
    "names",
    multiple=True,
    help="本服务的其他主机名（如 yuanwen.example.cn），可多次给出；请求的 Host 头须是监听地址或这些名称之一。",
)
def serve(
    host: str,
    port: int,
    library_file: Path | None,
    token_file: Path | None,
    max_upload: int,
    workers: int | None,
    time_limit: float,
    names: tuple[str, ...],
) -> None:
    """在浏览器中核对：http://127.0.0.1:8000 ；另有 HTTP 接口（/docs）。"""
    try:
        import uvicorn

        from yuanwen.web.app import create_app
        from yuanwen.web.guard import Hosts
        from yuanwen.web.uploads import upload_folder
        from yuanwen.web.views import Settings
    except ImportError:
        fail("yuanwen serve 需要网页组件：pip install 'yuanwen[web]'")
    from yuanwen.library import library_path
    from yuanwen.web.records import Records

    token = _token(token_file)
    if token is None and not _loopback(host):
        fail(f"在 {host} 上提供服务会让其他机器访问，须用 --token-file 设定口令")
    library = library_path(library_file)
    guarded(lambda: Records(library))
    _require_free(host, port)
    hosts, uploads = Hosts.listening(host, names), upload_folder(host, port)
    settings = Settings(library, workers or os.cpu_count() or 1, time_limit, max_upload * _MB, hosts, uploads, token)
    click.echo(f"yuanwen：在 http://{host}:{port} 提供服务，文献库 {library}（Ctrl+C 停止）", err=True)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


def _token(token_file: Path | None) -> str | None:
    if token_file is None:
        return None
    try:
        token = token_file.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        fail(f"无法读取口令文件 {token_file}：{getattr(error, 'strerror', None) or error}")
    if len(token) < 8:
        fail(f"口令文件中的口令太短（至少 8 个字符）：{token_file}")
    return token


def _loopback(host: str) -> bool:
    import ipaddress  # here: every other command starts without it

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _require_free(host: str, port: int) -> None:
    """Say so in one line when the port is taken, rather than let the server fail with a trace."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            fail(f"无法在 {host}:{port} 上监听：{error.strerror}")
