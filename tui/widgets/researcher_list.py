"""The researchers pane: "All papers", profile owners, collections, then everyone else."""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.message import Message

from store.model import Person
from store.text import clean_line, fold
from tui.output import headline
from tui.widgets.row import Row
from tui.widgets.row_list import RowList

KIND_MARK = {"profile": "● ", "collection": "▤ ", "person": "  "}


class ResearcherList(RowList):
    """Rows are `None` (all papers) or a Person; a filter narrows them by name.

    Typing a letter that is not a key of its own starts the filter with that letter.
    """

    class FilterTyped(Message):
        """A printable key reached the list: the screen hands it to the filter box."""

        def __init__(self, character: str) -> None:
            super().__init__()
            self.character = character

    def on_key(self, event: events.Key) -> None:
        if event.key in self.screen.active_bindings:
            return  # j, k, g, s, q, / and the rest keep their meaning
        if event.character and event.is_printable and not event.character.isspace():
            event.stop()
            event.prevent_default()
            self.post_message(self.FilterTyped(event.character))

    def __init__(self, people: Sequence[Person], total_papers: int, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.people = people
        self.total_papers = total_papers
        self.rows: list[Person | None] = [None, *people]

    def on_mount(self) -> None:
        self.set_row_count(len(self.rows))

    def apply_filter(self, text: str) -> None:
        """Keep the people whose name contains every typed word (case and accents ignored)."""
        words = fold(text).split()
        matching = [p for p in self.people if all(w in fold(p.name) for w in words)]
        self.rows = matching if words else [None, *self.people]
        self.set_row_count(len(self.rows))

    @property
    def current(self) -> Person | None:
        return self.rows[self.cursor] if self.rows else None

    def index_of(self, person: Person | None) -> int | None:
        for i, row in enumerate(self.rows):
            if row is person or (row is not None and person is not None and row.name == person.name):
                return i
        return None

    def empty_row(self) -> Row:
        return Row(("No one matches.", self.component_style("dim")))

    def render_row(self, index: int, width: int) -> Row:
        row = self.rows[index]
        dim = self.component_style("dim")
        if row is None:
            label, figure, mark = "All papers", str(self.total_papers), "◆ "
        else:
            label, mark = clean_line(row.name), KIND_MARK[row.kind]
            extra = headline(row) if row.kind == "profile" else ""
            figure = f"{row.paper_count}" + (f" · {extra}" if extra and width >= 34 else "")
        name_width = max(width - len(mark) - len(figure) - 1, 4)
        name = Row((label, None)).truncate(name_width, pad=True)
        return Row((mark, dim)).extend(name).append(" " + figure, dim)
