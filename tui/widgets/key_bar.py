"""The line of keys at the bottom of every screen, drawn as one widget."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

EDGE = "▏"  # before the command palette's key, as Textual's Footer draws it


class KeyBar(Widget):
    """What Textual's Footer shows: the key and description of each shown binding (one per
    action, dimmed when disabled) and the command palette's key at the right end; a click on a
    key presses it.

    The Footer is a widget per key, composed again whenever the bindings may have changed: on
    every focus change, such as each `/` and Escape around a search. That lays out and redraws
    the whole screen (the longest stalls left while typing at 100k papers); this one line is
    only drawn again.
    """

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-bar--key", "key-bar--description", "key-bar--edge"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .key-bar--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    KeyBar > .key-bar--edge { color: $foreground 20%; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._spans: list[tuple[int, int, str]] = []  # (first cell, end cell, key) of each key shown

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        self.refresh()

    def render(self) -> Text:
        bindings = self.screen.active_bindings
        line = Text(no_wrap=True, overflow="crop", end="")
        self._spans = []
        actions: set[str] = set()
        for key, (_, binding, enabled, _) in bindings.items():
            if binding.show and binding.action not in actions:
                actions.add(binding.action)
                self._append_key(line, key, self._key_text(binding, enabled))
        palette_key = self.app.COMMAND_PALETTE_BINDING
        palette = bindings.get(palette_key) if self.app.ENABLE_COMMAND_PALETTE else None
        if palette is not None:
            shown = self._key_text(palette.binding, palette.enabled)
            gap = self.size.width - line.cell_len - len(EDGE) - shown.cell_len
            if gap >= 0:
                line.append(" " * gap)
                line.append(EDGE, self.get_component_rich_style("key-bar--edge"))
                self._append_key(line, palette_key, shown)
        return line

    def _append_key(self, line: Text, key: str, shown: Text) -> None:
        """Append a key as shown, remembering where it is for clicks."""
        start = line.cell_len
        line.append_text(shown)
        self._spans.append((start, line.cell_len, key))

    def _key_text(self, binding: Binding, enabled: bool) -> Text:
        """A key and what it does, dimmed when disabled."""
        shown = Text.assemble(
            (f" {self.app.get_key_display(binding)} ", self.get_component_rich_style("key-bar--key")),
            (f"{binding.description} ", self.get_component_rich_style("key-bar--description")),
        )
        if not enabled:
            shown.stylize("dim")
        return shown

    def on_click(self, event: events.Click) -> None:
        """A click on a key presses it."""
        key = next((key for start, end, key in self._spans if start <= event.x < end), None)
        if key is not None:
            self.app.simulate_key(key)
