"""The fuzzy tier's q-gram prefilter never drops a paper partial_ratio would score: random
queries against typo'd copies of themselves inside random titles and authors, with accents.
The bigram place check runs however few the candidates, so these small libraries test it too."""

from __future__ import annotations

from unittest import mock

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from store.library import Library
from store.model import Paper
from store.fuzzy import FUZZY_CUTOFF, FUZZY_WEIGHT, MIN_FUZZY_CHARS, FuzzyIndex
from store.search import SearchIndex
from store.text import fold

ALPHABET = "abcdeé 1-;|"
texts = st.text(alphabet=ALPHABET, max_size=12)
# Now and then past where bigram places share the last chunk and edge distances are clipped.
paddings = st.one_of(texts, st.text(alphabet=ALPHABET, min_size=250, max_size=270))


def _paper(n: int, title: str, authors: tuple[str, ...]) -> Paper:
    return Paper(
        id=f"p{n}", title=title, title_is_derived=False, authors=authors, authors_complete=True,
        author_count=None, year=None, date=None, date_is_inferred=False, category=None, venue=None,
        kind=None, score=None, upvotes=None, has_code=False, abstract="", sources=(), researchers=(),
    )


@st.composite
def typos(draw: st.DrawFn, query: str) -> str:
    """The query with a few characters inserted, deleted or replaced, between random text."""
    text = list(query)
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["insert", "delete", "replace"]))
        if edit == "insert" or at == len(text):
            text.insert(at, draw(st.sampled_from(ALPHABET)))
        elif edit == "delete":
            del text[at]
        else:
            text[at] = draw(st.sampled_from(ALPHABET))
    return draw(paddings) + "".join(text) + draw(paddings)


@st.composite
def libraries(draw: st.DrawFn) -> tuple[str, list[Paper]]:
    query = draw(st.text(alphabet=ALPHABET, min_size=MIN_FUZZY_CHARS, max_size=30))
    fields = st.one_of(typos(query), texts, st.text(max_size=40))
    papers = [
        _paper(n, draw(fields), tuple(draw(st.lists(fields, max_size=2))))
        for n in range(draw(st.integers(1, 12)))
    ]
    return fold(query), papers


@settings(max_examples=400, deadline=None)
@given(libraries())
def test_prefiltered_fuzzy_scores_equal_unfiltered(library: tuple[str, list[Paper]]) -> None:
    query, papers = library
    scores = np.zeros(len(papers))
    with mock.patch("store.fuzzy.PLACES_ABOVE", 0):
        SearchIndex(papers)._add_fuzzy(query, scores, np.ones(len(papers), dtype=bool))
    for paper, score in zip(papers, scores, strict=True):
        choice = f"{fold(paper.title)} | " + "; ".join(fold(a) for a in paper.authors)
        assert score == FUZZY_WEIGHT * fuzz.partial_ratio(query, choice, score_cutoff=FUZZY_CUTOFF), choice


def test_the_prefilter_leaves_few_papers_to_score(seed_library: Library) -> None:
    choices = [f"{fold(p.title)} | " + "; ".join(fold(a) for a in p.authors) for p in seed_library.papers]
    index = FuzzyIndex(FuzzyIndex.encode(choices))
    assert np.count_nonzero(index.may_match("token teachability")) < index.count / 4
