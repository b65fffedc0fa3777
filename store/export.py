"""Papers out of the app: BibTeX, Markdown, CSV and JSON exports, and a one-line citation.

Everything here is a pure function of the papers (and the user's notes, keyed by paper id), so
the CLI and the browser produce the same bytes. Page text is untrusted: each format escapes it so
that a title can break neither the file's syntax nor whatever later renders it (LaTeX, a Markdown
viewer, a spreadsheet, a terminal).
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import count, product
from pathlib import Path
from string import ascii_lowercase

from store.db import write_atomically
from store.links import find_links
from store.model import Paper
from store.text import clean_line, sanitize

FORMATS = ("bibtex", "markdown", "csv", "json")
_EXTENSIONS = {"bibtex": "bib", "markdown": "md", "csv": "csv", "json": "json"}
DERIVED_TITLE_NOTE = "Title derived from the abstract"
INFERRED_YEAR_NOTE = "Year inferred from the capture date"


def file_extension(fmt: str) -> str:
    """The usual file name extension of a format, without the dot."""
    _check_format(fmt)
    return _EXTENSIONS[fmt]


def export(papers: Sequence[Paper], fmt: str, notes: Mapping[str, str] | None = None) -> str:
    """The papers in one of FORMATS, in the order given; `notes` maps paper ids to the user's notes."""
    _check_format(fmt)
    writer: Callable[[Sequence[Paper], Mapping[str, str]], str] = {
        "bibtex": _bibtex, "markdown": _markdown, "csv": _csv, "json": _json,
    }[fmt]
    return writer(papers, notes or {})


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")


# --- citation line ------------------------------------------------------------------------------


def citation(paper: Paper) -> str:
    """One line to paste into a text: `Wang, Y., Gu, Y. and Lu, S. (2026). Title. arXiv.`

    At most three authors are named, then "and others" (also when the page cut the author list),
    as BibTeX says it.
    """
    title = clean_line(paper.title)
    title = f"{title} ({DERIVED_TITLE_NOTE.lower()})." if paper.title_is_derived else _sentence(title)
    year = f"({paper.year})" if paper.year else "(n.d.)"
    names = _cited_names(paper)
    head = f"{names} {year}. {title}" if names else f"{title.rstrip('.')} {year}."
    venue = clean_line(paper.venue or "")
    return f"{head} {_sentence(venue)}" if venue else head


def _sentence(text: str) -> str:
    return text if not text or text[-1] in ".?!…" else text + "."


def _cited_names(paper: Paper) -> str:
    names = [_surname_initials(clean_line(a)) for a in paper.authors[:3]]
    names = [n for n in names if n]
    if not names:
        return ""
    if len(paper.authors) > 3 or not paper.authors_complete:
        return ", ".join(names) + " and others"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _surname_initials(name: str) -> str:
    """`Jia-Hao Li` -> `Li, J.-H.`; a `Surname, Given` name is understood as such."""
    if "," in name:
        surname, _, given = name.partition(",")
    else:
        *given_parts, surname = name.split() or [""]
        given = " ".join(given_parts)
    initials = [
        "-".join(part[0] + "." for part in word.split("-") if part)
        for word in given.split()
    ]
    surname = surname.strip()
    return f"{surname}, {' '.join(initials)}" if initials and surname else surname


# --- BibTeX -------------------------------------------------------------------------------------

# LaTeX's special characters, spelled so that braces stay balanced: BibTeX counts `\{` as a brace.
_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
    "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "^": r"\textasciicircum{}", "~": r"\textasciitilde{}",
}
# ... and the empty places between characters that LaTeX would join into one (`--` `''` `?``).
_BIBTEX_SPECIAL = re.compile(r"[\\{}&%$#_^~]|(?<=[-`'])(?=[-`'])|(?<=[!?])(?=`)")
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_PREPRINT = re.compile(r"arxiv|biorxiv|medrxiv|chemrxiv|ssrn|preprint", re.IGNORECASE)
_CONFERENCE = re.compile(
    r"\b(?:conference|proceedings|workshops?|symposium|NeurIPS|NIPS|ICML|ICLR|CVPR|ICCV|ECCV|"
    r"AAAI|IJCAI|ACL|EMNLP|NAACL|COLING|KDD|SIGIR|AISTATS|UAI|COLT|WACV|BMVC|MICCAI|ICASSP|"
    r"INTERSPEECH)\b|\bproc\.",
    re.IGNORECASE,
)
_ARXIV_ID = re.compile(r"arxiv:\s*(\d{4}\.\d{4,5}(?:v\d+)?)", re.IGNORECASE)
_STOPWORDS = frozenset(
    "a an the on of in for to and with via from by at as is are be do does can towards toward "
    "into beyond when what why how its our we".split()
)


def _bibtex_text(text: str) -> str:
    """One line of text as a BibTeX field value (inside braces) that prints as written under LaTeX."""
    return _latex_escape(clean_line(text))


def _latex_escape(text: str) -> str:
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_ESCAPES.get(m[0], "{}"), text)


def _bibtex(papers: Sequence[Paper], notes: Mapping[str, str]) -> str:
    keys = citation_keys(papers)
    return "\n".join(_bibtex_entry(p, k, notes.get(p.id)) for p, k in zip(papers, keys))


def _bibtex_entry(paper: Paper, key: str, note: str | None) -> str:
    entry_type, venue_fields = _entry_type(paper)
    fields: list[tuple[str, str]] = []  # values already escaped and braced (month is a macro)
    if paper.authors:
        names = [_bibtex_name(a) for a in paper.authors]
        fields.append(("author", " and ".join(names + ([] if paper.authors_complete else ["others"]))))
    fields.append(("title", _protect_case(clean_line(paper.title))))
    if paper.year:
        fields.append(("year", str(paper.year)))
    if month := _month(paper.date):
        fields.append(("month", month))
    fields += venue_fields
    if paper.category:
        fields.append(("keywords", _bibtex_text(paper.category)))
    if links := find_links(paper.abstract):
        fields.append(("url", _bibtex_text(links[0])))
    remarks = []
    if paper.title_is_derived:
        remarks.append(DERIVED_TITLE_NOTE)
    if paper.date_is_inferred:
        remarks.append(INFERRED_YEAR_NOTE)
    if remarks:
        fields.append(("note", "; ".join(remarks)))
    if paper.abstract:
        fields.append(("abstract", _bibtex_text(paper.abstract)))
    if note and clean_line(note):
        fields.append(("annote", _bibtex_text(note)))
    lines = [f"  {name} = {value if name == 'month' else '{' + value + '}'}," for name, value in fields]
    return "\n".join([f"@{entry_type}{{{key},", *lines, "}", ""])


def _entry_type(paper: Paper) -> tuple[str, list[tuple[str, str]]]:
    """`@misc` for preprints and unknown venues, `@inproceedings` for conferences, else `@article`."""
    venue = clean_line(paper.venue or "")
    described = f"{paper.kind or ''} {venue}"
    if not venue:
        return "misc", []
    if _PREPRINT.search(described):
        fields = [("howpublished", _bibtex_text(venue))]
        if arxiv := _ARXIV_ID.search(venue):
            fields += [("eprint", arxiv[1]), ("archivePrefix", "arXiv")]
        return "misc", fields
    if _CONFERENCE.search(described):
        return "inproceedings", [("booktitle", _protect_case(venue))]
    return "article", [("journal", _protect_case(venue))]


def _bibtex_name(name: str) -> str:
    """A name BibTeX splits correctly; a comma or a lone `and` would be misread, so braced whole."""
    escaped = _bibtex_text(name)
    if "," in name or re.search(r"\band\b|^others$", name, re.IGNORECASE):
        return "{" + escaped + "}"
    return escaped


def _protect_case(text: str) -> str:
    """Escape, and brace the words a bibliography style must not lowercase (GPTQ, SurgeryV2, E-PMQ)."""
    out: list[str] = []
    end = 0
    for word in _WORD.finditer(text):
        out.append(_latex_escape(text[end : word.start()]))
        escaped = _latex_escape(word[0])
        out.append("{" + escaped + "}" if _keeps_case(word[0]) else escaped)
        end = word.end()
    out.append(_latex_escape(text[end:]))
    return "".join(out)


def _keeps_case(word: str) -> bool:
    parts = word.split("-")
    return any(
        any(c.isupper() for c in part[1:]) or (len(parts) > 1 and len(part) == 1 and part.isupper())
        for part in parts
    )


def _month(date: str | None) -> str | None:
    if date and len(date) >= 7 and date[5:7].isdigit() and 1 <= int(date[5:7]) <= 12:
        return _MONTHS[int(date[5:7]) - 1]
    return None


def citation_keys(papers: Sequence[Paper]) -> list[str]:
    """One unique key per paper: surname + year + first significant title word (`frantar2022gptq`).

    Papers sharing a key get a, b, c... in order of date then id, so the keys do not depend on how
    the list happens to be sorted.
    """
    bases = [_key_base(p) for p in papers]
    groups: dict[str, list[int]] = {}
    for i, base in enumerate(bases):
        groups.setdefault(base, []).append(i)
    keys = list(bases)
    taken = {base for base, members in groups.items() if len(members) == 1}
    for base, members in groups.items():
        if len(members) == 1:
            continue
        suffixes = _suffixes()
        for i in sorted(members, key=lambda i: (papers[i].date or "", papers[i].id)):
            key = base + next(suffixes)
            while key in taken:
                key = base + next(suffixes)
            taken.add(key)
            keys[i] = key
    return keys


def _key_base(paper: Paper) -> str:
    surname = ""
    if paper.authors:
        name = paper.authors[0]
        surname = _ascii_word(name.partition(",")[0] if "," in name else (name.split() or [""])[-1])
    words = (_ascii_word(w) for w in paper.title.split())
    first = next((w for w in words if w and w not in _STOPWORDS), "")
    return f"{surname or 'anon'}{paper.year or ''}{first}"


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _suffixes() -> Iterator[str]:
    for length in count(1):
        for letters in product(ascii_lowercase, repeat=length):
            yield "".join(letters)


# --- Markdown -----------------------------------------------------------------------------------

# Enough to stop emphasis, code, links, images, raw HTML, strike-through and math from forming;
# `&` only where it would start a character reference. Other punctuation stays readable.
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_\[\]<$~]|&(?=#?\w+;)")
_EXCERPT_CHARS = 200


def _markdown_text(text: str) -> str:
    """One line of untrusted text that Markdown shows as written."""
    return _MARKDOWN_SPECIAL.sub(lambda m: "\\" + m[0], clean_line(text))


def _markdown(papers: Sequence[Paper], notes: Mapping[str, str]) -> str:
    return "".join(_markdown_item(p, notes.get(p.id)) for p in papers)


def _markdown_item(paper: Paper, note: str | None) -> str:
    """`- **Title** — A, B et al. (2024). *Venue*.` then links, the note and an abstract excerpt."""
    head = f"- **{_markdown_text(paper.title)}**"
    if paper.title_is_derived:
        head += f" ({DERIVED_TITLE_NOTE.lower()})"
    if paper.authors:
        names = ", ".join(_markdown_text(a) for a in paper.authors)
        head += f" — {names}{'' if paper.authors_complete else ' et al.'}"
    if paper.year:
        head += f" ({paper.year})"
    head += "."
    if venue := clean_line(paper.venue or ""):
        head += f" *{_markdown_text(venue)}*."
    lines = [head]
    if links := find_links(paper.abstract):
        lines.append("  Links: " + " ".join(f"<{url}>" for url in links))
    if note and clean_line(note):
        lines.append(f"  Note: {_markdown_text(note)}")
    if excerpt := _excerpt(clean_line(paper.abstract)):
        lines.append(f"  > {_markdown_text(excerpt)}")
    return "\n".join(lines) + "\n"


def _excerpt(text: str) -> str:
    if len(text) <= _EXCERPT_CHARS:
        return text
    return text[:_EXCERPT_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"


# --- CSV ----------------------------------------------------------------------------------------

CSV_HEADER = (
    "id", "title", "title_is_derived", "authors", "year", "date", "category", "venue", "kind",
    "has_code", "links", "note", "abstract",
)
# A spreadsheet runs a cell starting with one of these as a formula (=HYPERLINK(...) and worse).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv(papers: Sequence[Paper], notes: Mapping[str, str]) -> str:
    """RFC 4180 (CRLF, quoted as needed). Text cells that would start a formula get a leading `'`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for paper in papers:
        authors = "; ".join(clean_line(a) for a in paper.authors)
        if paper.authors and not paper.authors_complete:
            authors += "; et al."
        row = (
            paper.id, clean_line(paper.title), _csv_bool(paper.title_is_derived), authors,
            paper.year or "", paper.date or "", clean_line(paper.category or ""),
            clean_line(paper.venue or ""), clean_line(paper.kind or ""), _csv_bool(paper.has_code),
            " ".join(find_links(paper.abstract)), sanitize(notes.get(paper.id, "")).strip(),
            clean_line(paper.abstract),
        )
        writer.writerow([_defuse(cell) if isinstance(cell, str) else cell for cell in row])
    return out.getvalue()


def _csv_bool(value: bool) -> str:
    return "true" if value else "false"


def _defuse(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


# --- JSON ---------------------------------------------------------------------------------------

# Characters json.dumps(ensure_ascii=False) writes raw that a terminal would act on: DEL, C1
# controls (0x9b is a CSI), bidi overrides. Written as \u escapes the data stays exact.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _json(papers: Sequence[Paper], notes: Mapping[str, str]) -> str:
    """`Paper.to_json()` (field order of the model) plus `links` and `note` (null when none)."""
    records = [
        {**p.to_json(), "links": list(find_links(p.abstract)), "note": notes.get(p.id)} for p in papers
    ]
    text = json.dumps(records, ensure_ascii=False, indent=2)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", text) + "\n"


def write_export(papers: Sequence[Paper], fmt: str, path: Path, notes: Mapping[str, str] | None = None) -> int:
    """Write `papers` in `fmt` to `path` atomically; how many papers were written.

    Raises OSError whose message is one line to show as it is: "cannot write PATH: REASON".
    """
    data = export(papers, fmt, notes).encode("utf-8")
    try:
        write_atomically(path, data)
    except FileNotFoundError:
        raise OSError(f"cannot write {path}: no such folder {path.parent}") from None
    except OSError as error:
        raise OSError(f"cannot write {path}: {error.strerror or error}") from None
    return len(papers)
