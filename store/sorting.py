"""Orders a list of papers can be shown in."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from store.model import Paper
from store.papers import PaperList, PaperRecords, library_view
from store.text import fold

SORT_MODES = ("date", "title", "score", "relevance")


def sort_papers(papers: Sequence[Paper], mode: str, position: Callable[[str], int]) -> Sequence[Paper]:
    """`date` is the library order (newest first); `score` uses the page's score, else upvotes;
    `relevance` keeps the order given (a search's ranking). Ties fall back to library order.

    The library's papers and views of them are sorted by arrays; other sequences by their papers.
    """
    if mode == "relevance":
        return papers
    if isinstance(papers, PaperRecords):
        papers = library_view(papers)
    if isinstance(papers, PaperList) and (ordered := papers.sorted(mode)) is not None:
        return ordered  # by the library's arrays: no paper is decoded
    if mode == "title":
        return sorted(papers, key=lambda p: (fold(p.title), position(p.id)))
    if mode == "score":
        def merit(paper: Paper) -> tuple[float, int]:
            value = paper.score if paper.score is not None else paper.upvotes
            return (-(value if value is not None else float("-inf")), position(paper.id))

        return sorted(papers, key=merit)
    return sorted(papers, key=lambda p: position(p.id))
