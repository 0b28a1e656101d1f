"""Read-only SQL over the latest release: one SELECT at a time, no file, extension or catalog access."""
from __future__ import annotations

from pathlib import Path

import duckdb

from pipeline.publish.catalog import open_release
from pipeline.publish.release import latest_path

ALLOWED = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}


class QueryRefused(ValueError):
    pass


def check_sql(sql: str) -> str:
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryRefused(f"bad SQL: {str(exc).splitlines()[0]}") from exc
    if len(statements) != 1:
        raise QueryRefused("give exactly one SQL statement")
    if statements[0].type not in ALLOWED:
        raise QueryRefused(f"only read-only queries (SELECT) are allowed, not {statements[0].type.name}")
    return sql


def run_query(data_dir: Path, sql: str):
    """(column names, rows) of `sql` on the latest release."""
    check_sql(sql)
    con = open_release(latest_path(data_dir))
    try:
        cur = con.execute(sql)
        return [d[0] for d in cur.description], cur.fetchall()
    except duckdb.Error as exc:
        raise QueryRefused(str(exc).splitlines()[0]) from exc
    finally:
        con.close()
