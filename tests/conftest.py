"""Shared fixtures: the bundled seeds, and a fixed capture date so inferred years never drift."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from store.model import Paper

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
CAPTURED = date(2026, 11, 23)


def make_paper(**fields: Any) -> Paper:
    """A paper with nothing but what `fields` give it."""
    defaults = dict(
        id="p0", title="Untitled", title_is_derived=False, authors=(), authors_complete=True,
        author_count=None, year=None, date=None, date_is_inferred=False, category=None, venue=None,
        kind=None, score=None, upvotes=None, has_code=False, abstract="", sources=(), researchers=(),
    )
    return Paper(**{**defaults, **fields})


def seed_text(prefix: str) -> str:
    """The seed page whose file name starts with `prefix` (e.g. "002")."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


@pytest.fixture
def captured() -> date:
    return CAPTURED


@pytest.fixture(scope="session")
def seed_library(tmp_path_factory: pytest.TempPathFactory):
    """The bundled seeds ingested once into a throwaway store (read-only for the tests using it)."""
    from store.library import Library

    return Library.open(tmp_path_factory.mktemp("seeded") / "store.json", captured=CAPTURED)


@pytest.fixture
def fresh_library(seed_library, tmp_path: Path):
    """The seeded store copied for one test that changes marks (stars, notes, visits): the
    session's `seed_library` stays unmarked."""
    import shutil

    from store.library import Library

    path = tmp_path / "store.json"
    shutil.copy(seed_library.store_file.path, path)
    return Library.open(path, captured=CAPTURED)


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    """`paperscope ARGV...` in this process: its exit status, stdout and stderr."""
    from tui.cli import main

    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


BACKGROUND_GROUPS = frozenset({"search", "similar", "summary", "abstract", "desk"})  # the app's thread workers


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait until the background workers (searches, similar papers, a researcher's figures) have
    finished (one a newer one cancelled counts as finished) and the screen has caught up. Workers
    waiting on a dialog the user has open are not waited for."""
    from textual.worker import WorkerCancelled

    for _ in range(20):  # a worker's result may start the next one (an abstract, then its similar papers)
        workers = [w for w in pilot.app.workers if w.group in BACKGROUND_GROUPS and not w.is_finished]
        if not workers:
            break
        try:
            await pilot.app.workers.wait_for_complete(workers)
        except WorkerCancelled:
            pass
        await pilot.pause()
    await pilot.pause()


def papers_shown(view: Any, monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """Ids of the papers the abstract view is asked to show from now on, in order (None: none)."""
    shown: list[str | None] = []
    show = view.show
    monkeypatch.setattr(view, "show", lambda paper: shown.append(paper and paper.id) or show(paper))
    return shown


def refreshes(widget: Any, monkeypatch: pytest.MonkeyPatch) -> list[tuple[tuple[Any, ...], dict[str, bool]]]:
    """The (regions, options) of every refresh Textual is asked for on the widget from now on:
    what a subclass's own refresh passes on, not what it keeps back."""
    from textual.widget import Widget

    asked: list[tuple[tuple[Any, ...], dict[str, bool]]] = []
    refresh = Widget.refresh

    def recording_refresh(self: Widget, *regions: Any, **options: bool) -> Any:
        if self is widget:
            asked.append((regions, options))
        return refresh(self, *regions, **options)

    monkeypatch.setattr(Widget, "refresh", recording_refresh)
    return asked


def titles(app) -> list[str]:  # type: ignore[no-untyped-def]
    """The titles in the papers list, in its order."""
    from tui.widgets.paper_table import PaperTable

    return [p.title for p in app.screen.query_one(PaperTable).papers]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("paperscope")
    group.addoption(
        "--fuzz-examples", type=int, default=None, metavar="N",
        help="hypothesis examples per parser fuzz test (default: a modest number that runs in seconds)",
    )
    group.addoption(
        "--crash-kills", type=int, default=200, metavar="N",
        help="how many times test_crash.py kills a writing child with SIGKILL (default 200)",
    )


@pytest.fixture
def seeded_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store of the seed pages for this test alone, for `--db`; the default store is elsewhere."""
    from store.library import Library

    monkeypatch.setenv("PAPERSCOPE_DB", str(tmp_path / "default-store.json"))
    path = tmp_path / "s.json"
    Library.open(path, seed_if_empty=False).ingest([SEEDS], captured=CAPTURED)
    return path


class ScreenHost(App[None]):
    """Pushes one screen (a dialog, a researcher's profile) over a placeholder and keeps what
    it was dismissed with."""

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self.animation_level = "none"
        self.first_screen = screen
        self.results: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Static("the app underneath")

    def on_mount(self) -> None:
        self.push_screen(self.first_screen, self.results.append)
