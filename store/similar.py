"""Papers like this one: TF-IDF cosine over title and abstract words, computed locally.

Built for 100k papers: the vectors live in a few flat numpy arrays (CSR style: one row of term
ids and weights per paper, and one posting list of papers per term), never a dict per paper. A
query gathers candidates from the postings of the paper's less common terms, then scores those
candidates exactly against the whole vector, so the scores shown are true cosines.

The index holds only arrays, the paper ids and the vocabulary: it can be built in a background
thread and handed over when done.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from store.arrays import offsets, ranges
from store.model import Paper
from store.text import fold

TITLE_WEIGHT = 3  # a word in the title counts as three in the abstract
SHARED_TERMS = 4  # words shown to explain a match
CHUNK = 4096  # papers counted at a time: bounds the memory a build needs besides the index

MIN_LETTERS = 3
_WORD = re.compile(r"[^\W\d_]+")  # letters; digits, underscores and punctuation split words
# The same split for ASCII text, as bytes, several times faster: letters kept, all else a space.
_ASCII_LETTERS = bytes(c if chr(c).isalpha() and c < 128 else 32 for c in range(256))
STOP_WORDS = frozenset(
    """
    about above after again against all also although among and another any are around because
    been before being below between both but can could did does doing down during each either
    else even ever every for from further had has have having her here hers him his how however
    into its itself just many more most much must nor not now off once one only other our ours
    out over own same several she should since some such than that the their theirs them then
    there these they this those though through thus too two under until upon very via was way
    were what when where whether which while who whom whose why will with within without would
    yet you your yours http https www com org github
    """.split()
)
_KEEP_S = ("ss", "us", "is", "ias")  # class, corpus, analysis, bias: not plurals
_SINGULAR_ALREADY = frozenset({"series", "species"})


def singular(word: str) -> str:
    """Light plural stripping, so `models` meets `model` and `queries` meets `query`."""
    if word in _SINGULAR_ALREADY:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes")) and len(word) > 4:
        return word[:-2]
    if word.endswith("s") and len(word) > 3 and not word.endswith(_KEEP_S):
        return word[:-1]
    return word


def _words(text: str) -> list[str] | list[bytes]:
    """The text's words, folded (lowercase, accents removed); short ones are dropped later."""
    text = fold(text)
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_LETTERS).split()
    return _WORD.findall(text)


class _Terms(dict[str | bytes, int]):
    """Word as found -> term id, or -1 for a short or stop word; a new term gets the next id."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: dict[str, int] = {}

    def __missing__(self, found: str | bytes) -> int:
        word = found.decode("ascii") if isinstance(found, bytes) else found
        term = singular(word)
        if len(word) < MIN_LETTERS or word in STOP_WORDS or term in STOP_WORDS:
            self[found] = -1
        else:
            self[found] = self.ids.setdefault(term, len(self.ids))
        return self[found]


@dataclass(frozen=True)
class Similar:
    paper_id: str
    score: float  # cosine similarity, 0..1
    shared_terms: tuple[str, ...]  # the words adding most to the score, most first


class SimilarityIndex:
    """TF-IDF vectors of papers (sublinear tf, smoothed idf, L2-normalised) and their postings.

    `common`: terms in more papers than this (default: a fifth of the library, at least 1,000)
    are not used to find candidates, only to score them; `candidates`: how many are scored
    exactly. A paper made only of such common words finds none.
    """

    def __init__(
        self, papers: Sequence[Paper], *, common: int | None = None, candidates: int = 300
    ) -> None:
        # Lazy records know their ids without decoding every paper.
        self._ids = tuple(getattr(papers, "ids", None) or (p.id for p in papers))
        self._positions = {pid: i for i, pid in enumerate(self._ids)}
        self._candidates = candidates
        n = len(papers)
        terms = _Terms()
        counted = [_count(papers[start : start + CHUNK], terms) for start in range(0, n, CHUNK)]
        columns = zip(*(counted or [_count((), terms)]), strict=True)
        lengths, term, weight = (np.concatenate(parts) for parts in columns)
        del counted
        self._vocabulary = tuple(terms.ids)  # ids are given in insertion order

        df = np.bincount(term, minlength=len(self._vocabulary))
        weight *= (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)[term]  # tf * smoothed idf
        _normalise(weight, lengths)
        # A term of one paper only is in its norm but can never be shared: it is not kept. Each
        # row stays sorted by term id, as _count gave it.
        doc = np.repeat(np.arange(n, dtype=np.int32), lengths)
        shared = df[term] > 1
        if not shared.all():
            doc, term, weight = doc[shared], term[shared], weight[shared]
        del shared
        self._row_starts = offsets(np.bincount(doc, minlength=n))
        self._row_terms = term
        self._row_weights = weight

        # Postings of the terms rare enough to find candidates by, papers in library order.
        self._common = max(1000, n // 5) if common is None else common
        usable = df[term] <= self._common
        self._posting_starts = offsets(np.bincount(term[usable], minlength=len(self._vocabulary)))
        order = np.argsort(term[usable], kind="stable")
        self._posting_docs = doc[usable][order]
        del doc  # freed before the weights are gathered: a lower peak at 100k papers
        self._posting_weights = weight[usable][order]

    @property
    def nbytes(self) -> int:
        """Memory held by the arrays (the ids and vocabulary strings come on top)."""
        arrays = (self._row_starts, self._row_terms, self._row_weights,
                  self._posting_starts, self._posting_docs, self._posting_weights)
        return sum(a.nbytes for a in arrays)

    def similar(self, paper_id: str, k: int = 5) -> list[Similar]:
        """The `k` papers most like this one, best first (ties: library order); never itself."""
        doc = self._positions.get(paper_id)
        if doc is None or k <= 0:
            return []
        query_terms, query_weights = self._row(doc)
        if not len(query_terms):
            return []
        found = self._candidates_of(doc, query_terms, query_weights)
        if not len(found):
            return []
        # Exact cosine of each candidate: its whole row against the query's.
        lengths = self._row_starts[found + 1] - self._row_starts[found]
        index = ranges(self._row_starts[found], lengths)
        terms = self._row_terms[index]
        at = np.minimum(np.searchsorted(query_terms, terms), len(query_terms) - 1)
        products = np.where(query_terms[at] == terms, query_weights[at] * self._row_weights[index], 0)
        scores = np.add.reduceat(products, offsets(lengths)[:-1])
        best = [i for i in np.lexsort((found, -scores))[:k] if scores[i] > 0]
        return [self._explain(int(found[i]), float(scores[i]), query_terms, query_weights) for i in best]

    def _row(self, doc: int) -> tuple[np.ndarray, np.ndarray]:
        lo, hi = self._row_starts[doc], self._row_starts[doc + 1]
        return self._row_terms[lo:hi], self._row_weights[lo:hi]

    def _candidates_of(self, doc: int, query_terms: np.ndarray, query_weights: np.ndarray) -> np.ndarray:
        """Papers sharing the query's less common terms: the best `candidates` by those alone."""
        starts = self._posting_starts[query_terms]
        lengths = self._posting_starts[query_terms + 1] - starts
        index = ranges(starts, lengths)
        partial = np.bincount(
            self._posting_docs[index],
            weights=self._posting_weights[index] * np.repeat(query_weights, lengths),
            minlength=len(self._ids),
        )
        partial[doc] = 0
        found = np.flatnonzero(partial)
        if len(found) <= self._candidates:
            return found
        # The best by partial score; among equal scores at the cut, library order.
        cut = np.partition(partial[found], -self._candidates)[-self._candidates]
        above = found[partial[found] > cut]
        tied = found[partial[found] == cut][: self._candidates - len(above)]
        return np.sort(np.concatenate([above, tied]))

    def _explain(self, doc: int, score: float, query_terms: np.ndarray, query_weights: np.ndarray) -> Similar:
        """The match, with the shared words adding most to its score (ties: alphabetical)."""
        terms, weights = self._row(doc)
        shared, at_query, at_doc = np.intersect1d(query_terms, terms, assume_unique=True, return_indices=True)
        contribution = (query_weights[at_query] * weights[at_doc]).tolist()
        words = [self._vocabulary[t] for t in shared.tolist()]
        ranked = sorted(zip(contribution, words, strict=True), key=lambda cw: (-cw[0], cw[1]))
        return Similar(self._ids[doc], round(score, 6), tuple(w for _, w in ranked[:SHARED_TERMS]))


def _count(papers: Sequence[Paper], terms: _Terms) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each paper's distinct terms: (terms per paper, term ids, sublinear tf), grouped by paper
    and sorted by term id within a paper.

    Title words are repeated TITLE_WEIGHT times. A derived title is the abstract's first
    sentence, so it is not counted again.
    """
    lookup = terms.__getitem__
    tokens = array("i")
    lengths = array("i")  # per paper: title tokens, then abstract tokens
    for paper in papers:
        before = len(tokens)
        if not paper.title_is_derived:
            tokens.extend(map(lookup, _words(paper.title)))
        middle = len(tokens)
        tokens.extend(map(lookup, _words(paper.abstract)))
        lengths.extend((middle - before, len(tokens) - middle))
    token = np.frombuffer(tokens, dtype=np.int32)
    segments = np.frombuffer(lengths, dtype=np.int32)
    repeats = np.repeat(np.tile(np.array([TITLE_WEIGHT, 1]), len(papers)), segments)
    doc = np.repeat(np.arange(len(papers), dtype=np.int64), segments.reshape(-1, 2).sum(axis=1))
    kept = token >= 0
    pairs, count = np.unique(np.repeat((doc[kept] << 32) | token[kept], repeats[kept]), return_counts=True)
    per_paper = np.bincount(pairs >> 32, minlength=len(papers)).astype(np.int32)
    tf = 1 + np.log(count.astype(np.float32))
    return per_paper, (pairs & 0xFFFFFFFF).astype(np.int32), tf


def _normalise(weight: np.ndarray, lengths: np.ndarray) -> None:
    """Scale each paper's row (`lengths` entries each, in order) to unit length, in place."""
    rows = np.flatnonzero(lengths)
    if len(rows):
        norms = np.sqrt(np.add.reduceat(weight * weight, offsets(lengths)[rows]))
        weight /= np.repeat(norms, lengths[rows])
