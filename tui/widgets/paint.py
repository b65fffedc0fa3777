"""Styles as the app's line filters make them, worked out once per style instead of per segment.

Textual applies its line filters (ANSI colours to truecolor, dim to a colour, ...) to every
segment of every line it draws: for a list at 200x60 that was a quarter of drawing a page. The
filters below change each segment's style alone, whatever its text, so a list can draw its
lines in their styles directly.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import ANSIToTruecolor, DimFilter, LineFilter, Monochrome, NoColor

STYLE_FILTERS = (ANSIToTruecolor, DimFilter, Monochrome, NoColor)


class Paint:
    """What `filters`, in order, make of each style over `background`."""

    def __init__(self, filters: tuple[LineFilter, ...], background: Color) -> None:
        self.key = (filters, background)
        self._painted: dict[Style | None, Style | None] = {}

    def __call__(self, style: Style | None) -> Style | None:
        if style in self._painted:
            return self._painted[style]
        filters, background = self.key
        segments = [Segment(" ", style)]
        for line_filter in filters:
            segments = line_filter.apply(segments, background)
        painted = self._painted[style] = segments[0].style
        return painted


def painted(style: Style | None, paint: Paint | None) -> Style | None:
    """`style` in `paint`, or as it is without one."""
    return style if paint is None else paint(style)
