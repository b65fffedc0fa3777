"""A list that renders only the rows on screen (Line API), so 100k papers scroll like 10.

Drawn rows are kept (as Textual's Log keeps its lines) until the rows or the styles change:
scrolling by a line draws one new row instead of a screenful, which at 200x60 is most of a frame.

The list draws its scrollbar itself, in its last column, which it always keeps for it. Textual's
scrollbar is a widget that comes and goes with the length of the list, and each time it does the
whole screen is laid out and drawn again: while a query is typed the list keeps flipping between
longer and shorter than the pane, and that was most of the frames that took longer than a frame.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.filter import LineFilter
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBarRender
from textual.strip import Strip
from textual.widget import Widget

from tui.widgets.paint import STYLE_FILTERS, Paint, painted
from tui.widgets.row import Row


NO_PADDING = Spacing(0, 0, 0, 0)
DRAWN_ROWS = 1024  # rows kept drawn: a few screenfuls of the largest terminals
BAR_WIDTH = 1


def _without_background(full: Style) -> Style:
    # The whole style, not `partial=True`: that one drops the blending `$text-muted` needs.
    return Style(
        color=full.color, bold=full.bold, dim=full.dim, italic=full.italic,
        underline=full.underline, strike=full.strike, reverse=full.reverse,
    )


class RowList(ScrollView, can_focus=True):
    """Rows drawn on demand by :meth:`render_row`; a cursor moved by vim keys, arrows and pages."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Down", show=False, id="row.down"),
        Binding("up,k", "cursor_up", "Up", show=False, id="row.up"),
        Binding("home,g", "first", "First", show=False, id="row.first"),
        Binding("end,G", "last", "Last", show=False, id="row.last"),
        Binding("pagedown,ctrl+d", "page_down_rows", "Page down", show=False, id="row.page_down"),
        Binding("pageup,ctrl+u", "page_up_rows", "Page up", show=False, id="row.page_up"),
        Binding("enter", "select", "Open", id="row.select"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"row-list--cursor", "row-list--dim", "row-list--match"}
    DEFAULT_CSS = """
    RowList { overflow-x: hidden; overflow-y: hidden; }
    RowList > .row-list--cursor { background: $block-cursor-blurred-background; }
    RowList:focus > .row-list--cursor { background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold; }
    RowList > .row-list--dim { color: $text-muted; }
    RowList > .row-list--match { color: $text-accent; text-style: bold underline; }
    """

    cursor: reactive[int] = reactive(0, always_update=True)

    class _RowMessage(Message):
        def __init__(self, row_list: RowList, index: int) -> None:
            super().__init__()
            self.row_list = row_list
            self.index = index

        @property
        def control(self) -> RowList:
            return self.row_list

    class Highlighted(_RowMessage):
        """The cursor moved to a row."""

    class Selected(_RowMessage):
        """A row was opened (Enter or a click)."""

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.row_count = 0
        # By row, width, cursor and whether drawn in the paint of the app's filters.
        self._drawn: LRUCache[tuple[int, int, bool, bool], Strip] = LRUCache(DRAWN_ROWS)
        self._styles: dict[str, Style] = {}  # see _style
        self._restyled = False  # see notify_style_update
        # A row's styles over the list's (and painted or not).
        self._combined: dict[tuple[Style, Style | None, bool], Style] = {}
        self._bar: tuple[tuple[int, int, int, bool], list[Segment]] | None = None  # see _bar_cells
        self._paint: Paint | None = None  # see _paint_for
        self._drawing: tuple[Size, int, Paint | None] | None = None  # size, top row and paint, while lines are drawn

    # --- what subclasses provide ------------------------------------------------------------

    def render_row(self, index: int, width: int) -> Row:
        """Row `index`, at most `width` cells (a longer row is cut, ending in an ellipsis)."""
        raise NotImplementedError

    def empty_row(self) -> Row:
        """Shown on the first line when there are no rows."""
        return Row(("Nothing here.", None))

    # --- rows -------------------------------------------------------------------------------

    def set_row_count(self, count: int, cursor: int = 0) -> None:
        """Replace the rows (the subclass holds their data); the cursor goes to `cursor`."""
        self.row_count = count
        self._drawn.clear()
        # Nothing else on screen moves (the scrollbar is drawn in the list's own column), so the
        # size is set without the layout of the screen that setting `virtual_size` asks for.
        self.set_reactive(Widget.virtual_size, Size(self.size.width, count))
        self.cursor = min(max(cursor, 0), max(count - 1, 0))
        self.scroll_to(y=max(0, self.cursor - self.size.height // 2), animate=False, force=True)
        self.refresh()

    def redraw_rows(self) -> None:
        """Draw every row again: what the rows show has changed (a mark, say), not the rows."""
        self._drawn.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        """Styles changed (theme, focus): see :meth:`_restyle`, done when lines are next drawn,
        as by then Textual has updated the component styles too (it does after calling this)."""
        super().notify_style_update()
        self._restyled = True

    def on_focus(self) -> None:
        self._restyled = True  # the cursor row's style, even if Textual skips notify_style_update

    def on_blur(self) -> None:
        self._restyled = True

    def _restyle(self) -> None:
        """Styles are worked out afresh, and rows drawn with any that changed are drawn again.
        When only the cursor's changed (the focus came or went), only the cursor row is: all of
        them took a frame at 200x60, on every `/` and Escape."""
        self._restyled = False
        old, self._styles = self._styles, {}
        self._combined.clear()
        self._bar = None
        if any(self._style(key) != style for key, style in old.items() if key != "cursor"):
            self._drawn.clear()
        else:
            self._forget_rows(lambda cursor, in_paint: cursor)

    @property
    def allow_vertical_scroll(self) -> bool:
        """The mouse wheel scrolls a list longer than its pane (Textual asks its scrollbar)."""
        return self.row_count > self.size.height

    def render_lines(self, crop: Region) -> list[Strip]:
        # The size and the top row are the same for every line drawn now: looked up once, not
        # per line (Textual's properties take ~15 µs each, a tenth of a page at 200x60).
        plain = self._box_is_plain()
        paint = self._paint_for(self.get_line_filters()) if plain else None
        self._drawing = (self.size, self.scroll_offset.y, paint)
        try:
            return self._lines(crop, paint) if plain else super().render_lines(crop)
        finally:
            self._drawing = None

    def _box_is_plain(self) -> bool:
        """No border, outline, padding, title, tint or opacity: the lines are drawn as they are."""
        styles = self.styles
        return (
            not any(edge for edge, _ in (*styles.border, *styles.outline))
            and styles.padding == NO_PADDING
            and not styles.tint.a
            and self.opacity == 1.0
            and styles.text_opacity == 1.0
            and (not styles.has_rule("hatch") or styles.hatch == "none")
            and self._border_title is None
            and self._border_subtitle is None
        )

    def _paint_for(self, filters: Sequence[LineFilter]) -> Paint | None:
        """The paint of the app's line filters over the list's background; None when a filter
        is not one that changes styles alone (then they are applied to each line drawn)."""
        if not all(type(line_filter) in STYLE_FILTERS for line_filter in filters):
            return None
        key = (tuple(filters), self.background_colors[1])
        if self._paint is None or self._paint.key != key:
            self._paint = Paint(*key)
            self._combined.clear()
            self._bar = None
            self._forget_rows(lambda cursor, in_paint: in_paint)
        return self._paint

    def _forget_rows(self, which: Callable[[bool, bool], bool]) -> None:
        """Drop the drawn rows `which(cursor, in_paint)` picks: they are drawn again when shown."""
        for key in [key for key in self._drawn.keys() if which(key[2], key[3])]:
            self._drawn.discard(key)

    def _lines(self, crop: Region, paint: Paint | None) -> list[Strip]:
        """The lines as Textual's styles cache would draw them for a plain box (each line again,
        the app's filters), without its work per line: a fifth of a frame at 200x60. Rows are
        drawn in the paint of the filters, so they are not applied to every segment again."""
        strips = [self.render_line(y) for y in crop.line_range]
        if paint is None:
            background = self.background_colors[1]
            for line_filter in self.get_line_filters():
                strips = [strip.apply_filter(line_filter, background) for strip in strips]
        left, right = crop.column_span
        if (left, right) != (0, self.size.width):
            strips = [strip.crop(left, right) for strip in strips]
        return strips

    def render_line(self, y: int) -> Strip:
        if self._restyled:
            self._restyle()
        size, top, paint = self._drawing or (self.size, self.scroll_offset.y, None)
        width = max(size.width - BAR_WIDTH, 0)
        row = self._row_line(top + y, y, width, paint)
        bar = self._bar_cells(size.height, top, paint)
        return Strip([*row, bar[y]], width + BAR_WIDTH) if y < len(bar) else row

    def _row_line(self, index: int, y: int, width: int, paint: Paint | None) -> Strip:
        if self.row_count == 0:
            return self._draw(self.empty_row() if y == 0 else Row(), width, cursor=False, paint=paint)
        if index >= self.row_count:
            return Strip.blank(width, painted(self._style("base"), paint))
        cursor = index == self.cursor
        key = (index, width, cursor, paint is not None)
        strip = self._drawn.get(key)
        if strip is None:
            strip = self._drawn[key] = self._draw(self.render_row(index, width), width, cursor=cursor, paint=paint)
        return strip

    def _bar_cells(self, height: int, top: int, paint: Paint | None) -> list[Segment]:
        """The scrollbar's cell on each of `height` lines from row `top`, as Textual draws its
        own (blank when every row fits), worked out once per position."""
        count = self.row_count
        key = (height, count, top, paint is not None)
        if self._bar is not None and self._bar[0] == key:
            return self._bar[1]
        if count <= height:
            cells = [Segment(" " * BAR_WIDTH, painted(self._style("base"), paint))] * height
        else:
            background = self.styles.scrollbar_background
            if background.a < 1:
                background = self.background_colors[0] + background
            drawn = ScrollBarRender.render_bar(
                size=height, virtual_size=count, window_size=height, position=top, thickness=BAR_WIDTH,
                back_color=background.rich_color, bar_color=(background + self.styles.scrollbar_color).rich_color,
            )
            # Without the mouse actions Textual's scrollbar widget answers, and this list does not.
            cells = [
                Segment(cell.text, painted(cell.style.clear_meta_and_links() if cell.style else None, paint))
                for cell in drawn.segments
            ]
        self._bar = (key, cells)
        return cells

    def _draw(self, row: Row, width: int, *, cursor: bool, paint: Paint | None) -> Strip:
        base = self._style("cursor" if cursor else "base")
        if width <= 0:  # a pane squeezed to nothing (truncating to 0 cells still leaves "…")
            return Strip.blank(0, painted(base, paint))
        row.truncate(width, pad=True)
        combined = self._combined
        in_paint = paint is not None
        segments = []
        for text, style in row.pieces:
            key = (base, style, in_paint)
            over = combined.get(key)
            if over is None:
                over = combined[key] = painted(base + style, paint)
            segments.append(Segment(text, over))
        return Strip(segments, width)

    def _style(self, key: str) -> Style:
        """A style worked out once until the styles change (each takes ~0.1 ms: not per line):
        "base" (the list's), "cursor" (the cursor row's), or a component's, without background."""
        if self._restyled:
            self._restyle()
        style = self._styles.get(key)
        if style is None:
            if key == "base":
                style = self.rich_style
            elif key == "cursor":
                style = self._style("base") + self.get_component_rich_style("row-list--cursor")
            else:
                style = _without_background(self.get_component_rich_style(key))
            self._styles[key] = style
        return style

    def component_style(self, name: str) -> Style:
        """A component's own style (no background), so the cursor row's background shows through."""
        return self._style(f"row-list--{name}")

    # --- cursor -----------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        if self.row_count == 0:
            return
        self._scroll_cursor_into_view()
        self.refresh()
        self.post_message(self.Highlighted(self, new))

    def _scroll_cursor_into_view(self) -> None:
        top = self.scroll_offset.y
        height = max(self.size.height, 1)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, force=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, force=True)

    def _move(self, delta: int) -> None:
        if self.row_count:
            self.cursor = min(max(self.cursor + delta, 0), self.row_count - 1)

    def action_cursor_down(self) -> None:
        self._move(1)

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_first(self) -> None:
        self._move(-self.row_count)

    def action_last(self) -> None:
        self._move(self.row_count)

    def action_page_down_rows(self) -> None:
        self._move(max(self.size.height - 1, 1))

    def action_page_up_rows(self) -> None:
        self._move(-max(self.size.height - 1, 1))

    def action_select(self) -> None:
        if self.row_count:
            self.post_message(self.Selected(self, self.cursor))

    def on_click(self, event: events.Click) -> None:
        index = self.scroll_offset.y + event.y
        if 0 <= index < self.row_count:
            self.cursor = index
            if event.chain >= 2:
                self.action_select()

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.row_count)
        if self.row_count:
            self._scroll_cursor_into_view()
