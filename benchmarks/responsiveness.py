"""How long the browser's event loop stalls while a user types, pages and jumps around.

    python benchmarks/responsiveness.py [--papers N|seeds] [--size 80x24] [--seed S] [--json]

The app runs headless in this process on a library freshly ingested by another process (as a
user runs `paperscope ingest`, then `paperscope`). A probe coroutine in the app's event loop
sleeps 1 ms at a time and records how late it wakes: that lateness is the time the loop was
busy and could neither read a key nor draw. Each scenario sends its keys as the
terminal would, one every KEY_INTERVAL_MS (key repeat, fast typing) without waiting for searches
or drawing in between, and reports the longest stall and the 99th percentile. One frame at
60 Hz is 16.7 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import library_pages, percentile, run_worker  # noqa: E402

KEY_INTERVAL_MS = 30
FRAME_MS = 1000 / 60
CHARACTERS = {"slash": "/", "space": " "}  # keys named for the character they type
TYPED = ["model merging", "contnual lerning", "author:wang quantization", "cat:LG year:2024 graph"]


class StallProbe:
    """Records how late a 1 ms sleep wakes up in the running event loop, in wall time and in the
    loop thread's CPU time (the latter is what the app itself spent: it does not count the time
    another process had the core, which on a busy machine inflates the wall figure)."""

    def __init__(self) -> None:
        self.stalls: list[tuple[float, float]] = []
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while True:
            wall, cpu = time.perf_counter(), time.thread_time()
            await asyncio.sleep(0.001)
            self.stalls.append(((time.perf_counter() - wall - 0.001) * 1000, (time.thread_time() - cpu) * 1000))

    def take(self) -> tuple[list[float], list[float]]:
        taken, self.stalls = self.stalls, []
        return [wall for wall, _ in taken], [cpu for _, cpu in taken]

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()


# What a user presses, in order, per scenario.
SCENARIOS: dict[str, list[str]] = {
    # Each query typed into the search box a character at a time, then cleared with Escape.
    "typing": [key for query in TYPED for key in ["slash", *("space" if c == " " else c for c in query), "escape"]],
    "paging": ["pagedown"] * 40 + ["j"] * 60 + ["G", "g"] + ["pageup"] * 5,
    "researchers": ["shift+tab"] + ["j"] * 30 + ["tab"],
    "abstract": ["enter", "pagedown", "pagedown", "s", "s", "r", "r", "escape"],
    "palette": ["ctrl+p", "c", "a", "t", "backspace", "backspace", "backspace", "escape"],
}


async def send_keys(app: Any, keys: list[str]) -> None:
    """Keys as the terminal driver delivers them, KEY_INTERVAL_MS apart, whatever the app is doing."""
    from textual import events

    for key in keys:
        char = CHARACTERS.get(key, key if len(key) == 1 else None)
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)
        await asyncio.sleep(KEY_INTERVAL_MS / 1000)


async def measure(store: Path, size: tuple[int, int]) -> dict[str, Any]:
    from store.library import Library
    from tui.app import PaperscopeApp

    library = Library.open(store, seed_if_empty=False)
    app = PaperscopeApp(library, animate=False, dwell_s=2.0)
    probe = StallProbe()
    figures: dict[str, Any] = {"papers": len(library.papers), "size": f"{size[0]}x{size[1]}"}
    async with app.run_test(headless=True, size=size) as pilot:
        await pilot.pause(0.5)
        probe.start()
        for name, keys in SCENARIOS.items():
            probe.take()
            await send_keys(app, keys)
            await pilot.pause(0.5)  # searches and other workers finish: their stalls count too
            wall, cpu = probe.take()
            figures[name] = {
                "keys": len(keys),
                "stall_max_ms": round(max(wall, default=0.0), 1),
                "stall_p99_ms": round(percentile(wall, 0.99), 1),
                "cpu_stall_max_ms": round(max(cpu, default=0.0), 1),
                "cpu_stall_p99_ms": round(percentile(cpu, 0.99), 1),
                # Stalls of more than 2 ms are the loop's work (a frame drawn, a key handled):
                # how many there were, and how many took longer than a frame.
                "cpu_stalls": sum(stall > 2 for stall in cpu),
                "cpu_stalls_over_frame": sum(stall > FRAME_MS for stall in cpu),
            }
        probe.stop()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", default="100000", help="library size, or 'seeds'")
    parser.add_argument("--size", default="80x24", help="terminal size, COLUMNSxROWS")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    columns, rows = (int(n) for n in args.size.split("x"))
    pages, _ = library_pages(args.papers, args.seed)
    work = Path(tempfile.mkdtemp(prefix="paperscope-responsiveness-"))
    try:
        store = work / "store.json"
        run_worker("ingest", str(pages), str(store))  # in another process, as `paperscope ingest` is
        figures = asyncio.run(measure(store, (columns, rows)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps(figures))
        return 0
    print(f"{figures['papers']} papers at {figures['size']}")
    heads = ["stall_max_ms", "stall_p99_ms", "cpu_stall_max_ms", "cpu_stall_p99_ms"]
    print(f"{'scenario':<12} {'keys':>5} " + " ".join(f"{h:>16}" for h in heads) + f" {'cpu_over_frame':>16}")
    for name in SCENARIOS:
        row = figures[name]
        over = f"{row['cpu_stalls_over_frame']}/{row['cpu_stalls']}"
        print(f"{name:<12} {row['keys']:>5} " + " ".join(f"{row[h]:>16}" for h in heads) + f" {over:>16}")
    print(f"keys {KEY_INTERVAL_MS} ms apart; a frame at 60 Hz is 16.7 ms; cpu_over_frame: the loop's"
          " stalls of over 2 ms (its frames and keys) that took longer than a frame, of all of them")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
