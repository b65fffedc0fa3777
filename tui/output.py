"""Plain-text rendering of papers and people for the CLI: aligned, 80-column friendly, sanitised."""

from __future__ import annotations

from store.desk import NO_MARK, Mark
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


def authors_note(paper: Paper) -> str | None:
    """How complete the author list is, when it is not: `3 of 7 named`, or `partial list`."""
    if paper.authors_complete:
        return None
    if not paper.authors and not paper.author_count:
        return "not given"
    if paper.author_count and paper.author_count > len(paper.authors):
        return f"{len(paper.authors)} of {paper.author_count} named"
    return "partial list"


def paper_facts(paper: Paper) -> list[tuple[str, str]]:
    """The facts of a paper, label and value, for the CLI's `show` and the browser's abstract."""
    facts: list[tuple[str, str | None]] = [
        ("date", date_label(paper) + (" (year inferred)" if paper.date_is_inferred else "")),
        ("category", paper.category),
        ("kind", paper.kind),
        ("venue", paper.venue),
        ("score", None if paper.score is None else f"{paper.score:g}"),
        ("upvotes", None if paper.upvotes is None else str(paper.upvotes)),
        ("code", "available" if paper.has_code else None),
        ("researchers", ", ".join(paper.researchers) or None),
        ("sources", ", ".join(f"{s.file} ({s.format})" for s in paper.sources)),
    ]
    return [(label, safe(value)) for label, value in facts if value is not None]


def mark_facts(mark: Mark) -> list[tuple[str, str]]:
    """The user's marks on a paper, as facts; nothing for an unmarked paper."""
    facts = [("starred", "yes")] if mark.starred else []
    if mark.state != "unseen":
        facts.append(("reading", "read" if mark.is_read else "opened, not read"))
    return facts


def paper_details(paper: Paper, mark: Mark = NO_MARK) -> list[str]:
    """Every field a reader wants, the user's marks and note, then the abstract (left unwrapped
    for the terminal to wrap)."""
    authors = ", ".join(safe(a) for a in paper.authors) or "-"
    note = authors_note(paper)
    fields = [("id", paper.id), ("authors", authors + (f" ({note})" if note else "")), *paper_facts(paper)]
    lines = [display_title(paper), ""]
    lines += [f"{name + ':':<13}{value}" for name, value in [*fields, *mark_facts(mark)]]
    if paper.title_is_derived:
        lines.append(f"{'title:':<13}derived from the abstract (the page gives none)")
    if mark.note:
        lines += ["", "note:", *(f"  {safe(line)}" for line in mark.note.splitlines())]
    lines += ["", sanitize(paper.abstract) or "(no abstract)"]
    return lines
