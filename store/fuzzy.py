"""Typo tolerance: a query scored with rapidfuzz's partial_ratio against every paper's folded
"title | authors", after a q-gram prefilter that leaves out the papers that cannot reach the cutoff.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence

import numpy as np

from store.arrays import offsets, run_starts
from store.blob import ALPHANUMERIC, Blob

FUZZY_WEIGHT = 0.8  # fuzzy scores (85..100) land at 68..80: below every exact title/author tier
FUZZY_CUTOFF = 85.0
MIN_FUZZY_CHARS = 4
ENCODE_BATCH = 512  # papers per batch when encoding: its arrays stay in the CPU cache
# A record's q-grams run on into the next record's first two bytes (its leading space and first
# character): a q-gram too many only lets more papers through, and no batch needs cutting off.

# Bigram classes for the prefilter: each letter or digit, space, and one class for every other
# byte. Merging characters into a class only lets more papers through, never fewer.
CLASSES = len(ALPHANUMERIC) + 2
CLASS_OF = np.full(256, CLASSES - 1, dtype=np.uint16)  # 16 bits: gram codes radix-sort fast
CLASS_OF[[ord(c) for c in ALPHANUMERIC + " "]] = np.arange(CLASSES - 1)
BIGRAM_ROWS = CLASSES * CLASSES
TRIGRAM_BUCKETS = 1021  # a prime: 2.5k rows of count / 8 bytes (31 MB at 100k papers)
GRAM_ROWS = BIGRAM_ROWS + TRIGRAM_BUCKETS
# The row of each trigram, by its first bigram's row times CLASSES plus its third class.
TRIGRAM_ROW = (BIGRAM_ROWS + np.arange(BIGRAM_ROWS * CLASSES) % TRIGRAM_BUCKETS).astype(np.uint16)
CHUNK = 8  # characters per chunk in a bigram's place mask (see bigram_places)
CHUNKS = 32  # place masks are uint32: a choice's later characters all fall in the last chunk
COUNTED_ROWS = 64  # bigram rows whose holder counts are kept (50 KB each at 100k papers)
PLACES_ABOVE = 2000  # below this many candidates, scoring them costs less than placing their bigrams
EDGE_FAR = 255  # edge distances are kept up to this (a uint8)
REPEATS = 2  # the first and second occurrence of each class near each edge: 152 bytes per paper


class FuzzyIndex:
    """The folded "title | authors" of every paper; per q-gram the papers holding it and, for
    bigrams, in which chunks of each; per character class how near each paper's start and end
    its first two occurrences lie."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        """From :meth:`encode`'s arrays (built now, or memory-mapped from the cache)."""
        self._blob = Blob(arrays)
        self._grams = arrays["grams"]
        self._from_start = arrays["from_start"]
        self._from_end = arrays["from_end"]
        self._places = arrays["places"]
        self._place_rows = arrays["place_rows"]
        # Keystrokes of one query share most bigrams: their holder counts are kept for the next.
        self._holders_before = functools.lru_cache(maxsize=COUNTED_ROWS)(self._count_holders_before)
        self.count = len(self._blob.starts) - 1

    @staticmethod
    def encode(choices: Sequence[str]) -> dict[str, np.ndarray]:
        arrays = Blob.encode(choices)
        count = len(arrays["starts"]) - 1
        grams = np.zeros((GRAM_ROWS, (count + 7) // 8), dtype=np.uint8)
        from_start = np.empty((REPEATS, CLASSES, count), dtype=np.uint8)
        from_end = np.empty((REPEATS, CLASSES, count), dtype=np.uint8)
        rows, masks = [np.zeros(0, dtype=np.uint16)], [np.zeros(0, dtype=np.uint32)]
        for batch in batches(arrays["bytes"], arrays["starts"]):
            grams[:, batch.first // 8 : (batch.last + 7) // 8] = gram_presence(batch)
            from_start[..., batch.first : batch.last], from_end[..., batch.first : batch.last] = edge_distances(batch)
            batch_rows, batch_masks = bigram_places(batch)
            rows.append(batch_rows)
            masks.append(batch_masks)
        row_of = np.concatenate(rows)
        place_rows = offsets(np.bincount(row_of, minlength=BIGRAM_ROWS))  # where each row's masks begin
        places = np.concatenate(masks)[np.argsort(row_of, kind="stable")]  # by row, then record
        arrays.update(grams=grams, from_start=from_start, from_end=from_end, places=places, place_rows=place_rows)
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
        from rapidfuzz import fuzz, process  # here, not at start-up: ~20 ms before the first screen

        choices = self._choices
        matrix = process.cdist(
            [text], [choices[i] for i in candidates.tolist()],  # Python ints index a list fastest
            scorer=fuzz.partial_ratio, score_cutoff=FUZZY_CUTOFF, workers=-1, dtype=np.float64,
        )
        return FUZZY_WEIGHT * matrix[0]

    def may_match(self, text: str) -> np.ndarray:
        """Papers that can reach FUZZY_CUTOFF, and every choice no longer than the query
        (partial_ratio then aligns the choice inside the query, which the bounds do not cover).

        A longer choice reaches it in a window of it (see :func:`min_shared_grams`): either one of
        exactly len(text) characters, anywhere, or a shorter one, which partial_ratio only takes at
        the choice's start or end, so its characters lie within len(text) - 1 of that edge. So a
        paper can match only if it holds enough of the query's q-grams for a full window, with
        enough of its bigrams inside chunks one window can span (see :meth:`_in_one_window`), or
        enough for a shorter one and enough of the query's characters near its start or end.
        """
        length = len(text)
        classes = np.array([CLASS_OF[ord(c)] if ord(c) < 128 else CLASSES - 1 for c in text], dtype=np.int64)
        bigrams, trigrams = gram_codes(classes)
        full = self._holding([(rows, min_shared_grams(length, q, full=True)) for q, rows in ((2, bigrams), (3, trigrams))])
        needed = min_shared_grams(length, 2, full=True)
        if needed > 0 and np.count_nonzero(full) > PLACES_ABOVE:
            full[full] = self._in_one_window(bigrams, np.flatnonzero(full), needed)
        short = self._holding([(rows, min_shared_grams(length, q, full=False)) for q, rows in ((2, bigrams), (3, trigrams))])
        edgy = np.flatnonzero(short & ~full)
        short[edgy] = self._at_an_edge(bigrams, classes, edgy)
        return full | short | (self._lengths <= length)

    def _at_an_edge(self, bigrams: np.ndarray, classes: np.ndarray, papers: np.ndarray) -> np.ndarray:
        """Which `papers` hold, near their start or near their end, enough of the query for a
        window shorter than it there: enough characters within len(query) - 1 of that edge
        (:meth:`_near`), and enough bigrams in the chunks where such a window's bigrams start
        (:meth:`_in_chunks`): at characters up to len(query) - 3 from the start, or from
        len(choice) - len(query) + 1 on.
        """
        length = len(classes)
        first_chunks = np.uint32((2 << min(max(length - 3, 0) // CHUNK, CHUNKS - 1)) - 1)
        last_from = np.minimum(np.maximum(self._lengths[papers] - length + 1, 0) // CHUNK, CHUNKS - 1)
        edges = [
            (self._from_start, np.full(len(papers), first_chunks, dtype=np.uint32)),
            (self._from_end, (np.uint32(0xFFFFFFFF) << last_from.astype(np.uint32)).astype(np.uint32)),
        ]
        found = np.zeros(len(papers), dtype=bool)
        for distances, chunks in edges:
            near = np.flatnonzero(self._near(distances, classes, papers))
            found[near] |= self._in_chunks(bigrams, papers[near], chunks[near])
        return found

    def _in_chunks(self, rows: np.ndarray, papers: np.ndarray, chunks: np.ndarray) -> np.ndarray:
        """Which `papers` hold :func:`min_shared_grams` (q=2, shorter windows) of the bigram
        positions `rows` (repeats counted) inside their `chunks` (a mask per paper)."""
        needed = min_shared_grams(len(rows) + 1, 2, full=False)
        if needed <= 0:
            return np.ones(len(papers), dtype=bool)
        spots = Spots(papers)
        tally = Tally(len(papers), np.uint8, needed)
        for row, times in zip(*np.unique(rows, return_counts=True), strict=True):
            tally.add(((self._places_of(row, spots) & chunks) != 0).view(np.uint8), times)
        return tally.reached != 0

    def _holding(self, wanted: list[tuple[np.ndarray, int]]) -> np.ndarray:
        """Papers holding, for each (rows, needed), at least `needed` of the q-gram `rows`
        (repeats counted): counted on the packed bitsets, eight papers a byte."""
        packed = np.full(self._grams.shape[1], 0xFF, dtype=np.uint8)
        for rows, needed in wanted:
            if needed > 0:
                tally = Tally(len(packed), np.uint8, needed)
                for row, times in zip(*np.unique(rows, return_counts=True), strict=True):
                    tally.add(self._grams[row], times)
                packed &= tally.reached
        return np.unpackbits(packed, count=self.count).view(bool)

    def _in_one_window(self, rows: np.ndarray, candidates: np.ndarray, needed: int) -> np.ndarray:
        """Which candidates hold `needed` of the bigram positions `rows` (repeats counted) within
        the chunks a window of len(rows) + 1 characters can span.

        A window's bigrams start at len(rows) consecutive characters, so in at most `span`
        consecutive chunks: the survivors :func:`min_shared_grams` counts lie in one such run.
        Each bit of a spread mask is the run starting at that chunk, counted by a :class:`Tally`.
        """
        span = (len(rows) + CHUNK - 2) // CHUNK + 1
        spots = Spots(candidates)
        tally = Tally(len(candidates), np.uint32, needed)
        for row, times in zip(*np.unique(rows, return_counts=True), strict=True):
            places = self._places_of(row, spots)
            runs = places.copy()
            for shift in range(1, span):
                runs |= places >> np.uint32(shift)
            tally.add(runs, times)
        return tally.reached != 0

    def _places_of(self, row: int, spots: Spots) -> np.ndarray:
        """Each candidate's place mask of bigram `row`, 0 where absent. A row's masks follow its
        holders in order, so a holder's is at its rank: the holders in earlier bytes of the
        packed bitset, then those in its own byte before it."""
        masks = self._places[self._place_rows[row] : self._place_rows[row + 1]]
        if not len(masks):
            return np.zeros(len(spots.byte), dtype=np.uint32)
        byte = self._grams[row][spots.byte]
        rank = self._holders_before(row)[spots.byte] + np.bitwise_count(byte & spots.before)
        return np.where(byte & spots.bit, masks[np.minimum(rank, len(masks) - 1)], np.uint32(0))

    def _count_holders_before(self, row: int) -> np.ndarray:
        """Per byte of bigram `row`'s packed bitset, how many holders the earlier bytes have."""
        counts = np.bitwise_count(self._grams[row])
        return np.cumsum(counts, dtype=np.int32) - counts

    def _near(self, distances: np.ndarray, classes: np.ndarray, papers: np.ndarray) -> np.ndarray:
        """Which `papers` hold at least :func:`min_shared_grams` (q=1, shorter windows) of the
        query's characters within len(query) - 1 characters of one edge.

        Each surviving character is matched to its own character of the window, of its class, so
        a class the query has `times` over adds at most that many, and at most as many as it has
        near the edge: its occurrences up to the REPEATS-th are looked at; if that one is near,
        all the query's further repeats count too.
        """
        needed = min_shared_grams(len(classes), 1, full=False)
        near = np.zeros(self.count, dtype=np.min_scalar_type(len(classes)))  # whole rows: no gathers
        for row, times in zip(*np.unique(classes, return_counts=True), strict=True):
            looked = min(int(times), REPEATS)
            for k in range(looked):
                weight = 1 if k + 1 < looked else times - k
                near += (distances[k, row] < len(classes) - 1) * near.dtype.type(weight)
        return near[papers] >= needed


class Spots:
    """Where papers lie in a packed bitset (np.packbits order: a byte's first paper is its
    highest bit): their byte, their bit, and the bits of the papers before them in it."""

    def __init__(self, papers: np.ndarray) -> None:
        self.byte = papers >> 3
        self.bit = (0x80 >> (papers & 7)).astype(np.uint8)
        self.before = (0xFF00 >> (papers & 7)).astype(np.uint8)


class Tally:
    """Bit-sliced counters, one per bit of equally shaped unsigned arrays, telling which reach
    `needed` (at least 1): they start at 2**width - needed, so reaching it carries out of the
    top plane, and `reached` keeps every carry."""

    def __init__(self, size: int, dtype: type[np.unsignedinteger], needed: int) -> None:
        width = needed.bit_length()
        start = (1 << width) - needed
        ones = np.iinfo(dtype).max
        self._planes = [np.full(size, ones * (start >> k & 1), dtype=dtype) for k in range(width)]
        self.reached = np.zeros(size, dtype=dtype)

    def add(self, bits: np.ndarray, times: int = 1) -> None:
        """Add 1, `times` over, to the counter of every set bit."""
        for _ in range(times):
            carry = bits
            for k, plane in enumerate(self._planes):
                self._planes[k], carry = plane ^ carry, plane & carry
            self.reached |= carry


def gram_codes(classes: np.ndarray) -> list[np.ndarray]:
    """The row of :func:`gram_presence` for each bigram, then each trigram, of a class sequence:
    bigrams by their two classes, trigrams hashed into TRIGRAM_BUCKETS (a shared row only lets
    more papers through)."""
    bigrams = classes[:-1] * CLASSES + classes[1:]
    trigrams = TRIGRAM_ROW[bigrams[:-1] * CLASSES + classes[2:]]
    return [bigrams, trigrams]


class Batch:
    """ENCODE_BATCH records (fewer at the end) of the encoded choices, with what
    :func:`gram_presence`, :func:`bigram_places` and :func:`edge_distances` all read of them.

    Made from the UTF-8 bytes: a non-ASCII character's bytes all fall in the "other" class, so
    every q-gram of characters in a record is also a q-gram of classes of its bytes. Counted in
    characters, as partial_ratio counts: a character is its leading byte (continuation bytes
    are skipped). Each q-gram belongs to the record of its first byte (see ENCODE_BATCH).
    """

    def __init__(self, data: np.ndarray, starts: np.ndarray, first: int, last: int) -> None:
        self.first, self.last = first, last
        offsets = starts[first : last + 1] - starts[first]
        body = data[starts[first] : starts[last]]
        self.records = np.repeat(np.arange(last - first), np.diff(offsets))  # per byte
        run_on = 2 if last < len(starts) - 1 else 0  # into the next record's space and byte after
        self.classes = CLASS_OF[data[starts[first] : starts[last] + run_on]]
        self.bigrams, self.trigrams = (codes[: len(body)] for codes in gram_codes(self.classes))
        leading = (body & 0xC0) != 0x80
        characters = np.cumsum(leading, dtype=np.int32)  # per byte, its character's number, from 1
        at_start = characters[offsets[:-1]]  # each record's leading space
        # Per byte, how many characters of its record's text precede its character (-1: the space).
        self.columns = characters - at_start[self.records] - 1
        self.lengths = characters[offsets[1:] - 1] - at_start - 1  # each text's, without space and newline
        leading[offsets[:-1]] = leading[offsets[1:] - 1] = False
        self.inside = np.flatnonzero(leading)  # each character of the texts, in order


def batches(data: np.ndarray, starts: np.ndarray) -> Iterator[Batch]:
    """The encoded choices, ENCODE_BATCH records at a time (a multiple of 8: whole bytes of a
    packed bitset)."""
    count = len(starts) - 1
    for first in range(0, count, ENCODE_BATCH):
        yield Batch(data, starts, first, min(first + ENCODE_BATCH, count))


def gram_presence(batch: Batch) -> np.ndarray:
    """Per bigram and trigram row, a packed bitset of the batch's records holding it (np.packbits
    order)."""
    size = batch.last - batch.first
    present = np.zeros((GRAM_ROWS, size), dtype=bool)
    flat = present.reshape(-1)
    for codes in (batch.bigrams, batch.trigrams):
        flat[codes.astype(np.intp) * size + batch.records[: len(codes)]] = True
    return np.packbits(present, axis=1)


def bigram_places(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
    """Per bigram row and record of the batch holding it (by row, then record), the row and a
    mask of the CHUNK-character chunks where the bigram starts in the record. The bigram of the
    leading space falls in the first chunk, and from the last chunk on all share it.

    Ordered by a stable 16-bit radix sort of the bigrams (the positions stay in record order);
    then each run of one row and record ORs its chunk bits.
    """
    order = np.argsort(batch.bigrams, kind="stable")
    rows, records = batch.bigrams[order], batch.records[order]
    bits = np.uint32(1) << np.clip(batch.columns[order] // CHUNK, 0, CHUNKS - 1).astype(np.uint32)
    runs = run_starts(rows, records)
    return rows[runs], np.bitwise_or.reduceat(bits, runs)


def edge_distances(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
    """Per k < REPEATS, class and record of the batch: how many characters precede the class's
    k+1-th occurrence in the record, and how many follow its k+1-th from the end (EDGE_FAR: that
    many or more, or none).

    A stable sort of the characters by class keeps each class's characters of a record together
    and in order: the k-th from the start of their run, the k-th from its end.
    """
    size = batch.last - batch.first
    classes = batch.classes[batch.inside]
    order = np.argsort(classes, kind="stable")
    inside, classes = batch.inside[order], classes[order]
    records = batch.records[inside]
    begins = run_starts(classes, records)
    ends = np.append(begins, len(inside))[1:]
    cells = classes[begins].astype(np.intp) * size + records[begins]
    lengths = batch.lengths[records[begins]]
    from_start = np.full((REPEATS, CLASSES * size), EDGE_FAR, dtype=np.uint8)
    from_end = np.full((REPEATS, CLASSES * size), EDGE_FAR, dtype=np.uint8)
    for k in range(REPEATS):
        held = np.flatnonzero(ends - begins > k)
        from_start[k, cells[held]] = np.minimum(batch.columns[inside[begins[held] + k]], EDGE_FAR)
        from_end[k, cells[held]] = np.minimum(lengths[held] - batch.columns[inside[ends[held] - 1 - k]] - 1, EDGE_FAR)
    return from_start.reshape(REPEATS, CLASSES, size), from_end.reshape(REPEATS, CLASSES, size)


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
