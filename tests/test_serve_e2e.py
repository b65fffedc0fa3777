"""`paperscope serve` end to end: headless Chromium opens the page, the browser app runs in it, a
search typed key by key finds its paper.

Chromium is driven over the DevTools protocol (aiohttp's websocket client, a textual-serve
dependency). textual-serve draws with xterm.js on a canvas, so the page has no text in its DOM;
the screen is read from the xterm.js buffer instead. The page keeps its Terminal in closures, and
DevTools finds it the way its console would: the module holding the Terminal class is in the
closure scope of the page's `window.onresize`, and `Runtime.queryObjects` lists the instances of
that class.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import aiohttp
import pytest

PAPERSCOPE = Path(sys.executable).with_name("paperscope")
CHROMIUM = shutil.which("chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium for a real browser (apt-get install chromium)"),
    pytest.mark.skipif(not PAPERSCOPE.exists(), reason=f"the console script {PAPERSCOPE} is not installed"),
]
TIMEOUT = 20.0
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage",
    "--no-first-run", "--no-default-browser-check", "--remote-debugging-port=0", "--window-size=1000,700",
    # The page asks fonts.googleapis.com for a font: every name but the server's fails at once, no DNS.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
SCREEN_JS = """function () {
    const buffer = this.buffer.active, rows = [];
    for (let y = 0; y < this.rows; y++) rows.push(buffer.getLine(y).translateToString(true));
    return {text: rows.join("\\n"), cursor: [buffer.cursorX, buffer.cursorY]};
}"""
TERMINAL_CLASS_JS = "function () { return typeof this.Terminal === 'function' ? this.Terminal.prototype : undefined; }"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(command: list[str], log: Path, **env: str) -> subprocess.Popen[bytes]:
    """In a process group of its own, so that it and everything it starts can be ended together."""
    with log.open("wb") as out:
        return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True, env={**os.environ, **env})


def end(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (the server then ends its app processes), SIGKILL for whatever is left of the group."""
    for sig, grace in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            continue
    try:
        os.killpg(process.pid, signal.SIGKILL)  # the group outlives its leader
    except ProcessLookupError:
        pass


def poll(condition: Callable[[], Any], what: str, process: subprocess.Popen[bytes], log: Path) -> Any:
    deadline = time.monotonic() + TIMEOUT
    while not (result := condition()):
        if process.poll() is not None:
            pytest.fail(f"{what}: the process ended ({process.returncode}):\n{log.read_text(errors='replace')}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}:\n{log.read_text(errors='replace')}")
        time.sleep(0.05)
    return result


def port_open(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def devtools_url(profile: Path) -> str | None:
    """Chromium writes the port it chose and the browser's websocket path to this file."""
    lines = (profile / "DevToolsActivePort").read_text().splitlines() if (profile / "DevToolsActivePort").exists() else []
    return f"ws://127.0.0.1:{lines[0]}{lines[1]}" if len(lines) == 2 else None


class Screen(NamedTuple):
    text: str
    cursor: tuple[int, int]  # (column, row): the app puts it where typing goes


class Page:
    """One tab, over the browser's DevTools websocket (a flat session: every message names the tab)."""

    def __init__(self, websocket: aiohttp.ClientWebSocketResponse) -> None:
        self.websocket = websocket
        self.ids = itertools.count(1)
        self.session: str | None = None
        self.terminal: str | None = None  # the xterm.js Terminal, as a DevTools object id

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        message_id = next(self.ids)
        message = {"id": message_id, "method": method, "params": params}
        if self.session is not None:
            message["sessionId"] = self.session
        await self.websocket.send_str(json.dumps(message))
        async with asyncio.timeout(TIMEOUT):
            while True:  # events arrive in between; nothing here listens to them
                reply = json.loads((await self.websocket.receive()).data)
                if reply.get("id") == message_id:
                    if "error" in reply:
                        raise AssertionError(f"{method}: {reply['error']}")
                    return reply["result"]

    async def evaluate(self, expression: str) -> Any:
        return (await self.call("Runtime.evaluate", expression=expression, returnByValue=True))["result"].get("value")

    async def open(self, url: str) -> None:
        target = (await self.call("Target.createTarget", url="about:blank"))["targetId"]
        self.session = (await self.call("Target.attachToTarget", targetId=target, flatten=True))["sessionId"]
        await self.call("Page.navigate", url=url)

    async def find_terminal(self) -> bool:
        """The page's Terminal, once its script has made one; False until then."""
        if not await self.evaluate("typeof window.onresize === 'function'"):
            return False
        onresize = (await self.call("Runtime.evaluate", expression="window.onresize"))["result"]["objectId"]
        internal = (await self.call("Runtime.getProperties", objectId=onresize))["internalProperties"]
        scopes = next(p["value"]["objectId"] for p in internal if p["name"] == "[[Scopes]]")
        for scope in (await self.call("Runtime.getProperties", objectId=scopes, ownProperties=True))["result"]:
            variables = (await self.call("Runtime.getProperties", objectId=scope["value"]["objectId"]))["result"]
            for variable in variables:
                if "objectId" not in variable.get("value", {}):
                    continue
                found = await self.call("Runtime.callFunctionOn", objectId=variable["value"]["objectId"],
                                        functionDeclaration=TERMINAL_CLASS_JS)
                if "objectId" in found["result"]:
                    instances = await self.call("Runtime.queryObjects", prototypeObjectId=found["result"]["objectId"])
                    first = await self.call("Runtime.callFunctionOn", objectId=instances["objects"]["objectId"],
                                            functionDeclaration="function () { return this[0]; }")
                    self.terminal = first["result"].get("objectId")
                    return self.terminal is not None
        raise AssertionError("the page's script has changed: no xterm.js Terminal in the closures of window.onresize")

    async def screen(self) -> Screen:
        assert self.terminal is not None
        reply = await self.call("Runtime.callFunctionOn", objectId=self.terminal, functionDeclaration=SCREEN_JS,
                                returnByValue=True)
        return Screen(reply["result"]["value"]["text"], tuple(reply["result"]["value"]["cursor"]))

    async def wait_for(self, condition: Callable[[Screen], bool], what: str) -> str:
        deadline = time.monotonic() + TIMEOUT
        while not condition(screen := await self.screen()):
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {what}; the page's terminal (cursor at {screen.cursor}):\n"
                            f"{screen.text}")
            await asyncio.sleep(0.05)
        return screen.text

    async def key(self, character: str) -> None:
        """A key press as the keyboard makes it: xterm.js turns it into bytes for the app."""
        await self.call("Input.dispatchKeyEvent", type="keyDown", key=character, text=character)
        await self.call("Input.dispatchKeyEvent", type="keyUp", key=character)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[int, subprocess.Popen[bytes], Path]]:
    port, log = free_port(), tmp_path / "serve.log"
    process = start([str(PAPERSCOPE), "serve", "--port", str(port)], log, PAPERSCOPE_DB=str(tmp_path / "store.json"))
    try:
        poll(lambda: port_open(port), "the server's port", process, log)
        yield port, process, log
    finally:
        end(process)


@pytest.fixture
async def page(tmp_path: Path) -> AsyncIterator[Page]:
    profile, log = tmp_path / "chromium-profile", tmp_path / "chromium.log"
    assert CHROMIUM is not None
    process = start([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"], log)
    try:
        url = poll(lambda: devtools_url(profile), "Chromium's DevTools port", process, log)
        async with aiohttp.ClientSession() as session, session.ws_connect(url, max_msg_size=0) as websocket:
            yield Page(websocket)
    finally:
        end(process)


async def test_served_browser_searches_in_chromium(server: tuple[int, subprocess.Popen[bytes], Path], page: Page) -> None:
    port, process, log = server
    await page.open(f"http://127.0.0.1:{port}/")
    deadline = time.monotonic() + TIMEOUT
    while not await page.find_terminal():
        assert time.monotonic() < deadline, "the page made no terminal"
        await asyncio.sleep(0.05)

    await page.evaluate("document.querySelector('.xterm-helper-textarea').focus()")  # as a click into the page does
    first = await page.wait_for(lambda s: "128 papers · sort: date" in s.text, "the first screen")
    assert "╭─ Researchers ─" in first and "◆ All papers      128" in first and "● Zhenyi Wang      37" in first
    box_row = first.splitlines()[1]
    box = box_row.index("││ ") + 3  # the column where the search box's text starts, on row 1

    # Each key waits for the last one to have landed: the cursor moves as the app takes it.
    await page.key("/")
    await page.wait_for(lambda s: s.cursor[1] == 1 and s.cursor[0] >= box, "the cursor in the search box")
    start = (await page.screen()).cursor[0]
    typed = ""
    for character in "teachability":
        typed += character
        await page.key(character)
        await page.wait_for(lambda s: s.text.splitlines()[1].startswith(box_row[:box] + typed + " ")
                            and s.cursor == (start + len(typed), 1), f"{typed!r} in the search box")

    found = await page.wait_for(lambda s: "1 match · sort: relevance · in: whole library" in s.text, "the search result")
    rows = [line for line in found.splitlines() if "Not All Disagreement Is Learnable" in line]
    assert len(rows) == 1 and rows[0].startswith("│") and "2026 LG" in rows[0], found
    assert "Access Sets Matter" not in found  # the first paper before the search is gone

    assert process.poll() is None
    assert "Traceback" not in log.read_text(errors="replace")
