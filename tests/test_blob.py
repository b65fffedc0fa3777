"""A field's offsets of a needle are exactly where it occurs, found through the byte-pair order
or by a scan, and narrowed from a cached prefix as the needle grows."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.blob import Blob

ALPHABET = "abe -x1é"
texts = st.lists(st.text(alphabet=ALPHABET, max_size=20), min_size=1, max_size=8)
needles = st.text(alphabet=ALPHABET, min_size=1, max_size=4)


def occurrences(blob: Blob, needle: bytes) -> list[int]:
    data = bytes(blob.bytes)
    return [i for i in range(len(data)) if data.startswith(needle, i)]


@settings(max_examples=300, deadline=None)
@given(texts, st.lists(needles, min_size=1, max_size=4), st.booleans())
def test_offsets_are_where_the_needle_occurs(records: list[str], typed: list[str], short_needles: bool) -> None:
    blob = Blob(Blob.encode(records, short_needles=short_needles))
    for word in typed:
        for end in range(1, len(word) + 1):  # typed a character at a time, as keystrokes
            needle = word[:end].encode("utf-8")
            assert sorted(blob.offsets(needle).tolist()) == occurrences(blob, needle)


def test_a_bytes_offsets_are_one_slice_of_the_pair_order() -> None:
    blob = Blob(Blob.encode(["ex e-", "be"], short_needles=True))  # b" ex e-\n be\n"
    assert blob.offsets(b"e").tolist() == [9, 4, 1]  # by the pair there: "e\n", "e-", "ex"
    assert blob.offsets(b"ex").tolist() == [1]
    assert blob.offsets(b"e-").tolist() == [4]


@given(st.lists(st.text(alphabet=ALPHABET + "\n", max_size=6), max_size=5))
def test_records_are_a_space_the_text_newlines_made_spaces_and_a_newline(records: list[str]) -> None:
    arrays = Blob.encode(records)
    expected = [(" " + r.replace("\n", " ") + "\n").encode("utf-8") for r in records]
    assert bytes(arrays["bytes"]) == (b"".join(expected) or b"\n") + bytes(64)  # no records: a lone newline
    assert arrays["starts"].tolist() == [sum(map(len, expected[:k])) for k in range(len(records) + 1)]
    assert Blob(arrays).texts() == [r.replace("\n", " ") for r in records]


@pytest.mark.parametrize("step", [1, 2, 3])
@given(st.lists(st.text(alphabet=ALPHABET + "\n", max_size=6), max_size=7))
def test_records_decoded_a_few_at_a_time_are_every_record(step: int, records: list[str]) -> None:
    import store.blob

    blob = Blob(Blob.encode(records))
    original, store.blob.RECORDS_PER_STEP = store.blob.RECORDS_PER_STEP, step
    try:
        assert blob.texts() == [r.replace("\n", " ") for r in records]
    finally:
        store.blob.RECORDS_PER_STEP = original


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=30), min_size=1, max_size=400), needles)
def test_the_records_holding_offsets_are_the_same_however_many_offsets(records: list[str], needle: str) -> None:
    """Few offsets are searched for among the record starts, many are looked up in a table of
    every byte's record: both give each offset's record, and so the same mask of records."""
    import store.blob

    blob = Blob(Blob.encode(records))
    found = blob.offsets(needle.encode("utf-8"))
    holding = [i for i, text in enumerate(records) if needle in " " + text]
    original = store.blob.RECORD_TABLE_ABOVE, store.blob.RECORDS_PER_STEP
    store.blob.RECORDS_PER_STEP = 3  # the table is made a few records at a time
    try:
        for table_above in (len(found) + 1, 0):  # searched, then through the table
            store.blob.RECORD_TABLE_ABOVE = table_above
            assert sorted(set(blob.record_of(found).tolist())) == holding
            assert blob.records(found, len(records)).nonzero()[0].tolist() == holding
    finally:
        store.blob.RECORD_TABLE_ABOVE, store.blob.RECORDS_PER_STEP = original
