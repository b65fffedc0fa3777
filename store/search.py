"""Fuzzy search over the library: an index built once, scoring tiers, deterministic order.

Every paper gets the score of the best tier it reaches (see :data:`TIERS`): the query as the whole
title, a title prefix, a phrase starting a title word, inside the title, every query word starting
a title word, every word inside the title; the same two for authors; a category named exactly;
then, only when the exact tiers find few papers, fuzzy title/author matches (rapidfuzz, typos);
lowest, every query word inside the abstract. Ties keep library order (newest first, then
title), so results never shuffle.

How it stays fast at 100k papers: the folded titles, authors and abstracts are each one byte
string ("blob"), one record per paper, and a query word is found by a vectorised numpy scan of
the blob. The offsets found for a word are cached, so the next keystroke ("mer" after "me") only
checks the next byte at each cached offset instead of scanning again. Scores are then numpy
arrays over all papers. Abstracts are large, so their tier is a second phase the browser runs
after showing the title and author matches.
"""

from __future__ import annotations

import functools
import itertools
import threading
from collections import OrderedDict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from store.model import Paper
from store.query import Query
from store.text import fold

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
FUZZY_WEIGHT = 0.8  # fuzzy scores (85..100) land at 68..80: below every exact title/author tier
FUZZY_CUTOFF = 85.0
FUZZY_WHEN_FEWER_THAN = 20  # typo tolerance only when the exact tiers find this few papers
MIN_FUZZY_CHARS = 4
MIN_ABSTRACT_WORD = 3  # shorter words are in nearly every abstract: they would only add noise
_CACHED_WORDS = 128
_SEPARATOR = 10  # b"\n" between records; no folded field contains it
_ENCODE_BATCH = 4096  # papers per batch when collecting words (bounds the memory it takes)


@dataclass(frozen=True)
class SearchResult:
    """Matching paper positions (indices into the library's newest-first list), best first."""

    positions: np.ndarray
    scores: np.ndarray

    @property
    def total(self) -> int:
        return len(self.positions)


_ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyz0123456789"
_BIT = {c: 1 << k for k, c in enumerate(_ALPHANUMERIC)}
# Bigram classes for the fuzzy prefilter: each letter or digit, space, and one class for every
# other byte. Merging characters into a class only lets more papers through, never fewer.
_CLASSES = len(_ALPHANUMERIC) + 2
_CLASS_OF = np.full(256, _CLASSES - 1, dtype=np.int64)
_CLASS_OF[[ord(c) for c in _ALPHANUMERIC + " "]] = np.arange(_CLASSES - 1)
_BIGRAM_ROWS = _CLASSES * _CLASSES
_TRIGRAM_BUCKETS = 1021  # a prime: 2.5k rows of count / 8 bytes (31 MB at 100k papers)


class _Blob:
    """One folded field of every paper as a single byte string, with word offsets cached.

    With `letter_sets`, it also keeps per record which letters and digits occur and which start
    a word, so a one-character query word (the first keystroke) needs no scan at all.
    """

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        """From :meth:`encode`'s arrays (built now, or memory-mapped from the cache)."""
        self.bytes = arrays["bytes"]
        self.starts = arrays["starts"]
        self.letters: np.ndarray | None = arrays.get("letters")
        self.word_starts: np.ndarray | None = arrays.get("word_starts")
        self._offsets: OrderedDict[bytes, np.ndarray] = OrderedDict()

    @staticmethod
    def encode(texts: Sequence[str], letter_sets: bool = False) -> dict[str, np.ndarray]:
        encoded = [(" " + t.replace("\n", " ")).encode("utf-8") for t in texts]
        lengths = np.fromiter((len(e) + 1 for e in encoded), dtype=np.int64, count=len(encoded))
        starts = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum(lengths, out=starts[1:])
        data = b"\n".join(encoded) + b"\n" + bytes(64)  # padding: reads past the end are safe
        arrays = {"bytes": np.frombuffer(data, dtype=np.uint8), "starts": starts}
        if letter_sets and len(texts):
            arrays["letters"], arrays["word_starts"] = _letter_sets(arrays["bytes"], starts)
        return arrays

    def texts(self) -> list[str]:
        """Every record as encoded (newlines were made spaces), without the leading space."""
        if len(self.starts) == 1:
            return []
        body = bytes(self.bytes[: self.starts[-1] - 1]).decode("utf-8")
        return [record[1:] for record in body.split("\n")]

    def offsets(self, needle: bytes) -> np.ndarray:
        """Where `needle` occurs; narrowed from the longest cached prefix when there is one."""
        cached = self._offsets.get(needle)
        if cached is not None:
            self._offsets.move_to_end(needle)
            return cached
        prefix_len = next((k for k in range(len(needle) - 1, 0, -1) if needle[:k] in self._offsets), 0)
        if prefix_len:
            found = self._offsets[needle[:prefix_len]]
        else:
            found = np.flatnonzero(self.bytes == needle[0])
            prefix_len = 1
        found = self._verify(found, needle, prefix_len)
        self._offsets[needle] = found
        if len(self._offsets) > _CACHED_WORDS:
            self._offsets.popitem(last=False)
        return found

    def _verify(self, offsets: np.ndarray, needle: bytes, start: int) -> np.ndarray:
        limit = len(self.bytes) - 1
        for k in range(start, len(needle)):
            if not len(offsets):
                break
            at = np.minimum(offsets + k, limit)
            offsets = offsets[self.bytes[at] == needle[k]]
        return offsets

    def records(self, offsets: np.ndarray, count: int) -> np.ndarray:
        """A boolean mask of the records holding any of the offsets."""
        mask = np.zeros(count, dtype=bool)
        if len(offsets):
            mask[np.searchsorted(self.starts, offsets, side="right") - 1] = True
        return mask

    def at_word_start(self, offsets: np.ndarray) -> np.ndarray:
        before = self.bytes[offsets - 1]
        return offsets[~_is_word_byte(before)]

    def word_masks(self, word: str, count: int) -> tuple[np.ndarray, np.ndarray]:
        """Records holding `word` anywhere, and records where it starts a word."""
        if len(word) == 1 and word in _BIT and self.letters is not None and self.word_starts is not None:
            bit = _BIT[word]
            return (self.letters & bit) != 0, (self.word_starts & bit) != 0
        offsets = self.offsets(word.encode("utf-8"))
        return self.records(offsets, count), self.records(self.at_word_start(offsets), count)

    def phrase(self, text: str) -> np.ndarray:
        """Offsets of the whole query text, found from its first word's cached offsets."""
        encoded = text.encode("utf-8")
        first = encoded.split(b" ", 1)[0]
        return self._verify(self.offsets(first), encoded, len(first))


def _letter_sets(data: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per record, bit k set when _ALPHANUMERIC[k] occurs (anywhere; at a word start)."""
    body = data[: starts[-1]]
    bit_of = np.zeros(256, dtype=np.int64)
    for character, bit in _BIT.items():
        bit_of[ord(character)] = bit
    bits = bit_of[body]
    previous = np.concatenate(([_SEPARATOR], body[:-1])).astype(np.uint8)
    starting = np.where(_is_word_byte(previous), 0, bits)
    firsts = starts[:-1]
    return np.bitwise_or.reduceat(bits, firsts), np.bitwise_or.reduceat(starting, firsts)


def _gram_codes(classes: np.ndarray) -> list[np.ndarray]:
    """The row of :func:`_gram_presence` for each bigram, then each trigram, of a class sequence:
    bigrams by their two classes, trigrams hashed into _TRIGRAM_BUCKETS (a shared row only lets
    more papers through)."""
    bigrams = classes[:-1] * _CLASSES + classes[1:]
    trigrams = _BIGRAM_ROWS + (bigrams[:-1] * _CLASSES + classes[2:]) % _TRIGRAM_BUCKETS
    return [bigrams, trigrams]


def _gram_presence(data: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Per bigram and trigram row, a packed bitset of the records holding it (np.packbits order).

    Made from the UTF-8 bytes: a non-ASCII character's bytes all fall in the "other" class, so
    every q-gram of characters in a record is also a q-gram of classes of its bytes.
    """
    count = len(starts) - 1
    packed = np.zeros((_BIGRAM_ROWS + _TRIGRAM_BUCKETS, (count + 7) // 8), dtype=np.uint8)
    for first in range(0, count, _ENCODE_BATCH):  # a multiple of 8: batches fill whole bytes
        last = min(first + _ENCODE_BATCH, count)
        classes = _CLASS_OF[data[starts[first] : starts[last]]]
        records = np.repeat(np.arange(last - first), np.diff(starts[first : last + 1]))
        present = np.zeros((len(packed), last - first), dtype=bool)
        for codes in _gram_codes(classes):
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


class _Words:
    """The distinct words of one field of every paper (split at whitespace) and, for each, the
    papers holding it (its postings): a query word is found inside the few thousand distinct words, not inside
    the whole text (150 MB of abstracts at 100k papers, ~100 ms a scan).

    A query word holds no whitespace, so it occurs in a text exactly when it occurs inside one
    of the text's words: the papers found are the same as a scan of the text would find.
    """

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self._vocabulary = _Blob({"bytes": arrays["vocabulary"], "starts": arrays["vocabulary_starts"]})
        self._postings = arrays["postings"]
        self._posting_starts = arrays["posting_starts"]
        self._masks: OrderedDict[str, np.ndarray] = OrderedDict()

    @staticmethod
    def encode(texts: Sequence[str]) -> dict[str, np.ndarray]:
        # Word by word in C (split, dict.fromkeys, map): a Python loop per word takes seconds at
        # 100k. A word twice in a paper is listed twice: harmless to a mask, cheaper than a set.
        vocabulary: dict[str, int] = {}
        counts: list[int] = []
        chunks = []
        for first in range(0, len(texts), _ENCODE_BATCH):
            split = [t.split() for t in texts[first : first + _ENCODE_BATCH]]
            counts.extend(map(len, split))
            flat = list(itertools.chain.from_iterable(split))
            for word in dict.fromkeys(flat):
                vocabulary.setdefault(word, len(vocabulary))
            chunks.append(np.fromiter(map(vocabulary.__getitem__, flat), dtype=np.int32, count=len(flat)))
        words = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int32)
        papers = np.repeat(np.arange(len(counts), dtype=np.int32), counts)
        posting_starts = np.zeros(len(vocabulary) + 1, dtype=np.int64)
        np.cumsum(np.bincount(words, minlength=len(vocabulary)), out=posting_starts[1:])
        blob = _Blob.encode(list(vocabulary))
        return {
            "vocabulary": blob["bytes"], "vocabulary_starts": blob["starts"],
            "postings": papers[_stable_order(words)], "posting_starts": posting_starts,
        }

    def records(self, word: str, count: int) -> np.ndarray:
        """A boolean mask of the papers whose field holds `word` (no whitespace) anywhere."""
        cached = self._masks.get(word)
        if cached is not None:
            self._masks.move_to_end(word)
            return cached
        vocabulary = self._vocabulary
        offsets = vocabulary.offsets(word.encode("utf-8"))
        words = np.unique(np.searchsorted(vocabulary.starts, offsets, side="right") - 1)
        first, lengths = self._posting_starts[words], np.diff(self._posting_starts)[words]
        ends = np.cumsum(lengths)
        gathered = np.repeat(first - ends + lengths, lengths) + np.arange(ends[-1] if len(ends) else 0)
        mask = np.zeros(count, dtype=bool)
        mask[self._postings[gathered]] = True
        self._masks[word] = mask
        if len(self._masks) > _CACHED_WORDS:
            self._masks.popitem(last=False)
        return mask


def _stable_order(values: np.ndarray) -> np.ndarray:
    """np.argsort(values, kind="stable") for non-negative int32, as two 16-bit radix passes: numpy
    radix-sorts 16-bit keys in linear time, but merge-sorts wider ones (~3 s for 16M at 100k)."""
    by_low = np.argsort((values & 0xFFFF).astype(np.uint16), kind="stable")
    return by_low[np.argsort((values[by_low] >> 16).astype(np.uint16), kind="stable")]


def _is_word_byte(values: np.ndarray) -> np.ndarray:
    """Letters, digits and every non-ASCII byte (part of a non-ASCII letter) count as word bytes."""
    return (
        ((values >= 48) & (values <= 57))
        | ((values >= 97) & (values <= 122))
        | (values >= 128)
    )


class SearchIndex:
    """Folded fields of every paper, positioned as in the library's newest-first list."""

    def __init__(self, papers: Sequence[Paper]) -> None:
        self._load(*self.encode(papers))

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], categories: list[str]) -> SearchIndex:
        """The index :meth:`encode` made, e.g. as memory-mapped from the cache: nothing is built."""
        index = cls.__new__(cls)
        index._load(arrays, categories)
        return index

    @staticmethod
    def encode(papers: Sequence[Paper]) -> tuple[dict[str, np.ndarray], list[str]]:
        """Everything the index holds, as arrays, and the folded category names."""
        titles = [fold(p.title) for p in papers]
        authors = [fold("; ".join(p.authors)) for p in papers]
        folded_categories = {c: fold(c) for c in {p.category for p in papers if p.category}}
        names = sorted(set(folded_categories.values()))
        code_of = {name: code for code, name in enumerate(names, start=1)}
        fields = {
            "titles": _Blob.encode(titles, letter_sets=True),
            "authors": _Blob.encode(authors, letter_sets=True),
            "sources": _Blob.encode([" ".join(f"{s.format} {s.file}" for s in p.sources) for p in papers]),
            "abstracts": _Words.encode([fold(p.abstract) for p in papers]),
            "fuzzy": _Blob.encode([f"{t} | {a}" for t, a in zip(titles, authors, strict=True)]),
        }
        arrays = {f"{field}.{name}": array for field, parts in fields.items() for name, array in parts.items()}
        arrays["fuzzy_grams"] = _gram_presence(fields["fuzzy"]["bytes"], fields["fuzzy"]["starts"])
        arrays["categories"] = np.array(
            [code_of[folded_categories[p.category]] if p.category else 0 for p in papers], dtype=np.int32
        )
        arrays["years"] = np.array([p.year or 0 for p in papers], dtype=np.int32)
        arrays["has_code"] = np.array([p.has_code for p in papers], dtype=bool)
        return arrays, names

    def _load(self, arrays: dict[str, np.ndarray], categories: list[str]) -> None:
        def field(name: str) -> dict[str, np.ndarray]:
            return {key.split(".", 1)[1]: array for key, array in arrays.items() if key.startswith(name + ".")}

        self.arrays, self.category_list = arrays, categories
        self._titles = _Blob(field("titles"))
        self._authors = _Blob(field("authors"))
        self._sources = _Blob(field("sources"))
        self._abstracts = _Words(field("abstracts"))
        self._fuzzy = _Blob(field("fuzzy"))
        self._fuzzy_grams = arrays["fuzzy_grams"]
        self.count = len(self._titles.starts) - 1
        self._title_lengths = np.diff(self._titles.starts) - 1
        self._first_bytes = self._titles.bytes[self._titles.starts[:-1] + 1]
        self._category_names = {name: code for code, name in enumerate(categories, start=1)}
        self._categories = arrays["categories"]
        self._years = arrays["years"]
        self._has_code = arrays["has_code"]
        self._lock = threading.Lock()  # the offset caches are shared by the browser's search threads

    @functools.cached_property
    def _fuzzy_choices(self) -> list[str]:
        """Folded "title | authors" of every paper, made when typo matching first needs them."""
        return self._fuzzy.texts()

    @functools.cached_property
    def _fuzzy_lengths(self) -> np.ndarray:
        """Length in characters of each fuzzy choice (what partial_ratio compares)."""
        return np.fromiter(map(len, self._fuzzy_choices), dtype=np.int64, count=self.count)

    def _may_fuzzy_match(self, text: str) -> np.ndarray:
        """Papers that can reach FUZZY_CUTOFF: those holding at least :func:`min_shared_grams` of
        the query's bigram and of its trigram positions, and every choice no longer than the query
        (partial_ratio then aligns the choice inside the query, which the bound does not cover)."""
        may = np.ones(self.count, dtype=bool)
        classes = np.array([_CLASS_OF[ord(c)] if ord(c) < 128 else _CLASSES - 1 for c in text], dtype=np.int64)
        for q, rows in enumerate(_gram_codes(classes), start=2):
            needed = min_shared_grams(len(text), q)
            if needed > 0:
                may &= self._papers_holding(rows) >= needed
        return may | (self._fuzzy_lengths <= len(text))

    def _papers_holding(self, rows: np.ndarray) -> np.ndarray:
        """Per paper, how many of `rows` (repeats counted) its q-gram presence has."""
        held = np.zeros(self.count, dtype=np.int64)
        for row, times in zip(*np.unique(rows, return_counts=True), strict=True):
            held += np.unpackbits(self._fuzzy_grams[row], count=self.count) * times
        return held

    # --- filters --------------------------------------------------------------------------

    def _filter_mask(self, query: Query, within: Collection[int] | None) -> np.ndarray:
        if within is None:
            mask = np.ones(self.count, dtype=bool)
        else:
            mask = np.zeros(self.count, dtype=bool)
            mask[np.fromiter(within, dtype=np.int64, count=len(within))] = True
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

    def _contains(self, blob: _Blob, text: str) -> np.ndarray:
        return blob.records(blob.phrase(text), self.count)

    # --- scoring --------------------------------------------------------------------------

    def search(self, query: Query, within: Collection[int] | None = None, abstracts: bool = True) -> SearchResult:
        """Every paper matching `query`, best first; `within` limits it to those positions.

        With `abstracts=False` the two slow tiers, typo matching and words inside abstracts, are
        left out: the browser shows that fast first phase, then the whole result.
        """
        with self._lock:
            return self._search(query, within, abstracts)

    def _search(self, query: Query, within: Collection[int] | None, abstracts: bool) -> SearchResult:
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
        if len(text) == 1 and text in _ALPHANUMERIC:
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
            record = np.searchsorted(titles.starts, at_word, side="right") - 1
            prefix = at_word[at_word == titles.starts[record] + 1]
            raise_to("title_prefix", titles.records(prefix, self.count))
            record = np.searchsorted(titles.starts, prefix, side="right") - 1
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
        candidates = np.flatnonzero(mask & (scores == 0) & self._may_fuzzy_match(text))
        if not len(candidates):
            return
        matrix = process.cdist(
            [text], [self._fuzzy_choices[i] for i in candidates],
            scorer=fuzz.partial_ratio, score_cutoff=FUZZY_CUTOFF, workers=-1, dtype=np.float64,
        )
        found = matrix[0] > 0
        scores[candidates[found]] = FUZZY_WEIGHT * matrix[0][found]


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
    folded = "".join(fold(c)[:1] or c for c in text)
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
    alignment = fuzz.partial_ratio_alignment(query_text, folded, score_cutoff=FUZZY_CUTOFF)
    if alignment is None:
        return []
    return [(alignment.dest_start, alignment.dest_end)]
