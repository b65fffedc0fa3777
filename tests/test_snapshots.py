"""Layout at 80x24 and 160x48, compared with stored SVG snapshots (`--snapshot-update` to accept).

Keys are pressed in `run_before`, which then waits for every worker (searches, similar papers),
so a snapshot never depends on how fast a thread finished."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from conftest import settle

from store.library import Library
from tui.app import PaperscopeApp


def pressing(*keys: str) -> Callable[..., Awaitable[None]]:
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


def test_main_screen_80x24(snap_compare, seed_library: Library) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(PaperscopeApp(seed_library, animate=False), terminal_size=(80, 24), run_before=pressing())


def test_search_80x24(snap_compare, seed_library: Library) -> None:  # type: ignore[no-untyped-def]
    app = PaperscopeApp(seed_library, animate=False)
    assert snap_compare(app, terminal_size=(80, 24), run_before=pressing("slash", *"merging", "enter"))


def test_abstract_full_screen_80x24(snap_compare, seed_library: Library) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(PaperscopeApp(seed_library, animate=False), terminal_size=(80, 24), run_before=pressing("enter"))


def test_main_screen_160x48(snap_compare, seed_library: Library) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(PaperscopeApp(seed_library, animate=False), terminal_size=(160, 48), run_before=pressing())


def test_researcher_and_search_160x48(snap_compare, seed_library: Library) -> None:  # type: ignore[no-untyped-def]
    app = PaperscopeApp(seed_library, animate=False)
    keys = ("shift+tab", "j", "j", "enter", "slash", *"forget", "enter", "j")
    assert snap_compare(app, terminal_size=(160, 48), run_before=pressing(*keys))


def test_researcher_profile_80x24(snap_compare, seed_library: Library) -> None:  # type: ignore[no-untyped-def]
    """The profile `i` opens (pushed directly: a dialog still open when the snapshot app exits
    would keep the worker that waits on it)."""
    from tui.screens.researcher import ResearcherScreen

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        person = seed_library.person("Yuanyi Wang")
        await pilot.app.push_screen(ResearcherScreen(seed_library.summary(person), new_count=3))
        await settle(pilot)

    assert snap_compare(PaperscopeApp(seed_library, animate=False), terminal_size=(80, 24), run_before=run_before)


def test_help_160x48(snap_compare, seed_library: Library) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(PaperscopeApp(seed_library, animate=False), terminal_size=(160, 48), run_before=pressing("question_mark"))
