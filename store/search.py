"""Fuzzy search over the library: an index built once, scoring tiers, deterministic order.

Every paper gets the score of the best tier it reaches (see :data:`TIERS`): the query as the whole
title, a title prefix, a phrase starting a title word, inside the title, every query word starting
a title word, every word inside the title; the same two for authors; a category named exactly;
then, only when the exact tiers find few papers, fuzzy title/author matches (rapidfuzz, typos);
lowest, every query word inside the abstract. Ties keep library order (newest first, then
title), so results never shuffle.

How it stays fast at 100k papers: the folded titles and authors are each one byte string, one
record per paper, scanned by numpy (:mod:`store.blob`); abstracts are looked up through their
distinct words (:mod:`store.words`); typos are scored only for papers a q-gram prefilter lets
through (:mod:`store.fuzzy`). Scores are numpy arrays over all papers. Abstracts and typos are
the slow tiers, a second phase the browser runs after showing the title and author matches.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from store.blob import ALPHANUMERIC, Blob
from store.fuzzy import FUZZY_CUTOFF, MIN_FUZZY_CHARS, FuzzyIndex
from store.model import Paper
from store.query import Query
from store.text import fold
from store.words import WordIndex

TIERS = {
    "title_equals": 100.0,
    "title_prefix": 96.0,
    "title_phrase_at_word": 94.0,
    "title_phrase": 92.0,
    "title_word_prefixes": 90.0,
    "title_words": 88.0,
    "author_word_prefixes": 86.0,
    "author_words": 84.0,
    "category_equals": 82.0,
    "abstract_words": 60.0,
}
FUZZY_WHEN_FEWER_THAN = 20  # typo tolerance only when the exact tiers find this few papers
# Libraries up to this many papers are scored whole for typos: ruling most of them out first
# costs a few ms however few they are, scoring them all a fraction of that.
PREFILTER_ABOVE = 1000
MIN_ABSTRACT_WORD = 3  # shorter words are in nearly every abstract: they would only add noise


@dataclass(frozen=True)
class SearchResult:
    """Matching paper positions (indices into the library's newest-first list), best first."""

    positions: np.ndarray
    scores: np.ndarray

    @property
    def total(self) -> int:
        return len(self.positions)


class SearchIndex:
    """Folded fields of every paper, positioned as in the library's newest-first list."""

    def __init__(self, papers: Sequence[Paper], titles: Sequence[str] | None = None) -> None:
        self._load(*self.encode(papers, titles))

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], categories: list[str]) -> SearchIndex:
        """The index :meth:`encode` made, e.g. as memory-mapped from the cache: nothing is built."""
        index = cls.__new__(cls)
        index._load(arrays, categories)
        return index

    @staticmethod
    def encode(papers: Sequence[Paper], titles: Sequence[str] | None = None) -> tuple[dict[str, np.ndarray], list[str]]:
        """Everything the index holds, as arrays, and the category names (code 1 on), each
        spelled as most papers spell it. `titles`: the papers' folded titles, if already made."""
        titles = [fold(p.title) for p in papers] if titles is None else titles
        authors = [fold("; ".join(p.authors)) for p in papers]
        spellings = Counter(p.category for p in papers if p.category)
        folded_categories = {c: fold(c) for c in spellings}
        names = sorted(set(folded_categories.values()))
        code_of = {name: code for code, name in enumerate(names, start=1)}
        labels = {name: max(sorted(c for c in spellings if folded_categories[c] == name), key=spellings.__getitem__) for name in names}
        # The two largest parts are mostly numpy, which lets go of the GIL: built on the other
        # core while this thread makes the rest (the words build also overlaps its own batches).
        with ThreadPoolExecutor(2) as pool:
            fuzzy = pool.submit(FuzzyIndex.encode, [f"{t} | {a}" for t, a in zip(titles, authors, strict=True)])
            abstracts = pool.submit(WordIndex.encode, [p.abstract for p in papers])
            fields = {
                "titles": Blob.encode(titles, short_needles=True),
                "authors": Blob.encode(authors, short_needles=True),
                "sources": Blob.encode([" ".join(f"{s.format} {s.file}" for s in p.sources) for p in papers]),
                "abstracts": abstracts.result(),
                "fuzzy": fuzzy.result(),
            }
        arrays = {f"{field}.{name}": array for field, parts in fields.items() for name, array in parts.items()}
        arrays["categories"] = np.array(
            [code_of[folded_categories[p.category]] if p.category else 0 for p in papers], dtype=np.int32
        )
        arrays["years"] = np.array([p.year or 0 for p in papers], dtype=np.int32)
        arrays["has_code"] = np.array([p.has_code for p in papers], dtype=bool)
        return arrays, [labels[name] for name in names]

    def _load(self, arrays: dict[str, np.ndarray], categories: list[str]) -> None:
        def field(name: str) -> dict[str, np.ndarray]:
            return {key.split(".", 1)[1]: array for key, array in arrays.items() if key.startswith(name + ".")}

        self.arrays, self.category_list = arrays, categories
        self._titles = Blob(field("titles"))
        self._authors = Blob(field("authors"))
        self._sources = Blob(field("sources"))
        self._abstracts = WordIndex(field("abstracts"))
        self._fuzzy = FuzzyIndex(field("fuzzy"))
        self.count = len(self._titles.starts) - 1
        self._title_lengths = np.diff(self._titles.starts) - 1
        self._first_bytes = self._titles.bytes[self._titles.starts[:-1] + 1]
        self._category_names = {fold(label): code for code, label in enumerate(categories, start=1)}
        self._categories = arrays["categories"]
        self._years = arrays["years"]
        self._has_code = arrays["has_code"]
        self._lock = threading.Lock()  # the offset caches are shared by the browser's search threads

    def facets(self) -> tuple[list[tuple[str, int]], list[tuple[int, int]]]:
        """Papers per category (most first, then by name) and per year (newest first), counted
        from the arrays: no paper is decoded."""
        per_category = np.bincount(self._categories, minlength=len(self.category_list) + 1)
        categories = sorted(
            ((label, int(per_category[code])) for code, label in enumerate(self.category_list, start=1) if per_category[code]),
            key=lambda pair: (-pair[1], pair[0]),
        )
        years, counts = np.unique(self._years[self._years > 0], return_counts=True)
        return categories, [(int(y), int(n)) for y, n in zip(years[::-1], counts[::-1], strict=True)]

    # --- filters --------------------------------------------------------------------------

    def _filter_mask(self, query: Query, within: np.ndarray | None) -> np.ndarray:
        mask = np.ones(self.count, dtype=bool) if within is None else within.copy()
        if query.year_from is not None:
            mask &= self._years >= query.year_from
        if query.year_to is not None:
            mask &= (self._years <= query.year_to) & (self._years > 0)
        if query.categories:
            codes = [self._category_names.get(c, -1) for c in query.categories]
            mask &= np.isin(self._categories, codes)
        for source in query.sources:
            mask &= self._contains(self._sources, source)
        for author in query.authors:
            mask &= self._contains(self._authors, author)
        if "has:code" in query.flags:
            mask &= self._has_code
        return mask

    def _contains(self, blob: Blob, text: str) -> np.ndarray:
        return blob.records(blob.phrase(text), self.count)

    # --- scoring --------------------------------------------------------------------------

    def search(self, query: Query, within: np.ndarray | None = None, abstracts: bool = True) -> SearchResult:
        """Every paper matching `query`, best first; `within` (a mask over the papers) limits it.

        With `abstracts=False` the two slow tiers, typo matching and words inside abstracts, are
        left out: the browser shows that fast first phase, then the whole result.
        """
        with self._lock:
            return self._search(query, within, abstracts)

    def _search(self, query: Query, within: np.ndarray | None, abstracts: bool) -> SearchResult:
        mask = self._filter_mask(query, within)
        if not query.text:
            positions = np.flatnonzero(mask)
            return SearchResult(positions, np.zeros(len(positions)))
        scores = self._exact_scores(query.text)
        if abstracts:
            np.maximum(scores, np.where(self.abstract_mask(query.text), TIERS["abstract_words"], 0.0), out=scores)
        scores[~mask] = 0.0
        if abstracts and len(query.text) >= MIN_FUZZY_CHARS and np.count_nonzero(scores >= TIERS["category_equals"]) < FUZZY_WHEN_FEWER_THAN:
            self._add_fuzzy(query.text, scores, mask)
        positions = np.flatnonzero(scores > 0)
        order = np.lexsort((positions, -scores[positions]))
        return SearchResult(positions[order], scores[positions][order])

    def _exact_scores(self, text: str) -> np.ndarray:
        words = text.split()
        titles, authors = self._titles, self._authors
        scores = np.zeros(self.count)

        def raise_to(tier: str, where: np.ndarray) -> None:
            np.maximum(scores, np.where(where, TIERS[tier], 0.0), out=scores)

        title_masks = [titles.word_masks(w, self.count) for w in words]
        raise_to("title_words", _all(inside for inside, _ in title_masks))
        raise_to("title_word_prefixes", _all(start for _, start in title_masks))
        if len(text) == 1 and text in ALPHANUMERIC:
            # One character: the phrase tiers follow from the letter sets, no scan needed.
            inside, start = title_masks[0]
            raise_to("title_phrase", inside)
            raise_to("title_phrase_at_word", start)
            first = self._first_bytes == ord(text)
            raise_to("title_prefix", first)
            raise_to("title_equals", first & (self._title_lengths == 2))
        else:
            phrase = titles.phrase(text)
            raise_to("title_phrase", titles.records(phrase, self.count))
            at_word = titles.at_word_start(phrase)
            raise_to("title_phrase_at_word", titles.records(at_word, self.count))
            record = titles.record_of(at_word)
            prefix = at_word[at_word == titles.starts[record] + 1]
            raise_to("title_prefix", titles.records(prefix, self.count))
            record = titles.record_of(prefix)
            whole = prefix[self._title_lengths[record] == len(text.encode("utf-8")) + 1]
            raise_to("title_equals", titles.records(whole, self.count))

        author_masks = [authors.word_masks(w, self.count) for w in words]
        raise_to("author_words", _all(inside for inside, _ in author_masks))
        raise_to("author_word_prefixes", _all(start for _, start in author_masks))
        code = self._category_names.get(text)
        if code is not None:
            raise_to("category_equals", self._categories == code)
        return scores

    def abstract_mask(self, text: str) -> np.ndarray:
        """Papers whose abstract holds every query word of at least MIN_ABSTRACT_WORD characters."""
        words = [w for w in text.split() if len(w) >= MIN_ABSTRACT_WORD]
        if not words:
            return np.zeros(self.count, dtype=bool)
        return _all(self._abstracts.records(w, self.count) for w in words)

    def _add_fuzzy(self, text: str, scores: np.ndarray, mask: np.ndarray) -> None:
        """Typos and near-misses in titles and authors, for papers no exact tier reached."""
        wanted = mask & (scores == 0)
        if self.count > PREFILTER_ABOVE:
            wanted &= self._fuzzy.may_match(text)
        candidates = np.flatnonzero(wanted)
        found = self._fuzzy.scores(text, candidates)
        scores[candidates] = found


def _all(masks) -> np.ndarray:  # type: ignore[no-untyped-def]
    result: np.ndarray | None = None
    for mask in masks:
        result = mask if result is None else result & mask
    assert result is not None
    return result


def highlight_spans(text: str, query_text: str) -> list[tuple[int, int]]:
    """Character spans of `text` to highlight for a query: every word's occurrences, else the
    best fuzzy alignment. Folding is per character, so spans index the original text."""
    if not query_text:
        return []
    # ASCII folds to its lower case, one character for one; other text a character at a time.
    folded = text.lower() if text.isascii() else "".join(fold(c)[:1] or c for c in text)
    spans: list[tuple[int, int]] = []
    for word in query_text.split():
        start = folded.find(word)
        while start != -1:
            spans.append((start, start + len(word)))
            start = folded.find(word, start + len(word))
    if spans:
        return sorted(spans)
    if len(query_text) < MIN_FUZZY_CHARS:
        return []
    from rapidfuzz import fuzz  # here, not at start-up: ~20 ms before the first screen

    alignment = fuzz.partial_ratio_alignment(query_text, folded, score_cutoff=FUZZY_CUTOFF)
    if alignment is None:
        return []
    return [(alignment.dest_start, alignment.dest_end)]
