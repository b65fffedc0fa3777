"""Small numpy idioms the indexes share."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def offsets(lengths: np.ndarray | Sequence[int]) -> np.ndarray:
    """Where each of consecutive runs of these lengths starts, then where the last one ends
    (CSR offsets: run i is [offsets[i], offsets[i + 1]))."""
    starts = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    return starts


def run_starts(*keys: np.ndarray) -> np.ndarray:
    """Where each run of equal key tuples starts (the keys are equally long)."""
    start = np.zeros(len(keys[0]), dtype=bool)
    start[:1] = True
    for key in keys:
        start[1:] |= key[1:] != key[:-1]
    return np.flatnonzero(start)


def ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The indices start..start+length of every run, concatenated, without a Python loop."""
    shifts = np.repeat(starts - offsets(lengths)[:-1], lengths)
    return shifts + np.arange(len(shifts))
