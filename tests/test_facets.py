"""Papers per category and per year, counted from the index (what the palette offers)."""

from __future__ import annotations

from dataclasses import replace

from store.library import Library
from store.model import Paper
from store.query import parse_query
from store.search import SearchIndex

SEED_CATEGORIES = [("LG", 30), ("CV", 6), ("CL", 4), ("AI", 3), ("IR", 3), ("SP", 2), ("CR", 1), ("DB", 1), ("SI", 1)]
SEED_YEARS = [(2026, 23), (2025, 31), (2024, 22), (2023, 25), (2022, 13), (2021, 5), (2020, 4), (2019, 1), (2018, 1), (2016, 1)]


def test_the_seeds_facets(seed_library: Library) -> None:
    categories, years = seed_library.facets()
    assert categories == SEED_CATEGORIES
    assert years == SEED_YEARS
    assert sum(n for _, n in years) == sum(1 for p in seed_library.papers if p.year)


def test_a_category_is_named_as_most_papers_spell_it_and_found_by_any_spelling(seed_library: Library) -> None:
    papers: list[Paper] = list(seed_library.papers)[:5]
    spelled = [replace(p, category=c) for p, c in zip(papers, ["cs.LG", "cs.lg", "cs.LG", "CV", None], strict=True)]
    index = SearchIndex(spelled)
    assert index.facets()[0] == [("cs.LG", 3), ("CV", 1)]
    assert index.search(parse_query("cat:CS.lg")).positions.tolist() == [0, 1, 2]
