"""Command palette providers: jump to a person, filter by category or year, sort."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from store.search import highlight_spans
from store.sorting import SORT_MODES
from store.text import fold

if TYPE_CHECKING:
    from tui.screens.main import MainScreen


def plain_label(label: str, query: str = "") -> Content:
    """A palette label that is never read as markup (names come from untrusted pages)."""
    content = Content(label)
    for start, end in highlight_spans(label, fold(query)):
        content = content.stylize("bold underline", start, end)
    return content


def _main_screen(provider: Provider) -> MainScreen | None:
    from tui.screens.main import MainScreen

    for screen in provider.app.screen_stack:
        if isinstance(screen, MainScreen):
            return screen
    return None


class ResearcherCommands(Provider):
    """`Researcher: <name>` for every profile, collection and author."""

    async def discover(self) -> Hits:
        screen = _main_screen(self)
        if screen is None:
            return
        for person in screen.library.people:
            if person.kind != "person":
                yield DiscoveryHit(plain_label(f"Researcher: {person.name}"), partial(screen.show_person, person.name),
                                   text=f"Researcher: {person.name}", help=f"{person.paper_count} papers")

    async def search(self, query: str) -> Hits:
        screen = _main_screen(self)
        if screen is None:
            return
        matcher = self.matcher(query)
        for person in screen.library.people:
            label = f"Researcher: {person.name}"
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, plain_label(label, query), partial(screen.show_person, person.name), text=label,
                          help=f"{person.kind}, {person.paper_count} papers")


MARK_FILTERS = [
    ("Show: starred papers", "is:starred", "papers you starred (s)"),
    ("Show: unread papers", "is:unread", "papers not marked read (r)"),
    ("Show: papers with notes", "has:note", "papers you wrote a note on (n)"),
]


class FilterCommands(Provider):
    """`Category: LG`, `Year: 2024`, `Show: starred papers` (as search filters) and `Sort by: title`."""

    def _commands(self) -> list[tuple[str, object, str]]:
        screen = _main_screen(self)
        if screen is None:
            return []
        categories, years = screen.library.facets()
        commands: list[tuple[str, object, str]] = []
        for category, count in categories:
            commands.append((f"Category: {category}", partial(screen.set_query, f"cat:{category}"), f"{count} papers"))
        for year, count in years:
            commands.append((f"Year: {year}", partial(screen.set_query, f"year:{year}"), f"{count} papers"))
        for label, query, help_text in MARK_FILTERS:
            commands.append((label, partial(screen.set_query, query), help_text))
        for mode in SORT_MODES:
            commands.append((f"Sort by: {mode}", partial(screen.set_sort, mode), "order of the papers list"))
        return commands

    async def discover(self) -> Hits:
        for label, action, help_text in self._commands():
            yield DiscoveryHit(plain_label(label), action, text=label, help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, action, help_text in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, plain_label(label, query), action, text=label, help=help_text)  # type: ignore[arg-type]
