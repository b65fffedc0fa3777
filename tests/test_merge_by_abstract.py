"""A paper whose title was derived from its abstract joins the titled paper with that abstract:
the first one in page order, whatever its abstract opens with."""

from __future__ import annotations

from store.merge import merge_papers
from store.model import ParsedPaper, SourcePage

ASCII = "We merge models without data. " * 10
ACCENTED = "Épreuves: we merge models without data. " * 10  # a non-ASCII opening
PUNCTUATED = "-- ... ;; !! ?? -- a1 ~~ ## $$ %% ^^ && ** (( )) -- ... ;; !! ?? -- " + "Other words here. " * 9
# (an ASCII opening with few letters and digits: its key is made in full)
SHORT = "Tiny."


def _page(name: str, papers: list[ParsedPaper], fmt: str = "paper_list") -> SourcePage:
    return SourcePage(name, f"/pages/{name}", fmt, name, "2025-06-01", None, tuple(papers))


def _derived(abstract: str) -> ParsedPaper:
    return ParsedPaper(abstract[:40], abstract, title_is_derived=True, date="2024")


def test_derived_titles_join_the_first_titled_paper_with_their_abstract() -> None:
    titled = _page("a.txt", [
        ParsedPaper("First ascii", ASCII), ParsedPaper("Second ascii", ASCII.upper()),
        ParsedPaper("Accented", ACCENTED), ParsedPaper("Punctuated", PUNCTUATED.lower()),
        ParsedPaper("Short", SHORT), ParsedPaper("Unrelated", "Nothing like the others. " * 5),
    ])
    derived = _page("b.txt", [_derived(a) for a in (ASCII.lower(), ACCENTED.upper(), PUNCTUATED, SHORT, "Alone. " * 9)],
                    fmt="abstracts_by_year")
    merged = {p.title: p for p in merge_papers([titled, derived])}
    assert sorted(merged) == ["Accented", "Alone. Alone. Alone. Alone. Alone. Alone", "First ascii",
                              "Punctuated", "Second ascii", "Short", "Unrelated"]
    for title in ("Accented", "First ascii", "Punctuated", "Short"):
        assert [s.file for s in merged[title].sources] == ["a.txt", "b.txt"], title
    assert [s.file for s in merged["Second ascii"].sources] == ["a.txt"]
    assert merged["Alone. Alone. Alone. Alone. Alone. Alone"].title_is_derived


def test_no_derived_titles() -> None:
    assert [p.title for p in merge_papers([_page("a.txt", [ParsedPaper("Only", ASCII)])])] == ["Only"]
