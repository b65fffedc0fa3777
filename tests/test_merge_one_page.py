"""A paper listed on one page only (nearly every paper) is made by a shortcut: it must be the
paper the general merge makes of that single entry, whatever the entry holds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from store.merge import _merged_paper, _Page, _paper_of_one_page
from store.model import Owner, ParsedPaper, Source

names = st.sampled_from(["Ada Lovelace", "ada lovelace", "Alan Turing", "Grace Hopper", "Émile Noël"])
entries = st.builds(
    ParsedPaper,
    title=st.text(max_size=12),
    abstract=st.text(max_size=12),
    title_is_derived=st.booleans(),
    authors=st.lists(names, max_size=3).map(tuple),
    authors_complete=st.booleans(),
    author_count=st.none() | st.integers(0, 5),
    date=st.sampled_from([None, "", "2024", "2024-05", "2024-05-17"]),
    date_is_inferred=st.booleans(),
    category=st.none() | st.just("cs.LG"),
    venue=st.none() | st.just("NeurIPS"),
    kind=st.none() | st.just("conference"),
    score=st.none() | st.floats(0, 10),
    upvotes=st.none() | st.integers(0, 99),
    has_code=st.none() | st.booleans(),
)
owners = st.none() | st.builds(Owner, name=names)


@settings(max_examples=400, deadline=None)
@given(entries, owners)
def test_a_paper_on_one_page_is_what_the_general_merge_makes(entry: ParsedPaper, owner: Owner | None) -> None:
    page = _Page((0, "a.txt"), Source("a.txt", "profile"), owner)
    assert _paper_of_one_page("t:key", page, entry) == _merged_paper("t:key", [(page, entry)])


def test_the_profile_owner_joins_the_authors_of_a_paper_on_one_page() -> None:
    page = _Page((0, "a.txt"), Source("a.txt", "profile"), Owner("Grace Hopper"))
    entry = ParsedPaper("T", authors=("Alan Turing",), authors_complete=True, author_count=1, date="2023")
    paper = _paper_of_one_page("t:t", page, entry)
    assert (paper.authors, paper.authors_complete, paper.author_count) == (("Alan Turing", "Grace Hopper"), False, 2)
    assert (paper.researchers, paper.year, paper.has_code) == (("Grace Hopper",), 2023, False)
