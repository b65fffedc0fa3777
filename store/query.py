"""Search queries: free text plus field filters (`author:gu year:2020..2023 cat:LG src:daily
has:code is:starred is:unread has:note with:"Yanggan Gu"`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from store.text import fold

FIELDS = ("author", "with", "year", "cat", "src", "has", "is")
_TOKEN = re.compile(r'(?P<field>[a-z]+):(?:"(?P<quoted>[^"]*)"?|(?P<bare>\S*))|"(?P<phrase>[^"]*)"?|(?P<word>\S+)')
_YEAR_RANGE = re.compile(r"^(\d{4})?(?:\.\.(\d{4})?)?$")


@dataclass(frozen=True)
class Query:
    """A parsed query. Unknown `field:` prefixes are kept as free text, so `Re:Zero` still searches."""

    text: str = ""  # folded free text
    authors: tuple[str, ...] = ()
    people: tuple[str, ...] = ()  # `with:"Name"`: papers of exactly this person (as written)
    year_from: int | None = None
    year_to: int | None = None
    categories: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    flags: frozenset[str] = field(default_factory=frozenset)  # "has:code", "is:starred", "has:note"


def parse_query(raw: str) -> Query:
    words: list[str] = []
    authors: list[str] = []
    people: list[str] = []
    categories: list[str] = []
    sources: list[str] = []
    flags: set[str] = set()
    year_from = year_to = None
    for match in _TOKEN.finditer(raw):
        name = match["field"]
        value = match["quoted"] if match["quoted"] is not None else match["bare"]
        if name in FIELDS:
            if not value:
                continue  # "author:" while the user is still typing
            if name == "author":
                authors.append(fold(value))
            elif name == "with":
                people.append(value)
            elif name == "cat":
                categories.append(fold(value))
            elif name == "src":
                sources.append(fold(value))
            elif name in ("has", "is"):
                flags.add(f"{name}:{fold(value)}")
            else:
                years = _YEAR_RANGE.match(value)
                if years and (years[1] or years[2]):
                    year_from = int(years[1]) if years[1] else None
                    year_to = int(years[2]) if years[2] else year_from if ".." not in value else None
                else:
                    words.append(fold(match.group(0)))
        elif name:
            words.append(fold(match.group(0)))
        else:
            words.append(fold(match["phrase"] if match["phrase"] is not None else match["word"]))
    return Query(
        text=" ".join(w for w in words if w),
        authors=tuple(authors),
        people=tuple(people),
        year_from=year_from,
        year_to=year_to,
        categories=tuple(categories),
        sources=tuple(sources),
        flags=frozenset(flags),
    )
