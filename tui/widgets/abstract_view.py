"""The abstract pane: title, authors one can open, the facts of the paper, then the abstract."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from store.desk import NO_MARK, Mark
from store.links import find_links
from store.model import Paper
from store.text import clean_line, sanitize
from tui.output import authors_note, mark_facts, paper_facts
from tui.widgets.paper_table import DERIVED_MARK

SimilarPapers = Sequence[tuple[Paper, Sequence[str]]]  # each paper with the terms it shares


def facts_text(paper: Paper, mark: Mark = NO_MARK) -> Text:
    """The paper's facts, one a line, labels in bold; how complete its author list is; the
    user's marks."""
    note = authors_note(paper)
    facts = paper_facts(paper) + ([("authors", note)] if note else []) + mark_facts(mark)
    text = Text()
    for i, (label, value) in enumerate(facts):
        text.append(f"{label.capitalize():<12}", "bold")
        text.append(value)
        if i < len(facts) - 1:
            text.append("\n")
    return text


def note_text(note: str) -> Text:
    text = Text("Your note · n edits\n", style="bold")
    text.append(note)
    return text


def links_text(links: Sequence[str]) -> Text:
    """Links as OSC 8 hyperlinks (a terminal that knows them opens them on click); `o` opens too."""
    text = Text("Links · o opens\n", style="bold")
    for i, url in enumerate(links):
        text.append(url, Style(link=url, underline=True))
        if i < len(links) - 1:
            text.append("\n")
    return text


def title_text(paper: Paper) -> Text:
    text = Text(clean_line(paper.title), style="bold")
    if paper.title_is_derived:
        text.stylize("italic")
        text.append("\n≈ derived from the abstract: the page gives no title", style="italic dim")
    return text


def focus_options(options: OptionList) -> bool:
    """Focus a list that has options, on its first one unless one is highlighted already;
    False (nothing done) when it is empty."""
    if not options.option_count:
        return False
    options.focus()
    if options.highlighted is None:
        options.highlighted = 0
    return True


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
        Binding("m", "focus_similar", "Similar papers", id="abstract.similar"),
    ]

    class ShowResearcher(Message):
        """Open this person in the researchers pane."""

        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    class ShowPaper(Message):
        """Show this paper (a similar one was chosen)."""

        def __init__(self, paper_id: str) -> None:
            super().__init__()
            self.paper_id = paper_id

    class Seen(Message):
        """The paper stayed in view long enough to count as seen."""

        def __init__(self, paper_id: str) -> None:
            super().__init__()
            self.paper_id = paper_id

    class SimilarWanted(Message):
        """The view shows a paper and would list the papers most like it."""

        def __init__(self, view: AbstractView, paper_id: str) -> None:
            super().__init__()
            self.view = view
            self.paper_id = paper_id

        @property
        def control(self) -> AbstractView:
            return self.view

    def __init__(
        self,
        *,
        id: str | None = None,
        dwell_s: float | None = None,
        marks: Callable[[str], Mark] = lambda _: NO_MARK,
        similar_on_request: Callable[[], int | None] = lambda: None,
    ) -> None:
        super().__init__(id=id)
        self.paper: Paper | None = None
        self.marks = marks  # what the user marked on a paper, by id
        # None when similar papers are found for every paper shown; else how many papers their
        # index takes in, which is built only when the user asks for them (`m`).
        self.similar_on_request = similar_on_request
        self._blank = False  # showing "No paper selected." (not so at first: nothing is shown yet)
        self.dwell_s = dwell_s  # how long a paper stays in view to count as seen; None: never
        self._seen_timer: Timer | None = None
        self._similar_offered = False
        self.finding_similar = False  # "finding…" shows: the similar papers are still to come

    def compose(self) -> ComposeResult:
        yield Static(Text("No paper selected.", style="dim"), id="abstract-title")
        yield Static(id="abstract-facts")
        yield Static(Text("Authors · a selects, Enter opens", style="dim"), id="abstract-authors-label")
        yield OptionList(id="abstract-authors")
        yield Static(id="abstract-note")
        yield Static(id="abstract-text")
        yield Static(id="abstract-links")
        yield Static(Text("Similar papers · m selects, Enter opens", style="dim"), id="abstract-similar-label")
        yield OptionList(id="abstract-similar")

    def show(self, paper: Paper | None) -> None:
        self.stop_dwelling()
        if paper is None and self._blank:
            return  # no paper already: redrawing would lay the screen out for nothing (a frame)
        self.paper = paper
        self._blank = paper is None
        authors = self.query_one("#abstract-authors", OptionList)
        authors.clear_options()
        if paper is None:
            self.query_one("#abstract-title", Static).update(Text("No paper selected.", style="dim"))
            self.query_one("#abstract-facts", Static).update("")
            self.query_one("#abstract-text", Static).update("")
            for part in ("#abstract-authors", "#abstract-authors-label", "#abstract-note", "#abstract-links",
                         "#abstract-similar-label", "#abstract-similar"):
                self.query_one(part).display = False
            return
        self.query_one("#abstract-title", Static).update(title_text(paper))
        authors.add_options(Option(Text(clean_line(name))) for name in paper.authors)
        authors.display = bool(paper.authors)
        self.query_one("#abstract-authors-label").display = bool(paper.authors)
        self.show_mark()
        abstract = sanitize(paper.abstract)
        self.query_one("#abstract-text", Static).update(
            Text(abstract) if abstract else Text("(no abstract on the page)", style="dim")
        )
        links = find_links(paper.abstract)
        self.query_one("#abstract-links", Static).update(links_text(links) if links else "")
        self.query_one("#abstract-links").display = bool(links)
        if (papers := self.similar_on_request()) is None:
            self.show_similar(None)
            self.post_message(self.SimilarWanted(self, paper.id))
        else:
            self._offer_similar(papers)  # now, not in reply to a message: laid out with the rest
        # Now, not after the next refresh: keys typed meanwhile scroll from the top of this paper,
        # not from where the last one was left.
        self.scroll_home(animate=False, immediate=True)
        if self.dwell_s is not None:
            self._seen_timer = self.set_timer(self.dwell_s, lambda: self.post_message(self.Seen(paper.id)))

    def stop_dwelling(self) -> None:
        """The paper left view (or another came): it does not count as seen for this stay."""
        if self._seen_timer is not None:
            self._seen_timer.stop()
            self._seen_timer = None

    def shows(self, paper_id: str) -> bool:
        return self.paper is not None and self.paper.id == paper_id

    def show_mark(self) -> None:
        """Redraw what the user marked on the paper in view: facts and note."""
        if self.paper is None:
            return
        mark = self.marks(self.paper.id)
        self.query_one("#abstract-facts", Static).update(facts_text(self.paper, mark))
        self.query_one("#abstract-note", Static).update(note_text(mark.note) if mark.note else "")
        self.query_one("#abstract-note").display = bool(mark.note)

    def show_similar(self, similar: SimilarPapers | None) -> None:
        """The papers most like this one, with the words they share; None while they are found."""
        options = self.query_one("#abstract-similar", OptionList)
        label = self.query_one("#abstract-similar-label", Static)
        options.clear_options()
        self._similar_offered = False
        self.finding_similar = similar is None
        label.display = True
        if similar is None:
            label.update(Text("Similar papers · finding…", style="dim"))
            options.display = False
            return
        if not similar:
            label.update(Text("Similar papers · none share enough words", style="dim"))
            options.display = False
            return
        label.update(Text("Similar papers · m selects, Enter opens", style="dim"))
        for paper, terms in similar:
            derived = paper.title_is_derived  # made from the abstract: never shown as a real title
            line = Text((DERIVED_MARK if derived else "") + clean_line(paper.title), "italic" if derived else "", overflow="ellipsis")
            line.append(f"  ({', '.join(clean_line(t) for t in terms)})", "dim")
            options.add_option(Option(line, id=paper.id))
        options.display = True

    def action_focus_similar(self) -> None:
        if focus_options(self.query_one("#abstract-similar", OptionList)):
            return
        if self._similar_offered and self.paper is not None:
            self._similar_offered = False
            self.show_similar(None)
            self.post_message(self.SimilarWanted(self, self.paper.id))

    def _offer_similar(self, papers: int) -> None:
        """A large library: say that `m` finds similar papers (indexing them once takes a while)."""
        self._similar_offered = True
        self.finding_similar = False
        label = self.query_one("#abstract-similar-label", Static)
        label.update(Text(f"Similar papers · m finds them (indexes {papers:,} papers once)", style="dim"))
        label.display = True
        self.query_one("#abstract-similar", OptionList).display = False

    @on(OptionList.OptionSelected, "#abstract-similar")
    def _similar_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.ShowPaper(event.option.id))

    def action_focus_authors(self) -> None:
        focus_options(self.query_one("#abstract-authors", OptionList))

    @on(OptionList.OptionSelected, "#abstract-authors")
    def _author_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.paper is not None:
            self.post_message(self.ShowResearcher(self.paper.authors[event.option_index]))
