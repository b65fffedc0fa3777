"""The library's papers as compact records, made into `Paper` objects only when read.

At 100k papers the `Paper` objects alone take ~400 MB (the abstracts most of it) and ~2 s to
build. Here each paper is one small JSON record in a single buffer (in memory after a merge, or
memory-mapped from the cache), so opening costs nothing per paper and only the papers on screen
are ever decoded. The orders the browser sorts by (title, score) are arrays over the papers, so
sorting a view of 100k papers never decodes one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any, overload

import numpy as np
import orjson

from store.model import Paper, Source
from store.text import fold


# Between two records, and nowhere inside one: a string's quotes are escaped inside another string,
# and a record holds no list right after another list (see :func:`_fields`).
_BETWEEN = re.compile(rb'\],\["')


def _fields(paper: Paper) -> tuple[Any, ...]:
    """A paper's record: its fields in declaration order, but sources flattened (file, format,
    file, ...) and before `has_code`, so no list follows a list (see :func:`decode_paper`)."""
    return (
        paper.id, paper.title, paper.title_is_derived, paper.authors, paper.authors_complete,
        paper.author_count, paper.year, paper.date, paper.date_is_inferred, paper.category,
        paper.venue, paper.kind, paper.score, paper.upvotes,
        [part for s in paper.sources for part in (s.file, s.format)], paper.has_code, paper.abstract,
        paper.researchers,
    )


def encode_papers(papers: Sequence[Paper]) -> tuple[np.ndarray, np.ndarray]:
    """Every paper's record (a JSON array), as one JSON list made in one call, and where each
    record starts; one byte (a comma, or the list's closing bracket) follows each."""
    text = orjson.dumps([_fields(p) for p in papers])
    starts = np.empty(len(papers) + 1, dtype=np.int64)
    starts[0], starts[-1] = 1, len(text)
    starts[1:-1] = np.fromiter((m.end() - 2 for m in _BETWEEN.finditer(text)), dtype=np.int64, count=len(papers) - 1)
    return np.frombuffer(text, dtype=np.uint8), starts


def decode_paper(record: bytes | memoryview) -> Paper:
    f = orjson.loads(record)
    sources = f[14]
    return Paper(
        f[0], f[1], f[2], tuple(f[3]), f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11], f[12],
        f[13], f[15], f[16], tuple(Source(sources[k], sources[k + 1]) for k in range(0, len(sources), 2)),
        tuple(f[17]),
    )


class _PaperSequence(Sequence[Paper]):
    """Equality as a sequence of papers, so a view still compares equal to a tuple or a list."""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]


class PaperRecords(_PaperSequence):
    """Every paper of the library, newest first, decoded on access (nothing is kept decoded)."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.arrays = arrays
        self._data = memoryview(arrays["records"])
        self._starts = arrays["record_starts"]
        self.title_rank = arrays["title_rank"]  # a paper's place in title order
        self.merit = arrays["merit"]  # minus its score (else upvotes), +inf for neither: ascending is best first
        self.ids: list[str] = bytes(arrays["ids"]).decode("ascii").split("\n") if len(self._starts) > 1 else []

    @classmethod
    def from_papers(cls, papers: Sequence[Paper], titles: Sequence[str] | None = None) -> PaperRecords:
        """The records of `papers`; `titles`: their folded titles, if already made."""
        records, starts = encode_papers(papers)
        titles = [fold(p.title) for p in papers] if titles is None else titles
        title_rank = np.empty(len(papers), dtype=np.int32)
        title_rank[sorted(range(len(papers)), key=titles.__getitem__)] = np.arange(len(papers), dtype=np.int32)
        merit = np.array([_merit(p) for p in papers], dtype=np.float64)
        return cls({
            "records": records,
            "record_starts": starts,
            "title_rank": title_rank,
            "merit": merit,
            "ids": np.frombuffer("\n".join(p.id for p in papers).encode("ascii"), dtype=np.uint8),
        })

    def __len__(self) -> int:
        return len(self._starts) - 1

    @overload
    def __getitem__(self, index: int) -> Paper: ...
    @overload
    def __getitem__(self, index: slice) -> list[Paper]: ...
    def __getitem__(self, index: int | slice) -> Paper | list[Paper]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        count = len(self)
        if not -count <= index < count:
            raise IndexError("paper index out of range")
        index %= count
        return decode_paper(self._data[self._starts[index] : self._starts[index + 1] - 1])

    def __iter__(self) -> Iterator[Paper]:
        data, starts = self._data, self._starts.tolist()
        for i in range(len(starts) - 1):
            yield decode_paper(data[starts[i] : starts[i + 1] - 1])


def _merit(paper: Paper) -> float:
    value = paper.score if paper.score is not None else paper.upvotes
    return float("inf") if value is None else -value


class PaperList(_PaperSequence):
    """Papers at the given positions of the library, looked up only when read (no 100k-tuple
    is built per keystroke)."""

    def __init__(self, papers: Sequence[Paper], positions: Sequence[int]) -> None:
        self._papers = papers
        self._positions = positions

    def __len__(self) -> int:
        return len(self._positions)

    @overload
    def __getitem__(self, index: int) -> Paper: ...
    @overload
    def __getitem__(self, index: slice) -> list[Paper]: ...
    def __getitem__(self, index: int | slice) -> Paper | list[Paper]:
        if isinstance(index, slice):
            return [self._papers[int(i)] for i in self._positions[index]]
        return self._papers[int(self._positions[index])]

    def sorted(self, mode: str) -> PaperList | None:
        """This view in a sort order by the library's arrays, or None when they are not at hand."""
        records = self._papers
        if not isinstance(records, PaperRecords):
            return None
        positions = np.asarray(self._positions, dtype=np.int64)
        if mode == "title":
            keys = records.title_rank[positions]
            return PaperList(records, positions[np.argsort(keys, kind="stable")])
        if mode == "score":
            return PaperList(records, positions[np.lexsort((positions, records.merit[positions]))])
        return PaperList(records, np.sort(positions))


def library_view(papers: PaperRecords) -> PaperList:
    """All papers as a view, so that sorting them needs no decoding."""
    return PaperList(papers, np.arange(len(papers), dtype=np.int64))
