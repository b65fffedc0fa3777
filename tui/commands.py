"""Command palette providers: jump to a person, filter by category or year, sort."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from store.model import Person
from store.search import highlight_spans
from store.sorting import SORT_MODES
from store.text import counted, fold

if TYPE_CHECKING:
    from tui.screens.main import MainScreen

PALETTE_PEOPLE = 40  # people the palette lists: when it opens, and scored for a query


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
    """`Researcher: <name>`: the researchers with the most papers when the palette opens, then
    whoever best matches what is typed (profiles, collections and every author)."""

    async def discover(self) -> Hits:
        screen = _main_screen(self)
        if screen is None:
            return
        people = screen.library.people
        feeds = [person for person in people if person.kind == "collection"]
        profiles = (person for person in people if person.kind == "profile")  # the most papers first
        for person in [*itertools.islice(profiles, max(PALETTE_PEOPLE - len(feeds), 0)), *feeds]:
            yield DiscoveryHit(plain_label(f"Researcher: {person.name}"), partial(screen.show_person, person.name),
                               text=f"Researcher: {person.name}", help=counted(person.paper_count, "paper"))

    async def search(self, query: str) -> Hits:
        screen = _main_screen(self)
        if screen is None:
            return
        matcher = self.matcher(query)
        for person in likeliest_people(screen.library.people, query):
            label = f"Researcher: {person.name}"
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, plain_label(label, query), partial(screen.show_person, person.name), text=label,
                          help=f"{person.kind}, {counted(person.paper_count, 'paper')}")


def likeliest_people(people: Sequence[Person], query: str) -> list[Person]:
    """The PALETTE_PEOPLE people whose "Researcher: name" rapidfuzz finds most like the query.

    Textual's matcher scores a label in Python, ~0.1 ms each: every person of a 100k-paper
    library (thousands) would stall the palette for a quarter of a second on each key.
    """
    from rapidfuzz import fuzz, process  # here, not at start-up: ~20 ms before the first screen
    from rapidfuzz.utils import default_process

    labels = [f"Researcher: {person.name}" for person in people]
    found = process.extract(query, labels, scorer=fuzz.partial_ratio, processor=default_process, limit=PALETTE_PEOPLE)
    return [people[index] for _, _, index in found]


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
            commands.append((f"Category: {category}", partial(screen.set_query, f"cat:{category}"), counted(count, "paper")))
        for year, count in years:
            commands.append((f"Year: {year}", partial(screen.set_query, f"year:{year}"), counted(count, "paper")))
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
