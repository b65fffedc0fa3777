"""The metrics profile page (seed 001) and its variations."""

from __future__ import annotations

import pytest
from conftest import CAPTURED, seed_text

from store.formats import FORMATS, metrics_profile
from store.formats.common import page_rows
from store.model import ParseContext, ParsedPage, ParseError

CONTEXT = ParseContext(captured=CAPTURED)
SEEDS = ["000", "001", "002", "003", "004"]


def parse(text: str) -> ParsedPage:
    return metrics_profile.parse(text, CONTEXT)


@pytest.fixture(scope="module")
def page() -> ParsedPage:
    return parse(seed_text("001"))


def test_owner(page: ParsedPage) -> None:
    assert page.format == "metrics_profile"
    assert page.owner is not None
    assert page.owner.name == "Yuanyi Wang"
    assert page.owner.kind == "profile"
    assert not page.owner.inferred
    assert page.owner.fields == {
        "primary_category": "LG",
        "h_index": 33,
        "papers": 14,
        "citations": 40,
        "novelty_pct": 62,
        "ai_score": 56,
    }


def test_papers(page: ParsedPage) -> None:
    assert len(page.papers) == 14
    assert [p.category for p in page.papers] == [
        "LG", "LG", "CL", "LG", "LG", "CL", "LG", "DB", "AI", "LG", "IR", "LG", "AI", "IR"
    ]
    assert [p.score for p in page.papers][:7] == [82.5, 88.5, 82.3, 60.8, 84.0, None, 89.6]
    assert [p.has_code for p in page.papers] == [False] * 5 + [True] + [False] * 8
    for paper in page.papers:
        assert len(paper.authors) == 3
        assert not paper.authors_complete
        assert paper.author_count is None
        assert not paper.title_is_derived


def test_first_paper(page: ParsedPage) -> None:
    first = page.papers[0]
    assert first.title == "Access Sets Matter: Budgeting Expert Reads for Scalable Weight-Space Model Merging"
    assert first.authors == ("Yuanyi Wang", "Yanggan Gu", "Su Lu")
    assert (first.date, first.date_is_inferred) == ("2026-05-28", True)
    assert (first.category, first.score, first.has_code) == ("LG", 82.5, False)
    assert first.abstract.startswith("Weight-space model merging is usually formulated")
    assert first.abstract.endswith("and no monotonic degradation on downstream benchmarks.")


def test_latex_rendered(page: ParsedPage) -> None:
    abstract = page.papers[0].abstract
    assert "an expert access-set problem" in abstract
    assert "11× speedups" in abstract
    assert "O(10^-3)" in abstract
    assert "\\" not in abstract and "$" not in abstract


def test_code_paper_with_full_date(page: ParsedPage) -> None:
    fusion = page.papers[5]
    assert fusion.title.startswith("InfiGFusion: Graph-on-Logits Distillation")
    assert (fusion.date, fusion.date_is_inferred) == ("2025-05-20", False)
    assert (fusion.category, fusion.score, fusion.has_code) == ("CL", None, True)


def test_last_paper(page: ParsedPage) -> None:
    last = page.papers[-1]
    assert last.title == (
        "Understanding and Guiding Weakly Supervised Entity Alignment with Potential Isomorphism Propagation"
    )
    assert last.authors == ("Yuanyi Wang", "Wei Tang", "Haifeng Sun")
    assert (last.authors_complete, last.author_count) == (False, None)
    assert (last.date, last.date_is_inferred) == ("2024-02-05", False)
    assert (last.category, last.score, last.has_code) == ("IR", None, False)
    assert last.abstract.startswith("Weakly Supervised Entity Alignment (EA) is the task")
    assert last.abstract.endswith("our comprehension of aggregation-based weakly supervised EA.")


@pytest.mark.parametrize("prefix", SEEDS)
def test_detects_only_its_own_seed(prefix: str) -> None:
    rows = page_rows(seed_text(prefix))
    assert metrics_profile.detect(rows) == (prefix == "001")
    if prefix == "001":
        assert [fmt.NAME for fmt in FORMATS if fmt.detect(rows)] == ["metrics_profile"]


VARIANT = """\
Ada Lovelace



h-index12
1,024citations

2 Papers

90cs.LGDec 25 Code

Engines of $\\beta$-Thought

Ada Lovelace, Charles Babbage

We revisit the \\emph{engine}.

It computes Bernoulli numbers.

q-bioMar 3, 2021
A Paper Without Authors
Short abstract with a number 42.
77.5stat.MLJan 2
A Cut-Off Paper
"""


def test_variant_page() -> None:
    page = parse(VARIANT.replace("\n", "\r\n"))
    assert page.owner is not None
    assert page.owner.name == "Ada Lovelace"
    assert page.owner.fields == {"h_index": 12, "citations": 1024}
    engines, no_authors, cut_off = page.papers
    assert engines.title == "Engines of β-Thought"
    assert engines.abstract == "We revisit the engine. It computes Bernoulli numbers."
    assert engines.authors == ("Ada Lovelace", "Charles Babbage")
    assert (engines.authors_complete, engines.author_count) == (True, 2)
    assert (engines.score, engines.category, engines.has_code) == (90.0, "cs.LG", True)
    assert (engines.date, engines.date_is_inferred) == ("2025-12-25", True)
    assert no_authors.authors == ()
    assert (no_authors.authors_complete, no_authors.author_count) == (False, None)
    assert no_authors.abstract == "Short abstract with a number 42."
    assert (no_authors.category, no_authors.score, no_authors.date) == ("q-bio", None, "2021-03-03")
    assert (cut_off.title, cut_off.abstract, cut_off.authors) == ("A Cut-Off Paper", "", ())
    assert (cut_off.score, cut_off.category, cut_off.date) == (77.5, "stat.ML", "2026-01-02")


def test_header_cut_off_before_its_title_is_dropped() -> None:
    page = parse(VARIANT + "\n88.0LGMay 1\n")
    assert [p.title for p in page.papers][-1] == "A Cut-Off Paper"


def test_detected_page_without_papers_raises() -> None:
    text = "Jane Doe\n\nLG\nh-index3\n2papers\n\n0 Papers\n"
    assert metrics_profile.detect(page_rows(text))
    with pytest.raises(ParseError, match="no papers"):
        parse(text)
