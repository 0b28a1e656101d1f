"""The read-only DuckDB connection `parley query` and `parley facts` use: views over one release's files, nothing
else readable, memory and threads capped, configuration locked."""
from __future__ import annotations

import os
from pathlib import Path

import duckdb

DEFAULT_MEMORY_LIMIT = "2GB"
DEFAULT_THREADS = min(4, os.cpu_count() or 1)


def _views(con, release: Path) -> list[str]:
    names = []
    for parquet in sorted(release.glob("*.parquet")):
        path = str(parquet.resolve()).replace("'", "''")
        con.execute(f'CREATE OR REPLACE VIEW "{parquet.stem}" AS SELECT * FROM read_parquet(\'{path}\')')
        names.append(parquet.stem)
    return names


def open_release(release: Path, memory_limit: str = DEFAULT_MEMORY_LIMIT, threads: int = DEFAULT_THREADS):
    """An in-memory, locked-down connection whose views read only this release's files."""
    con = duckdb.connect(":memory:")
    try:
        _views(con, release)
        folder = str(release.resolve()) + os.sep
        # DuckDB adds its spill folder (./.tmp under the working directory) to the allowed directories, which
        # would let a query read whatever lies there; without spilling, only the release's folder is readable, and
        # a query that needs more than the memory limit stops with DuckDB's out-of-memory error instead of filling
        # a disk.
        con.execute("SET temp_directory = ''")
        con.execute("SET memory_limit = ?", [memory_limit])
        con.execute("SET threads = ?", [int(threads)])
        con.execute("SET allowed_directories = [?]", [folder])
        con.execute("SET enable_external_access = false")
        con.execute("SET autoinstall_known_extensions = false")
        con.execute("SET autoload_known_extensions = false")
        con.execute("SET lock_configuration = true")
    except BaseException:  # closed here, not left to the garbage collector (or the interpreter's teardown)
        con.close()
        raise
    return con
