"""Benchmark paperscope on synthetic libraries: ingest, load, index, first screen, keystrokes, fzf.

    python benchmarks/run.py [--papers N|seeds ...] [--seed S] [--json]

Each size is generated once (benchmarks/.cache, by size, seed and generator version), then every
figure is taken in a fresh subprocess so one measurement never warms another. See README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402

CACHE = Path(__file__).resolve().parent / ".cache"
KEYS = ("papers", "ingest_s", "load_s", "index_s", "first_screen_s", "keystroke_p50_ms",
        "keystroke_p95_ms", "keystroke_max_ms", "first_phase_p95_ms", "rss_mb", "fzf_ms", "fzf_ratio")
# Typed one character at a time; the full queries are also what fzf is compared on.
QUERIES = [
    "merging", "adamerging", "model merging", "continual learning", "quantization",
    "post-training quantization", "forgetting", "knowledge distillation", "diffusion", "federated",
    "vision transformers", "large language models", "low-rank", "lora", "multi-task learning",
    "data-free meta-learning", "weight space", "expert", "graph neural networks", "segmentation",
    "author:wang", "author:li shen", "cat:LG year:2024 model", "year:2023.. continual",
    "cat:CV segmentation", "src:daily merging", "mergign", "quantizaton", "contnual lerning",
    "distilation", "surgery", "e-pmq", "access sets matter", "token teachability", "zhenyi wang",
]


# --- the measurements, each run in its own process -------------------------------------------


def worker_ingest(pages: str, store: str) -> dict[str, Any]:
    """Ingest a directory of pages into a new store."""
    from store.library import Library

    start = time.perf_counter()
    library = Library.open(Path(store), seed_if_empty=False)
    results = library.ingest([Path(pages)], captured=generate.CAPTURED)
    elapsed = time.perf_counter() - start
    files = [[Path(r.path).name, r.format, r.papers, r.error] for r in results]
    return {"ingest_s": elapsed, "papers": len(library.papers), "files": files}


def worker_load(store: str, titles: str) -> dict[str, Any]:
    """Open the store, then search: each full query once, then every prefix of every query."""
    import resource

    from store.library import Library
    from store.search import SearchIndex

    start = time.perf_counter()
    library = Library.open(Path(store), seed_if_empty=False)
    load = time.perf_counter() - start
    timings = getattr(library, "timings", None)  # a breakdown, if the library offers one

    def timed(query: str, abstracts: bool = True) -> float:
        begin = time.perf_counter()
        library.search(query, abstracts=abstracts)
        return (time.perf_counter() - begin) * 1000

    full = [timed(q) for q in QUERIES]  # one-shot, as fzf --filter is
    # What the browser shows first (titles, authors, categories), then the whole search.
    first_phase = [timed(q[:i], False) for q in QUERIES for i in range(1, len(q) + 1)]
    keystrokes = [timed(q[:i]) for q in QUERIES for i in range(1, len(q) + 1)]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    index = _exposed(timings, "index")
    if index is None:
        begin = time.perf_counter()
        SearchIndex(library.papers)
        index = time.perf_counter() - begin
    Path(titles).write_text("".join(p.title.replace("\n", " ") + "\n" for p in library.papers), encoding="utf-8")
    return {"load_s": load, "index_s": index, "full_ms": full, "keystroke_ms": keystrokes,
            "first_phase_ms": first_phase,
            "rss_mb": rss, "timings": timings, "papers": len(library.papers)}


def _exposed(timings: Any, word: str) -> float | None:
    if isinstance(timings, dict):
        return next((float(v) for k, v in timings.items() if word in str(k)), None)
    return None


# Started with `python -c`: the clock runs from just before Popen to the first screen with papers.
FIRST_SCREEN = """
import asyncio, os, sys, time
from pathlib import Path
from store.library import Library
from tui.app import PaperscopeApp
from tui.widgets.paper_table import PaperTable

async def main() -> None:
    app = PaperscopeApp(Library.open(Path(sys.argv[1]), seed_if_empty=False), animate=False)
    async with app.run_test(headless=True, size=(80, 24)):
        while not any(t.row_count > 0 for t in app.screen.query(PaperTable)):
            await asyncio.sleep(0.002)
        print(time.time(), flush=True)
        os._exit(0)

asyncio.run(main())
"""


def run_worker(mode: str, *args: str) -> dict[str, Any]:
    """Run a worker mode of this script in a fresh interpreter; its result is its last line."""
    command = [sys.executable, __file__, "--worker", mode, *args]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{mode} worker failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def compile_package() -> None:
    """Compile paperscope's modules to bytecode, as pip does when it installs the package. Run
    from a checkout (an editable install) where PYTHONDONTWRITEBYTECODE is set, as on the machine
    these figures come from, every process would compile them from source: ~0.1 s of each start."""
    import compileall

    import store
    import tui

    for package in (store, tui):
        if not compileall.compile_dir(Path(package.__file__).parent, quiet=1):
            raise SystemExit(f"could not compile {package.__name__} to bytecode")


def first_screen(store: Path) -> float:
    start = time.time()
    done = subprocess.run([sys.executable, "-c", FIRST_SCREEN, str(store)], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"first screen failed:\n{done.stderr}")
    return float(done.stdout.split()[-1]) - start


def fzf_total_ms(titles: Path) -> float | None:
    """Wall time of `fzf --filter QUERY < titles`, summed over the full queries (process start included)."""
    fzf = shutil.which("fzf")
    if fzf is None:
        return None
    total = 0.0
    for query in QUERIES:
        with titles.open("rb") as lines:
            begin = time.perf_counter()
            subprocess.run([fzf, "--filter", query], stdin=lines, stdout=subprocess.DEVNULL)
            total += time.perf_counter() - begin
    return total * 1000


# --- one size end to end ---------------------------------------------------------------------


def library_pages(size: str, seed: int) -> tuple[Path, dict[str, Any] | None]:
    """The pages for a size ("seeds" or a number), generated on first use and cached."""
    if size == "seeds":
        from store.locations import bundled_seeds_dir

        return bundled_seeds_dir(), None
    out = CACHE / f"v{generate.VERSION}-n{size}-s{seed}"
    manifest_path = out / generate.MANIFEST
    if not manifest_path.exists():
        begin = time.perf_counter()
        generate.generate(int(size), out, seed)
        _say(f"{size}: generated in {time.perf_counter() - begin:.1f} s into {out}")
    return out, json.loads(manifest_path.read_text(encoding="utf-8"))


def check_ingest(size: str, result: dict[str, Any], manifest: dict[str, Any] | None) -> None:
    """Every page parsed as its format with every paper, and N distinct papers stored."""
    failed = [f for f in result["files"] if f[3]]
    for name, _, _, error in failed:
        _say(f"{size}: {name}: {error}")
    if manifest is None:
        return
    wrong = [f for f in result["files"] if manifest["files"].get(f[0]) != {"format": f[1], "papers": f[2]}]
    if wrong or len(result["files"]) != len(manifest["files"]):
        _say(f"{size}: {len(wrong)} pages parsed differently than generated, e.g. {wrong[:3]}")
    if abs(result["papers"] - manifest["papers"]) > 3:
        _say(f"{size}: {result['papers']} papers stored, {manifest['papers']} generated")


def percentile(values: list[float], share: float) -> float:
    """The value `share` of the way up the sorted values (nearest rank); 0 for none."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def measure(size: str, seed: int) -> dict[str, Any]:
    pages, manifest = library_pages(size, seed)
    work = Path(tempfile.mkdtemp(prefix="paperscope-bench-"))
    try:
        store, titles = work / "store.json", work / "titles.txt"
        clock = time.perf_counter()
        ingested = run_worker("ingest", str(pages), str(store))
        check_ingest(size, ingested, manifest)
        phases = {"ingest": time.perf_counter() - clock}
        clock = time.perf_counter()
        loaded = run_worker("load", str(store), str(titles))
        phases["load+search"] = time.perf_counter() - clock
        clock = time.perf_counter()
        screen = first_screen(store)
        phases["first screen"] = time.perf_counter() - clock
        clock = time.perf_counter()
        fzf = fzf_total_ms(titles)
        phases["fzf"] = time.perf_counter() - clock
        _say(f"{size}: " + ", ".join(f"{k} {v:.1f} s" for k, v in phases.items())
             + (f"; library timings {loaded['timings']}" if loaded["timings"] else ""))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    keys = sorted(loaded["keystroke_ms"])
    first = sorted(loaded["first_phase_ms"])
    ours = sum(loaded["full_ms"])
    return {
        "papers": ingested["papers"],
        "ingest_s": round(ingested["ingest_s"], 3),
        "load_s": round(loaded["load_s"], 3),
        "index_s": round(loaded["index_s"], 3),
        "first_screen_s": round(screen, 3),
        "keystroke_p50_ms": round(statistics.median(keys), 2),
        "keystroke_p95_ms": round(percentile(keys, 0.95), 2),
        "keystroke_max_ms": round(keys[-1], 2),
        "first_phase_p95_ms": round(percentile(first, 0.95), 2),
        "rss_mb": round(loaded["rss_mb"], 1),
        "fzf_ms": None if fzf is None else round(fzf, 1),
        "fzf_ratio": None if fzf is None else round(ours / fzf, 3),
    }


# --- output ----------------------------------------------------------------------------------


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, {platform.system()}"


def table(rows: list[dict[str, Any]]) -> str:
    cells = [list(KEYS)] + [["-" if r[k] is None else str(r[k]) for k in KEYS] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(KEYS))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    notes = [
        f"machine: {machine()}",
        f"keystrokes: every prefix of {len(QUERIES)} queries "
        f"({sum(len(q) for q in QUERIES)} library.search calls per size); first_phase: the same"
        " keystrokes without the slow tiers (typos, abstracts), as the browser shows them first",
        f"fzf_ms: `fzf --filter QUERY` over the titles, summed over the {len(QUERIES)} full queries"
        " (process start included); fzf_ratio: our one-shot full-query searches summed, / fzf_ms",
    ]
    if shutil.which("fzf") is None:
        notes.append("fzf is not installed: fzf_ms and fzf_ratio skipped")
    return "\n".join(lines + [""] + notes)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        worker = {"ingest": worker_ingest, "load": worker_load}[argv[1]]
        print(json.dumps(worker(*argv[2:])))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", nargs="+", default=["1000", "10000", "100000"],
                        help="library sizes; 'seeds' means the bundled seed pages")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="one JSON object per size, one per line")
    args = parser.parse_args(argv)
    for size in args.papers:
        if size != "seeds" and not size.isdigit():
            parser.error(f"--papers: {size!r} is neither a number nor 'seeds'")
    compile_package()
    rows = []
    for size in args.papers:
        row = measure(size, args.seed)
        rows.append(row)
        if args.json:
            print(json.dumps(row), flush=True)
    if not args.json:
        print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
