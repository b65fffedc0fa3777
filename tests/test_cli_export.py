"""`paperscope export --format … [--query Q] [--starred] [-o FILE]`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import bibtexparser
import pytest
from conftest import run_cli

from store.library import Library
from tui.cli import main

E_PMQ_ID = "0031313bf3"
E_PMQ = "E-PMQ: Expert-Guided Post-Merge Quantization with Merged-Weight Anchoring"


def test_bibtex_of_every_paper_reads_back_with_128_entries(seeded_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "all.bib"
    assert run_cli(capsys, "--db", seeded_db, "export", "--format", "bibtex", "-o", str(target)) == (
        0, "", f"exported 128 papers to {target}\n",
    )
    entries = bibtexparser.parse_string(target.read_text(encoding="utf-8")).entries
    assert len(entries) == 128
    assert len({e.key for e in entries}) == 128
    assert not list(tmp_path.glob(".all.bib.*.tmp"))  # written atomically, nothing left behind


def test_query_and_starred_choose_the_papers(seeded_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "--db", seeded_db, "export", "--format", "json", "--query", "author:yanggan")
    assert code == 0
    assert len(json.loads(out)) == Library.open(seeded_db).search("author:yanggan").total == 7
    library = Library.open(seeded_db)
    library.toggle_star(E_PMQ_ID)
    library.set_note(E_PMQ_ID, "quantise after merging")
    _, out, _ = run_cli(capsys, "--db", seeded_db, "export", "--format", "csv", "--starred")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["id"], r["title"], r["note"]) for r in rows] == [(E_PMQ_ID, E_PMQ, "quantise after merging")]
    _, out, _ = run_cli(capsys, "--db", seeded_db, "export", "--format", "markdown", "--starred", "--query", "diffusion")
    assert out == ""


def test_unwritable_target_is_one_line(seeded_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "a-folder"
    (folder / "inside").mkdir(parents=True)
    code, out, err = run_cli(capsys, "--db", seeded_db, "export", "--format", "csv", "-o", str(folder))
    assert (code, out, err) == (1, "", f"paperscope: cannot write {folder}: Is a directory\n")
    assert (folder / "inside").is_dir()


def test_unknown_format_is_refused(seeded_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--db", str(seeded_db), "export", "--format", "docx"])
    assert exit_.value.code == 2
    assert "invalid choice: 'docx'" in capsys.readouterr().err
