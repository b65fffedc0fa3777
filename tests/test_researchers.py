"""Researcher figures on the seeds, counted by hand from the seed pages (sources in comments)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from store.model import Paper, Person
from store.researchers import categories, collaborators, per_year, summarize, undated


def _summary(library, name: str):
    person = library.person(name)
    return summarize(person, library.papers_of(person), lambda raw: library.person(raw).name)


def test_yuanyi_wang_top_collaborator_is_yanggan_gu_with_seven_papers(seed_library) -> None:
    # 001 (Yuanyi Wang's metrics profile), author lines naming Yanggan Gu: Access Sets Matter,
    # Not All Disagreement, E-PMQ, FeatCal, MergePipe, InfiFPO, Model Merging Scaling Laws.
    top = _summary(seed_library, "Yuanyi Wang").collaborators[0]
    assert (top.name, top.shared) == ("Yanggan Gu", 7)
    titles = [seed_library.paper(i).title.split(":")[0] for i in top.paper_ids]
    assert titles == [  # newest first, as the library lists them
        "Access Sets Matter", "Not All Disagreement Is Learnable", "E-PMQ", "FeatCal", "MergePipe",
        "Model Merging Scaling Laws in Large Language Models", "InfiFPO",
    ]


def test_yuanyi_wang_collaborators_ranked_by_shared_then_name(seed_library) -> None:
    ranked = [(c.name, c.shared) for c in _summary(seed_library, "Yuanyi Wang").collaborators]
    # Three each in 001: Haifeng Sun (Interdependency, Gradient Flow, Understanding), Su Lu (Access
    # Sets, Not All Disagreement, Geometry Conflict), Wenjun Wang (E-PMQ by 001's author line;
    # FeatCal and Geometry Conflict because they are also on Wenjun Wang's profile, 000).
    # Two each: Shuo Cai (E-PMQ, FeatCal), Yifan Yang (Geometry, InfiCoEvalChain), Yiming Zhang
    # (InfiGFusion, Scaling Laws), Zhaoyi Yan (InfiGFusion, InfiFPO), Zihao Wang (FeatCal, MergePipe).
    assert ranked == [
        ("Yanggan Gu", 7),
        ("Haifeng Sun", 3), ("Su Lu", 3), ("Wenjun Wang", 3),
        ("Shuo Cai", 2), ("Yifan Yang", 2), ("Yiming Zhang", 2), ("Zhaoyi Yan", 2), ("Zihao Wang", 2),
        ("Chengsen Wang", 1), ("Jingyu Wang", 1), ("Jinjia Li", 1), ("Kunxi Li", 1),
        ("Pengkai Wang", 1), ("Pengwei Liu", 1), ("Wei Tang", 1),
    ]


def test_zhenyi_wang_papers_per_year(seed_library) -> None:
    # 002 (Zhenyi Wang's paper list), one date line per paper, 37 in all. Six give no year
    # (Jan 15, May 28, Mar 26, May 10, Mar 25, Feb 4): before the capture date, Nov 23 2026.
    summary = _summary(seed_library, "Zhenyi Wang")
    assert summary.per_year == {
        2018: 1, 2019: 1, 2020: 3, 2021: 3, 2022: 3, 2023: 8, 2024: 5, 2025: 7, 2026: 6,
    }
    assert list(summary.per_year) == sorted(summary.per_year)
    assert (summary.paper_count, summary.undated) == (37, 0)


def test_undated_papers_are_counted_apart(seed_library) -> None:
    # 004 (Daily Papers): 52 papers, 49 dates with a year, Jan 8 (inferred 2026), and two with no
    # date line at all (Q-Palette, QuEST).
    summary = _summary(seed_library, "Daily Papers")
    assert summary.undated == 2
    assert summary.per_year == {2016: 1, 2020: 1, 2021: 1, 2022: 4, 2023: 15, 2024: 11, 2025: 16, 2026: 1}
    assert sum(summary.per_year.values()) + summary.undated == summary.paper_count == 52


def test_yuanyi_wang_categories(seed_library) -> None:
    # 001's category prefixes: LG x7; AI (InfiCoEvalChain, Scaling Laws), CL (E-PMQ, InfiGFusion),
    # IR (Gradient Flow, Understanding) x2 each, in name order; DB (MergePipe) x1.
    assert _summary(seed_library, "Yuanyi Wang").categories == [
        ("LG", 7), ("AI", 2), ("CL", 2), ("IR", 2), ("DB", 1),
    ]


def test_uncategorised_papers_are_left_out_of_categories(seed_library) -> None:
    # 000 (Wenjun Wang's profile) gives no categories; the three papers also on 001 carry theirs.
    assert _summary(seed_library, "Wenjun Wang").categories == [("LG", 2), ("CL", 1)]


def test_metrics_profile_figures(seed_library) -> None:
    # 001's header: "LG", "h-index33", "14papers", "40citations", "Novelty62%", "AI Score56".
    assert _summary(seed_library, "Yuanyi Wang").figures == {
        "primary_category": "LG", "h_index": 33, "papers": 14, "citations": 40,
        "novelty_pct": 62, "ai_score": 56,
    }


def test_profile_figures_leave_out_what_the_page_did_not_give(seed_library) -> None:
    # 000: "Trust 21 - EmergingVerification L1Unclaimed author", 7works, 0followers, 7topics,
    # 4close collaborators, "7 published item(s)"; "Affiliation not imported" gives no affiliation.
    figures = _summary(seed_library, "Wenjun Wang").figures
    assert "affiliation" not in figures
    assert {k: figures[k] for k in ("trust_score", "trust_level", "verification_level", "claim_state")} == {
        "trust_score": 21, "trust_level": "Emerging", "verification_level": "L1",
        "claim_state": "Unclaimed author",
    }
    assert {k: figures[k] for k in ("works", "followers", "topics", "close_collaborators", "published_items")} == {
        "works": 7, "followers": 0, "topics": 7, "close_collaborators": 4, "published_items": 7,
    }


def test_a_person_is_never_their_own_collaborator(seed_library) -> None:
    for name in ("Yuanyi Wang", "Wenjun Wang", "Zhenyi Wang", "Li Shen"):
        assert name not in [c.name for c in _summary(seed_library, name).collaborators]
    # Wenjun Wang is on three of 001's papers with Yuanyi Wang, and on four alone (000).
    assert [(c.name, c.shared) for c in _summary(seed_library, "Wenjun Wang").collaborators] == [
        ("Yuanyi Wang", 3), ("Shuo Cai", 2), ("Yanggan Gu", 2),
        ("Su Lu", 1), ("Yifan Yang", 1), ("Zihao Wang", 1),
    ]


def test_a_collection_has_no_collaborators(seed_library) -> None:
    assert _summary(seed_library, "Daily Papers").collaborators == []


def test_to_json_has_the_cli_keys(seed_library) -> None:
    data = _summary(seed_library, "Yuanyi Wang").to_json()
    assert list(data) == [
        "name", "kind", "papers", "figures", "per_year", "undated", "categories", "collaborators",
    ]
    assert (data["name"], data["kind"], data["papers"]) == ("Yuanyi Wang", "profile", 14)
    assert data["per_year"] == {"2024": 3, "2025": 3, "2026": 8}
    assert data["categories"][0] == {"name": "LG", "count": 7}
    assert data["collaborators"][0] == {"name": "Yanggan Gu", "shared": 7}


# --- synthetic papers --------------------------------------------------------------------------


def _paper(pid: str, authors: tuple[str, ...], year: int | None = 2024, category: str | None = None) -> Paper:
    return Paper(
        id=pid, title=pid, title_is_derived=False, authors=authors, authors_complete=True,
        author_count=len(authors), year=year, date=None if year is None else str(year),
        date_is_inferred=False, category=category, venue=None, kind=None, score=None, upvotes=None,
        has_code=False, abstract="", sources=(), researchers=(),
    )


ME = Person(name="Ana Lopez", kind="person", paper_ids=("p1", "p2", "p3", "p4"))


def test_name_variants_are_one_collaborator_shown_by_their_most_frequent_spelling() -> None:
    papers = [
        _paper("p1", ("Ana Lopez", "J. Müller")),
        _paper("p2", ("ana  lópez", "J Muller", "Bo Li")),
        _paper("p3", ("ANA LOPEZ", "J. Müller")),
        _paper("p4", ("Ana Lopez", "bo li")),
    ]
    found = collaborators(ME, papers)
    assert [(c.name, c.shared, c.paper_ids) for c in found] == [
        ("J. Müller", 3, ("p1", "p2", "p3")),  # two of three spell it so; "ana lópez" is ME
        ("Bo Li", 2, ("p2", "p4")),  # one each: the first seen wins
    ]
    assert [c.name for c in collaborators(ME, papers, display=str.upper)] == ["J. MÜLLER", "BO LI"]


def test_a_name_twice_on_one_paper_counts_once() -> None:
    found = collaborators(ME, [_paper("p1", ("Ana Lopez", "Bo Li", "bo li"))])
    assert [(c.name, c.shared) for c in found] == [("Bo Li", 1)]


def test_ties_are_broken_by_name_regardless_of_case_and_accents() -> None:
    papers = [_paper("p1", ("Ana Lopez", "zoe Ng", "Émile Roux", "bo Li", "Carl Fox"))]
    assert [c.name for c in collaborators(ME, papers)] == ["bo Li", "Carl Fox", "Émile Roux", "zoe Ng"]


def test_per_year_and_categories_on_synthetic_papers() -> None:
    papers = [
        _paper("a", (), 2021, "LG"), _paper("b", (), None, "cv"), _paper("c", (), 2019, "CV"),
        _paper("d", (), 2021, None), _paper("e", (), None, "LG"),
    ]
    assert per_year(papers) == {2019: 1, 2021: 2}
    assert undated(papers) == 2
    assert categories(papers) == [("LG", 2), ("CV", 1), ("cv", 1)]


@pytest.mark.parametrize("kind", ["profile", "person"])
def test_summary_of_a_person_without_papers(kind: str) -> None:
    summary = summarize(replace(ME, kind=kind, paper_ids=()), [])
    assert summary.to_json() == {
        "name": "Ana Lopez", "kind": kind, "papers": 0, "figures": {}, "per_year": {}, "undated": 0,
        "categories": [], "collaborators": [],
    }
