"""`paperscope star|unstar`, `papers --starred|--unread`, and marks in `show`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SEEDS, run_cli

from store.library import Library

E_PMQ_ID = "0031313bf3"
E_PMQ = "E-PMQ: Expert-Guided Post-Merge Quantization with Merged-Weight Anchoring"
ADAMERGING_ID = "59ecd52de6"


def test_star_then_papers_starred(seeded_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, "--db", seeded_db, "star", E_PMQ_ID) == (0, f"starred  {E_PMQ_ID}  {E_PMQ}\n", "")
    code, out, _ = run_cli(capsys, "--db", seeded_db, "papers", "--starred")
    assert (code, out) == (0, f"{E_PMQ_ID}  2026-05-16  CL    {E_PMQ}\n")
    code, out, _ = run_cli(capsys, "--db", seeded_db, "papers", "--starred", "--json")
    assert [p["title"] for p in json.loads(out)] == [E_PMQ]
    assert run_cli(capsys, "--db", seeded_db, "unstar", E_PMQ_ID)[0] == 0
    assert run_cli(capsys, "--db", seeded_db, "papers", "--starred") == (0, "", "")


def test_star_unknown_id_changes_nothing(seeded_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, "--db", seeded_db, "star", E_PMQ_ID, "nope") == (
        1, "", "paperscope: no paper with id 'nope'; nothing changed\n",
    )
    assert Library.open(seeded_db).mark(E_PMQ_ID).starred is False


def test_papers_unread_leaves_out_read_papers(seeded_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Library.open(seeded_db).toggle_read(E_PMQ_ID)
    _, out, _ = run_cli(capsys, "--db", seeded_db, "papers", "--unread")
    lines = out.splitlines()
    assert len(lines) == 127
    assert not any(line.startswith(E_PMQ_ID) for line in lines)
    _, out, _ = run_cli(capsys, "--db", seeded_db, "papers", "--unread", "--researcher", "Wenjun Wang")
    assert len(out.splitlines()) == 6


def test_show_prints_marks_and_the_note(seeded_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    library = Library.open(seeded_db)
    library.toggle_star(E_PMQ_ID)
    library.mark_seen(E_PMQ_ID)
    library.set_note(E_PMQ_ID, "Check Table 2.\nCompare with GPTQ.")
    _, out, _ = run_cli(capsys, "--db", seeded_db, "show", E_PMQ_ID)
    assert out.splitlines()[10:18] == [
        "sources:     001_12bc639a810020c0.txt (metrics_profile), 000_7ed11b9fa2d3fc25.txt (profile)",
        "starred:     yes",
        "reading:     opened, not read",
        "",
        "note:",
        "  Check Table 2.",
        "  Compare with GPTQ.",
        "",
    ]
    _, out, _ = run_cli(capsys, "--db", seeded_db, "show", E_PMQ_ID, "--json")
    assert json.loads(out)["marks"] == {"starred": True, "state": "seen", "note": "Check Table 2.\nCompare with GPTQ."}
    _, out, _ = run_cli(capsys, "--db", seeded_db, "show", ADAMERGING_ID)
    assert "starred:" not in out and "note:" not in out


def test_stars_and_notes_survive_paperscope_ingest(seeded_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, "--db", seeded_db, "star", E_PMQ_ID)[0] == 0
    Library.open(seeded_db).set_note(E_PMQ_ID, "re-read the ablation")
    assert run_cli(capsys, "--db", seeded_db, "ingest", str(SEEDS))[0] == 0  # the seeds again
    page = tmp_path / "new-feed.txt"
    page.write_text(
        "Daily Papers\n\nbyAK and the research community\n\nJan 21\n\n"
        "A Brand New Paper on Merging\n\nSomething new about merging models.\n",
        encoding="utf-8",
    )
    code, out, _ = run_cli(capsys, "--db", seeded_db, "ingest", str(page))
    assert code == 0 and "store: 129 papers" in out
    _, out, _ = run_cli(capsys, "--db", seeded_db, "show", E_PMQ_ID, "--json")
    assert json.loads(out)["marks"] == {"starred": True, "state": "unseen", "note": "re-read the ablation"}
    _, out, _ = run_cli(capsys, "--db", seeded_db, "papers", "--starred")
    assert out == f"{E_PMQ_ID}  2026-05-16  CL    {E_PMQ}\n"
