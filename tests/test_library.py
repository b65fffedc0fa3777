"""The library over the five seed pages: merging, people, dates, ids, idempotence, search."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import CAPTURED, SEEDS

from store.library import Library
from store.merge import newest_first, paper_id
from store.model import Paper, Source
from store.text import derive_title, name_key

SEED_FILES = [
    ("000_7ed11b9fa2d3fc25.txt", "profile", 7),
    ("001_12bc639a810020c0.txt", "metrics_profile", 14),
    ("002_1de495348cc0664e.txt", "paper_list", 37),
    ("003_7abeb82d65c2450c.txt", "abstracts_by_year", 21),
    ("004_b894448d57fb3a75.txt", "daily_feed", 52),
]
ON_BOTH_PROFILES = [
    "E-PMQ: Expert-Guided Post-Merge Quantization with Merged-Weight Anchoring",
    "FeatCal: Feature Calibration for Post-Merging Models",
    "Geometry Conflict: Explaining and Controlling Forgetting in LLM Continual Post-Training",
]
PROFILE_SOURCES = (
    Source("001_12bc639a810020c0.txt", "metrics_profile"),
    Source("000_7ed11b9fa2d3fc25.txt", "profile"),
)


def build(path: Path, captured: date = CAPTURED, seeds: Path = SEEDS) -> Library:
    library = Library.open(path, seed_if_empty=False)
    results = library.ingest([seeds], captured=captured)
    assert [r.outcome for r in results] == ["added"] * 5
    return library


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> Library:
    return build(tmp_path_factory.mktemp("library") / "s.json")


def titled(library: Library, title: str) -> Paper:
    (paper,) = [p for p in library.papers if p.title == title]
    return paper


def titles(papers) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.title for p in papers]


# --- counts -------------------------------------------------------------------------------------


def test_128_distinct_papers(lib: Library) -> None:
    assert len(lib.papers) == 128
    assert len({p.id for p in lib.papers}) == 128
    # 131 entries on the pages; the three papers on both profile pages are stored once.
    assert sum(len(page.papers) for page in lib.pages) == 131


def test_per_source_counts(lib: Library) -> None:
    assert lib.stats() == {
        "papers": 128,
        "researchers": 4,
        "collections": 1,
        "people": 64,
        "sources": [{"file": f, "format": fmt, "papers": n} for f, fmt, n in SEED_FILES],
    }


def test_profile_owners_and_collection(lib: Library) -> None:
    counts = {p.name: (p.kind, p.paper_count) for p in lib.people if p.kind != "person"}
    assert counts == {
        "Zhenyi Wang": ("profile", 37),
        "Yequan Wang": ("profile", 21),
        "Yuanyi Wang": ("profile", 14),
        "Wenjun Wang": ("profile", 7),
        "Daily Papers": ("collection", 52),
    }
    # The paper-list page names no owner: it is inferred from the authors of its papers.
    assert [(p.name, p.inferred) for p in lib.people[:4]] == [
        ("Zhenyi Wang", True), ("Yequan Wang", False), ("Yuanyi Wang", False), ("Wenjun Wang", False),
    ]


def test_researchers_order(lib: Library) -> None:
    kinds = [p.kind for p in lib.people]
    assert kinds == ["profile"] * 4 + ["collection"] + ["person"] * 64
    assert [p.name for p in lib.people[:8]] == [
        "Zhenyi Wang", "Yequan Wang", "Yuanyi Wang", "Wenjun Wang",
        "Daily Papers",
        "Li Shen", "Yanggan Gu", "Zixuan Hu",
    ]
    assert [p.paper_count for p in lib.people[:8]] == [37, 21, 14, 7, 52, 13, 7, 6]
    others = [p for p in lib.people if p.kind == "person"]
    assert [p.paper_count for p in others] == sorted((p.paper_count for p in others), reverse=True)


def test_each_profile_page_lists_its_papers(lib: Library) -> None:
    for file, _, count in SEED_FILES:
        on_page = [p for p in lib.papers if file in {s.file for s in p.sources}]
        assert len(on_page) == count, file
    owners = {"Wenjun Wang": "000", "Yuanyi Wang": "001", "Zhenyi Wang": "002", "Yequan Wang": "003"}
    for name, prefix in owners.items():
        person = lib.person(name)
        assert person is not None
        assert all(prefix in {s.file[:3] for s in p.sources} for p in lib.papers_of(person)), name
    daily = lib.person("Daily Papers")
    assert daily is not None
    assert all(p.sources == (Source("004_b894448d57fb3a75.txt", "daily_feed"),) for p in lib.papers_of(daily))
    assert all(p.researchers == () for p in lib.papers_of(daily))


# --- merging ------------------------------------------------------------------------------------


def test_papers_on_both_profiles_are_stored_once(lib: Library) -> None:
    merged = [p for p in lib.papers if len(p.sources) > 1]
    assert titles(merged) == ON_BOTH_PROFILES
    for paper in merged:
        assert paper.sources == PROFILE_SOURCES
        assert paper.researchers == ("Yuanyi Wang", "Wenjun Wang")
        assert (paper.kind, paper.venue, paper.year, paper.date_is_inferred) == ("preprint", "arXiv", 2026, False)


def test_e_pmq_merged_fields(lib: Library) -> None:
    paper = titled(lib, ON_BOTH_PROFILES[0])
    entries = {
        page.file: entry for page in lib.pages for entry in page.papers if entry.title == paper.title
    }
    assert sorted(entries) == ["000_7ed11b9fa2d3fc25.txt", "001_12bc639a810020c0.txt"]
    assert paper.to_json() == {
        "id": "0031313bf3",
        "title": "E-PMQ: Expert-Guided Post-Merge Quantization with Merged-Weight Anchoring",
        "title_is_derived": False,
        # The metrics page's authors (cut with "et al."), then the other page's owner.
        "authors": ["Wenjun Wang", "Yanggan Gu", "Shuo Cai", "Yuanyi Wang"],
        "authors_complete": False,
        "author_count": 4,
        "year": 2026,
        # "May 16" on the metrics page; the profile page states 2026, so the year is not inferred.
        "date": "2026-05-16",
        "date_is_inferred": False,
        "category": "CL",  # metrics page
        "venue": "arXiv",  # profile page
        "kind": "preprint",  # profile page
        "score": 82.3,  # metrics page
        "upvotes": None,
        "has_code": False,
        "abstract": entries["001_12bc639a810020c0.txt"].abstract,
        "sources": [
            {"file": "001_12bc639a810020c0.txt", "format": "metrics_profile"},
            {"file": "000_7ed11b9fa2d3fc25.txt", "format": "profile"},
        ],
        "researchers": ["Yuanyi Wang", "Wenjun Wang"],
    }
    assert paper.abstract.startswith("Low-resource deployment constraints have made model quantization")
    assert paper.abstract.endswith("enables effective post-merge quantization and low-bit deployment.")
    assert entries["000_7ed11b9fa2d3fc25.txt"].date == "2026"
    assert (entries["001_12bc639a810020c0.txt"].date, entries["001_12bc639a810020c0.txt"].date_is_inferred) == (
        "2026-05-16", True,
    )


def test_featcal_and_geometry_conflict_merged_fields(lib: Library) -> None:
    featcal = titled(lib, ON_BOTH_PROFILES[1])
    assert featcal.authors == ("Yanggan Gu", "Shuo Cai", "Zihao Wang", "Yuanyi Wang", "Wenjun Wang")
    assert (featcal.author_count, featcal.category, featcal.score, featcal.date) == (5, "LG", 84.0, "2026-05-13")
    geometry = titled(lib, ON_BOTH_PROFILES[2])
    assert geometry.authors == ("Yuanyi Wang", "Yifan Yang", "Su Lu", "Wenjun Wang")
    assert (geometry.author_count, geometry.category, geometry.score, geometry.date) == (4, "LG", 89.6, "2026-05-10")


def test_every_profile_owner_is_an_author_of_their_papers(lib: Library) -> None:
    for owner in lib.people[:4]:
        papers = lib.papers_of(owner)
        assert len(papers) == owner.paper_count
        for paper in papers:
            assert name_key(owner.name) in {name_key(a) for a in paper.authors}, (owner.name, paper.title)
            assert owner.name in paper.researchers


def test_merge_does_not_depend_on_ingest_order(lib: Library, tmp_path: Path) -> None:
    one_by_one = Library.open(tmp_path / "s.json", seed_if_empty=False)
    for path in sorted(SEEDS.iterdir(), reverse=True):
        (result,) = one_by_one.ingest([path], captured=CAPTURED)
        assert result.outcome == "added"
    assert [p.to_json() for p in one_by_one.papers] == [p.to_json() for p in lib.papers]
    assert [p.to_json() for p in one_by_one.people] == [p.to_json() for p in lib.people]


# --- dates and order ----------------------------------------------------------------------------


def test_year_only_and_inferred_dates(lib: Library) -> None:
    dhen = titled(lib, "DHEN: A Deep and Hierarchical Ensemble Network for Large-Scale Click-Through Rate Prediction")
    assert (dhen.date, dhen.year, dhen.date_is_inferred) == ("2022", 2022, False)
    access = titled(lib, "Access Sets Matter: Budgeting Expert Reads for Scalable Weight-Space Model Merging")
    assert (access.date, access.year, access.date_is_inferred) == ("2026-05-28", 2026, True)
    adamerging = titled(lib, "AdaMerging: Adaptive Model Merging for Multi-Task Learning")
    assert (adamerging.date, adamerging.year, adamerging.date_is_inferred) == ("2023-10-04", 2023, False)
    undated = [p for p in lib.papers if p.date is None]
    assert [(p.year, p.date_is_inferred) for p in undated] == [(None, False), (None, False)]
    inferred = [p for p in lib.papers if p.date_is_inferred]
    assert len(inferred) == 12
    assert all(len(p.date or "") == 10 for p in inferred)


def test_inferred_year_follows_the_capture_date(tmp_path: Path) -> None:
    library = build(tmp_path / "s.json", captured=date(2026, 5, 1))
    access = titled(library, "Access Sets Matter: Budgeting Expert Reads for Scalable Weight-Space Model Merging")
    assert (access.date, access.date_is_inferred) == ("2025-05-28", True)
    # "May 16" alone would be 2025 here, but the profile page states 2026: the stated year wins.
    e_pmq = titled(library, ON_BOTH_PROFILES[0])
    assert (e_pmq.date, e_pmq.date_is_inferred) == ("2026-05-16", False)
    assert len(library.papers) == 128


def test_papers_newest_first(lib: Library) -> None:
    keys = [newest_first(p) for p in lib.papers]
    assert keys == sorted(keys)
    dates = [p.date for p in lib.papers]
    assert dates[:3] == ["2026-05-28", "2026-05-28", "2026-05-26"]
    assert dates[-2:] == [None, None]
    # A year-only date sorts after every dated paper of its year.
    first_2026_year_only = dates.index("2026")
    assert all(d == "2026" for d in dates[first_2026_year_only:first_2026_year_only + 8])
    assert dates[first_2026_year_only - 1] == "2026-01-08"
    assert dates[first_2026_year_only + 8] == "2025-12-31"
    years = [p.year for p in lib.papers if p.year is not None]
    assert years == sorted(years, reverse=True)


def test_papers_of_a_person_newest_first(lib: Library) -> None:
    person = lib.person("Yuanyi Wang")
    assert person is not None
    papers = lib.papers_of(person)
    assert [lib.position(p.id) for p in papers] == sorted(lib.position(p.id) for p in papers)
    assert titles(papers)[:3] == [
        "Access Sets Matter: Budgeting Expert Reads for Scalable Weight-Space Model Merging",
        "Not All Disagreement Is Learnable: Token Teachability in On-Policy Distillation",
        "E-PMQ: Expert-Guided Post-Merge Quantization with Merged-Weight Anchoring",
    ]


# --- derived titles -----------------------------------------------------------------------------


def test_derived_titles_from_the_abstracts_page(lib: Library) -> None:
    derived = [p for p in lib.papers if p.title_is_derived]
    assert len(derived) == 21
    assert {s.file for p in derived for s in p.sources} == {"003_7abeb82d65c2450c.txt"}
    assert all(p.title == derive_title(p.abstract) for p in derived)
    assert all(len(p.title) <= 91 for p in derived)
    assert sum(p.title.endswith("…") for p in derived) == 17
    short = titled(lib, "Comparative opinion is a common linguistic phenomenon")
    assert short.title_is_derived
    assert (short.date, short.authors, short.researchers) == ("2022", ("Yequan Wang",), ("Yequan Wang",))
    # Every paper on the other pages has a title of its own.
    assert not any(p.title_is_derived for p in lib.papers if "003_7abeb82d65c2450c.txt" not in {s.file for s in p.sources})


# --- ids and idempotence ------------------------------------------------------------------------


def test_ids_stable_across_stores(lib: Library, tmp_path: Path) -> None:
    copy = tmp_path / "seeds"
    shutil.copytree(SEEDS, copy)
    other = build(tmp_path / "other.json", seeds=copy)
    assert [p.id for p in other.papers] == [p.id for p in lib.papers]
    assert [p.to_json() for p in other.papers] == [p.to_json() for p in lib.papers]
    adamerging = titled(lib, "AdaMerging: Adaptive Model Merging for Multi-Task Learning")
    assert adamerging.id == "59ecd52de6" == paper_id("t:adamergingadaptivemodelmergingformultitasklearning")


def test_reingest_is_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    library = build(path)
    before = path.read_bytes()
    papers = [p.to_json() for p in library.papers]
    results = library.ingest([SEEDS], captured=CAPTURED)
    assert [(Path(r.path).name, r.outcome, r.format, r.papers) for r in results] == [
        (f, "unchanged", fmt, n) for f, fmt, n in SEED_FILES
    ]
    assert path.read_bytes() == before
    assert [p.to_json() for p in library.papers] == papers
    # Another capture date does not re-date pages already in the store.
    reopened = Library.open(path, seed_if_empty=False)
    results = reopened.ingest([SEEDS], captured=date(2030, 1, 1))
    assert {r.outcome for r in results} == {"unchanged"}
    assert path.read_bytes() == before
    assert [p.to_json() for p in reopened.papers] == papers


def test_changed_file_is_updated_not_duplicated(tmp_path: Path) -> None:
    page = tmp_path / "pages" / "001_12bc639a810020c0.txt"
    page.parent.mkdir()
    shutil.copy(SEEDS / page.name, page)
    library = Library.open(tmp_path / "s.json", seed_if_empty=False)
    assert [r.outcome for r in library.ingest([page], captured=CAPTURED)] == ["added"]
    page.write_text(page.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    (result,) = library.ingest([page], captured=CAPTURED)
    assert (result.outcome, result.format, result.papers) == ("updated", "metrics_profile", 14)
    assert len(library.pages) == 1
    assert len(library.papers) == 14


# --- people by name -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Yuanyi Wang", "  yuanyi   WANG ", "Yuanyí Wang", "YUANYI-WANG", "Ｙｕａｎｙｉ Ｗａｎｇ"])
def test_person_regardless_of_case_spacing_accents(lib: Library, name: str) -> None:
    person = lib.person(name)
    assert person is not None
    assert (person.name, person.kind, person.paper_count) == ("Yuanyi Wang", "profile", 14)
    assert person.fields["h_index"] == 33


def test_unknown_person(lib: Library) -> None:
    assert lib.person("Yuanyi Wong") is None
    assert lib.person("") is None


def test_co_author_person(lib: Library) -> None:
    person = lib.person("li shen")
    assert person is not None
    assert (person.name, person.kind, person.paper_count) == ("Li Shen", "person", 13)
    assert all("Li Shen" in p.authors for p in lib.papers_of(person))


# --- search -------------------------------------------------------------------------------------


def test_search_top_hit(lib: Library) -> None:
    hits = lib.search("adamerging")
    assert hits.total == 1
    assert hits.papers[0].title == "AdaMerging: Adaptive Model Merging for Multi-Task Learning"
    typo = lib.search("adamergng")
    assert typo.papers[0].title == "AdaMerging: Adaptive Model Merging for Multi-Task Learning"


@pytest.mark.parametrize(
    ("query", "total"),
    [
        ("author:gu", 9),  # Yanggan Gu (7), Animesh Gupta, Xin Guan
        ("year:2024", 22),
        ("year:2020..2023", 47),
        ("year:..2019", 3),
        ("year:2025..", 54),
        ("cat:LG", 30),
        ("cat:lg", 30),
        ("src:daily", 52),
        ("src:paper_list", 37),
        ("author:shen cat:LG", 11),
        ('author:"li shen"', 13),
        ("adamerging year:2024", 0),
    ],
)
def test_search_field_filters(lib: Library, query: str, total: int) -> None:
    hits = lib.search(query)
    assert hits.total == total == len(hits.papers)


def test_search_filters_select_what_they_say(lib: Library) -> None:
    assert all(any("gu" in a.lower() for a in p.authors) for p in lib.search("author:gu").papers)
    assert {p.year for p in lib.search("year:2020..2023").papers} == {2020, 2021, 2022, 2023}
    assert {p.category for p in lib.search("cat:LG").papers} == {"LG"}
    assert {s.format for p in lib.search("src:daily").papers for s in p.sources} == {"daily_feed"}
    # Without free text, filters keep the library order.
    hits = lib.search("year:2024")
    assert [lib.position(p.id) for p in hits.papers] == sorted(lib.position(p.id) for p in hits.papers)
    assert (hits.papers[0].date, hits.papers[0].title) == (
        "2024-12-24",
        "A Deep Reinforcement Learning Framework for Dynamic Portfolio Optimization: Evidence from China's Stock Market",
    )


def test_search_within_a_person(lib: Library) -> None:
    person = lib.person("Yuanyi Wang")
    assert person is not None
    everywhere = lib.search("merging")
    assert everywhere.total == 15
    within = lib.search("merging", person=person)
    assert titles(within.papers) == [
        "Access Sets Matter: Budgeting Expert Reads for Scalable Weight-Space Model Merging",
        "FeatCal: Feature Calibration for Post-Merging Models",  # "-" starts a word too
        "MergePipe: A Budget-Aware Parameter Management System for Scalable LLM Merging",
        "Model Merging Scaling Laws in Large Language Models",
        "E-PMQ: Expert-Guided Post-Merge Quantization with Merged-Weight Anchoring",
        "Geometry Conflict: Explaining and Controlling Forgetting in LLM Continual Post-Training",
    ]
    assert all("Yuanyi Wang" in p.researchers for p in within.papers)
    assert lib.search("cat:LG", person=person).total == 7
    assert lib.search("year:2026", person=person).total == 8
    assert lib.search("adamerging", person=person).total == 0


def test_has_code_filter_keeps_only_papers_with_code(seed_library) -> None:  # type: ignore[no-untyped-def]
    hits = seed_library.search("has:code")
    assert hits.total == sum(p.has_code for p in seed_library.papers) == 8
    assert all(p.has_code for p in hits.papers)
