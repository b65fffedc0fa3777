"""A bordered pane whose titles redraw only the border lines they sit on."""

from __future__ import annotations

from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Region
from textual.widget import Widget


class Pane(Vertical):
    """Setting Textual's `border_title` or `border_subtitle` redraws the whole pane and all it
    holds. The papers pane's titles change with every keystroke (the count of matches), and at
    200x60 that redraw was a sixth of each frame."""

    def __init__(self, *children: Widget, id: str | None = None) -> None:
        super().__init__(*children, id=id)
        self._setting_titles = False

    def set_titles(self, title: Content, subtitle: Content) -> None:
        if (title.markup, subtitle.markup) == (self.border_title, self.border_subtitle):
            return
        self._setting_titles = True  # the setters' whole-pane refresh: see refresh
        try:
            self.border_title = title
            self.border_subtitle = subtitle
        finally:
            self._setting_titles = False
        # Regions are relative to the content; the border lines lie outside it.
        left, top = self.content_offset
        width, height = self.outer_size
        self.refresh(Region(-left, -top, width, 1), Region(-left, height - 1 - top, width, 1))

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False) -> Pane:
        if self._setting_titles:
            return self
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
