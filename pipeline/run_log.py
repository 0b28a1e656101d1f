"""The run log of `parley build`: Dagster's SQLite event storage written without waiting for the disk per event.

Dagster's local storage opens a new SQLite connection for every event it records (~500 in a build: step starts,
inputs, outputs, check results), commits and closes it. Each commit waits for the disk (fdatasync), and closing the
last connection to a database in WAL mode checkpoints its log into the database and deletes it: 25-40 ms an event
on this project's shared test machine, 10-20 s of a small build (bench/RESULTS.md, "Fixed costs of a small build").

While a build runs, `quick_run_log` keeps one idle connection open to each WAL database under the Dagster storage
folder, so that closing Dagster's own connections no longer checkpoints, and gives Dagster's connections there
synchronous=NORMAL, under which a WAL commit does not wait for the disk. SQLite documents that WAL databases with
synchronous=NORMAL stay consistent after a crash or power cut; a power cut may only lose the last events written.
When the build ends the idle connections are closed: the last close checkpoints each log to disk, as before.
Nothing else in the process is touched: only SQLite files under that folder, only inside the block.
"""
from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine


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
        if not path or not Path(path).resolve().is_relative_to(root):
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
        yield idle
    finally:
        event.remove(Engine, "connect", on_connect)
        for keeper in idle.values():
            keeper.close()
