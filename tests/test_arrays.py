"""The offsets every index keeps: where each run starts, then the end."""

from __future__ import annotations

import numpy as np

from store.arrays import offsets, ranges, run_starts


def test_offsets_of_runs_including_empty_ones() -> None:
    assert offsets([3, 0, 2]).tolist() == [0, 3, 3, 5]
    assert offsets(np.array([], dtype=np.int64)).tolist() == [0]
    assert offsets(np.array([7], dtype=np.int32)).dtype == np.int64


def test_ranges_of_runs_concatenated() -> None:
    assert ranges(np.array([10, 4, 7]), np.array([2, 0, 3])).tolist() == [10, 11, 7, 8, 9]
    assert ranges(np.array([], dtype=np.int64), np.array([], dtype=np.int64)).tolist() == []


def test_run_starts_of_equal_key_tuples() -> None:
    assert run_starts(np.array([1, 1, 2, 2, 2])).tolist() == [0, 2]
    assert run_starts(np.array([1, 1, 2, 2]), np.array([5, 6, 6, 6])).tolist() == [0, 1, 2]
    assert run_starts(np.array([], dtype=np.int64)).tolist() == []
