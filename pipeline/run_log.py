"""The run log of `parley build`: Dagster's SQLite event storage written without waiting for the disk per event,
and without a new engine and connection per event.

Dagster's local storage creates a SQLAlchemy engine and opens a new SQLite connection for every event it records
(~370 in a build: step starts, inputs, outputs, check results) and for most reads, commits and closes it, then
disposes of the engine. Each commit waits for the disk (fdatasync), and closing the last connection to a database in
WAL mode checkpoints its log into the database and deletes it: 25-40 ms an event on this project's shared test
machine, 10-20 s of a small build (bench/RESULTS.md, "Fixed costs of a small build"). Once that wait was gone, the
engine and connection made per event were most of what an event cost (~4 ms CPU: ~1.3 s of a 400-article re-run).

While a build runs, `quick_run_log`
- keeps one idle connection open to each WAL database under the Dagster storage folder, so that closing Dagster's
  own connections no longer checkpoints, and gives Dagster's connections there synchronous=NORMAL, under which a WAL
  commit does not wait for the disk. SQLite documents that WAL databases with synchronous=NORMAL stay consistent
  after a crash or power cut; a power cut may only lose the last events written;
- gives Dagster's SQLite storages one engine per database under that folder, whose connection (one per thread,
  SQLAlchemy's SingletonThreadPool) is kept between events: each event is still its own transaction, committed as
  before; Dagster's dispose() after an event leaves the connection open.
When the build ends the engines are disposed of and the idle connections closed: the last close checkpoints each
log to disk, as before. Nothing else in the process is touched: only SQLite files under that folder, only inside
the block.
"""
from __future__ import annotations

import contextlib
import importlib
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import NullPool, SingletonThreadPool

# Dagster's modules that make a NullPool engine per connection to a SQLite storage (each imports create_engine).
SQLITE_STORAGES = ("dagster._core.storage.event_log.sqlite.sqlite_event_log",
                   "dagster._core.storage.runs.sqlite.sqlite_run_storage",
                   "dagster._core.storage.schedules.sqlite.sqlite_schedule_storage")


def _under(path: str | None, root: Path) -> bool:
    return bool(path) and Path(path).resolve().is_relative_to(root)


@contextlib.contextmanager
def quick_run_log(storage: Path) -> Iterator[dict[str, sqlite3.Connection]]:
    """Inside the block, Dagster's SQLite databases under `storage` are written as the module says; yields the idle
    connections held (by database path), for tests."""
    root = Path(storage).resolve()
    idle: dict[str, sqlite3.Connection] = {}

    def on_connect(connection, _record) -> None:
        if not isinstance(connection, sqlite3.Connection):
            return
        path = connection.execute("PRAGMA database_list").fetchone()[2]
        if not _under(path, root):
            return
        connection.execute("PRAGMA synchronous=NORMAL")
        # Held only once the database is in WAL mode (Dagster switches a new database to it after creating it):
        # a connection opened before would not keep the log open.
        if path not in idle and connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
            keeper = sqlite3.connect(path, check_same_thread=False)
            keeper.execute("SELECT count(*) FROM sqlite_master").fetchone()  # attaches it to the log
            idle[path] = keeper

    event.listen(Engine, "connect", on_connect)
    try:
        with kept_engines(root):
            yield idle
    finally:
        event.remove(Engine, "connect", on_connect)
        for keeper in idle.values():
            keeper.close()


@contextlib.contextmanager
def kept_engines(root: Path) -> Iterator[dict]:
    """Inside the block, Dagster's SQLite storages get one engine per database under `root` (by URL and connection
    arguments), with its connections kept between uses; yields them (for tests). Other databases, and engines asked
    for with another pool than NullPool, are made as before. At the end the kept engines are disposed of."""
    modules = [importlib.import_module(name) for name in SQLITE_STORAGES]
    originals = [module.create_engine for module in modules]
    kept: dict[tuple, Engine] = {}
    lock = threading.Lock()

    def make(original):
        def create_engine(url, **kwargs):
            if kwargs.get("poolclass") is not NullPool or not _under(make_url(url).database, root):
                return original(url, **kwargs)
            key = (str(url), repr(sorted(kwargs.get("connect_args", {}).items())))
            with lock:
                if key not in kept:
                    engine = original(url, **{**kwargs, "poolclass": SingletonThreadPool})
                    engine.dispose = _keep_open  # Dagster disposes of its engine after each event
                    kept[key] = engine
                return kept[key]
        return create_engine

    for module, original in zip(modules, originals):
        module.create_engine = make(original)
    try:
        yield kept
    finally:
        for module, original in zip(modules, originals):
            module.create_engine = original
        for engine in kept.values():
            Engine.dispose(engine)  # the class's own: closes the kept connections


def _keep_open(*_args, **_kwargs) -> None:
    """A kept engine's dispose(): its connections stay open for the next event (closed when the block ends)."""
