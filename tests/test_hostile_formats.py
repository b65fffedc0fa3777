"""A hostile page in each format, through the installed `paperscope` command: no injected escape
sequence, control or bidi character comes out, on a pipe or on a terminal; markup shows literally."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hostile_pages import FORBIDDEN, FORMATS, MARKUP_AUTHOR, OWNERS, TITLES, write_pages

PAPERSCOPE = Path(sys.executable).with_name("paperscope")
pytestmark = pytest.mark.skipif(not PAPERSCOPE.exists(), reason=f"the console script {PAPERSCOPE} is not installed")


def env() -> dict[str, str]:
    return {**os.environ, "COLUMNS": "100"}


def run(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PAPERSCOPE), "--db", str(store), *args], capture_output=True, text=True, timeout=60, env=env()
    )


def assert_clean(text: str) -> None:
    for forbidden in FORBIDDEN:
        assert forbidden not in text, (forbidden, text)
    for escaped in ("\\u001b", "\\u009b", "\\u0007", "\\u202e", "\\u202c"):
        assert escaped not in text.lower(), (escaped, text)


def strings(value: Any) -> list[str]:
    """Every string inside a JSON value, keys included."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (k, *strings(v))]
    return []


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("hostile")
    pages = write_pages(directory / "pages")
    path = directory / "store.json"
    result = run(path, "ingest", "--captured", "2026-11-23", *map(str, pages))
    assert (result.returncode, result.stderr) == (0, "")
    assert_clean(result.stdout)
    assert result.stdout.splitlines() == [
        f"{page}: added, {FORMATS[page.name][0]}, {FORMATS[page.name][1]} papers" for page in pages
    ] + ["store: 11 papers, 4 researchers, 1 collection, 2 people"]
    return path


def test_papers_plain_and_json(store: Path) -> None:
    plain = run(store, "papers")
    assert (plain.returncode, plain.stderr) == (0, "")
    assert_clean(plain.stdout)
    shown = plain.stdout.splitlines()
    assert len(shown) == 11
    for title in TITLES:  # the markup is there as text
        assert sum(line.endswith(title) for line in shown) == 1, title

    as_json = run(store, "papers", "--json")
    assert as_json.returncode == 0
    assert_clean(as_json.stdout)
    papers = json.loads(as_json.stdout)
    assert sorted(p["title"] for p in papers) == TITLES
    for value in strings(papers):
        assert_clean(value)
    authors = {a for p in papers for a in p["authors"]}
    assert MARKUP_AUTHOR in authors and set(OWNERS) <= authors


def test_show_every_paper(store: Path) -> None:
    papers = json.loads(run(store, "papers", "--json").stdout)
    commands = [[str(PAPERSCOPE), "--db", str(store), "show", p["id"], *flag] for p in papers for flag in ((), ("--json",))]
    children = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env()) for c in commands]
    for command, child in zip(commands, children):
        out, err = child.communicate(timeout=60)
        assert (child.returncode, err) == (0, ""), command
        assert_clean(out)
        if "--json" in command:
            shown = json.loads(out)
            assert shown["id"] == command[4]
            for value in strings(shown):
                assert_clean(value)
        else:
            paper = next(p for p in papers if p["id"] == command[4])
            assert out.splitlines()[0] == ("[derived] " if paper["title_is_derived"] else "") + paper["title"]
            assert out.rstrip("\n").splitlines()[-1] == paper["abstract"]


def test_researchers_search_and_stats(store: Path) -> None:
    people = run(store, "researchers")
    assert people.returncode == 0
    assert_clean(people.stdout)
    names = [line.split("  ")[0] for line in people.stdout.splitlines()]
    assert names == ["Eve Attacker", "Mallory Hacker", "Yvonne [bold]Owner[/]", "Zhenyi Wang", "Daily Papers", MARKUP_AUTHOR, "Bob Builder"]
    people_json = run(store, "researchers", "--json")
    assert people_json.returncode == 0
    for value in strings(json.loads(people_json.stdout)):
        assert_clean(value)

    for query, expected in (
        ("[@click=app.quit]", "[bold]Feed[/] Title [@click=app.quit]click[/]"),
        ("clipboard", "[bold]Loud[/] Profile Title With Clipboard"),
        ("author:mallory cat:LG", "[bold]Listed[/] Title Here"),
    ):
        found = run(store, "search", query)
        assert found.returncode == 0
        assert_clean(found.stdout + found.stderr)
        assert found.stdout.splitlines()[0].endswith(expected), (query, found.stdout)
        found_json = run(store, "search", query, "--json")
        for value in strings(json.loads(found_json.stdout)):
            assert_clean(value)

    by_owner = run(store, "papers", "--researcher", "Yvonne [bold]Owner[/]")
    assert by_owner.returncode == 0 and len(by_owner.stdout.splitlines()) == 3
    assert_clean(by_owner.stdout)
    stats = run(store, "stats")
    assert stats.returncode == 0
    assert_clean(stats.stdout)


def read_terminal(command: list[str], timeout: float = 30) -> tuple[int, str]:
    """Run a command on a pseudo-terminal (so it writes as it would to a person); all it wrote."""
    main, child_end = pty.openpty()
    process = subprocess.Popen(command, stdin=child_end, stdout=child_end, stderr=child_end, env=env(), close_fds=True)
    os.close(child_end)
    chunks = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([main], [], [], 0.1)
            if ready:
                try:
                    data = os.read(main, 65536)
                except OSError:  # EIO: the other end is closed
                    break
                if not data:
                    break
                chunks.append(data)
            elif process.poll() is not None:
                break
        code = process.wait(timeout=10)
    finally:
        os.close(main)
        if process.poll() is None:
            process.kill()
    return code, b"".join(chunks).decode("utf-8")


def test_on_a_terminal(store: Path) -> None:
    """On a terminal the commands cut lines to its width; still nothing but text comes out."""
    papers = json.loads(run(store, "papers", "--json").stdout)
    for args in (["papers"], ["researchers"], ["search", "title"], ["show", papers[0]["id"]]):
        code, written = read_terminal([str(PAPERSCOPE), "--db", str(store), *args])
        assert code == 0, written
        assert_clean(written)
        assert "[bold]" in written  # a title or a name with markup, shown as text
