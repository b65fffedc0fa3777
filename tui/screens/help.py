"""`?`: every key, generated from the bindings themselves so it cannot drift from the code."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.widgets.abstract_view import AbstractView
from tui.widgets.row_list import RowList

LEGEND = [
    ("★", "you starred it"),
    ("✎", "you wrote a note on it"),
    ("•", "new since you last opened this researcher"),
    ("dim title", "you marked it read"),
    ("C", "code is available"),
    ("+", "listed on several pages"),
    ("≈", "title derived from the abstract (the page gives none)"),
    ("~", "after a date: its year was inferred"),
    ("● ▤", "profile owner · collection"),
]
SEARCH_SYNTAX = [
    ("author:gu", "an author's name contains “gu”"),
    ("year:2024  year:2020..2023", "a year or a range"),
    ("cat:LG", "an arXiv category"),
    ("src:daily", "a source page (format or file name)"),
    ("has:code", "code is available"),
    ('with:"Yanggan Gu"', "papers this person is on (with a researcher: the ones they share)"),
    ("is:starred  is:unread  has:note", "your marks (also is:read, is:seen)"),
]


def _bindings(bindings: list[BindingType]) -> list[Binding]:
    return [b for b in bindings if isinstance(b, Binding)]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        from tui.app import PaperscopeApp
        from tui.screens.main import MainScreen
        from tui.screens.paper_screen import PaperScreen
        from tui.screens.researcher import ResearcherScreen

        groups = [
            ("Everywhere", _bindings(PaperscopeApp.BINDINGS)),
            ("Browsing", _bindings(MainScreen.BINDINGS)),
            ("The paper in view", _bindings(PaperScreen.BINDINGS)),
            ("Lists (researchers, papers)", _bindings(RowList.BINDINGS)),
            ("Abstract", _bindings(AbstractView.BINDINGS)),
            ("Researcher profile (i)", _bindings(ResearcherScreen.BINDINGS)),
        ]
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for title, bindings in groups:
            table.add_row(Text(title, style="bold underline"), "")
            for binding in bindings:
                keys = " ".join(self.app.get_key_display(Binding(k, binding.action)) for k in binding.key.split(","))
                table.add_row(keys, binding.description)
            table.add_row("", "")
        table.add_row(Text("Search syntax", style="bold underline"), "")
        for example, meaning in SEARCH_SYNTAX:
            table.add_row(example, meaning)
        table.add_row("", "")
        table.add_row(Text("Markers", style="bold underline"), "")
        for mark, meaning in LEGEND:
            table.add_row(mark, meaning)
        with VerticalScroll(id="help-body") as body:
            body.border_title = Content("Keys · Esc closes")
            yield Static(table)
