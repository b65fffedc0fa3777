"""Reading pages from disk: every file gets a verdict, a bad one never stops the others."""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Any, Literal, TypeVar

from store.collector import collector_paused
from store.formats import FORMATS, USES_KNOWN_NAMES, detect_rows
from store.formats.common import page_rows
from store.model import ParseContext, ParsedPage, ParseError, SourcePage
from store.text import counted, name_key

MAX_FILE_BYTES = 20 * 1024 * 1024
# Below this many bytes of pages, parsing here beats starting a pool of processes (~1,000 papers).
POOL_MIN_BYTES = 2 * 1024 * 1024
MAX_WORKERS = 8
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
        return f"{self.path}: {self.outcome}, {self.format}, {counted(self.papers, 'paper')}"


class UnreadableFile(Exception):
    """A file that is not a page: the message says why, in a few words."""


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given; directories become their visible files, recursively, in name order. What
    cannot be looked at (a folder without search permission on the way) counts as a file: its
    read then says why it failed, rather than a traceback here."""
    for path in paths:
        if _is(path, Path.is_dir, otherwise=False):
            yield from sorted(
                p
                for p in path.rglob("*")
                if _is(p, Path.is_file, otherwise=True)
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            yield path


def _is(path: Path, kind: Callable[[Path], bool], *, otherwise: bool) -> bool:
    try:
        return kind(path)
    except OSError:
        return otherwise


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
    *,
    workers: int | None = None,
) -> tuple[list[SourcePage], list[FileResult]]:
    """Parse every new file; `known` maps sha256 to pages already in the store, which are
    reported "unchanged" without being parsed again (so they keep their capture date).

    Names from every other page are handed to formats that use them as evidence: those pages
    are drafted with the others, then finished here. Pages are parsed in `workers` processes
    (default: one per core when there is enough to parse, else this process alone); the outcome
    does not depend on it.
    """
    files = list(expand_paths(paths))
    workers = _worker_count(files) if workers is None else workers
    # Parsing makes ~10 objects a paper and no cycles: each collection would walk them all again
    # (a tenth of the parse at 100k papers, more in the finishing after a pool).
    with collector_paused():
        pages, results = _parse_all(files, captured, known, workers)
    return pages, [results[str(path)] for path in files if str(path) in results]


def _parse_all(
    files: list[Path], captured: date, known: dict[str, SourcePage], workers: int
) -> tuple[list[SourcePage], dict[str, FileResult]]:
    names = frozenset(
        name_key(author)
        for page in known.values()
        for paper in page.papers
        for author in paper.authors
    )
    pages: list[SourcePage] = []
    results: dict[str, FileResult] = {}
    drafts: list[_Drafted] = []
    for outcome in _each(_first_pass, files, (captured, known, names), workers):
        if isinstance(outcome, _Drafted):
            drafts.append(outcome)
        else:
            _record(outcome, pages, results)
    names |= {name_key(a) for page in pages for p in page.papers for a in p.authors}
    context = ParseContext(captured=captured, known_names=names)
    for drafted in drafts:
        _record(_finish(drafted, context), pages, results)
    return pages, results


# A page parsed, or not: its verdict, and the page when there is one.
_Parsed = tuple[FileResult, SourcePage | None]


@dataclass(frozen=True)
class _Drafted:
    """A page whose format wants the names on every other page: drafted in the first pass (in a
    worker, which knows no such names) and finished with them in this process."""

    path: Path
    draft: Any  # what the format's draft_rows gave
    sha: str
    format: str


_FORMATS_BY_NAME = {fmt.NAME: fmt for fmt in FORMATS}


def _first_pass(path: Path, state: tuple[date, dict[str, SourcePage], frozenset[str]]) -> _Parsed | _Drafted:
    """Read, detect and parse one file; a page of a format that uses known names is drafted."""
    captured, known, names = state
    shown = str(path)
    try:
        text, sha = read_page_text(path)
    except UnreadableFile as error:
        return FileResult(shown, "failed", error=str(error)), None
    if sha in known:
        page = known[sha]
        return FileResult(shown, "unchanged", format=page.format, papers=len(page.papers)), None
    rows = page_rows(text)
    fmt = detect_rows(rows)
    if fmt is None:
        return FileResult(shown, "failed", error="not a known page format"), None
    try:
        if fmt.NAME in USES_KNOWN_NAMES:
            return _Drafted(path, fmt.draft_rows(rows, captured), sha, fmt.NAME)
        parsed = fmt.parse_rows(rows, ParseContext(captured=captured, known_names=names))
    except (ParseError, RecursionError) as error:
        return _failed(path, fmt, error)
    return _added(path, sha, captured, parsed)


def _finish(drafted: _Drafted, context: ParseContext) -> _Parsed:
    fmt = _FORMATS_BY_NAME[drafted.format]
    try:
        parsed = fmt.finish(drafted.draft, context)
    except (ParseError, RecursionError) as error:
        return _failed(drafted.path, fmt, error)
    return _added(drafted.path, drafted.sha, context.captured, parsed)


def _failed(path: Path, fmt: ModuleType, error: ParseError | RecursionError) -> _Parsed:
    reason = "page too deeply nested" if isinstance(error, RecursionError) else f"{fmt.NAME} page: {error}"
    return FileResult(str(path), "failed", format=fmt.NAME, error=reason), None


def _added(path: Path, sha: str, captured: date, parsed: ParsedPage) -> _Parsed:
    page = SourcePage(
        file=path.name,
        path=str(path.resolve()),
        format=parsed.format,
        sha256=sha,
        captured=captured.isoformat(),
        owner=parsed.owner,
        papers=parsed.papers,
        page_date=parsed.page_date,
    )
    return FileResult(str(path), "added", format=parsed.format, papers=len(parsed.papers)), page


def _record(outcome: _Parsed, pages: list[SourcePage], results: dict[str, FileResult]) -> None:
    result, page = outcome
    results[result.path] = result
    if page is not None:
        pages.append(page)


# --- parsing in a pool of processes ---------------------------------------------------------

_Item = TypeVar("_Item")
_Result = TypeVar("_Result")


def _worker_count(files: list[Path]) -> int:
    """One process (this one) for a few pages, where starting a pool would cost more than it
    saves, and where processes cannot be forked (only Linux forks safely); else one per core."""
    if not sys.platform.startswith("linux") or sum(map(page_size, files)) < POOL_MIN_BYTES:
        return 1
    return min(len(os.sched_getaffinity(0)), MAX_WORKERS)


def page_size(path: Path) -> int:
    """Bytes to parse in the file: none for what will be refused unread."""
    try:
        size = path.stat().st_size
    except OSError:
        return 0
    return size if size <= MAX_FILE_BYTES else 0


def _each(
    task: Callable[[_Item, Any], _Result], items: Sequence[_Item], state: Any, workers: int
) -> list[_Result]:
    """task(item, state) for every item, in order: here, or in `workers` forked processes,
    which inherit `state` (sent to none of them) and send back only the results."""
    if workers <= 1 or len(items) <= 1:
        return [task(item, state) for item in items]
    chunk = max(1, len(items) // (workers * 64))  # small: every core stays busy to the end
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_adopt_state, initargs=(state,))
    try:
        with collector_paused(freeze=True):  # the workers never walk what they inherit
            return list(pool.map(partial(_run_with_state, task), items, chunksize=chunk))
    finally:
        pool.shutdown(cancel_futures=True)  # on an error (or Ctrl-C), no waiting for the rest


_worker_state: Any = None  # in a pool's process: the state its tasks share (see _each)


def _adopt_state(state: Any) -> None:
    global _worker_state
    _worker_state = state
    gc.enable()  # forked with it paused (see collector_paused); a worker collects its own garbage


def _run_with_state(task: Callable[[_Item, Any], _Result], item: _Item) -> _Result:
    return task(item, _worker_state)
