"""Text hygiene: terminal escapes out, LaTeX rendered, keys for matching, derived titles, dates."""

from __future__ import annotations

import re
import sys
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store import text as text_module

from store.dates import parse_date, resolve
from store.text import (
    clean,
    clean_line,
    derive_title,
    fold,
    latex_to_unicode,
    name_key,
    normalize_spaces,
    sanitize,
    title_key,
)

CAPTURED = date(2026, 11, 23)


# --- sanitize -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("copy\x1b]52;c;ZWNobyBwd25lZA==\x07me", "copyme"),  # OSC 52 clipboard write
        ("\x1b]52;c;ZWNobw==\x1b\\after", "after"),  # OSC 52 ended by ST
        ("\x1b]0;pwned title\x07Paper", "Paper"),  # OSC 0 window title
        ("\x1b[2Jcleared", "cleared"),  # CSI clear screen
        ("\x1b[31;1mred\x1b[0m", "red"),  # SGR colours
        ("\x9b2Jc1 csi", "c1 csi"),  # C1 CSI
        ("\x9d0;title\x07x", "x"),  # C1 OSC
        ("\x1b]8;;https://evil\x1b\\link\x1b]8;;\x1b\\", "link"),  # hyperlink
        ("abc\u202edcba", "abcdcba"),  # right-to-left override
        ("\u2066iso\u2069late", "isolate"),  # bidi isolates
        ("bell\x07 back\x08space del\x7f", "bell backspace del"),
        ("lines\nand\ttabs", "lines\nand\ttabs"),
        ("crlf\r\nand\rcr", "crlf\nand\ncr"),
        ("unterminated \x1b]0;title", "unterminated "),
        ("plain text, “quotes” and café", "plain text, “quotes” and café"),
    ],
)
def test_sanitize(raw: str, safe: str) -> None:
    assert sanitize(raw) == safe


def test_clean_line_and_clean() -> None:
    assert clean_line("  a \n b\t\tc \x1b[2J ") == "a b c"
    assert clean("The \\emph{merged}\n  model is $11\\times$ faster\x1b]0;x\x07.") == "The merged model is 11× faster."
    assert normalize_spaces("\ta\u00a0 b\u3000c ") == "a b c"


# --- LaTeX ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        ("\\emph{x}", "x"),
        ("$11\\times$", "11×"),
        ("$O(n^4)$", "O(n^4)"),
        ("\\url{https://a.b/c}", "https://a.b/c"),
        ("a -- b", "a – b"),
        ("a --- b", "a — b"),
        ("50% of it", "50% of it"),
        ("50\\% and \\emph{y}", "50% and y"),
        ("\\textbf{bold} and \\textit{it}", "bold and it"),
        ("\\ourmethod beats the baselines", "\\ourmethod beats the baselines"),
        ("up to 50% faster with \\emph{fewer} reads", "up to 50% faster with fewer reads"),
        ("~4x with \\emph{z}", "~4x with z"),
        ("no LaTeX at all - just a dash", "no LaTeX at all - just a dash"),
        ("trade-off, state-of-the-art", "trade-off, state-of-the-art"),
    ],
)
def test_latex_to_unicode(latex: str, text: str) -> None:
    assert latex_to_unicode(latex) == text


def test_text_without_latex_is_returned_as_is() -> None:
    text = "A 100% {curly} plain_text [x] abstract"
    assert latex_to_unicode(text) is text


# --- keys -----------------------------------------------------------------------------------------


def test_fold() -> None:
    assert fold("Yuanyí WANG") == "yuanyi wang"
    assert fold("Ｆｕｌｌｗｉｄｔｈ") == "fullwidth"
    assert fold("Straße") == "strasse"
    assert fold("Ångström") == "angstrom"


@pytest.mark.parametrize("variant", ["Yuanyi Wang", "  yuanyi   WANG ", "Yuanyí Wang", "YUANYI-WANG", "yuanyi.wang", "Yuanyi\u00a0Wang"])
def test_name_key(variant: str) -> None:
    assert name_key(variant) == "yuanyi wang"


def test_name_key_keeps_name_order_and_initials() -> None:
    assert name_key("J. Émile Zola") == "j emile zola"
    assert name_key("Wang Yuanyi") != name_key("Yuanyi Wang")


def test_title_key() -> None:
    key = "adamergingadaptivemodelmergingformultitasklearning"
    assert title_key("AdaMerging: Adaptive Model Merging for Multi-Task Learning") == key
    assert title_key("adamerging -- adaptive model merging for multi task learning.") == key
    assert title_key("AdaMerging: Adaptive Model Merging for Multi-Task Learning II") != key


# --- derived titles -------------------------------------------------------------------------------


def test_derive_title_long_first_sentence() -> None:
    abstract = (
        "Large language models internalize enormous parametric knowledge during pre-training, "
        "yet realistic applications necessitate external contextual knowledge to aid the models. "
        "Second sentence."
    )
    title = derive_title(abstract)
    assert title == "Large language models internalize enormous parametric knowledge during pre-training, yet…"
    assert title.endswith("…")
    assert len(title) <= 91


def test_derive_title_short_first_sentence() -> None:
    assert derive_title("Comparative opinion is a common linguistic phenomenon. The opinion is…") == (
        "Comparative opinion is a common linguistic phenomenon"
    )
    assert derive_title("Why merge? Because.") == "Why merge"
    assert derive_title("  One sentence only  ") == "One sentence only"


def test_derive_title_one_long_word() -> None:
    title = derive_title("x" * 200)
    assert len(title) <= 91
    assert title.endswith("…")


# --- dates ----------------------------------------------------------------------------------------


def test_resolve_infers_the_most_recent_year() -> None:
    assert resolve(5, 28, None, CAPTURED) == ("2026-05-28", True)
    assert resolve(12, 25, None, CAPTURED) == ("2025-12-25", True)
    assert resolve(11, 23, None, CAPTURED) == ("2026-11-23", True)  # the capture day itself
    assert resolve(11, 24, None, CAPTURED) == ("2025-11-24", True)


def test_resolve_leap_day() -> None:
    assert resolve(2, 29, None, date(2026, 3, 1)) == ("2024-02-29", True)
    assert resolve(2, 29, None, date(2024, 2, 29)) == ("2024-02-29", True)
    assert resolve(2, 29, 2025, CAPTURED) is None
    assert resolve(2, 30, None, CAPTURED) is None


def test_resolve_stated_year() -> None:
    assert resolve(7, 16, 2023, CAPTURED) == ("2023-07-16", False)
    assert resolve(12, 31, 2030, CAPTURED) == ("2030-12-31", False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jul 16, 2023", ("2023-07-16", False)),
        ("May 28", ("2026-05-28", True)),
        ("Dec 25", ("2025-12-25", True)),
        ("Sept 3", ("2026-09-03", True)),
        ("May 28 2025", ("2025-05-28", False)),
        ("  jan 8  ", ("2026-01-08", True)),
        ("Feb 30", None),
        ("hello", None),
        ("2026", None),
    ],
)
def test_parse_date(text: str, expected: tuple[str, bool] | None) -> None:
    assert parse_date(text, CAPTURED) == expected


def test_href_renders_its_text_and_keeps_the_rest_of_the_latex() -> None:
    assert latex_to_unicode(r"see \href{http://x.y}{the code} and \emph{z}") == "see the code (http://x.y) and z"


def test_dollar_prices_are_prose_not_maths() -> None:
    assert latex_to_unicode("costs $5 and $6 -- ok") == "costs $5 and $6 – ok"
    assert latex_to_unicode(r"up to $11\times$ and $O(n^4)$") == "up to 11× and O(n^4)"


def test_a_stray_c1_string_starter_removes_only_itself() -> None:
    # U+009D is common in mojibake ("”" read as Latin-1); unterminated, it must not eat the page.
    assert sanitize("first\x9d line\nsecond line") == "first line\nsecond line"
    assert sanitize("a \x1b]0;title\x07b\nnext \x1b]0;cut\nkept") == "a b\nnext \nkept"


def test_punctuation_only_latex_renders_without_the_parser_as_the_parser_would() -> None:
    text = "a -- b --- c ``quoted'' 50\\% \\& d"
    assert latex_to_unicode(text) == "a – b — c “quoted” 50% & d"


def test_printable_text_has_nothing_to_sanitize_or_collapse() -> None:
    """clean and clean_line pass printable text through unsanitised: nothing sanitize removes,
    and no whitespace but " ", may be printable (they are Unicode "Other" or "Separator")."""
    unsafe = re.compile(f"[{text_module._UNSAFE_CHARS}]")
    for char in map(chr, range(sys.maxunicode + 1)):
        if char.isprintable():
            assert char == " " or not (char.isspace() or unsafe.match(char)), hex(ord(char))


# Each pattern was first written with its lookbehind in front; the rewrites put a literal first
# so that the regex engine can skip ahead. They must match exactly where the originals did.
REFERENCE_PATTERNS = {
    "_LATEX_HINT": r"\\[A-Za-z%&_#${}]|(?<!-)--(?!-)|---",
    "_MATH": r"(?<!\\)\$([^$]*)\$",
    "_BARE_PERCENT": r"(?<!\\)%",
    "_BARE_TILDE": r"(?<!\\)~",
    "_BARE_DOLLAR": r"(?<!\\)\$",
    "_NEEDS_PARSER": r"\\[A-Za-z]|(?<!\\)\$",
    "_LATEX_SPAN": r"(?<!\\)\$[^$]*(?<!\\)\$|\\[A-Za-z]+\*?(?:\{(?:[^{}]|\{[^{}]*\})*\})*",
}


@pytest.mark.parametrize("name", sorted(REFERENCE_PATTERNS))
def test_latex_patterns_match_where_their_references_do(name: str) -> None:
    pattern, reference = getattr(text_module, name), re.compile(REFERENCE_PATTERNS[name])

    @settings(max_examples=300, deadline=None, database=None)
    @given(st.lists(st.sampled_from(list("ab -$\\%~{}*Z\n")), max_size=30).map("".join))
    def check(text: str) -> None:
        found = [(m.span(), m.groups()) for m in pattern.finditer(text)]
        assert found == [(m.span(), m.groups()) for m in reference.finditer(text)]

    check()
