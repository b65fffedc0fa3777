"""Line handling shared by the page parsers."""

from __future__ import annotations

from store.text import display_lines


def page_lines(text: str) -> list[str]:
    """The page as stripped lines: BOM dropped, CRLF/CR folded, controls removed, spaces collapsed.

    Blank lines are kept (as "") because several formats use them as separators.
    """
    return display_lines(text.lstrip("\ufeff"))


def non_blank(lines: list[str]) -> list[str]:
    return [line for line in lines if line]


def page_rows(text: str) -> list[str]:
    """The page's non-blank lines: what every format detects and parses."""
    return non_blank(page_lines(text))
