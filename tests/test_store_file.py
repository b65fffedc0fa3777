"""The store file: atomic writes, readable errors on damage, one writer at a time."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from conftest import CAPTURED, SEEDS

from store import db as db_module
from store.db import SCHEMA_VERSION, StoreBusy, StoreError, StoreFile
from store.library import Library
from tui.cli import main

ADVICE = "move it aside to start a new store, or restore a backup"
GOOD = SEEDS / "000_7ed11b9fa2d3fc25.txt"


def seeded(path: Path) -> Library:
    library = Library.open(path, seed_if_empty=False)
    library.ingest([GOOD], captured=CAPTURED)
    return library


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "s.json"
    seeded(path)
    return path


@pytest.fixture
def held_lock(store: Path) -> Iterator[Path]:
    """Another process is writing: its lock is held for the whole test."""
    with open(store.with_name(store.name + ".lock"), "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        try:
            yield store
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


# --- writing --------------------------------------------------------------------------------------


def test_write_leaves_only_the_store_and_its_lock(store: Path) -> None:
    library = Library.open(store)
    library.ingest([SEEDS / "001_12bc639a810020c0.txt"], captured=CAPTURED)
    with library.store_file.writing() as db:
        db.table("marks").insert({"paper": "x"})
    assert sorted(os.listdir(store.parent)) == ["s.desk.json", "s.desk.json.lock", "s.json", "s.json.cache", "s.json.lock"]
    document = orjson.loads(store.read_bytes())
    assert sorted(document) == ["_meta", "marks", "sources"]
    assert document["_meta"] == {"1": {"schema": SCHEMA_VERSION}}


def test_new_store_directory_is_created(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "s.json"
    library = seeded(path)
    assert len(library.papers) == 7
    assert path.is_file()


def test_failed_block_writes_nothing(store: Path) -> None:
    before = store.read_bytes()
    with pytest.raises(RuntimeError), StoreFile(store).writing() as db:
        db.table("marks").insert({"paper": "x"})
        raise RuntimeError("changed my mind")
    assert store.read_bytes() == before
    assert sorted(os.listdir(store.parent)) == ["s.desk.json", "s.desk.json.lock", "s.json", "s.json.cache", "s.json.lock"]


def test_interrupted_replace_keeps_the_old_file_and_no_temporary(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = store.read_bytes()

    def crash(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(db_module.os, "replace", crash)
    with pytest.raises(StoreError) as error, StoreFile(store).writing() as db:
        db.table("marks").insert({"paper": "x"})
    assert str(error.value) == f"{store}: cannot write the store (No space left on device)"
    assert store.read_bytes() == before
    assert sorted(os.listdir(store.parent)) == ["s.desk.json", "s.desk.json.lock", "s.json", "s.json.cache", "s.json.lock"]


def test_unwritable_lock_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.with_name("s.json.lock").mkdir()
    with pytest.raises(StoreError) as error, StoreFile(path).writing():
        pass
    assert str(error.value) == f"{path}: cannot write the store (Is a directory)"
    assert not path.exists()


# --- damaged stores -------------------------------------------------------------------------------


def truncated(store: Path) -> bytes:
    return store.read_bytes()[:100]


DAMAGED = {
    "empty": (lambda store: b"", "the store file is empty; " + ADVICE),
    "blank": (lambda store: b" \n\n", "the store file is empty; " + ADVICE),
    "list": (lambda store: b"[1, 2, 3]", "not a paperscope store (wrong shape); " + ADVICE),
    "string": (lambda store: b'"sources"', "not a paperscope store (wrong shape); " + ADVICE),
    "table not an object": (lambda store: b'{"sources": [1]}', "not a paperscope store (wrong shape); " + ADVICE),
    "newer schema": (
        lambda store: b'{"_meta": {"1": {"schema": 99}}}',
        "written by a newer paperscope (schema 99, this one reads 1); upgrade paperscope",
    ),
    "bad page record": (
        lambda store: b'{"sources": {"1": {"file": "x.txt"}}, "_meta": {"1": {"schema": 1}}}',
        "the store is damaged (a source page record has the wrong shape); " + ADVICE,
    ),
    "page record not an object": (
        lambda store: b'{"sources": {"1": 5}}',
        "the store is damaged (a source page record has the wrong shape); " + ADVICE,
    ),
}
NOT_JSON = {
    "truncated": truncated,
    "not json": lambda store: b"hello, world",
    "invalid utf-8": lambda store: b'{"sources": "\xff"}',
}


@pytest.mark.parametrize("case", sorted(DAMAGED))
def test_damaged_store_exact_message_and_left_alone(store: Path, case: str) -> None:
    make, reason = DAMAGED[case]
    damaged = make(store)
    store.write_bytes(damaged)
    with pytest.raises(StoreError) as error:
        Library.open(store)
    assert str(error.value) == f"{store}: {reason}"
    with pytest.raises(StoreError):
        Library.from_pages(StoreFile(store), ()).ingest([GOOD], captured=CAPTURED)
    assert store.read_bytes() == damaged


@pytest.mark.parametrize("case", sorted(NOT_JSON))
def test_store_not_json(store: Path, case: str) -> None:
    damaged = NOT_JSON[case](store)
    store.write_bytes(damaged)
    with pytest.raises(StoreError) as error:
        Library.open(store)
    message = str(error.value)
    assert message.startswith(f"{store}: the store is damaged (not JSON: ")
    assert message.endswith("); " + ADVICE)
    assert "\n" not in message
    assert store.read_bytes() == damaged


def test_store_path_is_a_directory(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as error:
        Library.open(tmp_path)
    assert str(error.value) == f"{tmp_path}: cannot read the store (Is a directory)"


def test_cli_damaged_store_in_process(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store.write_bytes(b"[]")
    for command in (["stats"], ["papers"], ["ingest", str(GOOD)], ["search", "x"], ["researchers"]):
        assert main(["--db", str(store), *command]) == 2
        out, err = capsys.readouterr()
        assert out == ""
        assert err == f"paperscope: {store}: not a paperscope store (wrong shape); {ADVICE}\n"
    assert store.read_bytes() == b"[]"


def test_cli_damaged_store_subprocess(store: Path) -> None:
    store.write_bytes(truncated(store))
    run = subprocess.run(
        [sys.executable, "-m", "tui.cli", "--db", str(store), "papers", "--json"],
        capture_output=True, text=True, timeout=60,
    )
    assert run.returncode == 2
    assert run.stdout == ""
    assert "Traceback" not in run.stderr
    (line,) = run.stderr.splitlines()
    assert line.startswith(f"paperscope: {store}: the store is damaged (not JSON: ")


# --- one writer at a time -------------------------------------------------------------------------


def test_second_writer_is_busy(held_lock: Path) -> None:
    before = held_lock.read_bytes()
    started = time.monotonic()
    with pytest.raises(StoreBusy) as error, StoreFile(held_lock, lock_timeout=0.2).writing():
        pytest.fail("entered the block without the lock")
    waited = time.monotonic() - started
    assert 0.2 <= waited < 3
    assert str(error.value) == f"{held_lock}: another paperscope is writing the store; try again in a moment"
    assert isinstance(error.value, StoreError)
    assert held_lock.read_bytes() == before


def test_ingest_while_busy_changes_nothing(held_lock: Path) -> None:
    before = held_lock.read_bytes()
    library = Library.from_pages(StoreFile(held_lock, lock_timeout=0.2), ())
    with pytest.raises(StoreBusy):
        library.ingest([SEEDS / "001_12bc639a810020c0.txt"], captured=CAPTURED)
    assert held_lock.read_bytes() == before
    assert library.papers == ()


def test_reader_reads_while_locked(held_lock: Path) -> None:
    library = Library.open(held_lock)
    assert len(library.papers) == 7
    assert library.person("Wenjun Wang") is not None
    assert sorted(StoreFile(held_lock, lock_timeout=0.2).read()) == ["_meta", "sources"]


def test_lock_is_released_after_a_write(store: Path) -> None:
    with StoreFile(store, lock_timeout=0.2).writing() as db:
        db.table("marks").insert({"n": 1})
    with StoreFile(store, lock_timeout=0.2).writing() as db:
        db.table("marks").insert({"n": 2})
    assert StoreFile(store).read()["marks"] == {"1": {"n": 1}, "2": {"n": 2}}
