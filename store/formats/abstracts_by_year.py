"""Abstracts by year: a name, then year lines, each followed by one abstract per line.

The page shows neither titles nor authors: titles are derived from the abstracts' first
sentences, and the merge step adds the owner as an author.
"""

from __future__ import annotations

import re

from store.formats.common import page_rows
from store.model import Owner, ParseContext, ParsedPage, ParsedPaper, ParseError
from store.text import clean_line, clean_page_text, derive_title

NAME = "abstracts_by_year"

_YEAR = re.compile(r"^(?:19|20)\d\d$")


def detect(rows: list[str]) -> bool:
    """A first line that is not a year, directly followed by a year line."""
    return len(rows) >= 2 and not _YEAR.match(rows[0]) and bool(_YEAR.match(rows[1]))


def parse(text: str, context: ParseContext) -> ParsedPage:
    return parse_rows(page_rows(text), context)


def parse_rows(lines: list[str], context: ParseContext) -> ParsedPage:
    if len(lines) < 2 or _YEAR.match(lines[0]):
        raise ParseError("no researcher name")
    papers: list[ParsedPaper] = []
    year: str | None = None
    for line in lines[1:]:
        if _YEAR.match(line):
            year = line
        elif year is None:
            raise ParseError("abstract before any year")
        elif title := derive_title(abstract := clean_page_text(line)):
            papers.append(ParsedPaper(title, abstract, title_is_derived=True, date=year))
    if not papers:
        raise ParseError("no papers found")
    return ParsedPage(NAME, Owner(clean_line(lines[0]), kind="profile"), tuple(papers))
