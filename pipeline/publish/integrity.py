"""Integrity of the tables as plain functions: schema, references between tables, evidence spans.

Each returns its failure cases as a DataFrame (empty when all is well). The asset checks report them in
the UI; the release asset runs the cross-table ones again over everything it is about to publish.

A table is a DataFrame or a TableFile (its Parquet file). Files are never loaded whole: the schema is checked in
chunks of whole articles, and references and evidence spans are joins run by DuckDB over the files, in bounded
memory.
"""
from __future__ import annotations

import contextlib
import functools
import os
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from pandera.errors import SchemaErrors

from pipeline.publish.arrow import TableFile, numbered, article_tables, concat_like_one, to_arrow
from pipeline.publish.check_cache import ChunkCache, chunk_key, file_key
from pipeline.publish.kept_check import recheck

from pipeline.publish.keys import references
from schemas import TABLES, schema_for

SCHEMA_CASES = ["column", "check", "failure_case", "index"]
REFERENCE_CASES = ["column", "value", "missing_in", "row"]


def failure_summary(exc: SchemaErrors | pd.DataFrame, limit: int = 10) -> str:
    """pandera's failure cases (or schema_failures' rows) as a short readable list."""
    cases = exc.failure_cases if isinstance(exc, SchemaErrors) else exc
    lines = [f"{len(cases)} failure case(s):"]
    for row in cases.head(limit).itertuples(index=False):
        lines.append(f"- column {row.column}: check {row.check} failed for {row.failure_case!r} (row {row.index})")
    return "\n".join(lines)


def schema_columns(table: str) -> list[str]:
    return list(schema_for(table).to_schema().columns)


def references_of(table: str) -> dict[str, tuple[str, str]]:
    return references(table, schema_columns(table), TABLES)


def has_spans(table: str) -> bool:
    return table != "articles" and {"article_id", "start", "end"} <= set(schema_columns(table))



Table = pd.DataFrame | TableFile
CHUNK_ROWS = 50_000  # rows validated at once (a chunk of a wide table is ~60 MB as a DataFrame)
#: DuckDB's working memory for the checks; beyond it, joins spill to a temporary folder.
DUCKDB_MEMORY = "1GB"


def _raw_cases(table: str, df: pd.DataFrame) -> pd.DataFrame | None:
    """pandera's failure cases as it gives them (row numbers as the frame's index values), None when it passes."""
    try:
        schema_for(table).validate(df, lazy=True)
    except SchemaErrors as exc:
        return exc.failure_cases[SCHEMA_CASES]
    return None


def _schema_cases(table: str, df: pd.DataFrame) -> pd.DataFrame | None:
    cases = _raw_cases(table, df)
    return None if cases is None else cases.astype(str)


def _chunk_cases(table: str, path, cache: ChunkCache | None) -> list[pd.DataFrame]:
    """Each chunk's failure cases: kept ones for a chunk seen before with the same rows (check_cache.py), pandera's
    for the others (converted to pandas only then)."""
    out = []
    for offset, part in article_tables(path, CHUNK_ROWS):
        key = chunk_key(part) if cache is not None else None
        found, cases = cache.get(key, offset) if cache is not None else (False, None)
        if not found:
            cases = _raw_cases(table, numbered(part, offset))
            if cache is not None:
                cache.put(key, offset, cases)
        if cases is not None:
            out.append(cases.astype(str))
    return out


def _unique_sets(table: str) -> list[list[str]]:
    """The column sets that must be unique across the whole table: unique fields, and the schema's `unique`."""
    schema = schema_for(table).to_schema()
    sets = [[name] for name, column in schema.columns.items() if column.unique]
    if schema.unique:
        sets.append([schema.unique] if isinstance(schema.unique, str) else list(schema.unique))
    return [s for i, s in enumerate(sets) if s not in sets[:i]]


def distinct_rows(path, names: list[str], nulls: bool = False) -> bool:
    """True when no two rows of the file share their values of `names`, all present: _unique_cases would find
    nothing, told by Arrow without converting the columns to pandas. Only for strings and null-free integers, where
    Arrow's and pandas' equality agree (pandas holds integers with nulls as floats); False means: ask pandas.
    With `nulls`, rows with a null count too, a null equal to a null (as pandas' duplicated, which pandera runs)."""
    table = pq.read_table(path, columns=names)
    if not all(pa.types.is_string(f.type) or (pa.types.is_integer(f.type) and not table.column(f.name).null_count)
               for f in table.schema):
        return False
    if not nulls and any(table.column(n).null_count for n in names):
        table = table.filter(functools.reduce(pc.and_, [pc.is_valid(table.column(n)) for n in names]))
    return table.group_by(names, use_threads=False).aggregate([]).num_rows == table.num_rows  # threads cost more


def _unique_cases(table: str, read) -> list[pd.DataFrame]:
    """Rows repeating a value (or combination) that must be unique, over the whole table: `read(columns)` gives
    those columns, indexed by row number (a few columns of a file, never the table)."""
    cases = []
    for names in _unique_sets(table):
        values = read(names)
        if values is None:
            continue
        dup = values[values.duplicated(keep=False) & values.notna().all(axis=1)]
        if len(dup):
            text = dup.astype(str).agg(", ".join, axis=1)
            check = "field_uniqueness" if len(names) == 1 else "multiple_fields_uniqueness"
            cases.append(pd.DataFrame({"column": ", ".join(names), "check": check, "failure_case": text,
                                       "index": dup.index.astype(str)}))
    return cases


def _cases(cases: list[pd.DataFrame]) -> pd.DataFrame:
    if not cases:
        return pd.DataFrame(columns=SCHEMA_CASES)
    return pd.concat(cases, ignore_index=True).drop_duplicates(ignore_index=True)


def schema_failures(table: str, df: Table, cache_dir: Path | None = None, con=None) -> pd.DataFrame:
    """pandera's failure cases (lazy: every failing column and check at once). A file is validated in chunks of
    whole articles (the per-article checks see every row of an article together), each chunk's result kept in
    `cache_dir` when given (check_cache.py); columns that must be unique across the table are then checked over
    the whole column. With the cache, a re-run validates only the rows that differ from the last file that passed,
    when that tells the result (kept_check.py; `con`: a DuckDB connection to use, see shared_connection)."""
    if not isinstance(df, TableFile):
        return _cases([c for c in [_schema_cases(table, df)] if c is not None])
    cache = ChunkCache(cache_dir, table) if cache_dir is not None else None
    key = file_key(df.path) if cache is not None else b""
    if cache is not None and (kept := cache.table(key)) is not None:
        return kept  # the very same file as a run before: its whole result (unique columns included)
    present = set(df.columns)
    if cache is not None and _passes_as_kept(table, df.path, cache, present, con):
        cases, unique = [], []  # every chunk passes and no unique set repeats (kept_check.py)
        cache.keep_chunks()
    else:
        cases = _chunk_cases(table, df.path, cache)

        def read(names: list[str]) -> pd.DataFrame | None:
            if not set(names) <= present or distinct_rows(df.path, names):
                return None
            return pq.read_table(df.path, columns=names).to_pandas()
        unique = _unique_cases(table, read)
    result = _cases(cases + unique)
    if cache is not None:
        if not cases:
            cache.keep(df.path)
        cache.put_table(key, result)
        cache.save()
    return result


def _passes_as_kept(table: str, path: Path, cache: ChunkCache, present: set[str], con) -> bool:
    """Whether the rows that differ from the table's kept file pass (then so would every chunk: kept_check.py)."""
    sets, kept = _unique_sets(table), cache.kept_file()
    if kept is None or not all(set(names) <= present for names in sets):
        return False
    with _connection(con) as con:
        return recheck(schema_for(table).to_schema(), sets, lambda names: distinct_rows(path, names, nulls=True),
                       lambda frame: _raw_cases(table, frame), con, path, kept, CHUNK_ROWS)


def conformed(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """The frame with its schema's column types (pandera's coercion, none of its checks): what a step does to a
    table it writes. The data is validated once, by the table's blocking schema check (defs/checks.py)."""
    try:
        return schema_for(table).to_schema().coerce_dtype(df.copy(deep=False))  # the caller's frame is left as is
    except SchemaErrors as exc:
        raise ValueError(f"{table}: values that cannot take the schema's types: {failure_summary(exc)}") from None


def conformed_table(table: str, chunks, columns: list[str]) -> pa.Table:
    """Chunks of a table (DataFrames that never split an article's rows) given the schema's types and gathered as
    one Arrow table typed as to_arrow() types the whole frame. No chunks: the empty table with `columns`."""
    parts = [to_arrow(conformed(table, chunk)) for chunk in chunks]
    return concat_like_one(parts or [to_arrow(conformed(table, pd.DataFrame(columns=columns)))])


def validated_table(table: str, chunks, columns: list[str]) -> tuple[pa.Table, pd.DataFrame]:
    """Chunks of a table (DataFrames that never split an article's rows) validated and coerced by the table's
    schema, gathered as one Arrow table typed as to_arrow() types the whole frame; and the failure cases (empty
    when all is well), unique columns checked across the whole table. Only the Arrow table is held, never the
    frame. No chunks: the empty table with `columns`."""
    parts, cases = [], []
    for chunk in chunks:
        try:
            parts.append(to_arrow(schema_for(table).validate(chunk, lazy=True)))
        except SchemaErrors as exc:
            cases.append(exc.failure_cases[SCHEMA_CASES].astype(str))
    if not parts and not cases:
        parts = [to_arrow(schema_for(table).validate(pd.DataFrame(columns=columns), lazy=True))]
    if cases:
        return pa.table({}), _cases(cases)
    whole = concat_like_one(parts)

    def read(names: list[str]) -> pd.DataFrame | None:
        return whole.select(names).to_pandas() if set(names) <= set(whole.column_names) else None
    return whole, _cases(_unique_cases(table, read))


def _connect() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    con.execute(f"SET memory_limit = '{DUCKDB_MEMORY}'")
    return con


@contextlib.contextmanager
def _connection(con: duckdb.DuckDBPyConnection | None):
    """The caller's connection (views are replaced, never piled up), or a new one closed at the end: opening one
    costs 15-40 ms, and the release checks ~25 tables."""
    if con is not None:
        yield con
        return
    con = _connect()
    try:
        yield con
    finally:
        con.close()


def shared_connection():
    """One DuckDB connection for a run of checks, closed at the end: pass it as `con` to each."""
    return _connection(None)


def _view(con: duckdb.DuckDBPyConnection, name: str, df: Table) -> pa.Schema:
    """A view `name` over the table with its row number as `_row`; the table's Arrow schema."""
    if isinstance(df, TableFile):
        path = str(df.path).replace("'", "''")
        con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT *, file_row_number AS _row "
                    f"FROM read_parquet('{path}', file_row_number = true)")
        return pq.read_schema(df.path)
    arrow = to_arrow(df)
    con.register(f"{name}_arrow", arrow.append_column("_row", pa.array(range(len(df)), pa.int64())))
    con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM {name}_arrow")
    return arrow.schema


def _columns(df: Table) -> list[str]:
    return df.columns if isinstance(df, TableFile) else list(df.columns)


def _reference_failures(table: str, df: Table, tables: dict[str, Table], con=None) -> pd.DataFrame:
    parts = []
    with _connection(con) as con:
        schema, views = _view(con, "child", df), set()
        for column, (parent, key) in references_of(table).items():
            if column not in schema.names or parent not in tables:
                continue
            view = f"parent_{parent}"
            if view not in views:
                _view(con, view, tables[parent])
                views.add(view)
            known = (f'SELECT "{key}" FROM {view} WHERE "{key}" IS NOT NULL' if key in _columns(tables[parent])
                     else "SELECT NULL::VARCHAR WHERE false")
            value = f'unnest("{column}")' if pa.types.is_list(schema.field(column).type) else f'"{column}"'
            parts.append(con.execute(f"""
                SELECT '{column}' AS "column", CAST(v AS VARCHAR) AS value, '{parent}.{key}' AS missing_in, "row"
                FROM (SELECT _row AS "row", {value} AS v FROM child) c
                WHERE v IS NOT NULL AND v NOT IN ({known})
                ORDER BY "row", value""").df())
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=REFERENCE_CASES)


def _span_failures(df: Table, articles: Table, con=None) -> pd.DataFrame:
    with _connection(con) as con:
        _view(con, "child", df)
        _view(con, "articles", articles)
        cases = con.execute("""
            SELECT c._row AS "row", c.article_id, c."start", c."end", a.text_length
            FROM child c JOIN (SELECT article_id, length(text) AS text_length FROM articles) a USING (article_id)
            WHERE c."start" IS NOT NULL AND c."end" IS NOT NULL
              AND NOT (c."start" >= 0 AND c."start" <= c."end" AND c."end" <= a.text_length)
            ORDER BY "row" """).df()
    return cases.astype({"row": int, "text_length": int})


# Cross-table results over files, by the files' identities: the release asks again what the cross-table check step
# of the same build has just computed over the same files (the IO manager writes each file to a temporary name and
# renames it in, so a rewritten file is another inode with another mtime). Kept for the process's last build only.
_DONE: dict[tuple, pd.DataFrame] = {}
MAX_DONE = 64


def _file_identity(df: Table) -> tuple | None:
    if not isinstance(df, TableFile):
        return None
    try:
        st = os.stat(df.path)
    except OSError:
        return None
    return (str(df.path), st.st_ino, st.st_size, st.st_mtime_ns)


def _once(kind: str, table: str, inputs: list[Table], compute) -> pd.DataFrame:
    """compute() for these files, or what it gave for the very same files before in this process."""
    ids = [_file_identity(df) for df in inputs]
    if any(i is None for i in ids):
        return compute()
    key = (kind, table, tuple(ids))
    if key not in _DONE:
        if len(_DONE) >= MAX_DONE:
            _DONE.clear()
        _DONE[key] = compute()
    return _DONE[key].copy()


def reference_failures(table: str, df: Table, tables: dict[str, Table], con=None) -> pd.DataFrame:
    """One row per value of a reference column missing from its parent table; nulls are never dangling."""
    parents = sorted({p for p, _ in references_of(table).values() if p in tables})
    return _once("references", table, [df, *(tables[p] for p in parents)],
                 lambda: _reference_failures(table, df, tables, con))


def span_failures(df: Table, articles: Table, con=None) -> pd.DataFrame:
    """Rows whose evidence is not 0 <= start <= end <= len(text) of their article.

    Rows whose article is missing are left to reference_failures, which names them.
    """
    return _once("evidence_spans", "", [df, articles], lambda: _span_failures(df, articles, con))


def cross_table_failures(tables: dict[str, Table]) -> dict[str, pd.DataFrame]:
    """'<table>.references' / '<table>.evidence_spans' -> failure cases, only for the checks that fail."""
    out = {}
    with shared_connection() as con:  # one DuckDB for every table's checks
        for table, df in tables.items():
            if table not in TABLES:
                continue
            if references_of(table):
                out[f"{table}.references"] = reference_failures(table, df, tables, con)
            if has_spans(table) and "articles" in tables:
                out[f"{table}.evidence_spans"] = span_failures(df, tables["articles"], con)
    return {name: cases for name, cases in out.items() if len(cases)}
