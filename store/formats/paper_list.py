"""A bare list of papers, three lines each, with no owner named on the page.

    LGJul 16, 2023Code                         category, date (year may be missing), "Code"
    A Survey of ForgettingZhenyi Wang, Li Shen et al.    title glued to the authors
    Forgetting refers to …                     abstract

The owner is inferred: the person on the most entries.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from itertools import chain
from typing import Any

from store.dates import DATE_PATTERN, month_number, resolve
from store.formats.author_split import Split, best_split, candidate_splits
from store.formats.common import page_rows
from store.model import Owner, ParseContext, ParsedPage, ParsedPaper, ParseError
from store.text import clean_line, clean_page_text, name_key

NAME = "paper_list"

_HEADER = re.compile(rf"^(?P<category>[A-Z]{{2,4}})(?:{DATE_PATTERN})(?P<code>Code)?$")


def detect(rows: list[str]) -> bool:
    """The first line is an entry header and the second is not."""
    return len(rows) >= 2 and bool(_HEADER.match(rows[0])) and not _HEADER.match(rows[1])


def _entries(rows: list[str]) -> list[tuple[re.Match[str], str, str]]:
    """(header, title-and-authors line, abstract) per entry; a header with nothing after it ends a
    cut-off page. Extra lines of an entry are more abstract."""
    headers = {i: match for i, row in enumerate(rows) if (match := _HEADER.match(row))}
    starts = list(headers)
    if not starts or starts[0] != 0:
        raise ParseError("expected an entry header")
    entries = []
    for start, stop in zip(starts, [*starts[1:], len(rows)]):
        if stop == start + 1:
            if stop < len(rows):
                raise ParseError("entry without a title")
            continue
        entries.append((headers[start], rows[start + 1], " ".join(rows[start + 2 : stop])))
    return entries


def _fields(header: re.Match[str], abstract: str, captured: date) -> dict[str, Any]:
    """What an entry's paper says besides its title and authors."""
    year = int(header["year"]) if header["year"] else None
    resolved = resolve(month_number(header["month"]), int(header["day"]), year, captured)
    return {
        "abstract": clean_page_text(abstract),
        "date": resolved[0] if resolved else None,
        "date_is_inferred": resolved[1] if resolved else False,
        "category": header["category"],
        "has_code": header["code"] is not None,
    }


def _paper(split: Split, fields: dict[str, Any]) -> ParsedPaper:
    authors = tuple(clean_line(name) for name in split.authors)
    return ParsedPaper(
        title=clean_page_text(split.title),
        authors=authors,
        authors_complete=split.complete,
        author_count=len(authors) if split.complete else None,
        **fields,
    )


@dataclass(frozen=True)
class _OpenEntry:
    """An entry that splits more than one way: names from other pages may decide which."""

    index: int  # among the page's papers
    splits: list[Split]
    fields: dict[str, Any]


@dataclass(frozen=True)
class Draft:
    """A page parsed as far as it goes without names from other pages (see `finish`).

    Ingest drafts pages in its worker processes, which know no such names, and finishes them
    once every other page is parsed: most entries split one way only, so little is left.
    """

    papers: tuple[ParsedPaper | None, ...]  # None where an entry is open
    open_entries: tuple[_OpenEntry, ...]
    names: frozenset[str]  # name_key() of the authors of the entries that split one way


def parse(text: str, context: ParseContext) -> ParsedPage:
    return parse_rows(page_rows(text), context)


def parse_rows(rows: list[str], context: ParseContext) -> ParsedPage:
    return finish(draft_rows(rows, context.captured), context)


def draft_rows(rows: list[str], captured: date) -> Draft:
    """Every entry parsed but where its title ends, when that is not certain; ParseError for a
    broken page."""
    entries = _entries(rows)
    options = [candidate_splits(line) for _, line, _ in entries]
    if entries and not entries[-1][2] and not options[-1]:
        entries.pop()  # the page was cut off inside the last author list
        options.pop()
    if not entries:
        raise ParseError("no papers")
    papers: list[ParsedPaper | None] = []
    open_entries: list[_OpenEntry] = []
    names: set[str] = set()
    for (header, _, abstract), splits in zip(entries, options):
        split = best_split(splits)  # ParseError when there is none
        fields = _fields(header, abstract, captured)
        if len(splits) == 1:
            names.update(name_key(name) for name in split.authors)
            papers.append(_paper(split, fields))
        else:
            open_entries.append(_OpenEntry(len(papers), splits, fields))
            papers.append(None)
    return Draft(tuple(papers), tuple(open_entries), frozenset(names))


def finish(draft: Draft, context: ParseContext) -> ParsedPage:
    """The page, its open entries split with the names of `context` as evidence."""
    # Names the page shows for certain (every author of an entry that splits one way, the later
    # authors of any other) are evidence for where each title ends.
    seen = set(draft.names)
    for entry in draft.open_entries:
        seen.update(name_key(name) for name in best_split(entry.splits, context.known_names).authors[1:])
    known = context.known_names | seen
    papers = list(draft.papers)
    for entry in draft.open_entries:
        papers[entry.index] = _paper(best_split(entry.splits, known), entry.fields)
    done = tuple(paper for paper in papers if paper is not None)  # all of them, now
    return ParsedPage(format=NAME, owner=_owner(done), papers=done)


def _owner(papers: tuple[ParsedPaper, ...]) -> Owner:
    """The person on the most entries, spelled as first written; ties go to the first seen."""
    entries = [{name_key(name): name for name in paper.authors} for paper in papers]
    counts = Counter(chain.from_iterable(entries))  # keys in the order first seen
    key = max(counts, key=counts.__getitem__)  # the first of the most frequent
    spelling = next(names[key] for names in entries if key in names)
    return Owner(name=spelling, kind="profile", inferred=True, fields={})
