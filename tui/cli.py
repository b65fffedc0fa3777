"""`paperscope`: the browser, and the scriptable commands beside it.

Textual is imported only when the browser starts, so `paperscope search` stays quick.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from store.db import StoreError
from store.library import Library
from store.text import counted
from tui import output

Handler = Callable[[argparse.Namespace], int]
INGEST_NOTICE_FROM = 10_000_000  # bytes of pages; fewer take about a second to ingest
REBUILD_NOTICE_FROM = 10_000  # papers listed on the stored pages; fewer take under a second to index
INTERRUPTED_STATUS = 130  # as a shell reports a command Ctrl+C ended
# What Ctrl+C left behind, said after "interrupted" (every store and desk write is atomic).
INTERRUPTED = {
    "ingest": "the store holds all of this ingest's pages or none of them; the same ingest again completes it",
}


def _terminal_width() -> int | None:
    """Cut lines to the terminal's width; leave them whole when piped."""
    return shutil.get_terminal_size().columns if sys.stdout.isatty() else None


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _fail(message: str) -> int:
    """Say what went wrong on one line of stderr; the exit status of a command that failed."""
    print(f"paperscope: {message}", file=sys.stderr)
    return 1


def _open(args: argparse.Namespace, seed_if_empty: bool = True) -> Library:
    return Library.open(args.db, seed_if_empty=seed_if_empty, on_rebuild=_announce_rebuild)


def _announce_rebuild(pages: int, listed: int) -> None:
    """Say why the terminal stays blank a while: a large store opened without its index."""
    if listed >= REBUILD_NOTICE_FROM:
        print(f"paperscope: indexing the store ({listed:,} papers listed on {pages:,} pages)…",
              file=sys.stderr, flush=True)


def _announce_ingest(files: Sequence[Path]) -> None:
    """Say what a long ingest reads, before the seconds it takes (results come at the end)."""
    from store.ingest import page_size

    size = sum(map(page_size, files))
    if size >= INGEST_NOTICE_FROM:
        print(f"paperscope: reading {counted(len(files), 'file')} ({size / 1e6:,.1f} MB)…",
              file=sys.stderr, flush=True)


def cmd_browse(args: argparse.Namespace) -> int:
    from tui.app import run_browser

    run_browser(_open(args))
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from store.ingest import expand_paths

    library = _open(args, seed_if_empty=False)
    paths = args.paths or None
    if paths is None:
        from store.locations import bundled_seeds_dir

        paths = [bundled_seeds_dir()]
    files = list(expand_paths(paths))  # folders listed once, for the notice and the ingest
    _announce_ingest(files)
    results = library.ingest(files, captured=args.captured)
    failed = [r for r in results if r.outcome == "failed"]
    for result in failed:
        print(f"paperscope: {output.safe(result.message())}", file=sys.stderr)
    if args.json:
        _print_json(
            {
                "files": [
                    {"path": r.path, "outcome": r.outcome, "format": r.format,
                     "papers": r.papers, "error": r.error}
                    for r in results
                ],
                **library.stats(),
            }
        )
    else:
        for result in results:
            if result.outcome != "failed":
                print(output.safe(result.message()))
        stats = library.stats()
        print(f"store: {counted(stats['papers'], 'paper')}, {counted(stats['researchers'], 'researcher')}, "
              f"{counted(stats['collections'], 'collection')}, {counted(stats['people'], 'person', 'people')}")
    return 1 if failed else 0


def cmd_papers(args: argparse.Namespace) -> int:
    library = _open(args)
    person = None
    if args.researcher:
        person = library.person(args.researcher)
        if person is None:
            return _fail(f"no researcher or author named {args.researcher!r}")
    # The desk's filters as a query: only the papers shown are decoded, newest first.
    marks = " ".join(flag for flag, wanted in (("is:starred", args.starred), ("is:unread", args.unread)) if wanted)
    if marks:
        papers = list(library.search(marks, person).papers)
    else:
        papers = library.papers_of(person) if person else list(library.papers)
    if args.json:
        _print_json([p.to_json() for p in papers])
    elif papers:
        print("\n".join(output.paper_rows(papers, _terminal_width())))
    return 0


def cmd_researchers(args: argparse.Namespace) -> int:
    library = _open(args)
    if args.json:
        _print_json([p.to_json() for p in library.people])
    else:
        print("\n".join(output.people_rows(list(library.people), _terminal_width())))
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    library = _open(args)
    hits = library.search(args.query)
    shown = list(hits.papers[: args.limit])
    if args.json:
        _print_json({"query": args.query, "total": hits.total, "papers": [p.to_json() for p in shown]})
        return 0
    if shown:
        print("\n".join(output.paper_rows(shown, _terminal_width())))
    shown_note = f", {len(shown)} shown" if len(shown) < hits.total else ""
    print(counted(hits.total, "paper matches", "papers match") + shown_note, file=sys.stderr)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    library = _open(args)
    paper = library.paper(args.paper_id)
    if paper is None:
        return _fail(f"no paper with id {args.paper_id!r}")
    mark = library.mark(paper.id)
    if args.json:
        _print_json({**paper.to_json(), "marks": {"starred": mark.starred, "state": mark.state, "note": mark.note}})
    else:
        print("\n".join(output.paper_details(paper, mark)))
    return 0


def cmd_researcher(args: argparse.Namespace) -> int:
    library = _open(args)
    person = library.person(args.name)
    if person is None:
        return _fail(f"no researcher or author named {output.safe(args.name)!r}")
    summary = library.summary(person)
    if args.json:
        _print_json(summary.to_json())
    else:
        print("\n".join(output.researcher_details(summary, _terminal_width(), top=args.top)))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from store.export import export, write_export

    library = _open(args)
    query = " ".join(part for part in (args.query, "is:starred" if args.starred else "") if part)
    papers = list(library.search(query).papers) if query else list(library.papers)
    notes = library.notes()
    if args.output is None:
        sys.stdout.write(export(papers, args.format, notes))
        return 0
    try:
        count = write_export(papers, args.format, args.output, notes)
    except OSError as error:
        return _fail(output.safe(error))
    print(f"exported {counted(count, 'paper')} to {output.safe(args.output)}", file=sys.stderr)
    return 0


def cmd_star(args: argparse.Namespace) -> int:
    """`star` and `unstar`: every id must exist, else nothing changes."""
    library = _open(args)
    papers = {pid: library.paper(pid) for pid in dict.fromkeys(args.paper_ids)}
    unknown = [pid for pid, paper in papers.items() if paper is None]
    if unknown:
        return _fail(f"no paper with id {output.safe(unknown[0])!r}; nothing changed")
    starred = args.command == "star"
    library.set_starred(papers, starred)
    for pid, paper in papers.items():
        print(f"{'starred' if starred else 'unstarred'}  {pid}  {output.display_title(paper)}")  # type: ignore[arg-type]
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    stats = _open(args).stats()
    if args.json:
        _print_json(stats)
        return 0
    print(f"papers       {stats['papers']}\nresearchers  {stats['researchers']}\n"
          f"collections  {stats['collections']}\npeople       {stats['people']}\nsources")
    for source in stats["sources"]:
        noun = "paper" if source["papers"] == 1 else "papers"  # after a number aligned in its column
        print(f"  {output.safe(source['file'])}  {source['format']:<18} {source['papers']:>6} {noun}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from tui.serve import serve

    return serve(args.host, args.port, args.db, on_rebuild=_announce_rebuild)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", type=Path, default=argparse.SUPPRESS,
                        help="the store file (default: $PAPERSCOPE_DB or the user data directory)")
    parser = argparse.ArgumentParser(
        prog="paperscope", parents=[common],
        description="Browse researchers, their papers and the abstracts. Without a command, opens the browser.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, parents=[common], help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    ingest = add("ingest", cmd_ingest, "ingest page files or directories (default: the bundled seeds)")
    ingest.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    ingest.add_argument("--captured", type=_iso_date, default=None,
                        help="the day the pages were captured, for dates without a year (default: today)")
    ingest.add_argument("--json", action="store_true")

    papers = add("papers", cmd_papers, "every paper, newest first")
    papers.add_argument("--researcher", metavar="NAME")
    papers.add_argument("--starred", action="store_true", help="only the papers you starred")
    papers.add_argument("--unread", action="store_true", help="only the papers not marked read")
    papers.add_argument("--json", action="store_true")

    researchers = add("researchers", cmd_researchers, "profile owners, collections, then people")
    researchers.add_argument("--json", action="store_true")

    researcher = add("researcher", cmd_researcher,
                     "one researcher: profile figures, papers per year, categories, collaborators")
    researcher.add_argument("name", metavar="NAME")
    researcher.add_argument("--top", type=int, default=15, metavar="N", help="collaborators listed (default 15)")
    researcher.add_argument("--json", action="store_true")

    search = add("search", cmd_search, "fuzzy search over titles, authors, abstracts (with field filters)")
    search.add_argument("query", metavar="QUERY")
    search.add_argument("--limit", type=int, default=20, metavar="N")
    search.add_argument("--json", action="store_true")

    show = add("show", cmd_show, "one paper, every field and the abstract")
    show.add_argument("paper_id", metavar="PAPER_ID")
    show.add_argument("--json", action="store_true")

    from store.export import FORMATS

    export = add("export", cmd_export, "write papers as BibTeX, Markdown, CSV or JSON (default: every paper)")
    export.add_argument("--format", choices=FORMATS, required=True)
    export.add_argument("--query", metavar="Q", help="only the papers this search finds, best first")
    export.add_argument("--starred", action="store_true", help="only the papers you starred")
    export.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here (atomically) instead of stdout")

    for name, verb in (("star", "star"), ("unstar", "remove the star from")):
        star = add(name, cmd_star, f"{verb} papers by id (as `papers` and `search` print them)")
        star.add_argument("paper_ids", nargs="+", metavar="PAPER_ID")

    stats = add("stats", cmd_stats, "what the store holds, by source")
    stats.add_argument("--json", action="store_true")

    serve = add("serve", cmd_serve, "serve the browser to a web page (one session per tab)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="the address to listen on (default: 127.0.0.1; others are warned about)")
    serve.add_argument("--port", type=int, default=8000, help="default: 8000")
    parser.set_defaults(handler=cmd_browse)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not hasattr(args, "db"):
        args.db = None
    try:
        return args.handler(args)
    except StoreError as error:
        print(f"paperscope: {output.safe(str(error))}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        sys.stderr.close()  # `paperscope papers | head`: the reader left, nothing more to say
        return 0
    except KeyboardInterrupt:
        note = INTERRUPTED.get(args.command or "")
        print("paperscope: interrupted" + (f": {note}" if note else ""), file=sys.stderr)
        return INTERRUPTED_STATUS


def entry() -> None:
    """The `paperscope` command: main(), then exit; after Ctrl+C without waiting for work left
    running in threads (an ingest's build takes seconds at 100k papers, all of it thrown away):
    every write that matters was made whole or not at all."""
    status = main()
    if status == INTERRUPTED_STATUS:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(status)
    sys.exit(status)


if __name__ == "__main__":
    entry()
