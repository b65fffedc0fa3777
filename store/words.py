"""The distinct words of one text field of every paper, and the papers holding each word."""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np

from store.arrays import offsets, ranges, run_starts
from store.blob import CACHED_NEEDLES, Blob
from store.text import fold

BATCH_BYTES = 1 << 20  # text per batch when collecting words: its arrays stay in the CPU cache
SHORT_WORD = 16  # bytes: shorter words are told apart by numpy, longer ones (rare) by a dict
# The whitespace str.split() splits at, in ASCII. Non-ASCII spaces are left inside words: a query
# word holds none, so it is inside a word exactly when it is inside the text either way.
SPACES = np.zeros(256, dtype=bool)
SPACES[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True
_LOW_BYTES = np.array([(1 << (8 * k)) - 1 for k in range(8)] + [(1 << 64) - 1], dtype=np.uint64)
_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd constants for multiplicative hashing
_MIX_2 = np.uint64(0xC2B2AE3D27D4EB4F)
_FIRST_TABLE_BITS = 18  # slots of the first hash table (1 MB: fits the cache); later ones grow
_MAX_TABLE_BITS = 24


class WordIndex:
    """The distinct words of one field of every paper (split at whitespace) and, for each, the
    papers holding it (its postings): a query word is found inside the few thousand distinct words, not inside
    the whole text (150 MB of abstracts at 100k papers, ~100 ms a scan).

    A query word holds no whitespace, so it occurs in a text exactly when it occurs inside one
    of the text's words: the papers found are the same as a scan of the text would find.
    """

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self._vocabulary = Blob({"bytes": arrays["vocabulary"], "starts": arrays["vocabulary_starts"]})
        self._postings = arrays["postings"]
        self._posting_starts = arrays["posting_starts"]
        self._masks: OrderedDict[str, np.ndarray] = OrderedDict()

    @staticmethod
    def encode(texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The folded words of `texts` (as written) and each word's papers, once each.

        Words are found in the UTF-8 bytes of all texts at once, a batch of texts at a time, by
        numpy: no Python object per word. Only the distinct words are folded, each once: folding
        is per character, and a word that folds into several (a space inside) is still one entry
        that a query word (no whitespace) is found inside exactly when it is inside one of them.
        """
        encoded = [t.encode("utf-8") for t in texts]
        bounds = offsets(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)) + 1)  # "\n" after each
        data = b"\n".join([*encoded, bytes(2 * 8)])  # padding: a short word's two 8-byte reads stay inside
        del encoded
        vocabulary = _Vocabulary(data)
        folded = _Folded()
        grouped = []
        making: Future[tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None  # the previous batch's postings
        with ThreadPoolExecutor(1) as pool:  # made while the next batch's words are looked up (numpy frees the GIL)
            for first, last in _batches(bounds, BATCH_BYTES):
                starts, lengths = split_words(vocabulary.bytes, bounds[first], bounds[last] - 1)
                counts = np.diff(np.searchsorted(starts, bounds[first : last + 1]))
                paper = np.repeat(np.arange(first, last, dtype=np.int32), counts)
                word = folded.ids(vocabulary.ids(starts, lengths), vocabulary.new_words())
                if making is not None:
                    grouped.append(making.result())
                making = pool.submit(_batch_postings, word, paper, len(folded.words))
        if making is not None:
            grouped.append(making.result())
        postings, posting_starts = _group(grouped, len(folded.words))
        blob = Blob.encode(list(folded.words))
        return {
            "vocabulary": blob["bytes"], "vocabulary_starts": blob["starts"],
            "postings": postings, "posting_starts": posting_starts,
        }

    def records(self, word: str, count: int) -> np.ndarray:
        """A boolean mask of the papers whose field holds `word` (no whitespace) anywhere."""
        cached = self._masks.get(word)
        if cached is not None:
            self._masks.move_to_end(word)
            return cached
        vocabulary = self._vocabulary
        found = vocabulary.offsets(word.encode("utf-8"))  # where it is in the vocabulary's bytes
        words = np.unique(np.searchsorted(vocabulary.starts, found, side="right") - 1)
        lengths = np.diff(self._posting_starts)[words]
        mask = np.zeros(count, dtype=bool)
        mask[self._postings[ranges(self._posting_starts[words], lengths)]] = True
        self._masks[word] = mask
        if len(self._masks) > CACHED_NEEDLES:
            self._masks.popitem(last=False)
        return mask


def _batches(bounds: np.ndarray, size: int) -> Iterator[tuple[int, int]]:
    """Consecutive ranges of texts of about `size` bytes each (at least one text each)."""
    first, count = 0, len(bounds) - 1
    while first < count:
        last = max(int(np.searchsorted(bounds, bounds[first] + size, side="right")) - 1, first + 1)
        yield first, min(last, count)
        first = last


def split_words(data: np.ndarray, begin: int, end: int) -> tuple[np.ndarray, np.ndarray]:
    """Where each word of data[begin:end] starts (offsets into `data`) and its length in bytes."""
    body = data[begin:end]
    space = np.empty(len(body) + 2, dtype=bool)
    space[0] = space[-1] = True  # so that every word has a start and an end
    inside = space[1:-1]
    np.equal(body, 32, out=inside)
    low = np.flatnonzero(body < 32)
    inside[low] = SPACES[body[low]]
    edges = np.flatnonzero(space[1:] != space[:-1])  # alternately a word's start and its end
    starts = edges[0::2]
    return starts + begin, edges[1::2] - starts


class _Vocabulary:
    """Dense ids for words (by their exact bytes), handed out as words are first met.

    A short word is its two first 8-byte windows (zero-padded) and its length: it is looked up by
    numpy in hash tables tried in turn, each slot holding the first word that claimed it (a word
    whose slot another word holds goes on to the next table). Long words go through a dict.
    """

    def __init__(self, data: bytes) -> None:
        self.bytes = np.frombuffer(data, dtype=np.uint8)
        self._data = data
        # Every 8-byte window of the data, as a little-endian integer (no copy: overlapping strides).
        self._windows = np.ndarray((len(data) - 7,), dtype="<u8", buffer=data, strides=(1,))
        self._tables: list[np.ndarray] = []
        # Per id (of short words; grown by doubling): the first and second 8 bytes, the length.
        self._first = np.zeros(1024, dtype=np.uint64)
        self._second = np.zeros(1024, dtype=np.uint64)
        self._short_lengths = np.zeros(1024, dtype=np.int64)
        self._long: dict[bytes, int] = {}
        self._starts: list[np.ndarray] = []  # per new id: where the word first occurs, and its length
        self._lengths: list[np.ndarray] = []
        self._count = 0

    def new_words(self) -> list[str]:
        """The words given ids since the last call, by id."""
        if not self._starts:
            return []
        starts, lengths = np.concatenate(self._starts).tolist(), np.concatenate(self._lengths).tolist()
        self._starts, self._lengths = [], []
        data = self._data
        return [data[s : s + n].decode("utf-8") for s, n in zip(starts, lengths, strict=True)]

    def ids(self, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """The id of each word, given where it starts and its length."""
        ids = np.empty(len(starts), dtype=np.int32)
        short = lengths <= SHORT_WORD
        ids[short] = self._short_ids(starts[short], lengths[short])
        long = np.flatnonzero(~short)
        if len(long):
            ids[long] = self._long_ids(starts[long], lengths[long])
        return ids

    def _short_ids(self, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        windows = self._windows
        first = windows[starts] & _LOW_BYTES[np.minimum(lengths, 8)]
        second = np.zeros(len(starts), dtype=np.uint64)  # none for words of up to 8 bytes
        longer = np.flatnonzero(lengths > 8)
        second[longer] = windows[starts[longer] + 8] & _LOW_BYTES[lengths[longer] - 8]
        hashes = (first * _MIX) ^ ((second + lengths.astype(np.uint64)) * _MIX_2)
        ids = np.empty(len(starts), dtype=np.int32)
        todo = np.arange(len(starts))
        for number in itertools.count():
            table = self._table(number)
            shift = np.uint64(65 - int(len(table)).bit_length())
            slots = (((hashes + np.uint64(number)) * _MIX) >> shift).astype(np.intp)
            held = table[slots]
            free = held < 0
            if free.any():
                claimed, new = np.unique(slots[free], return_index=True)
                new = np.flatnonzero(free)[new]
                table[claimed] = self._add(starts[new], lengths[new], first[new], second[new])
                held = table[slots]
            held = held.astype(np.intp)  # indexes three arrays: cast once
            ids[todo] = held  # right where the word is the slot's; the others are looked up again
            other = np.flatnonzero(
                (self._first[held] != first) | (self._second[held] != second) | (self._short_lengths[held] != lengths)
            )
            if not len(other):
                return ids
            todo, starts, lengths, first, second, hashes = (
                a[other] for a in (todo, starts, lengths, first, second, hashes)
            )
        raise AssertionError("unreachable")

    def _long_ids(self, starts: np.ndarray, lengths: np.ndarray) -> list[int]:
        data, known = self._data, self._long
        words = [data[s : s + n] for s, n in zip(starts.tolist(), lengths.tolist(), strict=True)]
        found = list(map(known.get, words))  # mostly words met before
        new: dict[bytes, int] = {}  # first met here: word -> where
        for i, number in enumerate(found):
            if number is None:
                new.setdefault(words[i], int(starts[i]))
        if new:
            ids = self._add(np.fromiter(new.values(), np.int64, len(new)), np.fromiter(map(len, new), np.int64, len(new)))
            known.update(zip(new, ids.tolist()))
            found = [known[word] for word in words]
        return found

    def _add(self, starts: np.ndarray, lengths: np.ndarray, *keys: np.ndarray) -> np.ndarray:
        """New ids for these words; with the first and second 8 bytes of short words (what their
        hash tables compare)."""
        ids = np.arange(self._count, self._count + len(starts), dtype=np.int32)
        self._count += len(starts)
        if keys:
            while len(self._first) < self._count:
                self._first, self._second, self._short_lengths = (
                    np.concatenate((a, np.zeros_like(a))) for a in (self._first, self._second, self._short_lengths)
                )
            self._first[ids], self._second[ids] = keys
            self._short_lengths[ids] = lengths
        self._starts.append(starts)
        self._lengths.append(lengths)
        return ids

    def _table(self, number: int) -> np.ndarray:
        while len(self._tables) <= number:
            bits = min(_FIRST_TABLE_BITS + 3 * len(self._tables), _MAX_TABLE_BITS)
            self._tables.append(np.full(1 << bits, -1, dtype=np.int32))
        return self._tables[number]


class _Folded:
    """Ids of folded words, from the ids of words as written (several may fold alike)."""

    def __init__(self) -> None:
        self.words: dict[str, int] = {}
        self._of = np.zeros(0, dtype=np.int32)  # by id as written

    def ids(self, written: np.ndarray, new_words: list[str]) -> np.ndarray:
        """The folded ids of words by their ids as written; `new_words`: those first met now."""
        if new_words:
            words = self.words
            more = [words.setdefault(fold(w), len(words)) for w in new_words]
            self._of = np.concatenate((self._of, np.array(more, dtype=np.int32)))
        return self._of[written]


def _batch_postings(word: np.ndarray, paper: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A batch's distinct words (ascending; `count` words so far), how many papers each is in, and
    those papers (by word, then paper), from each occurrence's word and paper."""
    order = stable_order(word, count)
    word, paper = word[order], paper[order]
    once = run_starts(word, paper)  # a word twice in a paper: listed once
    word, paper = word[once], paper[once]
    starts = run_starts(word)
    return word[starts], np.diff(starts, append=len(word)), paper


def _group(batches: list[tuple[np.ndarray, np.ndarray, np.ndarray]], count: int) -> tuple[np.ndarray, np.ndarray]:
    """Postings from each batch's distinct words (ascending), how many papers each has there and
    those papers (by word): every word's papers together, in batch order, and where each word's
    papers start."""
    papers_of = np.zeros(count, dtype=np.int64)
    for words, sizes, _ in batches:
        papers_of[words] += sizes  # distinct words: no index twice
    posting_starts = offsets(papers_of)
    postings = np.empty(posting_starts[-1], dtype=np.int32)
    cursor = posting_starts[:-1].copy()
    for words, sizes, papers in batches:
        postings[ranges(cursor[words], sizes)] = papers  # a word's papers in the batch go to its cursor on
        cursor[words] += sizes
    return postings, posting_starts


def stable_order(values: np.ndarray, bound: int) -> np.ndarray:
    """np.argsort(values, kind="stable") for int32 in [0, bound), as 16-bit radix passes (one if
    `bound` allows): numpy radix-sorts 16-bit keys in linear time, but merge-sorts wider ones
    (~3 s for 16M at 100k)."""
    if bound <= 1 << 16:
        return np.argsort(values.astype(np.uint16), kind="stable")
    by_low = np.argsort((values & 0xFFFF).astype(np.uint16), kind="stable")
    return by_low[np.argsort((values[by_low] >> 16).astype(np.uint16), kind="stable")]
