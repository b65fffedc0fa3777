"""One folded text field of every paper as a single byte string, searched by numpy scans.

Records are separated by a newline and start with a space, so a word start is a byte after a
non-word byte. The offsets found for a needle are cached, so the next keystroke ("mer" after
"me") only checks the next byte at each cached offset instead of scanning again. Fields searched
as the user types also keep every offset ordered by the two bytes there, so the first keystrokes
("me") take a slice instead of a scan of the whole field.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from store.arrays import offsets

ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyz0123456789"
BIT = {c: 1 << k for k, c in enumerate(ALPHANUMERIC)}
CACHED_NEEDLES = 128
# Offsets beyond this many are mapped to their records through a table of every byte's record
# (a gather) rather than searched for among the record starts: the first keystrokes find a
# hundred thousand offsets or more, and searching for them took most of such a keystroke.
RECORD_TABLE_ABOVE = 4096
# Records handled in one call where a call for all of them holds the GIL long enough to stall the
# browser's event loop (at 100k papers: ~65 ms to table every byte's record, ~60 ms to decode
# every record); the GIL can change hands between two calls.
RECORDS_PER_STEP = 4096


class Blob:
    """One folded field of every paper as a single byte string, with word offsets cached.

    With `short_needles`, it also keeps per record which letters and digits occur and which
    start a word, so a one-character query word (the first keystroke) needs no offsets at all,
    and every offset ordered by the byte pair starting there (:func:`pair_order_of`), so the
    offsets of a needle's first two bytes are one slice.
    """

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        """From :meth:`encode`'s arrays (built now, or memory-mapped from the cache)."""
        self.bytes = arrays["bytes"]
        self.starts = arrays["starts"]
        self.letters: np.ndarray | None = arrays.get("letters")
        self.word_starts: np.ndarray | None = arrays.get("word_starts")
        self.pair_order: np.ndarray | None = arrays.get("pair_order")
        self.pair_starts: np.ndarray | None = arrays.get("pair_starts")
        self._offsets: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._record_of_byte: np.ndarray | None = None  # made on first need (see record_of)

    @staticmethod
    def encode(texts: Sequence[str], short_needles: bool = False) -> dict[str, np.ndarray]:
        encoded = [(" " + t.replace("\n", " ")).encode("utf-8") for t in texts]
        starts = offsets(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)) + 1)
        # Each record and its "\n", then padding (reads past the end are safe), in one copy.
        data = b"\n".join([*encoded, bytes(64)]) if encoded else b"\n" + bytes(64)
        arrays = {"bytes": np.frombuffer(data, dtype=np.uint8), "starts": starts}
        if short_needles and len(texts):
            arrays["letters"], arrays["word_starts"] = letter_sets_of(arrays["bytes"], starts)
            arrays["pair_order"], arrays["pair_starts"] = pair_order_of(arrays["bytes"])
        return arrays

    def texts(self) -> list[str]:
        """Every record as encoded (newlines were made spaces), without the leading space;
        decoded RECORDS_PER_STEP records at a time."""
        texts: list[str] = []
        starts = self.starts.tolist()
        for first in range(0, len(starts) - 1, RECORDS_PER_STEP):
            last = min(first + RECORDS_PER_STEP, len(starts) - 1)
            body = bytes(self.bytes[starts[first] : starts[last] - 1]).decode("utf-8")
            texts += [record[1:] for record in body.split("\n")]
        return texts

    def offsets(self, needle: bytes) -> np.ndarray:
        """Where `needle` occurs; narrowed from the longest cached prefix when there is one."""
        cached = self._offsets.get(needle)
        if cached is not None:
            self._offsets.move_to_end(needle)
            return cached
        prefix_len = next((k for k in range(len(needle) - 1, 0, -1) if needle[:k] in self._offsets), 0)
        if prefix_len:
            found = self._offsets[needle[:prefix_len]]
        elif self.pair_order is not None and self.pair_starts is not None:
            prefix_len = min(len(needle), 2)
            first = needle[0] << 8
            low, high = (first, first + 256) if prefix_len == 1 else (first | needle[1], (first | needle[1]) + 1)
            found = self.pair_order[self.pair_starts[low] : self.pair_starts[high]]
        else:
            found = np.flatnonzero(self.bytes == needle[0])
            prefix_len = 1
        found = self._verify(found, needle, prefix_len)
        self._offsets[needle] = found
        if len(self._offsets) > CACHED_NEEDLES:
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
            mask[self.record_of(offsets)] = True
        return mask

    def record_of(self, offsets: np.ndarray) -> np.ndarray:
        """The record each offset is in."""
        if len(offsets) <= RECORD_TABLE_ABOVE:
            return np.searchsorted(self.starts, offsets, side="right") - 1
        if self._record_of_byte is None:
            self._record_of_byte = _record_table(self.starts)
        return self._record_of_byte[offsets]

    def at_word_start(self, offsets: np.ndarray) -> np.ndarray:
        before = self.bytes[offsets - 1]
        return offsets[~is_word_byte(before)]

    def word_masks(self, word: str, count: int) -> tuple[np.ndarray, np.ndarray]:
        """Records holding `word` anywhere, and records where it starts a word."""
        if len(word) == 1 and word in BIT and self.letters is not None and self.word_starts is not None:
            bit = BIT[word]
            return (self.letters & bit) != 0, (self.word_starts & bit) != 0
        offsets = self.offsets(word.encode("utf-8"))
        return self.records(offsets, count), self.records(self.at_word_start(offsets), count)

    def phrase(self, text: str) -> np.ndarray:
        """Offsets of the whole query text, found from its first word's cached offsets."""
        encoded = text.encode("utf-8")
        first = encoded.split(b" ", 1)[0]
        return self._verify(self.offsets(first), encoded, len(first))


def _record_table(starts: np.ndarray) -> np.ndarray:
    """The record each byte of the field is in (4 bytes a byte), made RECORDS_PER_STEP records
    at a time."""
    table = np.empty(int(starts[-1] - starts[0]), dtype=np.int32)
    lengths = np.diff(starts)
    for first in range(0, len(lengths), RECORDS_PER_STEP):
        last = min(first + RECORDS_PER_STEP, len(lengths))
        table[starts[first] - starts[0] : starts[last] - starts[0]] = np.repeat(
            np.arange(first, last, dtype=np.int32), lengths[first:last]
        )
    return table


def letter_sets_of(data: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per record, bit k set when ALPHANUMERIC[k] occurs (anywhere; at a word start)."""
    body = data[: starts[-1]]
    bit_of = np.zeros(256, dtype=np.int64)
    for character, bit in BIT.items():
        bit_of[ord(character)] = bit
    bits = bit_of[body]
    after_word = np.zeros(len(body), dtype=bool)  # the first byte follows a separator
    after_word[1:] = is_word_byte(body[:-1])
    starting = np.where(after_word, 0, bits)
    firsts = starts[:-1]
    return np.bitwise_or.reduceat(bits, firsts), np.bitwise_or.reduceat(starting, firsts)


def pair_order_of(data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every offset of `data` but the last, ordered by the two bytes from there (a stable
    16-bit radix sort), and where each pair's run of offsets starts: the offsets of pair (a, b)
    are order[starts[a * 256 + b] : starts[a * 256 + b + 1]], of byte a those from a * 256 on."""
    pairs = (data[:-1].astype(np.uint16) << 8) | data[1:]
    order = np.argsort(pairs, kind="stable").astype(np.int32)
    return order, offsets(np.bincount(pairs, minlength=256 * 256))


def is_word_byte(values: np.ndarray) -> np.ndarray:
    """Letters, digits and every non-ASCII byte (part of a non-ASCII letter) count as word bytes."""
    return (
        ((values >= 48) & (values <= 57))
        | ((values >= 97) & (values <= 122))
        | (values >= 128)
    )
