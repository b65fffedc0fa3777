"""The abstract-word index: its vocabulary and postings, and masks equal to a scan of the text."""

from __future__ import annotations

import random

import numpy as np
import pytest

import store.words as words
from store.blob import Blob
from store.text import fold
from store.words import WordIndex

TEXTS = [
    "Model merging merges Models; merging again.",
    "",
    "Über große Modelle — ΣΊΣΥΦΟΣ and ﬁne-tuning\u00a0fast",
    "a-very-long-hyphenated-compound-word-here and a-very-long-hyphenated-compound-word-here",
    "tabs\tand\nnewlines\x0bvertical \x1cfile-separator nul\x00byte",
    "MODEL",
]


def _table(arrays: dict[str, np.ndarray]) -> dict[str, list[int]]:
    vocabulary = Blob({"bytes": arrays["vocabulary"], "starts": arrays["vocabulary_starts"]}).texts()
    starts = arrays["posting_starts"]
    return {w: arrays["postings"][starts[i] : starts[i + 1]].tolist() for i, w in enumerate(vocabulary)}


def test_vocabulary_is_the_folded_words_each_with_its_papers_once() -> None:
    assert _table(WordIndex.encode(TEXTS)) == {
        "model": [0, 5], "merging": [0], "merges": [0], "models;": [0], "again.": [0],
        "uber": [2], "grosse": [2], "modelle": [2], "—": [2], "σισυφοσ": [2], "and": [2, 3, 4],
        "fine-tuning fast": [2],  # folding made the ligature "fi" and the no-break space a space
        "a-very-long-hyphenated-compound-word-here": [3],
        "tabs": [4], "newlines": [4], "vertical": [4], "file-separator": [4], "nul\x00byte": [4],
    }


def test_masks_equal_a_scan_of_the_folded_text(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tiny batches and hash tables: words meet again across batches, slots collide, tables chain.
    monkeypatch.setattr(words, "BATCH_BYTES", 64)
    monkeypatch.setattr(words, "_FIRST_TABLE_BITS", 2)
    rng = random.Random(7)
    pieces = ["model", "Model", "merging", "x", "ab", "abc\u0301", "é", "ÉTÉ", "twelve-bytes", "sixteen-bytes-ok",
              "seventeen-bytes!!", "thirty-two-bytes-of-one-long-wor", "α", "\u2028", "\u00a0", "1⁄4"]
    texts = [" ".join(rng.choice(pieces) for _ in range(rng.randrange(0, 12))) for _ in range(300)]
    index = WordIndex(WordIndex.encode(texts))
    folded = [fold(t) for t in texts]
    for needle in {fold(w)[i:j] for w in pieces for i in range(len(w)) for j in range(i + 1, len(w) + 1)} - {""}:
        if needle.split() != [needle]:
            continue  # query words hold no whitespace
        expected = np.array([needle in t for t in folded])
        assert np.array_equal(index.records(needle, len(texts)), expected), needle


def test_no_texts() -> None:
    arrays = WordIndex.encode([])
    assert _table(arrays) == {}
    assert WordIndex(arrays).records("model", 0).tolist() == []


@pytest.mark.parametrize("bound", [1, 300, 1 << 16, (1 << 16) + 1, 1 << 31])
def test_stable_order_is_a_stable_argsort(bound: int) -> None:
    values = np.random.default_rng(bound).integers(0, bound, 5000, dtype=np.int64).astype(np.int32)
    assert np.array_equal(words.stable_order(values, bound), np.argsort(values, kind="stable"))
