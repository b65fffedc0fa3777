"""The cache beside the store: used when it was made from this very store file, rebuilt silently
when it is missing, stale or damaged, and never in the way of the store's own errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import CAPTURED, SEEDS

from store.db import StoreError, StoreFile
from store.library import Library

PAGES = sorted(SEEDS.iterdir())
QUERIES = ["merging", "mergign", "author:wang model", "cat:LG year:2024..", "src:daily quantization", "a"]


def view(library: Library) -> dict[str, Any]:
    """Everything a reader sees of a library."""
    return {
        "papers": [p.to_json() for p in library.papers],
        "people": [(p.to_json(), p.paper_ids) for p in library.people],
        "stats": library.stats(),
        "search": {q: [(p.id, p.title) for p in library.search(q).papers] for q in QUERIES},
    }


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "s.json"
    Library.open(path, seed_if_empty=False).ingest(PAGES[:4], captured=CAPTURED)
    return path


@pytest.fixture
def unreadable_store(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading the store's JSON fails: only the cache can open the library."""

    refuse_store_json(monkeypatch)


def refuse_store_json(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make parsing the store's JSON fail; the desk file beside it (stars, notes) still reads."""
    validated = StoreFile._validated

    def refuse(self: StoreFile, raw: bytes) -> object:
        if self.path.name.endswith(".desk.json"):
            return validated(self, raw)
        raise AssertionError("the store was parsed")

    monkeypatch.setattr(StoreFile, "_validated", refuse)


def test_ingest_writes_the_cache_and_open_uses_it(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = view(Library.open(store, seed_if_empty=False))
    cache = store.with_name("s.json.cache")
    assert cache.is_file()
    inode = cache.stat().st_ino
    refuse_store_json(monkeypatch)
    cached = Library.open(store, seed_if_empty=False)
    assert cached.timings["source"] == "cache"
    assert view(cached) == fresh
    assert cache.stat().st_ino == inode  # a valid cache is not rewritten


def test_the_same_results_from_the_cache_as_from_the_pages(store: Path) -> None:
    built = Library.open(store, seed_if_empty=False)
    assert built.timings["source"] == "cache"
    pages = Library.from_pages(StoreFile(store), built.pages)  # merged from the pages, no cache involved
    assert view(built) == view(pages)


def test_another_process_ingests_then_the_stale_cache_is_rebuilt(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = Library.open(store, seed_if_empty=False)
    assert len(before.papers) == 76
    script = (
        "import sys; from datetime import date; from pathlib import Path; from store.library import Library; "
        "Library.open(Path(sys.argv[1]), seed_if_empty=False).ingest([Path(sys.argv[2])], captured=date(2026, 11, 23))"
    )
    old_cache = cache_of(before)
    subprocess.run([sys.executable, "-c", script, str(store), str(PAGES[4])], check=True)
    # As if the other process had died between writing the store and writing its cache.
    store.with_name("s.json.cache").write_bytes(old_cache)
    after = Library.open(store, seed_if_empty=False)
    assert after.timings["source"] == "store"
    assert len(after.papers) == 128
    expected = Library.open(store.parent / "fresh.json", seed_if_empty=False)
    expected.ingest(PAGES, captured=CAPTURED)
    assert view(after)["papers"] == view(expected)["papers"]
    refuse_store_json(monkeypatch)
    assert len(Library.open(store, seed_if_empty=False).papers) == 128  # the rebuilt cache is used


def cache_of(library: Library) -> bytes:
    return library.store_file.cache_path.read_bytes()


def _damaged(data: bytes, how: str) -> bytes:
    middle = len(data) // 2
    return {
        "empty": b"",
        "magic only": data[:16],
        "truncated": data[:middle],
        "one byte short": data[:-1],
        "one byte more": data + b"\0",
        "garbage": os.urandom(len(data)),
        "a byte flipped in the data": data[:middle] + bytes([data[middle] ^ 0x20]) + data[middle + 1 :],
        "a byte flipped in the header": data[:40] + bytes([data[40] ^ 0x01]) + data[41:],
        "json": b'{"sources": {}}',
    }[how]


@pytest.mark.parametrize("how", [
    "empty", "magic only", "truncated", "one byte short", "one byte more", "garbage",
    "a byte flipped in the data", "a byte flipped in the header", "json",
])
def test_damaged_cache_is_rebuilt_silently(store: Path, how: str, capsys: pytest.CaptureFixture[str]) -> None:
    cache = store.with_name("s.json.cache")
    expected = view(Library.open(store, seed_if_empty=False))
    cache.write_bytes(_damaged(cache.read_bytes(), how))
    library = Library.open(store, seed_if_empty=False)
    assert library.timings["source"] == "store"
    assert view(library) == expected
    assert capsys.readouterr() == ("", "")
    assert Library.open(store, seed_if_empty=False).timings["source"] == "cache"  # whole again


def test_cache_that_is_a_directory_is_ignored(store: Path) -> None:
    """Neither read nor written (a failed write of the optional cache is not the user's problem)."""
    cache = store.with_name("s.json.cache")
    expected = view(Library.open(store, seed_if_empty=False))
    cache.unlink()
    cache.mkdir()
    assert view(Library.open(store, seed_if_empty=False)) == expected
    assert sorted(os.listdir(store.parent)) == ["s.desk.json", "s.desk.json.lock", "s.json", "s.json.cache", "s.json.lock"]  # no temporary left


@pytest.mark.parametrize("damage", [b"", b"{not json", b"[]", b'{"sources": {"1": {"file": 3}}}'])
def test_cache_never_hides_a_damaged_store(store: Path, damage: bytes) -> None:
    Library.open(store, seed_if_empty=False)  # the cache is there and matched the store
    store.write_bytes(damage)  # in place: the same inode, but not the same size and time
    with pytest.raises(StoreError) as cached:
        Library.open(store, seed_if_empty=False)
    store.with_name("s.json.cache").unlink()
    with pytest.raises(StoreError) as uncached:
        Library.open(store, seed_if_empty=False)
    assert str(cached.value) == str(uncached.value)


def test_cache_of_another_store_is_not_used(store: Path, tmp_path: Path) -> None:
    other = tmp_path / "other" / "s.json"
    Library.open(other, seed_if_empty=False).ingest([PAGES[4]], captured=CAPTURED)
    store.with_name("s.json.cache").write_bytes(other.with_name("s.json.cache").read_bytes())
    assert len(Library.open(store, seed_if_empty=False).papers) == 76


def test_pages_are_read_only_when_asked_for(store: Path, unreadable_store: None) -> None:
    library = Library.open(store, seed_if_empty=False)
    assert library.stats()["papers"] == 76
    with pytest.raises(AssertionError, match="the store was parsed"):
        library.pages  # noqa: B018


def test_an_ingest_waits_for_the_disk_on_the_store_but_not_on_its_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store is fsynced (file and folder) before it replaces the old one; the cache, whose
    every byte is checked when read, is not waited for (~0.2 s at 100k papers)."""
    synced: list[str] = []
    fsync = os.fsync

    def recording_fsync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        fsync(fd)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    path = tmp_path / "s.json"
    Library.open(path, seed_if_empty=False).ingest(PAGES[:2], captured=CAPTURED)
    names = [Path(p).name.rsplit(".", 2)[0] if p.endswith(".tmp") else Path(p).name for p in synced]
    folder = tmp_path.name
    assert names == [".s.json", folder, ".s.desk.json", folder]  # the store, then the desk's arrivals
    assert (tmp_path / "s.json.cache").exists()
