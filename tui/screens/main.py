"""The main screen: researchers, their papers, and the abstract; the state of the view lives here."""

from __future__ import annotations

import time
from collections.abc import Sequence

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Input
from textual.worker import get_current_worker

from store.db import StoreError
from store.library import Library
from store.model import Paper, Person
from store.researchers import ResearcherSummary
from store.sorting import SORT_MODES, sort_papers
from store.text import counted
from tui.screens.abstract import AbstractScreen
from tui.screens import paper_screen
from tui.screens.paper_screen import PAPER_ACTIONS, PaperScreen, cursor_moved_on
from tui.widgets.abstract_view import AbstractView
from tui.widgets.key_bar import KeyBar
from tui.widgets.line_input import LineInput
from tui.widgets.pane import Pane
from tui.widgets.paper_table import PaperTable
from tui.widgets.researcher_header import ResearcherHeader
from tui.widgets.researcher_list import ResearcherList

WIDE_MIN_COLUMNS = 120


class MainScreen(PaperScreen[None]):
    """Owns what is shown (person, query, sort, scope) and hands it down to the panes."""

    BINDINGS = [
        # Priority: handled as the key arrives, so keys typed right after it already reach the box.
        Binding("slash", "focus_search", "Search", id="main.search", priority=True),
        Binding("f", "focus_people_filter", "Find person", show=False, id="main.find_person"),
        Binding("S", "cycle_sort", "Sort", show=False, id="main.sort"),
        Binding("w,ctrl+t", "toggle_scope", "Scope", show=False, id="main.scope"),
        Binding("i", "researcher_profile", "Profile", show=False, id="main.profile"),
        Binding("escape,backspace", "back", "Back", show=False, id="main.back"),
        Binding("tab", "cycle_pane(1)", "Next pane", show=False, id="main.next_pane"),
        Binding("shift+tab", "cycle_pane(-1)", "Previous pane", show=False, id="main.previous_pane"),
    ]
    FOCUS_PANES = "#people-pane, #papers-pane, #abstract"

    # The screen draws none of these itself (their watchers update the panes): a repaint would
    # redraw every pane on each keystroke and each researcher the cursor passes.
    person: reactive[Person | None] = reactive(None, init=False, repaint=False)
    search_text: reactive[str] = reactive("", init=False, repaint=False)
    sort_mode: reactive[str] = reactive("date", init=False, repaint=False)
    search_everywhere: reactive[bool] = reactive(False, init=False, repaint=False)

    def __init__(self, library: Library, dwell_s: float | None = None) -> None:
        super().__init__(library)
        self.dwell_s = dwell_s  # how long a paper or researcher stays in view to count as opened
        self.total = 0
        self._generation = 0  # bumped per search; results of an older one are dropped
        self._visit_timer: Timer | None = None
        self._profile_wanted: Person | None = None  # `i` pressed, the header's figures not yet in
        self._last_highlight = 0.0  # time.monotonic() of the last cursor move in the papers list
        self._last_replaced = 0.0  # and of the last query typed or researcher moved to
        self._abstract_due: Paper | None = None  # see _show_due_abstract
        self._abstract_screen: AbstractScreen | None = None  # made on the first paper opened full screen

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            with Vertical(id="people-pane"):
                yield LineInput(placeholder="f: find a person", id="people-filter", compact=True, select_on_focus=False)
                yield ResearcherList(self.library.people, len(self.library.papers), id="people")
            with Pane(id="papers-pane"):
                yield LineInput(placeholder="/ search  author: year: cat: src:", id="search", compact=True)
                yield ResearcherHeader(id="researcher-header")
                yield PaperTable(id="papers", marks=self.library.mark)
            yield AbstractView(
                id="abstract", dwell_s=self.dwell_s, marks=self.library.mark, similar_on_request=self.similar_on_request
            )
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#people-pane").border_title = Content("Researchers")
        self.query_one("#abstract").border_title = Content("Abstract")
        if self.app.animation_level == "none":  # tests and snapshots: nothing that changes by itself
            for field in self.query(Input):
                field.cursor_blink = False
        self._apply_layout()
        self.refresh_papers()
        self.query_one(PaperTable).focus()

    def on_resize(self) -> None:
        self._apply_layout()

    @property
    def is_wide(self) -> bool:
        return self.size.width >= WIDE_MIN_COLUMNS

    def _apply_layout(self) -> None:
        coming_into_view = self.is_wide and (self.has_class("-narrow") or self.query_one(AbstractView).paper is None)
        self.set_class(not self.is_wide, "-narrow")
        if coming_into_view:  # the abstract pane appears: show the paper under the cursor
            self._show_abstract(self.query_one(PaperTable).current)

    def _show_abstract(self, paper: Paper | None) -> None:
        view = self.query_one(AbstractView)
        if self.selections:  # text selected in the last paper is not selected in this one
            self.selections = {
                widget: selection for widget, selection in self.selections.items() if view not in widget.ancestors_with_self
            }
        view.show(paper)

    def on_screen_resume(self) -> None:
        self.query_one(PaperTable).redraw_rows()  # marks may have changed on another screen
        self._show_due_abstract()

    # --- what the paper actions act on ----------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in PAPER_ACTIONS and isinstance(self.focused, ResearcherList):
            return False  # letters typed in the researchers list start its filter instead
        return True

    def current_paper(self) -> Paper | None:
        """The paper in the abstract pane when it has the focus (it may be a similar paper not in
        the list), else the one under the list's cursor."""
        view = self.query_one(AbstractView)
        if self.is_wide and self.focused is not None and view in self.focused.ancestors_with_self:
            return view.paper
        return self.query_one(PaperTable).current

    def marks_changed(self, paper: Paper) -> None:
        self.query_one(PaperTable).redraw_rows()
        self.redraw_mark(self.query_one(AbstractView), paper)

    def export_choices(self) -> dict[str, tuple[str, Sequence[Paper]]]:
        # The list as shown (a lazy sequence: 100k papers are decoded only if exported).
        return {"list": ("This list", self.query_one(PaperTable).papers), **super().export_choices()}

    # --- state changes --------------------------------------------------------------------

    @work(thread=True, group="desk")
    def _record_visit(self, person: Person) -> None:
        """Count a visit: a desk write, off the UI thread."""
        try:
            self.library.visit(person)
        except StoreError as error:
            self.call_from_worker(self.notify, str(error), severity="error", markup=False)

    def watch_person(self) -> None:
        """A researcher opened: mark what arrived since the last visit, and count this visit
        once they have stayed open a moment (skimming down the list visits nobody)."""
        if self._visit_timer is not None:
            self._visit_timer.stop()
            self._visit_timer = None
        person = self.person
        self._last_replaced = time.monotonic()
        self._profile_wanted = None  # asked for someone else
        self.query_one(PaperTable).new_ids = frozenset()
        if person is not None and self.dwell_s is not None:
            self._visit_timer = self.set_timer(self.dwell_s, lambda: self._record_visit(person))
        self.query_one(ResearcherHeader).show(None)
        if person is not None:
            self._summarize(person)
        self.refresh_papers()

    @work(exclusive=True, thread=True, group="summary")
    def _summarize(self, person: Person) -> None:
        """Off the UI thread: a large collection's figures take a moment at 100k papers."""
        if cursor_moved_on():
            return
        summary = self.library.summary(person)
        new_ids = self.library.new_since_last_visit(person)
        if not get_current_worker().is_cancelled:
            self.call_from_worker(self._show_summary, person, summary, new_ids)

    def _show_summary(self, person: Person, summary: ResearcherSummary, new_ids: frozenset[str]) -> None:
        if self.person is person:
            table = self.query_one(PaperTable)
            table.new_ids = new_ids
            self.query_one(ResearcherHeader).show(summary, len(new_ids))
            if self._profile_wanted is person:  # `i` was pressed before the figures were ready
                self._profile_wanted = None
                if self.app.screen is self:
                    self._open_profile(person, summary)

    def watch_search_text(self) -> None:
        # Set without its watcher: one keystroke, one search.
        if self.search_text and self.sort_mode == "date":
            self.set_reactive(MainScreen.sort_mode, "relevance")
        elif not self.search_text and self.sort_mode == "relevance":
            self.set_reactive(MainScreen.sort_mode, "date")
        self.refresh_papers()

    def watch_sort_mode(self) -> None:
        self.refresh_papers()

    def watch_search_everywhere(self) -> None:
        self.refresh_papers()

    def refresh_papers(self) -> None:
        self._generation += 1
        self._search(self._generation, self.search_text, self.person, self.sort_mode, self.search_everywhere)

    @work(exclusive=True, thread=True, group="search")
    def _search(self, generation: int, query: str, person: Person | None, sort_mode: str, everywhere: bool) -> None:
        """Runs off the UI thread; a newer keystroke cancels it before its results are shown.

        Titles and authors come first; matches inside abstracts (the slow tier) follow.
        """
        worker = get_current_worker()
        scope = None if everywhere else person
        if not query.strip():
            papers = self.library.papers_of(scope) if scope else self.library.papers
            ordered = sort_papers(papers, sort_mode, self.library.position)
            self.call_from_worker(self._show_papers, generation, ordered, len(papers), "")
            return
        shown_total = -1
        for abstracts in (False, True):
            hits = self.library.search(query, scope, abstracts=abstracts)
            if worker.is_cancelled:
                return
            if hits.total == shown_total:
                return  # the slow tiers only add papers: the same count is the same list
            shown_total = hits.total
            ordered = sort_papers(hits.papers, sort_mode, self.library.position)
            self.call_from_worker(self._show_papers, generation, ordered, hits.total, hits.query.text)

    def _show_papers(self, generation: int, papers: Sequence[Paper], total: int, query_text: str) -> None:
        if generation != self._generation:
            return  # a newer search is under way: never show stale results
        self.total = total
        empty = f"No papers match “{self.search_text.strip()}”." if self.search_text.strip() else "No papers."
        self.query_one(PaperTable).show(papers, query_text, empty)  # its Highlighted fills the abstract
        self._update_titles()
        if not papers:
            self.query_one(AbstractView).show(None)

    def _update_titles(self) -> None:
        who = "All papers" if self.person is None else self.person.name
        title = who if not self.search_text.strip() else f"Search · {who if not self.search_everywhere else 'whole library'}"
        scope = "whole library" if self.search_everywhere or self.person is None else "this researcher"
        count = counted(self.total, "paper") if not self.search_text.strip() else counted(self.total, "match", "matches")
        subtitle = f"{count} · sort: {self.sort_mode}" + (f" · in: {scope}" if self.search_text.strip() else "")
        self.query_one("#papers-pane", Pane).set_titles(Content(title), Content(subtitle))

    # --- events from the panes ------------------------------------------------------------

    @on(ResearcherList.Highlighted, "#people")
    def _person_highlighted(self, event: ResearcherList.Highlighted) -> None:
        self.person = self.query_one(ResearcherList).current

    @on(ResearcherList.Selected, "#people")
    def _person_selected(self) -> None:
        self.query_one(PaperTable).focus()

    @on(PaperTable.Highlighted, "#papers")
    def _paper_highlighted(self) -> None:
        """The abstract pane follows the cursor: at once after a pause, but while a key is held, a
        query typed or the researchers passed, only where the cursor comes to rest (laying the pane
        out costs a frame)."""
        if not self.is_wide:
            return
        paper = self.query_one(PaperTable).current
        now = time.monotonic()
        last_moved = max(self._last_highlight, self._last_replaced)  # a new list moves it too
        held, self._last_highlight = now - last_moved < paper_screen.DEBOUNCE_S, now
        view = self.query_one(AbstractView)
        if paper is not None and view.shows(paper.id):
            # Back on the paper in view (a longer query kept it first): nothing to lay out again.
            self.workers.cancel_group(self, "abstract")
            if view.finding_similar:  # their search was given up when the cursor left
                view.post_message(AbstractView.SimilarWanted(view, paper.id))
            return
        self.workers.cancel_group(self, "similar")  # for the paper the cursor has left
        if held:
            self._show_abstract_at_rest(paper)
        else:
            self.workers.cancel_group(self, "abstract")
            # Once the list is drawn: the two laid out and drawn together took two frames at 200x60.
            self._abstract_due = paper
            self.call_after_refresh(self._show_due_abstract)

    def _show_due_abstract(self) -> None:
        """The paper the cursor moved to, if it is not shown yet. Also run when this screen comes
        back: Textual runs a callback after the refresh of whichever screen is on top, and drops
        it if that one is closed first (a dialog opened by a key typed right after the move)."""
        paper, self._abstract_due = self._abstract_due, None
        if paper is not None and self.is_wide:
            self._show_abstract_if_current(paper)

    @work(exclusive=True, thread=True, group="abstract")
    def _show_abstract_at_rest(self, paper: Paper | None) -> None:
        if not cursor_moved_on():
            self.call_from_worker(self._show_abstract_if_current, paper)

    def _show_abstract_if_current(self, paper: Paper | None) -> None:
        current = self.query_one(PaperTable).current
        if (current and current.id) != (paper and paper.id):
            return  # the cursor moved on meanwhile
        if paper is None or not self.query_one(AbstractView).shows(paper.id):
            self._show_abstract(paper)

    @on(PaperTable.Selected, "#papers")
    def _paper_selected(self) -> None:
        self._open_paper(self.query_one(PaperTable).current)

    def _open_paper(self, paper: Paper | None) -> None:
        if paper is None:
            return
        if self.is_wide:
            self._show_abstract(paper)
            self.query_one(AbstractView).focus()
        else:
            if self._abstract_screen in self.app.screen_stack:
                return  # opened already: a second Selected (a triple click) came before it composed
            if self._abstract_screen is None:
                self._abstract_screen = AbstractScreen(self.library, paper, self.dwell_s)
                # Installed, so that closing it keeps it for the next paper (see AbstractScreen).
                self.app.install_screen(self._abstract_screen, f"abstract-{id(self)}")
            else:
                self._abstract_screen.show(paper)
            self.app.push_screen(self._abstract_screen, self._returned_from_abstract)

    @on(AbstractView.ShowPaper)
    def _show_similar_paper(self, event: AbstractView.ShowPaper) -> None:
        self._open_paper(self.library.paper(event.paper_id))

    def _returned_from_abstract(self, author: str | None) -> None:
        if author:
            self.show_person(author)

    @on(AbstractView.ShowResearcher)
    def _show_researcher(self, event: AbstractView.ShowResearcher) -> None:
        self.show_person(event.name)

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        self._last_replaced = time.monotonic()
        self.search_text = event.value

    @on(Input.Submitted, "#search")
    def _query_submitted(self) -> None:
        self.query_one(PaperTable).focus()

    @on(ResearcherList.FilterTyped)
    def _filter_typed(self, event: ResearcherList.FilterTyped) -> None:
        people_filter = self.query_one("#people-filter", Input)
        self.set_focus(people_filter)
        people_filter.insert_text_at_cursor(event.character)

    @on(Input.Changed, "#people-filter")
    def _people_filter_changed(self, event: Input.Changed) -> None:
        self.query_one(ResearcherList).apply_filter(event.value)

    @on(Input.Submitted, "#people-filter")
    def _people_filter_submitted(self) -> None:
        self.query_one(ResearcherList).focus()

    # --- what other parts of the app ask for ----------------------------------------------

    def show_person(self, name: str) -> None:
        """Select a person in the researchers pane (clearing its filter) and list their papers."""
        person = self.library.person(name)
        if person is None:
            self.notify(f"No one named {name!r} in the store.", severity="warning", markup=False)
            return
        people_filter = self.query_one("#people-filter", Input)
        with people_filter.prevent(Input.Changed):  # else its late Changed resets the cursor
            people_filter.value = ""
        people = self.query_one(ResearcherList)
        people.apply_filter("")
        index = people.index_of(person)
        if index is not None:
            people.cursor = index
        self.person = person
        self.query_one("#search", Input).value = ""
        self.query_one(PaperTable).focus()

    def set_query(self, query: str) -> None:
        self.query_one("#search", Input).value = query
        self.query_one(PaperTable).focus()

    def set_sort(self, mode: str) -> None:
        self.sort_mode = mode

    # --- actions --------------------------------------------------------------------------

    def action_focus_search(self) -> None:
        search = self.query_one("#search", Input)
        if self.focused is search:
            search.insert_text_at_cursor("/")  # a "/" typed in the box is text
        else:
            # At once, not via focus() (deferred): keys typed right after "/" must reach the box.
            self.set_focus(search)

    def action_focus_people_filter(self) -> None:
        self.set_focus(self.query_one("#people-filter", Input))

    def action_cycle_sort(self) -> None:
        modes = [m for m in SORT_MODES if m != "relevance" or self.search_text.strip()]
        current = modes.index(self.sort_mode) if self.sort_mode in modes else -1
        self.sort_mode = modes[(current + 1) % len(modes)]

    def action_cycle_pane(self, step: int) -> None:
        """Tab walks the panes (researchers, papers, abstract when shown), not every field."""
        panes = [self.query_one(ResearcherList), self.query_one(PaperTable)]
        if self.is_wide:
            panes.append(self.query_one(AbstractView))
        focused = self.focused
        current = next(
            (i for i, pane in enumerate(panes)
             if focused is not None and (focused is pane or focused.parent is pane.parent or pane in focused.ancestors)),
            0,
        )
        panes[(current + step) % len(panes)].focus()

    def action_researcher_profile(self) -> None:
        """`i`: the selected researcher's profile; choosing a collaborator lists the papers the
        two share. Made from the header's figures: if they are still being worked out (a large
        collection takes ~0.1 s at 100k papers), the profile opens when they arrive."""
        person = self.person
        if person is None:
            self.notify("Select a researcher first (Tab to the researchers pane)", timeout=2)
            return
        shown = self.query_one(ResearcherHeader).summary
        if shown is not None and shown.name == person.name:
            self._open_profile(person, shown)
        else:
            self._profile_wanted = person  # see _show_summary

    def _open_profile(self, person: Person, summary: ResearcherSummary) -> None:
        from tui.screens.researcher import ResearcherScreen  # when first used: start-up time

        def shared_papers(collaborator: str | None) -> None:
            if collaborator and self.person is person:
                self.search_everywhere = False
                self.set_query(f'with:"{collaborator}"')

        self.app.push_screen(ResearcherScreen(summary, len(self.query_one(PaperTable).new_ids)), shared_papers)

    def action_toggle_scope(self) -> None:
        self.search_everywhere = not self.search_everywhere
        self.notify("Searching the whole library" if self.search_everywhere else "Searching the selected researcher's papers", timeout=2)

    def action_back(self) -> None:
        """Step back one level: leave the search box, the abstract, the filter, the person."""
        focused = self.focused
        search = self.query_one("#search", Input)
        people_filter = self.query_one("#people-filter", Input)
        if focused is search:
            search.value = ""
            self.query_one(PaperTable).focus()
        elif focused is people_filter:
            people_filter.value = ""
            self.query_one(ResearcherList).focus()
        elif focused is not None and self.query_one(AbstractView) in focused.ancestors_with_self:
            self.query_one(PaperTable).focus()
        elif search.value:
            search.value = ""
        elif focused is self.query_one(PaperTable) and self.person is not None:
            self.query_one(ResearcherList).focus()
        elif self.person is not None:
            people = self.query_one(ResearcherList)
            people.apply_filter("")
            people.cursor = 0
