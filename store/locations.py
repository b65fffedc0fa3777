"""Where paperscope keeps its files; every path can be overridden for tests and scripts."""

from __future__ import annotations

import os
from pathlib import Path

DB_ENV = "PAPERSCOPE_DB"


def default_db_path() -> Path:
    """`$PAPERSCOPE_DB`, else `store.json` in the platform's user data directory."""
    override = os.environ.get(DB_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path("paperscope", appauthor=False) / "store.json"


def bundled_seeds_dir() -> Path:
    """The seed pages shipped in the wheel (store/seeds), or the checkout's seeds/ when run from source."""
    package_dir = Path(__file__).resolve().parent
    installed = package_dir / "seeds"
    if installed.is_dir():
        return installed
    return package_dir.parent / "seeds"
