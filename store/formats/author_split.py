"""Splitting a line where a title runs into its authors: "…for CNNZhenyi Wang, Olga Veksler".

A split point is an uppercase letter glued to the character before it. It is valid when the rest
of the line reads as a comma-separated list of person names, optionally ending in "et al.".
A title never ends in a hyphen ("Multi-|Task Learning…" is no split). Among valid splits, a first
author known from elsewhere wins, then one whose first word looks like a name (capital then
lowercase: "Zhenyi", not "NNZhenyi"), then one with fewer odd words ("Free ApplicationsZixuan Hu"
loses to "Zixuan Hu"), then the earliest split.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from store.model import ParseError
from store.text import name_key

# Lowercase words allowed inside a name: "Vincent van der Berg", "Maria de la Cruz".
_PARTICLES = frozenset(
    {"al", "bin", "da", "das", "de", "del", "della", "den", "der", "di", "dos", "du", "el",
     "ibn", "la", "le", "ten", "ter", "van", "von", "y", "zu"}
)
_ET_AL = (" et al.", " et al")
_PART_SEPARATOR = re.compile(r"[-'\u2019]")
MAX_TOKEN = 40  # no real name token is longer; bounds the work on hostile input
MAX_NAME = 4 * MAX_TOKEN + 3
MAX_LINE = 100_000

_INVALID, _LENIENT, _STRICT = 0, 1, 2


@dataclass(frozen=True)
class Split:
    """One way to read a line: where the title ends, and how name-like the first author is."""

    body: str = field(repr=False)  # the line without its "et al."
    pieces: tuple[str, ...] = field(repr=False)  # body split at commas
    piece: int  # the piece the split falls in
    position: int  # where in body the first author starts
    first_author: str
    complete: bool  # no "et al.": every author is shown
    first_strict: bool  # the first author's first word is Capital + lowercase
    odd_words: int  # words of the first author with inner capitals ("ApplicationsZixuan")

    @property
    def title(self) -> str:
        return self.body[: self.position]

    @property
    def authors(self) -> tuple[str, ...]:
        return (self.first_author, *self.pieces[self.piece + 1 :])


def _part_kind(part: str) -> int:
    if len(part) == 2 and part[0].isupper() and part[1] == ".":
        return _STRICT  # an initial: "J."
    if not part.isalpha() or not part[0].isupper():
        return _INVALID
    return _STRICT if len(part) == 1 or part[1:].islower() else _LENIENT


@lru_cache(maxsize=1 << 16)  # words recur: names on many entries, common title words
def _token_kind(token: str) -> int:
    """Strict "Zhenyi", "Jean-Pierre", "O'Neil", "J."; lenient "LeCun"; invalid otherwise."""
    if len(token) > MAX_TOKEN or len(token) == 1:
        return _INVALID
    return min(_part_kind(part) for part in _PART_SEPARATOR.split(token))


def _name_kinds(name: str) -> list[int]:
    """The kind of each word of a person's name: 2 to 4 words, lowercase particles inside."""
    tokens = name.split(" ")
    if len(name) > MAX_NAME or not 2 <= len(tokens) <= 4:
        return [_INVALID]
    return [
        _STRICT if 0 < i < len(tokens) - 1 and token in _PARTICLES else _token_kind(token)
        for i, token in enumerate(tokens)
    ]


def _is_name(piece: str) -> bool:
    """Whether a comma-separated piece reads as a person's name."""
    return len(piece) <= MAX_NAME and _is_short_name(piece)  # long pieces stay out of the cache


@lru_cache(maxsize=1 << 16)  # the same authors are on many entries
def _is_short_name(piece: str) -> bool:
    return _INVALID not in _name_kinds(piece)


def _segments(body: str) -> list[tuple[int, int]]:
    """Spans of the comma-separated pieces of `body`, the spaces after each comma skipped."""
    spans, start = [], 0
    for comma in re.finditer(r", *", body):
        spans.append((start, comma.start()))
        start = comma.end()
    spans.append((start, len(body)))
    return spans


def _first_name_start(body: str, start: int, end: int) -> int:
    """The first position in body[start + 1:end] from which the rest of it can be a name: at most
    MAX_NAME characters and at most three spaces (four words); earlier splits need no look."""
    first = max(start + 1, end - MAX_NAME)
    space = end
    for _ in range(4):
        space = body.rfind(" ", first, space)
        if space < 0:
            return first
    return space + 1


def candidate_splits(line: str) -> list[Split]:
    """Every valid way to split `line` into title and authors, in line order."""
    text = line.strip()
    if len(text) > MAX_LINE:
        raise ParseError("title and authors line too long")
    body, complete = text, True
    for suffix in _ET_AL:
        if text.endswith(suffix):
            body, complete = text[: -len(suffix)].rstrip(), False
            break
    spans = _segments(body)
    pieces = tuple(body[s:e] for s, e in spans)
    run = len(spans)  # first piece of the longest all-names tail
    while run > 0 and _is_name(pieces[run - 1]):
        run -= 1
    splits = []
    for j in range(max(run - 1, 0), len(spans)):
        start, end = spans[j]
        for i in range(_first_name_start(body, start, end), end):
            # body[i - 1] is not a space, so the title is body[:i] as it stands.
            if not body[i].isupper() or body[i - 1].isspace() or body[i - 1] in ",-":
                continue
            kinds = _name_kinds(body[i:end])
            if _INVALID not in kinds:
                splits.append(Split(body, pieces, j, i, body[i:end], complete,
                                    kinds[0] == _STRICT, kinds.count(_LENIENT)))
    return splits


def best_split(splits: list[Split], known_names: frozenset[str] = frozenset()) -> Split:
    """The most plausible of `splits`; `known_names` holds name_key()s of people seen elsewhere,
    and a first author among them is the strongest evidence. ParseError when there is none."""
    if not splits:
        raise ParseError("no author list after the title")
    return max(
        splits,
        key=lambda s: (
            name_key(s.first_author) in known_names, s.first_strict, -s.odd_words, -s.position
        ),
    )


def split_title_authors(
    line: str, known_names: frozenset[str] = frozenset()
) -> tuple[str, tuple[str, ...], bool]:
    """(title, authors, complete) of a line holding a title glued to its author list."""
    split = best_split(candidate_splits(line), known_names)
    return split.title, split.authors, split.complete
