"""A list row: pieces of one-line text, each with its style, drawn by RowList as they are."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.style import Style

from store.text import sanitize

ELLIPSIS = "…"
_ONE_LINE = str.maketrans("\n\t", "  ")  # what sanitize leaves that would break a row's line

Piece = tuple[str, Style | None]  # None: drawn in the list's own style


class Row:
    """What a row needs of Rich's Text: appending styled text, its width in cells, and cutting it
    to a width with an ellipsis, as Text.truncate cuts. None of the rest (overlapping spans,
    markup, wrapping): building each row as a Text and turning it into segments was about half
    of a frame at 200x60 while typing.

    Every piece is sanitised onto one line: rows show untrusted text, which must never reach
    the terminal as control sequences (Rich's Text removes only a few control characters).
    """

    __slots__ = ("cell_len", "pieces")

    def __init__(self, *pieces: Piece) -> None:
        self.pieces: list[Piece] = []
        self.cell_len = 0
        for text, style in pieces:
            self.append(text, style)

    def append(self, text: str, style: Style | None = None) -> Row:
        if text:
            if not text.isprintable():  # a quick look: callers pass clean text, so seldom taken
                text = sanitize(text).translate(_ONE_LINE)
            self.pieces.append((text, style))
            self.cell_len += cell_len(text)
        return self

    def extend(self, row: Row) -> Row:
        self.pieces += row.pieces
        self.cell_len += row.cell_len
        return self

    @property
    def plain(self) -> str:
        return "".join(text for text, _ in self.pieces)

    def style_at(self, index: int) -> Style | None:
        """The style of the character at `index` (None past the end)."""
        for text, style in self.pieces:
            if index < len(text):
                return style
            index -= len(text)
        return None

    def truncate(self, width: int, *, pad: bool = False) -> Row:
        """At most `width` cells: a longer row keeps its first `width - 1` cells and ends in an
        ellipsis styled as the character it replaces; with `pad`, a shorter row is padded with
        unstyled spaces to `width`."""
        if self.cell_len > width:
            room, kept = max(width - 1, 0), []
            for text, style in self.pieces:
                cells = cell_len(text)
                if cells > room:
                    if room:  # a wide character across the edge becomes a space, as in Rich
                        kept.append((set_cell_size(text, room), style))
                    break
                kept.append((text, style))
                room -= cells
            ellipsis_style = self.style_at(sum(len(text) for text, _ in kept))
            self.pieces, self.cell_len = [*kept, (ELLIPSIS, ellipsis_style)], max(width, 1)  # as Rich, "…" at 0
        elif pad and self.cell_len < width:
            self.pieces.append((" " * (width - self.cell_len), None))
            self.cell_len = width
        return self
