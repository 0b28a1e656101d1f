"""The DuckDB catalog (data/parley.duckdb): one view per table over the LATEST release."""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import duckdb

CATALOG = "parley.duckdb"
TMP_PREFIX = ".tmp-"


def _views(con, release: Path) -> list[str]:
    names = []
    for parquet in sorted(release.glob("*.parquet")):
        path = str(parquet.resolve()).replace("'", "''")
        con.execute(f'CREATE OR REPLACE VIEW "{parquet.stem}" AS SELECT * FROM read_parquet(\'{path}\')')
        names.append(parquet.stem)
    return names


def write_catalog(data_dir: Path, release: Path) -> Path:
    """Rebuild the catalog file beside the releases and swap it in atomically (one writer at a time: the caller
    holds the data folder's lock, so any temporary catalog already there was left by a killed build)."""
    target = Path(data_dir) / CATALOG
    for stale in target.parent.glob(f"{TMP_PREFIX}*-{CATALOG}*"):
        stale.unlink(missing_ok=True)
    tmp = target.with_name(f"{TMP_PREFIX}{uuid.uuid4().hex}-{CATALOG}")
    con = duckdb.connect(str(tmp))
    try:
        _views(con, release)
    finally:
        con.close()
    os.replace(tmp, target)
    return target


def open_release(release: Path):
    """An in-memory, locked-down connection whose views read only this release's files."""
    con = duckdb.connect(":memory:")
    _views(con, release)
    folder = str(release.resolve()) + os.sep
    # DuckDB adds its spill folder (./.tmp under the working directory) to the allowed directories, which
    # would let a query read whatever lies there; without spilling, only the release's folder is readable.
    con.execute("SET temp_directory = ''")
    con.execute("SET allowed_directories = [?]", [folder])
    con.execute("SET enable_external_access = false")
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")
    con.execute("SET lock_configuration = true")
    return con
