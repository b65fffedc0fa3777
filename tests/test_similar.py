"""Similar papers: TF-IDF cosine on the seeds, where the answer is plain from the pages."""

from __future__ import annotations

import pytest

from store.model import Paper
from store.similar import SimilarityIndex, singular


@pytest.fixture(scope="module")
def index(seed_library) -> SimilarityIndex:
    return SimilarityIndex(seed_library.papers)


def _id(library, title_start: str) -> str:
    (paper,) = [p for p in library.papers if p.title.startswith(title_start)]
    return paper.id


def test_access_sets_and_mergepipe_find_each_other(seed_library, index) -> None:
    # 001: "Access Sets Matter: Budgeting Expert Reads..." and "MergePipe: A Budget-Aware
    # Parameter Management System..." are the only seed papers naming MergePipe; both are about
    # expert reads under an I/O budget.
    access, mergepipe = _id(seed_library, "Access Sets Matter"), _id(seed_library, "MergePipe")
    top = index.similar(access)[0]
    assert (top.paper_id, top.shared_terms) == (mergepipe, ("mergepipe", "read", "budget", "expert"))
    assert top.score == pytest.approx(0.378, abs=0.001)
    back = index.similar(mergepipe)[0]
    assert (back.paper_id, back.shared_terms) == (access, ("mergepipe", "read", "budget", "expert"))
    assert back.score == top.score  # the cosine is symmetric


def test_elutq_is_most_like_t_mac(seed_library, index) -> None:
    # 004: both are LUT-based low-bit LLM inference on the CPUs of edge devices ("ELUTQ: Efficient
    # LUT-Aware Quantization for Deploying Large Language Models on Edge Devices", "T-MAC: CPU
    # Renaissance via Table Lookup for Low-Bit LLM Deployment on Edge").
    top = index.similar(_id(seed_library, "ELUTQ"))[0]
    assert top.paper_id == _id(seed_library, "T-MAC")
    assert top.shared_terms == ("lut", "device", "edge", "cpu")


def test_e_pmq_and_featcal_calibrate_merged_experts(seed_library, index) -> None:
    # 000/001: E-PMQ calibrates a merged model layer-wise against its experts; so does FeatCal.
    e_pmq, featcal = _id(seed_library, "E-PMQ"), _id(seed_library, "FeatCal")
    assert index.similar(e_pmq)[0].paper_id == featcal
    assert index.similar(featcal)[0].paper_id == e_pmq
    assert index.similar(e_pmq)[0].shared_terms == ("expert", "merging", "merged", "calibration")


def test_five_by_default_never_itself_best_first(seed_library, index) -> None:
    for paper in seed_library.papers:
        found = index.similar(paper.id)
        assert len(found) == 5
        assert paper.id not in [s.paper_id for s in found]
        assert len({s.paper_id for s in found}) == 5
        assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)
        assert all(0 < s.score <= 1 and 1 <= len(s.shared_terms) <= 4 for s in found)


def test_k_is_respected(seed_library, index) -> None:
    access = _id(seed_library, "Access Sets Matter")
    assert [s.paper_id for s in index.similar(access, k=2)] == [s.paper_id for s in index.similar(access)][:2]
    assert index.similar(access, k=0) == []
    assert len(index.similar(access, k=1000)) < len(seed_library.papers)
    assert index.similar("no-such-id") == []


def test_the_same_papers_give_the_same_answers(seed_library, index) -> None:
    again = SimilarityIndex(seed_library.papers)
    for paper in seed_library.papers:
        assert again.similar(paper.id) == index.similar(paper.id)


def test_candidates_from_rare_terms_only_find_the_same_top_match(seed_library, index) -> None:
    # Terms in more than 5 papers are left out of the candidate search, and only 20 candidates are
    # scored: the exact top match still comes first (scores are exact for what is found).
    narrow = SimilarityIndex(seed_library.papers, common=5, candidates=20)
    for title in ("Access Sets Matter", "ELUTQ", "E-PMQ"):
        paper_id = _id(seed_library, title)
        assert narrow.similar(paper_id, k=1) == index.similar(paper_id, k=1)


# --- synthetic papers --------------------------------------------------------------------------


def _paper(pid: str, title: str, abstract: str = "", derived: bool = False) -> Paper:
    return Paper(
        id=pid, title=title, title_is_derived=derived, authors=(), authors_complete=False,
        author_count=None, year=None, date=None, date_is_inferred=False, category=None, venue=None,
        kind=None, score=None, upvotes=None, has_code=False, abstract=abstract, sources=(), researchers=(),
    )


def test_a_paper_without_words_has_no_similar_papers() -> None:
    papers = [
        _paper("empty", "", ""),
        _paper("short", "A B of it", "Is it so? 42 to 3.14."),  # short words, stop words, numbers
        _paper("x", "Graph kernels", "Graph kernels compare graphs."),
        _paper("y", "Graph kernels again", "Kernels on graphs."),
    ]
    index = SimilarityIndex(papers)
    assert index.similar("empty") == [] and index.similar("short") == []
    assert [s.paper_id for s in index.similar("x")] == ["y"]
    assert SimilarityIndex([]).similar("x") == []


def test_accents_case_and_plurals_meet() -> None:
    papers = [
        _paper("a", "Réseaux Neuronaux", "Modèles de réseaux."),
        _paper("b", "reseaux neuronaux", "modele"),
        _paper("c", "Queries over Classes", "query class"),
        _paper("d", "Query over class", "Queries."),
    ]
    index = SimilarityIndex(papers)
    assert index.similar("a")[0].paper_id == "b"
    assert set(index.similar("a")[0].shared_terms) == {"reseaux", "neuronaux", "modele"}
    assert index.similar("c")[0].paper_id == "d"
    assert set(index.similar("c")[0].shared_terms) == {"query", "class"}


def test_equal_scores_keep_library_order() -> None:
    papers = [_paper(str(i), "Sparse tensor kernels", "") for i in range(6)]
    index = SimilarityIndex(papers)
    assert [s.paper_id for s in index.similar("3")] == ["0", "1", "2", "4", "5"]
    assert len({s.score for s in index.similar("3")}) == 1
    # Also when the candidate search has to cut among equal scores.
    narrow = SimilarityIndex(papers, candidates=2)
    assert [s.paper_id for s in narrow.similar("3")] == ["0", "1"]


def test_title_words_weigh_more_than_abstract_words_unless_the_title_is_derived() -> None:
    papers = [
        _paper("title", "Protein folding", "Alpha beta."),
        _paper("abstract", "Lattice simulation", "Gamma delta."),  # the mirror image of "title"
        _paper("q", "Protein folding", "Lattice simulation."),
        _paper("derived", "Protein folding", "Protein folding. Lattice simulation.", derived=True),
    ]
    index = SimilarityIndex(papers)
    # q's title words meet "title"'s title words; its abstract words meet "abstract"'s title.
    first, second = index.similar("q")[1:]  # [0] is "derived", which has every word of q
    assert (first.paper_id, second.paper_id) == ("title", "abstract")
    assert first.score > second.score
    # A derived title is the abstract's first sentence: counting it again would favour it.
    found = [s for s in index.similar("derived") if s.paper_id != "q"]
    assert [s.paper_id for s in found] == ["title", "abstract"]
    assert found[0].score == pytest.approx(found[1].score)


@pytest.mark.parametrize(
    ("word", "expected"),
    [("models", "model"), ("queries", "query"), ("approaches", "approach"), ("processes", "process"),
     ("analysis", "analysis"), ("bias", "bias"), ("class", "class"), ("corpus", "corpus"),
     ("series", "series"), ("gas", "gas"), ("merging", "merging")],
)
def test_singular(word: str, expected: str) -> None:
    assert singular(word) == expected
