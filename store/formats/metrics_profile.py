"""Metrics profile page: name, primary category, `h-index33`-style metrics, then papers.

Each paper is a header line (`82.5LGMay 28`: score, category, date, optional `Code`), its
title, an author line (`A, B, C et al.`) and its abstract. The owner is not added to authors;
the merge step does that.
"""

from __future__ import annotations

import re
from typing import Any

from store.dates import DATE_PATTERN, parse_date
from store.formats.common import page_rows
from store.model import Owner, ParseContext, ParsedPage, ParsedPaper, ParseError
from store.text import clean_line, clean_page_text

NAME = "metrics_profile"

# "LG", "cs.LG", "q-bio": 2-12 letters, dots and hyphens.
_PRIMARY_CATEGORY = re.compile(r"^[A-Za-z][A-Za-z.\-]{1,11}$")
# "82.5LGMay 28", "CLMay 20, 2025Code": the category is the shortest run before a month name.
_HEADER = re.compile(
    rf"^(?P<score>\d{{1,3}}(?:\.\d{{1,3}})?)?(?P<category>[A-Za-z][A-Za-z.\-]{{1,11}}?)"
    rf"(?P<date>{DATE_PATTERN}) ?(?P<code>Code)?$"
)
_METRICS = {
    "h_index": re.compile(r"^h-index ?(\d[\d,]*)$", re.IGNORECASE),
    "papers": re.compile(r"^(\d[\d,]*) ?papers$"),  # not the "14 Papers" list heading
    "citations": re.compile(r"^(\d[\d,]*) ?citations$", re.IGNORECASE),
    "novelty_pct": re.compile(r"^Novelty ?(\d+) ?%$", re.IGNORECASE),
    "ai_score": re.compile(r"^AI Score ?(\d+)$", re.IGNORECASE),
}
_ET_AL = " et al."


def detect(rows: list[str]) -> bool:
    """At least two of the metric lines (h-index, papers, citations, novelty, AI score) near the top."""
    top = rows[:30]
    return sum(any(p.match(line) for line in top) for p in _METRICS.values()) >= 2


def parse(text: str, context: ParseContext) -> ParsedPage:
    return parse_rows(page_rows(text), context)


def parse_rows(lines: list[str], context: ParseContext) -> ParsedPage:
    headers = [(i, m) for i, line in enumerate(lines) if (m := _HEADER.match(line))]
    top = lines[: headers[0][0] if headers else len(lines)]
    if not top or any(p.match(top[0]) for p in _METRICS.values()):
        raise ParseError("no researcher name")
    ends = [i for i, _ in headers[1:]] + [len(lines)]
    papers = [
        _paper(header, lines[start + 1 : end], context)
        for (start, header), end in zip(headers, ends)
        if end - start >= 2  # a header cut off before its title is dropped
    ]
    if not papers:
        raise ParseError("no papers found")
    owner = Owner(clean_line(top[0]), kind="profile", fields=_owner_fields(top[1:]))
    return ParsedPage(NAME, owner, tuple(papers))


def _owner_fields(lines: list[str]) -> dict[str, Any]:
    """The category and metrics the page shows; missing ones are left out."""
    fields: dict[str, Any] = {}
    if lines and _PRIMARY_CATEGORY.match(lines[0]):
        fields["primary_category"] = clean_line(lines[0])
    for key, pattern in _METRICS.items():
        match = next((m for line in lines if (m := pattern.match(line))), None)
        if match:
            fields[key] = int(match[1].replace(",", ""))
    return fields


def _paper(header: re.Match[str], body: list[str], context: ParseContext) -> ParsedPaper:
    """One paper from its header match and the lines up to the next header (title first)."""
    resolved = parse_date(header["date"], context.captured)
    authors: tuple[str, ...] = ()
    complete = False
    abstract = body[1:]
    if abstract and _is_author_line(abstract[0]):
        shown = abstract[0]
        complete = not shown.endswith(_ET_AL)
        authors = tuple(clean_line(a) for a in shown.removesuffix(_ET_AL).split(",") if a.strip())
        abstract = abstract[1:]
    return ParsedPaper(
        title=clean_page_text(body[0]),
        abstract=clean_page_text(" ".join(abstract)),
        authors=authors,
        authors_complete=complete,
        author_count=len(authors) if complete else None,
        date=resolved[0] if resolved else None,
        date_is_inferred=resolved[1] if resolved else False,
        category=clean_line(header["category"]),
        score=float(header["score"]) if header["score"] else None,
        has_code=header["code"] is not None,
    )


def _is_author_line(line: str) -> bool:
    """`A, B, C et al.`, or comma-separated names of 1-5 words: no digits, no closing full stop."""
    if line.endswith(_ET_AL):
        return True
    if len(line) > 500 or line.endswith(".") or any(c.isdigit() for c in line):
        return False
    return all(1 <= len(part.split()) <= 5 for part in line.split(","))
