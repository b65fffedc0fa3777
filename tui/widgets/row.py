"""A list row: pieces of one-line text, each with its style, drawn by RowList as they are."""

from __future__ import annotations

from rich.cells import cell_len, get_character_cell_size, set_cell_size
from rich.style import Style

from store.text import sanitize

ELLIPSIS = "…"
_ONE_LINE = str.maketrans("\n\t\u2028\u2029", "    ")  # what sanitize leaves that breaks a row's line
# Characters one cell wide whatever stands beside them, as Rich measures them: printable ASCII,
# Latin-1 and Latin Extended, the lists' markers and the ellipsis. A row of these alone is as
# many cells as characters; Rich measures any other row character by character (a third of
# the time a row took to draw).
_NARROW = frozenset(
    c
    for c in (*map(chr, range(0x20, 0x7F)), *map(chr, range(0xA0, 0x300)), *"…★✎•≈◆●▤")
    if get_character_cell_size(c) == 1
)

Piece = tuple[str, Style | None]  # None: drawn in the list's own style


class Row:
    """What a row needs of Rich's Text: appending styled text, its width in cells, and cutting it
    to a width with an ellipsis, as Text.truncate cuts. None of the rest (overlapping spans,
    markup, wrapping): building each row as a Text and turning it into segments was about half
    of a frame at 200x60 while typing.

    Every piece is sanitised onto one line: rows show untrusted text, which must never reach
    the terminal as control sequences (Rich's Text removes only a few control characters).
    """

    __slots__ = ("pieces",)

    def __init__(self, *pieces: Piece) -> None:
        self.pieces: list[Piece] = []
        for text, style in pieces:
            self.append(text, style)

    def append(self, text: str, style: Style | None = None) -> Row:
        if text and not text.isprintable():  # a quick look: callers pass clean text, so seldom taken
            text = sanitize(text).translate(_ONE_LINE)
        if text:
            self.pieces.append((text, style))
        return self

    def extend(self, row: Row) -> Row:
        self.pieces += row.pieces
        return self

    @property
    def plain(self) -> str:
        return "".join(text for text, _ in self.pieces)

    @property
    def cell_len(self) -> int:
        """Cells on screen, measured whole: a joiner or variation selector at the start of a
        piece widens the character before it."""
        return _cells(self.plain)

    def style_at(self, index: int) -> Style | None:
        """The style of the character at `index` (None past the end)."""
        for text, style in self.pieces:
            if index < len(text):
                return style
            index -= len(text)
        return None

    def truncate(self, width: int, *, pad: bool = False) -> Row:
        """At most `width` cells, or the ellipsis alone when `width` < 1. Cut as Text.truncate
        cuts: a longer row keeps its first `width - 1` cells (a wide character across the edge
        becomes a space) and ends in an ellipsis, styled as the character at its place; with
        `pad`, a shorter row is padded with unstyled spaces to `width`."""
        plain = self.plain
        narrow = _NARROW.issuperset(plain)
        length = len(plain) if narrow else cell_len(plain)
        if length > width:
            # Cut whole, as Rich does, then back into pieces: the cut is the row's first characters
            # (and maybe a space), and cutting piece by piece breaks on one starting with a joiner.
            if width <= 1:
                cut = ""
            else:
                cut = plain[: width - 1] if narrow else set_cell_size(plain, width - 1)
            kept, start = [], 0
            for text, style in self.pieces:
                if start >= len(cut):
                    break
                kept.append((cut[start : start + len(text)], style))
                start += len(text)
            self.pieces = [*kept, (ELLIPSIS, self.style_at(len(cut)))]
        elif pad and length < width:
            self.pieces.append((" " * (width - length), None))
        return self


def _cells(text: str) -> int:
    """cell_len(text), without measuring each character of a row of narrow ones."""
    return len(text) if _NARROW.issuperset(text) else cell_len(text)
