"""The abstract pane: title, authors one can open, the facts of the paper, then the abstract."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from store.model import Paper
from store.text import clean_line, sanitize
from tui.output import authors_note, paper_facts


def facts_text(paper: Paper) -> Text:
    """The paper's facts, one a line, labels in bold; how complete its author list is."""
    note = authors_note(paper)
    facts = paper_facts(paper) + ([("authors", note)] if note else [])
    text = Text()
    for i, (label, value) in enumerate(facts):
        text.append(f"{label.capitalize():<12}", "bold")
        text.append(value)
        if i < len(facts) - 1:
            text.append("\n")
    return text


def title_text(paper: Paper) -> Text:
    text = Text(clean_line(paper.title), style="bold")
    if paper.title_is_derived:
        text.stylize("italic")
        text.append("\n≈ derived from the abstract: the page gives no title", style="italic dim")
    return text


class AbstractView(VerticalScroll, can_focus=True):
    """Shows one paper; Enter on an author asks to open them as a researcher."""

    BINDINGS = [
        Binding("j", "scroll_down", "Scroll down", show=False, id="abstract.down"),
        Binding("k", "scroll_up", "Scroll up", show=False, id="abstract.up"),
        Binding("space,ctrl+d", "page_down", "Page down", show=False, id="abstract.page_down"),
        Binding("ctrl+u", "page_up", "Page up", show=False, id="abstract.page_up"),
        Binding("g", "scroll_home", "Top", show=False, id="abstract.top"),
        Binding("G", "scroll_end", "Bottom", show=False, id="abstract.bottom"),
        Binding("a", "focus_authors", "Authors", id="abstract.authors"),
    ]

    class ShowResearcher(Message):
        """Open this person in the researchers pane."""

        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.paper: Paper | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("No paper selected.", style="dim"), id="abstract-title")
        yield Static(id="abstract-facts")
        yield Static(Text("Authors · a selects, Enter opens", style="dim"), id="abstract-authors-label")
        yield OptionList(id="abstract-authors")
        yield Static(id="abstract-text")

    def show(self, paper: Paper | None) -> None:
        self.paper = paper
        authors = self.query_one("#abstract-authors", OptionList)
        authors.clear_options()
        if paper is None:
            self.query_one("#abstract-title", Static).update(Text("No paper selected.", style="dim"))
            self.query_one("#abstract-facts", Static).update("")
            self.query_one("#abstract-text", Static).update("")
            authors.display = False
            self.query_one("#abstract-authors-label").display = False
            return
        self.query_one("#abstract-title", Static).update(title_text(paper))
        authors.add_options(Option(Text(clean_line(name)), id=str(i)) for i, name in enumerate(paper.authors))
        authors.display = bool(paper.authors)
        self.query_one("#abstract-authors-label").display = bool(paper.authors)
        self.query_one("#abstract-facts", Static).update(facts_text(paper))
        abstract = sanitize(paper.abstract)
        self.query_one("#abstract-text", Static).update(
            Text(abstract) if abstract else Text("(no abstract on the page)", style="dim")
        )
        self.scroll_home(animate=False)

    def action_focus_authors(self) -> None:
        authors = self.query_one("#abstract-authors", OptionList)
        if authors.option_count:
            authors.focus()
            if authors.highlighted is None:
                authors.highlighted = 0

    @on(OptionList.OptionSelected, "#abstract-authors")
    def _author_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.paper is not None and event.option.id is not None:
            self.post_message(self.ShowResearcher(self.paper.authors[int(event.option.id)]))
