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
EDGE_FAR = 255  # edge distances are kept up to this (a uint8): 38 bytes per paper and edge


class FuzzyIndex:
    """The folded "title | authors" of every paper, per q-gram the papers holding it, and per
    character class how near each paper's start and end it first occurs."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        """From :meth:`encode`'s arrays (built now, or memory-mapped from the cache)."""
        self._blob = Blob(arrays)
        self._grams = arrays["grams"]
        self._from_start = arrays["from_start"]
        self._from_end = arrays["from_end"]
        self.count = len(self._blob.starts) - 1

    @staticmethod
    def encode(choices: Sequence[str]) -> dict[str, np.ndarray]:
        arrays = Blob.encode(choices)
        arrays["grams"] = gram_presence(arrays["bytes"], arrays["starts"])
        arrays["from_start"], arrays["from_end"] = edge_distances(arrays["bytes"], arrays["starts"])
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
        """Papers that can reach FUZZY_CUTOFF, and every choice no longer than the query
        (partial_ratio then aligns the choice inside the query, which the bounds do not cover).

        A longer choice reaches it in a window of it (see :func:`min_shared_grams`): either one of
        exactly len(text) characters, anywhere, or a shorter one, which partial_ratio only takes at
        the choice's start or end, so its characters lie within len(text) - 1 of that edge. So a
        paper can match only if it holds enough of the query's q-grams for a full window, or
        enough for a shorter one and enough of the query's characters near its start or end.
        """
        length = len(text)
        classes = np.array([CLASS_OF[ord(c)] if ord(c) < 128 else CLASSES - 1 for c in text], dtype=np.int64)
        held = [self._papers_holding(rows) for rows in gram_codes(classes)]
        full = _at_least(held, [min_shared_grams(length, q, full=True) for q in (2, 3)])
        short = _at_least(held, [min_shared_grams(length, q, full=False) for q in (2, 3)])
        short &= self._near(self._from_start, classes) | self._near(self._from_end, classes)
        return full | short | (self._lengths <= length)

    def _near(self, distances: np.ndarray, classes: np.ndarray) -> np.ndarray:
        """Papers holding at least :func:`min_shared_grams` (q=1, shorter windows) of the query's
        characters (repeats counted) within len(query) - 1 characters of one edge."""
        needed = min_shared_grams(len(classes), 1, full=False)
        near = np.zeros(self.count, dtype=np.min_scalar_type(len(classes)))
        for row, times in zip(*np.unique(classes, return_counts=True), strict=True):
            near += (distances[row] < len(classes) - 1) * near.dtype.type(times)
        return near >= needed

    def _papers_holding(self, rows: np.ndarray) -> np.ndarray:
        """Per paper, how many of `rows` (repeats counted) its q-gram presence has."""
        held = np.zeros(self.count, dtype=np.min_scalar_type(len(rows)))
        for row, times in zip(*np.unique(rows, return_counts=True), strict=True):
            held += np.unpackbits(self._grams[row], count=self.count) * held.dtype.type(times)
        return held


def _at_least(held: list[np.ndarray], needed: list[int]) -> np.ndarray:
    """Papers holding, for every q, at least the needed count of q-grams."""
    result = np.ones(len(held[0]), dtype=bool)
    for counts, least in zip(held, needed, strict=True):
        if least > 0:
            result &= counts >= least
    return result


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


def edge_distances(data: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per class and record, how many characters precede the class's first occurrence in the
    record, and how many follow its last (EDGE_FAR: that many or more, or none).

    Counted in characters, as partial_ratio counts, from the UTF-8 bytes: a character is its
    leading byte (continuation bytes are skipped), classed as in :func:`gram_presence`.
    """
    count = len(starts) - 1
    from_start = np.full((CLASSES, count), EDGE_FAR, dtype=np.uint8)
    from_end = np.full((CLASSES, count), EDGE_FAR, dtype=np.uint8)
    for first in range(0, count, ENCODE_BATCH):
        last = min(first + ENCODE_BATCH, count)
        body = data[starts[first] : starts[last]]
        records = np.repeat(np.arange(first, last), np.diff(starts[first : last + 1]))
        leading = (body & 0xC0) != 0x80
        characters = np.cumsum(leading)  # per byte, its character's number in the batch, from 1
        at_start = characters[starts[first:last] - starts[first]]  # each record's leading space
        at_end = characters[starts[first + 1 : last + 1] - starts[first] - 1]  # its newline
        inside = leading & (characters > at_start[records - first]) & (characters < at_end[records - first])
        cells = CLASS_OF[body[inside]] * count + records[inside]
        before = characters[inside] - at_start[records[inside] - first] - 1
        after = at_end[records[inside] - first] - characters[inside] - 1
        np.minimum.at(from_start.reshape(-1), cells, np.minimum(before, EDGE_FAR).astype(np.uint8))
        np.minimum.at(from_end.reshape(-1), cells, np.minimum(after, EDGE_FAR).astype(np.uint8))
    return from_start, from_end


@functools.cache
def min_shared_grams(length: int, q: int, full: bool) -> int:
    """How many of a query's `length - q + 1` q-gram positions any text it fuzzy-matches in a
    window of `length` characters (`full`), or in a shorter one (not `full`), holds.

    partial_ratio (choice longer than the query) scores the query against windows of the choice
    of at most `length` characters: 100 * (1 - indel / (length + window)). Along an alignment with
    `common` matched characters, each of the query's `length - common` deleted characters breaks
    at most q of its q-grams and each of the window's `window - common` inserted ones at most
    q - 1, so the rest survive inside the window. This is the least survivors over those windows
    and every alignment that reaches FUZZY_CUTOFF (with slack for rounding); 0 or less: no bound.
    """
    least = length
    for window in range(length, length + 1) if full else range(1, length):
        for common in range(window + 1):
            distance = length + window - 2 * common
            if 1 - distance / (length + window) >= FUZZY_CUTOFF / 100 - 1e-9:
                broken = q * (length - common) + (q - 1) * (window - common)
                least = min(least, length - q + 1 - broken)
    return least
