"""Two processes writing the same store: no lost update, no damage; readers never wait."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from conftest import CAPTURED

from store.db import StoreFile
from store.library import Library

WRITER = Path(__file__).with_name("crash_writer.py")
ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
TIMES = 100

PAGE = """Daily Papers

byAK and the research community

Jan 20

{title}

An abstract about {title}.

  \u2022 2 authors
\u00b7
Jan 16, 2025 4
"""


def writer(*args: str, **kwargs) -> subprocess.Popen[str]:  # type: ignore[no-untyped-def]
    return subprocess.Popen(
        [sys.executable, str(WRITER), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, cwd=ROOT, env=ENV, **kwargs,
    )


def test_two_writers_lose_no_update(tmp_path: Path) -> None:
    store = tmp_path / "s.json"
    go = tmp_path / "go"
    pages = {}
    for name, title in (("a", "Concurrent Writers Agree"), ("b", "Locks Beat Luck")):
        pages[name] = tmp_path / f"{name}.txt"
        pages[name].write_text(PAGE.format(title=title), encoding="utf-8")
    children = [
        writer("count", str(store), name, str(pages[name]), str(TIMES), str(go)) for name in ("a", "b")
    ]
    try:
        time.sleep(0.5)  # both have imported paperscope and wait for the start signal
        go.touch()
        outputs = [child.communicate(timeout=60) for child in children]
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
    assert [child.returncode for child in children] == [0, 0], outputs
    assert [out for out, _ in outputs] == ["done\n", "done\n"]

    document = StoreFile(store).read()
    counters = {mark["name"]: mark["value"] for mark in document["marks"].values()}
    assert counters == {"a": TIMES, "b": TIMES}
    assert sorted(page["file"] for page in document["sources"].values()) == ["a.txt", "b.txt"]
    library = Library.open(store, seed_if_empty=False)
    assert sorted(p.title for p in library.papers) == ["Concurrent Writers Agree", "Locks Beat Luck"]
    assert sorted(os.listdir(tmp_path)) == ["a.txt", "b.txt", "go", "s.desk.json", "s.desk.json.lock", "s.json", "s.json.cache", "s.json.lock"]


def test_readers_do_not_wait_for_a_writer(tmp_path: Path) -> None:
    store = tmp_path / "s.json"
    page = tmp_path / "a.txt"
    page.write_text(PAGE.format(title="Readers Never Block"), encoding="utf-8")
    Library.open(store, seed_if_empty=False).ingest([page], captured=CAPTURED)
    before = store.read_bytes()

    holder = writer("hold", str(store), stdin=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        # Another process reads while the lock is held: at once, and it sees the committed store.
        started = time.monotonic()
        reader = subprocess.run(
            [sys.executable, "-c",
             "import sys; from pathlib import Path; from store.library import Library; "
             "print([p.title for p in Library.open(Path(sys.argv[1]), seed_if_empty=False).papers])",
             str(store)],
            capture_output=True, text=True, timeout=30, cwd=ROOT, env=ENV,
        )
        assert time.monotonic() - started < 3
        assert (reader.returncode, reader.stdout, reader.stderr) == (0, "['Readers Never Block']\n", "")
        cli = subprocess.run(
            [sys.executable, "-m", "tui.cli", "--db", str(store), "papers", "--json"],
            capture_output=True, text=True, timeout=30, cwd=ROOT, env=ENV,
        )
        assert cli.returncode == 0 and '"title": "Readers Never Block"' in cli.stdout
        # A second writer gives up with the clear message and changes nothing.
        busy = subprocess.run(
            [sys.executable, "-c",
             "import sys; from store.db import StoreFile, StoreBusy\n"
             "try:\n"
             "    with StoreFile(__import__('pathlib').Path(sys.argv[1]), lock_timeout=0.3).writing() as db:\n"
             "        db.table('marks').insert({'second': True})\n"
             "except StoreBusy as error:\n"
             "    print(error)\n",
             str(store)],
            capture_output=True, text=True, timeout=30, cwd=ROOT, env=ENV,
        )
        assert busy.stdout == f"{store}: another paperscope is writing the store; try again in a moment\n"
        assert store.read_bytes() == before
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.stdout.readline() == "released\n"
        assert holder.wait(timeout=10) == 0
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
    assert list(StoreFile(store).read()["marks"].values()) == [{"held": True}]
