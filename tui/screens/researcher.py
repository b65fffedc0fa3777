"""A researcher's full profile: figures, papers per year, categories and collaborators to open."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from store.researchers import Collaborator, ResearcherSummary
from store.text import counted
from tui.output import bar_cells, figure_label, figure_value, safe, year_span
from tui.widgets.key_bar import KeyBar
from tui.widgets.row import Row
from tui.widgets.row_list import RowList

MAX_BAR = 24  # cells of the longest bar


def bar_lines(rows: Sequence[tuple[str, int]], width: int, bar: Style, muted: Style) -> list[Text]:
    """`label ████ count` per row, the bars scaled to the largest count and to `width`."""
    label_width = max((len(label) for label, _ in rows), default=0)
    count_width = max((len(str(count)) for _, count in rows), default=0)
    room = max(min(MAX_BAR, width - label_width - count_width - 2), 1)
    top = max((count for _, count in rows), default=0)
    lines = []
    for label, count in rows:
        cells = bar_cells(count, top, room)
        line = Text(f"{label:<{label_width}} ", no_wrap=True, overflow="ellipsis")
        line.append("█" * cells, bar)
        line.append(f"{' ' if cells else ''}{count}", muted)
        lines.append(line)
    return lines


class Bars(Widget):
    """A titled column of horizontal bars that scale to the width it is given."""

    DEFAULT_CSS = """
    Bars { width: 1fr; height: auto; }
    Bars > .bars--title { text-style: bold; }
    Bars > .bars--bar { color: $text-primary; }
    Bars > .bars--muted { color: $text-muted; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"bars--title", "bars--bar", "bars--muted"}

    def __init__(self, title: str, rows: Sequence[tuple[str, int]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = title
        self.rows = list(rows)

    def lines(self, width: int) -> list[Text]:
        style = self.get_component_rich_style  # whole styles: a partial one loses the muted blend
        return [Text(self.title, style("bars--title")), *bar_lines(self.rows, width, style("bars--bar"), style("bars--muted"))]

    def render(self) -> Text:
        return Text("\n").join(self.lines(self.content_region.width))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.rows) + 1


PROSE_MIN = 32  # a text figure this long (a bio) reads as a paragraph, not as a table cell


def is_prose(value: object) -> bool:
    return isinstance(value, str) and len(value) >= PROSE_MIN


def figures_table(figures: dict[str, object]) -> Table:
    """The short figures the person's page gave, label and value."""
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column()
    table.add_row(Text("Profile figures", style="bold"), "")
    for key, value in figures.items():
        table.add_row(Text(figure_label(key), style="dim"), Text(figure_value(value)))
    return table


def prose(figures: dict[str, object]) -> Text:
    """The long text figures (a bio, say), one paragraph each after its label."""
    return Text("\n").join(
        Text.assemble((figure_label(key), "dim"), "  ", figure_value(value)) for key, value in figures.items()
    )


def overview(summary: ResearcherSummary, new_count: int = 0) -> Content:
    """`profile · 14 papers · 26 collaborators · 3 new since last visit`, or why there are none."""
    if summary.kind == "collection":
        who = "a collection has no collaborators"
    elif not summary.collaborators:
        who = "no co-authors are named on these papers"
    else:
        who = counted(len(summary.collaborators), "collaborator")
    new = (f" · {new_count} new since last visit", "bold $text-accent") if new_count else ""
    return Content.assemble(f"{summary.kind} · {counted(summary.paper_count, 'paper')} · {who}", new)


class ProfileView(VerticalScroll):
    """The profile pane; scrolls with vim keys when it is long."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_down", "Scroll down", show=False, id="researcher_screen.scroll_down"),
        Binding("k", "scroll_up", "Scroll up", show=False, id="researcher_screen.scroll_up"),
        Binding("g", "scroll_home", "Top", show=False, id="researcher_screen.top"),
        Binding("G", "scroll_end", "Bottom", show=False, id="researcher_screen.bottom"),
    ]


class CollaboratorList(RowList):
    """Collaborators, most shared papers first: name, count and a bar."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Shared papers", id="researcher_screen.shared_papers"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = RowList.COMPONENT_CLASSES | {"row-list--bar"}
    DEFAULT_CSS = """
    CollaboratorList > .row-list--bar { color: $accent-muted; }
    """

    def __init__(self, collaborators: Sequence[Collaborator], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.collaborators = list(collaborators)
        # Widths every row shares, measured once rather than per row drawn.
        self._count_width = len(str(self.collaborators[0].shared)) if self.collaborators else 1
        self._longest_name = max((len(c.name) for c in self.collaborators), default=1)

    def on_mount(self) -> None:
        self.set_row_count(len(self.collaborators))

    @property
    def current(self) -> Collaborator | None:
        return self.collaborators[self.cursor] if self.collaborators else None

    def render_row(self, index: int, width: int) -> Row:
        collaborator = self.collaborators[index]
        count_width = self._count_width
        bar_room = min(12, width // 5)
        name_width = min(self._longest_name, width - count_width - bar_room - 3)
        row = Row((safe(collaborator.name), None)).truncate(max(name_width, 1), pad=True)
        row.append(f"  {collaborator.shared:>{count_width}} ")
        cells = bar_cells(collaborator.shared, self.collaborators[0].shared, bar_room)
        return row.append("█" * cells, self.component_style("bar"))


class ResearcherScreen(Screen[str | None]):
    """Dismissed with a collaborator's name when one is opened (Enter), else with None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,backspace", "close", "Back", id="researcher_screen.back"),
    ]
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (120, "-wide")]
    DEFAULT_CSS = """
    ResearcherScreen #researcher-body { height: 1fr; }
    ResearcherScreen.-wide #researcher-body { layout: horizontal; }
    #researcher-profile, #researcher-collaborators {
        border: round $panel-lighten-2;
        border-title-color: $text-muted;
        border-subtitle-color: $text-muted;
        padding: 0 1;
    }
    #researcher-profile:focus-within, #researcher-collaborators:focus-within {
        border: round $accent;
        border-title-color: $accent;
    }
    #researcher-profile { height: 1fr; }
    ResearcherScreen.-narrow.-has-collaborators #researcher-profile { height: auto; max-height: 60%; }
    ResearcherScreen.-wide #researcher-collaborators { width: 48; }
    #researcher-profile { border-title-color: $text; border-title-style: bold; }
    #researcher-overview, #researcher-prose { color: $text-muted; margin-bottom: 1; }
    #researcher-columns { height: auto; }
    #researcher-columns > * { margin-right: 3; }
    #researcher-figures { width: auto; max-width: 50%; }
    """

    def __init__(self, summary: ResearcherSummary, new_count: int = 0) -> None:
        super().__init__()
        self.summary = summary
        self.new_count = new_count

    def compose(self) -> ComposeResult:
        summary = self.summary
        with Container(id="researcher-body"):
            with ProfileView(id="researcher-profile"):
                yield Static(overview(summary, self.new_count), id="researcher-overview")
                long_figures = {k: v for k, v in summary.figures.items() if is_prose(v)}
                short_figures = {k: v for k, v in summary.figures.items() if not is_prose(v)}
                if long_figures:
                    yield Static(prose(long_figures), id="researcher-prose")
                with Horizontal(id="researcher-columns"):
                    if short_figures:
                        yield Static(figures_table(short_figures), id="researcher-figures")
                    if summary.per_year or summary.undated:
                        yield Bars("Papers per year", self._year_rows(), id="researcher-years")
                    if summary.categories:
                        rows = [(safe(name), count) for name, count in summary.categories]
                        yield Bars("Categories", rows, id="researcher-categories")
            if summary.collaborators:
                with Vertical(id="researcher-collaborators"):
                    yield CollaboratorList(summary.collaborators, id="collaborators")
        yield KeyBar()

    def _year_rows(self) -> list[tuple[str, int]]:
        rows = [(str(year), self.summary.per_year.get(year, 0)) for year in year_span(self.summary.per_year)]
        return rows + ([("undated", self.summary.undated)] if self.summary.undated else [])

    def on_mount(self) -> None:
        profile = self.query_one(ProfileView)
        profile.border_title = Content(safe(self.summary.name))
        self.set_class(bool(self.summary.collaborators), "-has-collaborators")
        if self.summary.collaborators:
            pane = self.query_one("#researcher-collaborators")
            pane.border_title = Content(f"Collaborators · {len(self.summary.collaborators)}")
            pane.border_subtitle = Content("by shared papers")
            self.query_one(CollaboratorList).focus()
        else:
            profile.focus()

    def action_close(self) -> None:
        self.dismiss(None)

    @on(CollaboratorList.Selected, "#collaborators")
    def _collaborator_chosen(self, event: CollaboratorList.Selected) -> None:
        collaborator = self.query_one(CollaboratorList).current
        if collaborator is not None:
            self.dismiss(collaborator.name)
