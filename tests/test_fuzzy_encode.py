"""FuzzyIndex.encode's q-gram bitsets, bigram place masks and edge distances equal a plain
per-character reading of each choice, however the records fall into batches."""

from __future__ import annotations

from unittest import mock

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from store.blob import Blob
from store.fuzzy import (
    BIGRAM_ROWS, CHUNK, CHUNKS, CLASS_OF, CLASSES, EDGE_FAR, REPEATS, TRIGRAM_BUCKETS, FuzzyIndex,
)

ALPHABET = "abé 1-;|\n€"
choices = st.lists(
    st.one_of(st.text(alphabet=ALPHABET, max_size=12), st.text(alphabet=ALPHABET, min_size=250, max_size=300)),
    max_size=40,
)


def expected(texts: list[str]) -> dict[str, object]:
    """Each record's q-grams (running on into the next record), its bigrams' chunk
    masks, and its classes' distances from both edges, read one byte and character at a time."""
    blob = Blob.encode(texts)
    data, starts = bytes(blob["bytes"]), blob["starts"].tolist()
    count = len(texts)
    grams: set[tuple[int, int]] = set()
    places: dict[tuple[int, int], int] = {}
    from_start = np.full((REPEATS, CLASSES, count), EDGE_FAR, dtype=np.uint8)
    from_end = np.full((REPEATS, CLASSES, count), EDGE_FAR, dtype=np.uint8)
    for record in range(count):
        begin, end = starts[record], starts[record + 1]
        for i in range(begin, end):
            classes = [int(CLASS_OF[b]) for b in data[i : min(i + 3, starts[count])]]
            column = sum(b & 0xC0 != 0x80 for b in data[begin + 1 : i + 1]) - 1
            if len(classes) >= 2:
                bigram = classes[0] * CLASSES + classes[1]
                grams.add((bigram, record))
                chunk = min(max(column // CHUNK, 0), CHUNKS - 1)
                places[bigram, record] = places.get((bigram, record), 0) | 1 << chunk
            if len(classes) == 3:
                grams.add((BIGRAM_ROWS + (bigram * CLASSES + classes[2]) % TRIGRAM_BUCKETS, record))
        characters = [int(CLASS_OF[b]) for b in data[begin + 1 : end - 1] if b & 0xC0 != 0x80]
        for cls in set(characters):
            columns = [c for c, other in enumerate(characters) if other == cls]
            for k in range(min(REPEATS, len(columns))):
                from_start[k, cls, record] = min(columns[k], EDGE_FAR)
                from_end[k, cls, record] = min(len(characters) - columns[-1 - k] - 1, EDGE_FAR)
    return {"grams": grams, "places": places, "from_start": from_start, "from_end": from_end}


def found(texts: list[str]) -> dict[str, object]:
    arrays = FuzzyIndex.encode(texts)
    present = np.unpackbits(arrays["grams"], axis=1, count=len(texts))
    places = {}
    for row in range(BIGRAM_ROWS):
        holders = np.flatnonzero(present[row])
        masks = arrays["places"][arrays["place_rows"][row] : arrays["place_rows"][row + 1]]
        assert len(holders) == len(masks)
        places.update({(row, int(h)): int(m) for h, m in zip(holders, masks, strict=True)})
    grams = {(int(row), int(record)) for row, record in np.argwhere(present)}
    return {"grams": grams, "places": places, "from_start": arrays["from_start"], "from_end": arrays["from_end"]}


def assert_same(texts: list[str]) -> None:
    want, got = expected(texts), found(texts)
    assert got["grams"] == want["grams"]
    assert got["places"] == want["places"]
    np.testing.assert_array_equal(got["from_start"], want["from_start"])
    np.testing.assert_array_equal(got["from_end"], want["from_end"])


@settings(max_examples=150, deadline=None)
@given(choices)
def test_small_batches(texts: list[str]) -> None:
    with mock.patch("store.fuzzy.ENCODE_BATCH", 8):
        assert_same(texts)


@settings(max_examples=30, deadline=None)
@given(choices)
def test_one_batch(texts: list[str]) -> None:
    assert_same(texts)
