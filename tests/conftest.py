"""Shared fixtures: the bundled seeds, and a fixed capture date so inferred years never drift."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
CAPTURED = date(2026, 11, 23)


def seed_text(prefix: str) -> str:
    """The seed page whose file name starts with `prefix` (e.g. "002")."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


@pytest.fixture
def captured() -> date:
    return CAPTURED


@pytest.fixture(scope="session")
def seed_library(tmp_path_factory: pytest.TempPathFactory):
    """The bundled seeds ingested once into a throwaway store (read-only for the tests using it)."""
    from store.library import Library

    return Library.open(tmp_path_factory.mktemp("seeded") / "store.json", captured=CAPTURED)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("paperscope")
    group.addoption(
        "--fuzz-examples", type=int, default=None, metavar="N",
        help="hypothesis examples per parser fuzz test (default: a modest number that runs in seconds)",
    )
    group.addoption(
        "--crash-kills", type=int, default=200, metavar="N",
        help="how many times test_crash.py kills a writing child with SIGKILL (default 200)",
    )
