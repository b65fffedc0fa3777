"""The keys line: what each focus lets the keys do, redrawn without laying out the screen."""

from __future__ import annotations

import pytest
from conftest import refreshes, settle

from store.library import Library
from tui.app import PaperscopeApp
from tui.screens.help import HelpScreen
from tui.widgets.key_bar import KeyBar

PALETTE = "▏ ^p Commands "


def shown(bar: KeyBar) -> str:
    return bar.render_line(0).text


async def test_the_keys_follow_the_focus_without_a_layout(
    seed_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(KeyBar)
        keys = " ⏎ Open  s Star  n Note  e Export  / Search  q Quit  ? Help "
        assert shown(bar) == keys + " " * (80 - len(keys) - len(PALETTE)) + PALETTE

        asked = refreshes(bar, monkeypatch)
        await pilot.press("slash")  # letters now go into the search box, not to the paper keys
        await settle(pilot)
        assert shown(bar) == " / Search " + " " * (80 - 10 - len(PALETTE)) + PALETTE
        await pilot.press("escape", "shift+tab")  # the researchers: letters start their filter
        await settle(pilot)
        keys = " ⏎ Open  / Search  q Quit  ? Help "
        assert shown(bar) == keys + " " * (80 - len(keys) - len(PALETTE)) + PALETTE
        assert asked and not any(options.get("layout") for _, options in asked)
        assert bar is app.screen.query_one(KeyBar)  # the same widget, drawn again


async def test_the_palette_key_gives_way_to_the_others_when_narrow(seed_library: Library) -> None:
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=(60, 24)) as pilot:
        await settle(pilot)
        assert shown(app.screen.query_one(KeyBar)).rstrip() == " ⏎ Open  s Star  n Note  e Export  / Search  q Quit  ? Help"


async def test_a_click_on_a_key_presses_it(seed_library: Library) -> None:
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(KeyBar)
        await pilot.click(KeyBar, offset=(shown(bar).index("? Help") + 2, 0))
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
