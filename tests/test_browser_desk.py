"""The reading desk in the browser: stars, reading state, notes, copy, links, similar papers,
researchers' new papers — driven by the keyboard as a person would."""

from __future__ import annotations

import asyncio
import fcntl
import threading
import time
from pathlib import Path

import pytest
from conftest import CAPTURED, SEEDS, papers_shown, settle
from rich.style import Style
from textual.widget import Widget

from store.export import citation
from store.library import Library
from tui.app import PaperscopeApp
from tui.screens import paper_screen
from tui.screens.abstract import AbstractScreen
from tui.screens.main import MainScreen
from tui.screens.note import NoteScreen
from tui.widgets.abstract_view import AbstractView, SimilarPapers
from tui.widgets.paper_table import PaperTable
from tui.widgets.researcher_header import ResearcherHeader
from tui.widgets.researcher_list import ResearcherList

NARROW = (80, 24)
WIDE = (160, 48)
ACCESS_SETS = "Access Sets Matter: Budgeting Expert Reads for Scalable Weight-Space Model Merging"
GPTQ_ID = "f7ffd2238d"


async def search(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("slash", *text, "enter")
    await settle(pilot)


def table(app: PaperscopeApp) -> PaperTable:
    return app.screen.query_one(PaperTable)


def title_style(app: PaperscopeApp) -> Style | None:
    """The style of the first row's title (the piece its first word is in)."""
    first_word = table(app).papers[0].title.split()[0]
    return next(style for text, style in table(app).render_row(0, 76).pieces if text.startswith(first_word))


def row(app: PaperscopeApp, index: int = 0) -> str:
    return table(app).render_row(index, 76).plain


def static_text(app: PaperscopeApp, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def test_s_stars_the_paper_under_the_cursor_and_is_starred_finds_it(fresh_library: Library) -> None:
    app = PaperscopeApp(fresh_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        assert row(app).startswith("2026 LG          Access Sets Matter")
        await pilot.press("s")
        await settle(pilot)  # the desk is written by a worker
        assert row(app).startswith("2026 LG    ★     Access Sets Matter")
        assert fresh_library.mark(table(app).papers[0].id).starred
        await search(pilot, "is:starred")
        assert [p.title for p in table(app).papers] == [ACCESS_SETS]
        assert app.screen.query_one("#papers-pane").border_subtitle == "1 match · sort: relevance · in: whole library"
        await pilot.press("s")  # again: unstarred
        await settle(pilot)  # the desk is written by a worker
        assert not fresh_library.mark(table(app).papers[0].id).starred


async def test_r_marks_read_and_the_title_goes_dim(fresh_library: Library) -> None:
    app = PaperscopeApp(fresh_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        paper = table(app).papers[0]
        assert title_style(app) is None
        await pilot.press("r")
        await settle(pilot)  # the desk is written by a worker
        assert fresh_library.mark(paper.id).state == "read"
        assert title_style(app) == table(app).component_style("dim")
        await search(pilot, "is:unread")
        assert len(table(app).papers) == 127
        assert paper not in table(app).papers


async def test_a_star_the_desk_cannot_take_says_why_and_the_browser_goes_on(fresh_library: Library) -> None:
    """Another paperscope holds the desk's lock: the star is refused with the reason, in one
    line, while the browser stays usable (the write waits in a worker, not in the UI)."""
    desk = fresh_library.desk
    desk.file.lock_timeout = 0.2
    app = PaperscopeApp(fresh_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        with open(desk.file.lock_path, "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            await pilot.press("s", "j")
            assert table(app).cursor == 1  # moved while the write waited for the lock
            await settle(pilot)
            fcntl.flock(lock, fcntl.LOCK_UN)
        messages = [n.message for n in app._notifications]
        assert messages == [f"{desk.path}: another paperscope is writing the store; try again in a moment"]
        assert not fresh_library.mark(table(app).papers[0].id).starred
        assert row(app).startswith("2026 LG          Access Sets Matter")


async def test_a_paper_open_for_a_moment_counts_as_seen_not_read(fresh_library: Library) -> None:
    app = PaperscopeApp(fresh_library, animate=False, dwell_s=0.05)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        paper = table(app).papers[0]
        await pilot.press("enter")
        assert isinstance(app.screen, AbstractScreen)
        await pilot.pause(0.3)
        await settle(pilot)
        assert fresh_library.mark(paper.id).state == "seen"
        assert "Reading     opened, not read" in static_text(app, "#abstract-facts")
        await pilot.press("r")
        await settle(pilot)  # the desk is written by a worker
        assert "Reading     read" in static_text(app, "#abstract-facts")


async def test_a_paper_closed_before_its_time_is_not_counted_as_seen(fresh_library: Library) -> None:
    """The full-screen abstract is kept for the next paper (not removed on closing, which
    stopped its timer): closing it stops the count; a dialog over it (a note written, the help)
    does not."""
    app = PaperscopeApp(fresh_library, animate=False, dwell_s=0.3)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        first, second = table(app).papers[:2]
        await pilot.press("enter")
        await pilot.pause(0.1)
        await pilot.press("escape")  # closed after 0.1 s of 0.3
        await pilot.pause(0.5)
        await settle(pilot)
        assert fresh_library.mark(first.id).state == "unseen"
        await pilot.press("j", "enter")
        await pilot.pause(0.1)
        await pilot.press("question_mark")  # the help over it after 0.1 s
        await pilot.pause(0.5)
        await settle(pilot)
        assert fresh_library.mark(second.id).state == "seen"


async def test_n_writes_a_multi_line_note_shown_in_the_abstract(fresh_library: Library, tmp_path: Path) -> None:
    app = PaperscopeApp(fresh_library, animate=False)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        paper = table(app).papers[0]
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"Compare with E-PMQ", "enter", *"Budget sweep: Fig 3")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert fresh_library.mark(paper.id).note == "Compare with E-PMQ\nBudget sweep: Fig 3"
        assert Library.open(fresh_library.store_file.path).mark(paper.id).note == "Compare with E-PMQ\nBudget sweep: Fig 3"
        assert static_text(app, "#abstract-note") == "Your note · n edits\nCompare with E-PMQ\nBudget sweep: Fig 3"
        assert row(app).startswith("2026 LG     ✎    Access Sets Matter")


async def test_y_copies_the_title_and_a_citation(fresh_library: Library) -> None:
    app = PaperscopeApp(fresh_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        paper = table(app).papers[0]
        await pilot.press("y")
        assert app.clipboard == f"{ACCESS_SETS}\n{citation(paper)}"
        assert citation(paper).startswith("Wang, Y., Gu, Y., Lu, S. and others (2026). Access Sets Matter")


async def test_o_opens_the_link_in_the_abstract(fresh_library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    app = PaperscopeApp(fresh_library, animate=False)
    monkeypatch.setattr(app, "open_url", lambda url, new_tab=True: opened.append(url))
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await search(pilot, "GPTQ accurate post-training")
        assert table(app).current is not None and table(app).current.id == GPTQ_ID
        assert static_text(app, "#abstract-links") == "Links · o opens\nhttps://github.com/IST-DASLab/gptq"
        await pilot.press("o")
        await settle(pilot)
        assert opened == ["https://github.com/IST-DASLab/gptq"]
        await search(pilot, "AdaMerging")
        await pilot.press("o")
        await settle(pilot)
        assert opened == ["https://github.com/IST-DASLab/gptq"]  # no link in that abstract: nothing opened


async def test_similar_papers_are_listed_and_open_with_enter(fresh_library: Library) -> None:
    app = PaperscopeApp(fresh_library, animate=False)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        paper = table(app).papers[0]
        expected = fresh_library.similar(paper.id)
        assert len(expected) == 5
        view = app.screen.query_one(AbstractView)
        options = view.query_one("#abstract-similar")
        assert options.option_count == 5
        first_title, first_terms = expected[0][0].title, expected[0][1]
        assert str(options.get_option_at_index(0).prompt) == f"{first_title}  ({', '.join(first_terms)})"
        await pilot.press("tab", "m", "enter")
        await settle(pilot)
        assert view.paper is not None and view.paper.title == first_title


async def test_similar_papers_show_whole_in_the_abstract_at_80x24(fresh_library: Library) -> None:
    """Five similar papers wrap to two lines each at 80 columns: the list shows them all (the
    abstract scrolls), rather than scrolling itself with a second scrollbar inside the first."""
    app = PaperscopeApp(fresh_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await search(pilot, "merging")
        await pilot.press("j", "enter")
        await settle(pilot)
        options = app.screen.query_one("#abstract-similar")
        assert (options.option_count, options.size.height) == (5, 10)  # two lines each, all shown


async def test_similar_papers_with_a_derived_title_are_marked(fresh_library: Library) -> None:
    paper = next(p for p in fresh_library.papers if any(s.title_is_derived for s, _ in fresh_library.similar(p.id)))
    similar = fresh_library.similar(paper.id)
    app = PaperscopeApp(fresh_library, animate=False)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        view = app.screen.query_one(AbstractView)
        view.show_similar(similar)
        options = view.query_one("#abstract-similar")
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert [prompt.startswith("≈ ") for prompt in prompts] == [s.title_is_derived for s, _ in similar]


async def test_moving_down_the_list_finds_similar_papers_only_where_the_cursor_stops(
    fresh_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    find = fresh_library.similar
    monkeypatch.setattr(fresh_library, "similar", lambda paper_id, k=5: asked.append(paper_id) or find(paper_id, k))
    app = PaperscopeApp(fresh_library, animate=False)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        monkeypatch.setattr(paper_screen, "DEBOUNCE_S", 0.5)  # keys far apart under any load
        asked.clear()
        for _ in range(5):  # a held `j`: the moves come faster than the debounce
            table(app).action_cursor_down()
            await pilot.pause()
        await settle(pilot)
        assert asked == [table(app).papers[5].id]
        assert app.screen.query_one("#abstract-similar").option_count == 5


async def test_back_on_the_paper_in_view_its_similar_papers_are_still_found(
    fresh_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cursor leaves the paper in view and comes back before the pane changed: the pane is
    not laid out again, and the similar papers given up when the cursor left are found after all."""
    app = PaperscopeApp(fresh_library, animate=False)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        monkeypatch.setattr(paper_screen, "DEBOUNCE_S", 0.5)  # keys far apart under any load
        view = app.screen.query_one(AbstractView)
        await pilot.pause(0.6)
        table(app).action_cursor_down()  # after a pause: paper 1 at once, its similar papers sought
        await pilot.pause()
        assert view.shows(table(app).papers[1].id) and view.finding_similar
        table(app).action_cursor_up()  # held: the search for paper 1's similar papers is given up
        await pilot.pause()
        table(app).action_cursor_down()  # back on paper 1, still in view
        await settle(pilot)
        assert view.shows(table(app).papers[1].id)
        assert not view.finding_similar
        assert app.screen.query_one("#abstract-similar").option_count == 5


async def test_the_abstract_pane_follows_a_held_key_only_where_it_rests(
    fresh_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = PaperscopeApp(fresh_library, animate=False)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        view = app.screen.query_one(AbstractView)
        shown = papers_shown(view, monkeypatch)
        monkeypatch.setattr(paper_screen, "DEBOUNCE_S", 0.5)  # keys far apart under any load
        await pilot.pause(0.6)  # a pause: the next move shows its paper at once
        for _ in range(5):  # then a held `j`
            table(app).action_cursor_down()
            await pilot.pause()
        assert shown == [table(app).papers[1].id]
        await settle(pilot)
        assert shown == [table(app).papers[1].id, table(app).papers[5].id]
        assert view.paper is not None and view.paper.id == table(app).papers[5].id


async def test_moving_down_the_researchers_sums_up_only_where_the_cursor_stops(
    fresh_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    summarize = fresh_library.summary
    monkeypatch.setattr(fresh_library, "summary", lambda person: asked.append(person.name) or summarize(person))
    monkeypatch.setattr(paper_screen, "DEBOUNCE_S", 0.5)  # keys far apart under any load
    app = PaperscopeApp(fresh_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        people = app.screen.query_one(ResearcherList)
        for _ in range(3):  # a held `j` in the researchers list
            people.action_cursor_down()
            await pilot.pause()
        await settle(pilot)
        assert asked == ["Yuanyi Wang"]
        assert app.screen.query_one(ResearcherHeader).summary.name == "Yuanyi Wang"


async def test_new_papers_since_the_last_visit_are_marked(tmp_path: Path) -> None:
    files = sorted(SEEDS.glob("*.txt"))
    library = Library.open(tmp_path / "store.json", seed_if_empty=False)
    library.ingest([f for f in files if not f.name.startswith("000")], captured=CAPTURED)
    before = {p.id for p in library.papers}
    app = PaperscopeApp(library, animate=False, dwell_s=0.05)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        app.screen.show_person("Wenjun Wang")
        await pilot.pause(0.3)  # stays open: the visit counts
        await settle(pilot)
    library.ingest(files, captured=CAPTURED)
    app = PaperscopeApp(library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        app.screen.show_person("Wenjun Wang")
        await settle(pilot)
        papers = table(app).papers
        assert len(papers) == 7
        marked = [p.id for i, p in enumerate(papers) if table(app).render_row(i, 76).plain[13] == "•"]
        assert set(marked) == {p.id for p in papers} - before
        assert len(marked) == 4


async def test_i_opens_the_profile_and_a_collaborator_lists_the_shared_papers(fresh_library: Library) -> None:
    from tui.screens.researcher import ResearcherScreen
    from tui.widgets.researcher_header import ResearcherHeader

    app = PaperscopeApp(fresh_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        app.screen.show_person("Yuanyi Wang")
        await settle(pilot)
        header = app.screen.query_one(ResearcherHeader)
        assert header.display and str(header.lines(50)[0]).startswith("h-index 33 · citations 40")
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, ResearcherScreen)
        await pilot.press("enter")  # the top collaborator: Yanggan Gu, 7 shared papers
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.query_one("#search").value == 'with:"Yanggan Gu"'
        assert [p.title.split(":")[0] for p in table(app).papers] == [
            "Access Sets Matter", "Not All Disagreement Is Learnable", "E-PMQ", "FeatCal", "MergePipe",
            "Model Merging Scaling Laws in Large Language Models", "InfiFPO",
        ]
        assert app.screen.query_one("#papers-pane").border_subtitle == "7 matches · sort: relevance · in: this researcher"


async def test_i_pressed_before_the_figures_are_in_opens_the_profile_when_they_arrive(
    fresh_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The figures are worked out in a worker (never on the UI thread); `i` waits for them."""
    from tui.screens.researcher import ResearcherScreen

    monkeypatch.setattr(paper_screen, "DEBOUNCE_S", 0.5)  # the worker is still waiting when `i` comes
    app = PaperscopeApp(fresh_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        app.screen.show_person("Yuanyi Wang")
        await pilot.press("i")  # at once: the header's worker is still waiting for the cursor to rest
        assert isinstance(app.screen, MainScreen)
        await settle(pilot)
        assert isinstance(app.screen, ResearcherScreen)
        assert app.screen.summary.name == "Yuanyi Wang"


async def test_the_palette_offers_the_desk_filters(fresh_library: Library) -> None:
    fresh_library.toggle_star(GPTQ_ID)
    app = PaperscopeApp(fresh_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"starred")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#search").value == "is:starred"
        assert [p.id for p in table(app).papers] == [GPTQ_ID]


async def test_a_large_library_finds_similar_papers_when_asked(fresh_library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("store.library.SIMILAR_BUILD_QUICK_MAX", 100)  # the seeds' 128 count as large
    app = PaperscopeApp(fresh_library, animate=False)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert static_text(app, "#abstract-similar-label") == "Similar papers · m finds them (indexes 128 papers once)"
        options = app.screen.query_one("#abstract-similar")
        assert options.option_count == 0
        await pilot.press("tab", "m")
        await settle(pilot)
        assert options.option_count == 5
        await pilot.press("m", "enter")
        await settle(pilot)
        assert app.screen.query_one(AbstractView).paper.title == fresh_library.similar(table(app).papers[0].id)[0][0].title


async def test_a_large_library_offers_similar_papers_as_the_paper_is_shown(
    fresh_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The offer comes with the paper, not in reply to a message: the pane is laid out with it
    once, and never says "finding…" (for a frame, over a slow link for longer) for papers it
    will not look for."""
    monkeypatch.setattr("store.library.SIMILAR_BUILD_QUICK_MAX", 100)  # the seeds' 128 count as large
    app = PaperscopeApp(fresh_library, animate=False)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        view = app.screen.query_one(AbstractView)
        posted = []
        post_message = view.post_message
        monkeypatch.setattr(view, "post_message", lambda message: posted.append(type(message)) or post_message(message))
        view.show(table(app).papers[3])
        assert static_text(app, "#abstract-similar-label") == "Similar papers · m finds them (indexes 128 papers once)"
        assert AbstractView.SimilarWanted not in posted


async def test_e_exports_the_list_shown(fresh_library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import bibtexparser

    from tui.screens.export import ExportScreen

    monkeypatch.chdir(tmp_path)
    app = PaperscopeApp(fresh_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await search(pilot, "author:yanggan")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("enter")  # this list (7 papers), BibTeX, ./paperscope-list.bib
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    entries = bibtexparser.parse_string((tmp_path / "paperscope-list.bib").read_text(encoding="utf-8")).entries
    assert len(entries) == 7


async def test_quitting_while_similar_papers_are_found_is_clean(
    fresh_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The similar papers arrive while the app is closing, after the pane's lists are gone (the
    pane's own removal is held open until its search has ended): they are dropped, and the app
    quits without an error."""
    find = fresh_library.similar
    lists: list[Widget] = []
    asked = threading.Event()

    def similar_found_on_quitting(paper_id: str, k: int = 5) -> SimilarPapers:
        asked.set()
        deadline = time.monotonic() + 10
        while not (lists and lists[0].parent is None) and time.monotonic() < deadline:
            time.sleep(0.001)
        return find(paper_id, k)

    async def until_the_search_ended(view: AbstractView) -> None:
        workers = [w for w in view.app.workers if w.group == "similar"]
        for _ in range(500):
            if all(worker.is_finished for worker in workers):
                return
            await asyncio.sleep(0.01)

    monkeypatch.setattr(fresh_library, "similar", similar_found_on_quitting)
    monkeypatch.setattr(AbstractView, "on_unmount", until_the_search_ended, raising=False)
    app = PaperscopeApp(fresh_library, animate=False)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        lists.append(app.screen.query_one("#abstract-similar"))
        assert await asyncio.to_thread(asked.wait, 10)
    assert lists[0].parent is None
