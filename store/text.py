"""Text hygiene for untrusted page text: sanitising, LaTeX to Unicode, normalised keys.

Everything a page says is sanitised on its way into the store, by :func:`display_lines` (then
:func:`clean_page_text`), :func:`clean` or :func:`clean_line`, so nothing downstream ever sees
terminal control sequences or bidi overrides.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Control strings (OSC, DCS, SOS, PM, APC) run to a terminator: ESC-introduced ones to BEL, ST
# or the end of the line; C1-introduced ones only when terminated (mojibake has lone C1s). A
# payload longer than MAX_CONTROL_STRING is not taken as one: only its introducer goes.
MAX_CONTROL_STRING = 4096
_STRING_INTRO = re.compile(r"\x1b[\]PX^_]|[\x90\x9d\x98\x9e\x9f]")
_STRING_END = re.compile(r"\x07|\x1b\\|\x9c|\n")
# Then CSI (ESC [ ... final), C1 CSI, and two-character escapes (ESC followed by one byte).
_ESCAPE_SEQUENCE = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]                      # CSI
    | \x9b[0-?]*[ -/]*[@-~]                      # C1 CSI
    | \x1b[ -~]?                                 # any other escape
    """,
    re.VERBOSE,
)
# C0 controls but tab and newline, DEL, C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidirectional embeddings, overrides and isolates: they reorder what the terminal shows.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Every character any of those patterns starts with or removes.
_UNSAFE_CHARS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[{_UNSAFE_CHARS}]")
_ODD_SPACE_CHARS = r"\t\u00a0\u2000-\u200a\u202f\u205f\u3000"  # what _SPACES changes, but "  "
_SPACES = re.compile(f"[ {_ODD_SPACE_CHARS}]+")
_ODD_SPACE = re.compile(f"[{_ODD_SPACE_CHARS}]")
# What sanitize or normalize_spaces would change in a text, but runs of plain spaces.
_UNSAFE_OR_ODD_SPACE = re.compile(f"[{_UNSAFE_CHARS}{_ODD_SPACE_CHARS}]")
# What sanitize removes from ASCII text: C0 controls but tab and newline (ESC among them), DEL.
_ASCII_CONTROLS = bytes([*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F])


def sanitize(text: str) -> str:
    """Remove terminal escape sequences, control characters and bidi overrides.

    Newlines and tabs survive; carriage returns become newlines first so CRLF input stays readable.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii():
        # The common case, checked at C speed: no escape, no control, and bidi marks are not ASCII.
        raw = text.encode("ascii")
        if len(raw.translate(None, _ASCII_CONTROLS)) == len(raw):
            return text
    elif not _UNSAFE.search(text):
        return text  # one scan finds nothing any of the four passes below would remove
    text = _ESCAPE_SEQUENCE.sub("", _strip_control_strings(text))
    text = _CONTROL.sub("", text)
    return _BIDI.sub("", text)


def _strip_control_strings(text: str) -> str:
    """Replace OSC/DCS/SOS/PM/APC strings by NUL (removed with the other controls), in linear time.

    A regex with a bounded lazy payload rescans up to MAX_CONTROL_STRING characters for every
    introducer, so a page of three million unterminated `ESC ]` took minutes. Here the next
    terminator is found once and reused by every introducer before it.
    """
    if "\x1b" not in text and text.isascii():
        return text
    kept: list[str] = []
    copied = 0  # text[:copied] is dealt with
    search_from = 0
    end: re.Match[str] | None = None
    end_at = -1  # where `end` starts (len(text) if there is no terminator)
    while intro := _STRING_INTRO.search(text, search_from):
        start, body = intro.span()
        if end_at < body:
            end = _STRING_END.search(text, body)
            end_at = end.start() if end else len(text)
        # Ended by BEL or ST: removed with its terminator. By a newline or the end of the text:
        # removed up to there (the newline stays), but only if ESC introduced it.
        stop = end.end() if end is not None and end[0] != "\n" else None
        if end_at - body > MAX_CONTROL_STRING or (stop is None and text[start] != "\x1b"):
            search_from = body  # not a string: the introducer alone is dealt with later
            continue
        kept.append(text[copied:start])
        kept.append("\x00")  # keeps an ESC before the string from joining the text after it
        copied = search_from = end_at if stop is None else stop
    kept.append(text[copied:])
    return "".join(kept)


def _is_plain(text: str) -> bool:
    """Whether sanitising and collapsing whitespace leave `text` as it is, checked at C speed.

    A printable text has no control character, bidi mark or whitespace other than " " (all are
    Unicode "Other" or "Separator"); then only runs of spaces and spaces at the ends remain.
    """
    return text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """Words for a count: `1 paper`, `2 papers`; `plural` where adding an s is wrong (`1 match`,
    `2 matches`)."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def clean_line(text: str) -> str:
    """A single line of display text: sanitised, whitespace collapsed to single spaces, stripped."""
    if _is_plain(text):
        return text
    return " ".join(sanitize(text).split())


def clean(text: str) -> str:
    """A paragraph of display text: sanitised, LaTeX rendered, whitespace collapsed, stripped."""
    if _is_plain(text):
        return _render_collapsed(text)
    return " ".join(latex_to_unicode(sanitize(text)).split())  # str.split's whitespace is re's \s


# The whitespace display_lines leaves in a line: no control, and not among the spaces it collapses.
_LINE_KEPT_WHITESPACE = "\u1680\u2028\u2029"


def clean_page_text(text: str) -> str:
    """clean() for page text: a line of display_lines(), or several joined by single spaces.

    Such text is sanitised already and has no whitespace to collapse (but for three rare
    characters), so the checks clean makes on any text, a third of its time, are left out.
    """
    if not text.isascii() and any(char in text for char in _LINE_KEPT_WHITESPACE):  # `in` beats a regex 8x
        return clean(text)
    return _render_collapsed(text)


def _render_collapsed(text: str) -> str:
    """LaTeX rendered in text whose whitespace is collapsed; collapsed again only if it changed."""
    rendered = latex_to_unicode(text)
    return text if rendered is text else " ".join(rendered.split())  # most text has no LaTeX


def normalize_spaces(line: str) -> str:
    """Collapse horizontal whitespace (tabs, non-breaking spaces) to single spaces and strip."""
    if "  " not in line and not _ODD_SPACE.search(line):
        return line.strip()  # nothing to collapse: a search is much faster than the sub
    return _SPACES.sub(" ", line).strip()


def display_lines(text: str) -> list[str]:
    """The lines of `text`, each sanitised and normalize_spaces()d.

    One scan of the whole text finds nothing to remove and no odd space on most pages, which
    then need no per-line regex at all.
    """
    if _UNSAFE_OR_ODD_SPACE.search(text):
        return [normalize_spaces(line) for line in sanitize(text).split("\n")]
    if "  " not in text:
        return [line.strip() for line in text.split("\n")]
    return [_SPACES.sub(" ", line).strip() if "  " in line else line.strip() for line in text.split("\n")]


# --- LaTeX -------------------------------------------------------------------------------------

MAX_LATEX_CHARS = 20_000
# Patterns below start with a literal and put any "not escaped" lookbehind after it, `\$(?<!\\\$)`
# for `(?<!\\)\$`: the regex engine then skips to candidate characters at C speed instead of
# trying the lookbehind at every position (several times faster on an abstract).
_LATEX_HINT = re.compile(r"\\[A-Za-z%&_#${}]|-(?<!--)-(?!-)|---")
_DOUBLE_DASH = re.compile("--")  # found twice as fast as by `in`, hyphens being common


def _looks_like_latex(text: str) -> bool:
    if "\\" not in text and "$" not in text and not _DOUBLE_DASH.search(text):
        return False  # nothing the hint or the dollar count could find, without a regex scan
    return bool(_LATEX_HINT.search(text)) or (text.count("$") >= 2 and text.count("$") % 2 == 0)


@lru_cache(maxsize=1)
def _latex_tools():  # type: ignore[no-untyped-def]
    """The walker's context (which macros take arguments) and the converter to Unicode.

    Imported lazily: pylatexenc costs ~50 ms to import and most text has no LaTeX at all.
    """
    from pylatexenc.latex2text import (
        LatexNodes2Text,
        MacroTextSpec,
        get_default_latex_context_db,
    )
    from pylatexenc.latexwalker import get_default_latex_context_db as get_walker_context_db
    from pylatexenc.macrospec import MacroSpec

    walker_context = get_walker_context_db()
    walker_context.add_context_category("paperscope", prepend=True, macros=[MacroSpec("href", "{{")])
    text_context = get_default_latex_context_db()
    text_context.add_context_category(
        "paperscope",
        prepend=True,
        macros=[
            MacroTextSpec("url", simplify_repl="%(1)s"),
            MacroTextSpec("href", simplify_repl="%(2)s (%(1)s)"),
        ],
    )

    class VerbatimUnknownMacros(LatexNodes2Text):
        """Keeps macros it does not know (an author's `\\ourmethod`) as written, not dropped."""

        def macro_node_to_text(self, node):  # type: ignore[no-untyped-def]
            if self.latex_context.get_macro_spec(node.macroname) is None:
                return node.latex_verbatim()
            return super().macro_node_to_text(node)

    converter = VerbatimUnknownMacros(
        latex_context=text_context, math_mode="text", strict_latex_spaces="macros"
    )
    return walker_context, converter


_MATH = re.compile(r"\$(?<!\\\$)([^$]*)\$")
_BARE_PERCENT = re.compile(r"%(?<!\\%)")
_BARE_TILDE = re.compile(r"~(?<!\\~)")
_BARE_DOLLAR = re.compile(r"\$(?<!\\\$)")


def _escape_prose(text: str) -> str:
    """Escape what is prose in an abstract but special to LaTeX.

    A bare `%` or `~` is prose ("50% faster", "~4x"), not a comment or a tie. Dollar signs are
    prices unless every `$...$` pair looks like maths (no space just inside the dollars).
    """
    if "%" in text:
        text = _BARE_PERCENT.sub(r"\\%", text)
    if "~" in text:
        text = _BARE_TILDE.sub(r"\\textasciitilde{}", text)
    if "$" in text:
        pairs = _MATH.findall(text)
        if text.count("$") % 2 or any(not p or p != p.strip() for p in pairs):
            text = _BARE_DOLLAR.sub(r"\\$", text)
    return text


# Macros and maths need pylatexenc; dashes and escaped symbols alone do not (and are most cases).
_NEEDS_PARSER = re.compile(r"\\[A-Za-z]|\$(?<!\\\$)")
_PUNCTUATION = re.compile(r"---|--|``|''|\\([%&_#${}])|\\textasciitilde\{\}")
_PUNCTUATION_TEXT = {"---": "—", "--": "–", "``": "“", "''": "”"}


def _render_punctuation(text: str) -> str:
    """Dashes, TeX quotes and escaped symbols (`\\%`) as pylatexenc renders them, unparsed."""
    return _PUNCTUATION.sub(lambda m: m[1] or _PUNCTUATION_TEXT.get(m[0], "~"), text)


def latex_to_unicode(text: str) -> str:
    """Render the LaTeX that abstracts carry (`\\emph{}`, `$11\\times$`, `--`) as Unicode.

    Text without LaTeX is returned unchanged, and so is text pylatexenc cannot parse, and text
    over MAX_LATEX_CHARS (ten times the longest arXiv abstract): pylatexenc takes ~15 µs a
    character, so a hostile 10 MB line of `$x$` would take minutes.
    """
    if len(text) > MAX_LATEX_CHARS or not _looks_like_latex(text):
        return text
    if not _NEEDS_PARSER.search(text):
        return _render_punctuation(text)
    escaped = _escape_prose(text)
    # Only the macros and maths go through pylatexenc (~15 µs a character); prose between them
    # is rendered directly, which keeps a 2,000-character abstract with one \\emph{} cheap.
    pieces: list[str] = []
    end = 0
    for span in _LATEX_SPAN.finditer(escaped):
        pieces.append(_render_punctuation(escaped[end : span.start()]))
        pieces.append(_render_span(span.group(0)))
        end = span.end()
    pieces.append(_render_punctuation(escaped[end:]))
    return "".join(pieces)


# A maths span, or a macro with its braced arguments (one level of nested braces).
_LATEX_SPAN = re.compile(r"\$(?<!\\\$)[^$]*(?<!\\)\$|\\[A-Za-z]+\*?(?:\{(?:[^{}]|\{[^{}]*\})*\})*")


@lru_cache(maxsize=4096)  # spans recur ($\times$, \emph{...}); pylatexenc is slow
def _render_span(span: str) -> str:
    from pylatexenc.latexwalker import LatexWalker

    walker_context, converter = _latex_tools()
    try:
        nodes, _, _ = LatexWalker(span, latex_context=walker_context).get_latex_nodes()
        return converter.nodelist_to_text(nodes)
    except Exception:  # pylatexenc's parser errors are many and undocumented: keep the text.
        return span


# --- keys for matching -------------------------------------------------------------------------


_COMBINING_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Case-, accent- and width-insensitive form of a text, for matching and searching."""
    if text.isascii():
        return text.lower()  # the common case, and 50x faster than normalising
    return _COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", text)).casefold()


_NON_ALNUM = re.compile(r"[\W_]+")
_ASCII_NON_ALNUM = bytes(b for b in range(128) if not chr(b).isalnum())  # \W and _ in ASCII


@lru_cache(maxsize=1 << 16)  # the same names recur on thousands of papers
def name_key(name: str) -> str:
    """Identity of a person's name regardless of case, spacing, dots and accents."""
    return " ".join(_NON_ALNUM.sub(" ", fold(name)).split())


def title_key(title: str) -> str:
    """Identity of a title regardless of case, punctuation and spacing."""
    folded = fold(title)
    if folded.isascii():
        return folded.encode("ascii").translate(None, _ASCII_NON_ALNUM).decode("ascii")
    return _NON_ALNUM.sub("", folded)


def derive_title(abstract: str, max_chars: int = 90) -> str:
    """A display title made from an abstract's first sentence, cut at a word boundary."""
    text = abstract.strip()
    match = re.search(r"(?<=[.!?])\s", text)
    sentence = text[: match.start()] if match else text
    sentence = sentence.rstrip(".!? ")
    if len(sentence) <= max_chars:
        return sentence
    cut = sentence[:max_chars].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"
