"""The one interface the CLI and the browser use: open, ingest, papers, people, search."""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from store.cache import identity_of
from store.collector import collector_paused
from store.db import SCHEMA_VERSION, SOURCES_TABLE, StoreError, StoreFile, schema_version
from store.desk import Desk, Mark, ReadState
from store.locations import bundled_seeds_dir, default_db_path
from store.model import Paper, Person, SourcePage
from store.papers import PaperList
from store.query import Query, parse_query
from store.researchers import ResearcherSummary, summarize
from store.snapshot import Snapshot
from store.text import name_key

if TYPE_CHECKING:  # imported where used: opening a library parses nothing and seldom asks for similar papers
    from store.ingest import FileResult
    from store.similar import SimilarityIndex

DESK_FILTERS: dict[str, Callable[[Mark], bool]] = {
    "is:starred": lambda m: m.starred,
    "is:read": lambda m: m.is_read,
    "is:seen": lambda m: m.state != "unseen",
    "has:note": lambda m: bool(m.note),
}
NEGATED_FILTERS = {"is:unread": "is:read"}  # every paper but those the other filter lets through
SIMILAR_BUILD_QUICK_MAX = 10_000  # papers; the similar-papers index takes ~1 s per 10k to build


class _NothingNew(Exception):
    """Raised inside a store write that found nothing to change: nothing is written."""


@dataclass(frozen=True)
class SearchHits:
    """What a search found: the papers (best first) and the query as understood."""

    papers: PaperList
    total: int
    query: Query


class Library:
    """A snapshot of the store: papers newest first, people, and the search index over them.

    Opening reads the cache beside the store when it was made from this very store file, else
    merges the stored pages and writes the cache. The pages themselves are read from the store
    only when asked for (:attr:`pages`), or by ingest.
    """

    def __init__(self, store_file: StoreFile, snapshot: Snapshot, desk: Desk | None = None) -> None:
        self.store_file = store_file
        self.desk = desk or Desk.beside(store_file.path)
        self._set_snapshot(snapshot)

    @classmethod
    def from_pages(cls, store_file: StoreFile, pages: Sequence[SourcePage]) -> Library:
        """A library of these pages, whatever the store file holds (nothing is read or cached)."""
        return cls(store_file, _build(pages, store_file, None))

    # --- opening and ingesting ------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path | None = None,
        *,
        seed_if_empty: bool = True,
        captured: date | None = None,
        on_rebuild: Callable[[int, int], None] | None = None,
    ) -> Library:
        """Open the store at `path` (default: $PAPERSCOPE_DB or the user data dir).

        An empty store is first filled from the bundled seed pages, unless told not to. With no
        cache to read, the stored pages are merged and indexed (~1 s per 10k papers):
        `on_rebuild` is told first: how many pages, and how many papers they list.
        """
        store_file = StoreFile(path or default_db_path())
        try:
            status: os.stat_result | None = os.stat(store_file.path)
        except OSError:
            status = None  # no store yet, or one the read below reports on
        snapshot = None if status is None else Snapshot.load(store_file.cache_path, identity_of(status))
        if snapshot is None:
            with collector_paused():
                document, status = store_file.read_identified()
                if document and schema_version(document) < SCHEMA_VERSION:
                    # An older store is upgraded in place, atomically; a damaged one is left alone.
                    document = store_file.migrate(lambda document: _pages_of(document, store_file.path))
                    status = store_file.written  # None if another process migrated it: cached next time
                pages = _pages_of(document, store_file.path)
                del document  # the parsed JSON: more memory than the pages made of it
                if on_rebuild is not None and pages:
                    on_rebuild(len(pages), sum(len(page.papers) for page in pages))
                snapshot = _build(pages, store_file, status)
        library = cls(store_file, snapshot)
        if seed_if_empty and not snapshot.sources:
            library.ingest([bundled_seeds_dir()], captured=captured)
        return library

    def ingest(self, paths: Iterable[Path], captured: date | None = None) -> list[FileResult]:
        """Add or update pages; the same files again change nothing. One atomic write."""
        from store.ingest import parse_files

        captured = captured or date.today()
        # The new library is built in a thread while the store is written: the write is mostly the
        # kernel copying ~200 MB at 100k papers, time the build can use. On an error (or Ctrl+C)
        # this returns without waiting for the build, which would only be thrown away (the thread
        # still runs to its end unless the process exits at once, as the command line does).
        builder = ThreadPoolExecutor(1, thread_name_prefix="build")
        with collector_paused():
            try:
                with self.store_file.writing() as db:
                    document = db.storage.read()
                    existing = _pages_of(document, self.store_file.path)
                    by_sha = {page.sha256: page for page in existing}
                    parsed, results = parse_files(paths, captured, by_sha)
                    if not parsed:
                        raise _NothingNew  # leaves the store (and so its cache) untouched
                    pages = {page.path: page for page in existing}
                    outcome: dict[str, str] = {}
                    for page in parsed:
                        outcome[page.path] = "updated" if page.path in pages else "added"
                        pages[page.path] = page
                    # The table TinyDB's truncate and insert_multiple would make (ids from 1), with the
                    # pages as they are: orjson writes each as the very dict SourcePage.to_json makes.
                    document[SOURCES_TABLE] = {str(n): page for n, page in enumerate(pages.values(), start=1)}
                    building = builder.submit(Snapshot.build, list(_sorted_pages(pages.values())))
                snapshot = building.result()
            except _NothingNew:
                # Pages written by an ingest interrupted before it noted their papers' arrival
                # are noted now (nothing is written when every paper is known).
                self.desk.record_arrivals(self._snapshot.papers.ids)
                return results
            finally:
                builder.shutdown(wait=False, cancel_futures=True)
            # Still paused: a collection here would walk every page parsed, to free nothing.
            _save_cache(snapshot, self.store_file, self.store_file.written)
            self._set_snapshot(snapshot)
            self.desk.record_arrivals(self._snapshot.papers.ids)
        return [_with_outcome(r, outcome) for r in results]

    def _set_snapshot(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot
        self.papers: Sequence[Paper] = snapshot.papers  # decoded when read
        self.people: tuple[Person, ...] = snapshot.people
        self.timings: dict[str, Any] = snapshot.timings
        self._positions = {paper_id: i for i, paper_id in enumerate(snapshot.papers.ids)}
        self._people_by_key = {name_key(p.name): p for p in self.people}
        self._index = snapshot.index
        self._similarity: SimilarityIndex | None = None  # built on first use: most sessions never ask
        self._similarity_lock = threading.Lock()

    @property
    def pages(self) -> tuple[SourcePage, ...]:
        """The stored pages, by file: read from the store file (as it is now) when asked for."""
        return _sorted_pages(_pages_of(self.store_file.read(), self.store_file.path))

    # --- reading --------------------------------------------------------------------------

    def paper(self, paper_id: str) -> Paper | None:
        position = self._positions.get(paper_id)
        return None if position is None else self.papers[position]

    def position(self, paper_id: str) -> int:
        """Where a paper stands in the library's newest-first order."""
        return self._positions[paper_id]

    def person(self, name: str) -> Person | None:
        """A person by name, regardless of case, spacing and accents."""
        return self._people_by_key.get(name_key(name))

    def papers_of(self, person: Person) -> list[Paper]:
        """The person's papers, newest first."""
        return self._in_order(person.paper_ids)

    def search(self, raw_query: str, person: Person | None = None, *, abstracts: bool = True) -> SearchHits:
        """Papers matching a query (free text and field filters), best first.

        With `person`, only that person's papers are searched. `abstracts=False` leaves out the
        slowest tier (words inside abstracts), for a browser that shows the rest first.
        """
        query = parse_query(raw_query)
        masks = [self._mask_of(person.paper_ids)] if person else []
        masks += self._desk_masks(query.flags)
        masks += [self._mask_of(p.paper_ids if (p := self.person(name)) else ()) for name in query.people]
        within = functools.reduce(np.logical_and, masks) if masks else None
        result = self._index.search(query, within, abstracts=abstracts)
        return SearchHits(PaperList(self.papers, result.positions), result.total, query)

    def _desk_masks(self, flags: frozenset[str]) -> list[np.ndarray]:
        """The papers each desk filter (`is:starred`, `is:unread`, `has:note`, ...) lets through."""
        masks = []
        for flag in sorted(flags & (DESK_FILTERS.keys() | NEGATED_FILTERS.keys())):
            mask = self._mask_of(self.desk.ids_where(DESK_FILTERS[NEGATED_FILTERS.get(flag, flag)]))
            masks.append(~mask if flag in NEGATED_FILTERS else mask)
        return masks

    def _mask_of(self, ids: Iterable[str]) -> np.ndarray:
        """The papers with these ids, as a mask over the library's order (unknown ids left out)."""
        mask = np.zeros(len(self.papers), dtype=bool)
        mask[[self._positions[i] for i in ids if i in self._positions]] = True
        return mask

    # --- the user's desk: stars, reading state, notes, visits ---------------------------------

    def mark(self, paper_id: str) -> Mark:
        return self.desk.mark(paper_id)

    def toggle_star(self, paper_id: str) -> bool:
        return self.desk.toggle_star(paper_id)

    def set_starred(self, paper_ids: Iterable[str], starred: bool) -> None:
        self.desk.set_starred(paper_ids, starred)

    def toggle_read(self, paper_id: str) -> ReadState:
        return self.desk.toggle_read(paper_id)

    def mark_seen(self, paper_id: str) -> None:
        self.desk.mark_seen(paper_id)

    def set_note(self, paper_id: str, note: str) -> None:
        self.desk.set_note(paper_id, note)

    def notes(self) -> dict[str, str]:
        """Every note by paper id (what exports carry)."""
        return {pid: self.desk.mark(pid).note for pid in self.desk.ids_where(lambda m: bool(m.note))}

    def starred(self) -> list[Paper]:
        """The starred papers, newest first."""
        return self._in_order(self.desk.ids_where(lambda m: m.starred))

    def new_since_last_visit(self, person: Person) -> frozenset[str]:
        """Ids of the person's papers that arrived in the store after the user last visited them
        (none before a first visit: then everything would be new, which says nothing)."""
        previous = self.desk.last_visit(person.name)
        if previous is None:
            return frozenset()
        return frozenset(pid for pid in person.paper_ids if (self.desk.arrived(pid) or previous) > previous)

    def visit(self, person: Person) -> None:
        """Record that the user opened `person` now."""
        self.desk.visit(person.name)

    def summary(self, person: Person) -> ResearcherSummary:
        """Collaborators (named as the people list names them), papers per year, categories and
        the figures the person's page gave."""
        def display(name: str) -> str:
            known = self.person(name)
            return known.name if known else name

        return summarize(person, self.papers_of(person), display)

    def _in_order(self, ids: Iterable[str]) -> list[Paper]:
        return [self.papers[i] for i in sorted(self._positions[p] for p in ids if p in self._positions)]

    def similar_is_quick(self) -> bool:
        """Whether `similar` answers at once: its index is built, or the library is small enough
        to build it in about a second (larger ones build it only when the user asks)."""
        return self._similarity is not None or len(self.papers) <= SIMILAR_BUILD_QUICK_MAX

    def similar(self, paper_id: str, k: int = 5) -> list[tuple[Paper, tuple[str, ...]]]:
        """The `k` papers most like this one by title and abstract words (TF-IDF cosine), each
        with the words they share that weigh most. The first call builds the index: call it off
        the UI thread."""
        with self._similarity_lock:
            if self._similarity is None:
                from store.similar import SimilarityIndex

                self._similarity = SimilarityIndex(self.papers)
            index = self._similarity
        return [(self.papers[self._positions[s.paper_id]], s.shared_terms) for s in index.similar(paper_id, k)]

    def facets(self) -> tuple[list[tuple[str, int]], list[tuple[int, int]]]:
        """Papers per category (most first) and per year (newest first), at once at any size."""
        return self._index.facets()

    def stats(self) -> dict[str, Any]:
        kinds = [p.kind for p in self.people]
        return {
            "papers": len(self.papers),
            "researchers": kinds.count("profile"),
            "collections": kinds.count("collection"),
            "people": kinds.count("person"),
            "sources": [dict(source) for source in self._snapshot.sources],
        }


def _sorted_pages(pages: Iterable[SourcePage]) -> tuple[SourcePage, ...]:
    return tuple(sorted(pages, key=lambda p: (p.file, p.path)))


def _build(pages: Iterable[SourcePage], store_file: StoreFile, written: os.stat_result | None) -> Snapshot:
    """The snapshot of `pages`; cached when they are the whole store file `written`."""
    snapshot = Snapshot.build(list(_sorted_pages(pages)))  # the one copy
    _save_cache(snapshot, store_file, written)
    return snapshot


def _save_cache(snapshot: Snapshot, store_file: StoreFile, written: os.stat_result | None) -> None:
    """Cache the snapshot of the store file `written` (None: not the whole file, not cached).
    The cache is optional: a failure to write it is not the user's problem (the next open tries
    again)."""
    if written is not None:
        try:
            snapshot.save(store_file.cache_path, identity_of(written))
        except OSError:
            pass


def _pages_of(document: dict[str, Any], path: Path) -> list[SourcePage]:
    """The stored pages; a record of the wrong shape is a damaged store, not a traceback."""
    try:
        return [SourcePage.from_json(doc) for doc in document.get(SOURCES_TABLE, {}).values()]
    except (KeyError, TypeError, AttributeError, ValueError):
        raise StoreError(
            f"{path}: the store is damaged (a source page record has the wrong shape); "
            "move it aside to start a new store, or restore a backup"
        ) from None


def _with_outcome(result: FileResult, outcome: dict[str, str]) -> FileResult:
    if result.outcome == "failed":
        return result
    resolved = str(Path(result.path).resolve())
    return replace(result, outcome=outcome.get(resolved, result.outcome))
