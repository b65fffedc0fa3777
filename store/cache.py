"""The cache beside the store: named numpy arrays and a little JSON, memory-mapped on open.

Derived and disposable: it holds what opening the store would compute (merged papers, people,
the search index), keyed by the identity of the store file it was made from (inode, size, mtime;
every store write is an `os.replace`, so a new store is a new inode) and by both format versions.
Anything else (missing, stale, truncated, damaged, another version) reads as no cache at all, and
the caller rebuilds it from the store. It is written atomically, like the store, but not
waited onto the disk: its CRC catches what a crash tears.

Layout: MAGIC, the header's length (8 bytes, little-endian) and CRC-32 (4 bytes), the header
(JSON: versions, store identity, where each array lies, the data's length and CRC-32), then the
arrays, each 64-byte aligned; the metadata (JSON) is one of them.
"""

from __future__ import annotations

import mmap
import os
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from store.db import SCHEMA_VERSION, write_atomically

# 2: the fuzzy prefilter's q-grams; 3: stored as index.fuzzy.grams; 4: index.fuzzy.from_start,
# from_end, places (the positional prefilter); 5: papers' records made as one JSON list;
# 6: titles and authors keep their offsets ordered by byte pair (pair_order, pair_starts), and
# the category names are stored as spelled, not folded; 7: every record's typo q-grams run on into
# the next record (they did not at every 4096th).
CACHE_VERSION = 7
MAGIC = b"paperscope-cache"
_ALIGN = 64
_CHUNK = 1 << 22
Identity = tuple[int, int, int]


def identity_of(status: os.stat_result) -> Identity:
    return (status.st_ino, status.st_size, status.st_mtime_ns)


def write_cache(path: Path, store: Identity, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
    """Write the cache for the store file of identity `store` (raises OSError)."""
    layout: dict[str, list[Any]] = {}
    chunks: list[bytes | memoryview] = []
    offset = crc = 0
    arrays = {**arrays, "meta": np.frombuffer(orjson.dumps(meta), dtype=np.uint8)}
    for name, array in arrays.items():
        padding = bytes(-offset % _ALIGN)
        view = memoryview(np.ascontiguousarray(array).reshape(-1)).cast("B")  # flat: 2-D with an empty axis cannot cast
        layout[name] = [array.dtype.str, list(array.shape), offset + len(padding)]
        for chunk in (padding, view):
            chunks.append(chunk)
            crc = zlib.crc32(chunk, crc)
            offset += len(chunk)
    header = {
        "cache": CACHE_VERSION, "schema": SCHEMA_VERSION, "store": list(store),
        "arrays": layout, "data": offset, "crc": crc,
    }
    encoded = orjson.dumps(header)
    prefix = MAGIC + len(encoded).to_bytes(8, "little") + zlib.crc32(encoded).to_bytes(4, "little") + encoded
    # Not waited onto the disk: a cache torn by a crash fails its CRC and is rebuilt.
    write_atomically(path, [prefix + bytes(-len(prefix) % _ALIGN), *chunks], durable=False)


def read_cache(path: Path, store: Identity) -> tuple[dict[str, Any], dict[str, np.ndarray]] | None:
    """The metadata and arrays (read-only, memory-mapped) of a cache that is whole and was made
    from the store file of identity `store`; None for any other file or none."""
    try:
        with open(path, "rb") as handle:
            return _read(handle, store)
    except (OSError, ValueError, TypeError, KeyError, IndexError, OverflowError):
        return None  # orjson.JSONDecodeError is a ValueError


def _read(handle: Any, store: Identity) -> tuple[dict[str, Any], dict[str, np.ndarray]] | None:
    size = os.fstat(handle.fileno()).st_size
    start = handle.read(len(MAGIC) + 12)
    if start[: len(MAGIC)] != MAGIC:
        return None
    header_length = int.from_bytes(start[len(MAGIC) : len(MAGIC) + 8], "little")
    if header_length > size:
        return None
    encoded = handle.read(header_length)
    if zlib.crc32(encoded) != int.from_bytes(start[len(MAGIC) + 8 :], "little"):
        return None
    header = orjson.loads(encoded)
    if (header["cache"], header["schema"], tuple(header["store"])) != (CACHE_VERSION, SCHEMA_VERSION, store):
        return None
    base = len(MAGIC) + 12 + header_length
    base += -base % _ALIGN
    if base + header["data"] != size or _crc32(handle, base) != header["crc"]:
        return None
    mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)  # stays open while arrays use it
    arrays = {}
    for name, (dtype, shape, offset) in header["arrays"].items():
        kind = np.dtype(dtype)
        count = int(np.prod(shape, dtype=np.int64))
        if offset < 0 or offset + count * kind.itemsize > header["data"]:
            return None
        arrays[name] = np.frombuffer(mapped, dtype=kind, count=count, offset=base + offset).reshape(shape)
    return orjson.loads(arrays.pop("meta").tobytes()), arrays


def _crc32(handle: Any, start: int) -> int:
    """CRC-32 of the file from `start`, read in chunks (through the page cache, not the map, so
    checking it does not make the whole file resident in this process)."""
    handle.seek(start)
    buffer = bytearray(_CHUNK)
    view = memoryview(buffer)
    crc = 0
    while count := handle.readinto(buffer):
        crc = zlib.crc32(view[:count], crc)
    return crc
