"""The abstract, full screen: how a narrow terminal reads a paper."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer

from store.model import Paper
from tui.widgets.abstract_view import AbstractView


class AbstractScreen(Screen[str | None]):
    """Dismissed with an author's name when one is opened, else with None."""

    BINDINGS = [Binding("escape,backspace", "close", "Back", id="abstract_screen.back")]

    def __init__(self, paper: Paper) -> None:
        super().__init__()
        self.paper = paper

    def compose(self) -> ComposeResult:
        yield AbstractView(id="abstract-full")
        yield Footer()

    def on_mount(self) -> None:
        view = self.query_one(AbstractView)
        view.border_title = Content("Abstract")
        view.show(self.paper)
        view.focus()

    def action_close(self) -> None:
        focused = self.focused
        if focused is not None and focused.id == "abstract-authors":
            self.query_one(AbstractView).focus()
        else:
            self.dismiss(None)

    @on(AbstractView.ShowResearcher)
    def _open_author(self, event: AbstractView.ShowResearcher) -> None:
        self.dismiss(event.name)
