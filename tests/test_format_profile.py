"""The researcher profile page (seed 000) and its variations."""

from __future__ import annotations

import pytest
from conftest import CAPTURED, seed_text

from store.formats import FORMATS, profile
from store.formats.common import page_rows
from store.model import ParseContext, ParsedPage, ParseError

CONTEXT = ParseContext(captured=CAPTURED)
SEEDS = ["000", "001", "002", "003", "004"]


def parse(text: str) -> ParsedPage:
    return profile.parse(text, CONTEXT)


@pytest.fixture(scope="module")
def page() -> ParsedPage:
    return parse(seed_text("000"))


def test_owner(page: ParsedPage) -> None:
    assert page.format == "profile"
    assert page.owner is not None
    assert page.owner.name == "Wenjun Wang"
    assert page.owner.kind == "profile"
    assert not page.owner.inferred
    assert page.owner.fields == {
        "bio": "Wenjun Wang contributes to research discovery and scholarly infrastructure.",
        "role": "Researcher",
        "affiliation": None,
        "open_to_collaborate": True,
        "trust_score": 21,
        "trust_level": "Emerging",
        "verification_level": "L1",
        "claim_state": "Unclaimed author",
        "works": 7,
        "followers": 0,
        "topics": 7,
        "close_collaborators": 4,
        "published_items": 7,
    }


def test_papers(page: ParsedPage) -> None:
    assert len(page.papers) == 7
    assert [p.date for p in page.papers] == ["2026", "2026", "2026", "2022", "2022", "2022", "2021"]
    for paper in page.papers:
        assert paper.kind == "preprint"
        assert paper.venue == "arXiv"
        assert not paper.date_is_inferred
        assert paper.authors == ()
        assert not paper.authors_complete
        assert paper.author_count is None
        assert not paper.title_is_derived
        assert paper.category is None and paper.score is None and paper.has_code is None


def test_first_and_last_paper(page: ParsedPage) -> None:
    first, last = page.papers[0], page.papers[-1]
    assert first.title == "E-PMQ: Expert-Guided Post-Merge Quantization with Merged-Weight Anchoring"
    assert first.abstract.startswith("Low-resource deployment constraints have made model quantization")
    assert first.abstract.endswith("enables effective post-merge quantization and low-bit deployment.")
    assert last.title == (
        "A Novel Genetic Algorithm with Hierarchical Evaluation Strategy"
        " for Hyperparameter Optimisation of Graph Neural Networks"
    )
    assert last.abstract.startswith("Graph representation of structured data can facilitate")
    assert last.abstract.endswith("its advantages compared to Bayesian hyperparameter optimization.")


def test_latex_in_abstracts(page: ParsedPage) -> None:
    geometry, dhen = page.papers[2], page.papers[3]
    assert "Across Qwen3 0.6B–14B on domain-continual" in geometry.abstract
    assert "attained 0.27% improvement" in dhen.abstract


@pytest.mark.parametrize("prefix", SEEDS)
def test_detects_only_its_own_seed(prefix: str) -> None:
    rows = page_rows(seed_text(prefix))
    assert profile.detect(rows) == (prefix == "000")
    if prefix == "000":
        assert [fmt.NAME for fmt in FORMATS if fmt.detect(rows)] == ["profile"]


VARIANT = """\
Researcher profile


Ada Lovelace

Analytical engines and the poetry of numbers.

ProfessorUniversity of London

Trust snapshot

Trust 88 - EstablishedVerification L3Claimed profile
12works

Published work

article2024NeurIPS


Engines of Thought: $\\alpha$-Calculus Revisited

We revisit the \\emph{engine}.
It computes Bernoulli numbers.

conference paper2023ICML

A Paper Without Abstract

journal article2020Nature Machine Intelligence

Notes on the Difference Engine

The difference engine tabulates polynomials.

preprint2019

A Cut-Off Item
"""


def test_variant_page() -> None:
    page = parse(VARIANT.replace("\n", "\r\n"))
    assert page.owner is not None
    assert page.owner.name == "Ada Lovelace"
    assert page.owner.fields == {
        "bio": "Analytical engines and the poetry of numbers.",
        "role": "Professor",
        "affiliation": "University of London",
        "open_to_collaborate": False,
        "trust_score": 88,
        "trust_level": "Established",
        "verification_level": "L3",
        "claim_state": "Claimed profile",
        "works": 12,
    }
    engines, no_abstract, notes, cut_off = page.papers
    assert (engines.kind, engines.date, engines.venue) == ("article", "2024", "NeurIPS")
    assert engines.title == "Engines of Thought: α-Calculus Revisited"
    assert engines.abstract == "We revisit the engine. It computes Bernoulli numbers."
    assert (no_abstract.kind, no_abstract.date, no_abstract.venue) == ("conference paper", "2023", "ICML")
    assert (no_abstract.title, no_abstract.abstract) == ("A Paper Without Abstract", "")
    assert (notes.kind, notes.venue) == ("journal article", "Nature Machine Intelligence")
    assert notes.abstract == "The difference engine tabulates polynomials."
    assert (cut_off.title, cut_off.abstract, cut_off.date, cut_off.venue) == ("A Cut-Off Item", "", "2019", None)


def test_item_cut_off_before_its_title_is_dropped() -> None:
    page = parse(VARIANT + "\npreprint2018arXiv\n")
    assert [p.title for p in page.papers][-1] == "A Cut-Off Item"


def test_page_without_header_or_trust_line() -> None:
    text = "Grace Hopper\n\nPublished work\n\npreprint2021arXiv\n\nCompilers for Everyone\n\nWe compile.\n"
    assert profile.detect(page_rows(text))
    page = parse(text)
    assert page.owner is not None
    assert page.owner.name == "Grace Hopper"
    assert page.owner.fields == {}
    assert [p.title for p in page.papers] == ["Compilers for Everyone"]


def test_detected_page_without_papers_raises() -> None:
    text = "Researcher profile\n\nJane Doe\n\nPublished work\n\n0 published item(s)\n"
    assert profile.detect(page_rows(text))
    with pytest.raises(ParseError, match="no papers"):
        parse(text)
