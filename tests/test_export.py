"""Exports: exact output for real seed papers, read back by real parsers, and hostile text kept inert."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

import bibtexparser
import pytest
from bibtexparser.middlewares import LatexDecodingMiddleware
from conftest import make_paper
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from store.export import (
    CSV_HEADER,
    DERIVED_TITLE_NOTE,
    FORMATS,
    citation,
    citation_keys,
    export,
    file_extension,
)
from store.links import find_links
from store.model import Paper

# --- seed papers, as the seed files give them ---------------------------------------------------

TABLE_TO_TEXT = "Towards Faithful Neural Table-to-Text Generation with Content-Matching Constraints"
# seeds/002_..., line 105
TABLE_TO_TEXT_ABSTRACT = (
    "Text generation from a knowledge base aims to translate knowledge triples to natural language "
    "descriptions. Most existing methods ignore the faithfulness between a generated text description "
    "and the original table, leading to generated information that goes beyond the content of the "
    "table. In this paper, for the first time, we propose a novel Transformer-based generation "
    "framework to achieve the goal. The core techniques in our method to enforce faithfulness include "
    "a new table-text optimal-transport matching loss and a table-text embedding similarity loss "
    "based on the Transformer model. Furthermore, to evaluate faithfulness, we propose a new "
    "automatic metric specialized to the table-to-text generation problem. We also provide detailed "
    "analysis on each component of our model in our experiments. Automatic and human evaluations show "
    "that our framework can significantly outperform state-of-the-art by a large margin."
)
E_PMQ = "E-PMQ: Expert-Guided Post-Merge Quantization with Merged-Weight Anchoring"
SPARTA = "Continual Learning (CL) for Large Language Models (LLMs) faces a fundamental…"  # derived


def seed_paper(library, title: str) -> Paper:
    (paper,) = [p for p in library.papers if p.title == title]
    return paper


def without_abstract(entry: str) -> str:
    return "\n".join(line for line in entry.splitlines() if not line.startswith("  abstract = {"))


HOSTILE_TITLE = (
    "Evil } @misc{x, title={y},\n  50% & $5 #1 a_b ^c ~d \\e { --- ``q'' ?` "
    "[bold]b[/bold] \x1b[31mred [x](javascript:alert(1)) <script>s</script>"
)
# The same after export's one-line cleaning: the escape sequence gone, whitespace collapsed.
HOSTILE_TITLE_CLEAN = (
    "Evil } @misc{x, title={y}, 50% & $5 #1 a_b ^c ~d \\e { --- ``q'' ?` "
    "[bold]b[/bold] red [x](javascript:alert(1)) <script>s</script>"
)
HOSTILE = make_paper(
    id="evil", title=HOSTILE_TITLE, authors=("Smith, John", "Tom and Jerry", "Ann {Lee}"),
    authors_complete=False, year=2024, date="2024-02", category="LG}", venue="Proc. of {ICML} & co",
    abstract="}}} @article{pwned, title={x}} \\end{document} %% 100% $$ ~ ^ _ # &",
)


def test_formats_and_extensions() -> None:
    assert FORMATS == ("bibtex", "markdown", "csv", "json")
    assert [file_extension(f) for f in FORMATS] == ["bib", "md", "csv", "json"]
    with pytest.raises(ValueError, match="unknown export format 'xml'"):
        export([], "xml")
    with pytest.raises(ValueError):
        file_extension("BibTeX")


def test_empty_exports() -> None:
    assert export([], "bibtex") == ""
    assert export([], "markdown") == ""
    assert export([], "csv") == ",".join(CSV_HEADER) + "\r\n"
    assert export([], "json") == "[]\n"


# --- BibTeX -------------------------------------------------------------------------------------


def test_bibtex_entry_of_a_paper_list_paper(seed_library) -> None:
    paper = seed_paper(seed_library, TABLE_TO_TEXT)
    assert export([paper], "bibtex", {paper.id: "compare with OT & 50% #1"}) == (
        "@misc{wang2020faithful,\n"
        "  author = {Zhenyi Wang and Xiaoyang Wang and Bang An and others},\n"
        f"  title = {{{TABLE_TO_TEXT}}},\n"
        "  year = {2020},\n"
        "  month = may,\n"
        "  keywords = {CL},\n"
        f"  abstract = {{{TABLE_TO_TEXT_ABSTRACT}}},\n"
        "  annote = {compare with OT \\& 50\\% \\#1},\n"
        "}\n"
    )


def test_bibtex_entry_of_a_preprint(seed_library) -> None:
    """seeds/000 gives `preprint2026arXiv`, seeds/001 `82.3CLMay 16` and three authors `et al.`;
    the owner of seeds/001 (Yuanyi Wang) is added by the merge."""
    entry = export([seed_paper(seed_library, E_PMQ)], "bibtex")
    assert without_abstract(entry) == (
        "@misc{wang2026epmq,\n"
        "  author = {Wenjun Wang and Yanggan Gu and Shuo Cai and Yuanyi Wang and others},\n"
        "  title = {{E-PMQ}: Expert-Guided Post-Merge Quantization with Merged-Weight Anchoring},\n"
        "  year = {2026},\n"
        "  month = may,\n"
        "  howpublished = {arXiv},\n"
        "  keywords = {CL},\n"
        "}"
    )
    assert "\n  abstract = {Low-resource deployment constraints have made model quantization" in entry
    assert "from 65.0\\% to 73.6\\%" in entry


def test_bibtex_marks_a_derived_title(seed_library) -> None:
    """seeds/003 gives abstracts only, under `2026`; the title is made from the first sentence."""
    paper = seed_paper(seed_library, SPARTA)
    assert paper.title_is_derived
    assert without_abstract(export([paper], "bibtex")) == (
        "@misc{wang2026continual,\n"
        "  author = {Yequan Wang and others},\n"
        "  title = {Continual Learning ({CL}) for Large Language Models ({LLMs}) faces a fundamental…},\n"
        "  year = {2026},\n"
        "  url = {https://github.com/Xnhyacinth/SpaRTA},\n"
        f"  note = {{{DERIVED_TITLE_NOTE}}},\n"
        "}"
    )


def _decoder() -> LatexDecodingMiddleware:
    """pylatexenc's LaTeX-to-text plus the text-mode symbols it does not know (or maps to ˆ)."""
    context = get_default_latex_context_db()
    context.add_context_category(
        "paperscope-test",
        prepend=True,
        macros=[
            MacroTextSpec("textbraceleft", "{"),
            MacroTextSpec("textbraceright", "}"),
            MacroTextSpec("textasciicircum", "^"),
        ],
    )
    return LatexDecodingMiddleware(decoder=LatexNodes2Text(latex_context=context))


def test_bibtex_round_trip_of_every_seed_paper(seed_library) -> None:
    """Read back by bibtexparser: 128 entries, the keys given, the same titles and authors.

    Normalisation: bibtexparser's LatexDecodingMiddleware (pylatexenc's LaTeX-to-text), which
    drops the case-protecting braces and turns `\\&` back into `&`. Titles need nothing else;
    abstracts also need `\\textasciicircum{}` read as `^` (see `_decoder`).
    """
    papers = seed_library.papers
    assert len(papers) == 128
    text = export(papers, "bibtex")
    assert _braces_balanced(text)
    titles = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert [e["title"] for e in titles.entries] == [p.title for p in papers]
    library = bibtexparser.parse_string(text, append_middleware=[_decoder()])
    assert library.failed_blocks == []
    assert len(library.entries) == 128
    assert [e.key for e in library.entries] == citation_keys(papers)
    assert len(set(citation_keys(papers))) == 128
    assert [e["title"] for e in library.entries] == [p.title for p in papers]
    for entry, paper in zip(library.entries, papers):
        fields = {name: field.value for name, field in entry.fields_dict.items()}
        names = [*paper.authors, *([] if paper.authors_complete else ["others"])]
        assert fields.get("author") == (" and ".join(names) if paper.authors else None)
        assert fields.get("year") == (str(paper.year) if paper.year else None)
        assert fields["abstract"] == paper.abstract
        assert (DERIVED_TITLE_NOTE in fields.get("note", "")) == paper.title_is_derived
    assert sum(p.title_is_derived for p in papers) == 21


def _braces_balanced(text: str) -> bool:
    """BibTeX's own rule: every brace counts, a backslash does not escape it."""
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def test_bibtex_hostile_text_cannot_break_the_entry(seed_library) -> None:
    follower = seed_paper(seed_library, TABLE_TO_TEXT)
    text = export([HOSTILE, follower], "bibtex", {"evil": "note } with { @x"})
    assert _braces_balanced(text)
    assert "\x1b" not in text
    library = bibtexparser.parse_string(text, append_middleware=[_decoder()])
    assert library.failed_blocks == []
    evil, after = library.entries
    assert evil.entry_type == "inproceedings"
    assert evil["title"] == HOSTILE_TITLE_CLEAN
    assert evil["abstract"] == HOSTILE.abstract
    assert evil["booktitle"] == "Proc. of {ICML} & co"
    assert evil["keywords"] == "LG}"
    assert evil["annote"] == "note } with { @x"
    assert (after.key, after["title"]) == ("wang2020faithful", TABLE_TO_TEXT)


def test_bibtex_escapes_every_special_character() -> None:
    (title_line,) = [line for line in export([HOSTILE], "bibtex").splitlines() if line.startswith("  title =")]
    assert title_line == (
        "  title = {Evil \\textbraceright{} @misc\\textbraceleft{}x, title=\\textbraceleft{}y\\textbraceright{}, "
        "50\\% \\& \\$5 \\#1 a\\_b \\textasciicircum{}c \\textasciitilde{}d \\textbackslash{}e "
        "\\textbraceleft{} -{}-{}- `{}`q'{}' ?{}` [bold]b[/bold] red [x](javascript:alert(1)) "
        "<script>s</script>},"
    )
    assert "  author = {{Smith, John} and {Tom and Jerry} and Ann \\textbraceleft{}Lee\\textbraceright{} and others}," in (
        export([HOSTILE], "bibtex")
    )


@pytest.mark.parametrize(
    ("title", "bibtex"),
    [
        ("GPTQ: Accurate Post-Training Quantization", "{GPTQ}: Accurate Post-Training Quantization"),
        ("SurgeryV2 for LLMs and ViT-B/32", "{SurgeryV2} for {LLMs} and {ViT-B}/32"),
        ("Q-Palette and T-MAC in 3D", "{Q-Palette} and {T-MAC} in {3D}"),
        ("PA&DA", "{PA}\\&{DA}"),
        ("A Survey of Forgetting", "A Survey of Forgetting"),
        ("Ünïcode ÉCOLE", "Ünïcode {ÉCOLE}"),
    ],
)
def test_bibtex_protects_case_where_a_style_would_lowercase(title: str, bibtex: str) -> None:
    assert f"  title = {{{bibtex}}},\n" in export([make_paper(title=title)], "bibtex")


@pytest.mark.parametrize(
    ("venue", "kind", "entry_type", "lines"),
    [
        (None, None, "misc", []),
        ("arXiv", "preprint", "misc", ["  howpublished = {arXiv},"]),
        ("arXiv preprint arXiv:2401.01234v2", None, "misc", [
            "  howpublished = {arXiv preprint arXiv:2401.01234v2},",
            "  eprint = {2401.01234v2},",
            "  archivePrefix = {arXiv},",
        ]),
        ("Proceedings of the 41st ICML", None, "inproceedings", [
            "  booktitle = {Proceedings of the 41st {ICML}},",
        ]),
        ("NeurIPS 2024", None, "inproceedings", ["  booktitle = {{NeurIPS} 2024},"]),
        ("Nature Machine Intelligence", "article", "article", [
            "  journal = {Nature Machine Intelligence},",
        ]),
    ],
)
def test_bibtex_entry_type_from_venue(
    venue: str | None, kind: str | None, entry_type: str, lines: list[str]
) -> None:
    entry = export([make_paper(title="x", venue=venue, kind=kind, year=2024)], "bibtex")
    assert entry == "\n".join(
        [f"@{entry_type}{{anon2024x,", "  title = {x},", "  year = {2024},", *lines, "}", ""]
    )


def test_citation_keys_are_unique_and_do_not_depend_on_list_order() -> None:
    papers = [
        make_paper(id="c", title="The Merging of Models", authors=("Jörg Müller",), year=2024, date="2024-03-01"),
        make_paper(id="b", title="Merging, again", authors=("Anna Muller",), year=2024, date="2024-01-01"),
        make_paper(id="a", title="merging?", authors=("Müller, Jörg",), year=2024),
        make_paper(id="d", title="On merging", authors=("李 Li",), year=2024),
        make_paper(id="e", title="Merging", year=2024),
        make_paper(id="f", title="A Merging", authors=("王",)),
    ]
    # Clashing keys take a, b, c by date (none first), then id; folded to ASCII, stop words skipped.
    assert citation_keys(papers) == [
        "muller2024mergingc", "muller2024mergingb", "muller2024merginga",
        "li2024merging", "anon2024merging", "anonmerging",
    ]
    assert citation_keys(papers[::-1]) == citation_keys(papers)[::-1]


def test_citation_key_suffixes_skip_keys_already_taken_and_go_past_z() -> None:
    clash = [make_paper(id=f"{i:02}", title="Merging", authors=("Li",), year=2024) for i in range(28)]
    taken = make_paper(id="zz", title="Merginga", authors=("Li",), year=2024)
    keys = citation_keys([taken, *clash])
    assert keys[0] == "li2024merginga"
    assert keys[1:4] == ["li2024mergingb", "li2024mergingc", "li2024mergingd"]
    assert keys[-2:] == ["li2024mergingab", "li2024mergingac"]
    assert len(set(keys)) == 29


# --- Markdown -----------------------------------------------------------------------------------


def test_markdown_of_seed_papers(seed_library) -> None:
    papers = [seed_paper(seed_library, TABLE_TO_TEXT), seed_paper(seed_library, SPARTA)]
    assert export(papers, "markdown", {papers[0].id: "cite in *related work* [1]"}) == (
        f"- **{TABLE_TO_TEXT}** — Zhenyi Wang, Xiaoyang Wang, Bang An et al. (2020).\n"
        "  Note: cite in \\*related work\\* \\[1\\]\n"
        "  > Text generation from a knowledge base aims to translate knowledge triples to natural "
        "language descriptions. Most existing methods ignore the faithfulness between a generated text "
        "description and the…\n"
        f"- **{SPARTA}** (title derived from the abstract) — Yequan Wang et al. (2026).\n"
        "  Links: <https://github.com/Xnhyacinth/SpaRTA>\n"
        "  > Continual Learning (CL) for Large Language Models (LLMs) faces a fundamental "
        "Stability-Plasticity Dilemma: balancing the plasticity to acquire new capabilities with the "
        "stability to preserve prior…\n"
    )


def test_markdown_of_a_preprint_names_the_venue(seed_library) -> None:
    first_line = export([seed_paper(seed_library, E_PMQ)], "markdown").splitlines()[0]
    assert first_line == (
        f"- **{E_PMQ}** — Wenjun Wang, Yanggan Gu, Shuo Cai, Yuanyi Wang et al. (2026). *arXiv*."
    )


def test_markdown_hostile_text_renders_as_written() -> None:
    text = export([HOSTILE], "markdown", {"evil": "<img src=x onerror=alert(1)> &amp; **x**\n# heading"})
    assert text.splitlines()[0] == (
        "- **Evil } @misc{x, title={y}, 50% & \\$5 #1 a\\_b ^c \\~d \\\\e { --- \\`\\`q'' ?\\` "
        "\\[bold\\]b\\[/bold\\] red \\[x\\](javascript:alert(1)) \\<script>s\\</script>** "
        "— Smith, John, Tom and Jerry, Ann {Lee} et al. (2024). *Proc. of {ICML} & co*."
    )
    assert "\x1b" not in text
    html = MarkdownIt("gfm-like").use(dollarmath_plugin).render(text)
    for tag in ("<a ", "<script", "<img", "<code>", "<s>", "<del>", "<h1", "math"):
        assert tag not in html
    assert html.count("<strong>") == html.count("<em>") == 1  # the title and the venue
    assert "[x](javascript:alert(1)) &lt;script&gt;s&lt;/script&gt;" in html
    assert "&amp;amp; **x** # heading" in html


# --- CSV ----------------------------------------------------------------------------------------


def test_csv_reads_back_with_the_csv_module(seed_library) -> None:
    papers = seed_library.papers
    table = export(papers, "csv", {seed_paper(seed_library, TABLE_TO_TEXT).id: "line one\nline, \"two\""})
    rows = list(csv.reader(io.StringIO(table, newline="")))
    assert rows[0] == [
        "id", "title", "title_is_derived", "authors", "year", "date", "category", "venue", "kind",
        "has_code", "links", "note", "abstract",
    ]
    assert len(rows) == 129
    assert [r[1] for r in rows[1:]] == [p.title for p in papers]
    paper = seed_paper(seed_library, TABLE_TO_TEXT)
    assert rows[1 + papers.index(paper)] == [
        paper.id, TABLE_TO_TEXT, "false", "Zhenyi Wang; Xiaoyang Wang; Bang An; et al.", "2020",
        "2020-05-03", "CL", "", "", "false", "", "line one\nline, \"two\"", TABLE_TO_TEXT_ABSTRACT,
    ]
    sparta = rows[1 + papers.index(seed_paper(seed_library, SPARTA))]
    assert sparta[1:6] == [SPARTA, "true", "Yequan Wang; et al.", "2026", "2026"]
    assert sparta[10] == "https://github.com/Xnhyacinth/SpaRTA"


def test_csv_cells_cannot_start_a_formula() -> None:
    paper = make_paper(
        title="=HYPERLINK(\"http://x\",\"y\")", authors=("+cmd|' /C calc'!A0", "@SUM(1)"),
        venue="-2+3", category="\tLG", abstract="=1+1",
    )
    (row,) = list(csv.reader(io.StringIO(export([paper], "csv", {"p0": "@me"}), newline="")))[1:]
    assert row == [
        "p0", "'=HYPERLINK(\"http://x\",\"y\")", "false", "'+cmd|' /C calc'!A0; @SUM(1)", "", "",
        "LG", "'-2+3", "", "false", "", "'@me", "'=1+1",
    ]


# --- JSON ---------------------------------------------------------------------------------------


def test_json_reads_back(seed_library) -> None:
    papers = seed_library.papers
    sparta = seed_paper(seed_library, SPARTA)
    text = export(papers, "json", {sparta.id: "ünïcode note"})
    assert "fundamental…" in text and "ünïcode note" in text  # not \u escaped
    records = json.loads(text)
    assert len(records) == 128
    for record, paper in zip(records, papers):
        note = "ünïcode note" if paper.id == sparta.id else None
        assert record == {**paper.to_json(), "links": list(find_links(paper.abstract)), "note": note}
        assert list(record) == [f.name for f in dataclasses.fields(Paper)] + ["links", "note"]


def test_json_escapes_what_a_terminal_would_act_on() -> None:
    title = "a\x9b31mb\x1b[0m\u202eevil\x7f"
    text = export([make_paper(title=title)], "json", {"p0": "\x9d0;title\x07"})
    assert all(c not in text for c in "\x9b\x1b\u202e\x7f\x9d\x07")
    (record,) = json.loads(text)
    assert (record["title"], record["note"]) == (title, "\x9d0;title\x07")


# --- citation line ------------------------------------------------------------------------------


def test_citation_lines(seed_library) -> None:
    def cite(title: str) -> str:
        return citation(seed_paper(seed_library, title))

    assert cite(E_PMQ) == f"Wang, W., Gu, Y., Cai, S. and others (2026). {E_PMQ}. arXiv."
    assert cite(TABLE_TO_TEXT) == f"Wang, Z., Wang, X., An, B. and others (2020). {TABLE_TO_TEXT}."
    assert cite("Location Augmentation for CNN") == (
        "Wang, Z. and Veksler, O. (2018). Location Augmentation for CNN."
    )
    assert cite(SPARTA) == f"Wang, Y. and others (2026). {SPARTA} (title derived from the abstract)."
    assert cite("Quotation extraction aims to extract quotations from written text") == (
        "Wang, Y. and others (2022). Quotation extraction aims to extract quotations from written text "
        "(title derived from the abstract)."
    )
    assert cite("PA&DA: Jointly Sampling PAth and DAta for Consistent NAS") == (
        "PA&DA: Jointly Sampling PAth and DAta for Consistent NAS (2023)."
    )


def test_citation_of_unusual_names_and_missing_fields() -> None:
    paper = make_paper(
        title="Why?", authors=("Jia-Hao Li", "Müller, Jörg", "Plato"), venue="ICML", year=None,
    )
    assert citation(paper) == "Li, J.-H., Müller, J. and Plato (n.d.). Why? ICML."
    assert citation(make_paper(title="Solo\n\x1b[31mwork", authors=("Ann B. Carter",), year=2020)) == (
        "Carter, A. B. (2020). Solo work."
    )
