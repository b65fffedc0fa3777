"""Full garbage collections wait for the user to be idle; young ones go on as before."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from store.library import Library
from conftest import settle
from tui.app import PaperscopeApp
from tui.idle_collector import NEVER, IdleCollector


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def generations() -> Iterator[list[int]]:
    """The generation of every collection that starts while the test runs."""
    seen: list[int] = []

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            seen.append(info["generation"])

    gc.callbacks.append(record)
    try:
        yield seen
    finally:
        gc.callbacks.remove(record)


def make_cycles(count: int) -> None:
    for _ in range(count):
        cycle: list[object] = []
        cycle.append(cycle)


def test_python_starts_only_young_collections_while_it_runs(generations: list[int]) -> None:
    before = gc.get_threshold()
    collector = IdleCollector()
    collector.start()
    try:
        assert gc.get_threshold() == (before[0], before[1], NEVER)
        make_cycles(200 * before[0] * before[1])  # enough for a few hundred young collections
    finally:
        collector.stop()
    assert gc.get_threshold() == before
    assert 1 in generations  # young collections ran, as before
    assert 2 not in generations


def test_collects_everything_once_no_input_came_for_a_while(generations: list[int]) -> None:
    clock = Clock()
    collector = IdleCollector(idle_s=1.0, clock=clock)
    gc.collect(1)  # something reached the oldest generation
    collector.input_arrived()
    clock.now += 0.9
    assert not collector.collect_if_idle()
    assert 2 not in generations
    clock.now += 0.2
    assert collector.collect_if_idle()
    assert generations[-1] == 2
    assert gc.get_count()[2] == 0


def test_no_full_collection_when_nothing_reached_the_oldest_generation() -> None:
    clock = Clock()
    collector = IdleCollector(idle_s=1.0, clock=clock)
    gc.collect()
    clock.now += 5
    assert not collector.collect_if_idle()


async def test_the_browser_collects_only_after_keys_stop(seed_library: Library) -> None:
    before = gc.get_threshold()
    app = PaperscopeApp(seed_library, animate=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert gc.get_threshold()[2] == NEVER
        clock = Clock()
        app.idle_collector._clock = clock
        gc.collect(1)
        await pilot.press("j")
        clock.now += 0.5
        assert not app.idle_collector.collect_if_idle()  # the key was half a second ago
        clock.now += 0.6
        assert app.idle_collector.collect_if_idle()
    assert gc.get_threshold() == before
