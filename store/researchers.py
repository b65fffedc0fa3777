"""A researcher at a glance: collaborators, papers per year, categories and profile figures.

Pure functions over a person and their papers (newest first, as `Library.papers_of` gives them),
so the library, the CLI and the browser header all compute the same figures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from store.model import Paper, Person
from store.text import fold, name_key


@dataclass(frozen=True)
class Collaborator:
    name: str
    shared: int
    paper_ids: tuple[str, ...]  # the shared papers, in the order given (newest first)


def collaborators(
    person: Person, papers: Sequence[Paper], display: Callable[[str], str] | None = None
) -> list[Collaborator]:
    """Co-authors of `person` on `papers`, most shared papers first, then by name.

    Spelling variants of a name (case, accents, dots) are one collaborator. `display` maps a name
    as written to the name to show (the library passes its people list's canonical name); without
    it the most frequent spelling wins, ties to the first seen. A collection (a daily feed) is
    nobody's co-author and has none.
    """
    if person.kind == "collection":
        return []
    me = name_key(person.name)
    ids: dict[str, list[str]] = {}
    spellings: dict[str, Counter[str]] = {}
    for paper in papers:
        # Profile owners are authors of their page's papers even when the author line is cut.
        for name in dict.fromkeys((*paper.authors, *paper.researchers)):
            key = name_key(name)
            if not key or key == me:
                continue
            spellings.setdefault(key, Counter())[name] += 1
            shared = ids.setdefault(key, [])
            if not shared or shared[-1] != paper.id:
                shared.append(paper.id)
    found = []
    for key, paper_ids in ids.items():
        spelling = spellings[key].most_common(1)[0][0]  # ties: the first seen
        name = display(spelling) if display else spelling
        found.append(Collaborator(name, len(paper_ids), tuple(paper_ids)))
    return sorted(found, key=lambda c: (-c.shared, fold(c.name), c.name))


def per_year(papers: Sequence[Paper]) -> dict[int, int]:
    """Papers per year, oldest year first; undated papers are left out (see `undated`)."""
    counts = Counter(p.year for p in papers if p.year is not None)
    return {year: counts[year] for year in sorted(counts)}


def undated(papers: Sequence[Paper]) -> int:
    return sum(p.year is None for p in papers)


def categories(papers: Sequence[Paper]) -> list[tuple[str, int]]:
    """Categories by paper count, most first, then by name; uncategorised papers left out."""
    counts = Counter(p.category for p in papers if p.category)
    return sorted(counts.items(), key=lambda item: (-item[1], fold(item[0]), item[0]))


@dataclass(frozen=True)
class ResearcherSummary:
    name: str
    kind: str
    paper_count: int
    figures: dict[str, Any]  # what the person's own page stated: h-index, citations, trust, ...
    per_year: dict[int, int]
    undated: int
    categories: list[tuple[str, int]]
    collaborators: list[Collaborator]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "papers": self.paper_count,
            "figures": dict(self.figures),
            "per_year": {str(year): count for year, count in self.per_year.items()},
            "undated": self.undated,
            "categories": [{"name": name, "count": count} for name, count in self.categories],
            "collaborators": [{"name": c.name, "shared": c.shared} for c in self.collaborators],
        }


def summarize(
    person: Person, papers: Sequence[Paper], display: Callable[[str], str] | None = None
) -> ResearcherSummary:
    """Everything the researcher header and `paperscope researcher` show, from their papers."""
    return ResearcherSummary(
        name=person.name,
        kind=person.kind,
        paper_count=len(papers),
        figures={k: v for k, v in person.fields.items() if v is not None},  # None: the page gave none
        per_year=per_year(papers),
        undated=undated(papers),
        categories=categories(papers),
        collaborators=collaborators(person, papers, display),
    )
