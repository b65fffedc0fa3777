"""The abstract, full screen: how a narrow terminal reads a paper."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content

from store.library import Library
from store.model import Paper
from tui.screens.paper_screen import PaperScreen
from tui.widgets.abstract_view import AbstractView
from tui.widgets.key_bar import KeyBar


class AbstractScreen(PaperScreen[str | None]):
    """Dismissed with an author's name when one is opened, else with None.

    One is made per main screen and shown again for each paper opened (:meth:`show`): composing
    and styling a new screen was half of opening a paper (43 ms of CPU at 80x24, 23 now), and
    removing it half of closing it (23 ms, 12 now).
    """

    BINDINGS = [Binding("escape,backspace", "close", "Back", id="abstract_screen.back")]
    FOCUS_PANES = "#abstract-full"

    def __init__(self, library: Library, paper: Paper, dwell_s: float | None = None) -> None:
        super().__init__(library)
        self.paper = paper
        self.dwell_s = dwell_s

    def compose(self) -> ComposeResult:
        yield AbstractView(
            id="abstract-full", dwell_s=self.dwell_s, marks=self.library.mark, similar_on_request=self.similar_on_request
        )
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(AbstractView).border_title = Content("Abstract")
        self.show(self.paper)

    def show(self, paper: Paper) -> None:
        """Show `paper`, scrolled to its top, the focus on the text (not a list a previous paper
        left it in); when mounted, and before the screen is pushed again."""
        self.paper = paper
        self.clear_selection()  # text selected in the last paper
        view = self.query_one(AbstractView)
        view.show(paper)
        view.focus()

    def on_screen_suspend(self) -> None:
        if self not in self.app.screen_stack:  # closed (kept, not removed), not under a dialog
            self.query_one(AbstractView).stop_dwelling()

    def current_paper(self) -> Paper | None:
        return self.query_one(AbstractView).paper

    def marks_changed(self, paper: Paper) -> None:
        self.redraw_mark(self.query_one(AbstractView), paper)

    def action_close(self) -> None:
        focused = self.focused
        if focused is not None and focused.id in ("abstract-authors", "abstract-similar"):
            self.query_one(AbstractView).focus()
        else:
            self.dismiss(None)

    @on(AbstractView.ShowResearcher)
    def _open_author(self, event: AbstractView.ShowResearcher) -> None:
        self.dismiss(event.name)

    @on(AbstractView.ShowPaper)
    def _open_similar(self, event: AbstractView.ShowPaper) -> None:
        paper = self.library.paper(event.paper_id)
        if paper is not None:
            self.query_one(AbstractView).show(paper)
            self.query_one(AbstractView).focus()
