"""Layout at 80x24 and 160x48, compared with stored SVG snapshots (`--snapshot-update` to accept)."""

from __future__ import annotations

from store.library import Library
from tui.app import PaperscopeApp


def test_main_screen_80x24(snap_compare, seed_library: Library) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(PaperscopeApp(seed_library, animate=False), terminal_size=(80, 24))


def test_search_80x24(snap_compare, seed_library: Library) -> None:  # type: ignore[no-untyped-def]
    app = PaperscopeApp(seed_library, animate=False)
    assert snap_compare(app, terminal_size=(80, 24), press=["slash", *"merging", "enter"])


def test_abstract_full_screen_80x24(snap_compare, seed_library: Library) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(PaperscopeApp(seed_library, animate=False), terminal_size=(80, 24), press=["enter"])


def test_main_screen_160x48(snap_compare, seed_library: Library) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(PaperscopeApp(seed_library, animate=False), terminal_size=(160, 48))


def test_researcher_and_search_160x48(snap_compare, seed_library: Library) -> None:  # type: ignore[no-untyped-def]
    app = PaperscopeApp(seed_library, animate=False)
    press = ["shift+tab", "j", "j", "enter", "slash", *"forget", "enter", "j"]
    assert snap_compare(app, terminal_size=(160, 48), press=press)


def test_help_160x48(snap_compare, seed_library: Library) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(PaperscopeApp(seed_library, animate=False), terminal_size=(160, 48), press=["question_mark"])
