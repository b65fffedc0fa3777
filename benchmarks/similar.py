"""Benchmark similar papers on synthetic libraries: build, queries, memory, and recall vs exact.

    python benchmarks/similar.py [--papers N|seeds ...] [--queries Q] [--seed S] [--json]

Pages are the ones run.py uses (benchmarks/.cache, generated on first use); they go through the
real parsers and merge (no store is written), then `SimilarityIndex(papers)` is built and asked
for the five papers most like Q random papers. Each size runs in a fresh process, so the memory
figures are its own. Recall: how many of the exact top five (every term used to find candidates,
every candidate scored) the default index also returns, over min(Q, 50) of the queries.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402
import run  # noqa: E402

KEYS = ("papers", "build_s", "query_p50_ms", "query_p95_ms", "query_max_ms", "index_mb",
        "rss_before_mb", "rss_after_mb", "peak_rss_mb", "recall_at_5", "exact_query_p50_ms")
RECALL_QUERIES = 50


def _rss_mb() -> float:
    """Resident memory now (Linux), not the peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def worker(size: str, seed: int, queries: int) -> dict[str, Any]:
    from store.ingest import parse_files
    from store.merge import merge_papers
    from store.similar import SimilarityIndex

    pages_dir, _ = run.library_pages(size, seed)
    pages, _ = parse_files([pages_dir], generate.CAPTURED, {})
    papers = merge_papers(pages)
    del pages
    gc.collect()
    before = _rss_mb()

    start = time.perf_counter()
    index = SimilarityIndex(papers)
    build = time.perf_counter() - start
    after = _rss_mb()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    sample = [p.id for p in random.Random(seed).sample(papers, min(queries, len(papers)))]
    timings, answers = [], {}
    for paper_id in sample:
        begin = time.perf_counter()
        answers[paper_id] = index.similar(paper_id)
        timings.append((time.perf_counter() - begin) * 1000)

    exact = SimilarityIndex(papers, common=len(papers), candidates=len(papers))
    hits, wanted, exact_timings = 0, 0, []
    for paper_id in sample[:RECALL_QUERIES]:
        begin = time.perf_counter()
        truth = {s.paper_id for s in exact.similar(paper_id)}
        exact_timings.append((time.perf_counter() - begin) * 1000)
        hits += len(truth & {s.paper_id for s in answers[paper_id]})
        wanted += len(truth)
    return {
        "papers": len(papers),
        "build_s": round(build, 2),
        "query_p50_ms": round(statistics.median(timings), 2),
        "query_p95_ms": round(run.percentile(timings, 0.95), 2),
        "query_max_ms": round(max(timings), 2),
        "index_mb": round(index.nbytes / 2**20, 1),
        "rss_before_mb": round(before),
        "rss_after_mb": round(after),
        "peak_rss_mb": round(peak),
        "recall_at_5": round(hits / wanted, 3) if wanted else None,
        "exact_query_p50_ms": round(statistics.median(exact_timings), 2),
    }


def measure(size: str, seed: int, queries: int) -> dict[str, Any]:
    """One size in a fresh interpreter; its result is its last line."""
    command = [sys.executable, __file__, "--worker", size, str(seed), str(queries)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"similar worker failed for {size}:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        print(json.dumps(worker(argv[1], int(argv[2]), int(argv[3]))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", nargs="+", default=["10000", "100000"],
                        help="library sizes; 'seeds' means the bundled seed pages")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="one JSON object per size, one per line")
    args = parser.parse_args(argv)
    rows = []
    for size in args.papers:
        if size != "seeds" and not size.isdigit():
            parser.error(f"--papers: {size!r} is neither a number nor 'seeds'")
        row = measure(size, args.seed, args.queries)
        rows.append(row)
        if args.json:
            print(json.dumps(row), flush=True)
    if not args.json:
        cells = [list(KEYS)] + [["-" if r[k] is None else str(r[k]) for k in KEYS] for r in rows]
        widths = [max(len(row[i]) for row in cells) for i in range(len(KEYS))]
        print("\n".join("  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in cells))
        print(f"\nmachine: {run.machine()}; {args.queries} queries (k=5) per size")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
