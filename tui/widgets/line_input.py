"""A one-line text box whose size never depends on what is typed in it."""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class LineInput(Input):
    """Textual's Input, minus a screen layout per keystroke.

    Input sets its virtual size (the width of its text) on every change of value, and Widget's
    `virtual_size` lays the whole screen out when it changes: a frame at 80x24 with 100k papers,
    several at larger sizes. Only a box sized by its text needs that; this one is as wide as its
    pane and one line high (see the stylesheet), so its text's width only moves its own scroll.
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
