"""Issue 18: the run log of a CLI build is written without a disk flush or a new engine per event, and nothing is
lost."""
import importlib
import sqlite3

import dagster as dg
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from pipeline.run_log import SQLITE_STORAGES, kept_engines, quick_run_log


def _wal_db(path):
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE t (x INTEGER)")
    con.commit()
    con.close()


def _write_and_sync(path, value) -> int:
    """Insert one row as Dagster writes an event (a new engine and connection each time); the connection's
    synchronous setting (2 = FULL, SQLite's default; 1 = NORMAL)."""
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)
    with engine.connect() as conn, conn.begin():
        conn.execute(text("INSERT INTO t VALUES (:v)"), {"v": value})
        sync = conn.execute(text("PRAGMA synchronous")).scalar()
    engine.dispose()
    return sync


def test_inside_the_block_only_databases_under_the_storage_are_written_quickly(tmp_path):
    storage, other = tmp_path / "storage", tmp_path / "elsewhere"
    storage.mkdir(), other.mkdir()
    ours, theirs = storage / "runs.db", other / "user.db"
    _wal_db(ours), _wal_db(theirs)
    with quick_run_log(storage) as idle:
        assert _write_and_sync(ours, 1) == 1  # NORMAL
        assert _write_and_sync(theirs, 1) == 2  # left at SQLite's default
        assert list(idle) == [str(ours)]
        assert (storage / "runs.db-wal").exists()  # the log stays open: closing Dagster's connection kept it
        assert _write_and_sync(ours, 2) == 1
    assert all(_closed(c) for c in idle.values())
    assert _write_and_sync(ours, 3) == 2  # after the block, connections are as SQLite makes them
    assert not (storage / "runs.db-wal").exists()  # the last close checkpointed the log into the database
    assert [r[0] for r in sqlite3.connect(ours).execute("SELECT x FROM t")] == [1, 2, 3]


def _closed(con: sqlite3.Connection) -> bool:
    try:
        con.execute("SELECT 1")
    except sqlite3.ProgrammingError:
        return True
    return False


def test_a_dagster_run_logged_inside_the_block_is_complete_afterwards(tmp_path):
    @dg.asset
    def one():
        return 1

    with quick_run_log(tmp_path) as idle:
        with dg.DagsterInstance.local_temp(str(tmp_path)) as instance:
            result = dg.materialize([one], instance=instance)
            assert result.success
            # the run's databases were held open (by an idle connection or a kept engine's): their logs are there
            assert list(tmp_path.rglob("*.db-wal"))
            run_id = result.run_id
    with dg.DagsterInstance.local_temp(str(tmp_path)) as instance:
        events = instance.all_logs(run_id)
        assert instance.get_run_by_id(run_id).is_success
        kinds = [e.dagster_event.event_type_value for e in events if e.dagster_event]
        assert kinds[-1] == "PIPELINE_SUCCESS"  # RUN_SUCCESS, under its stored name
        assert instance.get_latest_materialization_event(dg.AssetKey("one")) is not None


def _dagster_create_engine():
    """create_engine as Dagster's SQLite event storage calls it (its module's own name, patched or not)."""
    return importlib.import_module(SQLITE_STORAGES[0]).create_engine


def test_dagster_gets_one_engine_per_database_under_the_storage_with_its_connection_kept(tmp_path):
    storage, other = tmp_path / "storage", tmp_path / "elsewhere"
    storage.mkdir(), other.mkdir()
    ours, theirs = storage / "runs.db", other / "user.db"
    _wal_db(ours), _wal_db(theirs)
    before = _dagster_create_engine()
    with kept_engines(storage.resolve()) as kept:
        make = _dagster_create_engine()
        first, second = (make(f"sqlite:///{ours}", poolclass=NullPool, connect_args={"timeout": 5}) for _ in "ab")
        assert first is second and len(kept) == 1
        for value in (1, 2):  # as Dagster writes an event: connect, commit, dispose
            with first.connect() as conn, conn.begin():
                conn.execute(text("INSERT INTO t VALUES (:v)"), {"v": value})
                raw = conn.connection.dbapi_connection
            first.dispose()
            assert not _closed(raw)
            if value == 1:
                kept_raw = raw
        assert raw is kept_raw  # the same SQLite connection served both events
        assert make(f"sqlite:///{theirs}", poolclass=NullPool) is not make(f"sqlite:///{theirs}", poolclass=NullPool)
        assert [r[0] for r in sqlite3.connect(ours).execute("SELECT x FROM t")] == [1, 2]  # each one committed
    assert _closed(raw)  # disposed of at the end
    assert _dagster_create_engine() is before
