"""The user's own desk: stars, reading state, notes, researcher visits, and when papers arrived.

It lives in its own TinyDB file beside the store (``store.json`` → ``store.desk.json``), so an
ingest, which rewrites the store, can never touch what the user marked, and a star toggle never
rewrites the (possibly large) store of ingested pages. Every change is one atomic write under the
desk's own lock, applied to the file as it is on disk then, so two processes lose no update.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from tinydb import Query, TinyDB

from store.db import StoreError, StoreFile
from store.text import name_key, sanitize

ReadState = Literal["unseen", "seen", "read"]
READ_STATES: tuple[ReadState, ...] = ("unseen", "seen", "read")
MARKS_TABLE = "marks"
VISITS_TABLE = "visits"
ARRIVALS_TABLE = "arrivals"
MAX_NOTE_CHARS = 100_000


@dataclass(frozen=True)
class Mark:
    """What the user has marked on one paper."""

    starred: bool = False
    state: ReadState = "unseen"
    note: str = ""

    @property
    def is_read(self) -> bool:
        return self.state == "read"

    @property
    def is_empty(self) -> bool:
        return self == Mark()


NO_MARK = Mark()


def desk_path(store_path: Path) -> Path:
    """``store.json`` → ``store.desk.json``, beside it."""
    return store_path.with_name(f"{store_path.stem}.desk.json")


def now() -> str:
    """A UTC timestamp as the desk stores it (ISO 8601, microseconds, so order is time order)."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


class Desk:
    """The desk file, read once into memory and kept in step with every write. Safe to change
    from several threads: the browser writes it from workers, off the UI thread."""

    def __init__(self, path: Path) -> None:
        self.file = StoreFile(path)
        self._lock = threading.RLock()  # a change reads the marks, then writes: one at a time
        self._marks: dict[str, Mark] = {}
        self._visits: dict[str, str] = {}
        self._arrivals: dict[str, str] = {}
        self._load(self.file.read())

    @classmethod
    def beside(cls, store_path: Path) -> Desk:
        return cls(desk_path(store_path))

    @property
    def path(self) -> Path:
        return self.file.path

    # --- reading --------------------------------------------------------------------------

    def mark(self, paper_id: str) -> Mark:
        return self._marks.get(paper_id, NO_MARK)

    def ids_where(self, test: Callable[[Mark], bool]) -> frozenset[str]:
        """Ids of the marked papers passing `test` (unmarked papers are never returned)."""
        return frozenset(pid for pid, mark in self._marks.items() if test(mark))

    def last_visit(self, researcher: str) -> str | None:
        return self._visits.get(name_key(researcher))

    def arrived(self, paper_id: str) -> str | None:
        return self._arrivals.get(paper_id)

    # --- changing -------------------------------------------------------------------------

    def toggle_star(self, paper_id: str) -> bool:
        """Star an unstarred paper or unstar a starred one; whether it is starred now."""
        with self._lock:
            starred = not self.mark(paper_id).starred
            self.set_starred([paper_id], starred)
        return starred

    def set_starred(self, paper_ids: Iterable[str], starred: bool) -> None:
        ids = list(paper_ids)
        self._change_marks({pid: lambda m: replace(m, starred=starred) for pid in ids})

    def set_state(self, paper_id: str, state: ReadState) -> None:
        if state not in READ_STATES:
            raise ValueError(f"unknown reading state {state!r}")
        with self._lock:
            if self.mark(paper_id).state != state:
                self._change_marks({paper_id: lambda m: replace(m, state=state)})

    def mark_seen(self, paper_id: str) -> None:
        """A paper was opened for more than a moment: unseen becomes seen; read stays read."""
        with self._lock:
            if self.mark(paper_id).state == "unseen":
                self.set_state(paper_id, "seen")

    def toggle_read(self, paper_id: str) -> ReadState:
        """Read ↔ unread (an unread paper that was opened stays "seen"); the new state."""
        with self._lock:
            state: ReadState = "seen" if self.mark(paper_id).is_read else "read"
            self.set_state(paper_id, state)
        return state

    def set_note(self, paper_id: str, note: str) -> None:
        """Replace the note (an empty one removes it). Text is sanitised as page text is."""
        text = sanitize(note).strip("\n")
        if len(text) > MAX_NOTE_CHARS:
            raise ValueError(f"a note holds at most {MAX_NOTE_CHARS:,} characters")
        self._change_marks({paper_id: lambda m: replace(m, note=text)})

    def visit(self, researcher: str, at: str | None = None) -> str | None:
        """Record a visit to a researcher now; the previous visit's time (None: the first)."""
        key = name_key(researcher)
        stamp = at or now()
        with self._writing() as db:
            table = db.table(VISITS_TABLE)
            records = {doc["key"]: doc for doc in table.all() if isinstance(doc.get("key"), str)}
            previous = records.get(key, {}).get("at")
            records[key] = {"key": key, "at": stamp}
            table.truncate()
            table.insert_multiple(records.values())
        return previous if isinstance(previous, str) else None

    def record_arrivals(self, paper_ids: Iterable[str], at: str | None = None) -> int:
        """Note when papers first reached the store; ids already known keep their first time.
        How many were new."""
        fresh = [pid for pid in dict.fromkeys(paper_ids) if pid not in self._arrivals]
        if not fresh:
            return 0
        with self._writing() as db:
            known = {pid for doc in db.table(ARRIVALS_TABLE).all() for pid in doc.get("ids", ())}
            fresh = [pid for pid in fresh if pid not in known]
            if fresh:
                db.table(ARRIVALS_TABLE).insert({"at": at or now(), "ids": fresh})
        return len(fresh)

    # --- the file -------------------------------------------------------------------------

    def _change_marks(self, changes: Mapping[str, Callable[[Mark], Mark]]) -> None:
        if not changes:
            return
        with self._writing() as db:
            table = db.table(MARKS_TABLE)
            for pid, change in changes.items():  # only these records: the others stay as they are
                record = Query().id == pid
                mark = change(next(iter(_marks_of(table.search(record), self.path).values()), NO_MARK))
                if mark.is_empty:
                    table.remove(record)
                else:
                    table.upsert({"id": pid, **asdict(mark)}, record)

    @contextmanager
    def _writing(self) -> Iterator[TinyDB]:
        with self._lock:
            with self.file.writing() as db:
                yield db
                document = db.storage.read()
            self._load(document)

    def _load(self, document: Mapping[str, Any]) -> None:
        db_tables = {name: list(table.values()) for name, table in document.items()}
        self._marks = _marks_of(db_tables.get(MARKS_TABLE, []), self.path)
        try:
            self._visits = {doc["key"]: doc["at"] for doc in db_tables.get(VISITS_TABLE, [])}
            arrivals: dict[str, str] = {}
            for doc in reversed(db_tables.get(ARRIVALS_TABLE, [])):  # an id's first batch wins
                arrivals.update(dict.fromkeys(doc["ids"], doc["at"]))  # C speed: 100k ids at 100k papers
            self._arrivals = arrivals
        except (KeyError, TypeError):
            raise _damaged(self.path) from None


def _marks_of(records: Iterable[Any], path: Path) -> dict[str, Mark]:
    marks: dict[str, Mark] = {}
    try:
        for doc in records:
            state = doc.get("state", "unseen")
            if state not in READ_STATES or not isinstance(doc["id"], str):
                raise TypeError
            marks[doc["id"]] = Mark(bool(doc.get("starred", False)), state, str(doc.get("note", "")))
    except (KeyError, TypeError, AttributeError):
        raise _damaged(path) from None
    return marks


def _damaged(path: Path) -> StoreError:
    return StoreError(
        f"{path}: your stars and notes file is damaged (a record has the wrong shape); "
        "move it aside to start afresh, or restore a backup"
    )
