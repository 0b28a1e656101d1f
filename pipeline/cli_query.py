"""`parley query`: read-only SQL, streamed, bounded and interruptible (the arguments and the command)."""
from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from pipeline.publish.query import DEFAULT_TIMEOUT, QueryRefused
from pipeline.publish.sandbox import DEFAULT_MEMORY_LIMIT, DEFAULT_THREADS


def query_arguments(q: argparse.ArgumentParser) -> None:
    q.add_argument("--release", help="query this release (version name under --data, or any release folder, e.g. "
                                     "an unzipped export) instead of LATEST")
    q.add_argument("--limit", type=int, help="print at most N rows (default: every row for csv and json, the "
                                             "first 1000 for the table format)")
    q.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                   help=f"stop the query once DuckDB has worked this many seconds on it; time waiting for the "
                        f"output to be read does not count (default {DEFAULT_TIMEOUT:g}; 0: no limit)")
    q.add_argument("--memory-limit", default=DEFAULT_MEMORY_LIMIT,
                   help=f"DuckDB's memory limit, e.g. 500MB; a query needing more stops with an error "
                        f"(default {DEFAULT_MEMORY_LIMIT})")
    q.add_argument("--threads", type=int, default=DEFAULT_THREADS,
                   help=f"DuckDB threads (default {DEFAULT_THREADS})")


def _positive(value, name: str, allow_zero: bool = False):
    if value is not None and (value < 0 or (value == 0 and not allow_zero)):
        raise QueryRefused(f"{name} must be {'0 or more' if allow_zero else 'more than 0'}, not {value:g}")
    return value


def run_query_command(args) -> int:
    """The rows are printed batch by batch as DuckDB gives them; the query stops after --timeout seconds of work;
    Ctrl-C stops it (main() turns the KeyboardInterrupt into one line and exit code 130)."""
    from pipeline.cli import _release_path
    from pipeline.cli_output import TABLE_ROWS, stream_rows
    from pipeline.publish.query import Limits, stream_query
    _positive(args.limit, "--limit", allow_zero=True)
    _positive(args.threads, "--threads")
    timeout = _positive(args.timeout, "--timeout", allow_zero=True) or None
    release = _release_path(args.data, args.release) if args.release else None
    if release is None:
        note_catalog(Path(args.data))
    batches = stream_query(Path(args.data), args.sql, Limits(timeout, args.memory_limit, args.threads),
                           release=release)
    with contextlib.closing(batches):  # stopping early (a limit, Ctrl-C) interrupts the query
        columns = next(batches)
        if stream_rows(columns, batches, args.format, args.limit):
            print(f"parley: showing the first {TABLE_ROWS} rows; --limit N for another number, --format csv or "
                  "json for every row", file=sys.stderr)
    return 0


def note_catalog(data_dir: Path) -> None:
    """Bring <data>/parley.duckdb to LATEST if a killed build left it behind or ahead (only when no build is
    running: a build writes it itself); a catalog that cannot be updated is said in one line, and the query goes
    on (it does not read the file)."""
    from pipeline.publish.catalog import CATALOG, CatalogError, catalog_version, sync_catalog
    from pipeline.publish.lock import Busy, data_lock
    from pipeline.publish.release import NoRelease, latest_version
    try:
        if catalog_version(data_dir) == latest_version(data_dir):
            return
    except (NoRelease, CatalogError):
        return  # no release yet, or the file is open elsewhere or unreadable: the next build says which
    try:
        with data_lock(data_dir):
            sync_catalog(data_dir)
    except Busy:
        return
    except (CatalogError, OSError) as exc:
        print(f"parley: note: {CATALOG} was not brought to LATEST: {exc}", file=sys.stderr)
