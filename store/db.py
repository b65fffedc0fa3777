"""The TinyDB file: atomic, durable writes under a lock, a schema version, readable errors.

TinyDB's stock JSON storage rewrites the file in place, so a crash mid-write tears it. Here the
document is read once into memory; a write happens only inside :meth:`StoreFile.writing`, which
holds a lock file beside the store, re-reads the file, lets the caller change it through TinyDB,
and replaces the file atomically (temporary file, fsync, rename, directory fsync).
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage

from store.text import sanitize

SCHEMA_VERSION = 1
META_TABLE = "_meta"
SOURCES_TABLE = "sources"  # the table of ingested pages
Document = dict[str, dict[str, Any]]


class StoreError(Exception):
    """The store cannot be used; the message names the file and what to do."""


class StoreBusy(StoreError):
    """Another process is writing the store."""


class _DocumentStorage(Storage):
    """A TinyDB storage over an in-memory document; StoreFile decides when it reaches disk."""

    def __init__(self, document: Document) -> None:
        self.document = document

    def read(self) -> Document:
        return self.document

    def write(self, data: Document) -> None:
        self.document = data


def open_tinydb(document: Document) -> TinyDB:
    return TinyDB(document, storage=_DocumentStorage)


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(
    path: Path, data: bytes | Iterable[bytes | memoryview], *, durable: bool = True
) -> os.stat_result:
    """Replace `path` with `data` (or its chunks, in order) so that a reader sees the old file or
    the new one, never a mix. Returns the new file's status: its identity, taken from the very
    file written (a `stat` of the path afterwards could already see another writer's file).

    `durable=False` skips waiting for the disk: only for a file whose reader checks every byte
    (the cache), where a crash can at worst leave a file that reads as damaged. The folder must
    exist: a file named by the user (an export) never makes one out of a typo."""
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in [data] if isinstance(data, bytes) else data:
                handle.write(chunk)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
            status = os.fstat(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if durable:
        _fsync_directory(path.parent)
    return status


class StoreFile:
    """One store file on disk and its lock file."""

    def __init__(self, path: Path, lock_timeout: float = 5.0) -> None:
        self.path = path
        self.lock_path = path.with_name(path.name + ".lock")
        self.cache_path = path.with_name(path.name + ".cache")  # see store.cache
        self.lock_timeout = lock_timeout
        self.written: os.stat_result | None = None  # the file this object last wrote

    def read_identified(self) -> tuple[Document, os.stat_result | None]:
        """Like :meth:`read`, with the status of the very file read (None if there is none)."""
        try:
            with open(self.path, "rb") as handle:
                status = os.fstat(handle.fileno())
                raw = handle.read()
        except FileNotFoundError:
            return {}, None
        except OSError as error:
            raise StoreError(f"{self.path}: cannot read the store ({error.strerror})") from None
        return self._validated(raw), status

    def read(self) -> Document:
        """The stored document (empty if there is no file yet), validated; an older schema is
        returned as it is (see :meth:`migrate`)."""
        return self.read_identified()[0]

    def _validated(self, raw: bytes) -> Document:
        advice = "move it aside to start a new store, or restore a backup"
        if not raw.strip():
            raise StoreError(f"{self.path}: the store file is empty; {advice}")
        try:
            document = orjson.loads(raw)
        except orjson.JSONDecodeError as error:
            raise StoreError(f"{self.path}: the store is damaged (not JSON: {error}); {advice}") from None
        if not isinstance(document, dict) or not all(isinstance(t, dict) for t in document.values()):
            raise StoreError(f"{self.path}: not a paperscope store (wrong shape); {advice}")
        version = schema_version(document)
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: written by a newer paperscope (schema {version}, this one reads "
                f"{SCHEMA_VERSION}); upgrade paperscope"
            )
        return document

    @contextmanager
    def writing(self) -> Iterator[TinyDB]:
        """Lock, re-read, let the caller change the store, then replace the file atomically.

        Nothing is written if the block raises. Another writer waits up to `lock_timeout` seconds.
        """
        with self._locked():
            db = open_tinydb(self.read())
            yield db
            document = db.storage.read()
            set_schema_version(document)
            self._write(document)

    def migrate(self, validate: Callable[[Document], object] | None = None) -> Document:
        """Upgrade a store written by an older paperscope in place, atomically; the document.

        Under the lock the file is read again (another process may have migrated it meanwhile),
        checked by `validate` (which raises StoreError for records it cannot use: a damaged store
        is never rewritten), upgraded one schema step at a time, and replaced as any write is: a
        crash leaves the old file or the migrated one. A current store is not rewritten.
        """
        with self._locked():
            document = self.read()
            version = schema_version(document)
            if not document or version >= SCHEMA_VERSION:
                return document
            if validate is not None:
                validate(document)
            for step in range(version, SCHEMA_VERSION):
                document = _MIGRATIONS[step](document)
            set_schema_version(document)
            self._write(document)
            return document

    def _write(self, document: Document) -> None:
        try:
            self.written = write_atomically(self.path, orjson.dumps(document))
        except OSError as error:
            raise StoreError(f"{self.path}: cannot write the store ({error.strerror})") from None

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the writer's lock; temporary files a killed writer left behind are removed."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            lock = open(self.lock_path, "a+b")
        except OSError as error:
            raise StoreError(f"{self.path}: cannot write the store ({error.strerror})") from None
        with lock:
            self._acquire(lock)
            try:
                self._remove_stale_temporaries()
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _remove_stale_temporaries(self) -> None:
        """Only a writer holding the lock makes temporary files of the store, so under the lock any
        left are from a writer that died before its rename. The name pattern is exactly
        write_atomically's (mkstemp's 8 random characters), so another store's temporaries are
        never touched. The cache's are removed too: a reader writing it at this very moment only
        loses that write (the cache is optional), while one killed mid-write leaves it for good."""
        pattern = re.compile(rf"\.{re.escape(self.path.name)}(\.cache)?\.[a-z0-9_]{{8}}\.tmp")
        try:
            names = os.listdir(self.path.parent)
        except OSError:
            return
        for name in names:
            if pattern.fullmatch(name):
                try:
                    (self.path.parent / name).unlink()
                except OSError:
                    pass  # not ours to fight over: the write itself reports a real problem

    def _acquire(self, lock: Any) -> None:
        deadline = time.monotonic() + self.lock_timeout
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
            if time.monotonic() >= deadline:
                raise StoreBusy(
                    f"{self.path}: another paperscope is writing the store; try again in a moment"
                )
            time.sleep(0.05)


def schema_version(document: Document) -> int:
    meta = document.get(META_TABLE, {})
    for record in meta.values():
        if isinstance(record, dict) and isinstance(record.get("schema"), int):
            return int(record["schema"])
    return SCHEMA_VERSION if not document else 0


def set_schema_version(document: Document) -> None:
    document[META_TABLE] = {"1": {"schema": SCHEMA_VERSION}}


def _from_schema_0(document: Document) -> Document:
    """Schema 0 (no `_meta` table, what early versions wrote) holds the same tables; the caller
    adds the version. Early versions may have stored page text unsanitised, so every string of
    the stored pages is sanitised as ingest does now (paths and hashes, which identify files, are
    kept as they are); the user's own tables are left untouched."""
    upgraded = dict(document)
    if SOURCES_TABLE in document:
        upgraded[SOURCES_TABLE] = {
            key: _sanitized(record) for key, record in document[SOURCES_TABLE].items()
        }
    return upgraded


_IDENTIFYING_KEYS = frozenset({"path", "sha256"})


def _sanitized(value: Any) -> Any:
    if isinstance(value, str):
        return sanitize(value)
    if isinstance(value, list):
        return [_sanitized(item) for item in value]
    if isinstance(value, dict):
        return {k: v if k in _IDENTIFYING_KEYS else _sanitized(v) for k, v in value.items()}
    return value


# _MIGRATIONS[n] upgrades a document of schema n to schema n + 1.
_MIGRATIONS = (_from_schema_0,)
assert len(_MIGRATIONS) == SCHEMA_VERSION
