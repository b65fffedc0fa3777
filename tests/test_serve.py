"""`paperscope serve` without a browser: who is warned, what runs, how bad arguments fail, how it stops."""

from __future__ import annotations

import asyncio
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest
from aiohttp import WSCloseCode, WSMsgType
from aiohttp.test_utils import TestClient, TestServer

from tui.cli import main
from tui.serve import PaperscopeServer, browser_command, exposure_warning, is_loopback, url


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "127.255.255.254", "::1", "[::1]", "localhost",
                                  "LOCALHOST", "localhost.", "::ffff:127.0.0.1"])
def test_loopback_addresses(host: str) -> None:
    assert is_loopback(host)
    assert exposure_warning(host, 8000) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "", "192.168.1.10", "10.0.0.1", "128.0.0.1", "::2",
                                  "::ffff:10.0.0.1", "example.com", "localhost.example.com", "my-laptop"])
def test_other_addresses(host: str) -> None:
    assert not is_loopback(host)


def test_warning_text() -> None:
    assert exposure_warning("0.0.0.0", 8080) == (
        "paperscope: warning: 0.0.0.0 is not a loopback address: anyone who can reach it on port 8080 "
        "can use the browser and change your store")
    assert exposure_warning("", 8000) is not None and "every interface" in exposure_warning("", 8000)


def test_urls() -> None:
    assert url("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert url("::1", 8000) == "http://[::1]:8000"
    assert url("[::1]", 8000) == "http://[::1]:8000"


def test_command_runs_this_python_on_this_store(tmp_path: Path) -> None:
    store = tmp_path / "it's a store" / "s.json"
    assert shlex.split(browser_command(store)) == [sys.executable, "-m", "tui.cli", "--db", str(store.resolve())]


@pytest.mark.parametrize("port", ["0", "65536", "-1"])
def test_port_out_of_range(tmp_path: Path, capsys: pytest.CaptureFixture[str], port: str) -> None:
    store = tmp_path / "store.json"
    assert main(["--db", str(store), "serve", "--port", port]) == 2
    assert capsys.readouterr().err == f"paperscope: the port must be between 1 and 65535, not {port}\n"
    assert not store.exists()  # refused before the store is touched


def test_busy_port_and_warning(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("0.0.0.0", 0))
        busy.listen()
        port = busy.getsockname()[1]
        run = subprocess.run([sys.executable, "-m", "tui.cli", "--db", str(tmp_path / "s.json"), "serve",
                              "--host", "0.0.0.0", "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert run.stderr.splitlines() == [
        exposure_warning("0.0.0.0", port),
        f"paperscope: cannot serve on http://0.0.0.0:{port}: Address already in use",
    ]


async def test_page_points_at_the_address_the_browser_used(tmp_path: Path) -> None:
    """Bound to 0.0.0.0, the page must not send the browser's websocket to 0.0.0.0."""
    server = PaperscopeServer(browser_command(tmp_path / "s.json"), host="0.0.0.0", port=8000,
                              public_url=url("0.0.0.0", 8000))
    async with TestClient(TestServer(await server._make_app())) as client:
        page = await (await client.get("/", headers={"Host": "laptop.lan:8000"})).text()
    assert 'data-session-websocket-url="ws://laptop.lan:8000/ws"' in page
    assert 'href="http://laptop.lan:8000/static/css/xterm.css"' in page
    assert "0.0.0.0" not in page


async def test_sigterm_closes_each_open_tab_and_its_app_then_the_server_ends(tmp_path: Path) -> None:
    """aiohttp waits for open websockets when told to stop: left to it, one open tab kept the
    server (and the tab's app) running ~20 s after SIGTERM."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "--db", str(tmp_path / "s.json"), "serve", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        assert server.stdout is not None
        assert server.stdout.readline().decode() == f"paperscope: serving the browser on http://127.0.0.1:{port} (Ctrl+C stops)\n"
        async with aiohttp.ClientSession() as session, session.ws_connect(f"http://127.0.0.1:{port}/ws") as tab:
            await tab.send_str(json.dumps(["resize", {"width": 80, "height": 24}]))
            first = await asyncio.wait_for(tab.receive(), 30)  # the tab's app drew: it runs
            assert first.type == WSMsgType.BINARY
            server.send_signal(signal.SIGTERM)
            while (message := await asyncio.wait_for(tab.receive(), 30)).type == WSMsgType.BINARY:
                pass  # the app's last frames
            assert (message.type, message.data, message.extra) == (WSMsgType.CLOSE, WSCloseCode.GOING_AWAY, "paperscope is stopping")
        assert server.wait(30) == 0
        # The tab's app was told to quit (the server does not wait for it to finish): it does.
        for _ in range(300):
            try:
                os.killpg(server.pid, 0)
            except ProcessLookupError:
                break
            await asyncio.sleep(0.1)
        else:
            pytest.fail("the tab's app still runs 30 s after the server ended")
    finally:
        try:
            os.killpg(server.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        server.wait()
