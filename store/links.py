"""Web links mentioned in an abstract (code repositories, project pages), safe to open.

Only http(s) URLs are ever returned: a link is opened in a browser with one key, so a page must
not be able to smuggle in `javascript:`, `file:` or a terminal escape sequence.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

# Characters that end a URL in prose: whitespace, quotes, angle and square brackets, braces
# (`\href{url}{text}` leaves `url{text}` behind), backslash, caret, backtick, pipe, controls.
_URL_CHAR = r"""[^\s<>"'{}\[\]\\^`|\x00-\x1f\x7f-\x9f]"""
_URL = re.compile(
    rf"(?<![\w.+\-/@])(?:(?P<scheme>https?)://{_URL_CHAR}+"
    rf"|(?P<bare>(?:www\.)?(?:github\.com|gitlab\.com|huggingface\.co)/{_URL_CHAR}+))",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?*…。，、；："
_CLOSING = {")": "(", "]": "[", "”": "“", "’": "‘", "»": "«"}


def find_links(text: str) -> tuple[str, ...]:
    """The http(s) URLs in `text`, in order of appearance, each once.

    Bare `github.com/...`, `gitlab.com/...` and `huggingface.co/...` get `https://`. Sentence
    punctuation after a URL and a closing bracket that the URL did not open are left out.
    """
    found: dict[str, None] = {}
    for match in _URL.finditer(text):
        url = _trim(_cut_at_invisible(match[0]))
        if match["bare"]:
            url = "https://" + url
        else:
            scheme, rest = url.split(":", 1)
            url = scheme.lower() + ":" + rest
        if _has_host(url):
            found.setdefault(url, None)
    return tuple(found)


def _cut_at_invisible(url: str) -> str:
    """Up to the first format, separator or control character (zero-width spaces, bidi marks)."""
    for i, char in enumerate(url):
        if unicodedata.category(char)[0] in "CZ":
            return url[:i]
    return url


def _trim(url: str) -> str:
    """Drop trailing punctuation, and closing brackets that have no opening one in the URL."""
    while url:
        last = url[-1]
        if last in _TRAILING:
            url = url[:-1]
        elif last in _CLOSING and url.count(last) > url.count(_CLOSING[last]):
            url = url[:-1]
        else:
            break
    return url


def _has_host(url: str) -> bool:
    try:
        host = urlsplit(url).hostname
    except ValueError:  # e.g. an invalid port or bracketed host
        return False
    return bool(host) and any(c.isalnum() for c in host)
