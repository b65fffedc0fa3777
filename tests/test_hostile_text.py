"""Text from pages is data: markup shows literally, escape sequences never reach the terminal."""

from __future__ import annotations

from pathlib import Path

from store.library import Library
from tui.app import PaperscopeApp
from tui.cli import main
from tui.widgets.paper_table import PaperTable

from conftest import CAPTURED, settle

HOSTILE_FEED = (
    "Daily Papers\n\nbyAK and the research community\n\nNov 20\n\n"
    "[bold]Loud[/] title [@click=app.quit]click[/]\n\n"
    "An abstract with \x1b[2J a screen clear and \x1b]0;pwned\x07 a title set.\n\n"
    "  \u2022 3 authors\n\u00b7\nNov 19, 2026 4\n\n"
    "Clipboard \x1b]52;c;aGVsbG8=\x07thief\n\n"
    "Copies your clipboard.\x9b2J Then clears the screen.\n\n"
    "  \u2022 2 authors\n\u00b7\nNov 18, 2026\n\n"
    "\u202eBackwards\n\nRight-to-left \u202eoverride.\n"
)


def hostile_library(tmp_path: Path) -> Library:
    page = tmp_path / "feed.txt"
    page.write_text(HOSTILE_FEED, encoding="utf-8")
    library = Library.open(tmp_path / "store.json", seed_if_empty=False)
    library.ingest([page], captured=CAPTURED)
    return library


def test_ingest_strips_escape_sequences_and_keeps_markup_as_text(tmp_path: Path) -> None:
    library = hostile_library(tmp_path)
    titles = [p.title for p in library.papers]
    assert titles == ["[bold]Loud[/] title [@click=app.quit]click[/]", "Clipboard thief", "Backwards"]
    abstracts = " ".join(p.abstract for p in library.papers)
    for forbidden in ("\x1b", "\x9b", "\x07", "\u202e"):
        assert forbidden not in abstracts
        assert all(forbidden not in t for t in titles)
    assert library.papers[1].abstract == "Copies your clipboard. Then clears the screen."


def test_cli_output_carries_no_escape_sequences(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    hostile_library(tmp_path)
    assert main(["--db", str(tmp_path / "store.json"), "papers"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x9b" not in out
    assert "[bold]Loud[/] title [@click=app.quit]click[/]" in out


async def test_browser_shows_markup_literally_and_keeps_running(tmp_path: Path) -> None:
    app = PaperscopeApp(hostile_library(tmp_path), animate=False)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(PaperTable)
        first_row = "".join(segment.text for segment in table.render_line(0))
        assert "[bold]Loud[/] title [@click=app.quit]click" in first_row
        await pilot.press("enter")  # opens the abstract: no markup is interpreted, no action fires
        await pilot.pause()
        assert app.is_running
