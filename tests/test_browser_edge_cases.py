"""The browser on awkward libraries: empty, one paper, missing fields, huge titles, endless words,
wide CJK and emoji, right-to-left text. Nothing crashes and nothing is drawn outside its pane."""

from __future__ import annotations

from pathlib import Path

from conftest import CAPTURED, make_paper, settle, titles
from rich.cells import cell_len
from textual.widget import Widget
from textual.widgets import Input

from store.library import Library
from tui.app import PaperscopeApp
from tui.screens.abstract import AbstractScreen
from tui.screens.main import MainScreen
from tui.widgets.abstract_view import AbstractView
from tui.widgets.paper_table import PaperTable
from tui.widgets.researcher_list import ResearcherList
from tui.widgets.row_list import RowList

NARROW = (80, 24)
WIDE = (160, 48)

LONG_TITLE = ("Towards " + " ".join(["Extremely Long Titles That Never Seem To End"] * 44))[:2000]
WORD = "Supercalifragilistic" * 25  # 500 characters, no space to break at
CJK_TITLE = "大规模语言模型的持续学习：一个全面的综述与展望 🚀🤖🧪"
CJK_ABSTRACT = "摘要：我们研究了大规模语言模型中的灾难性遗忘问题，并提出了一种新的方法。😀 表情符号和全角字符ＡＢＣ。"
RTL_TITLE = "למידה עמוקה של שפה טבעית مقدمة في التعلم العميق"
BARE_TITLE = "No Abstract, No Authors, No Date"

EDGE_FEED = f"""Daily Papers

byAK and the research community

Nov 20

Plain Paper With Everything

An ordinary abstract.

  \u2022 3 authors
\u00b7
Nov 19, 2026 4

{LONG_TITLE}

The title above is two thousand characters long.

  \u2022 2 authors
\u00b7
Nov 18, 2026

A {WORD} Word

An abstract with the word {WORD} in it, twice: {WORD}.

\u00b7
Nov 17, 2026 1

{CJK_TITLE}

{CJK_ABSTRACT}

  \u2022 12 authors
\u00b7
Nov 16, 2026 99

{RTL_TITLE}

\u202bתקציר בעברית\u202c ومقتطف بالعربية mixed with English words.

\u00b7

{BARE_TITLE}
"""
EDGE_TITLES = [  # newest first; the two undated papers last
    "Plain Paper With Everything", LONG_TITLE, f"A {WORD} Word", CJK_TITLE, BARE_TITLE, RTL_TITLE,
]

ONE_PAPER = """Daily Papers

byAK and the research community

Nov 20

The Only Paper

Alone in the store.

  \u2022 1 author
\u00b7
Nov 19, 2026 2
"""


def library_of(tmp_path: Path, page: str | None) -> Library:
    library = Library.open(tmp_path / "store.json", seed_if_empty=False)
    if page is not None:
        path = tmp_path / "feed.txt"
        path.write_text(page, encoding="utf-8")
        (result,) = library.ingest([path], captured=CAPTURED)
        assert result.outcome == "added", result
    return library


def cells(strip) -> list[str]:  # type: ignore[no-untyped-def]
    """One entry per terminal cell: the character, or "" for the second half of a wide one."""
    out: list[str] = []
    for segment in strip:
        for char in segment.text:
            width = cell_len(char)
            if width:
                out.append(char)
                out.extend([""] * (width - 1))
            elif out:
                out[-1] += char  # a combining mark or joiner stays with its base
    return out


def screen_cells(app: PaperscopeApp) -> list[list[str]]:
    return [cells(strip) for strip in app.screen._compositor.render_strips()]


def screen_text(app: PaperscopeApp) -> str:
    return "\n".join("".join(row) for row in screen_cells(app))


def assert_rows_fit(widget: RowList) -> None:
    """Every line the list renders is exactly as wide as its content area."""
    width = widget.scrollable_content_region.width
    assert width > 0
    for y in range(widget.scrollable_content_region.height):
        strip = widget.render_line(y)
        assert strip.cell_length == width, (y, strip.text)
        assert cell_len(strip.text) == width, (y, strip.text)


def assert_inside_panes(app: PaperscopeApp, *panes: Widget) -> None:
    """The screen is exactly as wide as the terminal on every line, and each pane's frame stands
    where its region says: corners at the corners, side bars on every line between."""
    rows = screen_cells(app)
    width, height = app.size
    assert len(rows) == height
    for y, row in enumerate(rows):
        assert len(row) == width, (y, "".join(row))
    for pane in panes:
        region = pane.region
        left, right, top, bottom = region.x, region.right - 1, region.y, region.bottom - 1
        assert (rows[top][left], rows[top][right]) == ("╭", "╮"), (pane.id, "".join(rows[top]))
        assert (rows[bottom][left], rows[bottom][right]) == ("╰", "╯"), (pane.id, "".join(rows[bottom]))
        for y in range(top + 1, bottom):
            assert (rows[y][left], rows[y][right]) == ("│", "│"), (pane.id, y, "".join(rows[y]))


def main_panes(app: PaperscopeApp) -> list[Widget]:
    screen = app.screen
    panes = [screen.query_one("#people-pane"), screen.query_one("#papers-pane")]
    if screen.is_wide:
        panes.append(screen.query_one("#abstract"))
    return panes


def assert_main_screen_sound(app: PaperscopeApp) -> None:
    assert isinstance(app.screen, MainScreen)
    assert_rows_fit(app.screen.query_one(PaperTable))
    assert_rows_fit(app.screen.query_one(ResearcherList))
    assert_inside_panes(app, *main_panes(app))


# --- an empty store -------------------------------------------------------------------------------


async def test_empty_store(tmp_path: Path) -> None:
    library = library_of(tmp_path, None)
    assert library.papers == () and library.people == ()
    app = PaperscopeApp(library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        table = app.screen.query_one(PaperTable)
        assert table.papers == [] and table.row_count == 0 and table.current is None
        assert table.render_line(0).text.rstrip() == "No papers."
        assert all(table.render_line(y).text.strip() == "" for y in range(1, table.size.height))
        assert app.screen.query_one("#papers-pane").border_subtitle == "0 papers · sort: date"
        people = app.screen.query_one(ResearcherList)
        assert people.rows == [None]
        assert people.render_line(0).text.split() == ["◆", "All", "papers", "0"]
        assert_main_screen_sound(app)

        await pilot.press("enter", "j", "k", "G", "g", "ctrl+d", "ctrl+u", "S", "tab", "enter", "tab")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)  # Enter on nothing opens nothing
        assert app.screen.sort_mode == "title"
        await pilot.press("slash", "x")
        await settle(pilot)
        assert table.empty_message == "No papers match “x”."
        assert table.render_line(0).text.rstrip() == "No papers match “x”."
        assert app.screen.query_one("#papers-pane").border_subtitle == "0 matches · sort: title · in: whole library"  # a chosen sort stays
        await pilot.press("enter", "enter", "escape", "escape")
        await settle(pilot)
        await pilot.press("f", "z", "enter")
        await settle(pilot)
        assert people.rows == []
        assert people.render_line(0).text.rstrip() == "No one matches."

        await pilot.resize_terminal(*WIDE)
        await settle(pilot)
        assert app.screen.query_one(AbstractView).display
        assert "No paper selected." in screen_text(app)
        assert_main_screen_sound(app)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


# --- a store of one paper -------------------------------------------------------------------------


async def test_store_of_one_paper(tmp_path: Path) -> None:
    app = PaperscopeApp(library_of(tmp_path, ONE_PAPER), animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        table = app.screen.query_one(PaperTable)
        assert titles(app) == ["The Only Paper"]
        assert app.screen.query_one("#papers-pane").border_subtitle == "1 paper · sort: date"
        assert table.render_line(0).text.split() == ["2026", "The", "Only", "Paper"]
        assert table.render_line(1).text.strip() == ""
        for key in ("j", "G", "ctrl+d", "k", "pageup"):
            await pilot.press(key)
            assert table.cursor == 0
        assert_main_screen_sound(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AbstractScreen)
        assert app.screen.paper.title == "The Only Paper"
        await pilot.press("a", "j", "G", "escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        await pilot.press("shift+tab", "j", "enter")  # the collection, then back into its papers
        await settle(pilot)
        assert app.screen.person is not None and app.screen.person.name == "Daily Papers"
        assert titles(app) == ["The Only Paper"]
        assert_main_screen_sound(app)


# --- awkward papers ----------------------------------------------------------------------------


async def test_awkward_papers_narrow(tmp_path: Path) -> None:
    library = library_of(tmp_path, EDGE_FEED)
    assert [p.title for p in library.papers] == EDGE_TITLES
    bare = library.papers[4]
    assert (bare.abstract, bare.authors, bare.author_count, bare.date) == ("", (), None, None)
    assert "\u202b" not in library.papers[5].abstract  # the embedding is gone, the Hebrew stays
    app = PaperscopeApp(library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        table = app.screen.query_one(PaperTable)
        assert titles(app) == EDGE_TITLES
        rows = [table.render_line(y).text for y in range(len(EDGE_TITLES))]
        assert rows[1].rstrip().endswith("Towards Extremely Long Titles T…")
        assert rows[2].rstrip().endswith("A SupercalifragilisticSupercali…")
        assert "大规模语言模型的持续学习" in rows[3]
        assert rows[4].split() == ["----", "No", "Abstract,", "No", "Authors,", "No", "Date"]
        assert "למידה עמוקה" in rows[5]
        assert_main_screen_sound(app)

        for index, title in enumerate(EDGE_TITLES):
            assert table.cursor == index
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, AbstractScreen)
            assert app.screen.paper.title == title
            view = app.screen.query_one(AbstractView)
            assert_inside_panes(app, view)
            if title == BARE_TITLE:
                shown = screen_text(app)
                assert "(no abstract on the page)" in shown
                assert "Authors     not given" in shown
                assert "Date        -" in shown
            await pilot.press("G")
            await pilot.pause()
            assert app.is_running
            assert_inside_panes(app, view)
            if title == LONG_TITLE:  # taller than the screen: it scrolls
                assert view.max_scroll_y > 0 and view.scroll_y == view.max_scroll_y
            await pilot.press("g", "a")
            await pilot.pause()
            assert app.is_running and view.scroll_y == 0
            assert_inside_panes(app, view)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, MainScreen)
            await pilot.press("j")
            await settle(pilot)
            assert_main_screen_sound(app)

        search = app.screen.query_one("#search", Input)
        search.value = "持续学习"
        await settle(pilot)
        assert titles(app)[0] == CJK_TITLE
        assert_main_screen_sound(app)
        search.value = WORD[:60]
        await settle(pilot)
        assert titles(app)[0] == f"A {WORD} Word"
        assert_main_screen_sound(app)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_awkward_papers_wide(tmp_path: Path) -> None:
    app = PaperscopeApp(library_of(tmp_path, EDGE_FEED), animate=False)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        view = app.screen.query_one(AbstractView)
        for title in EDGE_TITLES:  # the abstract follows the cursor
            assert view.paper is not None and view.paper.title == title
            assert_main_screen_sound(app)
            if title == LONG_TITLE:  # into the abstract beside the list, to its end, and back
                await pilot.press("enter", "G")
                await pilot.pause()
                assert app.screen.focused is view and view.scroll_y == view.max_scroll_y
                assert_main_screen_sound(app)
                await pilot.press("escape")
            await pilot.press("j")
            await settle(pilot)
        for size in ((120, 30), (100, 20), (60, 15), (160, 48)):
            await pilot.resize_terminal(*size)
            await settle(pilot)
            assert_main_screen_sound(app)
        assert app.is_running


def test_the_first_author_column_names_or_counts_the_authors() -> None:
    from tui.widgets.paper_table import first_authors

    assert [first_authors(make_paper(**fields)) for fields in [
        {"authors": ("Zhenyi Wang", "Li Shen")}, {"authors": ("Zhenyi Wang",)},
        {"authors": ("Zhenyi Wang",), "authors_complete": False}, {"author_count": 1}, {"author_count": 7}, {},
    ]] == ["Wang et al.", "Wang", "Wang et al.", "1 author", "7 authors", ""]


# --- awkward people -------------------------------------------------------------------------------

LONG_NAME = "Bartholomew " + "Wolfeschlegelsteinhausenbergerdorff" * 3
PEOPLE_PAGE = f"""王小明 🚀

LG
h-index33
2papers
40citations

82.5LGMay 28
交叉注意力的研究：宽字符标题
王小明, {LONG_NAME}, אברהם כהן, José Ñúñez
一个摘要。

60.1CVMay 20, 2025
A Paper With One Author
王小明
An abstract.
"""


async def test_awkward_people(tmp_path: Path) -> None:
    library = Library.open(tmp_path / "store.json", seed_if_empty=False)
    path = tmp_path / "profile.txt"
    path.write_text(PEOPLE_PAGE, encoding="utf-8")
    (result,) = library.ingest([path], captured=CAPTURED)
    assert (result.outcome, result.format, result.papers) == ("added", "metrics_profile", 2)
    names = [p.name for p in library.people]
    assert names == ["王小明 🚀", LONG_NAME, "José Ñúñez", "אברהם כהן"]
    app = PaperscopeApp(library, animate=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        people = app.screen.query_one(ResearcherList)
        rows = [people.render_line(y).text.rstrip() for y in range(len(names) + 1)]
        assert rows[1].startswith("● 王小明 🚀") and rows[1].endswith(" 2")
        assert rows[2].startswith("  Bartholomew Wolf") and rows[2].endswith("… 1")
        assert rows[3].startswith("  José Ñúñez") and rows[3].endswith(" 1")
        assert "אברהם כהן" in rows[4]
        assert_main_screen_sound(app)
        await pilot.press("shift+tab", *["j"] * len(names))
        await settle(pilot)
        assert app.screen.person is not None and app.screen.person.name == "אברהם כהן"
        assert titles(app) == ["交叉注意力的研究：宽字符标题"]
        assert_main_screen_sound(app)
        await pilot.resize_terminal(*WIDE)
        await pilot.press("k", "k")
        await settle(pilot)
        assert app.screen.person is not None and app.screen.person.name == LONG_NAME
        assert_main_screen_sound(app)
