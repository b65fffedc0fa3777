"""The paperscope browser: an App built around a Library handed to it."""

from __future__ import annotations

import gc
from pathlib import Path

from textual import events
from textual.app import App
from textual.binding import Binding

from store.library import Library
from tui.commands import FilterCommands, ResearcherCommands
from tui.idle_collector import IdleCollector
from tui.key_queue import KeyQueue
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen


DWELL_S = 2.0


class PaperscopeApp(App[None]):
    CSS_PATH = Path(__file__).with_name("paperscope.tcss")
    TITLE = "paperscope"
    COMMANDS = App.COMMANDS | {ResearcherCommands, FilterCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("f1", "help", "Help", show=False, id="app.help_f1"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, id="app.palette"),
    ]

    def __init__(self, library: Library, *, animate: bool = True, dwell_s: float | None = None) -> None:
        """`animate=False` (tests, snapshots) turns off everything that changes by itself: also
        the dwell timers, unless `dwell_s` is given. `dwell_s`: how long a paper or researcher
        stays in view before it counts as seen / visited (default DWELL_S)."""
        super().__init__()
        self.library = library
        self.dwell_s = dwell_s if dwell_s is not None or not animate else DWELL_S
        if not animate:
            self.animation_level = "none"
        self.idle_collector = IdleCollector()
        self.key_queue = KeyQueue(self, super().on_event)

    def on_mount(self) -> None:
        self.push_screen(MainScreen(self.library, self.dwell_s))
        self.call_after_refresh(_set_aside_the_startup_heap)
        self.idle_collector.start()
        self.set_interval(self.idle_collector.idle_s / 2, self.idle_collector.collect_if_idle)

    def on_unmount(self) -> None:
        self.idle_collector.stop()
        gc.unfreeze()  # another app in this process (tests) starts afresh

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self.idle_collector.input_arrived()
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:  # from the terminal
            await self.key_queue.typed(event)
        else:
            await super().on_event(event)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())


def _set_aside_the_startup_heap() -> None:
    """Collect once, then freeze what is left: every full collection would otherwise walk the
    hundreds of thousands of objects Textual and the app made at start-up, stalling keys and
    drawing for ~50 ms each time (many times a minute while typing)."""
    gc.collect()
    gc.freeze()


def run_browser(library: Library) -> None:
    PaperscopeApp(library).run()
