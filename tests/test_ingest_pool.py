"""Parsing in a pool of processes gives what parsing in this process gives: the same pages in
the same order, the same verdict for every file, failures included."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import CAPTURED, SEEDS, seed_text

from store import ingest
from store.ingest import parse_files


@pytest.fixture
def mixed_dir(tmp_path: Path) -> Path:
    """The seeds (a paper list among them, drafted in the pool and finished here) among bad files."""
    pages = tmp_path / "pages"
    shutil.copytree(SEEDS, pages)
    (pages / "a_empty.txt").write_bytes(b"")
    (pages / "b_binary.txt").write_bytes(b"Title\n\x00\n")
    (pages / "c_notes.txt").write_text("shopping list\n\neggs\n")
    (pages / "d_no_papers.txt").write_text("\n".join(seed_text("000").splitlines()[:12]))
    (pages / "e_list_without_authors.txt").write_text("LGJul 16, 2023\nno author list here\nabstract\n")
    (pages / "f_second_list.txt").write_text(seed_text("002").replace("Code\n", "\n"))
    return pages


@pytest.mark.parametrize("workers", [2, 3])
def test_pool_gives_the_pages_and_verdicts_of_one_process(mixed_dir: Path, workers: int) -> None:
    alone = parse_files([mixed_dir], CAPTURED, {}, workers=1)
    pooled = parse_files([mixed_dir], CAPTURED, {}, workers=workers)
    assert pooled == alone
    verdicts = {Path(r.path).name: (r.outcome, r.error) for r in alone[1]}
    assert verdicts["a_empty.txt"] == ("failed", "empty file")
    assert verdicts["b_binary.txt"] == ("failed", "binary file, not a text page")
    assert verdicts["c_notes.txt"] == ("failed", "not a known page format")
    assert verdicts["d_no_papers.txt"] == ("failed", "profile page: no papers found")
    assert verdicts["e_list_without_authors.txt"] == ("failed", "paper_list page: no author list after the title")
    assert [v for v in verdicts.values() if v[0] == "added"] == [("added", None)] * 6


def test_pool_reports_known_pages_unchanged(mixed_dir: Path) -> None:
    pages, _ = parse_files([mixed_dir], CAPTURED, {}, workers=1)
    known = {page.sha256: page for page in pages[:3]}
    alone = parse_files([mixed_dir], CAPTURED, known, workers=1)
    assert parse_files([mixed_dir], CAPTURED, known, workers=2) == alone
    assert sum(r.outcome == "unchanged" for r in alone[1]) == 3


def test_a_few_small_pages_are_parsed_without_a_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("a pool was started for the seeds")

    monkeypatch.setattr(ingest, "ProcessPoolExecutor", no_pool)
    pages, results = parse_files([SEEDS], CAPTURED, {})
    assert len(pages) == 5 and all(r.outcome == "added" for r in results)


def test_an_unexpected_error_in_a_worker_reaches_the_caller(mixed_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(path: Path) -> tuple[str, str]:
        raise RuntimeError(f"bug reading {path.name}")

    monkeypatch.setattr(ingest, "read_page_text", broken)  # the forked workers inherit it
    with pytest.raises(RuntimeError, match="bug reading"):
        parse_files([mixed_dir], CAPTURED, {}, workers=2)
