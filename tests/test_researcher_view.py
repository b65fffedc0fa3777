"""The researcher header and the researcher screen, on the seeds, driven through Pilot."""

from __future__ import annotations

from conftest import ScreenHost
from textual.app import App, ComposeResult

from store.library import Library
from tui.screens.researcher import Bars, CollaboratorList, ProfileView, ResearcherScreen
from tui.widgets.researcher_header import ResearcherHeader

NARROW = (80, 24)
WIDE = (160, 48)


class HeaderHost(App[None]):
    """Nothing but the header, as wide as the terminal."""

    def __init__(self, header_args: tuple) -> None:  # type: ignore[type-arg]
        super().__init__()
        self.header_args = header_args

    def compose(self) -> ComposeResult:
        yield ResearcherHeader()

    def on_mount(self) -> None:
        self.query_one(ResearcherHeader).show(*self.header_args)


def shown_lines(widget) -> list[str]:  # type: ignore[no-untyped-def]
    return [widget.render_line(y).text.rstrip() for y in range(widget.size.height)]


async def header_lines(library: Library, name: str, width: int, new_count: int = 0) -> list[str]:
    app = HeaderHost((library.summary(library.person(name)), new_count))
    async with app.run_test(size=(width, 6)) as pilot:
        await pilot.pause()
        return shown_lines(app.query_one(ResearcherHeader))


def screen_for(library: Library, name: str, new_count: int = 0) -> ScreenHost:
    return ScreenHost(ResearcherScreen(library.summary(library.person(name)), new_count))


# --- the header -------------------------------------------------------------------------------


async def test_header_zhenyi_wang_fits_every_category_in_80_columns(seed_library: Library) -> None:
    line = "▁▁▃▃▃█▅▇▆ 2018–2026   LG 23 · CV 6 · CL 2 · SP 2 · AI 1 · CR 1 · IR 1 · SI 1"
    assert await header_lines(seed_library, "Zhenyi Wang", 80) == [line]
    assert await header_lines(seed_library, "Zhenyi Wang", 160) == [line]


async def test_header_narrower_drops_the_lesser_categories_rather_than_wrap(seed_library: Library) -> None:
    assert await header_lines(seed_library, "Zhenyi Wang", 50) == ["▁▁▃▃▃█▅▇▆ 2018–2026   LG 23 · CV 6 · CL 2 · SP 2"]


async def test_header_yuanyi_wang_with_figures_and_new_papers(seed_library: Library) -> None:
    assert await header_lines(seed_library, "Yuanyi Wang", 80, new_count=3) == [
        "h-index 33 · citations 40 · novelty 62% · AI score 56   ▃▃█ 2024–2026",
        "LG 7 · AI 2 · CL 2 · IR 2 · DB 1   • 3 new since last visit",
    ]
    assert await header_lines(seed_library, "Yuanyi Wang", 160, new_count=3) == [
        "h-index 33 · citations 40 · novelty 62% · AI score 56   ▃▃█ 2024–2026   "
        "LG 7 · AI 2 · CL 2 · IR 2 · DB 1   • 3 new since last visit",
    ]
    assert await header_lines(seed_library, "Yuanyi Wang", 46, new_count=3) == [
        "h-index 33 · citations 40   ▃▃█ 2024–2026",
        "LG 7 · AI 2 · CL 2   • 3 new since last visit",
    ]


async def test_header_leads_with_trust_and_says_nothing_new_when_nothing_is(seed_library: Library) -> None:
    assert await header_lines(seed_library, "Wenjun Wang", 80) == [
        "trust 21 · Emerging · verification L1   ▃█   █ 2021–2026   LG 2 · CL 1",
    ]


async def test_header_of_a_collection_counts_its_undated_papers(seed_library: Library) -> None:
    assert await header_lines(seed_library, "Daily Papers", 80) == ["▁   ▁▁▂█▆█▁ 2016–2026 · 2 undated"]


async def test_header_is_hidden_for_all_papers(seed_library: Library) -> None:
    app = HeaderHost((None,))
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        assert not app.query_one(ResearcherHeader).display


# --- the screen -------------------------------------------------------------------------------


async def test_collaborators_ranked_by_shared_papers_and_focused(seed_library: Library) -> None:
    app = screen_for(seed_library, "Yuanyi Wang")
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        collaborators = app.screen.query_one(CollaboratorList)
        assert app.screen.focused is collaborators
        assert [(c.name, c.shared) for c in collaborators.collaborators[:2]] == [("Yanggan Gu", 7), ("Haifeng Sun", 3)]
        assert shown_lines(collaborators)[:2] == ["Yanggan Gu     7 ████████████", "Haifeng Sun    3 █████"]
        assert app.screen.query_one("#researcher-collaborators").border_title == "Collaborators · 16"


async def test_enter_on_a_collaborator_dismisses_with_their_name(seed_library: Library) -> None:
    app = screen_for(seed_library, "Yuanyi Wang")
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.results == ["Haifeng Sun"]
        assert not isinstance(app.screen, ResearcherScreen)


async def test_j_and_k_move_in_the_list(seed_library: Library) -> None:
    app = screen_for(seed_library, "Yuanyi Wang")
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("j", "j", "j", "k", "enter")
        await pilot.pause()
        assert app.results == ["Su Lu"]


async def test_escape_and_backspace_dismiss_with_none(seed_library: Library) -> None:
    for key in ("escape", "backspace"):
        app = screen_for(seed_library, "Yuanyi Wang")
        async with app.run_test(size=NARROW) as pilot:
            await pilot.pause()
            await pilot.press(key)
            await pilot.pause()
            assert app.results == [None]


async def test_profile_shows_every_figure_years_and_categories(seed_library: Library) -> None:
    app = screen_for(seed_library, "Yuanyi Wang", new_count=3)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.query_one(ProfileView).border_title == "Yuanyi Wang"
        overview = str(screen.query_one("#researcher-overview").render())
        assert overview == "profile · 14 papers · 16 collaborators · 3 new since last visit"
        figures = shown_lines(screen.query_one("#researcher-figures"))
        assert figures[0] == "Profile figures"
        assert figures[1:] == ["primary category  LG", "h-index           33", "papers            14",
                               "citations         40", "novelty %         62", "AI score          56"]
        assert screen.query_one("#researcher-years", Bars).rows == [("2024", 3), ("2025", 3), ("2026", 8)]
        categories = screen.query_one("#researcher-categories", Bars)
        assert categories.rows == [("LG", 7), ("AI", 2), ("CL", 2), ("IR", 2), ("DB", 1)]
        assert shown_lines(categories)[1].startswith("LG ████")


async def test_a_collection_says_it_has_no_collaborators(seed_library: Library) -> None:
    app = screen_for(seed_library, "Daily Papers")
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        screen = app.screen
        assert not screen.query(CollaboratorList)
        assert str(screen.query_one("#researcher-overview").render()) == (
            "collection · 52 papers · a collection has no collaborators"
        )
        assert screen.focused is screen.query_one(ProfileView)
        years = screen.query_one("#researcher-years", Bars).rows
        assert years[:3] == [("2016", 1), ("2017", 0), ("2018", 0)]  # gaps included
        assert years[-1] == ("undated", 2)


async def test_long_text_figures_read_as_a_paragraph(seed_library: Library) -> None:
    app = screen_for(seed_library, "Wenjun Wang")
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        prose = str(app.screen.query_one("#researcher-prose").render())
        assert prose == "bio  Wenjun Wang contributes to research discovery and scholarly infrastructure."


async def test_wide_puts_the_collaborators_beside_the_profile(seed_library: Library) -> None:
    app = screen_for(seed_library, "Zhenyi Wang")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        profile = app.screen.query_one(ProfileView).region
        collaborators = app.screen.query_one("#researcher-collaborators").region
        assert collaborators.x >= profile.right
        assert collaborators.height == profile.height == 47
