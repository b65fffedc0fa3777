"""`e`: export the current list, the starred papers or one paper to a file, and the write itself."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, RadioButton, RadioSet, Static

from store.export import FORMATS, file_extension

FORMAT_LABELS = {"bibtex": "BibTeX", "markdown": "Markdown", "csv": "CSV", "json": "JSON"}
HINT = "Enter exports · Tab next · Esc cancels"


@dataclass(frozen=True)
class ExportRequest:
    """What to export (a choice's key), in which format, to which file (absolute)."""

    what: str
    fmt: str
    path: Path


def _default_path(directory: Path, what: str, fmt: str) -> str:
    """`<directory>/paperscope-<what>.<ext>`, under the home directory written with `~`."""
    path = directory / f"paperscope-{what}.{file_extension(fmt)}"
    try:
        return str(Path("~") / path.relative_to(Path.home()))
    except ValueError:
        return str(path)


def _with_extension(path: str, fmt: str) -> str:
    try:
        return str(Path(path).with_suffix(f".{file_extension(fmt)}"))
    except ValueError:  # no file name to give an extension ("/")
        return path


class ChoiceSet(RadioSet):
    """A radio set where moving is choosing (no separate toggle); Enter is left to the dialog."""

    BINDINGS = [
        Binding("down,right,j", "move(1)", "Next", show=False),
        Binding("up,left,k", "move(-1)", "Previous", show=False),
    ]

    def action_move(self, step: int) -> None:
        if step > 0:
            self.action_next_button()
        else:
            self.action_previous_button()
        self.action_toggle_button()

    @property
    def chosen(self) -> str | None:
        button = self.pressed_button
        return button.name if button is not None else None


class ExportScreen(ModalScreen[ExportRequest | None]):
    """Dismissed with an ExportRequest, or None on Escape.

    `choices` are (key, label, count); a choice with no papers cannot be chosen. The file path
    follows the chosen format and choice until the user edits it (then only its extension follows).
    """

    BINDINGS = [
        Binding("enter", "export", "Export", priority=True, id="export.confirm"),
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
    ]

    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    #export-dialog {
        width: 92%; max-width: 72; height: auto;
        border: round $accent;
        border-title-color: $accent;
        border-subtitle-color: $text-muted;
        background: $surface;
        padding: 0 1;
    }
    #export-choices { height: auto; }
    #export-dialog ChoiceSet, #export-file {
        border: round $panel-lighten-2;
        border-title-color: $text-muted;
        background: $surface;
        padding: 0 1;
    }
    #export-dialog ChoiceSet:focus, #export-file:focus-within {
        border: round $accent;
        border-title-color: $accent;
        background-tint: $foreground 0%;
    }
    #export-what { width: 3fr; }
    #export-what > RadioButton:disabled { color: $text-disabled; }
    #export-format { width: 2fr; }
    #export-file { height: 3; }
    #export-path { background: $surface; }
    #export-status { height: 1; color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis; }
    #export-status.-warning { color: $text-warning; }
    """

    def __init__(self, choices: Sequence[tuple[str, str, int]], default_dir: Path) -> None:
        super().__init__()
        self.choices = list(choices)
        self.default_dir = default_dir
        self._auto_path = ""  # the path this dialog last filled in (not typed by the user)
        self._overwrite: ExportRequest | None = None  # confirmed once: the next Enter overwrites

    def compose(self) -> ComposeResult:
        first = next((key for key, _, count in self.choices if count > 0), None)
        width = max((len(label) for _, label, _ in self.choices), default=0) + 2
        with Vertical(id="export-dialog") as dialog:
            dialog.border_title = Content("Export")
            dialog.border_subtitle = Content(HINT)
            with Horizontal(id="export-choices"):
                what = ChoiceSet(
                    *(
                        RadioButton(Content(f"{label:<{width}}{count:>5}"), value=key == first, name=key, disabled=count == 0)
                        for key, label, count in self.choices
                    ),
                    id="export-what",
                )
                what.border_title = Content("What")
                yield what
                formats = ChoiceSet(
                    *(RadioButton(Content(FORMAT_LABELS[f]), value=i == 0, name=f) for i, f in enumerate(FORMATS)),
                    id="export-format",
                )
                formats.border_title = Content("Format")
                yield formats
            with Vertical(id="export-file") as file:
                file.border_title = Content("File")
                yield Input(id="export-path", compact=True, select_on_focus=False)
            yield Static(Content(self._empty_note()), id="export-status")

    def on_mount(self) -> None:
        if self.app.animation_level == "none":  # tests and snapshots: nothing that changes by itself
            self.query_one(Input).cursor_blink = False
        self._follow_choices()
        self.query_one("#export-what").focus()

    @property
    def what(self) -> str | None:
        return self.query_one("#export-what", ChoiceSet).chosen

    @property
    def fmt(self) -> str:
        return self.query_one("#export-format", ChoiceSet).chosen or FORMATS[0]

    def _empty_note(self) -> str:
        empty = [label for _, label, count in self.choices if count == 0]
        return f"{' and '.join(empty)}: no papers, nothing to export" if empty else ""

    def _say(self, message: str, warning: bool = False) -> None:
        status = self.query_one("#export-status", Static)
        status.update(Content(message))
        status.set_class(warning, "-warning")

    @on(RadioSet.Changed)
    def _follow_choices(self) -> None:
        """Fill in the default path, or keep the user's own with the new format's extension."""
        path_input = self.query_one(Input)
        what = self.what or "papers"
        auto = _default_path(self.default_dir, what, self.fmt)
        new = auto if path_input.value in ("", self._auto_path) else _with_extension(path_input.value, self.fmt)
        self._auto_path = auto
        path_input.value = new
        path_input.cursor_position = len(new)

    @on(Input.Changed)
    @on(RadioSet.Changed)
    def _request_changed(self) -> None:
        """Another file or choice: a question or warning about the old one no longer applies."""
        self._overwrite = None
        self._say(self._empty_note())

    def action_export(self) -> None:
        what = self.what
        if what is None:
            self._say("Nothing to export: every choice is empty", warning=True)
            return
        text = self.query_one(Input).value.strip()
        if not text:
            self._say("Give the file a name", warning=True)
            self.query_one(Input).focus()
            return
        request = ExportRequest(what, self.fmt, Path(text).expanduser().absolute())
        if request.path.is_dir():
            self._say(f"{text} is a directory: add a file name", warning=True)
            self.query_one(Input).focus()
            return
        if request.path.exists() and request != self._overwrite:
            self._overwrite = request
            self._say(f"{request.path.name} exists — Enter again to overwrite", warning=True)
            return
        self.dismiss(request)

    def action_cancel(self) -> None:
        self.dismiss(None)
