"""The browser in a real terminal (tmux) over a store of hostile pages: every byte it writes is
recorded, and none of the injected sequences is among them; markup shows as text; it still works.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import CAPTURED
from hostile_pages import write_pages

from store.library import Library

PAPERSCOPE = Path(sys.executable).with_name("paperscope")
pytestmark = [
    pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux for a real terminal (apt-get install tmux)"),
    pytest.mark.skipif(not PAPERSCOPE.exists(), reason=f"the console script {PAPERSCOPE} is not installed"),
]
SIZE = (120, 40)
# os.environ, not the C environment this process hands its children by default: under pytest a
# curses call somewhere sets COLUMNS=80 and LINES=24 there, and the browser would believe them.
ENV = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}


class Terminal:
    """A tmux server of our own (its own socket) running one program in a 120x40 window."""

    def __init__(self, directory: Path) -> None:
        self.socket = f"paperscope-test-{uuid.uuid4().hex[:12]}"
        self.directory = directory
        self.raw = directory / "raw.log"
        self.status = directory / "status"
        self.socket_path: Path | None = None

    def tmux(self, *args: str) -> str:
        run = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args], capture_output=True, text=True, timeout=10,
            env=ENV,
        )
        assert run.returncode == 0, (args, run.stderr)
        return run.stdout

    def start(self, command: list[str]) -> None:
        # The program waits for a line before it starts, so that every byte it writes is recorded.
        script = (
            f"read _; unset COLUMNS LINES; TERM=xterm-256color {shlex.join(command)}; "
            f"echo $? > {shlex.quote(str(self.status))}"
        )
        width, height = SIZE
        self.tmux("new-session", "-d", "-s", "main", "-x", str(width), "-y", str(height), "sh", "-c", script)
        self.socket_path = Path(self.tmux("display-message", "-p", "#{socket_path}").strip())
        self.tmux("pipe-pane", "-o", "-t", "main", f"cat >> {shlex.quote(str(self.raw))}")
        self.tmux("send-keys", "-t", "main", "Enter")

    def screen(self, escapes: bool = False) -> str:
        return self.tmux("capture-pane", "-p", "-t", "main", *(["-e"] if escapes else []))

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "main", *keys)

    def type(self, text: str) -> None:
        """One character at a time, as a person types (a burst of keys is not what we test)."""
        for character in text:
            self.tmux("send-keys", "-t", "main", "-l", character)
            time.sleep(0.05)

    def wait_for(self, condition: Callable[[str], bool], what: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if condition(screen):
                return screen
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {what}; the screen:\n{screen}")
            time.sleep(0.1)

    def exit_status(self, timeout: float = 15) -> int:
        deadline = time.monotonic() + timeout
        while not (self.status.exists() and self.status.read_text().strip()):
            if time.monotonic() > deadline:
                pytest.fail(f"the browser did not exit; the screen:\n{self.screen()}")
            time.sleep(0.1)
        return int(self.status.read_text())

    def kill(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=10, env=ENV)
        if self.socket_path is not None:
            self.socket_path.unlink(missing_ok=True)  # a server that ended by itself leaves it


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(tmp_path)
    try:
        yield term
    finally:
        term.kill()


def test_browser_in_a_real_terminal(tmp_path: Path, terminal: Terminal) -> None:
    store = tmp_path / "store.json"
    results = Library.open(store, seed_if_empty=False).ingest(write_pages(tmp_path / "pages"), captured=CAPTURED)
    assert [r.outcome for r in results] == ["added"] * 5

    terminal.start([str(PAPERSCOPE), "--db", str(store)])
    # Markup is shown as the text it is: a title, an owner, an author, an abstract.
    terminal.wait_for(
        lambda s: all(
            shown in s
            for shown in (
                "11 papers · sort: date",
                "│ [bold]Feed[/] Title",  # the abstract pane's title, on two lines
                "│ [@click=app.quit]click[/]",
                "● Yvonne [bold]Own… 3",  # names cut to the researchers pane
                "  [@click=app.quit… 1",
                "Abstract and and [link=http://x]link[/link].",
            )
        ),
        "the first screen",
    )

    terminal.keys("/")
    terminal.type("clipboard")  # at once: "/" is handled as it arrives, so nothing typed after it is lost
    terminal.wait_for(lambda s: "1 match · sort: relevance" in s and "clipboard" in s, "the search result")
    terminal.keys("Enter")  # from the search box to the list
    terminal.wait_for(lambda s: s.splitlines()[-1].startswith(" ⏎ Open"), "the list to take the focus")
    terminal.keys("Enter")  # open the paper: the abstract beside the list takes the focus
    opened = terminal.wait_for(lambda s: s.splitlines()[-1].startswith(" a Authors"), "the abstract")
    assert "│ [bold]Loud[/] Profile Title With Clipboard" in opened
    assert "An abstract with a clear, a C1 clear," in opened
    assert "reversed text and [@click=app.quit]quit[/]." in opened

    coloured = terminal.screen(escapes=True)
    assert "\x1b]" not in coloured and "\x1b[2J" not in coloured
    for forbidden in ("\x9b", "\x07", "\u202e", "\u202c"):
        assert forbidden not in coloured

    terminal.keys("q")
    assert terminal.exit_status() == 0

    written = terminal.raw.read_bytes()
    assert len(written) > 10_000  # the whole session was recorded
    # The only OSCs the browser itself writes: Textual's pointer shape (OSC 22) and hyperlinks
    # (OSC 8) to the links found in abstracts (here the pages' `http://x`), each ended properly.
    oscs = re.findall(rb"\x1b\]([^\x07\x1b]*)(\x07|\x1b\\)", written)
    assert written.count(b"\x1b]") == len(oscs)
    assert {osc.split(b";")[0] for osc, _ in oscs} <= {b"22", b"8"}
    assert {osc.split(b";", 2)[2] for osc, _ in oscs if osc.startswith(b"8;")} <= {b"", b"http://x"}
    assert written.count(b"\x07") == sum(end == b"\x07" for _, end in oscs)
    for injected in (b"\x1b]52", b"\x1b]0;", b"cHduZWQ=", b"pwned", b"\x1b[2J",
                     "\x9b".encode(), "\u202e".encode(), "\u202c".encode()):
        assert injected not in written, injected
