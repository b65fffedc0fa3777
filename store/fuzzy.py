"""Typo tolerance: a query scored with rapidfuzz's partial_ratio against every paper's folded
"title | authors", after a q-gram prefilter that leaves out the papers that cannot reach the cutoff.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz, process

from store.blob import ALPHANUMERIC, Blob

FUZZY_WEIGHT = 0.8  # fuzzy scores (85..100) land at 68..80: below every exact title/author tier
FUZZY_CUTOFF = 85.0
MIN_FUZZY_CHARS = 4
ENCODE_BATCH = 4096  # papers per batch when finding q-grams (bounds the memory it takes)

# Bigram classes for the prefilter: each letter or digit, space, and one class for every other
# byte. Merging characters into a class only lets more papers through, never fewer.
CLASSES = len(ALPHANUMERIC) + 2
CLASS_OF = np.full(256, CLASSES - 1, dtype=np.int64)
CLASS_OF[[ord(c) for c in ALPHANUMERIC + " "]] = np.arange(CLASSES - 1)
BIGRAM_ROWS = CLASSES * CLASSES
TRIGRAM_BUCKETS = 1021  # a prime: 2.5k rows of count / 8 bytes (31 MB at 100k papers)


class FuzzyIndex:
    """The folded "title | authors" of every paper, and per q-gram the papers holding it."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        """From :meth:`encode`'s arrays (built now, or memory-mapped from the cache)."""
        self._blob = Blob(arrays)
        self._grams = arrays["grams"]
        self.count = len(self._blob.starts) - 1

    @staticmethod
    def encode(choices: Sequence[str]) -> dict[str, np.ndarray]:
        arrays = Blob.encode(choices)
        arrays["grams"] = gram_presence(arrays["bytes"], arrays["starts"])
        return arrays

    @functools.cached_property
    def _choices(self) -> list[str]:
        """Every choice as a string, made when typo matching is first needed."""
        return self._blob.texts()

    @functools.cached_property
    def _lengths(self) -> np.ndarray:
        """Length in characters of each choice (what partial_ratio compares)."""
        return np.fromiter(map(len, self._choices), dtype=np.int64, count=self.count)

    def scores(self, text: str, candidates: np.ndarray) -> np.ndarray:
        """FUZZY_WEIGHT times partial_ratio of `text` against each candidate; 0 below the cutoff."""
        if not len(candidates):
            return np.zeros(0)
        choices = self._choices
        matrix = process.cdist(
            [text], [choices[i] for i in candidates],
            scorer=fuzz.partial_ratio, score_cutoff=FUZZY_CUTOFF, workers=-1, dtype=np.float64,
        )
        return FUZZY_WEIGHT * matrix[0]

    def may_match(self, text: str) -> np.ndarray:
        """Papers that can reach FUZZY_CUTOFF: those holding at least :func:`min_shared_grams` of
        the query's bigram and of its trigram positions, and every choice no longer than the query
        (partial_ratio then aligns the choice inside the query, which the bound does not cover)."""
        may = np.ones(self.count, dtype=bool)
        classes = np.array([CLASS_OF[ord(c)] if ord(c) < 128 else CLASSES - 1 for c in text], dtype=np.int64)
        for q, rows in enumerate(gram_codes(classes), start=2):
            needed = min_shared_grams(len(text), q)
            if needed > 0:
                may &= self._papers_holding(rows) >= needed
        return may | (self._lengths <= len(text))

    def _papers_holding(self, rows: np.ndarray) -> np.ndarray:
        """Per paper, how many of `rows` (repeats counted) its q-gram presence has."""
        held = np.zeros(self.count, dtype=np.int64)
        for row, times in zip(*np.unique(rows, return_counts=True), strict=True):
            held += np.unpackbits(self._grams[row], count=self.count) * times
        return held


def gram_codes(classes: np.ndarray) -> list[np.ndarray]:
    """The row of :func:`gram_presence` for each bigram, then each trigram, of a class sequence:
    bigrams by their two classes, trigrams hashed into TRIGRAM_BUCKETS (a shared row only lets
    more papers through)."""
    bigrams = classes[:-1] * CLASSES + classes[1:]
    trigrams = BIGRAM_ROWS + (bigrams[:-1] * CLASSES + classes[2:]) % TRIGRAM_BUCKETS
    return [bigrams, trigrams]


def gram_presence(data: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Per bigram and trigram row, a packed bitset of the records holding it (np.packbits order).

    Made from the UTF-8 bytes: a non-ASCII character's bytes all fall in the "other" class, so
    every q-gram of characters in a record is also a q-gram of classes of its bytes.
    """
    count = len(starts) - 1
    packed = np.zeros((BIGRAM_ROWS + TRIGRAM_BUCKETS, (count + 7) // 8), dtype=np.uint8)
    for first in range(0, count, ENCODE_BATCH):  # a multiple of 8: batches fill whole bytes
        last = min(first + ENCODE_BATCH, count)
        classes = CLASS_OF[data[starts[first] : starts[last]]]
        records = np.repeat(np.arange(last - first), np.diff(starts[first : last + 1]))
        present = np.zeros((len(packed), last - first), dtype=bool)
        for codes in gram_codes(classes):
            present[codes, records[: len(codes)]] = True
        packed[:, first // 8 : (last + 7) // 8] = np.packbits(present, axis=1)
    return packed


@functools.cache
def min_shared_grams(length: int, q: int) -> int:
    """How many of a query's `length - q + 1` q-gram positions any text it fuzzy-matches holds.

    partial_ratio (choice longer than the query) scores the query against windows of the choice
    of at most `length` characters: 100 * (1 - indel / (length + window)). Along an alignment with
    `common` matched characters, each of the query's `length - common` deleted characters breaks
    at most q of its q-grams and each of the window's `window - common` inserted ones at most
    q - 1, so the rest survive inside the window. This is the least survivors over every window
    and alignment that reaches FUZZY_CUTOFF (with slack for rounding); 0 or less: no bound.
    """
    least = length
    for window in range(1, length + 1):
        for common in range(window + 1):
            distance = length + window - 2 * common
            if 1 - distance / (length + window) >= FUZZY_CUTOFF / 100 - 1e-9:
                broken = q * (length - common) + (q - 1) * (window - common)
                least = min(least, length - q + 1 - broken)
    return least
