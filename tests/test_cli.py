"""The scriptable commands: `paperscope ingest|papers|researchers|search|show|stats`."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CAPTURED, SEEDS, run_cli

from store.library import Library
from tui.cli import main

SOURCES = [
    {"file": "000_7ed11b9fa2d3fc25.txt", "format": "profile", "papers": 7},
    {"file": "001_12bc639a810020c0.txt", "format": "metrics_profile", "papers": 14},
    {"file": "002_1de495348cc0664e.txt", "format": "paper_list", "papers": 37},
    {"file": "003_7abeb82d65c2450c.txt", "format": "abstracts_by_year", "papers": 21},
    {"file": "004_b894448d57fb3a75.txt", "format": "daily_feed", "papers": 52},
]
STATS = {"papers": 128, "researchers": 4, "collections": 1, "people": 64, "sources": SOURCES}
PAPER_KEYS = {
    "id", "title", "title_is_derived", "authors", "authors_complete", "author_count", "year", "date",
    "date_is_inferred", "category", "venue", "kind", "score", "upvotes", "has_code", "abstract",
    "sources", "researchers",
}
ADAMERGING = "AdaMerging: Adaptive Model Merging for Multi-Task Learning"
ADAMERGING_ID = "59ecd52de6"


@pytest.fixture(autouse=True)
def no_default_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every command here names its store; should one not, it lands in tmp, never the user's."""
    monkeypatch.setenv("PAPERSCOPE_DB", str(tmp_path / "default-store.json"))


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("cli") / "s.json"
    library = Library.open(path, seed_if_empty=False)
    library.ingest([SEEDS], captured=CAPTURED)
    return str(path)


def run_json(capsys: pytest.CaptureFixture[str], *argv: str):  # type: ignore[no-untyped-def]
    code, out, err = run_cli(capsys, *argv)
    assert (code, err) == (0, "")
    return json.loads(out)


def test_ingest_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "s.json")
    data = run_json(capsys, "--db", db, "ingest", "--captured", "2026-11-23", "--json", str(SEEDS))
    assert list(data) == ["files", "papers", "researchers", "collections", "people", "sources"]
    assert data["files"] == [
        {"path": str(SEEDS / s["file"]), "outcome": "added", "format": s["format"], "papers": s["papers"], "error": None}
        for s in SOURCES
    ]
    assert {k: v for k, v in data.items() if k != "files"} == STATS
    again = run_json(capsys, "--db", db, "ingest", "--json", str(SEEDS))
    assert [f["outcome"] for f in again["files"]] == ["unchanged"] * 5


def test_ingest_plain(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "ingest", "--db", str(tmp_path / "s.json"), "--captured", "2026-11-23", str(SEEDS))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"{SEEDS / s['file']}: added, {s['format']}, {s['papers']} papers" for s in SOURCES
    ] + ["store: 128 papers, 4 researchers, 1 collection, 64 people"]


def test_ingest_bad_captured_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(tmp_path / "s.json"), "ingest", "--captured", "23/11/2026", str(SEEDS)])
    assert exit_info.value.code == 2
    assert "not a date (YYYY-MM-DD): '23/11/2026'" in capsys.readouterr().err
    assert not (tmp_path / "s.json").exists()


def test_papers_json(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    papers = run_json(capsys, "--db", db, "papers", "--json")
    assert len(papers) == 128
    for paper in papers:
        assert PAPER_KEYS <= set(paper)
        assert isinstance(paper["authors"], list)
        assert isinstance(paper["researchers"], list)
        assert paper["sources"] and all(set(s) == {"file", "format"} for s in paper["sources"])
    assert papers[0]["title"] == "Access Sets Matter: Budgeting Expert Reads for Scalable Weight-Space Model Merging"
    assert sum(p["title_is_derived"] for p in papers) == 21
    assert all(isinstance(p["has_code"], bool) for p in papers)
    assert sum(p["has_code"] for p in papers) == 8  # entries marked "Code": 7 on the paper list, 1 on the metrics page


def test_papers_of_a_researcher(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    papers = run_json(capsys, "--db", db, "papers", "--researcher", "Yuanyi Wang", "--json")
    assert len(papers) == 14
    assert all("Yuanyi Wang" in p["researchers"] for p in papers)
    loose = run_json(capsys, "--db", db, "papers", "--researcher", "  yuanyi WANG", "--json")
    assert loose == papers
    co_author = run_json(capsys, "--db", db, "papers", "--researcher", "Li Shen", "--json")
    assert len(co_author) == 13


def test_unknown_researcher(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "--db", db, "papers", "--researcher", "Nobody Here", "--json")
    assert (code, out) == (1, "")
    assert err == "paperscope: no researcher or author named 'Nobody Here'\n"


def test_researchers_json(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    people = run_json(capsys, "--db", db, "researchers", "--json")
    assert len(people) == 4 + 1 + 64
    assert [(p["name"], p["kind"], p["paper_count"], p["inferred"]) for p in people[:6]] == [
        ("Zhenyi Wang", "profile", 37, True),
        ("Yequan Wang", "profile", 21, False),
        ("Yuanyi Wang", "profile", 14, False),
        ("Wenjun Wang", "profile", 7, False),
        ("Daily Papers", "collection", 52, False),
        ("Li Shen", "person", 13, False),
    ]
    assert people[2] == {
        "name": "Yuanyi Wang", "kind": "profile", "paper_count": 14, "inferred": False,
        "primary_category": "LG", "h_index": 33, "papers": 14, "citations": 40, "novelty_pct": 62, "ai_score": 56,
    }
    wenjun = people[3]
    assert (wenjun["trust_score"], wenjun["trust_level"], wenjun["verification_level"]) == (21, "Emerging", "L1")
    assert people[0] == {"name": "Zhenyi Wang", "kind": "profile", "paper_count": 37, "inferred": True}


def test_researchers_plain(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "--db", db, "researchers")
    assert (code, err) == (0, "")
    assert out.splitlines()[:6] == [
        "Zhenyi Wang         profile        37  owner inferred",
        "Yequan Wang         profile        21",
        "Yuanyi Wang         profile        14  h-index 33",
        "Wenjun Wang         profile         7  trust 21",
        "Daily Papers        collection     52",
        "Li Shen             person         13",
    ]


def test_search_json(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "--db", db, "search", "adamerging", "--limit", "1", "--json")
    assert (data["query"], data["total"]) == ("adamerging", 1)
    assert [p["title"] for p in data["papers"]] == [ADAMERGING]
    assert data["papers"][0]["id"] == ADAMERGING_ID
    filtered = run_json(capsys, "--db", db, "search", "author:gu year:2026", "--json")
    assert filtered["total"] == 7
    assert all(p["year"] == 2026 for p in filtered["papers"])


def test_search_plain(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "--db", db, "search", "merging", "--limit", "2")
    assert code == 0
    assert out.splitlines() == [
        "8fb424e026  2025-01-16  -     Merging Models on the Fly Without Retraining: A Sequential Approach to Scalable Continual Model Merging",
        "38aff8fe04  2026-05-28~ LG    Access Sets Matter: Budgeting Expert Reads for Scalable Weight-Space Model Merging",
    ]
    assert err == "15 papers match, 2 shown\n"
    code, out, err = run_cli(capsys, "--db", db, "search", "zzzzqqqq")
    assert (code, out, err) == (0, "", "0 papers match\n")


def test_show_plain(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "--db", db, "show", ADAMERGING_ID)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[:9] == [
        ADAMERGING,
        "",
        "id:          59ecd52de6",
        "authors:     Enneng Yang, Zhenyi Wang, Li Shen (partial list)",
        "date:        2023-10-04",
        "category:    LG",
        "researchers: Zhenyi Wang",
        "sources:     002_1de495348cc0664e.txt (paper_list)",
        "",
    ]
    (abstract,) = lines[9:]
    assert abstract.startswith("Multi-task learning (MTL) aims to empower a model to tackle multiple tasks simultaneously.")
    assert "AdaMerging showcases a remarkable 11% improvement in performance." in abstract  # LaTeX `11\%` rendered
    assert abstract.endswith("that may occur during the testing phase.")


def test_show_merged_inferred_and_derived(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_cli(capsys, "--db", db, "show", "0031313bf3")
    assert out.splitlines()[:12] == [
        "E-PMQ: Expert-Guided Post-Merge Quantization with Merged-Weight Anchoring",
        "",
        "id:          0031313bf3",
        "authors:     Wenjun Wang, Yanggan Gu, Shuo Cai, Yuanyi Wang (partial list)",
        "date:        2026-05-16",
        "category:    CL",
        "kind:        preprint",
        "venue:       arXiv",
        "score:       82.3",
        "researchers: Yuanyi Wang, Wenjun Wang",
        "sources:     001_12bc639a810020c0.txt (metrics_profile), 000_7ed11b9fa2d3fc25.txt (profile)",
        "",
    ]
    _, out, _ = run_cli(capsys, "--db", db, "show", "38aff8fe04")
    assert out.splitlines()[4] == "date:        2026-05-28~ (year inferred)"
    _, out, _ = run_cli(capsys, "--db", db, "show", "fb52620d5f")
    assert out.splitlines()[:9] == [
        "[derived] Comparative opinion is a common linguistic phenomenon",
        "",
        "id:          fb52620d5f",
        "authors:     Yequan Wang (partial list)",
        "date:        2022",
        "researchers: Yequan Wang",
        "sources:     003_7abeb82d65c2450c.txt (abstracts_by_year)",
        "title:       derived from the abstract (the page gives none)",
        "",
    ]


def test_show_json(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    paper = run_json(capsys, "--db", db, "show", ADAMERGING_ID, "--json")
    assert set(paper) == PAPER_KEYS | {"marks"}
    assert {k: v for k, v in paper.items() if k != "abstract"} == {
        "marks": {"starred": False, "state": "unseen", "note": ""},
        "id": ADAMERGING_ID,
        "title": ADAMERGING,
        "title_is_derived": False,
        "authors": ["Enneng Yang", "Zhenyi Wang", "Li Shen"],
        "authors_complete": False,
        "author_count": 3,
        "year": 2023,
        "date": "2023-10-04",
        "date_is_inferred": False,
        "category": "LG",
        "venue": None,
        "kind": None,
        "score": None,
        "upvotes": None,
        "has_code": False,
        "sources": [{"file": "002_1de495348cc0664e.txt", "format": "paper_list"}],
        "researchers": ["Zhenyi Wang"],
    }


def test_show_unknown_id(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, "--db", db, "show", "0000000000") == (1, "", "paperscope: no paper with id '0000000000'\n")


def test_stats_json(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_json(capsys, "--db", db, "stats", "--json") == STATS
    assert run_json(capsys, "stats", "--db", db, "--json") == STATS  # --db after the command too


def test_stats_plain(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "--db", db, "stats")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "papers       128",
        "researchers  4",
        "collections  1",
        "people       64",
        "sources",
        "  000_7ed11b9fa2d3fc25.txt  profile                 7 papers",
        "  001_12bc639a810020c0.txt  metrics_profile        14 papers",
        "  002_1de495348cc0664e.txt  paper_list             37 papers",
        "  003_7abeb82d65c2450c.txt  abstracts_by_year      21 papers",
        "  004_b894448d57fb3a75.txt  daily_feed             52 papers",
    ]


def test_stats_json_console_script(db: str) -> None:
    script = shutil.which("paperscope", path=str(Path(sys.executable).parent))
    assert script is not None, "the paperscope console script is not installed beside this Python"
    done = subprocess.run([script, "--db", db, "stats", "--json"], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(done.stdout) == STATS


def test_papers_plain_when_piped(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "--db", db, "papers")
    assert (code, err) == (0, "")
    assert "\x1b" not in out
    lines = out.splitlines()
    assert len(lines) == 128
    assert lines[0] == "38aff8fe04  2026-05-28~ LG    Access Sets Matter: Budgeting Expert Reads for Scalable Weight-Space Model Merging"
    assert lines[-1] == "21213f9147  -           -     QuEST: Stable Training of LLMs with 1-Bit Weights and Activations"
    assert any(line.startswith(f"{ADAMERGING_ID}  2023-10-04  LG    {ADAMERGING}") for line in lines)
    # Piped output is never cut to a terminal width.
    assert max(len(line) for line in lines) > 120


def test_read_commands_seed_an_empty_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "new" / "s.json"
    stats = run_json(capsys, "--db", str(db), "stats", "--json")
    assert stats["papers"] == 128
    assert [s["file"] for s in stats["sources"]] == [s["file"] for s in SOURCES]
    assert db.is_file()
    assert len(run_json(capsys, "--db", str(db), "papers", "--json")) == 128
    assert not (tmp_path / "default-store.json").exists()


def test_ingest_does_not_seed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "s.json"
    code, out, _ = run_cli(capsys, "--db", str(db), "ingest", "--captured", "2026-11-23", str(SEEDS / "000_7ed11b9fa2d3fc25.txt"))
    assert code == 0
    assert out.splitlines()[-1] == "store: 7 papers, 1 researcher, 0 collections, 0 people"


# An ingest whose library build never ends: Ctrl+C must not wait for it.
_BUILD_NEVER_ENDS = """
import sys, threading
from store.snapshot import Snapshot
empty = Snapshot.build
Snapshot.build = classmethod(lambda cls, pages: threading.Event().wait() if pages else empty(pages))
from tui.cli import entry
entry()
"""


def test_ctrl_c_during_an_ingest_exits_at_once_and_says_what_the_store_holds(tmp_path: Path) -> None:
    store = tmp_path / "store.json"
    ingest = subprocess.Popen([sys.executable, "-c", _BUILD_NEVER_ENDS, "--db", str(store), "ingest", str(SEEDS),
                               "--captured", CAPTURED.isoformat()], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for _ in range(600):  # the pages are written (atomically) while the library is built
            if (store.exists() and store.stat().st_size > 10_000) or ingest.poll() is not None:
                break  # written: an empty store is a few bytes
            time.sleep(0.05)
        ingest.send_signal(signal.SIGINT)
        _, err = ingest.communicate(timeout=30)  # before, it waited for the build: here, forever
    finally:
        ingest.kill()
    assert ingest.returncode == 130
    assert err.decode() == ("paperscope: interrupted: the store holds all of this ingest's pages or none of them; "
                            "the same ingest again completes it\n")
    library = Library.open(store, seed_if_empty=False)
    assert library.stats() == STATS  # this time, all of them
    assert not any(library.desk.arrived(pid) for pid in library.papers.ids)  # noted after the build
    rerun = library.ingest([SEEDS], captured=CAPTURED)
    assert {result.outcome for result in rerun} == {"unchanged"}
    assert all(library.desk.arrived(pid) for pid in library.papers.ids)  # "new since your last visit" works


def test_a_large_store_opened_without_its_index_says_why_it_takes_a_while(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Indexing 100k papers takes seconds, the terminal blank all the while: the user is told.
    (The seeds stand in for a large store: the notice starts at the 131 papers they list here.)"""
    import tui.cli

    store = tmp_path / "s.json"
    Library.open(store, seed_if_empty=False).ingest([SEEDS], captured=CAPTURED)  # writes the index too
    monkeypatch.setattr(tui.cli, "REBUILD_NOTICE_FROM", 131)
    assert run_cli(capsys, "--db", str(store), "stats")[2] == ""  # the index is read: nothing to say
    store.with_name("s.json.cache").unlink()
    code, _, err = run_cli(capsys, "--db", str(store), "stats")
    assert (code, err) == (0, "paperscope: indexing the store (131 papers listed on 5 pages)…\n")
    assert run_cli(capsys, "--db", str(store), "stats")[2] == ""  # indexed once: the index was kept
    monkeypatch.setattr(tui.cli, "REBUILD_NOTICE_FROM", 132)
    store.with_name("s.json.cache").unlink()
    assert run_cli(capsys, "--db", str(store), "stats")[2] == ""  # too few to mention


def test_a_long_ingest_says_what_it_reads_before_it_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its results come at the end, seconds later at 100k papers. (The seeds, 5 files of 0.2 MB,
    stand in for a large ingest: the notice starts at their size here.)"""
    import tui.cli

    size = sum(path.stat().st_size for path in SEEDS.iterdir())
    monkeypatch.setattr(tui.cli, "INGEST_NOTICE_FROM", size)
    code, _, err = run_cli(capsys, "--db", str(tmp_path / "s.json"), "ingest", "--captured", "2026-11-23", str(SEEDS))
    assert (code, err) == (0, "paperscope: reading 5 files (0.2 MB)…\n")
    monkeypatch.setattr(tui.cli, "INGEST_NOTICE_FROM", size + 1)
    code, _, err = run_cli(capsys, "--db", str(tmp_path / "t.json"), "ingest", "--captured", "2026-11-23", str(SEEDS))
    assert (code, err) == (0, "")


def test_ctrl_c_inside_main_returns_its_status_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """main() itself only says so and returns: exiting at once is the `paperscope` command's
    (entry), so a caller in this process (a test) goes on."""
    import tui.cli

    def interrupted(args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(tui.cli, "cmd_ingest", interrupted)
    assert main(["--db", str(tmp_path / "s.json"), "ingest", str(SEEDS)]) == 130
    assert capsys.readouterr().err == ("paperscope: interrupted: the store holds all of this ingest's pages or none "
                                       "of them; the same ingest again completes it\n")
    monkeypatch.setattr(tui.cli, "cmd_stats", interrupted)
    assert main(["--db", str(tmp_path / "s.json"), "stats"]) == 130
    assert capsys.readouterr().err == "paperscope: interrupted\n"


def test_a_file_of_one_paper_is_reported_as_one_paper() -> None:
    from store.ingest import FileResult

    assert FileResult("x.txt", "added", "profile", 1).message() == "x.txt: added, profile, 1 paper"
    assert FileResult("x.txt", "unchanged", "profile", 0).message() == "x.txt: unchanged, profile, 0 papers"


def test_stats_names_a_source_of_one_paper_in_the_singular(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    one = {**STATS, "sources": [{"file": "one.txt", "format": "daily_feed", "papers": 1}]}
    monkeypatch.setattr(Library, "stats", lambda self: one)
    code, out, _ = run_cli(capsys, "--db", db, "stats")
    assert code == 0 and out.splitlines()[-1] == "  one.txt  daily_feed              1 paper"
