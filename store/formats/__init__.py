"""Page formats: each module has NAME, `detect(rows) -> bool`, `parse_rows(rows, context) ->
ParsedPage` and `parse(text, context)`, where rows are the page's non-blank lines (page_rows).

The registry picks a format by content, never by file name. Detection order matters only where
one format's signature is a subset of another's; every detector is written to be exclusive.
"""

from __future__ import annotations

from types import ModuleType

from store.formats import abstracts_by_year, daily_feed, metrics_profile, paper_list, profile
from store.formats.common import page_rows
from store.model import ParseContext, ParsedPage, ParseError

FORMATS: tuple[ModuleType, ...] = (profile, metrics_profile, daily_feed, abstracts_by_year, paper_list)

# Formats whose parse improves with names seen on other pages (the title/author split). They also
# have `draft_rows(rows, captured)`, all the parse that needs no such names, and
# `finish(draft, context) -> ParsedPage`, the rest.
USES_KNOWN_NAMES: frozenset[str] = frozenset({paper_list.NAME})


def detect_rows(rows: list[str]) -> ModuleType | None:
    """The format of a page given as its rows, so that they are made once for detect and parse."""
    for fmt in FORMATS:
        if fmt.detect(rows):
            return fmt
    return None


def detect_format(text: str) -> ModuleType | None:
    return detect_rows(page_rows(text))


def parse_page(text: str, context: ParseContext) -> ParsedPage:
    """Parse a page of any known format; raises ParseError when none fits or the page is broken."""
    rows = page_rows(text)
    fmt = detect_rows(rows)
    if fmt is None:
        raise ParseError("not a known page format")
    return fmt.parse_rows(rows, context)


__all__ = ["FORMATS", "USES_KNOWN_NAMES", "detect_format", "detect_rows", "parse_page", "ParseError"]
