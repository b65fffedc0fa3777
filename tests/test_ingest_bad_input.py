"""Files that are not pages: each gets one verdict with a reason, and never stops the others."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CAPTURED, SEEDS, seed_text

from store.formats import parse_page
from store.ingest import FileResult
from store.library import Library
from store.model import ParseContext
from tui.cli import main

GOOD = "000_7ed11b9fa2d3fc25.txt"


def open_store(tmp_path: Path) -> Library:
    return Library.open(tmp_path / "s.json", seed_if_empty=False)


def ingest_one(tmp_path: Path, name: str, data: bytes) -> FileResult:
    path = tmp_path / name
    path.write_bytes(data)
    library = open_store(tmp_path)
    (result,) = library.ingest([path], captured=CAPTURED)
    assert library.papers == ()
    return result


@pytest.mark.parametrize(
    ("name", "data", "error"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\t\r\n   \n", "empty file"),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file, not a text page"),
        ("nul.txt", b"Title\n\x00\nmore text\n", "binary file, not a text page"),
        ("latin1.txt", "Résumé of a paper\n".encode("latin-1"), "not UTF-8 text (invalid byte at offset 1)"),
        ("cut.txt", b"Model merging \xe2\x80", "not UTF-8 text (invalid byte at offset 14)"),
        ("notes.txt", b"shopping list\n\neggs\nmilk\n", "not a known page format"),
    ],
)
def test_bad_file_one_failed_result(tmp_path: Path, name: str, data: bytes, error: str) -> None:
    result = ingest_one(tmp_path, name, data)
    assert result == FileResult(str(tmp_path / name), "failed", None, 0, error)
    assert result.message() == f"{tmp_path / name}: {error}"


def test_known_format_without_papers(tmp_path: Path) -> None:
    head = "\n".join(seed_text("000").splitlines()[:12])
    result = ingest_one(tmp_path, "profile-head.txt", head.encode())
    assert result == FileResult(
        str(tmp_path / "profile-head.txt"), "failed", "profile", 0, "profile page: no papers found"
    )


def test_missing_file(tmp_path: Path) -> None:
    library = open_store(tmp_path)
    (result,) = library.ingest([tmp_path / "nowhere.txt"], captured=CAPTURED)
    assert (result.outcome, result.error) == ("failed", "no such file")


def test_oversize_file_refused_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(21 * 1024 * 1024)  # sparse: nothing is written
    library = open_store(tmp_path)
    (result,) = library.ingest([path], captured=CAPTURED)
    assert (result.outcome, result.error) == (
        "failed", "too large (22.0 MB; pages over 20 MiB are refused)",
    )


def test_non_regular_files_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)  # reading it would block forever
    library = open_store(tmp_path)
    results = library.ingest([fifo, Path("/dev/zero")], captured=CAPTURED)
    assert [(r.path, r.outcome, r.error) for r in results] == [
        (str(fifo), "failed", "not a regular file"),
        ("/dev/zero", "failed", "not a regular file"),
    ]


def ingest_beside_the_seeds(tmp_path: Path, variant: Path) -> tuple[Library, Library]:
    """The seeds and `variant` (the seeds rewritten) in two stores: every page is read as the same
    format with the same papers. Both libraries, for the caller's own checks."""
    original = open_store(tmp_path / "a")
    original.ingest([SEEDS], captured=CAPTURED)
    converted = Library.open(tmp_path / "b" / "s.json", seed_if_empty=False)
    results = converted.ingest([variant], captured=CAPTURED)
    assert [(r.outcome, r.format, r.papers) for r in results] == [
        ("added", "profile", 7), ("added", "metrics_profile", 14), ("added", "paper_list", 37),
        ("added", "abstracts_by_year", 21), ("added", "daily_feed", 52),
    ]
    assert [p.to_json() for p in converted.papers] == [p.to_json() for p in original.papers]
    return original, converted


def test_bom_and_crlf_parse_like_the_original(tmp_path: Path) -> None:
    variant = tmp_path / "variant"
    variant.mkdir()
    for seed in sorted(SEEDS.iterdir()):
        text = seed.read_text(encoding="utf-8")
        assert "\r" not in text
        (variant / seed.name).write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    original, converted = ingest_beside_the_seeds(tmp_path, variant)
    assert [page.papers for page in converted.pages] == [page.papers for page in original.pages]
    assert not any("\r" in p.abstract or "\ufeff" in p.title for p in converted.papers)


def test_directory_mixing_good_and_bad_files(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    (pages / "sub").mkdir(parents=True)
    shutil.copy(SEEDS / GOOD, pages / GOOD)
    shutil.copy(SEEDS / "003_7abeb82d65c2450c.txt", pages / "sub" / "003.txt")
    (pages / "a-empty.txt").write_bytes(b"")
    (pages / "b-binary.bin").write_bytes(b"\x00\x01\x02")
    (pages / "c-latin1.txt").write_bytes(b"caf\xe9\n")
    (pages / "d-notes.txt").write_text("nothing to see\n", encoding="utf-8")
    (pages / ".hidden.txt").write_bytes(b"")  # hidden files are skipped
    library = open_store(tmp_path)
    results = library.ingest([pages], captured=CAPTURED)
    assert [(Path(r.path).relative_to(pages).as_posix(), r.outcome, r.format, r.papers, r.error) for r in results] == [
        (GOOD, "added", "profile", 7, None),
        ("a-empty.txt", "failed", None, 0, "empty file"),
        ("b-binary.bin", "failed", None, 0, "binary file, not a text page"),
        ("c-latin1.txt", "failed", None, 0, "not UTF-8 text (invalid byte at offset 3)"),
        ("d-notes.txt", "failed", None, 0, "not a known page format"),
        ("sub/003.txt", "added", "abstracts_by_year", 21, None),
    ]
    assert len(library.papers) == 28
    assert [page.file for page in library.pages] == [GOOD, "003.txt"]
    # The failures are not remembered: a second run reports them again, the good files are unchanged.
    again = library.ingest([pages], captured=CAPTURED)
    assert [r.outcome for r in again] == ["unchanged", "failed", "failed", "failed", "failed", "unchanged"]


def test_cli_reports_each_bad_file_and_ingests_the_good(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "s.json"
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\x00" * 10)
    code = main(["--db", str(db), "ingest", "--captured", "2026-11-23", str(empty), str(binary), str(SEEDS / GOOD)])
    out, err = capsys.readouterr()
    assert code == 1
    assert err.splitlines() == [
        f"paperscope: {empty}: empty file",
        f"paperscope: {binary}: binary file, not a text page",
    ]
    assert out.splitlines() == [
        f"{SEEDS / GOOD}: added, profile, 7 papers",
        "store: 7 papers, 1 researcher, 0 collections, 0 people",
    ]


def test_cli_bad_files_subprocess_no_traceback(tmp_path: Path) -> None:
    db = tmp_path / "s.json"
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00garbage")
    notes = tmp_path / "notes.txt"
    notes.write_text("just notes\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "tui.cli", "--db", str(db), "ingest", "--captured", "2026-11-23",
         str(bad), str(notes), str(SEEDS / GOOD)],
        capture_output=True, text=True, timeout=60,
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stdout + run.stderr
    assert run.stderr.splitlines() == [
        f"paperscope: {bad}: binary file, not a text page",
        f"paperscope: {notes}: not a known page format",
    ]
    assert run.stdout.splitlines()[-1] == "store: 7 papers, 1 researcher, 0 collections, 0 people"


def test_user_tables_survive_ingests(tmp_path: Path) -> None:
    library = open_store(tmp_path)
    library.ingest([SEEDS / GOOD], captured=CAPTURED)
    paper = library.papers[0]
    assert paper.title == "E-PMQ: Expert-Guided Post-Merge Quantization with Merged-Weight Anchoring"
    with library.store_file.writing() as db:
        db.table("marks").insert({"paper": paper.id, "starred": True, "note": "read this"})
    expected = {"1": {"paper": paper.id, "starred": True, "note": "read this"}}

    # The same file again: unchanged.
    assert [r.outcome for r in library.ingest([SEEDS / GOOD], captured=CAPTURED)] == ["unchanged"]
    assert library.store_file.read()["marks"] == expected
    # A new file: the sources table is rewritten, the marks stay.
    assert [r.outcome for r in library.ingest([SEEDS / "001_12bc639a810020c0.txt"], captured=CAPTURED)] == ["added"]
    document = library.store_file.read()
    assert document["marks"] == expected
    assert len(document["sources"]) == 2
    reopened = Library.open(tmp_path / "s.json")
    assert len(reopened.papers) == 18  # 7 + 14, three on both pages
    # The marked paper is now on both pages: merged, under the same id the mark refers to.
    merged = reopened.paper(paper.id)
    assert merged is not None
    assert merged.title == paper.title
    assert [s.file for s in merged.sources] == ["001_12bc639a810020c0.txt", GOOD]


# --- horizontal whitespace, and pages cut off or missing a line ------------------------------------


def with_odd_spaces(text: str) -> str:
    """Every space becomes a tab, a non-breaking space or a mix, and lines get indented with a tab
    and end in a non-breaking space: what a page copied out of a browser or a PDF looks like."""
    replacements = ["\t", "\u00a0", " \t", "\u00a0 ", " "]
    lines = []
    for line in text.split("\n"):
        count = 0
        chars = []
        for char in line:
            if char == " ":
                chars.append(replacements[count % len(replacements)])
                count += 1
            else:
                chars.append(char)
        lines.append(f"\t{''.join(chars)}\u00a0" if line else line)
    return "\n".join(lines)


def test_tabs_and_non_breaking_spaces_parse_like_the_original(tmp_path: Path) -> None:
    variant = tmp_path / "variant"
    variant.mkdir()
    for seed in sorted(SEEDS.iterdir()):
        changed = with_odd_spaces(seed.read_text(encoding="utf-8"))
        assert "\t" in changed and "\u00a0" in changed
        (variant / seed.name).write_text(changed, encoding="utf-8")
    original, converted = ingest_beside_the_seeds(tmp_path, variant)
    assert [p.to_json() for p in converted.people] == [p.to_json() for p in original.people]
    assert [(page.owner, page.papers) for page in converted.pages] == [
        (page.owner, page.papers) for page in original.pages
    ]
    assert not any("\t" in p.title or "\u00a0" in p.title or "\u00a0" in p.abstract for p in converted.papers)


# Each seed cut at half its length: inside an abstract, or (001) inside a title. Whole papers before
# the cut are kept; the one cut off keeps what the page still shows of it.
CUT_IN_HALF = {
    "000": ("profile", 4, "DHEN: A Deep and Hierarchical Ensemble Network for Large-Scale Click-Through Rate Prediction",
            "online advertising servi"),
    "001": ("metrics_profile", 8, "MergePipe: A Budget-Aware Parameter Management Syste", ""),
    "002": ("paper_list", 18, None, "a central role in web e-comme"),
    "003": ("abstracts_by_year", 10, None, "significant performance improvements. Furtherm"),
    "004": ("daily_feed", 27, "The Optimal BERT Surgeon: Scalable and Accurate Second-Order Pruning for Large Language Models",
            "they can be too large and computation"),
}


@pytest.mark.parametrize("seed", sorted(CUT_IN_HALF))
def test_page_cut_off_inside_a_block(tmp_path: Path, seed: str) -> None:
    text = seed_text(seed)
    path = tmp_path / f"{seed}-cut.txt"
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    library = open_store(tmp_path)
    (result,) = library.ingest([path], captured=CAPTURED)
    fmt, count, last_title, abstract_end = CUT_IN_HALF[seed]
    assert (result.outcome, result.format, result.papers, result.error) == ("added", fmt, count, None)
    (page,) = library.pages
    last = page.papers[-1]
    if last_title is not None:
        assert last.title == last_title
    assert last.abstract.endswith(abstract_end)
    whole = parse_page(text, ParseContext(captured=CAPTURED)).papers
    assert page.papers[:-1] == whole[: count - 1]  # every paper before the cut, exactly as before


# The middle paper's title line deleted. Most formats take the next line for the title (the page
# gives no way to tell); paper_list cannot split an abstract into title and authors and refuses the
# page, as test_format_paper_list.py::test_unsplittable_entry_fails_the_page specifies.
TITLE_LINE_GONE = {
    "000": ("added", "profile", 7, None),
    "001": ("added", "metrics_profile", 14, None),
    "002": ("failed", "paper_list", 0, "paper_list page: no author list after the title"),
    "003": ("added", "abstracts_by_year", 20, None),
    "004": ("added", "daily_feed", 52, None),
}


@pytest.mark.parametrize("seed", sorted(TITLE_LINE_GONE))
def test_page_with_a_line_missing_inside_a_block(tmp_path: Path, seed: str) -> None:
    text = seed_text(seed)
    papers = parse_page(text, ParseContext(captured=CAPTURED)).papers
    middle = papers[len(papers) // 2]
    shown = middle.abstract if middle.title_is_derived else middle.title
    lines = text.split("\n")
    (index,) = [i for i, line in enumerate(lines) if line.startswith(shown[:40])]
    path = tmp_path / f"{seed}-gap.txt"
    path.write_text("\n".join(lines[:index] + lines[index + 1 :]), encoding="utf-8")
    library = open_store(tmp_path)
    (result,) = library.ingest([path], captured=CAPTURED)
    assert (result.outcome, result.format, result.papers, result.error) == TITLE_LINE_GONE[seed]
    assert len(library.papers) == TITLE_LINE_GONE[seed][2]


def test_100_mb_file_refused_beside_a_good_one(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # sparse: never read, so this is instant
    library = open_store(tmp_path)
    results = library.ingest([huge, SEEDS / GOOD], captured=CAPTURED)
    assert [(r.outcome, r.error) for r in results] == [
        ("failed", "too large (104.9 MB; pages over 20 MiB are refused)"),
        ("added", None),
    ]
    assert len(library.papers) == 7


def test_a_file_that_cannot_be_looked_at_is_reported_on_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page inside a folder without search permission: stat raises (root ignores modes, so the
    refusal is made here)."""
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(SEEDS / GOOD, folder / GOOD)
    (folder / "locked").mkdir()
    hidden = folder / "locked" / "page.txt"
    hidden.write_text("whatever")
    real_stat = Path.stat

    def stat(path: Path, **kwargs: object) -> os.stat_result:
        if path == hidden:
            raise PermissionError(13, "Permission denied", str(path))
        return real_stat(path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "stat", stat)
    code = main(["--db", str(tmp_path / "s.json"), "ingest", "--captured", CAPTURED.isoformat(), str(folder)])
    assert code == 1
    assert capsys.readouterr().err == f"paperscope: {hidden}: cannot read (Permission denied)\n"
