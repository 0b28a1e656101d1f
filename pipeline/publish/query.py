"""Read-only SQL over the latest release: one SELECT at a time, no file, extension or catalog access; bounded in
time (a timer interrupts the query), memory and threads (sandbox.open_release); rows streamed in batches."""
from __future__ import annotations

import queue
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipeline.publish.release import latest_path
from pipeline.publish.sandbox import DEFAULT_MEMORY_LIMIT, DEFAULT_THREADS, open_release

# Whitespace and comments before a keyword; then EXPLAIN and its optional ANALYZE.
_GAP = r"(?:\s|--[^\n]*(?:\n|$)|/\*.*?\*/)*"
_EXPLAIN = re.compile(rf"{_GAP}explain\b{_GAP}(?:analy[sz]e\b)?", re.IGNORECASE | re.DOTALL)
DEFAULT_TIMEOUT = 60.0
BATCH_ROWS = 2048
WATCH_SECONDS = 0.05  # how often the timeout's watchdog looks at the query


class QueryRefused(ValueError):
    pass


@dataclass(frozen=True)
class Limits:
    timeout: float | None = DEFAULT_TIMEOUT  # seconds for the whole query, its rows included; None: no limit
    memory_limit: str = DEFAULT_MEMORY_LIMIT
    threads: int = DEFAULT_THREADS


def _statement_type(sql: str):
    # A connection of its own, closed here: the module-level duckdb.extract_statements would open DuckDB's
    # process-wide default connection (a database with its worker threads) that nothing closes before the
    # interpreter's own teardown, where native shutdown can abort the process after its work is done.
    try:
        with duckdb.connect(":memory:") as parser:
            statements = parser.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryRefused(f"bad SQL: {str(exc).splitlines()[0]}") from exc
    if len(statements) != 1:
        raise QueryRefused("give exactly one SQL statement")
    return statements[0].type


def check_sql(sql: str) -> str:
    """One SELECT, or EXPLAIN [ANALYZE] of one SELECT (EXPLAIN ANALYZE runs its statement, so what it explains
    must be read-only too)."""
    kind = _statement_type(sql)
    if kind == duckdb.StatementType.EXPLAIN:
        m = _EXPLAIN.match(sql)
        kind = _statement_type(sql[m.end():]) if m else kind
    if kind != duckdb.StatementType.SELECT:
        raise QueryRefused(f"only read-only queries (SELECT) are allowed, not {kind.name}")
    return sql


def stream_query(data_dir: Path, sql: str, limits: Limits = Limits(), batch_rows: int = BATCH_ROWS,
                 release: Path | None = None) -> Iterator:
    """Yield the column names, then lists of at most `batch_rows` rows of `sql` on the latest release (or on the
    given release folder, wherever it is).

    DuckDB does not see Ctrl-C while it runs, so the query runs in a worker thread and this generator waits on a
    queue, where KeyboardInterrupt arrives; closing the generator (Ctrl-C, an error, a consumer that has enough
    rows) interrupts the query. A watchdog interrupts it once DuckDB has worked limits.timeout seconds on it; time
    the worker spends waiting for the consumer (output read slowly, through a pager) does not count.
    """
    check_sql(sql)
    try:
        con = open_release(release or latest_path(data_dir), limits.memory_limit, limits.threads)
    except duckdb.Error as exc:  # a memory limit DuckDB cannot read, say
        raise QueryRefused(f"bad limits: {str(exc).splitlines()[0]}") from exc
    out: queue.Queue = queue.Queue(maxsize=4)  # a few batches ahead of the consumer, never the whole result
    stop, timed_out, waiting = threading.Event(), threading.Event(), threading.Event()

    def put(item) -> None:
        waiting.set()
        try:
            while not stop.is_set():
                try:
                    out.put(item, timeout=0.1)
                    return
                except queue.Full:
                    continue
        finally:
            waiting.clear()

    def work() -> None:
        try:
            if stop.is_set():
                return
            cur = con.execute(sql)
            put(("columns", [d[0] for d in cur.description]))
            while not stop.is_set() and (rows := cur.fetchmany(batch_rows)):
                put(("rows", rows))
            put(("end", None))
        except Exception as exc:  # handed to the consumer's thread, which raises it
            put(("error", exc))

    def watch() -> None:
        used, last = 0.0, time.monotonic()
        while not stop.wait(WATCH_SECONDS):
            now = time.monotonic()
            used += 0.0 if waiting.is_set() else now - last
            last = now
            if used >= limits.timeout:
                timed_out.set()
                con.interrupt()
                return

    worker = threading.Thread(target=work, name="parley-query", daemon=True)
    watchdog = threading.Thread(target=watch, name="parley-query-timeout", daemon=True) if limits.timeout else None
    try:  # from the first thread's start: a Ctrl-C at any point below stops the query
        worker.start()
        if watchdog is not None:
            watchdog.start()
        while True:
            kind, value = out.get()
            if kind == "end":
                return
            if kind == "error":
                if timed_out.is_set():
                    raise QueryRefused(f"the query ran longer than {limits.timeout:g} s and was stopped "
                                       "(--timeout SECONDS to allow more)")
                if isinstance(value, duckdb.Error):
                    raise QueryRefused(str(value).splitlines()[0]) from value
                raise value
            yield value
    finally:
        stop.set()
        while worker.is_alive():  # again and again: an interrupt just before the query starts would be lost
            con.interrupt()
            worker.join(WATCH_SECONDS)
        if watchdog is not None and watchdog.ident is not None:
            watchdog.join()  # it sees `stop` within WATCH_SECONDS; no thread may touch `con` once it is closed
        con.close()


def run_query(data_dir: Path, sql: str, limits: Limits = Limits()):
    """(column names, rows) of `sql` on the latest release, every row at once (for small results and tests)."""
    batches = stream_query(data_dir, sql, limits)
    columns = next(batches)
    return columns, [row for batch in batches for row in batch]
