"""From parsed pages to the library: one record per paper however many pages list it.

Papers are matched by normalised title; a paper whose title was derived from its abstract
matches by abstract instead. Fields are merged by a fixed page-format priority, so the result
depends only on the set of pages, never on the order they were ingested in.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from store.model import Owner, Paper, ParsedPaper, Person, Source, SourcePage
from store.text import fold, name_key, title_key

_ABSTRACT_KEY_CHARS = 240
_PROBE_CHARS = 16  # of an abstract key, to rule out most abstracts cheaply (see _probe)
_PROBE_OPENING = 64  # characters of an abstract that give them (or not: then its full key is made)


FORMAT_PRIORITY = ("metrics_profile", "profile", "paper_list", "abstracts_by_year", "daily_feed")


def page_priority(page: SourcePage) -> tuple[int, str]:
    """Which page's value wins a merge: richer formats first, then by file name."""
    rank = FORMAT_PRIORITY.index(page.format) if page.format in FORMAT_PRIORITY else len(FORMAT_PRIORITY)
    return rank, page.file


def abstract_key(abstract: str) -> str:
    """The abstract's opening, normalised: enough to recognise it, cheap on long abstracts."""
    return title_key(abstract[: 2 * _ABSTRACT_KEY_CHARS])[:_ABSTRACT_KEY_CHARS]


def paper_id(match_key: str) -> str:
    """Stable id: the same pages give the same ids on every machine and every re-ingest."""
    return hashlib.sha1(match_key.encode("utf-8")).hexdigest()[:10]


@dataclass
class _Group:
    key: str
    entries: list[tuple[_Page, ParsedPaper]] = field(default_factory=list)


@dataclass(frozen=True)
class _Page:
    """What a merge needs of a page, worked out once per page rather than once per paper."""

    priority: tuple[int, str]
    source: Source
    owner: Owner | None  # a profile's owner only


def _pages(pages: list[SourcePage]) -> list[_Page]:
    return [
        _Page(page_priority(p), Source(p.file, p.format), p.owner if p.owner and p.owner.kind == "profile" else None)
        for p in pages
    ]


def _group(pages: list[SourcePage]) -> list[_Group]:
    groups: dict[str, _Group] = {}
    abstracts: list[tuple[str, str]] = []  # (abstract, group key) of titled entries, in page order
    derived: list[tuple[_Page, ParsedPaper]] = []
    for page, merged in zip(pages, _pages(pages), strict=True):
        for entry in page.papers:
            if entry.title_is_derived:
                derived.append((merged, entry))
                continue
            key = "t:" + title_key(entry.title)
            group = groups.get(key)
            if group is None:
                group = groups[key] = _Group(key)
            group.entries.append((merged, entry))
            if entry.abstract:
                abstracts.append((entry.abstract, key))
    derived_keys = [abstract_key(entry.abstract) for _, entry in derived]
    by_abstract = _by_abstract(abstracts, {akey[:_PROBE_CHARS] for akey in derived_keys})
    for (merged, entry), akey in zip(derived, derived_keys, strict=True):
        key = by_abstract.get(akey) or "a:" + akey
        groups.setdefault(key, _Group(key)).entries.append((merged, entry))
    return list(groups.values())


def _by_abstract(abstracts: list[tuple[str, str]], wanted: set[str]) -> dict[str, str]:
    """The first group key for each abstract key, of the abstracts whose key may start with one
    of `wanted` (the openings of the keys looked up): a full key takes ~5 µs, a probe ~0.5."""
    by_abstract: dict[str, str] = {}
    if not wanted:
        return by_abstract
    for abstract, key in abstracts:
        probe = _probe(abstract)
        if probe is None or probe in wanted:
            by_abstract.setdefault(abstract_key(abstract), key)
    return by_abstract


def _probe(abstract: str) -> str | None:
    """The first _PROBE_CHARS of the abstract's key, made from an ASCII opening alone: folding
    leaves ASCII as it is but for case, and never moves a character across one, so the key of
    the whole opening starts with the key of its ASCII part. None when that part is too short."""
    opening = abstract[:_PROBE_OPENING]
    if not opening.isascii():
        return None
    probe = title_key(opening)
    return probe[:_PROBE_CHARS] if len(probe) >= _PROBE_CHARS else None


def _date_rank(entry: ParsedPaper) -> tuple[int, int]:
    """More precise dates first; among equals, a stated year beats an inferred one."""
    precision = len(entry.date or "")
    return -precision, int(entry.date_is_inferred)


def _merged_date(entries: list[ParsedPaper]) -> tuple[str | None, bool]:
    dated = sorted((e for e in entries if e.date), key=_date_rank)
    if not dated:
        return None, False
    best = dated[0]
    date, inferred = best.date, best.date_is_inferred
    if inferred and date:
        # Another page may state the year outright: trust it over our inference.
        stated_years = {e.date[:4] for e in dated if e.date and not e.date_is_inferred}
        if len(stated_years) == 1:
            date, inferred = stated_years.pop() + date[4:], False
    return date, inferred


def _build_paper(group: _Group) -> Paper:
    if len(group.entries) == 1:  # ~99% of papers: a third of the work of merging
        return _paper_of_one_page(group.key, *group.entries[0])
    return _merged_paper(group.key, group.entries)


def _paper_of_one_page(key: str, page: _Page, entry: ParsedPaper) -> Paper:
    """What :func:`_merged_paper` makes of a paper on one page, made directly."""
    owner = page.owner
    authors = entry.authors
    complete = bool(authors) and entry.authors_complete
    if owner is not None and name_key(owner.name) not in {name_key(a) for a in authors}:
        authors += (owner.name,)
        complete = False
    count = entry.author_count
    author_count = max(count, len(authors)) if count is not None else (len(authors) if authors else None)
    date = entry.date or None
    return Paper(
        paper_id(key), entry.title, entry.title_is_derived, authors, complete, author_count,
        int(date[:4]) if date else None, date, bool(date) and entry.date_is_inferred,
        entry.category, entry.venue, entry.kind, entry.score, entry.upvotes, bool(entry.has_code),
        entry.abstract, (page.source,), (owner.name,) if owner else (),
    )


def _merged_paper(key: str, entries_on_pages: list[tuple[_Page, ParsedPaper]]) -> Paper:
    """One paper from its entries on several pages, each field by page priority."""
    ordered = sorted(entries_on_pages, key=lambda pair: pair[0].priority)
    entries = [entry for _, entry in ordered]
    owners = [page.owner for page, _ in ordered if page.owner]

    titled = [e for e in entries if not e.title_is_derived] or entries
    with_authors = sorted((e for e in entries if e.authors), key=lambda e: (not e.authors_complete, -len(e.authors)))
    authors = list(with_authors[0].authors) if with_authors else []
    complete = bool(with_authors) and with_authors[0].authors_complete
    present = {name_key(a) for a in authors}
    for owner in owners:
        if name_key(owner.name) not in present:
            authors.append(owner.name)
            present.add(name_key(owner.name))
            complete = False
    counts = [e.author_count for e in entries if e.author_count is not None]
    author_count = max([*counts, len(authors)]) if (counts or authors) else None

    date, date_inferred = _merged_date(entries)
    upvotes = [e.upvotes for e in entries if e.upvotes is not None]
    # The first value given, in page priority order.
    category = venue = kind = score = None
    for e in entries:
        category = e.category if category is None else category
        venue = e.venue if venue is None else venue
        kind = e.kind if kind is None else kind
        score = e.score if score is None else score
    return Paper(
        id=paper_id(key),
        title=titled[0].title,
        title_is_derived=titled[0].title_is_derived,
        authors=tuple(authors),
        authors_complete=complete,
        author_count=author_count,
        year=int(date[:4]) if date else None,
        date=date,
        date_is_inferred=date_inferred,
        category=category,
        venue=venue,
        kind=kind,
        score=score,
        upvotes=max(upvotes) if upvotes else None,
        has_code=any(e.has_code for e in entries),
        abstract=max((e.abstract for e in entries), key=len),
        sources=tuple(dict.fromkeys(page.source for page, _ in ordered)),
        researchers=tuple(dict.fromkeys(owner.name for owner in owners)),
    )


def newest_first(paper: Paper) -> tuple[int, int, int, str]:
    """Sort key: newest first; a year-only date after the dated papers of its year; undated last."""
    if not paper.date:
        return (1, 0, 0, fold(paper.title))
    parts = [int(p) for p in paper.date.split("-")] + [0, 0]
    return (-parts[0], -parts[1], -parts[2], fold(paper.title))


def merge_papers(pages: list[SourcePage]) -> list[Paper]:
    """Every paper once, newest first."""
    return sorted((_build_paper(g) for g in _group(pages)), key=newest_first)


def build_people(pages: list[SourcePage], papers: list[Paper]) -> list[Person]:
    """Profile owners, then collections, then every other named author; each with their papers."""
    owners: dict[str, Owner] = {}
    owner_fields: dict[str, dict[str, Any]] = defaultdict(dict)
    collections: dict[str, set[str]] = defaultdict(set)
    for page in sorted(pages, key=page_priority):
        if page.owner is None:
            continue
        key = name_key(page.owner.name)
        if page.owner.kind == "collection":
            collections[page.owner.name].add(page.file)
            continue
        known = owners.get(key)
        if known is None or (known.inferred and not page.owner.inferred):
            owners[key] = page.owner
        for name, value in page.owner.fields.items():
            owner_fields[key].setdefault(name, value)

    display: dict[str, str] = {key: owner.name for key, owner in owners.items()}
    by_person: dict[str, list[str]] = defaultdict(list)
    by_collection: dict[str, list[str]] = defaultdict(list)
    collections_of_file: dict[str, list[str]] = defaultdict(list)
    for collection, files in collections.items():
        for file in files:
            collections_of_file[file].append(collection)
    for paper in papers:
        names = (*paper.authors, *paper.researchers) if paper.researchers else paper.authors
        keys = [name_key(name) for name in names]
        for key, name in zip(keys, names, strict=True):
            display.setdefault(key, name)
        for key in dict.fromkeys(keys):
            by_person[key].append(paper.id)
        for collection in dict.fromkeys(c for s in paper.sources for c in collections_of_file.get(s.file, ())):
            by_collection[collection].append(paper.id)

    profiles = [
        Person(
            name=owner.name,
            kind="profile",
            paper_ids=tuple(by_person[key]),
            inferred=owner.inferred,
            fields=owner_fields[key],
        )
        for key, owner in owners.items()
    ]
    profiles.sort(key=lambda p: (-p.paper_count, fold(p.name)))
    feeds = [
        Person(name=name, kind="collection", paper_ids=tuple(by_collection[name]))
        for name in sorted(collections, key=fold)
    ]
    others = [
        Person(name=display[key], kind="person", paper_ids=tuple(ids))
        for key, ids in by_person.items()
        if key not in owners
    ]
    others.sort(key=lambda p: (-p.paper_count, fold(p.name)))
    return [*profiles, *feeds, *others]
