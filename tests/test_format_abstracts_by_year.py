"""The abstracts-by-year page (seed 003) and its variations."""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import CAPTURED, seed_text

from store.formats import FORMATS, abstracts_by_year
from store.formats.common import page_rows
from store.model import ParseContext, ParsedPage, ParseError

CONTEXT = ParseContext(captured=CAPTURED)
SEEDS = ["000", "001", "002", "003", "004"]


def parse(text: str) -> ParsedPage:
    return abstracts_by_year.parse(text, CONTEXT)


@pytest.fixture(scope="module")
def page() -> ParsedPage:
    return parse(seed_text("003"))


def test_owner(page: ParsedPage) -> None:
    assert page.format == "abstracts_by_year"
    assert page.owner is not None
    assert page.owner.name == "Yequan Wang"
    assert page.owner.kind == "profile"
    assert not page.owner.inferred
    assert page.owner.fields == {}


def test_papers_per_year(page: ParsedPage) -> None:
    assert len(page.papers) == 21
    assert Counter(p.date for p in page.papers) == {"2026": 8, "2025": 5, "2024": 3, "2023": 2, "2022": 3}
    for paper in page.papers:
        assert paper.title_is_derived
        assert not paper.date_is_inferred
        assert paper.authors == ()
        assert not paper.authors_complete
        assert paper.author_count is None


def test_first_and_last_paper(page: ParsedPage) -> None:
    first, last = page.papers[0], page.papers[-1]
    assert first.title == "Continual Learning (CL) for Large Language Models (LLMs) faces a fundamental…"
    assert first.date == "2026"
    assert first.abstract.startswith("Continual Learning (CL) for Large Language Models (LLMs) faces")
    assert first.abstract.endswith("Our code will be available at https://github.com/Xnhyacinth/SpaRTA.")
    assert last.title == "Comparative opinion is a common linguistic phenomenon"
    assert last.date == "2022"
    assert last.abstract.startswith("Comparative opinion is a common linguistic phenomenon. The opinion")
    assert last.abstract.endswith("serves as a new baseline for comparative opinion classification.")


@pytest.mark.parametrize("prefix", SEEDS)
def test_detects_only_its_own_seed(prefix: str) -> None:
    rows = page_rows(seed_text(prefix))
    assert abstracts_by_year.detect(rows) == (prefix == "003")
    if prefix == "003":
        assert [fmt.NAME for fmt in FORMATS if fmt.detect(rows)] == ["abstracts_by_year"]


def test_variant_page() -> None:
    text = (
        "Ada Lovelace\n\n\n2021\n\n\n"
        "We study $\\alpha$-engines in depth. They compute.\n\n"
        "2020\n2019\n"
        "A single sentence without a full stop\n"
    ).replace("\n", "\r\n")
    page = parse(text)
    assert page.owner is not None and page.owner.name == "Ada Lovelace"
    engines, single = page.papers
    assert (engines.title, engines.date) == ("We study α-engines in depth", "2021")
    assert engines.abstract == "We study α-engines in depth. They compute."
    assert (single.title, single.date) == ("A single sentence without a full stop", "2019")


def test_detected_page_without_papers_raises() -> None:
    text = "Jane Doe\n\n2020\n\n2016\n"
    assert abstracts_by_year.detect(page_rows(text))
    with pytest.raises(ParseError, match="no papers"):
        parse(text)
