"""What an open library holds: its papers, people, sources and search index.

Built by merging the stored pages (slow at 100k papers: seconds, and every page in memory), or
loaded from the cache beside the store (memory-mapped arrays; nothing is merged or parsed).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from store.arrays import offsets
from store.cache import Identity, read_cache, write_cache
from store.collector import collector_paused
from store.model import Person, SourcePage
from store.papers import PaperRecords
from store.search import SearchIndex
from store.text import fold


@dataclass(frozen=True)
class Snapshot:
    papers: PaperRecords
    people: tuple[Person, ...]
    sources: tuple[dict[str, Any], ...]  # per page, in page order: file, format, papers
    index: SearchIndex
    timings: dict[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def build(cls, pages: list[SourcePage]) -> Snapshot:
        """Merge `pages` (sorted by file, then path) into papers and people, and index them."""
        from store.merge import build_people, merge_papers  # not needed to open a cached store

        start = time.perf_counter()
        with collector_paused():
            merged = merge_papers(pages)
            people = tuple(build_people(pages, merged))
            titles = [fold(p.title) for p in merged]  # for the title order and the index
            papers = PaperRecords.from_papers(merged, titles)
            indexed = time.perf_counter()
            index = SearchIndex(merged, titles)
        timings = {"source": "store", "merge_s": indexed - start, "index_s": time.perf_counter() - indexed}
        sources = tuple({"file": p.file, "format": p.format, "papers": len(p.papers)} for p in pages)
        return cls(papers, people, sources, index, timings)

    def save(self, path: Path, store: Identity) -> None:
        """Write the cache for the store file `store` (raises OSError)."""
        ids = {paper_id: i for i, paper_id in enumerate(self.papers.ids)}
        people_papers = [ids[paper_id] for person in self.people for paper_id in person.paper_ids]
        people_starts = offsets([len(p.paper_ids) for p in self.people])
        index_arrays, categories = self.index.arrays, self.index.category_list
        arrays = {
            **{f"papers.{name}": array for name, array in self.papers.arrays.items()},
            **{f"index.{name}": array for name, array in index_arrays.items()},
            "people.papers": np.array(people_papers, dtype=np.int32),
            "people.starts": people_starts,
        }
        meta = {
            "people": [[p.name, p.kind, p.inferred, p.fields] for p in self.people],
            "sources": self.sources,
            "categories": categories,
        }
        write_cache(path, store, meta, arrays)

    @classmethod
    def load(cls, path: Path, store: Identity) -> Snapshot | None:
        """The snapshot cached for the store file `store`, or None (no cache, or not for it)."""
        start = time.perf_counter()
        cached = read_cache(path, store)
        if cached is None:
            return None
        meta, arrays = cached

        def part(prefix: str) -> dict[str, np.ndarray]:
            return {k[len(prefix) :]: v for k, v in arrays.items() if k.startswith(prefix)}

        papers = PaperRecords(part("papers."))
        ids = papers.ids
        positions = arrays["people.papers"].tolist()
        starts = arrays["people.starts"].tolist()
        people = tuple(
            Person(name, kind, tuple(ids[i] for i in positions[starts[n] : starts[n + 1]]), inferred, fields)
            for n, (name, kind, inferred, fields) in enumerate(meta["people"])
        )
        indexed = time.perf_counter()
        index = SearchIndex.from_arrays(part("index."), meta["categories"])
        timings = {"source": "cache", "load_s": indexed - start, "index_s": time.perf_counter() - indexed}
        return cls(papers, people, tuple(meta["sources"]), index, timings)
