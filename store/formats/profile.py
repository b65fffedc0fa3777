"""Researcher profile page: name, bio, trust snapshot and counts, then "Published work" items.

Each item is a `preprint2026arXiv` line (kind, year, venue run together), its title and its
abstract. The page shows no authors; the merge step adds the owner.
"""

from __future__ import annotations

import re
from typing import Any

from store.formats.common import page_rows
from store.model import Owner, ParseContext, ParsedPage, ParsedPaper, ParseError
from store.text import clean_line, clean_page_text

NAME = "profile"

_HEADER = "Researcher profile"
_PUBLISHED = "Published work"
_CHROME = frozenset({_HEADER, _PUBLISHED, "Trust snapshot", "Quick read", "Actions"})
# "preprint2026arXiv", "conference paper2023ICML", "article2024" (no venue).
_ITEM = re.compile(r"^(?P<kind>[a-z]+(?: [a-z]+){0,3})(?P<year>(?:19|20)\d\d)(?P<venue>.*)$")
# "ResearcherAffiliation not importedOpen to collaborate": role, affiliation, flag run together.
_ROLE = re.compile(r"^(?P<role>[A-Z][a-z]+)(?=[A-Z]|$)(?P<affiliation>.*?)(?P<open>Open to collaborate)?$")
_NO_AFFILIATION = "Affiliation not imported"
# "Trust 21 - EmergingVerification L1Unclaimed author"
_TRUST = re.compile(
    r"^Trust (?P<score>\d+)(?: ?[-–] ?(?P<level>.*?))?"
    r"(?:Verification (?P<verification>[A-Z]*\d+)(?P<claim>.*))?$"
)
_COUNT = re.compile(r"^(?P<n>\d+) ?(?P<label>works?|followers?|topics?|close collaborators?)$")
_PUBLISHED_ITEMS = re.compile(r"^(?P<n>\d+) published items?(?:\(s\))?$")
_COUNT_KEYS = {"work": "works", "follower": "followers", "topic": "topics",
               "close collaborator": "close_collaborators"}


def detect(rows: list[str]) -> bool:
    """The "Researcher profile" header near the top, or a "Published work" section of items."""
    if _HEADER in rows[:5]:
        return True
    return _PUBLISHED in rows and any(_ITEM.match(row) for row in rows)


def parse(text: str, context: ParseContext) -> ParsedPage:
    return parse_rows(page_rows(text), context)


def parse_rows(lines: list[str], context: ParseContext) -> ParsedPage:
    start = lines.index(_HEADER) + 1 if _HEADER in lines[:5] else 0
    if start >= len(lines):
        raise ParseError("no researcher name")
    first_item = next((i for i, line in enumerate(lines) if _ITEM.match(line)), len(lines))
    papers = _papers(lines[first_item:])
    if not papers:
        raise ParseError("no papers found")
    fields = _owner_fields(lines[start + 1 : first_item])
    return ParsedPage(NAME, Owner(clean_line(lines[start]), kind="profile", fields=fields), tuple(papers))


def _owner_fields(lines: list[str]) -> dict[str, Any]:
    """Fields the page shows about its owner; what the page leaves out is left out here too."""
    fields: dict[str, Any] = {}
    for position, line in enumerate(lines):
        if position < 2 and (role := _ROLE.match(line)):
            affiliation = clean_line(role["affiliation"])
            fields["role"] = role["role"]
            fields["affiliation"] = None if affiliation in ("", _NO_AFFILIATION) else affiliation
            fields["open_to_collaborate"] = role["open"] is not None
        elif position == 0 and not (line in _CHROME or line.startswith("Trust ") or _COUNT.match(line)):
            fields["bio"] = clean_line(line)
        elif trust := _TRUST.match(line):
            fields["trust_score"] = int(trust["score"])
            if trust["level"]:
                fields["trust_level"] = clean_line(trust["level"])
            if trust["verification"]:
                fields["verification_level"] = trust["verification"]
            if trust["claim"]:
                fields["claim_state"] = clean_line(trust["claim"])
        elif count := _COUNT.match(line):
            fields[_COUNT_KEYS[count["label"].removesuffix("s")]] = int(count["n"])
        elif items := _PUBLISHED_ITEMS.match(line):
            fields["published_items"] = int(items["n"])
    return fields


def _papers(lines: list[str]) -> list[ParsedPaper]:
    """Items from their header lines on; an item cut off before its title is dropped."""
    items = [(i, m) for i, line in enumerate(lines) if (m := _ITEM.match(line))]
    ends = [i for i, _ in items[1:]] + [len(lines)]
    return [
        ParsedPaper(
            title=clean_page_text(lines[start + 1]),
            abstract=clean_page_text(" ".join(lines[start + 2 : end])),
            date=item["year"],
            kind=clean_line(item["kind"]),
            venue=clean_line(item["venue"]) or None,
        )
        for (start, item), end in zip(items, ends)
        if end - start >= 2
    ]
