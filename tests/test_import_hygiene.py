"""The data layer and the CLI stay light: Textual is imported only when the browser starts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imported_after(statement: str) -> set[str]:
    code = f"import json, sys\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert (done.returncode, done.stderr) == (0, "")
    return set(json.loads(done.stdout))


@pytest.mark.parametrize(
    "statement",
    [
        "import store, store.library, store.search, store.formats",
        "import store.db, store.ingest, store.merge, store.query, store.text, store.dates, store.sorting",
        "import tui.cli",
        "import tui.output",
    ],
)
def test_no_textual(statement: str) -> None:
    modules = imported_after(statement)
    assert "textual" not in modules
    assert not any(name.startswith("textual.") for name in modules)


def test_the_check_sees_textual_when_it_is_imported() -> None:
    assert "textual" in imported_after("import tui.app")


def test_cli_help_does_not_import_textual() -> None:
    modules = imported_after(
        "import contextlib, io\n"
        "from tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['--help'])"
    )
    assert "tui.cli" in modules
    assert "textual" not in modules
