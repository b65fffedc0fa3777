"""Plain-text rendering of papers and people for the CLI: aligned, 80-column friendly, sanitised."""

from __future__ import annotations

from typing import Any

from store.model import Paper, Person
from store.text import clean_line, sanitize

DERIVED_MARK = "[derived] "


def safe(text: object) -> str:
    """Text from the store as one safe line (stores written by older versions included)."""
    return clean_line(str(text))


def date_label(paper: Paper) -> str:
    """`2026-05-28~` where the year was inferred; `2026` for a year-only date; `-` for none."""
    if not paper.date:
        return "-"
    return paper.date + ("~" if paper.date_is_inferred else "")


def display_title(paper: Paper) -> str:
    return (DERIVED_MARK if paper.title_is_derived else "") + safe(paper.title)


def fit(text: str, width: int | None) -> str:
    if width is None or len(text) <= width:
        return text
    return text[: max(width - 1, 0)] + "…"


def paper_rows(papers: list[Paper], width: int | None) -> list[str]:
    """`id  date  category  title — authors`, cut to `width` when writing to a terminal."""
    rows = []
    for paper in papers:
        prefix = f"{paper.id}  {date_label(paper):<11} {safe(paper.category or '-'):<5} "
        rows.append(fit(prefix + display_title(paper), width))
    return rows


def headline(person: Person) -> str:
    """The figure a profile page leads with: h-index, trust, or nothing."""
    fields = person.fields
    if "h_index" in fields:
        return f"h-index {fields['h_index']}"
    if "trust_score" in fields:
        return f"trust {fields['trust_score']}"
    if person.inferred:
        return "owner inferred"
    return ""


def people_rows(people: list[Person], width: int | None) -> list[str]:
    name_width = min(max((len(p.name) for p in people), default=4), 30)
    rows = []
    for person in people:
        line = f"{fit(safe(person.name), name_width):<{name_width}}  {person.kind:<10} {person.paper_count:>6}  {headline(person)}"
        rows.append(fit(line.rstrip(), width))
    return rows


def paper_details(paper: Paper) -> list[str]:
    """Every field a reader wants, then the abstract (left unwrapped for the terminal to wrap)."""
    lines = [display_title(paper), ""]
    authors = ", ".join(safe(a) for a in paper.authors) or "-"
    if not paper.authors_complete:
        authors += f" (partial; {paper.author_count} in all)" if paper.author_count and paper.author_count > len(paper.authors) else " (partial list)"
    fields: list[tuple[str, Any]] = [
        ("id", paper.id),
        ("authors", authors),
        ("date", date_label(paper) + ("  (year inferred)" if paper.date_is_inferred else "")),
        ("category", paper.category),
        ("kind", paper.kind),
        ("venue", paper.venue),
        ("score", paper.score),
        ("upvotes", paper.upvotes),
        ("code", "available" if paper.has_code else None),
        ("researchers", ", ".join(safe(r) for r in paper.researchers) or None),
        ("sources", ", ".join(f"{safe(s.file)} ({s.format})" for s in paper.sources)),
    ]
    lines += [f"{name + ':':<13}{safe(value)}" for name, value in fields if value is not None]
    if paper.title_is_derived:
        lines.append(f"{'title:':<13}derived from the abstract (the page gives none)")
    lines += ["", sanitize(paper.abstract) or "(no abstract)"]
    return lines
