"""`o` when an abstract names several links: pick one to open."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option


class LinkScreen(ModalScreen[str | None]):
    """Dismissed with the chosen URL, or None."""

    BINDINGS = [
        Binding("escape,backspace,q", "dismiss(None)", "Close", id="links.close"),
        Binding("j", "cursor(1)", "Down", show=False, id="links.down"),
        Binding("k", "cursor(-1)", "Up", show=False, id="links.up"),
    ]
    DEFAULT_CSS = """
    LinkScreen { align: center middle; }
    LinkScreen > OptionList {
        width: auto; min-width: 40; max-width: 90%; height: auto; max-height: 80%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, links: Sequence[str]) -> None:
        super().__init__()
        self.links = tuple(links)

    def compose(self) -> ComposeResult:
        # Text, not markup: a URL from a page is data.
        options = OptionList(*(Option(Text(url)) for url in self.links))
        options.border_title = Content("Open which link? · Enter opens")
        yield options

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0

    def action_cursor(self, step: int) -> None:
        options = self.query_one(OptionList)
        options.action_cursor_down() if step > 0 else options.action_cursor_up()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.links[event.option_index])
