"""The browser driven as a person would, through the keyboard (Textual's Pilot)."""

from __future__ import annotations

import pytest
from conftest import papers_shown, refreshes, settle, titles
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.color import Color
from textual.filter import DimFilter, LineFilter, Monochrome, NoColor
from textual.geometry import Region
from textual.widget import Widget

from store.library import Library
from tui.app import PaperscopeApp
from tui.screens.abstract import AbstractScreen
from tui.screens import paper_screen
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.widgets.abstract_view import AbstractView
from tui.widgets.paper_table import PaperTable
from tui.widgets.researcher_list import ResearcherList
from tui.widgets.row import Piece, Row
from tui.widgets.row_list import RowList

NARROW = (80, 24)
WIDE = (160, 48)


async def type_text(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    for character in text:
        await pilot.press(character)
    await settle(pilot)


async def test_starts_on_all_papers_newest_first(seed_library: Library) -> None:
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert len(titles(app)) == 128
        assert titles(app)[0] == "Access Sets Matter: Budgeting Expert Reads for Scalable Weight-Space Model Merging"
        assert app.screen.query_one("#papers-pane").border_subtitle == "128 papers · sort: date"


async def test_search_narrows_to_the_matching_paper(seed_library: Library) -> None:
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "adamerging")
        assert titles(app) == ["AdaMerging: Adaptive Model Merging for Multi-Task Learning"]
        assert app.screen.query_one("#papers-pane").border_subtitle == "1 match · sort: relevance · in: whole library"
        await pilot.press("escape")
        await settle(pilot)
        assert len(titles(app)) == 128
        assert app.screen.focused is app.screen.query_one(PaperTable)


async def test_no_results_says_so(seed_library: Library) -> None:
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "zzqqxx")
        table = app.screen.query_one(PaperTable)
        assert len(table.papers) == 0
        assert table.empty_message == "No papers match “zzqqxx”."
        assert app.screen.query_one("#papers-pane").border_subtitle == "0 matches · sort: relevance · in: whole library"


async def test_field_filters_in_the_search_box(seed_library: Library) -> None:
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "cat:DB")
        assert titles(app) == ["MergePipe: A Budget-Aware Parameter Management System for Scalable LLM Merging"]


async def test_selecting_a_researcher_shows_exactly_their_papers(seed_library: Library) -> None:
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("shift+tab")  # from the papers back to the researchers
        people = app.screen.query_one(ResearcherList)
        assert app.screen.focused is people
        await pilot.press("j", "j", "j")  # All papers, Zhenyi, Yequan, Yuanyi
        await settle(pilot)
        assert people.current is not None and people.current.name == "Yuanyi Wang"
        expected = [p.title for p in seed_library.papers_of(seed_library.person("Yuanyi Wang"))]
        assert len(titles(app)) == 14
        assert titles(app) == expected
        assert app.screen.query_one("#papers-pane").border_title == "Yuanyi Wang"


async def test_search_within_a_researcher_and_the_scope_toggle(seed_library: Library) -> None:
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        app.screen.query_one(ResearcherList).focus()
        await pilot.press("j", "j", "j", "enter")  # Yuanyi Wang, then into the papers
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "merging")
        within = titles(app)
        yuanyi = {p.title for p in seed_library.papers_of(seed_library.person("Yuanyi Wang"))}
        assert within and set(within) <= yuanyi
        assert app.screen.query_one("#papers-pane").border_subtitle.endswith("in: this researcher")
        await pilot.press("ctrl+t")
        await settle(pilot)
        everywhere = titles(app)
        assert len(everywhere) > len(within)
        assert app.screen.query_one("#papers-pane").border_subtitle.endswith("in: whole library")


async def test_opening_an_author_from_the_abstract_shows_their_papers(seed_library: Library) -> None:
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the first paper, full screen at 80 columns
        await pilot.pause()
        assert isinstance(app.screen, AbstractScreen)
        assert app.screen.paper.authors[:2] == ("Yuanyi Wang", "Yanggan Gu")
        await pilot.press("a", "down", "enter")  # the second author
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.person is not None and app.screen.person.name == "Yanggan Gu"
        expected = [p.title for p in seed_library.papers_of(seed_library.person("Yanggan Gu"))]
        assert titles(app) == expected
        assert len(expected) == 7


async def test_wide_layout_shows_the_abstract_beside_the_list(seed_library: Library) -> None:
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        view = app.screen.query_one(AbstractView)
        assert view.display
        assert view.paper is not None and view.paper.title.startswith("Access Sets Matter")
        await pilot.press("j")
        await pilot.pause()
        assert view.paper.title.startswith("EvoRubric")
        await pilot.press("enter")
        assert app.screen.focused is view
        await pilot.press("escape")
        assert app.screen.focused is app.screen.query_one(PaperTable)


async def test_the_abstract_follows_a_typed_query_once_it_rests_and_not_again_for_the_same_paper(
    seed_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a query is typed the abstract pane waits for the typing to rest (laying it out costs
    a frame a keystroke); a longer query that keeps the same paper first leaves the pane as it is."""
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        view = app.screen.query_one(AbstractView)
        shown = papers_shown(view, monkeypatch)
        await pilot.press("slash")
        await type_text(pilot, "merging")
        expected = "Merging Models on the Fly Without Retraining"
        assert view.paper is not None and view.paper.title.startswith(expected)
        assert shown[-1] == view.paper.id
        count = len(shown)
        await type_text(pilot, " model")  # still first
        assert titles(app)[0].startswith(expected)
        assert len(shown) == count
        await pilot.press("escape")  # all papers again: the newest is first and shown
        await settle(pilot)
        assert view.paper is not None and view.paper.title.startswith("Access Sets Matter")


async def test_help_opens_and_closes(seed_library: Library) -> None:
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def run_palette_command(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Open the palette, type `text`, run the best hit and wait for what it started."""
    await pilot.press("ctrl+p")
    await type_text(pilot, text)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await settle(pilot)


async def test_palette_jumps_to_a_researcher(seed_library: Library) -> None:
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await run_palette_command(pilot, "Researcher: Zhenyi")
        assert isinstance(app.screen, MainScreen)
        assert app.screen.person is not None and app.screen.person.name == "Zhenyi Wang"
        assert len(titles(app)) == 37


async def test_sort_cycles_date_title_score(seed_library: Library) -> None:
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        assert app.screen.sort_mode == "title"
        assert titles(app)[0] == "A Comprehensive Survey of Forgetting in Deep Learning Beyond Continual Learning"
        await pilot.press("S")
        await settle(pilot)
        assert app.screen.sort_mode == "score"
        assert titles(app)[0] == "Geometry Conflict: Explaining and Controlling Forgetting in LLM Continual Post-Training"
        await pilot.press("S")
        await settle(pilot)
        assert app.screen.sort_mode == "date"
        assert len(titles(app)) == 128


async def test_vim_keys_and_paging_move_the_cursor(seed_library: Library) -> None:
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        table = app.screen.query_one(PaperTable)
        await pilot.press("G")
        assert table.cursor == 127
        await pilot.press("g")
        assert table.cursor == 0
        await pilot.press("ctrl+d")
        assert table.cursor == table.scrollable_content_region.height - 1
        await pilot.press("k")
        assert table.cursor == table.scrollable_content_region.height - 2


async def test_quit(seed_library: Library) -> None:
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_opening_a_person_clears_the_people_filter_and_keeps_them(seed_library: Library) -> None:
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await type_text(pilot, "zzz")
        app.screen.show_person("Enneng Yang")
        await settle(pilot)
        assert app.screen.person is not None and app.screen.person.name == "Enneng Yang"
        assert len(titles(app)) == 5
        assert app.screen.query_one("#people-filter").value == ""


async def test_mouse_click_selects_and_double_click_opens(seed_library: Library) -> None:
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        table = app.screen.query_one(PaperTable)
        await pilot.click(PaperTable, offset=(5, 2))
        assert table.cursor == 2
        await pilot.click(ResearcherList, offset=(3, 3))  # row 3: All papers, Zhenyi, Yequan, Yuanyi
        await settle(pilot)
        assert app.screen.person is not None and app.screen.person.name == "Yuanyi Wang"
        await pilot.click(PaperTable, offset=(5, 1), times=2)
        await pilot.pause()
        assert isinstance(app.screen, AbstractScreen)
        assert app.screen.paper == table.papers[1]


async def test_typing_in_the_researchers_list_filters_it(seed_library: Library) -> None:
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        people = app.screen.query_one(ResearcherList)
        await pilot.press("shift+tab")
        await pilot.press("j")  # still a key of the list: moves to Zhenyi Wang
        assert people.current is not None and people.current.name == "Zhenyi Wang"
        await pilot.press("y", "e", "q")  # not keys of the list: they start the filter
        await settle(pilot)
        assert app.screen.query_one("#people-filter").value == "yeq"
        assert [p.name for p in people.rows] == ["Yequan Wang"]
        await pilot.press("enter", "enter")  # to the list, then open Yequan Wang's papers
        await settle(pilot)
        assert app.screen.person is not None and app.screen.person.name == "Yequan Wang"
        assert len(titles(app)) == 21


async def test_palette_filters_by_a_category(seed_library: Library) -> None:
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await run_palette_command(pilot, "Category: CV")
        assert app.screen.query_one("#search").value == "cat:CV"
        assert len(titles(app)) == 6


async def test_each_paper_opened_full_screen_is_shown_from_its_top_with_the_focus_on_its_text(
    seed_library: Library,
) -> None:
    """One abstract screen serves every paper opened (see AbstractScreen): what the previous paper
    left (the focus in its authors, the text scrolled) is not what the next one shows."""
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        first = titles(app)[0]
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AbstractScreen)
        view = screen.query_one(AbstractView)
        assert view.paper is not None and view.paper.title == first
        await pilot.press("pagedown", "a")  # scrolled down, the focus in the authors
        await settle(pilot)
        assert app.focused is not None and app.focused.id == "abstract-authors" and view.scroll_y > 0
        await pilot.press("enter")  # the first author's papers: the screen closes, the focus still there
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and app.screen.person is not None
        shown = titles(app)[0]
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert view.paper is not None and view.paper.title == shown
        assert app.focused is view and view.scroll_y == 0


async def test_a_paper_chosen_twice_before_its_screen_is_up_opens_once(seed_library: Library) -> None:
    """A triple click sends Selected twice, both before the abstract screen has composed."""
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        for opening in ("the first time", "again"):
            papers = app.screen.query_one(PaperTable)
            papers.post_message(PaperTable.Selected(papers, papers.cursor))
            papers.post_message(PaperTable.Selected(papers, papers.cursor))
            await settle(pilot)
            assert [type(screen).__name__ for screen in app.screen_stack] == ["Screen", "MainScreen", "AbstractScreen"], opening
            await pilot.press("escape")  # one Escape closes it
            await settle(pilot)
            assert isinstance(app.screen, MainScreen), opening


async def test_a_paper_shown_again_in_a_view_starts_at_its_top_at_once(seed_library: Library) -> None:
    """Not after the next refresh (Textual's scroll_home): `j` typed before it scrolled from
    where the previous paper was left."""
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("enter", "pagedown")
        await settle(pilot)
        view = app.screen.query_one(AbstractView)
        assert view.scroll_y > 0
        view.show(seed_library.papers[1])
        assert (view.scroll_y, view.scroll_target_y) == (0, 0)


async def test_text_selected_in_one_paper_is_not_selected_in_the_next(seed_library: Library) -> None:
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        screen.query_one(AbstractView).text_select_all()  # as a drag over the text does
        assert screen.get_selected_text()
        await pilot.press("a", "enter")  # an author's papers: closed without Escape (which clears it)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and screen.get_selected_text() is None


async def test_text_selected_in_the_paper_beside_the_list_is_not_selected_in_the_next(seed_library: Library) -> None:
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        screen = app.screen
        view = screen.query_one(AbstractView)
        view.text_select_all()  # as a drag over the text does
        assert screen.get_selected_text()
        await pilot.press("j")
        await pilot.pause(0.3)  # the pane follows the cursor once it rests
        await settle(pilot)
        assert view.paper is not None and view.paper.title == titles(app)[1]
        assert screen.get_selected_text() is None


async def test_palette_counts_the_papers_of_each_category_in_words(seed_library: Library) -> None:
    from textual.command import CommandList

    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "category: c")
        await pilot.pause(0.3)
        results = app.screen.query_one(CommandList)
        label_and_help = [str(results.get_option_at_index(i).prompt).split("\n") for i in range(results.option_count)]
        shown = {label: help_text for label, help_text in label_and_help}
        assert shown["Category: CV"] == "6 papers"
        assert shown["Category: CR"] == "1 paper"


async def test_the_startup_heap_is_set_aside_while_the_app_runs(seed_library: Library) -> None:
    import gc

    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        assert gc.get_freeze_count() > 10_000  # Textual's and the app's objects: full collections skip them
    assert gc.get_freeze_count() == 0


async def test_the_list_scrolls_to_its_last_row_however_its_length_changed(seed_library: Library) -> None:
    """Lists longer and shorter than the pane, one after the other: the scrollbar shows for the
    longer ones only, and the last row can be reached and is shown."""
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        table = app.screen.query_one(PaperTable)
        for query, count, scrollbar in [("learning", 58, True), ("adamerging", 1, False), ("merging", 15, False),
                                        ("model", 113, True), ("cat:LG", 30, True)]:
            await pilot.press("slash", "ctrl+u", *query, "enter")
            await settle(pilot)
            assert (len(table.papers), bool(thumb_lines(table))) == (count, scrollbar), query
            await pilot.press("G")
            await settle(pilot)
            assert table.cursor == count - 1
            assert table.scroll_offset.y == max(0, count - table.size.height)
            if scrollbar:
                assert thumb_lines(table)[-1] == table.size.height - 1  # the thumb is at the bottom
            shown = table.render_line(count - 1 - table.scroll_offset.y).text
            assert shown.startswith(table.render_row(count - 1, table.size.width).plain[:40]), query


async def test_the_abstract_beside_the_list_catches_up_when_a_dialog_closes(
    seed_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pane follows a cursor moved after a pause once the list is drawn, in a callback Textual
    runs after the refresh of the screen on top, and drops if that screen closes first (a key
    typed right after the move opened a dialog): the pane catches up when the list comes back."""
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = app.screen
        table, view = screen.query_one(PaperTable), screen.query_one(AbstractView)
        monkeypatch.setattr(screen, "call_after_refresh", lambda callback, *args: True)  # dropped
        await pilot.pause(paper_screen.DEBOUNCE_S + 0.05)  # a pause: the pane follows at once
        await pilot.press("j", "question_mark")
        assert isinstance(app.screen, HelpScreen) and not view.shows(table.papers[1].id)
        await pilot.press("escape")
        await settle(pilot)
        assert view.shows(table.papers[1].id) and table.cursor == 1


async def test_the_pane_that_holds_the_focus_is_lit_without_restyling_it_inside(
    seed_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pane holding the focus has its border lit, as the focus moves between panes. A class
    the screen sets, not :focus-within: for that Textual styles the pane and all it holds again
    on every focus change inside it, as `/` and Escape make in the papers pane."""
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = app.screen

        def lit() -> list[str | None]:
            return [pane.id for pane in screen.query("#people-pane, #papers-pane, #abstract") if pane.has_class("-holds-focus")]

        def border(pane_id: str) -> object:
            return screen.query_one(f"#{pane_id}").styles.border_top[1]

        lit_colour, unlit_colour = border("papers-pane"), border("people-pane")
        assert lit() == ["papers-pane"] and lit_colour != unlit_colour
        restyled: list[object] = []
        update_nodes = app.stylesheet.update_nodes
        monkeypatch.setattr(app.stylesheet, "update_nodes", lambda nodes, **kw: restyled.extend(nodes) or update_nodes(nodes, **kw))
        for key in ("slash", "escape"):
            await pilot.press(key)
            assert lit() == ["papers-pane"]
        assert screen.query_one("#papers-pane") not in restyled
        await pilot.press("tab")
        assert lit() == ["abstract"] and (border("abstract"), border("papers-pane")) == (lit_colour, unlit_colour)
        await pilot.press("tab")
        assert lit() == ["people-pane"] and border("people-pane") == lit_colour


def thumb_lines(rows: RowList) -> list[int]:
    """The lines where the list's scrollbar (its last column) shows the thumb: a reversed cell,
    or one of the block glyphs that draw the thumb's ends."""
    lines = []
    for y in range(rows.size.height):
        cell = list(rows.render_line(y))[-1]
        if cell.style is not None and (cell.style.reverse or cell.text.strip()):
            lines.append(y)
    return lines


async def test_the_focus_moves_without_repainting_the_screen(seed_library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    """`/` and Escape do not repaint the whole screen (a frame or two at 100k papers): the list
    draws its cursor row again, unfocused (not bold) in the search box and focused after it."""
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen, table = app.screen, app.screen.query_one(PaperTable)
        asked = refreshes(screen, monkeypatch)
        draw = table._draw
        cursor_rows: list[bool] = []  # whether the cursor row was drawn bold, each time it was drawn

        def recording_draw(row: Row, width: int, *, cursor: bool, paint: object) -> object:
            strip = draw(row, width, cursor=cursor, paint=paint)
            if cursor:
                cursor_rows.append(bool(list(strip)[0].style.bold))
            return strip

        monkeypatch.setattr(table, "_draw", recording_draw)
        await pilot.press("slash")
        await settle(pilot)
        assert cursor_rows[-1:] == [False]
        await pilot.press("escape")
        await settle(pilot)
        assert cursor_rows[-1:] == [True]
        assert [regions for regions, options in asked if options.get("repaint", True) and not regions] == []


class Numbers(RowList):
    """Rows that say their number, and remember which rows were drawn."""

    def __init__(self) -> None:
        super().__init__()
        self.drawn: list[int] = []
        self.label = "row"

    def render_row(self, index: int, width: int) -> Row:
        self.drawn.append(index)
        return Row((f"{self.label} {index}", None))


class NumbersHost(App[None]):
    def compose(self) -> ComposeResult:
        yield Numbers()


async def test_a_list_of_another_length_draws_its_scrollbar_without_a_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    """The list draws its own scrollbar, so a new length never lays the screen out (a frame at
    100k papers, and typing a query keeps changing the length): the thumb is sized for the
    rows, and shows only when they do not all fit."""
    async with NumbersHost().run_test(size=(40, 10)) as pilot:
        rows = pilot.app.query_one(Numbers)
        asked = refreshes(rows, monkeypatch)
        for count, thumb in [(50, [0, 1]), (80, [0, 1]), (5, []), (20, [0, 1, 2, 3, 4]), (12, list(range(9)))]:
            rows.set_row_count(count)
            await pilot.pause()
            assert (rows.virtual_size.height, thumb_lines(rows)) == (count, thumb), count
        assert asked and not any(options.get("layout") for _, options in asked)
        rows.set_row_count(20, cursor=19)
        await pilot.pause()
        assert thumb_lines(rows) == [5, 6, 7, 8, 9]
        assert rows.render_line(9).text.startswith("row 19")


async def test_the_mouse_wheel_scrolls_a_list_longer_than_its_pane() -> None:
    from textual import events

    async with NumbersHost().run_test(size=(40, 10)) as pilot:
        rows = pilot.app.query_one(Numbers)
        for count, scrolled in [(100, True), (5, False)]:
            rows.set_row_count(count)
            await pilot.pause()
            rows.post_message(events.MouseScrollDown(rows, 1, 1, 0, 1, 0, False, False, False))
            await pilot.pause()
            await pilot.wait_for_scheduled_animations()
            assert (rows.scroll_offset.y > 0) is scrolled, count


async def test_the_cursor_row_follows_the_focus_without_being_told_its_styles_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual 8.2.8 calls notify_style_update on every focus change only because of how it
    compares rules; the list does not rely on it: the cursor row follows the focus anyway."""
    async with NumbersHost().run_test(size=(40, 10)) as pilot:
        rows = pilot.app.query_one(Numbers)
        rows.set_row_count(5)
        rows.focus()
        await pilot.pause()
        assert list(rows.render_line(0))[0].style.bold
        monkeypatch.setattr(rows, "notify_style_update", lambda: None)
        rows.blur()
        await pilot.pause()
        assert not list(rows.render_line(0))[0].style.bold
        rows.focus()
        await pilot.pause()
        assert list(rows.render_line(0))[0].style.bold


class AlertNumbersHost(NumbersHost):
    CSS = "Numbers.-alert > .row-list--dim { color: red; }"


async def test_a_list_gives_its_new_styles_as_soon_as_they_change() -> None:
    """Textual updates component styles after telling the list its styles changed: asked for
    one at once, before anything is drawn, the list gives the new one."""
    async with AlertNumbersHost().run_test(size=(40, 10)) as pilot:
        rows = pilot.app.query_one(Numbers)
        rows.set_row_count(3)
        await pilot.pause()
        assert rows.component_style("dim").color.name != "#ff0000"
        rows.add_class("-alert")
        pilot.app.stylesheet.apply(rows)
        assert rows.component_style("dim").color.name == "#ff0000"


class BoxedNumbersHost(NumbersHost):
    CSS = "Numbers { border: round red; padding: 0 1; }"


async def test_a_list_with_a_border_and_padding_is_drawn_with_them() -> None:
    async with BoxedNumbersHost().run_test(size=(20, 5)) as pilot:
        rows = pilot.app.query_one(Numbers)
        rows.set_row_count(3)
        await pilot.pause()
        lines = [line.text for line in rows.render_lines(Region(0, 0, 20, 5))]
        assert lines == ["╭──────────────────╮", "│ row 0            │", "│ row 1            │", "│ row 2            │", "╰──────────────────╯"]


async def test_a_list_draws_each_row_once_until_its_rows_or_styles_change() -> None:
    """Scrolling a line draws the one row that came into view, not a screenful; a change of what
    the rows show (redraw_rows), of the rows (set_row_count) or of the styles (the theme) draws
    them again, so nothing stale stays on screen; the focus going draws only the cursor row."""
    async with NumbersHost().run_test(size=(40, 10)) as pilot:
        rows = pilot.app.query_one(Numbers)
        rows.set_row_count(100)
        rows.focus()
        await pilot.pause()
        assert sorted(rows.drawn) == list(range(10))
        rows.drawn.clear()
        await pilot.press(*["j"] * 10)  # the cursor reaches the bottom row, then the list scrolls a row
        assert rows.scroll_offset.y == 1
        # Row 0 without the cursor, then each row the cursor reached; nothing drawn twice.
        assert rows.drawn == list(range(11))

        rows.drawn.clear()
        rows.label = "line"
        rows.redraw_rows()
        await pilot.pause()
        assert sorted(rows.drawn) == list(range(1, 11))
        assert rows.render_line(0).text.startswith("line 1")

        rows.drawn.clear()
        rows.blur()
        await pilot.pause()
        assert rows.drawn == [10]  # only the cursor row changes when the focus goes: its style

        rows.drawn.clear()
        pilot.app.theme = "textual-light"
        await pilot.pause()
        assert sorted(rows.drawn) == list(range(1, 11))  # every row, in the new colours

        rows.drawn.clear()
        rows.set_row_count(100, cursor=50)
        await pilot.pause()
        assert sorted(rows.drawn) == list(range(45, 55))


async def test_a_query_longer_than_the_search_box_scrolls_to_show_its_end(seed_library: Library) -> None:
    """The search box sizes its text without laying the screen out on each keystroke: a query
    wider than the box still scrolls so that the end being typed is in view."""
    from textual.widgets import Input

    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        query = "author:wang " * 8 + "merging"
        for character in query:
            await pilot.press(character)
        await settle(pilot)
        box = app.screen.query_one("#search", Input)
        assert box.value == query
        assert box.virtual_size.width == len(query) + 1  # the text and the cursor after it
        assert box.scroll_x == len(query) + 1 - box.content_size.width
        assert box.render_line(0).text.rstrip().endswith("wang merging")


async def press_at_once(pilot, *keys: str) -> None:  # type: ignore[no-untyped-def]
    """Keys that reach the app together (a slow link, a busy moment, a paste): all are queued
    before the first is handled, unlike pilot.press, which waits after each."""
    from textual import events

    for key in keys:
        character = {"slash": "/", "space": " "}.get(key, key if len(key) == 1 else None)
        pilot.app.post_message(events.Key(key, character))
    await settle(pilot)


@pytest.mark.parametrize("size", [NARROW, WIDE])
async def test_keys_that_arrive_together_go_where_the_keys_before_them_moved_the_focus(
    seed_library: Library, size: tuple[int, int]
) -> None:
    """Each key goes where `/`, Escape, Enter and Tab before it moved the focus: the letters after
    `/` are typed into the search box, the ones after Escape or Enter are not, and none of them
    acts on a paper (`o`, `n`, `e` would open a link, a note, an export)."""
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = app.screen
        search = screen.query_one("#search")
        table = screen.query_one(PaperTable)
        people = screen.query_one(ResearcherList)
        await press_at_once(pilot, "slash", "m", "o", "escape", "slash", "o", "n", "e")
        assert app.screen is screen
        assert (search.value, screen.focused) == ("one", search)
        await press_at_once(pilot, "enter", "j")
        assert (search.value, screen.focused, table.cursor) == ("one", table, 1)
        await press_at_once(pilot, "escape", "slash", "escape", "j")
        assert (search.value, screen.focused) == ("", table)
        await press_at_once(pilot, "shift+tab", "j", "enter", "x")
        assert (people.cursor, screen.query_one("#people-filter").value, screen.focused) == (1, "", table)


@pytest.mark.parametrize(
    ("keys", "screen_type", "cursor"),
    [
        (("enter", "escape", "j"), MainScreen, 1),  # open a paper full screen, back, move on
        (("j", "enter", "escape", "j", "j"), MainScreen, 3),
        (("question_mark", "escape", "j"), MainScreen, 1),  # help, closed
        (("j", "enter"), AbstractScreen, 1),
    ],
)
async def test_keys_that_arrive_together_across_screens_are_each_handled_once_in_order(
    seed_library: Library, keys: tuple[str, ...], screen_type: type, cursor: int
) -> None:
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await press_at_once(pilot, *keys)
        assert isinstance(app.screen, screen_type)
        assert app.screen_stack[1].query_one(PaperTable).cursor == cursor


async def test_the_papers_pane_redraws_only_its_border_lines_for_new_titles(
    seed_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its titles (who, the count) change with every keystroke: the border lines they sit on are
    drawn again, not the pane and all it holds."""
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        pane = app.screen.query_one("#papers-pane")
        await pilot.press("slash")
        await settle(pilot)
        asked = refreshes(pane, monkeypatch)
        await type_text(pilot, "adamerging")
        (left, top), (width, height) = pane.content_offset, pane.outer_size
        border_lines = (Region(-left, -top, width, 1), Region(-left, height - 1 - top, width, 1))
        assert asked and all(regions == border_lines for regions, _ in asked)
        lines = [strip.text for strip in pane.render_lines(Region(0, 0, width, height))]
        assert lines[0].startswith("╭─ Search · All papers ─")
        assert lines[-1].endswith("─ 1 match · sort: relevance · in: whole library ─╯")


class StyledRows(RowList):
    """Rows of the given pieces, for comparing the list's drawing with Rich's."""

    def __init__(self) -> None:
        super().__init__()
        self.pieces: list[Piece] = []

    def render_row(self, index: int, width: int) -> Row:
        return Row(*self.pieces)


class StyledRowsHost(App[None]):
    def compose(self) -> ComposeResult:
        yield StyledRows()


class Shouting(LineFilter):
    """A filter that changes the text, not only styles: it cannot be applied once per style."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [Segment(text.upper(), style, control) for text, style, control in segments]


class FilteredRowsHost(StyledRowsHost):
    """The app's own line filters and then `extra` (as TEXTUAL_FILTERS or NO_COLOR add them)."""

    def __init__(self, extra: list[LineFilter]) -> None:
        super().__init__()
        self.extra = extra

    def get_line_filters(self) -> list[LineFilter]:
        return [*super().get_line_filters(), *self.extra]


@pytest.mark.parametrize(
    "extra",
    [[], [DimFilter()], [Monochrome()], [NoColor()], [Shouting()], [DimFilter(), Shouting()]],
    ids=["truecolor", "dim", "monochrome", "no-color", "text-filter", "dim-and-text-filter"],
)
async def test_a_plain_list_draws_the_lines_textual_would_without_its_styles_cache(extra: list[LineFilter]) -> None:
    """A list with no border, padding or tint skips the styles cache's work per line, and draws
    its rows in the styles the app's filters make (once per style, not per segment): what it
    draws is what the styles cache draws, whole or cropped, with any filters, after a theme
    change (the ANSI colours change with it) and after the ANSI colours are kept as they are."""
    async with FilteredRowsHost(extra).run_test(size=(40, 10)) as pilot:
        app, rows = pilot.app, pilot.app.query_one(StyledRows)
        # An ANSI colour the app's filter makes truecolor, and a dim one that it or the dim
        # filter blends (not an ANSI one: Textual's dim filter fails on those).
        rows.pieces = [("a row in ", None), ("green", Style(color="green")), (" dim", Style(color="#cc3333", dim=True))]
        rows.set_row_count(50, cursor=3)
        for change in [lambda: None, lambda: setattr(app, "theme", "textual-light"), lambda: setattr(app, "ansi_color", True)]:
            change()
            await pilot.pause()
            for crop in [Region(0, 0, 40, 10), Region(5, 2, 20, 5)]:
                drawn = rows.render_lines(crop)
                textual = Widget.render_lines(rows, crop)
                assert [list(Segment.simplify(line)) for line in drawn] == [list(Segment.simplify(line)) for line in textual]
        assert ("GREEN" in rows.render_lines(Region(0, 0, 40, 1))[0].text) is any(isinstance(f, Shouting) for f in extra)


async def test_a_row_is_drawn_as_rich_draws_a_text_of_its_pieces() -> None:
    """The list draws a row's pieces itself (building and drawing Rich Texts took about half a
    frame at 200x60): each piece over the list's style, a long row cut as Text.truncate cuts it."""
    from textual.strip import Strip

    red, bold = Style(color="red"), Style(bold=True)
    width = 39  # the list's 40 columns, less its scrollbar's
    cases = [
        [("plain", None)],
        [("2024 ", Style(dim=True)), ("LG ", bold), ("title ", None), ("end", Style(italic=True) + red)],
        [("wide 漢字 text", Style(reverse=True))],
        [("far too long for the list: it is cut with ", None), ("an ellipsis at the end", bold)],
        [("x" * (width - 1), None), ("AB", red)],  # the ellipsis takes the style of what it replaces
        [("x" * (width - 2), bold), ("漢字", red)],  # a wide character across the edge becomes a space
        [("x" * width, None), ("", red)],  # exactly as wide: nothing cut
        # A piece that starts with a joiner or a combining mark (where a search highlight ends)
        # is measured and cut with the character before it.
        [("x" * 37, None), ("\u200d\u200d中", red), ("y", None)],
        [("x" * 37, None), ("\u0301abc", bold)],
        [],
    ]
    async with StyledRowsHost().run_test(size=(width + 1, 3)) as pilot:
        rows = pilot.app.query_one(StyledRows)
        rows.set_row_count(1)
        rows.cursor = 0
        for pieces in cases:
            rows.pieces = pieces
            rows.redraw_rows()
            await pilot.pause()
            cursor = rows.rich_style + rows.get_component_rich_style("row-list--cursor")
            text = Text.assemble(*pieces)
            text.truncate(width, overflow="ellipsis")
            rich = Strip(Segment.apply_style(list(text.render(pilot.app.console)), cursor), text.cell_len)
            expected = rich.extend_cell_length(width, cursor)
            drawn = rows.render_line(0).crop(0, width)
            assert list(Segment.simplify(drawn)) == list(Segment.simplify(expected)), text.plain


# Narrow letters (ASCII, Latin-1, the lists' markers), wide ones, and what changes the width of
# the character before it (joiner, variation selector, combining mark).
ROW_CHARACTERS = "ab é★✎•…≈漢字\u200d\ufe0f\u0301☺"


@settings(max_examples=400, deadline=None)
@given(
    pieces=st.lists(st.text(alphabet=ROW_CHARACTERS, max_size=12), max_size=5),
    width=st.integers(min_value=1, max_value=30),
)
def test_a_row_is_measured_and_cut_as_rich_measures_and_cuts_a_text(pieces: list[str], width: int) -> None:
    """A row of narrow characters only is measured by its length (Rich measures each character);
    any row measures and cuts exactly as Rich's Text does."""
    row = Row(*((text, None) for text in pieces))
    text = Text("".join(pieces))
    assert row.cell_len == text.cell_len
    text.truncate(width, overflow="ellipsis")
    row.truncate(width)
    assert (row.plain, row.cell_len) == (text.plain, text.cell_len)


def test_a_row_is_padded_and_cut_to_a_width() -> None:
    dim = Style(dim=True)
    padded = Row(("ab", dim)).truncate(5, pad=True)
    assert (padded.pieces, padded.cell_len) == ([("ab", dim), ("   ", None)], 5)
    cut = Row(("abc", dim), ("漢字", None)).truncate(5, pad=True)
    assert (cut.pieces, cut.cell_len) == ([("abc", dim), (" ", None), ("…", None)], 5)
    assert Row(("☺", None), ("\ufe0f", None)).cell_len == 2  # measured whole, as drawn
    assert Row(("\x1b[31m", None)).pieces == []  # nothing left: no empty piece
    hostile = Row(("bell\x07 \x1b[31mred\x1b]0;title\x07 tab\there\nline \u202eabc\x9b1m", None))
    assert (hostile.plain, hostile.cell_len) == ("bell red tab here line abc", 26)


async def test_a_paste_waits_its_turn_among_the_keys(seed_library: Library) -> None:
    from textual import events

    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        search = app.screen.query_one("#search")
        for event in (events.Key("slash", "/"), *(events.Key(c, c) for c in "abc"), events.Paste("XY")):
            app.post_message(event)
        await settle(pilot)
        assert (search.value, app.screen.focused) == ("abcXY", search)


async def test_a_key_that_comes_while_the_app_is_busy_still_waits_for_the_one_before(
    seed_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Enter in the search box keeps the app busy for over a second; a `j` that arrives
    meanwhile moves the list it sends the focus to, not into the box."""
    import threading
    import time

    from textual import events
    from textual.widgets import Input

    submit = Input.action_submit

    async def slow_submit(self: Input) -> None:
        time.sleep(1.2)
        await submit(self)

    monkeypatch.setattr(Input, "action_submit", slow_submit)
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await press_at_once(pilot, "slash", "o", "n", "e")
        threading.Timer(0.3, app.post_message, [events.Key("j", "j")]).start()
        await press_at_once(pilot, "enter")
        await pilot.pause(0.5)
        await settle(pilot)
        table = app.screen.query_one(PaperTable)
        assert (app.screen.query_one("#search").value, app.screen.focused, table.cursor) == ("one", table, 1)


async def test_many_keys_a_priority_binding_takes_are_handled_in_turn(seed_library: Library) -> None:
    """More held keys than Python's recursion limit, each taken by a priority binding (`/`)."""
    import sys

    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await press_at_once(pilot, "j", *["slash"] * (sys.getrecursionlimit() + 100))
        assert app.screen.query_one("#search").value == "/" * (sys.getrecursionlimit() + 99)


async def test_a_list_squeezed_to_its_scrollbar_draws_lines_of_that_width() -> None:
    async with StyledRowsHost().run_test(size=(1, 3)) as pilot:
        rows = pilot.app.query_one(StyledRows)
        rows.pieces = [("a row with no room", None)]
        rows.set_row_count(1)
        await pilot.pause()
        line = rows.render_line(0)
        assert (line.cell_length, line.text) == (1, " ")


async def test_letters_that_arrive_together_in_the_researchers_start_its_filter_in_order(seed_library: Library) -> None:
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await press_at_once(pilot, "shift+tab", "z", "h", "e", "n")
        people_filter = app.screen.query_one("#people-filter")
        assert (people_filter.value, app.screen.focused) == ("zhen", people_filter)
        assert [row.name for row in app.screen.query_one(ResearcherList).rows if row is not None] == ["Zhenyi Wang", "Yujia Zheng"]
