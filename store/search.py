"""Fuzzy search over the library: an index built once, scoring tiers, deterministic order.

Ranking tiers (higher first): the whole title, a title prefix, the query inside the title, every
query word starting a title word, every word inside the title; author matches; a category named
exactly; fuzzy title/author matches (rapidfuzz); finally every word inside the abstract. Ties keep
library order (newest first, then title), so results never shuffle between runs.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from store.model import Paper
from store.query import Query
from store.text import fold

FUZZY_CUTOFF = 80.0
_MIN_FUZZY_CHARS = 4


@dataclass(frozen=True)
class SearchResult:
    """Matching paper positions (indices into the library's newest-first list), best first."""

    positions: tuple[int, ...]
    scores: tuple[float, ...]

    @property
    def total(self) -> int:
        return len(self.positions)


@dataclass(frozen=True)
class _Entry:
    title: str  # folded, with a leading space so " word" finds word starts
    authors: str  # folded, "; "-joined, leading space
    author_names: tuple[str, ...]  # folded
    abstract: str
    category: str
    year: int | None
    sources: str  # folded "format file" pairs
    has_code: bool


def _entry(paper: Paper) -> _Entry:
    names = tuple(fold(a) for a in paper.authors)
    return _Entry(
        title=" " + fold(paper.title),
        authors=" " + "; ".join(names),
        author_names=names,
        abstract=fold(paper.abstract),
        category=fold(paper.category or ""),
        year=paper.year,
        sources=" ".join(fold(f"{s.format} {s.file}") for s in paper.sources),
        has_code=paper.has_code,
    )


class SearchIndex:
    """Folded fields of every paper, positioned as in the library's newest-first list."""

    def __init__(self, papers: Sequence[Paper]) -> None:
        self._entries = [_entry(p) for p in papers]

    def search(self, query: Query, within: Collection[int] | None = None) -> SearchResult:
        """Every paper matching `query`, best first; `within` limits it to those positions."""
        positions = sorted(within) if within is not None else range(len(self._entries))
        candidates = [i for i in positions if self._passes_filters(i, query)]
        if not query.text:
            return SearchResult(tuple(candidates), tuple(0.0 for _ in candidates))
        scored = self._score(query.text, candidates)
        scored.sort(key=lambda pair: (-pair[1], pair[0]))
        return SearchResult(tuple(i for i, _ in scored), tuple(s for _, s in scored))

    def _passes_filters(self, i: int, query: Query) -> bool:
        entry = self._entries[i]
        if query.year_from is not None and (entry.year is None or entry.year < query.year_from):
            return False
        if query.year_to is not None and (entry.year is None or entry.year > query.year_to):
            return False
        if query.categories and not any(c == entry.category for c in query.categories):
            return False
        if query.sources and not all(s in entry.sources for s in query.sources):
            return False
        if query.authors and not all(
            any(a in name for name in entry.author_names) for a in query.authors
        ):
            return False
        if "has:code" in query.flags and not entry.has_code:
            return False
        return True

    def _score(self, text: str, candidates: list[int]) -> list[tuple[int, float]]:
        words = text.split()
        spaced = " " + text
        results: list[tuple[int, float]] = []
        unmatched: list[int] = []
        for i in candidates:
            score = self._exact_score(self._entries[i], text, spaced, words)
            if score:
                results.append((i, score))
            else:
                unmatched.append(i)
        if len(text) >= _MIN_FUZZY_CHARS and unmatched:
            results.extend(self._fuzzy(text, unmatched))
        return results

    @staticmethod
    def _exact_score(entry: _Entry, text: str, spaced: str, words: list[str]) -> float:
        title = entry.title
        if title == spaced:
            return 100.0
        if title.startswith(spaced):
            return 96.0
        if spaced in title:
            return 94.0
        if text in title:
            return 92.0
        if all(" " + w in title for w in words):
            return 90.0
        if all(w in title for w in words):
            return 88.0
        if all(" " + w in entry.authors for w in words):
            return 86.0
        if all(w in entry.authors for w in words):
            return 84.0
        if text == entry.category:
            return 82.0
        if all(w in entry.abstract for w in words):
            return 60.0
        return 0.0

    def _fuzzy(self, text: str, candidates: list[int]) -> list[tuple[int, float]]:
        """Typos and near-misses in titles and authors, scored below every exact title match."""
        choices = [self._entries[i].title + " |" + self._entries[i].authors for i in candidates]
        matrix = process.cdist(
            [text], choices, scorer=fuzz.partial_ratio, score_cutoff=FUZZY_CUTOFF, workers=-1
        )
        row = matrix[0]
        return [
            (candidates[j], 0.8 * float(row[j])) for j in range(len(candidates)) if row[j] > 0
        ]


def highlight_spans(text: str, query_text: str) -> list[tuple[int, int]]:
    """Character spans of `text` to highlight for a query: every word's occurrences, else the
    best fuzzy alignment. Folding is per character, so spans index the original text."""
    if not query_text:
        return []
    folded = "".join(fold(c)[:1] or c for c in text)
    spans: list[tuple[int, int]] = []
    for word in query_text.split():
        start = folded.find(word)
        while start != -1:
            spans.append((start, start + len(word)))
            start = folded.find(word, start + len(word))
    if spans:
        return sorted(spans)
    if len(query_text) < _MIN_FUZZY_CHARS:
        return []
    alignment = fuzz.partial_ratio_alignment(query_text, folded, score_cutoff=FUZZY_CUTOFF)
    if alignment is None:
        return []
    return [(alignment.dest_start, alignment.dest_end)]
