"""Older stores are upgraded in place, atomically, and keep every table the user had."""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path

import orjson
import pytest
from conftest import CAPTURED, SEEDS

from store import db as db_module
from store.db import SCHEMA_VERSION, StoreBusy, StoreError, StoreFile, schema_version
from store.library import Library
from tui.cli import main

PAGES = [SEEDS / "000_7ed11b9fa2d3fc25.txt", SEEDS / "001_12bc639a810020c0.txt"]
MARK = {"paper": "p1", "starred": True, "note": "read this", "state": "reading"}


def version_0_store(tmp_path: Path) -> tuple[Path, dict]:
    """A store as early paperscope wrote it: the same tables, no `_meta`, TinyDB's `_default`."""
    path = tmp_path / "s.json"
    library = Library.open(path, seed_if_empty=False)
    library.ingest(PAGES, captured=CAPTURED)
    document = orjson.loads(path.read_bytes())
    del document["_meta"]
    document["_default"] = {}
    document["marks"] = {"1": MARK}
    path.write_bytes(orjson.dumps(document))
    path.with_name("s.json.lock").unlink()
    assert schema_version(document) == 0
    return path, document


def test_version_0_is_migrated_on_open(tmp_path: Path) -> None:
    path, old = version_0_store(tmp_path)
    library = Library.open(path, seed_if_empty=False)
    document = orjson.loads(path.read_bytes())
    assert document["_meta"] == {"1": {"schema": SCHEMA_VERSION}}
    assert schema_version(document) == SCHEMA_VERSION == 1
    assert document["sources"] == old["sources"]
    assert document["marks"] == {"1": MARK}  # user data survives the upgrade
    assert document["_default"] == {}
    assert sorted(document) == ["_default", "_meta", "marks", "sources"]
    assert len(library.papers) == 18
    assert [page.file for page in library.pages] == [p.name for p in PAGES]
    assert sorted(os.listdir(tmp_path)) == ["s.desk.json", "s.desk.json.lock", "s.json", "s.json.cache", "s.json.lock"]  # no temporary left


def test_migrated_store_reads_like_a_fresh_one(tmp_path: Path) -> None:
    path, _ = version_0_store(tmp_path)
    fresh = Library.open(tmp_path / "fresh" / "s.json", seed_if_empty=False)
    fresh.ingest(PAGES, captured=CAPTURED)
    migrated = Library.open(path, seed_if_empty=False)
    assert [p.to_json() for p in migrated.papers] == [p.to_json() for p in fresh.papers]
    assert [p.to_json() for p in migrated.people] == [p.to_json() for p in fresh.people]


def test_ingest_after_migration_keeps_user_data(tmp_path: Path) -> None:
    path, _ = version_0_store(tmp_path)
    library = Library.open(path, seed_if_empty=False)
    results = library.ingest([SEEDS / "003_7abeb82d65c2450c.txt", *PAGES], captured=CAPTURED)
    assert [r.outcome for r in results] == ["added", "unchanged", "unchanged"]
    document = StoreFile(path).read()
    assert document["marks"] == {"1": MARK}
    assert len(document["sources"]) == 3
    assert document["_meta"] == {"1": {"schema": 1}}


def test_current_store_is_opened_without_a_write(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    Library.open(path, seed_if_empty=False).ingest(PAGES, captured=CAPTURED)
    path.with_name("s.json.lock").unlink()
    before = path.read_bytes()
    inode = path.stat().st_ino
    Library.open(path, seed_if_empty=False)
    assert path.read_bytes() == before
    assert path.stat().st_ino == inode
    assert sorted(os.listdir(tmp_path)) == ["s.desk.json", "s.desk.json.lock", "s.json", "s.json.cache"]  # a reader never takes the lock


def test_migrate_twice_rewrites_once(tmp_path: Path) -> None:
    """A second process that waited for the lock finds the store migrated and leaves it."""
    path, _ = version_0_store(tmp_path)
    first = StoreFile(path).migrate()
    inode = path.stat().st_ino
    second = StoreFile(path).migrate()
    assert first == second
    assert path.stat().st_ino == inode
    assert schema_version(second) == SCHEMA_VERSION


def test_migrate_on_missing_or_empty_store_writes_nothing(tmp_path: Path) -> None:
    assert StoreFile(tmp_path / "none.json").migrate() == {}
    assert not (tmp_path / "none.json").exists()
    (tmp_path / "empty.json").write_bytes(b"{}")
    assert StoreFile(tmp_path / "empty.json").migrate() == {}
    assert (tmp_path / "empty.json").read_bytes() == b"{}"


def test_interrupted_migration_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, _ = version_0_store(tmp_path)
    before = path.read_bytes()

    def crash(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(db_module.os, "replace", crash)
    with pytest.raises(StoreError) as error:
        Library.open(path, seed_if_empty=False)
    assert str(error.value) == f"{path}: cannot write the store (No space left on device)"
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["s.desk.json", "s.desk.json.lock", "s.json", "s.json.cache", "s.json.lock"]  # the cache: stale
    monkeypatch.undo()
    assert len(Library.open(path, seed_if_empty=False).papers) == 18


def test_migration_waits_for_a_writer_and_changes_nothing_when_busy(tmp_path: Path) -> None:
    path, _ = version_0_store(tmp_path)
    before = path.read_bytes()
    with open(path.with_name("s.json.lock"), "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(StoreBusy):
            StoreFile(path, lock_timeout=0.2).migrate()
        fcntl.flock(lock, fcntl.LOCK_UN)
    assert path.read_bytes() == before


def test_newer_schema_is_refused_not_migrated(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    data = b'{"_meta": {"1": {"schema": 2}}, "sources": {}}'
    path.write_bytes(data)
    with pytest.raises(StoreError) as error:
        Library.open(path, seed_if_empty=False)
    assert str(error.value) == (
        f"{path}: written by a newer paperscope (schema 2, this one reads 1); upgrade paperscope"
    )
    assert path.read_bytes() == data


def test_stale_temporaries_are_removed_under_the_lock(tmp_path: Path) -> None:
    """A writer killed between its temporary file and the rename leaves the temporary behind;
    the next writer removes it, and never another store's."""
    path = tmp_path / "s.json"
    Library.open(path, seed_if_empty=False).ingest(PAGES[:1], captured=CAPTURED)
    stale = tmp_path / ".s.json.k2_x9abc.tmp"
    stale.write_bytes(b'{"half": ')
    others = [tmp_path / ".s.json.old.k2_x9abc.tmp", tmp_path / ".t.json.k2_x9abc.tmp", tmp_path / "s.json.bak"]
    for other in others:
        other.write_bytes(b"keep")
    assert len(Library.open(path, seed_if_empty=False).papers) == 7  # a reader is not bothered
    assert stale.exists()
    with StoreFile(path).writing() as db:
        db.table("marks").insert({"n": 1})
    assert not stale.exists()
    assert all(other.read_bytes() == b"keep" for other in others)
    assert StoreFile(path).read()["marks"] == {"1": {"n": 1}}


def test_damaged_version_0_store_is_not_rewritten(tmp_path: Path) -> None:
    path, document = version_0_store(tmp_path)
    (key, record), *_ = document["sources"].items()
    del record["papers"]
    data = orjson.dumps(document)
    path.write_bytes(data)
    with pytest.raises(StoreError) as error:
        Library.open(path, seed_if_empty=False)
    assert str(error.value) == (
        f"{path}: the store is damaged (a source page record has the wrong shape); "
        "move it aside to start a new store, or restore a backup"
    )
    assert path.read_bytes() == data


HOSTILE = "\x1b]0;title\x07\x1b[2J\x9b2J\u202e"


def test_unsanitised_text_of_an_early_store_is_cleaned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An early version may have stored page text as it came; the migration sanitises it, so even
    `--json` output (which prints stored strings as they are) carries no escape sequence."""
    path, document = version_0_store(tmp_path)
    for record in document["sources"].values():
        record["file"] += HOSTILE
        record["owner"]["name"] = HOSTILE + record["owner"]["name"]
        for paper in record["papers"]:
            paper["title"] += HOSTILE
            paper["abstract"] = HOSTILE + paper["abstract"]
            paper["authors"] = [HOSTILE + name for name in paper["authors"]]
    document["marks"] = {"1": {"note": HOSTILE}}  # the user's own data is theirs: kept as it is
    path.write_bytes(orjson.dumps(document))

    assert main(["--db", str(path), "papers", "--json"]) == 0
    out = capsys.readouterr().out
    papers = json.loads(out)
    assert len(papers) == 18
    for forbidden in ("\x1b", "\x9b", "\x07", "\u202e", "\\u001b", "\\u0007"):
        assert forbidden not in out
    clean = Library.open(tmp_path / "clean" / "s.json", seed_if_empty=False)
    clean.ingest(PAGES, captured=CAPTURED)
    assert sorted(p["title"] for p in papers) == sorted(p.title for p in clean.papers)
    migrated = StoreFile(path).read()
    text = orjson.dumps(migrated["sources"]).decode()
    assert "\\u001b" not in text and "\x9b" not in text and "\u202e" not in text
    assert migrated["marks"] == {"1": {"note": HOSTILE}}
    assert sorted(r["sha256"] for r in migrated["sources"].values()) == sorted(
        r["sha256"] for r in document["sources"].values()
    )
