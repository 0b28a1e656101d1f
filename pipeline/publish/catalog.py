"""The DuckDB catalog (<data>/parley.duckdb): one view per table over the LATEST release.

The file is regenerated, not a store: every build and every `parley query` brings its views to LATEST
(`sync_catalog`), and a build writes them before LATEST moves (write_release's `before_latest`). It is updated in
place, in one transaction, so tables, views and macros a user added to it are kept; a user object that has the
name of a released table is refused with a message rather than replaced.

The views read paths relative to the data folder (`releases/<version>/<table>.parquet`): DuckDB resolves a
relative path against the working directory, or against `SET file_search_path = '<data folder>'`, never against
the database file, so a relative path is what lets a copied or moved data folder open anywhere (an absolute
path only works on the machine and in the folder where it was built).
"""
from __future__ import annotations

import time
from pathlib import Path

import duckdb

from pipeline.publish.release import NoRelease, latest_path, releases_dir
from pipeline.publish.sandbox import open_release  # noqa: F401  (the read-only connection; imported from here)

CATALOG = "parley.duckdb"
TMP_PREFIX = ".tmp-"
LOCK_WAIT = 10.0  # seconds a build waits for another program to let go of the catalog
MARK = "parley release "  # the comment on every view parley owns: "parley release <version>"


class CatalogError(RuntimeError):
    pass


def catalog_path(data_dir: Path) -> Path:
    return Path(data_dir) / CATALOG


def _connect(path: Path, read_only: bool = False, wait: float = 0.0):
    """A connection to the catalog; another process holding it (DuckDB locks the file) is waited for up to
    `wait` seconds (a `parley query` checks the catalog's version in a few milliseconds)."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            first = str(exc).splitlines()[0]
            if "lock" not in first.lower():
                raise CatalogError(f"{path} cannot be opened ({first}); move it away and parley writes a new "
                                   "one") from exc
            if time.monotonic() >= deadline:
                raise CatalogError(f"{path} is open in another program; close it there and run again "
                                   f"({first})") from exc
        time.sleep(0.1)


def _objects(con) -> dict[str, tuple[str, str | None, str]]:
    """{name: (kind, comment, sql)} of the tables and views in the catalog's main schema."""
    rows = con.execute(
        "SELECT table_name, 'table', comment, '' FROM duckdb_tables() "
        "WHERE database_name = current_database() AND schema_name = 'main' "
        "UNION ALL SELECT view_name, 'view', comment, sql FROM duckdb_views() "
        "WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal").fetchall()
    return {name: (kind, comment, sql) for name, kind, comment, sql in rows}


def _owned(kind: str, comment: str | None, sql: str) -> bool:
    """A view parley wrote: marked by its comment, or (catalogs written before the mark) reading a release."""
    if kind != "view":
        return False
    if comment:
        return comment.startswith(MARK)
    return "read_parquet(" in sql and "/releases/" in sql


def catalog_version(data_dir: Path, wait: float = 0.0) -> str | None:
    """The release the catalog's views read (None: no catalog, or views from before versions were marked)."""
    path = catalog_path(data_dir)
    if not path.is_file():
        return None
    con = _connect(path, read_only=True, wait=wait)
    try:
        owned = {name: c[len(MARK):] for name, (kind, c, sql) in _objects(con).items() if c and _owned(kind, c, sql)}
    finally:
        con.close()
    marks = set(owned.values())
    if len(marks) != 1:
        return None
    version = marks.pop()
    # Every table of that release has its view (one dropped, or replaced by a user's table, is not "there").
    tables = {p.stem for p in (releases_dir(data_dir) / version).glob("*.parquet")}
    return version if tables == set(owned) else None


def write_catalog(data_dir: Path, release: Path) -> Path:
    """Point the catalog's views at `release` (a folder under <data>/releases), in one transaction.

    The caller holds the data folder's lock. Temporary catalogs left by builds of earlier versions (which wrote a
    new file and renamed it in) are removed.
    """
    data_dir, release = Path(data_dir), Path(release)
    target = catalog_path(data_dir)
    for stale in data_dir.glob(f"{TMP_PREFIX}*-{CATALOG}*"):
        stale.unlink(missing_ok=True)
    tables = {p.stem: _relative(p, data_dir) for p in sorted(release.glob("*.parquet"))}
    con = _connect(target, wait=LOCK_WAIT)
    try:
        existing = _objects(con)
        clash = sorted(n for n in tables if n in existing and not _owned(*existing[n]))
        if clash:
            kind = existing[clash[0]][0]
            raise CatalogError(f"{target} holds your own {kind} {clash[0]!r}, the name of a released table; "
                               f"rename it (ALTER {kind.upper()} {clash[0]} RENAME TO ...) and run again")
        # CREATE VIEW reads the files' schemas: the relative paths are found through the search path, which
        # is this connection's setting only (not stored in the file).
        con.execute("SET file_search_path = ?", [str(data_dir.resolve())])
        con.execute("BEGIN TRANSACTION")
        for name, (kind, comment, sql) in existing.items():
            if name not in tables and _owned(kind, comment, sql):
                con.execute(f'DROP VIEW "{name}"')
        for name, rel in tables.items():
            con.execute(f'CREATE OR REPLACE VIEW "{name}" AS SELECT * FROM read_parquet(\'{_quote(rel)}\')')
            con.execute(f'COMMENT ON VIEW "{name}" IS \'{_quote(MARK + release.name)}\'')
        con.execute("COMMIT")
        con.execute("CHECKPOINT")  # everything in the one file: it can be copied alone
    except duckdb.Error as exc:
        raise CatalogError(f"{target} could not be updated: {str(exc).splitlines()[0]}") from exc
    finally:
        con.close()
    return target


def _relative(parquet: Path, data_dir: Path) -> str:
    try:
        return parquet.resolve().relative_to(data_dir.resolve()).as_posix()
    except ValueError:  # a release outside the data folder (not written by a build): only its absolute path works
        return str(parquet.resolve())


def _quote(text: str) -> str:
    return text.replace("'", "''")


def sync_catalog(data_dir: Path) -> str | None:
    """Bring the catalog to LATEST when it is not there (a build killed between the two, a deleted or moved
    catalog); the version it now reads, or None when there is no release yet. The caller holds the lock."""
    try:
        release = latest_path(data_dir)
    except NoRelease:
        return None
    if catalog_version(data_dir, wait=LOCK_WAIT) != release.name:
        write_catalog(data_dir, release)
    return release.name
