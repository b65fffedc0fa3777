"""Reading pages from disk: every file gets a verdict, a bad one never stops the others."""

from __future__ import annotations

import hashlib
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Literal

from store.formats import USES_KNOWN_NAMES, detect_rows
from store.formats.common import page_rows
from store.model import ParseContext, ParseError, SourcePage
from store.text import name_key

MAX_FILE_BYTES = 20 * 1024 * 1024
Outcome = Literal["added", "updated", "unchanged", "failed"]


@dataclass(frozen=True)
class FileResult:
    path: str
    outcome: Outcome
    format: str | None = None
    papers: int = 0
    error: str | None = None

    def message(self) -> str:
        """One line for the user: `file: reason` for failures, a summary otherwise."""
        if self.error:
            return f"{self.path}: {self.error}"
        return f"{self.path}: {self.outcome}, {self.format}, {self.papers} papers"


class UnreadableFile(Exception):
    """A file that is not a page: the message says why, in a few words."""


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given; directories become their visible files, recursively, in name order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            yield path


def read_page_text(path: Path) -> tuple[str, str]:
    """The page's text and the SHA-256 of its bytes; raises UnreadableFile with the reason."""
    try:
        status = path.stat()
    except FileNotFoundError:
        raise UnreadableFile("no such file") from None
    except OSError as error:
        raise UnreadableFile(f"cannot read ({error.strerror})") from None
    if not stat.S_ISREG(status.st_mode):
        # A FIFO would block forever and /dev/zero never ends: only regular files are pages.
        raise UnreadableFile("not a regular file")
    size = status.st_size
    if size > MAX_FILE_BYTES:
        raise UnreadableFile(
            f"too large ({size / 1e6:.1f} MB; pages over {MAX_FILE_BYTES // (1024 * 1024)} MiB are refused)"
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableFile(f"cannot read ({error.strerror})") from None
    if not data.strip():
        raise UnreadableFile("empty file")
    if b"\x00" in data:
        raise UnreadableFile("binary file, not a text page")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"not UTF-8 text (invalid byte at offset {error.start})") from None
    return text, hashlib.sha256(data).hexdigest()


def parse_files(
    paths: Iterable[Path],
    captured: date,
    known: dict[str, SourcePage],
) -> tuple[list[SourcePage], list[FileResult]]:
    """Parse every new file; `known` maps sha256 to pages already in the store, which are
    reported "unchanged" without being parsed again (so they keep their capture date).

    Names from every other page are handed to formats that use them as evidence.
    """
    texts: list[tuple[Path, str, str]] = []
    results: dict[str, FileResult] = {}
    order: list[str] = []
    for path in expand_paths(paths):
        shown = str(path)
        order.append(shown)
        try:
            text, sha = read_page_text(path)
        except UnreadableFile as error:
            results[shown] = FileResult(shown, "failed", error=str(error))
            continue
        if sha in known:
            page = known[sha]
            results[shown] = FileResult(shown, "unchanged", format=page.format, papers=len(page.papers))
            continue
        texts.append((path, text, sha))

    names = frozenset(
        name_key(author)
        for page in known.values()
        for paper in page.papers
        for author in paper.authors
    )
    pages: list[SourcePage] = []
    deferred: list[tuple[Path, list[str], str, ParseContext, ModuleType]] = []
    for path, text, sha in texts:
        context = ParseContext(captured=captured, known_names=names)
        rows = page_rows(text)
        fmt = detect_rows(rows)
        if fmt is None:
            results[str(path)] = FileResult(str(path), "failed", error="not a known page format")
        elif fmt.NAME in USES_KNOWN_NAMES:
            deferred.append((path, rows, sha, context, fmt))
        else:
            _parse_one(path, rows, sha, context, fmt, pages, results)
    more_names = names | {name_key(a) for page in pages for p in page.papers for a in p.authors}
    for path, rows, sha, context, fmt in deferred:
        context = ParseContext(captured=context.captured, known_names=more_names)
        _parse_one(path, rows, sha, context, fmt, pages, results)
    return pages, [results[shown] for shown in order if shown in results]


def _parse_one(
    path: Path,
    rows: list[str],
    sha: str,
    context: ParseContext,
    fmt: ModuleType,
    pages: list[SourcePage],
    results: dict[str, FileResult],
) -> None:
    shown = str(path)
    try:
        parsed = fmt.parse_rows(rows, context)
    except ParseError as error:
        results[shown] = FileResult(shown, "failed", format=fmt.NAME, error=f"{fmt.NAME} page: {error}")
        return
    except RecursionError:
        results[shown] = FileResult(shown, "failed", format=fmt.NAME, error="page too deeply nested")
        return
    pages.append(
        SourcePage(
            file=path.name,
            path=str(path.resolve()),
            format=parsed.format,
            sha256=sha,
            captured=context.captured.isoformat(),
            owner=parsed.owner,
            papers=parsed.papers,
            page_date=parsed.page_date,
        )
    )
    results[shown] = FileResult(shown, "added", format=parsed.format, papers=len(parsed.papers))
