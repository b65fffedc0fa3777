"""`paperscope researcher NAME [--json]`, and the per-year chart the browser's header shares."""

from __future__ import annotations

import json

import pytest
from conftest import run_cli

from tui.output import sparkline


@pytest.fixture
def db(seed_library) -> str:
    return str(seed_library.store_file.path)


def test_researcher_plain(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "--db", db, "researcher", "yuanyi wang", "--top", "3")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "Yuanyi Wang  (profile, 14 papers)",
        "",
        "  primary category:     LG",
        "  h-index:              33",
        "  papers:               14",
        "  citations:            40",
        "  novelty %:            62",
        "  AI score:             56",
        "",
        "papers per year",
        "  2024  ███████████████ 3",
        "  2025  ███████████████ 3",
        "  2026  ████████████████████████████████████████ 8",
        "",
        "categories: LG 7, AI 2, CL 2, IR 2, DB 1",
        "",
        "collaborators (shared papers)",
        "  Yanggan Gu     7",
        "  Haifeng Sun    3",
        "  Su Lu          3",
        "  … and 13 more",
    ]


def test_researcher_json(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "--db", db, "researcher", "Zhenyi Wang", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["per_year"] == {
        "2018": 1, "2019": 1, "2020": 3, "2021": 3, "2022": 3, "2023": 8, "2024": 5, "2025": 7, "2026": 6,
    }
    assert (data["name"], data["kind"], data["papers"]) == ("Zhenyi Wang", "profile", 37)
    _, out, _ = run_cli(capsys, "--db", db, "researcher", "Yuanyi Wang", "--json")
    assert json.loads(out)["collaborators"][:4] == [
        {"name": "Yanggan Gu", "shared": 7}, {"name": "Haifeng Sun", "shared": 3},
        {"name": "Su Lu", "shared": 3}, {"name": "Wenjun Wang", "shared": 3},
    ]


def test_collection_lists_years_with_gaps_and_no_collaborators(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_cli(capsys, "--db", db, "researcher", "Daily Papers")
    lines = out.splitlines()
    assert lines[0] == "Daily Papers  (collection, 52 papers)"
    assert "  2017  0" in lines and "  undated 2" in lines
    assert not any("collaborators" in line for line in lines)


def test_unknown_researcher(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, "--db", db, "researcher", "Nobody Here") == (
        1, "", "paperscope: no researcher or author named 'Nobody Here'\n",
    )


def test_sparkline_one_character_a_year_gaps_blank() -> None:
    # Zhenyi Wang: 2018..2026 = 1 1 3 3 3 8 5 7 6; the busiest year (8) is a full block.
    assert sparkline({2018: 1, 2019: 1, 2020: 3, 2021: 3, 2022: 3, 2023: 8, 2024: 5, 2025: 7, 2026: 6}) == "▁▁▃▃▃█▅▇▆"
    assert sparkline({2016: 1, 2020: 2}) == "▄   █"
    assert sparkline({}) == ""
