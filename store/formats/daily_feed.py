"""A daily feed of papers curated by others ("Daily Papers, by AK and the research community").

After the page chrome and the page's own date ("Jan 20"), each paper is a title, an abstract,
then optionally "• 7 authors", "·" and a date with the upvote count after it ("Nov 4, 2025 1").
The feed shows no count for most papers; a missing count is unknown (None), not 0. The last
paper may be cut off: a title alone is kept, with whatever part of the abstract there is.
"""

from __future__ import annotations

import re

from store.dates import DATE_PATTERN, month_number, resolve
from store.formats.common import page_rows
from store.model import Owner, ParseContext, ParsedPage, ParsedPaper, ParseError
from store.text import clean_line, clean_page_text

NAME = "daily_feed"
OWNER_NAME = "Daily Papers"
DEFAULT_CURATOR = "AK and the research community"

_SITE_CHROME = frozenset({"Get trending papers in your email inbox!", OWNER_NAME})
_CHROME = _SITE_CHROME | {"new", "Subscribe"}
_CURATOR = re.compile(r"^by ?(?P<curator>[A-Z].*)$")
_AUTHORS = re.compile(r"^•\s*(?P<count>\d+)\s+authors?$")
_SEPARATOR = "·"
_DATE = re.compile(rf"^(?:{DATE_PATTERN})(?:\s+(?P<upvotes>\d+))?$")


def _head(rows: list[str]) -> list[str]:
    """The page chrome above the papers."""
    for i, row in enumerate(rows):
        if row not in _CHROME and not _CURATOR.match(row):
            return rows[:i]
    return rows


def detect(rows: list[str]) -> bool:
    """The chrome above the papers names the feed or its curator."""
    return any(row in _SITE_CHROME or _CURATOR.match(row) for row in _head(rows))


def _date(match: re.Match[str], context: ParseContext) -> tuple[str, bool] | None:
    year = int(match["year"]) if match["year"] else None
    return resolve(month_number(match["month"]), int(match["day"]), year, context.captured)


def _is_marker(row: str) -> bool:
    return row == _SEPARATOR or bool(_AUTHORS.match(row) or _DATE.match(row))


def _papers(rows: list[str], context: ParseContext) -> list[ParsedPaper]:
    papers = []
    i = 0
    while i < len(rows):
        title = rows[i]
        if _is_marker(title):
            raise ParseError(f"expected a title, got {title[:40]!r}")
        i += 1
        abstract = ""
        if i < len(rows) and not _is_marker(rows[i]):
            abstract, i = rows[i], i + 1
        count = None
        if i < len(rows) and (authors := _AUTHORS.match(rows[i])):
            count, i = int(authors["count"]), i + 1
        if i < len(rows) and rows[i] == _SEPARATOR:
            i += 1
        date, upvotes = None, None
        if i < len(rows) and (line := _DATE.match(rows[i])):
            date, i = _date(line, context), i + 1
            upvotes = int(line["upvotes"]) if line["upvotes"] else None
        papers.append(
            ParsedPaper(
                title=clean_page_text(title),
                abstract=clean_page_text(abstract),
                author_count=count,
                date=date[0] if date else None,
                date_is_inferred=date[1] if date else False,
                upvotes=upvotes,
            )
        )
    return papers


def parse(text: str, context: ParseContext) -> ParsedPage:
    return parse_rows(page_rows(text), context)


def parse_rows(rows: list[str], context: ParseContext) -> ParsedPage:
    head = _head(rows)
    curators = [m["curator"] for row in head if (m := _CURATOR.match(row))]
    rows = rows[len(head) :]
    page_date = None
    if rows and (line := _DATE.match(rows[0])) and line["upvotes"] is None:
        page_date, rows = _date(line, context), rows[1:]
    papers = _papers(rows, context)
    if not papers:
        raise ParseError("no papers")
    owner = Owner(
        name=OWNER_NAME,
        kind="collection",
        inferred=False,
        fields={"curator": clean_line(curators[0]) if curators else DEFAULT_CURATOR},
    )
    iso_date = page_date[0] if page_date else None
    return ParsedPage(format=NAME, owner=owner, papers=tuple(papers), page_date=iso_date)
