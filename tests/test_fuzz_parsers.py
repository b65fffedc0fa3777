"""The page parsers, fuzzed: any text in gives papers out or the parser's own ParseError.

Never another exception, never a hang, and whatever comes out is clean (no control characters,
no bidi overrides, well-formed dates) and survives the merge and the store's JSON round trip.
`--fuzz-examples N` runs N examples per property (the default keeps this file to seconds).
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from datetime import date

import orjson
import pytest
from conftest import SEEDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import text as text_module
from store.formats import FORMATS, detect_format, parse_page
from store.formats.common import page_rows
from store.merge import build_people, merge_papers
from store.model import ParseContext, ParsedPage, ParseError, SourcePage
from store.text import (
    clean,
    clean_line,
    clean_page_text,
    display_lines,
    latex_to_unicode,
    normalize_spaces,
    sanitize,
)

CONTEXT = ParseContext(captured=date(2026, 11, 23), known_names=frozenset({"zhenyi wang", "li shen"}))
SEED_TEXTS = {path.name[:3]: path.read_text(encoding="utf-8") for path in sorted(SEEDS.iterdir())}
SEED_LINES = {name: text.split("\n") for name, text in SEED_TEXTS.items()}
# Examples per property by default: a mutated seed page costs ~100 ms, random text ~1 ms.
DEFAULT_EXAMPLES = {"test_mutated_seeds": 30, "test_random_text": 300, "test_any_unicode": 300}

# Bits of the formats' own syntax and of hostile text, so random text reaches deep into parsers.
FRAGMENTS = [
    "\n", "\n\n", "\r\n", "\r", "\t", "\u00a0", "\ufeff", " ", ",", ", ", " et al.", ".", "·", "•",
    "  \u2022 7 authors", "\u00b7", "Jan 16, 2025 4", "May 28", "Feb 29, 2023", "Dec 31", "2026",
    "1999", "0000", "Researcher profile", "Published work", "preprint2026arXiv", "article2024",
    "Trust 21 - EmergingVerification L1Unclaimed author", "7works", "h-index33", "14papers",
    "40citations", "Novelty62%", "AI Score56", "82.5LGMay 28", "LGJul 16, 2023Code", "CLMay 20, 2025Code",
    "Daily Papers", "byAK and the research community", "Get trending papers in your email inbox!",
    "Zhenyi Wang, Li Shen et al.", "TitleZhenyi Wang", "$x$", "$", "\\emph{", "}", "{", "\\", "%", "~",
    "--", "\x1b]52;c;aGVsbG8=\x07", "\x1b]0;title", "\x1b[2J", "\x1b", "\x9b", "\x9d", "\x07", "\x1b\\",
    "\u202e", "\u2066", "\u200b", "\u2028", "\x85", "\x00", "[bold]", "[/]", "[@click=app.quit]",
    "中文标题", "😀", "עברית", "x" * 300,
]
TEXT_PIECE = st.one_of(st.text(max_size=20), st.sampled_from(FRAGMENTS))
RANDOM_TEXT = st.lists(TEXT_PIECE, max_size=40).map("".join)

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@st.composite
def mutated_seed(draw: st.DrawFn) -> str:
    """A seed page with lines deleted, duplicated, swapped, replaced or garbled, then maybe cut."""
    lines = list(SEED_LINES[draw(st.sampled_from(sorted(SEED_LINES)))])
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            lines.append("")
        i = draw(st.integers(0, len(lines) - 1))
        j = draw(st.integers(0, len(lines) - 1))
        operation = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "replace", "garble", "block"]))
        if operation == "delete":
            del lines[i]
        elif operation == "duplicate":
            lines.insert(j, lines[i])
        elif operation == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif operation == "insert":
            lines.insert(i, draw(RANDOM_TEXT))
        elif operation == "replace":
            lines[i] = draw(RANDOM_TEXT)
        elif operation == "garble":  # random text inside a line: a header, a name list, a date
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(RANDOM_TEXT) + lines[i][at:]
        else:  # a run of lines gone, as when a page is saved half-loaded
            del lines[min(i, j) : max(i, j) + 1]
    text = "\n".join(lines)
    if draw(st.booleans()):
        text = text[: draw(st.integers(0, len(text)))]
    return text


def check_page(page: ParsedPage, fmt_name: str) -> None:
    """What a parser returns is clean enough to store and show."""
    assert page.format == fmt_name
    assert isinstance(page.papers, tuple) and page.papers
    texts: list[str] = []
    if page.owner is not None:
        texts.append(page.owner.name)
        texts.extend(v for v in page.owner.fields.values() if isinstance(v, str))
    for paper in page.papers:
        texts.extend([paper.title, paper.abstract, *paper.authors])
        texts.extend(v for v in (paper.category, paper.venue, paper.kind) if v is not None)
        for value in (paper.date, page.page_date):
            assert value is None or ISO_DATE.match(value), value
        assert paper.author_count is None or paper.author_count >= 0
        assert paper.upvotes is None or paper.upvotes >= 0
    for text in texts:
        assert isinstance(text, str)
        assert not CONTROL.search(text), repr(text)


def store_and_merge(page: ParsedPage) -> None:
    """The page goes through the store's JSON and the merge without a traceback."""
    source = SourcePage("f.txt", "/f.txt", page.format, "0" * 64, "2026-11-23", page.owner, page.papers, page.page_date)
    again = SourcePage.from_json(orjson.loads(orjson.dumps(source.to_json())))
    assert again == source
    papers = merge_papers([source])
    build_people([source], papers)


def parse_everywhere(text: str, merge: bool = False) -> None:
    """Every format's parse, and the detected one through parse_page: papers or ParseError."""
    for fmt in FORMATS:
        try:
            page = fmt.parse(text, CONTEXT)
        except ParseError:
            continue
        check_page(page, fmt.NAME)
        if merge:
            store_and_merge(page)
    detected = detect_format(text)
    try:
        page = parse_page(text, CONTEXT)
    except ParseError:
        return
    assert detected is not None and page.format == detected.NAME


@pytest.fixture
def fuzz(request: pytest.FixtureRequest) -> Callable[[Callable[..., None]], Callable[..., None]]:
    examples = request.config.getoption("--fuzz-examples") or DEFAULT_EXAMPLES[request.node.originalname]
    return settings(
        max_examples=examples,
        deadline=None,  # time is bounded by the pathological-input tests below, not per example
        database=None,  # no .hypothesis directory in the repository
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )


def test_mutated_seeds(fuzz) -> None:  # type: ignore[no-untyped-def]
    @fuzz
    @given(mutated_seed())
    def check(text: str) -> None:
        parse_everywhere(text, merge=True)

    check()


def test_random_text(fuzz) -> None:  # type: ignore[no-untyped-def]
    @fuzz
    @given(RANDOM_TEXT)
    def check(text: str) -> None:
        parse_everywhere(text, merge=True)

    check()


def test_any_unicode(fuzz) -> None:  # type: ignore[no-untyped-def]
    @fuzz
    @given(st.text(max_size=2000))
    def check(text: str) -> None:
        parse_everywhere(text)

    check()


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.NAME)
def test_each_format_on_every_seed(fmt) -> None:  # type: ignore[no-untyped-def]
    """A parser handed any seed page (its own or another format's) returns or raises ParseError."""
    outcomes = {}
    for name, text in SEED_TEXTS.items():
        try:
            page = fmt.parse(text, CONTEXT)
        except ParseError as error:
            outcomes[name] = f"ParseError: {error}"
            continue
        check_page(page, fmt.NAME)
        outcomes[name] = len(page.papers)
    assert outcomes == EXPECTED_ON_SEEDS[fmt.NAME]


EXPECTED_ON_SEEDS = {
    "profile": {"000": 7, "001": "ParseError: no papers found", "002": "ParseError: no papers found",
                "003": "ParseError: no papers found", "004": "ParseError: no papers found"},
    "metrics_profile": {"000": "ParseError: no papers found", "001": 14, "002": "ParseError: no researcher name",
                        "003": "ParseError: no papers found", "004": "ParseError: no papers found"},
    # The feed's layout (title, then abstract, markers optional) fits most pages: it is only
    # ever chosen by detection, which looks for its chrome.
    "daily_feed": {"000": 25, "001": 32, "002": 56, "003": 14, "004": 52},
    "abstracts_by_year": {"000": "ParseError: abstract before any year", "001": "ParseError: abstract before any year",
                          "002": "ParseError: abstract before any year", "003": 21,
                          "004": "ParseError: abstract before any year"},
    "paper_list": {"000": "ParseError: expected an entry header", "001": "ParseError: expected an entry header",
                   "002": 37, "003": "ParseError: expected an entry header",
                   "004": "ParseError: expected an entry header"},
}


def test_sanitize_matches_the_reference_regex() -> None:
    """store.text strips control strings with a linear scanner; it must remove exactly what the
    simple (but, on hostile input, quadratic) regex it replaced removed."""
    reference = re.compile(
        r"""
        \x1b\[[0-?]*[ -/]*[@-~]
        | \x1b[\]PX^_][^\n]{0,4096}?(?:\x07|\x1b\\|\x9c|(?=\n)|$)
        | \x9b[0-?]*[ -/]*[@-~]
        | [\x90\x9d\x98\x9e\x9f][^\n]{0,4096}?(?:\x07|\x1b\\|\x9c)
        | \x1b[ -~]?
        """,
        re.VERBOSE | re.DOTALL,
    )

    def by_reference(text: str) -> str:
        text = reference.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
        return re.sub("[\u202a-\u202e\u2066-\u2069]", "", re.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", "", text))

    @settings(max_examples=500, deadline=None, database=None)
    @given(st.lists(st.sampled_from(list("\x1b]P_[\\\x07\x9c\x9d\x90\x9b\n\r a0;J\u202e")), max_size=30).map("".join))
    def check(text: str) -> None:
        assert sanitize(text) == by_reference(text)

    check()
    for length in (4095, 4096, 4097):
        for intro in ("\x1b]", "\x9d"):
            for end in ("\x07", "\x1b\\", "\n", ""):
                text = "a" + intro + "b" * length + end + "c"
                assert sanitize(text) == by_reference(text)



def test_display_lines_is_sanitize_then_normalize_spaces_line_by_line() -> None:
    """display_lines spares most pages any per-line regex after one scan of the whole text; it
    must give exactly what its line-by-line definition gives."""
    odd = st.lists(st.sampled_from(list("ab  \t\n\r\u00a0\u3000\u2028\u200b\x1b]\x07\x9b\u202e")), max_size=30)

    @settings(max_examples=500, deadline=None, database=None)
    @given(st.one_of(RANDOM_TEXT, odd.map("".join)))
    def check(text: str) -> None:
        assert display_lines(text) == [normalize_spaces(line) for line in sanitize(text).split("\n")]

    check()



def test_clean_and_clean_line_are_their_definitions() -> None:
    """Both return plain text without sanitising or splitting it; on any text they must give
    what sanitising, rendering LaTeX and collapsing whitespace give."""

    @settings(max_examples=500, deadline=None, database=None)
    @given(RANDOM_TEXT)
    def check(text: str) -> None:
        assert clean(text) == " ".join(latex_to_unicode(sanitize(text)).split())
        assert clean_line(text) == " ".join(sanitize(text).split())

    check()



def test_clean_page_text_is_clean_on_page_lines() -> None:
    """clean_page_text skips sanitising and collapsing for text of page lines; on any page, for
    a line or lines joined as the formats join them, it must give what clean gives."""

    @settings(max_examples=300, deadline=None, database=None)
    @given(st.one_of(RANDOM_TEXT, mutated_seed()), st.integers(0, 5), st.integers(1, 3))
    def check(text: str, start: int, count: int) -> None:
        rows = page_rows(text)
        for piece in (" ".join(rows[start : start + count]), *rows[:3]):
            assert clean_page_text(piece) == clean(piece)

    check()


def test_every_whitespace_left_in_a_page_line_is_known() -> None:
    """Besides single inner spaces, a page line keeps only the whitespace clean_page_text looks for."""
    for char in (c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()):
        for line in display_lines(f" a{char}{char}b {char}"):
            kept = [c for c in line if c.isspace() and c != " "]
            assert all(c in text_module._LINE_KEPT_WHITESPACE for c in kept), hex(ord(char))
            assert "  " not in line and line == line.strip(), hex(ord(char))


# --- pathological input: bounded time ------------------------------------------------------------

MB = 1_000_000
PATHOLOGICAL = {
    "one 10 MB line": lambda: "a" * (10 * MB),
    "one 10 MB line of words": lambda: "Wang, " * (10 * MB // 6),
    "1M blank lines": lambda: "\n" * MB,
    "a line of 1M commas": lambda: "," * MB,
    "1M unterminated OSC introducers": lambda: "\x1b]" * MB,
    "a 1 MB line of LaTeX maths": lambda: "$x$ " * (MB // 4),
}
LIMIT_SECONDS = 10.0  # each call; measured at most ~1 s on a 2-core machine


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_input_finishes(name: str) -> None:
    text = PATHOLOGICAL[name]()
    timings = {}
    started = time.perf_counter()
    detect_format(text)
    timings["detect"] = time.perf_counter() - started
    for fmt in FORMATS:
        started = time.perf_counter()
        try:
            page = fmt.parse(text, CONTEXT)
        except ParseError:
            pass
        else:
            check_page(page, fmt.NAME)
        timings[fmt.NAME] = time.perf_counter() - started
    slow = {step: round(seconds, 1) for step, seconds in timings.items() if seconds > LIMIT_SECONDS}
    assert slow == {}, f"{name}: {slow}"
