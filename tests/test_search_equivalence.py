"""The indexed engine ranks exactly as a plain, exhaustive scoring of every paper would."""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest
from rapidfuzz import fuzz

from store.library import Library
from store.model import Paper, Source
from store.query import Query, parse_query
from store.fuzzy import FUZZY_CUTOFF, FUZZY_WEIGHT, MIN_FUZZY_CHARS
from store.search import FUZZY_WHEN_FEWER_THAN, MIN_ABSTRACT_WORD, TIERS, SearchIndex
from store.text import fold

QUERIES = [
    "merging", "adamerging", "model merging", "continual learning", "quantization", "llm",
    "large language models", "meta-learning", "data-free", "diffusion", "graph", "wang",
    "zhenyi", "li shen", "gu", "lg", "cv", "surgery", "forgetting", "mergign", "quantizaton",
    "contnual lerning", "survey", "a", "m", "me", "mer", "merg", "post-training", "entity alignment",
    "author:wang merging", "cat:LG model", "year:2024 learning", "year:2020..2023 meta", "src:daily quantization",
    "has:code learning", "eeg", "weight space", "in", "of the",
]


def _is_word_char(c: str) -> bool:
    return (c.isascii() and c.isalnum()) or not c.isascii()


def _occurrences(haystack: str, needle: str) -> list[int]:
    return [i for i in range(len(haystack)) if haystack.startswith(needle, i)]


def _at_word_start(haystack: str, needle: str) -> bool:
    return any(not _is_word_char(haystack[i - 1]) for i in _occurrences(haystack, needle))


def _passes(paper: Paper, query: Query) -> bool:
    authors = "; ".join(fold(a) for a in paper.authors)
    sources = " ".join(f"{s.format} {s.file}" for s in paper.sources)
    year = paper.year or 0
    return (
        (query.year_from is None or year >= query.year_from)
        and (query.year_to is None or 0 < year <= query.year_to)
        and (not query.categories or fold(paper.category or "") in query.categories)
        and all(s in sources for s in query.sources)
        and all(a in authors for a in query.authors)
        and ("has:code" not in query.flags or paper.has_code)
    )


def _exact_score(paper: Paper, text: str) -> float:
    words = text.split()
    title = " " + fold(paper.title)
    authors = " " + "; ".join(fold(a) for a in paper.authors)
    tiers = {
        "title_equals": title == " " + text,
        "title_prefix": title.startswith(" " + text),
        "title_phrase_at_word": _at_word_start(title, text),
        "title_phrase": text in title,
        "title_word_prefixes": all(_at_word_start(title, w) for w in words),
        "title_words": all(w in title for w in words),
        "author_word_prefixes": all(_at_word_start(authors, w) for w in words),
        "author_words": all(w in authors for w in words),
        "category_equals": bool(paper.category) and fold(paper.category or "") == text,
    }
    long_words = [w for w in words if len(w) >= MIN_ABSTRACT_WORD]
    tiers["abstract_words"] = bool(long_words) and all(w in fold(paper.abstract) for w in long_words)
    return max((TIERS[name] for name, hit in tiers.items() if hit), default=0.0)


def exhaustive(papers: Sequence[Paper], raw: str) -> list[tuple[int, float]]:
    query = parse_query(raw)
    passing = [i for i, p in enumerate(papers) if _passes(p, query)]
    if not query.text:
        return [(i, 0.0) for i in passing]
    scores = {i: _exact_score(papers[i], query.text) for i in passing}
    exact = sum(1 for s in scores.values() if s >= TIERS["category_equals"])
    if len(query.text) >= MIN_FUZZY_CHARS and exact < FUZZY_WHEN_FEWER_THAN:
        for i in passing:
            if scores[i] == 0:
                choice = f"{fold(papers[i].title)} | " + "; ".join(fold(a) for a in papers[i].authors)
                ratio = fuzz.partial_ratio(query.text, choice, score_cutoff=FUZZY_CUTOFF)
                scores[i] = FUZZY_WEIGHT * ratio
    ranked = sorted(((i, s) for i, s in scores.items() if s > 0), key=lambda pair: (-pair[1], pair[0]))
    return [(i, round(s, 3)) for i, s in ranked]


def indexed(index: SearchIndex, raw: str) -> list[tuple[int, float]]:
    result = index.search(parse_query(raw))
    return [(int(i), round(float(s), 3)) for i, s in zip(result.positions, result.scores, strict=True)]


def _assert_same(papers: Sequence[Paper], index: SearchIndex, raw: str) -> None:
    expected = exhaustive(papers, raw)
    got = indexed(index, raw)
    assert len(got) == len(expected), raw
    assert [i for i, _ in got[:50]] == [i for i, _ in expected[:50]], raw
    assert [s for _, s in got[:50]] == [s for _, s in expected[:50]], raw


@pytest.mark.parametrize("raw", QUERIES)
def test_seeds_rank_as_exhaustive_scoring(seed_library: Library, raw: str) -> None:
    _assert_same(seed_library.papers, SearchIndex(seed_library.papers), raw)


@pytest.mark.parametrize("raw", [q for q in QUERIES if len(q) >= MIN_FUZZY_CHARS])
def test_seeds_rank_as_exhaustive_scoring_with_the_typo_prefilter_too(
    seed_library: Library, raw: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A library as small as the seeds scores every paper for typos; larger ones rule most out
    first: both rank as exhaustive scoring."""
    monkeypatch.setattr("store.search.PREFILTER_ABOVE", 0)
    _assert_same(seed_library.papers, SearchIndex(seed_library.papers), raw)


def test_a_small_library_scores_every_paper_for_typos(seed_library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    from store.fuzzy import FuzzyIndex

    def refuse(self: FuzzyIndex, text: str) -> None:
        raise AssertionError("prefiltered")

    monkeypatch.setattr(FuzzyIndex, "may_match", refuse)
    (first, _), *_ = indexed(SearchIndex(seed_library.papers), "contnual lerning")
    assert seed_library.papers[first].title == (
        'Continual Learning (CL) for Large Language Models (LLMs) faces a fundamental…'
    )


def test_typing_one_character_at_a_time_gives_the_same_results(seed_library: Library) -> None:
    index = SearchIndex(seed_library.papers)
    for raw in QUERIES:
        for end in range(1, len(raw) + 1):
            prefix = raw[:end]
            assert indexed(index, prefix) == exhaustive(seed_library.papers, prefix), prefix


def generated_library(seed_library: Library, count: int) -> list[Paper]:
    """Papers made of the seeds' own words and names, deterministic for the seed 7."""
    rng = random.Random(7)
    words = [w for p in seed_library.papers for w in (p.title + " " + p.abstract).split()]
    names = sorted({a for p in seed_library.papers for a in p.authors})
    categories = ["LG", "CV", "CL", "AI", "IR", None]
    papers = []
    for n in range(count):
        title = " ".join(rng.choice(words) for _ in range(rng.randint(4, 14)))
        papers.append(
            Paper(
                id=f"g{n:05d}", title=title, title_is_derived=False,
                authors=tuple(rng.sample(names, rng.randint(1, 6))), authors_complete=True,
                author_count=None, year=rng.choice([2019, 2021, 2023, 2024, 2025, None]), date=None,
                date_is_inferred=False, category=rng.choice(categories), venue=None, kind=None,
                score=None, upvotes=None, has_code=rng.random() < 0.2,
                abstract=" ".join(rng.choice(words) for _ in range(rng.randint(40, 120))),
                sources=(Source(f"page{n % 40}.txt", rng.choice(["paper_list", "daily_feed"])),),
                researchers=(),
            )
        )
    return papers


def test_a_generated_5k_library_ranks_as_exhaustive_scoring(seed_library: Library) -> None:
    papers = generated_library(seed_library, 5000)
    index = SearchIndex(papers)
    for raw in QUERIES:
        _assert_same(papers, index, raw)
