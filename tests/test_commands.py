"""The palette scores only the people rapidfuzz finds likeliest, so it stays quick at any size."""

from __future__ import annotations

from store.library import Library
from tui.commands import PALETTE_PEOPLE, likeliest_people


def test_the_likeliest_people_come_first_and_are_few(seed_library: Library) -> None:
    assert len(seed_library.people) > PALETTE_PEOPLE
    found = likeliest_people(seed_library.people, "zhenyi")
    assert len(found) == PALETTE_PEOPLE
    assert found[0].name == "Zhenyi Wang"
    assert [p.name for p in likeliest_people(seed_library.people, "Researcher: Yanggan Gu")][:1] == ["Yanggan Gu"]
