"""Store writers run in child processes by test_crash.py and test_concurrency.py.

    crash_writer.py zygote STORE PAGES_DIR
        Imports paperscope once, then for every `run K INTENT_FILE` line on stdin forks a worker
        that commits writes K, K+1, ... forever (see `crash_loop`), prints `pid N`, waits for the
        worker to die (the test kills it with SIGKILL) and prints `exit STATUS`. Forking from an
        interpreter that has already imported everything makes each restart take a millisecond,
        not the 200 ms of a fresh Python: hundreds of kills fit in a few seconds.
        `migrate INTENT_FILE` forks a worker that migrates a schema-0 store over and over.

    crash_writer.py count STORE NAME PAGE TIMES GO_FILE
        Waits for GO_FILE, then increments marks counter NAME TIMES times (read-modify-write
        inside the lock), ingesting PAGE halfway. Prints `done` at the end.

    crash_writer.py hold STORE
        Takes the writer's lock, prints `locked`, waits for a line on stdin, then commits a mark.

The write plan of the crash loop is a pure function of the write number, so the parent can tell
which state the store must be in after each kill: write k (odd) ingests variant (k // 2) % 2 of
page `p2.txt`; write k (even) sets the counter to k.
"""

from __future__ import annotations

import importlib
import os
import sys
import time
from datetime import date
from pathlib import Path

from tinydb import Query

from store.db import StoreFile, write_atomically
from store.library import Library

importlib.import_module("store.ingest")  # the library imports it on first ingest: once here, not in every fork

CAPTURED = date(2026, 11, 23)


def variant(k: int) -> int:
    """The variant of p2.txt that write k ingests (for odd k)."""
    return (k // 2) % 2


def expected_state(k: int) -> tuple[int, int]:
    """(counter, variant of p2.txt in the store) once write k has been committed."""
    if k % 2 == 0:
        return k, variant(k - 1)
    return k - 1, variant(k)


def set_counter(store_file: StoreFile, value: int) -> None:
    with store_file.writing() as db:
        marks = db.table("marks")
        marks.truncate()
        marks.insert({"counter": value})


def intend(fd: int, k: int) -> None:
    """Say which write is about to start; os.write reaches the file even if we die next."""
    os.write(fd, f"{k}\n".encode())


def crash_loop(store: Path, pages: Path, k: int, intent_file: Path) -> None:
    fd = os.open(intent_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    texts = [(pages.parent / f"variant{i}.txt").read_bytes() for i in (0, 1)]
    library = Library.open(store, seed_if_empty=False)
    while True:
        intend(fd, k)
        if k % 2:
            page = pages / "p2.txt"
            temporary = pages.parent / "p2.txt.next"
            temporary.write_bytes(texts[variant(k)])
            os.replace(temporary, page)  # the page itself is always whole, whichever it is
            library.ingest([pages / "p1.txt", page], captured=CAPTURED)
        else:
            set_counter(library.store_file, k)
        k += 1


def migrate_loop(store: Path, intent_file: Path) -> None:
    """Write the schema-0 form of the store, then migrate it; again and again."""
    fd = os.open(intent_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    old = (store.parent / "v0.json").read_bytes()
    store_file = StoreFile(store)
    while True:
        intend(fd, 0)
        with store_file._locked():  # as an old paperscope would have written it
            write_atomically(store, old)
        intend(fd, 1)
        Library.open(store, seed_if_empty=False)


def zygote(store: Path, pages: Path) -> None:
    for line in sys.stdin:
        command, *args = line.split()
        pid = os.fork()
        if pid == 0:
            try:
                if command == "run":
                    crash_loop(store, pages, int(args[0]), Path(args[1]))
                elif command == "migrate":
                    migrate_loop(store, Path(args[0]))
            finally:
                os._exit(3)  # never back into the zygote's loop
        print(f"pid {pid}", flush=True)
        _, status = os.waitpid(pid, 0)
        print(f"exit {os.waitstatus_to_exitcode(status)}", flush=True)


def count(store: Path, name: str, page: Path, times: int, go: Path) -> None:
    store_file = StoreFile(store, lock_timeout=30)  # the other counter may hold the lock a while
    library = Library.from_pages(store_file, ())
    while not go.exists():
        time.sleep(0.001)
    Counter = Query()
    for i in range(times):
        with store_file.writing() as db:
            marks = db.table("marks")
            found = marks.get(Counter.name == name)
            value = found["value"] if found else 0
            marks.upsert({"name": name, "value": value + 1}, Counter.name == name)
        if i == times // 2:
            library.ingest([page], captured=CAPTURED)
    print("done", flush=True)


def hold(store: Path) -> None:
    with StoreFile(store).writing() as db:
        print("locked", flush=True)
        sys.stdin.readline()
        db.table("marks").insert({"held": True})
    print("released", flush=True)


if __name__ == "__main__":
    mode, *rest = sys.argv[1:]
    if mode == "zygote":
        zygote(Path(rest[0]), Path(rest[1]))
    elif mode == "count":
        count(Path(rest[0]), rest[1], Path(rest[2]), int(rest[3]), Path(rest[4]))
    elif mode == "hold":
        hold(Path(rest[0]))
    else:
        sys.exit(f"unknown mode {mode}")
