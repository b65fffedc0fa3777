"""What one can do to the paper in view, on any screen that shows papers: star it, mark it read,
write a note, copy its citation, open a link from its abstract, export it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Generic, TypeVar

from textual import on, work
from textual.binding import Binding
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import get_current_worker

from store.db import StoreError
from store.library import Library
from store.links import find_links
from store.model import Paper
from store.text import clean_line, counted
from tui.widgets.abstract_view import AbstractView, SimilarPapers

ResultType = TypeVar("ResultType")
PAPER_ACTIONS = frozenset({"star", "toggle_read", "edit_note", "copy_citation", "open_link", "export"})
DEBOUNCE_S = 0.1  # how long the cursor stays on a row before work for that row starts


def cursor_moved_on() -> bool:
    """In a worker started for the row under the cursor: wait DEBOUNCE_S, then say whether a newer
    worker has replaced this one. A held key passes over many rows; only where it stops counts."""
    time.sleep(DEBOUNCE_S)
    return get_current_worker().is_cancelled


class PaperScreen(Screen[ResultType], Generic[ResultType]):
    """A screen with a current paper; subclasses say which it is and redraw when marks change."""

    BINDINGS = [
        Binding("s", "star", "Star", id="paper.star"),
        Binding("r", "toggle_read", "Read", show=False, id="paper.read"),
        Binding("n", "edit_note", "Note", id="paper.note"),
        Binding("y", "copy_citation", "Copy citation", show=False, id="paper.copy"),
        Binding("o", "open_link", "Open link", show=False, id="paper.open_link"),
        Binding("e", "export", "Export", id="paper.export"),
    ]
    # Textual's Screen repaints itself whole when the focus moves (each `/`, Escape, Tab): a frame
    # or two at 100k papers. The widgets that gain or lose the focus, and those whose styles
    # depend on it, are redrawn anyway.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    FOCUS_PANES = ""  # a subclass's panes (a selector), lit up while they hold the focus

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library

    def watch_focused(self, focused: Widget | None) -> None:
        """Mark the pane that holds the focus (`-holds-focus`). A class, not CSS's :focus-within,
        for which Textual styles the pane and all it holds again on every focus change inside
        it: each `/` and Escape moves the focus inside the papers pane (~3 ms at 200x60)."""
        if not self.FOCUS_PANES:
            return
        holders = set(focused.ancestors_with_self) if focused is not None else set()
        for pane in self.query(self.FOCUS_PANES):
            pane.set_class(pane in holders, "-holds-focus")

    def call_from_worker(self, callback: Callable[..., object], *args: object, **kwargs: object) -> None:
        """In a thread worker: run `callback(*args, **kwargs)` on the UI thread and wait until it has run.

        Like `App.call_from_thread`, but sent to this screen, so it is dropped once the screen is
        being removed (on quitting, or on closing a screen that is not kept for reuse as the
        full-screen abstract is) and its widgets are gone; the wait ends then too, as removing the
        screen cancels its workers. A kept screen gets the call while hidden."""
        ran = threading.Event()

        def run() -> None:
            try:
                callback(*args, **kwargs)
            finally:
                ran.set()

        if self.call_later(run):
            worker = get_current_worker()
            while not ran.wait(0.05) and not worker.is_cancelled:
                pass

    # --- what subclasses provide ------------------------------------------------------------

    def current_paper(self) -> Paper | None:
        raise NotImplementedError

    def marks_changed(self, paper: Paper) -> None:
        """Redraw whatever shows the paper's marks."""
        raise NotImplementedError

    def export_choices(self) -> dict[str, tuple[str, Sequence[Paper]]]:
        """What `e` can export: key → (label, papers). The paper in view and the starred ones."""
        paper = self.current_paper()
        choices: dict[str, tuple[str, Sequence[Paper]]] = {}
        if paper is not None:
            choices["paper"] = ("This paper", [paper])
        choices["starred"] = ("Starred papers", self.library.starred())
        return choices

    def redraw_mark(self, view: AbstractView, paper: Paper) -> None:
        """Show `paper`'s marks in `view`, if that is the paper it shows."""
        if view.shows(paper.id):
            view.show_mark()

    # --- actions --------------------------------------------------------------------------

    def action_star(self) -> None:
        if (paper := self.current_paper()) is not None:
            self._change_marks(paper, lambda: "Starred" if self.library.toggle_star(paper.id) else "Star removed")

    def action_toggle_read(self) -> None:
        if (paper := self.current_paper()) is not None:
            self._change_marks(
                paper, lambda: "Marked read" if self.library.toggle_read(paper.id) == "read" else "Marked unread"
            )

    @work(thread=True, group="desk")
    def _change_marks(self, paper: Paper, change: Callable[[], str | None]) -> None:
        """Make a change to the desk off the UI thread (it rewrites the desk file: ~20 ms at 100k
        papers, and an fsync can take far longer on a slow disk), then redraw the paper's marks
        and say what changed (`change` returns that, or None to say nothing)."""
        try:
            message = change()
        except (StoreError, ValueError) as error:
            self.call_from_worker(self.notify, str(error), severity="error", markup=False)
            return
        self.call_from_worker(self._marks_written, paper, message)

    def _marks_written(self, paper: Paper, message: str | None) -> None:
        self.marks_changed(paper)
        if message:
            self.notify(message, timeout=1.5)

    # The dialogs and the export formats are imported when first used: they cost start-up time.

    @work
    async def action_edit_note(self) -> None:
        from tui.screens.note import NoteScreen

        paper = self.current_paper()
        if paper is None:
            return
        note = await self.app.push_screen_wait(NoteScreen(paper.title, self.library.mark(paper.id).note))
        if note is None:
            return

        def save() -> str:
            self.library.set_note(paper.id, note)
            return "Note saved" if note.strip() else "Note removed"

        self._change_marks(paper, save)

    def action_copy_citation(self) -> None:
        """Title and citation line to the clipboard, by OSC 52: it reaches the local clipboard
        over SSH too, where the terminal allows it."""
        from store.export import citation

        if (paper := self.current_paper()) is not None:
            self.app.copy_to_clipboard(f"{clean_line(paper.title)}\n{citation(paper)}")
            self.notify("Copied the title and citation", timeout=1.5)

    @work
    async def action_open_link(self) -> None:
        from tui.screens.links import LinkScreen

        paper = self.current_paper()
        if paper is None:
            return
        links = find_links(paper.abstract)
        if not links:
            self.notify("No links in this abstract", timeout=2)
            return
        url = links[0] if len(links) == 1 else await self.app.push_screen_wait(LinkScreen(links))
        if url:
            self.app.open_url(url)
            self.notify(f"Opening {url}", timeout=2, markup=False)

    @work
    async def action_export(self) -> None:
        from store.export import write_export
        from tui.screens.export import ExportRequest, ExportScreen

        choices = self.export_choices()
        request: ExportRequest | None = await self.app.push_screen_wait(
            ExportScreen([(key, label, len(papers)) for key, (label, papers) in choices.items()], Path.cwd())
        )
        if request is None:
            return
        papers = choices[request.what][1]
        try:
            count = write_export(papers, request.fmt, request.path, self.library.notes())
        except OSError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.notify(f"Exported {counted(count, 'paper')} to {request.path}", markup=False)

    def similar_on_request(self) -> int | None:
        """For the abstract view: None when similar papers are found for every paper shown (a
        small library, or their index is built); else the papers that index takes in, built only
        when the user asks."""
        return None if self.library.similar_is_quick() else len(self.library.papers)

    @on(AbstractView.SimilarWanted)
    def _find_similar(self, event: AbstractView.SimilarWanted) -> None:
        self._similar(event.view, event.paper_id)

    @work(thread=True, exclusive=True, group="similar")
    def _similar(self, view: AbstractView, paper_id: str) -> None:
        """Off the UI thread: the first call builds the similarity index."""
        if cursor_moved_on():
            return
        similar = self.library.similar(paper_id)
        if not get_current_worker().is_cancelled:
            self.call_from_worker(self._show_similar, view, paper_id, similar)

    def _show_similar(self, view: AbstractView, paper_id: str, similar: SimilarPapers) -> None:
        if view.shows(paper_id):
            view.show_similar(similar)

    @on(AbstractView.Seen)
    def _paper_seen(self, event: AbstractView.Seen) -> None:
        paper = self.library.paper(event.paper_id)
        if paper is not None and self.library.mark(paper.id).state == "unseen":
            self._change_marks(paper, lambda: self.library.mark_seen(paper.id))
