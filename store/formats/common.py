"""Line handling shared by the page parsers."""

from __future__ import annotations

from store.text import normalize_spaces, sanitize


def page_lines(text: str) -> list[str]:
    """The page as stripped lines: BOM dropped, CRLF/CR folded, controls removed, spaces collapsed.

    Blank lines are kept (as "") because several formats use them as separators.
    """
    text = sanitize(text.lstrip("\ufeff"))
    return [normalize_spaces(line) for line in text.split("\n")]


def non_blank(lines: list[str]) -> list[str]:
    return [line for line in lines if line]
