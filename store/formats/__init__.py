"""Page formats: each module has NAME, `detect(lines) -> bool` and `parse(text, context) -> ParsedPage`.

The registry picks a format by content, never by file name. Detection order matters only where
one format's signature is a subset of another's; every detector is written to be exclusive.
"""

from __future__ import annotations

from types import ModuleType

from store.formats import abstracts_by_year, daily_feed, metrics_profile, paper_list, profile
from store.formats.common import page_lines
from store.model import ParseContext, ParsedPage, ParseError

FORMATS: tuple[ModuleType, ...] = (profile, metrics_profile, daily_feed, abstracts_by_year, paper_list)

# Formats whose parse improves with names seen on other pages (the title/author split).
USES_KNOWN_NAMES: frozenset[str] = frozenset({paper_list.NAME})


def detect_format(text: str) -> ModuleType | None:
    lines = page_lines(text)
    for fmt in FORMATS:
        if fmt.detect(lines):
            return fmt
    return None


def parse_page(text: str, context: ParseContext) -> ParsedPage:
    """Parse a page of any known format; raises ParseError when none fits or the page is broken."""
    fmt = detect_format(text)
    if fmt is None:
        raise ParseError("not a known page format")
    return fmt.parse(text, context)


__all__ = ["FORMATS", "USES_KNOWN_NAMES", "detect_format", "parse_page", "ParseError"]
