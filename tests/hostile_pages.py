"""One hostile page in each of the five formats (modelled on seeds/000..004), shared by
test_hostile_formats.py (the CLI) and test_hostile_pty.py (the browser in a real terminal).

Titles, author names, owner names and abstracts carry OSC 52 clipboard writes, OSC 0 title sets,
CSI and C1 CSI screen clears, bidi overrides and Textual/Rich markup. The sequences must never
reach a terminal; the markup must show as the literal text it is.
"""

from __future__ import annotations

from pathlib import Path

CLIPBOARD = "\x1b]52;c;cHduZWQ=\x07"  # OSC 52: write "pwned" to the clipboard
TITLE_SET = "\x1b]0;pwned-title\x07"  # OSC 0: set the window title
CLEAR = "\x1b[2J"  # CSI: clear the screen
C1_CLEAR = "\x9b2J"  # the same, with the 8-bit C1 CSI
RLO = "\u202e"  # right-to-left override
PDF = "\u202c"  # pop directional formatting

# No byte of an injected sequence may survive: ESC, C1 CSI, BEL, and the bidi controls.
FORBIDDEN = ("\x1b", "\x9b", "\x07", "\u202e", "\u202c")

PAGES = {
    "profile.txt": f"""Researcher profile

Mallory {TITLE_SET}Hacker

Mallory studies {CLEAR}terminals. [link=http://x]click me[/link]

ResearcherAffiliation not importedOpen to collaborate

Trust snapshot

Quick read

Trust 21 - EmergingVerification L1Unclaimed author
2works

Published work

2 published item(s)

preprint2026arXiv

[bold]Loud[/] Profile Title {CLIPBOARD}With Clipboard

An abstract with {CLEAR}a clear, {C1_CLEAR}a C1 clear, {RLO}reversed{PDF} text and [@click=app.quit]quit[/].

article2025

{RLO}Backwards Profile Title [link=http://x]link[/link]

Second abstract{TITLE_SET} here.
""",
    "metrics.txt": f"""Eve {TITLE_SET}Attacker

LG
h-index33
2papers
40citations

82.5LGMay 28
[bold]Metrics[/] Title {CLEAR}Cleared
Eve Attacker, [@click=app.quit]Click Me, Bob {CLIPBOARD}Builder et al.
Abstract {C1_CLEAR}with [link=http://x]link[/link] and {RLO}right to left.

60.1CVMay 20, 2025
Second {RLO}Metrics Paper
Eve Attacker
Plain abstract {CLIPBOARD}clip.
""",
    "list.txt": f"""LGJul 16, 2023Code
[bold]Listed[/] Title {CLEAR}HereZhenyi Wang, Mallory Hacker et al.
Abstract {CLIPBOARD}with {C1_CLEAR}and [@click=app.quit]x[/].
LGFeb 5, 2024
{RLO}Second Listed PaperZhenyi Wang, Eve Attacker
Another {TITLE_SET}abstract [link=http://x]here[/link].
""",
    "years.txt": f"""Yvonne {TITLE_SET}[bold]Owner[/]


2026

First abstract with {CLEAR}a clear. It has [@click=app.quit]markup[/] too.
Second abstract {CLIPBOARD}copies [bold]bold[/]. {RLO}Reversed.

2025

Third abstract {C1_CLEAR}with [link=http://x]a link[/link].
""",
    "feed.txt": f"""Daily Papers

byMallory [bold]Evil[/]{TITLE_SET}

Nov 20

[bold]Feed[/] Title {CLEAR}[@click=app.quit]click[/]

Abstract {CLIPBOARD}and {C1_CLEAR}and [link=http://x]link[/link].

  \u2022 3 authors
\u00b7
Nov 19, 2026 4

{RLO}Backwards Feed Title

Right-to-left {RLO}override{PDF}.
""",
}

# What ingest makes of them: the sequences gone, the markup kept as text.
FORMATS = {
    "profile.txt": ("profile", 2),
    "metrics.txt": ("metrics_profile", 2),
    "list.txt": ("paper_list", 2),
    "years.txt": ("abstracts_by_year", 3),
    "feed.txt": ("daily_feed", 2),
}
TITLES = sorted([
    "[bold]Loud[/] Profile Title With Clipboard",
    "Backwards Profile Title [link=http://x]link[/link]",
    "[bold]Metrics[/] Title Cleared",
    "Second Metrics Paper",
    "[bold]Listed[/] Title Here",
    "Second Listed Paper",
    "First abstract with a clear",
    "Second abstract copies [bold]bold[/]",
    "Third abstract with [link=http://x]a link[/link]",
    "[bold]Feed[/] Title [@click=app.quit]click[/]",
    "Backwards Feed Title",
])
OWNERS = ["Mallory Hacker", "Eve Attacker", "Yvonne [bold]Owner[/]"]
MARKUP_AUTHOR = "[@click=app.quit]Click Me"


def write_pages(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in PAGES.items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
