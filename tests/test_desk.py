"""The user's desk: stars, reading state, notes, visits — kept apart from ingested pages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import CAPTURED, SEEDS

from store.db import StoreError
from store.desk import Desk, Mark, desk_path
from store.library import Library

E_PMQ = "E-PMQ: Expert-Guided Post-Merge Quantization with Merged-Weight Anchoring"
QUEST = "QuEST: Stable Training of LLMs with 1-Bit Weights and Activations"


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    return Library.open(tmp_path / "store.json", captured=CAPTURED)


def paper_id(lib: Library, title: str) -> str:
    (paper,) = [p for p in lib.papers if p.title == title]
    return paper.id


def test_the_desk_is_a_file_of_its_own_beside_the_store(tmp_path: Path) -> None:
    assert desk_path(tmp_path / "store.json") == tmp_path / "store.desk.json"
    assert desk_path(tmp_path / "papers") == tmp_path / "papers.desk.json"


def test_a_star_is_kept_and_found_by_is_starred(lib: Library, tmp_path: Path) -> None:
    pid = paper_id(lib, E_PMQ)
    store_before = (tmp_path / "store.json").read_bytes()
    assert lib.toggle_star(pid) is True
    assert (tmp_path / "store.json").read_bytes() == store_before  # the ingested pages are untouched
    reopened = Library.open(tmp_path / "store.json", captured=CAPTURED)
    assert reopened.mark(pid) == Mark(starred=True, state="unseen", note="")
    hits = reopened.search("is:starred")
    assert (hits.total, [p.title for p in hits.papers]) == (1, [E_PMQ])
    assert [p.title for p in reopened.starred()] == [E_PMQ]
    assert reopened.toggle_star(pid) is False
    assert Library.open(tmp_path / "store.json").search("is:starred").total == 0


def test_reading_state_seen_then_read_then_unread(lib: Library) -> None:
    pid = paper_id(lib, QUEST)
    assert lib.search("is:unread").total == 128
    lib.mark_seen(pid)
    assert lib.mark(pid).state == "seen"
    assert lib.search("is:unread").total == 128  # seen is not read
    assert lib.search("is:seen").total == 1
    assert lib.toggle_read(pid) == "read"
    assert lib.search("is:unread").total == 127
    assert [p.title for p in lib.search("is:read").papers] == [QUEST]
    lib.mark_seen(pid)  # opening a read paper again does not make it unread
    assert lib.mark(pid).state == "read"
    assert lib.toggle_read(pid) == "seen"
    assert lib.search("is:unread").total == 128


def test_notes_are_multi_line_sanitised_and_found_by_has_note(lib: Library, tmp_path: Path) -> None:
    pid = paper_id(lib, E_PMQ)
    lib.set_note(pid, "Read §3 again.\nCompare with \x1b[31mGPTQ\x1b[0m [bold]not markup[/bold]\n")
    note = Library.open(tmp_path / "store.json").mark(pid).note
    assert note == "Read §3 again.\nCompare with GPTQ [bold]not markup[/bold]"
    assert [p.title for p in lib.search("has:note").papers] == [E_PMQ]
    assert lib.search("has:note quantization").total == 1
    assert lib.search("has:note diffusion").total == 0
    lib.set_note(pid, "")
    assert lib.search("has:note").total == 0
    assert lib.mark(pid) == Mark()


def test_desk_filters_combine_with_each_other_and_with_text(lib: Library) -> None:
    e_pmq, quest = paper_id(lib, E_PMQ), paper_id(lib, QUEST)
    lib.set_starred([e_pmq, quest], True)
    lib.toggle_read(quest)
    assert lib.search("is:starred").total == 2
    assert [p.title for p in lib.search("is:starred is:unread").papers] == [E_PMQ]
    assert [p.title for p in lib.search("is:starred quest").papers] == [QUEST]
    assert lib.search("is:starred", lib.person("Daily Papers")).total == 1
    assert lib.search("is:nonsense").total == 128  # an unknown flag filters nothing out


def test_stars_and_notes_survive_reingest_of_the_seeds_and_of_a_new_file(lib: Library, tmp_path: Path) -> None:
    pid = paper_id(lib, E_PMQ)
    lib.toggle_star(pid)
    lib.set_note(pid, "key paper")
    lib.toggle_read(pid)
    lib.ingest([SEEDS], captured=CAPTURED)  # the same pages again
    new_page = tmp_path / "pages" / "feed.txt"
    new_page.parent.mkdir()
    new_page.write_text(
        "Daily Papers\n\nbyAK and the research community\n\nJan 21\n\n"
        "A Brand New Paper on Merging\n\nSomething new about merging models.\n", encoding="utf-8",
    )
    lib.ingest([new_page], captured=CAPTURED)
    assert len(lib.papers) == 129
    for library in (lib, Library.open(tmp_path / "store.json")):
        assert library.mark(pid) == Mark(starred=True, state="read", note="key paper")
        assert [p.title for p in library.search("is:starred has:note").papers] == [E_PMQ]


def test_new_since_last_visit(tmp_path: Path) -> None:
    """Wenjun Wang is a named co-author of one paper on the other pages; his own page (000) lists
    seven, two of which were already in the store (their pages name fewer authors)."""
    files = sorted(SEEDS.glob("*.txt"))
    lib = Library.open(tmp_path / "store.json", seed_if_empty=False)
    lib.ingest([f for f in files if not f.name.startswith("000")], captured=CAPTURED)
    before = {p.id for p in lib.papers}
    wenjun = lib.person("Wenjun Wang")
    assert wenjun is not None and wenjun.paper_count == 1
    assert lib.new_since_last_visit(wenjun) == frozenset()  # before a first visit nothing is new
    lib.visit(wenjun)
    lib.ingest(files, captured=CAPTURED)
    wenjun = lib.person("Wenjun Wang")
    assert wenjun is not None and wenjun.paper_count == 7
    new = lib.new_since_last_visit(wenjun)
    assert len(new) == 4
    assert new == set(wenjun.paper_ids) - before
    assert Library.open(tmp_path / "store.json").new_since_last_visit(wenjun) == new
    lib.visit(wenjun)
    assert lib.new_since_last_visit(wenjun) == frozenset()  # nothing arrived since this visit


def test_arrivals_keep_the_first_time(tmp_path: Path) -> None:
    desk = Desk(tmp_path / "d.desk.json")
    assert desk.record_arrivals(["a", "b"], at="2026-01-01T00:00:00+00:00") == 2
    assert desk.record_arrivals(["b", "c"], at="2026-02-01T00:00:00+00:00") == 1
    again = Desk(tmp_path / "d.desk.json")
    assert [again.arrived(i) for i in "abc"] == [
        "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:00+00:00", "2026-02-01T00:00:00+00:00",
    ]


def test_two_processes_marking_lose_nothing(tmp_path: Path) -> None:
    first = Desk(tmp_path / "d.desk.json")
    second = Desk(tmp_path / "d.desk.json")  # opened before the first one writes
    first.toggle_star("a")
    second.set_note("b", "mine")
    assert Desk(tmp_path / "d.desk.json").ids_where(lambda m: m.starred or bool(m.note)) == {"a", "b"}


def test_a_damaged_desk_names_the_file_and_leaves_it_alone(tmp_path: Path) -> None:
    Library.open(tmp_path / "store.json")
    desk = tmp_path / "store.desk.json"
    desk.write_text('{"marks": {"1": {"starred": true}}}', encoding="utf-8")
    with pytest.raises(StoreError) as error:
        Library.open(tmp_path / "store.json")
    assert str(error.value) == (
        f"{desk}: your stars and notes file is damaged (a record has the wrong shape); "
        "move it aside to start afresh, or restore a backup"
    )
    assert desk.read_text(encoding="utf-8") == '{"marks": {"1": {"starred": true}}}'


def test_a_desk_that_is_not_json_names_the_file(tmp_path: Path) -> None:
    shutil.copy(SEEDS / "001_12bc639a810020c0.txt", tmp_path / "page.txt")
    (tmp_path / "store.desk.json").write_bytes(b"\x00garbage")
    with pytest.raises(StoreError, match=r"store\.desk\.json: the store is damaged \(not JSON"):
        Library.open(tmp_path / "store.json", seed_if_empty=False)


def test_a_note_too_long_is_refused_and_nothing_changes(lib: Library) -> None:
    pid = paper_id(lib, E_PMQ)
    with pytest.raises(ValueError, match="a note holds at most 100,000 characters"):
        lib.set_note(pid, "x" * 100_001)
    assert lib.mark(pid) == Mark()


def test_with_lists_exactly_the_papers_shared_with_each_collaborator(seed_library: Library) -> None:
    for name in ("Yuanyi Wang", "Wenjun Wang", "Zhenyi Wang"):
        person = seed_library.person(name)
        assert person is not None
        for collaborator in seed_library.summary(person).collaborators:
            hits = seed_library.search(f'with:"{collaborator.name}"', person)
            assert {p.id for p in hits.papers} == set(collaborator.paper_ids), (name, collaborator.name)
    assert seed_library.search('with:"Nobody Known"').total == 0
