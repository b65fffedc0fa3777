"""Ingest writes each page as SourcePage.to_json makes it, in a TinyDB table (ids from 1)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import orjson

from store.library import Library
from store.locations import bundled_seeds_dir
from store.model import SourcePage


def test_the_store_holds_each_page_as_its_to_json(tmp_path: Path) -> None:
    library = Library.open(tmp_path / "store.json", seed_if_empty=False)
    library.ingest([bundled_seeds_dir()], captured=date(2025, 6, 1))
    document = orjson.loads((tmp_path / "store.json").read_bytes())
    table = document["sources"]
    assert list(table) == [str(n) for n in range(1, len(table) + 1)]
    pages = [SourcePage.from_json(record) for record in table.values()]
    assert [page.to_json() for page in pages] == list(table.values())
    assert sorted(page.path for page in pages) == sorted(page.path for page in library.pages)
    assert len(pages) == 5
