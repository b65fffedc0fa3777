"""The daily feed (seed 004): a curated collection, author counts, upvotes, cut-off pages."""

from __future__ import annotations

import time
from datetime import date

import pytest
from conftest import CAPTURED, seed_text

from store.formats import FORMATS, daily_feed, detect_format
from store.formats.common import page_rows
from store.model import Owner, ParseContext, ParsedPage, ParsedPaper, ParseError

CONTEXT = ParseContext(captured=CAPTURED)
SEEDS = ["000", "001", "002", "003", "004"]
OWNER = Owner(
    name="Daily Papers",
    kind="collection",
    inferred=False,
    fields={"curator": "AK and the research community"},
)
SEED = seed_text("004")
FIRST_TITLE = (
    "Merging Models on the Fly Without Retraining: A Sequential Approach to Scalable Continual "
    "Model Merging"
)
LAST_TITLE = "QuEST: Stable Training of LLMs with 1-Bit Weights and Activations"


def parse(text: str, context: ParseContext = CONTEXT) -> ParsedPage:
    return daily_feed.parse(text, context)


@pytest.fixture(scope="module")
def page() -> ParsedPage:
    return parse(SEED)


def test_owner_and_page_date(page: ParsedPage) -> None:
    assert page.format == "daily_feed"
    assert page.owner == OWNER
    assert page.page_date == "2026-01-20"  # "Jan 20", year inferred from the capture date


def test_count(page: ParsedPage) -> None:
    assert len(page.papers) == 52


def test_first_entry(page: ParsedPage) -> None:
    first = page.papers[0]
    assert first.abstract.startswith(
        "Deep model merging represents an emerging research direction that combines multiple "
        "fine-tuned models"
    )
    assert first.abstract.endswith(
        "our method achieves a 5-8% average accuracy improvement while maintaining robust "
        "performance in different task orderings."
    )
    assert first == ParsedPaper(
        title=FIRST_TITLE,
        abstract=first.abstract,
        authors=(),
        authors_complete=False,
        author_count=7,
        date="2025-01-16",
        date_is_inferred=False,
        upvotes=None,
    )


def test_last_entry_is_cut_off(page: ParsedPage) -> None:
    last = page.papers[-1]
    assert last.abstract.startswith(
        "One approach to reducing the massive costs of large language models (LLMs)"
    )
    assert last.abstract.endswith(
        "Our code is available at https://github.com/IST-DASLab/QuEST."
    )
    assert last == ParsedPaper(title=LAST_TITLE, abstract=last.abstract)


def test_every_entry_shape(page: ParsedPage) -> None:
    for paper in page.papers:
        assert paper.title and paper.abstract
        assert paper.authors == () and not paper.authors_complete
        assert paper.category is None and paper.score is None and paper.has_code is None
        assert paper.venue is None and paper.kind is None and not paper.title_is_derived
    assert [p.author_count for p in page.papers[:6]] == [7, 4, 7, 8, 8, None]
    assert sorted({p.author_count for p in page.papers if p.author_count}) == [
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10
    ]


def test_upvotes(page: ParsedPage) -> None:
    voted = [(p.title.split(":")[0], p.date, p.upvotes) for p in page.papers if p.upvotes]
    assert voted == [
        (
            "Data-Efficient Adaptation and a Novel Evaluation Method for Aspect-based Sentiment "
            "Analysis",
            "2025-11-04",  # "Nov 4, 2025 1"
            1,
        ),
        ("T-MAC", "2024-06-25", 1),
        ("A Model Zoo on Phase Transitions in Neural Networks", "2025-04-25", 2),
        ("AWQ", "2023-06-01", 1),
        ("WOUAF", "2023-06-07", 1),
        ("SALSA", "2024-11-03", 2),
        (
            "Unlocking the Potential of MLLMs in Referring Expression Segmentation via a "
            "Light-weight Mask Decode",
            "2025-08-06",
            2,
        ),
    ]
    # No count shown is unknown, not zero.
    assert sum(p.upvotes is None for p in page.papers) == 45


def test_entries_without_author_block(page: ParsedPage) -> None:
    bare = [p for p in page.papers if p.author_count is None]
    assert [p.title for p in bare] == [
        "Q-Palette: Fractional-Bit Quantizers Toward Optimal Bit Allocation for Efficient LLM "
        "Deployment",
        LAST_TITLE,
    ]
    for paper in bare:
        assert (paper.date, paper.date_is_inferred, paper.upvotes) == (None, False, None)
    after = page.papers[6]
    assert after.title.startswith("Automated Privacy Information Annotation")
    assert (after.author_count, after.date) == (7, "2025-05-27")


def test_date_without_year(page: ParsedPage) -> None:
    inferred = [(p.title.split(":")[0], p.date) for p in page.papers if p.date_is_inferred]
    assert inferred == [("DeepWeightFlow", "2026-01-08")]  # "Jan 8"


def test_abstract_text(page: ParsedPage) -> None:
    by_title = {p.title.split(":")[0]: p.abstract for p in page.papers}
    assert "up to a 39% absolute gain" in by_title[
        "Leveraging Spreading Activation for Improved Document Retrieval in Knowledge-Graph-Based "
        "RAG Systems"
    ]
    # A bare % is prose, not a LaTeX comment: nothing after it is lost.
    assert "spaces. %However, the macro structure" in by_title[
        "Weight-Entanglement Meets Gradient-Based Neural Architecture Search"
    ]


# --- variants seen on real pages ------------------------------------------------------------------


def test_without_daily_papers_line(page: ParsedPage) -> None:
    text = SEED.replace("Daily Papers\n", "", 1)
    assert "Daily Papers" not in text
    assert parse(text) == page


def test_crlf_and_extra_blank_lines(page: ParsedPage) -> None:
    assert parse(SEED.replace("\n", "\r\n")) == page
    assert parse(SEED.replace("\n", "\n\n\n")) == page


def test_other_page_date() -> None:
    assert parse(SEED.replace("\nJan 20\n", "\nDec 1\n", 1)).page_date == "2025-12-01"
    assert parse(SEED.replace("\nJan 20\n", "\nMar 3, 2024\n", 1)).page_date == "2024-03-03"
    assert parse(SEED.replace("\nJan 20\n", "\n", 1)).page_date is None


def test_dates_without_year() -> None:
    text = SEED.replace("\nJan 16, 2025\n", "\nJan 16\n").replace("\nNov 4, 2025 1\n", "\nNov 4 3\n")
    papers = parse(text, ParseContext(captured=date(2026, 1, 10))).papers
    assert (papers[0].date, papers[0].date_is_inferred) == ("2025-01-16", True)
    (voted,) = [p for p in papers if p.date and p.date.endswith("-11-04")]
    assert (voted.date, voted.date_is_inferred, voted.upvotes) == ("2025-11-04", True, 3)


def _head_and_entries(count: int) -> str:
    """The seed cut after `count` whole entries (each ends with its date line)."""
    lines = SEED.split("\n")
    dates = [i for i, line in enumerate(lines) if line.startswith(("Jan 16, 2025", "Dec 16, 2023"))]
    assert count <= len(dates)
    return "\n".join(lines[: dates[count - 1] + 1]) + "\n"


@pytest.mark.parametrize(
    ("tail", "abstract", "author_count"),
    [
        ("Cut Off Title\n", "", None),
        ("Cut Off Title\n\nThe abstract stops mid-sen", "The abstract stops mid-sen", None),
        ("Cut Off Title\n\nAn abstract.\n\n  • 3 authors\n", "An abstract.", 3),
        ("Cut Off Title\n\nAn abstract.\n\n  • 3 authors\n·\n", "An abstract.", 3),
    ],
)
def test_cut_off_last_entry(tail: str, abstract: str, author_count: int | None) -> None:
    papers = parse(_head_and_entries(2) + "\n" + tail).papers
    assert [p.title for p in papers] == [
        FIRST_TITLE,
        "Weight-Entanglement Meets Gradient-Based Neural Architecture Search",
        "Cut Off Title",
    ]
    assert papers[-1] == ParsedPaper(
        title="Cut Off Title", abstract=abstract, author_count=author_count
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("new\nDaily Papers\nbyAK and the research community\nJan 20\n", "no papers"),
        ("Daily Papers\nJan 20\nA Title\nAn abstract.\n·\n·\nJan 5, 2025\n", "expected a title"),
        ("Daily Papers\nJan 20\n  • 3 authors\n", "expected a title"),
    ],
)
def test_broken_pages(text: str, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        parse(text)


def test_curator_comes_from_the_page() -> None:
    text = "Daily Papers\nbySomeone Else\nJan 20\nA Title\nAn abstract.\n"
    owner = parse(text).owner
    assert owner is not None
    assert (owner.name, owner.fields) == ("Daily Papers", {"curator": "Someone Else"})


# --- detection and hostile input ----------------------------------------------------------------


@pytest.mark.parametrize("prefix", SEEDS)
def test_detects_only_its_seed(prefix: str) -> None:
    rows = page_rows(seed_text(prefix))
    assert daily_feed.detect(rows) == (prefix == "004")
    if prefix == "004":
        assert [f.NAME for f in FORMATS if f.detect(rows)] == ["daily_feed"]
        assert detect_format(seed_text(prefix)) is daily_feed


def test_detects_variants() -> None:
    assert daily_feed.detect(page_rows(SEED.replace("Daily Papers\n", "", 1)))
    assert daily_feed.detect(page_rows(SEED.replace("\n", "\r\n")))
    assert not daily_feed.detect(page_rows("new\n\nSubscribe\n\nJan 20\nA Title\n"))


HUGE_LINES = {
    "one word": "A" * 10_000_000,
    "date-like": "Jan" + "a" * 10_000_000,
    "bullet": "• " + "1" * 10_000_000,
    "curator-like": "byA" + "x" * 10_000_000,
    "spaces": " " * 10_000_000 + "x",
}


@pytest.mark.parametrize("line", HUGE_LINES.values(), ids=HUGE_LINES.keys())
def test_huge_line_finishes_quickly(line: str) -> None:
    started = time.perf_counter()
    daily_feed.detect(page_rows(line))
    try:
        parse("Daily Papers\nJan 20\n" + line + "\n" + line + "\n")
    except ParseError:
        pass
    assert time.perf_counter() - started < 10  # linear: a few seconds at most; quadratic: hours
