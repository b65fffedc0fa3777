"""The note and export dialogs, driven from the keyboard in a tiny host app (Textual's Pilot)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from conftest import ScreenHost
from textual.widgets import Input, Static, TextArea

from store.export import export
from store.library import Library
from store.export import write_export
from tui.screens.export import ExportRequest, ExportScreen
from tui.screens.note import NoteScreen

NARROW = (80, 24)
CHOICES = [("list", "This list", 37), ("starred", "Starred", 0), ("paper", "This paper", 1)]


def status(app: ScreenHost) -> str:
    return str(app.screen.query_one("#export-status", Static).render())


def path_value(app: ScreenHost) -> str:
    return app.screen.query_one("#export-path", Input).value


# --- the note ---------------------------------------------------------------------------------


async def test_note_typed_over_several_lines_is_returned_by_escape() -> None:
    app = ScreenHost(NoteScreen("A [b]title[/b]", "old"))
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        area = app.screen.query_one(TextArea)
        assert app.screen.focused is area
        assert area.cursor_location == area.document.end
        await pilot.press("space", "q", "?", "enter", "s", "e", "c", "o", "n", "d", "enter", "enter", "x")
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == ["old q?\nsecond\n\nx"]


async def test_note_unchanged_is_none() -> None:
    app = ScreenHost(NoteScreen("Title", "line one\nline two"))
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("a", "backspace", "escape")
        await pilot.pause()
    assert app.results == [None]


async def test_note_undo_then_escape_is_unchanged() -> None:
    app = ScreenHost(NoteScreen("Title", ""))
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("h", "i", "ctrl+z", "escape")
        await pilot.pause()
    assert app.results == [None]


async def test_note_title_is_shown_as_text_not_markup() -> None:
    app = ScreenHost(NoteScreen("A [b]title[/b] \x1b[31m", ""))
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        shown = str(app.screen.query_one("#note-title", Static).render())
    assert shown == "A [b]title[/b]"


# --- the export dialog ------------------------------------------------------------------------


async def test_export_markdown_chosen_by_keys(tmp_path: Path) -> None:
    app = ScreenHost(ExportScreen(CHOICES, tmp_path))
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        assert path_value(app) == str(tmp_path / "paperscope-list.bib")
        await pilot.press("tab", "down")  # the format: BibTeX, then Markdown
        await pilot.pause()
        assert path_value(app) == str(tmp_path / "paperscope-list.md")
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [ExportRequest("list", "markdown", tmp_path / "paperscope-list.md")]


async def test_export_skips_an_empty_choice_and_says_so(tmp_path: Path) -> None:
    app = ScreenHost(ExportScreen(CHOICES, tmp_path))
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        assert status(app) == "Starred: no papers, nothing to export"
        await pilot.press("down")  # past Starred (empty) to This paper
        await pilot.pause()
        assert path_value(app) == str(tmp_path / "paperscope-paper.bib")
        await pilot.press("tab", "tab", "enter")  # Enter in the file field
        await pilot.pause()
    assert app.results == [ExportRequest("paper", "bibtex", tmp_path / "paperscope-paper.bib")]


async def test_export_with_nothing_to_export_is_refused(tmp_path: Path) -> None:
    app = ScreenHost(ExportScreen([("list", "This list", 0), ("starred", "Starred", 0)], tmp_path))
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert status(app) == "Nothing to export: every choice is empty"
        assert app.results == []
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


async def test_export_a_typed_path_keeps_following_the_format(tmp_path: Path) -> None:
    app = ScreenHost(ExportScreen(CHOICES, tmp_path))
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("tab", "tab", "ctrl+u", *"~/refs.bib")
        await pilot.press("shift+tab", "down", "down")  # Markdown, then CSV
        await pilot.pause()
        assert path_value(app) == "~/refs.csv"
        await pilot.press("down", "enter")  # JSON
        await pilot.pause()
    assert app.results == [ExportRequest("list", "json", Path.home() / "refs.json")]


async def test_export_relative_path_is_made_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = ScreenHost(ExportScreen(CHOICES, Path("/nowhere")))
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("tab", "tab", "ctrl+u", *"out.bib", "enter")
        await pilot.pause()
    assert app.results == [ExportRequest("list", "bibtex", tmp_path / "out.bib")]


async def test_export_asks_once_before_overwriting(tmp_path: Path) -> None:
    (tmp_path / "paperscope-list.bib").write_text("mine")
    app = ScreenHost(ExportScreen(CHOICES, tmp_path))
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert status(app) == "paperscope-list.bib exists — Enter again to overwrite"
        assert app.results == []
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [ExportRequest("list", "bibtex", tmp_path / "paperscope-list.bib")]


async def test_export_another_format_asks_again_for_its_own_file(tmp_path: Path) -> None:
    (tmp_path / "paperscope-list.bib").write_text("mine")
    (tmp_path / "paperscope-list.md").write_text("mine")
    app = ScreenHost(ExportScreen(CHOICES, tmp_path))
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("enter", "tab", "down")  # asked about the .bib, then Markdown chosen
        await pilot.pause()
        assert status(app) == "Starred: no papers, nothing to export"
        await pilot.press("enter")
        await pilot.pause()
        assert status(app) == "paperscope-list.md exists — Enter again to overwrite"
        assert app.results == []


async def test_export_refuses_a_directory(tmp_path: Path) -> None:
    app = ScreenHost(ExportScreen(CHOICES, tmp_path))
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("tab", "tab", "ctrl+u", *str(tmp_path), "enter")
        await pilot.pause()
        assert status(app) == f"{tmp_path} is a directory: add a file name"
        assert app.results == []


async def test_export_escape_cancels(tmp_path: Path) -> None:
    app = ScreenHost(ExportScreen(CHOICES, tmp_path))
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("tab", "down", "escape")
        await pilot.pause()
    assert app.results == [None]


# --- writing the file -------------------------------------------------------------------------


def test_write_export_writes_exactly_the_export_atomically(seed_library: Library, tmp_path: Path) -> None:
    papers = seed_library.papers[:3]
    notes = {papers[0].id: "read twice"}
    target = tmp_path / "out.md"
    target.write_text("old")
    written = write_export(papers, "markdown", target, notes)
    expected = export(papers, "markdown", notes).encode("utf-8")
    assert target.read_bytes() == expected
    assert written == 3
    assert os.listdir(tmp_path) == ["out.md"]  # no temporary file left


def test_write_export_permission_error_is_one_line(
    seed_library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(path: Path, data: bytes) -> None:  # as a read-only directory does (root ignores modes)
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))

    monkeypatch.setattr("store.export.write_atomically", refuse)
    with pytest.raises(OSError) as caught:
        write_export(seed_library.papers[:1], "bibtex", tmp_path / "x.bib", None)
    assert str(caught.value) == f"cannot write {tmp_path / 'x.bib'}: Permission denied"


def test_write_export_into_a_file_is_one_line(seed_library: Library, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a directory")
    with pytest.raises(OSError) as caught:
        write_export(seed_library.papers[:1], "csv", tmp_path / "file" / "x.csv", None)
    assert str(caught.value) == f"cannot write {tmp_path / 'file' / 'x.csv'}: Not a directory"
    assert (tmp_path / "file").read_text() == "not a directory"


def test_write_export_into_a_missing_folder_is_one_line_and_makes_no_folder(seed_library: Library, tmp_path: Path) -> None:
    """A typo in the folder (`~/papres/out.bib`) must not quietly make a new one."""
    with pytest.raises(OSError) as caught:
        write_export(seed_library.papers[:1], "bibtex", tmp_path / "papres" / "out.bib", None)
    assert str(caught.value) == f"cannot write {tmp_path / 'papres' / 'out.bib'}: no such folder {tmp_path / 'papres'}"
    assert os.listdir(tmp_path) == []
