"""Read-only SQL over the latest release: one SELECT at a time, no file, extension or catalog access."""
from __future__ import annotations

import re
from pathlib import Path

import duckdb

from pipeline.publish.catalog import open_release
from pipeline.publish.release import latest_path

# Whitespace and comments before a keyword; then EXPLAIN and its optional ANALYZE.
_GAP = r"(?:\s|--[^\n]*(?:\n|$)|/\*.*?\*/)*"
_EXPLAIN = re.compile(rf"{_GAP}explain\b{_GAP}(?:analy[sz]e\b)?", re.IGNORECASE | re.DOTALL)


class QueryRefused(ValueError):
    pass


def _statement_type(sql: str):
    try:
        statements = duckdb.extract_statements(sql)
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
