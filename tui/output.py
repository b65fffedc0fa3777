"""Plain-text rendering of papers and people for the CLI: aligned, 80-column friendly, sanitised."""

from __future__ import annotations

from store.desk import NO_MARK, Mark
from store.model import Paper, Person
from store.researchers import ResearcherSummary
from store.text import clean_line, counted, sanitize

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


FIGURE_LABELS = {
    "h_index": "h-index", "novelty_pct": "novelty %", "ai_score": "AI score",
    "primary_category": "primary category", "trust_score": "trust", "trust_level": "trust level",
    "verification_level": "verification", "claim_state": "claim", "open_to_collaborate": "open to collaborate",
    "close_collaborators": "close collaborators", "published_items": "published items",
}
SPARKS = "▁▂▃▄▅▆▇█"


def figure_label(key: str) -> str:
    return FIGURE_LABELS.get(key, key.replace("_", " "))


def figure_value(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    return safe(value)


def year_span(per_year: dict[int, int]) -> list[int]:
    """Every year from the first to the last, gaps included (a gap is a year with no papers)."""
    return list(range(min(per_year), max(per_year) + 1)) if per_year else []


def bar_cells(count: int, top: int, room: int) -> int:
    """Cells of a bar for `count` when `top` fills `room`: at least one for any count above 0."""
    return max(1, round(count * room / top)) if count and top and room else 0


def sparkline(per_year: dict[int, int]) -> str:
    """One character a year, its height the year's share of the busiest year: `▁▃█ ▂`."""
    if not per_year:
        return ""
    top = max(per_year.values())
    return "".join(
        SPARKS[max(0, -(-per_year[y] * len(SPARKS) // top) - 1)] if per_year.get(y) else " "
        for y in year_span(per_year)
    )


def researcher_details(summary: ResearcherSummary, width: int | None, top: int = 15) -> list[str]:
    """`paperscope researcher NAME`: the figures, papers per year as bars, categories, and the
    collaborators with the number of papers shared (the first `top`, then how many more)."""
    lines = [f"{safe(summary.name)}  ({summary.kind}, {counted(summary.paper_count, 'paper')})", ""]
    if summary.figures:
        lines += [f"  {figure_label(k) + ':':<22}{figure_value(v)}" for k, v in summary.figures.items()]
        lines.append("")
    if summary.per_year:
        most = max(summary.per_year.values())
        bar_room = max(10, min(40, (width or 80) - 16))
        lines.append("papers per year")
        for year in year_span(summary.per_year):
            count = summary.per_year.get(year, 0)
            bar = "█" * bar_cells(count, most, bar_room)
            lines.append(f"  {year}  {bar} {count}".rstrip() if count else f"  {year}  0")
        if summary.undated:
            lines.append(f"  undated {summary.undated}")
        lines.append("")
    if summary.categories:
        lines.append("categories: " + ", ".join(f"{safe(name)} {count}" for name, count in summary.categories))
        lines.append("")
    if summary.collaborators:
        name_width = min(max(len(c.name) for c in summary.collaborators[:top]), 30)
        lines.append("collaborators (shared papers)")
        lines += [f"  {fit(safe(c.name), name_width):<{name_width}}  {c.shared:>3}" for c in summary.collaborators[:top]]
        if len(summary.collaborators) > top:
            lines.append(f"  … and {len(summary.collaborators) - top} more")
    elif summary.kind != "collection":  # a feed's authors are nobody's collaborators
        lines.append("collaborators: none named on these papers")
    return [fit(line, width) for line in lines]
