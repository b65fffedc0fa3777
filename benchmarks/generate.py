"""Write a synthetic paperscope library: N distinct papers as page files in the five seed formats.

    python benchmarks/generate.py --papers 10000 --out /tmp/lib10k [--seed 1]

Everything is drawn from the bundled seed pages: title and abstract words with their frequencies,
the LaTeX the abstracts carry (at the seeds' rate), categories, and a pool of a few thousand names
made by crossing the seeds' first and last names. Pages go through paperscope's real parsers on
ingest: mostly paper lists and metrics/researcher profiles of 50-200 papers, some daily feeds
(which also re-list papers from other pages, so merging runs) and some abstracts-by-year pages.
The output is the same for the same --papers and --seed. `.manifest.json` (hidden, so never
ingested) records each file's format and paper count, for run.py to check the ingest against.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import random
import re
import shutil
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from store.ingest import parse_files
from store.locations import bundled_seeds_dir
from store.text import title_key

VERSION = 1  # bump when the output changes, so cached libraries are regenerated
CAPTURED = date(2026, 6, 1)  # the capture date to ingest with: years left out are inferred from it
MANIFEST = ".manifest.json"

# Share of the papers whose first listing is on each format, and papers per page.
FORMAT_SHARE = {"paper_list": 40, "metrics_profile": 30, "profile": 13, "daily_feed": 10, "abstracts_by_year": 7}
PAGE_SIZE = {"paper_list": (50, 200), "metrics_profile": (50, 200), "profile": (50, 200),
             "daily_feed": (30, 80), "abstracts_by_year": (20, 80)}
RELIST_SHARE = 0.15  # extra entries on a daily feed: papers already listed on another page
AUTHOR_COUNTS = {2: 10, 3: 18, 4: 20, 5: 18, 6: 14, 7: 10, 8: 10}
SHOWN_AUTHORS = 3  # pages show three names, then "et al."
YEARS = {y: w for y, w in zip(range(2015, 2027), (1, 1, 2, 2, 3, 4, 5, 7, 9, 12, 14, 8), strict=True)}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
KINDS = [("preprint", "arXiv"), ("conference paper", "ICML"), ("conference paper", "NeurIPS"),
         ("conference paper", "ICLR"), ("conference paper", "CVPR"), ("article", "")]
_NAME_WORD = re.compile(r"^[A-Z][a-z]+$")
_LATEX_HINT = re.compile(r"\\[A-Za-z%&_#${}]|--")  # what makes paperscope run its LaTeX renderer


def _looks_like_latex(text: str) -> bool:
    return bool(_LATEX_HINT.search(text)) or (text.count("$") >= 2 and text.count("$") % 2 == 0)


@dataclass(frozen=True)
class Weighted:
    """Items with cumulative weights, for fast repeated sampling."""

    items: list[str]
    cumulative: list[float]

    @classmethod
    def of(cls, counts: Counter[str]) -> Weighted:
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))  # no hash-order dependence
        return cls([k for k, _ in ordered], list(itertools.accumulate(float(v) for _, v in ordered)))

    def sample(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.items, cum_weights=self.cumulative, k=k)

    def one(self, rng: random.Random) -> str:
        return self.items[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]


@dataclass(frozen=True)
class Vocabulary:
    title_words: Weighted
    abstract_words: Weighted
    latex: list[str]  # LaTeX tokens of the seed abstracts, balanced braces and dollars
    latex_rate: float  # share of seed abstracts with LaTeX in them
    categories: Weighted
    first_names: list[str]
    last_names: list[str]


def seed_vocabulary(seeds: Path | None = None) -> Vocabulary:
    """Words, LaTeX, categories and names of the bundled seed pages (parsed by paperscope)."""
    seeds = seeds or bundled_seeds_dir()
    pages, _ = parse_files([seeds], CAPTURED, {})
    entries = [p for page in pages for p in page.papers]
    title_words = Counter(
        w for p in entries if not p.title_is_derived for w in p.title.replace(",", " ").split()
    )
    # Abstracts as written (before LaTeX rendering): the long lines of the raw pages.
    raw = [line for f in sorted(seeds.iterdir()) if f.is_file()
           for line in f.read_text(encoding="utf-8").splitlines() if len(line) > 300]
    words: Counter[str] = Counter()
    latex: set[str] = set()
    for line in raw:
        for token in line.split():
            if not _looks_like_latex(token) and "\\" not in token and "$" not in token:
                words[token.rstrip(".;:")] += 1
            elif token.count("{") == token.count("}") and token.count("$") % 2 == 0:
                latex.add(token)
    words.pop("", None)
    names = {a for p in entries for a in p.authors}
    names |= {page.owner.name for page in pages if page.owner and page.owner.kind == "profile"}
    parts = [n.split() for n in sorted(names)]
    valid = [p for p in parts if len(p) == 2 and all(_NAME_WORD.match(w) for w in p)]
    return Vocabulary(
        title_words=Weighted.of(title_words),
        abstract_words=Weighted.of(words),
        latex=sorted(latex),
        latex_rate=sum(_looks_like_latex(line) for line in raw) / len(raw),
        categories=Weighted.of(Counter(p.category for p in entries if p.category)),
        first_names=sorted({p[0] for p in valid}),
        last_names=sorted({p[1] for p in valid}),
    )


@dataclass
class Paper:
    title: str
    abstract: str
    authors: list[str]
    when: date
    category: str
    score: float
    has_code: bool
    upvotes: int | None
    kind: tuple[str, str]  # (kind, venue) as a profile page shows them


@dataclass
class Page:
    format: str
    owner: str | None
    papers: list[Paper] = field(default_factory=list)


class Generator:
    """Papers and pages from a vocabulary and a seed; every draw goes through one Random."""

    def __init__(self, vocab: Vocabulary, seed: int) -> None:
        self.vocab = vocab
        self.rng = random.Random(seed)
        people = [f"{f} {last}" for f in vocab.first_names for last in vocab.last_names]
        self.rng.shuffle(people)
        self.people = people  # a few thousand; co-authors drawn Zipf-like, owners in order
        self.author_weights = list(itertools.accumulate(1 / (i + 10) ** 0.9 for i in range(len(people))))
        self.owner_order = itertools.cycle(people)
        self.title_keys: set[str] = set()

    def title(self) -> str:
        """6-20 seed title words, distinct from every other title (by paperscope's title key)."""
        rng = self.rng
        while True:
            words = self.vocab.title_words.sample(rng, int(rng.triangular(6, 20, 9)))
            words[-1] = re.sub(r"\W+$", "", words[-1])  # a title ends in a letter or digit
            words = [w for w in words if w]
            if len(words) < 6:
                continue
            words[0] = words[0][:1].upper() + words[0][1:]
            title = " ".join(words)
            key = title_key(title)
            if key not in self.title_keys:
                self.title_keys.add(key)
                return title

    def abstract(self) -> str:
        """120-300 words in sentences of 10-30, with LaTeX as often as the seeds have it."""
        rng = self.rng
        words = self.vocab.abstract_words.sample(rng, int(rng.triangular(120, 300, 190)))
        if rng.random() < self.vocab.latex_rate:
            for _ in range(rng.randint(1, 3)):
                words.insert(rng.randrange(1, len(words)), rng.choice(self.vocab.latex))
        sentences, i = [], 0
        while i < len(words):
            n = rng.randint(10, 30)
            sentence = words[i : i + n]
            sentences.append(" ".join([sentence[0][:1].upper() + sentence[0][1:], *sentence[1:]]).rstrip(",") + ".")
            i += n
        return " ".join(sentences)

    def when(self) -> date:
        rng = self.rng
        while True:
            year = int(rng.choices(list(YEARS), weights=list(YEARS.values()))[0])
            day = date(year, rng.randint(1, 12), rng.randint(1, 28))
            if day <= CAPTURED:
                return day

    def paper(self, owner: str | None) -> Paper:
        rng = self.rng
        count = rng.choices(list(AUTHOR_COUNTS), weights=list(AUTHOR_COUNTS.values()))[0]
        authors: list[str] = []
        while len(authors) < count:
            name = self.people[bisect.bisect(self.author_weights, rng.random() * self.author_weights[-1])]
            if name not in authors and name != owner:
                authors.append(name)
        if owner:  # the owner is among the names a page shows
            authors.insert(rng.randrange(min(count, SHOWN_AUTHORS)), owner)
            authors.pop()
        return Paper(
            title=self.title(),
            abstract=self.abstract(),
            authors=authors,
            when=self.when(),
            category=self.vocab.categories.one(rng),
            score=round(rng.uniform(35, 95), 1),
            has_code=rng.random() < 0.3,
            upvotes=rng.randint(1, 120) if rng.random() < 0.3 else None,
            kind=rng.choice(KINDS),
        )

    def plan(self, n: int) -> list[tuple[str, int]]:
        """(format, papers) per page: each format gets its share of n, cut into pages, shuffled."""
        total = sum(FORMAT_SHARE.values())
        quotas = {fmt: n * share // total for fmt, share in FORMAT_SHARE.items()}
        quotas["paper_list"] += n - sum(quotas.values())
        plan: list[tuple[str, int]] = []
        for fmt, quota in quotas.items():
            low, high = PAGE_SIZE[fmt]
            sizes: list[int] = []
            while quota > 0:
                size = min(quota, self.rng.randint(low, high))
                if size < low and sizes:  # a short remainder joins the previous page
                    sizes[-1] += size
                else:
                    sizes.append(size)
                quota -= size
            plan += [(fmt, size) for size in sizes]
        self.rng.shuffle(plan)
        return plan

    def pages(self, n: int) -> list[Page]:
        rng = self.rng
        pages: list[Page] = []
        relistable: list[Paper] = []
        for fmt, size in self.plan(n):
            owner = None if fmt == "daily_feed" else next(self.owner_order)
            page = Page(fmt, owner, [self.paper(owner) for _ in range(size)])
            if fmt == "daily_feed" and relistable:
                for _ in range(int(size * RELIST_SHARE)):
                    page.papers.insert(rng.randrange(len(page.papers) + 1), rng.choice(relistable))
            elif fmt != "abstracts_by_year":  # those papers have no title on any page
                relistable.extend(page.papers)
            pages.append(page)
        return pages


# --- rendering, one function per format ---------------------------------------------------------


def _date(day: date, year: bool = True) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}" + (f", {day.year}" if year else "")


def _recent(day: date) -> bool:
    """Pages leave the year out for the last twelve months; paperscope infers it back."""
    return (CAPTURED - day).days < 360


def _shown_authors(paper: Paper) -> str:
    shown = ", ".join(paper.authors[:SHOWN_AUTHORS])
    return shown + (" et al." if len(paper.authors) > SHOWN_AUTHORS else "")


def render_paper_list(page: Page, rng: random.Random) -> str:
    rows = []
    for p in page.papers:
        rows.append(f"{p.category}{_date(p.when, not _recent(p.when))}{'Code' if p.has_code else ''}")
        rows.append(p.title + _shown_authors(p))  # title and authors run together, as scraped
        rows.append(p.abstract)
    return "\n".join(rows) + "\n"


def render_metrics_profile(page: Page, rng: random.Random) -> str:
    n = len(page.papers)
    rows = [str(page.owner), "", page.papers[0].category, f"h-index{rng.randint(3, 80)}", f"{n}papers",
            f"{rng.randint(n, 40 * n)}citations", f"Novelty{rng.randint(20, 90)}%",
            f"AI Score{rng.randint(20, 90)}", "", f"{n} Papers", ""]
    for p in page.papers:
        code = "Code" if p.has_code else ""
        rows += [f"{p.score}{p.category}{_date(p.when, not _recent(p.when))}{code}", p.title, "",
                 _shown_authors(p), "", p.abstract, "", ""]
    return "\n".join(rows)


def render_profile(page: Page, rng: random.Random) -> str:
    n, name = len(page.papers), str(page.owner)
    rows = ["Researcher profile", "", name, "", f"{name} contributes to research discovery and scholarly "
            "infrastructure.", "", "ResearcherAffiliation not importedOpen to collaborate", "",
            "Trust snapshot", "", "Quick read", "", f"Trust {rng.randint(5, 60)} - EmergingVerification "
            "L1Unclaimed author", f"{n}works", "0followers", f"{rng.randint(1, 20)}topics",
            f"{rng.randint(0, 30)}close collaborators", "", "Actions", "", "Published work", "",
            f"{n} published item(s)", ""]
    for p in page.papers:
        rows += [f"{p.kind[0]}{p.when.year}{p.kind[1]}", "", p.title, "", p.abstract, "", ""]
    return "\n".join(rows)


def render_daily_feed(page: Page, rng: random.Random) -> str:
    rows = ["new", "", "Get trending papers in your email inbox!", "", "Subscribe", "", "Daily Papers",
            "", "byAK and the research community", "", _date(CAPTURED, False), ""]
    for p in page.papers:
        rows += [p.title, "", p.abstract, ""]
        if rng.random() < 0.8:
            rows += [f"  • {len(p.authors)} authors", "·"]
        rows += [_date(p.when) + (f" {p.upvotes}" if p.upvotes else ""), ""]
    return "\n".join(rows)


def render_abstracts_by_year(page: Page, rng: random.Random) -> str:
    rows = [str(page.owner), "", ""]
    for year, group in itertools.groupby(sorted(page.papers, key=lambda p: -p.when.year), lambda p: p.when.year):
        rows += [str(year), "", *(p.abstract for p in group), ""]
    return "\n".join(rows)


RENDER = {"paper_list": render_paper_list, "metrics_profile": render_metrics_profile,
          "profile": render_profile, "daily_feed": render_daily_feed,
          "abstracts_by_year": render_abstracts_by_year}


def generate(n: int, out: Path, seed: int = 1) -> dict[str, object]:
    """Write the pages of an n-paper library into `out` (emptied first); returns the manifest."""
    gen = Generator(seed_vocabulary(), seed)
    pages = gen.pages(n)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    files = {}
    for i, page in enumerate(pages):
        name = f"{i:05d}_{page.format}.txt"
        (out / name).write_text(RENDER[page.format](page, gen.rng), encoding="utf-8")
        files[name] = {"format": page.format, "papers": len(page.papers)}
    manifest = {"version": VERSION, "papers": n, "seed": seed, "captured": CAPTURED.isoformat(), "files": files}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    manifest = generate(args.papers, args.out, args.seed)
    files = manifest["files"]
    assert isinstance(files, dict)
    print(f"{args.out}: {len(files)} pages, {args.papers} papers", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
