"""The records paperscope keeps: what a page says (parsed) and what the store holds (merged)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import date
from typing import Any, Literal

OwnerKind = Literal["profile", "collection"]
PersonKind = Literal["profile", "collection", "person"]


@dataclass(frozen=True)
class ParsedPaper:
    """One entry as a page shows it, before it meets other pages."""

    title: str
    abstract: str = ""
    title_is_derived: bool = False
    authors: tuple[str, ...] = ()
    authors_complete: bool = False
    author_count: int | None = None
    date: str | None = None  # ISO: YYYY-MM-DD, YYYY-MM or YYYY
    date_is_inferred: bool = False
    category: str | None = None
    venue: str | None = None
    kind: str | None = None
    score: float | None = None
    upvotes: int | None = None
    has_code: bool | None = None


@dataclass(frozen=True)
class Owner:
    """Whose page it is: a researcher's profile, or a collection such as a daily feed."""

    name: str
    kind: OwnerKind = "profile"
    inferred: bool = False
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ParsedPage:
    format: str
    owner: Owner | None
    papers: tuple[ParsedPaper, ...]
    page_date: str | None = None


@dataclass(frozen=True)
class ParseContext:
    """What a parser may know beyond the page: when it was captured, names seen elsewhere."""

    captured: date
    known_names: frozenset[str] = frozenset()  # name_key() of names seen on other pages


class ParseError(ValueError):
    """A page that cannot be read as its format; the message says why, in a few words."""


@dataclass(frozen=True)
class Source:
    file: str
    format: str

    def to_json(self) -> dict[str, str]:
        return {"file": self.file, "format": self.format}


@dataclass(frozen=True)
class Paper:
    """A paper as the store holds it: merged over every page that lists it."""

    id: str
    title: str
    title_is_derived: bool
    authors: tuple[str, ...]
    authors_complete: bool
    author_count: int | None
    year: int | None
    date: str | None
    date_is_inferred: bool
    category: str | None
    venue: str | None
    kind: str | None
    score: float | None
    upvotes: int | None
    has_code: bool
    abstract: str
    sources: tuple[Source, ...]
    researchers: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["authors"] = list(self.authors)
        data["sources"] = [s.to_json() for s in self.sources]
        data["researchers"] = list(self.researchers)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Paper:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["authors"] = tuple(values.get("authors", ()))
        values["sources"] = tuple(Source(**s) for s in values.get("sources", ()))
        values["researchers"] = tuple(values.get("researchers", ()))
        return cls(**values)


@dataclass(frozen=True)
class Person:
    """Anyone one can browse: a profile owner, a collection, or an author seen on a page."""

    name: str
    kind: PersonKind
    paper_ids: tuple[str, ...]
    inferred: bool = False
    fields: dict[str, Any] = field(default_factory=dict)

    @property
    def paper_count(self) -> int:
        return len(self.paper_ids)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "paper_count": self.paper_count,
            "inferred": self.inferred,
            **self.fields,
        }


@dataclass(frozen=True)
class SourcePage:
    """A page as the store keeps it: its file, its format, what it said, and when it was read."""

    file: str
    path: str
    format: str
    sha256: str
    captured: str  # ISO date the page was captured; years left out on the page are inferred from it
    owner: Owner | None
    papers: tuple[ParsedPaper, ...]
    page_date: str | None = None

    def to_json(self) -> dict[str, Any]:
        # What asdict gives, built directly: asdict deep-copies every value (a third of ingest).
        owner = self.owner
        return {
            "file": self.file,
            "path": self.path,
            "format": self.format,
            "sha256": self.sha256,
            "captured": self.captured,
            "owner": None if owner is None else {
                "name": owner.name, "kind": owner.kind, "inferred": owner.inferred, "fields": dict(owner.fields),
            },
            "papers": [_parsed_paper_json(p) for p in self.papers],
            "page_date": self.page_date,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SourcePage:
        owner = data.get("owner")
        papers = tuple(
            ParsedPaper(**{**p, "authors": tuple(p.get("authors", ()))}) for p in data["papers"]
        )
        return cls(
            file=data["file"],
            path=data["path"],
            format=data["format"],
            sha256=data["sha256"],
            captured=data["captured"],
            owner=Owner(**owner) if owner else None,
            papers=papers,
            page_date=data.get("page_date"),
        )


_PARSED_PAPER_FIELDS = tuple(f.name for f in fields(ParsedPaper))


def _parsed_paper_json(paper: ParsedPaper) -> dict[str, Any]:
    data = {name: getattr(paper, name) for name in _PARSED_PAPER_FIELDS}
    data["authors"] = list(paper.authors)
    return data
