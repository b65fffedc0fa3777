"""`n`: the user's note on one paper, edited in a dialog; Escape keeps what was typed."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from store.text import clean_line

HINT = "Esc saves and closes · ctrl+z undoes"


class NoteScreen(ModalScreen[str | None]):
    """Dismissed with the edited note, or None when it is unchanged (nothing to write).

    Escape is the only way out and it saves: nothing typed is ever lost by leaving.
    """

    BINDINGS = [Binding("escape", "close", "Save and close", id="note.close")]

    DEFAULT_CSS = """
    NoteScreen { align: center middle; }
    #note-dialog {
        width: 92%; max-width: 110;
        height: 86%; max-height: 36;
        border: round $accent;
        border-title-color: $accent;
        border-subtitle-color: $text-muted;
        background: $surface;
        padding: 0 1;
    }
    #note-title { height: auto; max-height: 2; margin-bottom: 1; text-style: bold; }
    #note-text { height: 1fr; border: none; padding: 0; background: $surface; }
    #note-text:focus { border: none; }
    """

    def __init__(self, title: str, note: str) -> None:
        super().__init__()
        self.paper_title = title
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog") as dialog:
            dialog.border_title = Content("Note")
            dialog.border_subtitle = Content(HINT)
            yield Static(Content(clean_line(self.paper_title)), id="note-title")
            yield TextArea(self.note, soft_wrap=True, tab_behavior="focus", id="note-text")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        if self.app.animation_level == "none":  # tests and snapshots: nothing that changes by itself
            area.cursor_blink = False
        area.move_cursor(area.document.end)
        area.focus()

    def action_close(self) -> None:
        text = self.query_one(TextArea).text
        self.dismiss(None if text == self.note else text)
