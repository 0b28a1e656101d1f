"""DataFrame -> Arrow table with explicit types for list and date columns, so Parquet output is stable."""
from __future__ import annotations

import datetime as dt
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq


def _sample(values: pd.Series):
    return next((v for v in values if v is not None and not (isinstance(v, float) and pd.isna(v))), None)


def _column(values: pd.Series) -> pa.Array:
    if values.dtype == object:
        first = _sample(values)
        if isinstance(first, (list, tuple)):
            return _typed(values, pa.list_(pa.string()), nan_is_null=False) or pa.array(
                [None if v is None else [None if x is None else str(x) for x in v] for v in values],
                type=pa.list_(pa.string()))
        if isinstance(first, dt.date) and not isinstance(first, dt.datetime):
            return _typed(values, pa.date32()) or pa.array(
                [None if v is None or (isinstance(v, float) and pd.isna(v)) else v for v in values], type=pa.date32())
        if first is None:
            return pa.array([None] * len(values), type=pa.string())
        if isinstance(first, str):
            return _typed(values, pa.string()) or pa.array(
                [None if v is None or (isinstance(v, float) and pd.isna(v)) else str(v) for v in values],
                type=pa.string())
    return pa.Array.from_pandas(values)


def _typed(values: pd.Series, type_: pa.DataType, nan_is_null: bool = True) -> pa.Array | None:
    """Arrow's own conversion when every value already has the type's Python form (str, date, list of str; None,
    and NaN at the top level when `nan_is_null`, as null): what the per-value loops give, without the loop. None
    when some value would need the loop's conversion (str() of a number, a NaN inside a list)."""
    try:
        return pa.array(values.to_numpy(), type=type_, from_pandas=nan_is_null)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None


def to_arrow(df: pd.DataFrame) -> pa.Table:
    """Arrow table without the pandas index or pandas metadata (which would tie bytes to library versions)."""
    df = df.reset_index(drop=True)
    return pa.table({name: _column(df[name]) for name in df.columns})


def _conform(part: pa.Table, schema: pa.Schema) -> pa.Table:
    columns = []
    for field in schema:
        column = part.column(field.name) if field.name in part.column_names else None
        if column is None or column.null_count == len(column):
            columns.append(pa.nulls(part.num_rows, field.type))
        else:
            columns.append(column.cast(field.type))
    return pa.table(columns, schema=schema)


def concat_like_one(parts: list[pa.Table]) -> pa.Table:
    """Concatenate tables that to_arrow() wrote from pieces of one DataFrame, typed as to_arrow() would type the
    whole: a column takes the type of the first piece where it holds a value (an all-null piece of a date or
    list column was written as strings), and a column missing from a piece is null there."""
    names = list(dict.fromkeys(name for part in parts for name in part.column_names))
    fields = []
    for name in names:
        typed = [p.column(name).type for p in parts if name in p.column_names]
        valued = [p.column(name).type for p in parts
                  if name in p.column_names and p.column(name).null_count < len(p.column(name))]
        fields.append(pa.field(name, (valued or typed)[0]))
    schema = pa.schema(fields)
    return pa.concat_tables([_conform(part, schema) for part in parts])


def article_chunks(path, rows: int, columns: list[str] | None = None):
    """A Parquet file as DataFrames of about `rows` rows that never split one article's rows (the tables keep an
    article's rows together), indexed by row number in the file. Only `columns` are read, when given.

    A file's last batch is never cut (nothing follows that its last article could continue into) and no chunk is
    empty unless the file is: each chunk costs a schema validation, ~0.1-0.3 s whatever its size, and a small table
    came as two chunks."""
    for offset, table in article_tables(path, rows, columns):
        yield numbered(table, offset)


def article_tables(path, rows: int, columns: list[str] | None = None):
    """article_chunks' chunks as (row number of the first row, Arrow table), before any pandas conversion: what a
    check that may not need the DataFrame (a cached result, pipeline/publish/check_cache.py) reads."""
    carry, offset = None, 0
    file = pq.ParquetFile(path)
    unread = file.metadata.num_rows
    for batch in file.iter_batches(batch_size=rows, columns=columns):
        unread -= batch.num_rows
        table = pa.Table.from_batches([batch]) if carry is None else pa.concat_tables([carry, pa.Table.from_batches([batch])])
        carry, cut = None, table.num_rows
        if unread > 0 and "article_id" in table.column_names and cut:
            ids = table.column("article_id")
            last = ids[cut - 1]
            while cut and ids[cut - 1] == last:  # the last article's rows wait for the rest of that article
                cut -= 1
            carry, table = table.slice(cut), table.slice(0, cut)
            if not cut:  # the batch is one article's: it goes on in the next chunk, no empty chunk now
                continue
        yield offset, table
        offset += table.num_rows
    if carry is not None and carry.num_rows:
        yield offset, carry


def numbered(table: pa.Table, offset) -> pd.DataFrame:
    """The rows as a DataFrame indexed by their row numbers in the file: the first being `offset` (an int), or
    `offset` itself when it lists them (rows picked here and there, pipeline/publish/kept_check.py)."""
    df = read_frame(table)
    df.index = range(offset, offset + len(df)) if isinstance(offset, int) else pd.Index(offset)
    return df


def with_columns(chunks, columns: dict[str, list], order: list[str] | None = None):
    """Each chunk (indexed by row number, as article_chunks gives them) with `columns` (name -> one value per row of
    the whole table) set; `order` reindexes the chunk's columns first, as a DataFrame's reindex would."""
    for chunk in chunks:
        out = chunk.reindex(columns=order) if order else chunk.copy()
        at = slice(chunk.index[0], chunk.index[-1] + 1) if len(chunk) else slice(0, 0)
        for name, values in columns.items():
            out[name] = pd.Series(values[at], index=chunk.index, dtype=object)
        yield out


def write_parquet(table: pa.Table, path: Path) -> None:
    """Write through a temporary file renamed in, so a crash never leaves a half-written file under the name."""
    tmp = path.with_name(f".tmp-{uuid.uuid4().hex}-{path.name}")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)


def read_in_thread(path, columns: list[str] | None = None) -> pd.DataFrame:
    """A Parquet file as a DataFrame, read (from a native file, not a Python one) and converted by the calling
    thread alone. pd.read_parquet hands Arrow's dataset scanner a Python file object, and the scanner's worker
    threads may drop their last reference to it after the call has returned, which takes the GIL: once the
    interpreter is finalising, Python ends such a thread (pthread_exit) inside a C++ destructor and the process
    aborts after its work is done ("terminate called without an active exception", exit 134; seen at the end of
    `parley build`, core dump in the commit message). So: for the reads a process may end with."""
    with pq.ParquetFile(path) as file:
        return file.read(columns=columns, use_threads=False).to_pandas(use_threads=False)


def read_frame(path, columns: list[str] | None = None) -> pd.DataFrame:
    """A Parquet table (a path or an Arrow table) as a DataFrame with dates as datetime.date and lists as Python lists."""
    table = path if isinstance(path, pa.Table) else pq.read_table(path, columns=columns)
    lists = [field.name for field in table.schema if pa.types.is_list(field.type)]
    df = table.drop_columns(lists).to_pandas(date_as_object=True)
    for name in lists:  # Python lists straight from Arrow, in the table's column order
        df.insert(table.column_names.index(name), name, pd.Series(table.column(name).to_pylist(), index=df.index, dtype=object))
    return df


@dataclass(frozen=True)
class TableFile:
    """A table passed between steps as its Parquet file, not as a DataFrame: steps that only check, copy or query
    a table (with DuckDB) never hold it in memory."""

    path: Path

    @property
    def rows(self) -> int:
        return pq.ParquetFile(self.path).metadata.num_rows

    @property
    def columns(self) -> list[str]:
        return pq.read_schema(self.path).names

    def read(self, columns: list[str] | None = None) -> pd.DataFrame:
        return read_frame(self.path, columns)

    def present(self, columns: list[str]) -> list[str]:
        """Those of `columns` the file has, in that order (the schema read once): what a step may read of it."""
        have = set(self.columns)
        return [c for c in columns if c in have]

    def head(self, n: int) -> pd.DataFrame:
        batch = next(pq.ParquetFile(self.path).iter_batches(batch_size=max(1, n)), None)
        return self.read().head(0) if batch is None else read_frame(pa.Table.from_batches([batch]).slice(0, n))


# pandera dtype (as str) -> the released Arrow type; `object` columns name theirs in the field's metadata["arrow"].
_DTYPES = {"str": pa.string(), "string": pa.string(), "int64": pa.int64(), "Int64": pa.int64(),
           "float64": pa.float64(), "Float64": pa.float64(), "bool": pa.bool_(), "boolean": pa.bool_()}
_NAMED = {"date32": pa.date32(), "list<string>": pa.list_(pa.string()), "string": pa.string()}
CONFORM_BATCH_ROWS = 10_000


def fixed_types(table: str) -> dict[str, pa.DataType | None]:
    """Column -> the Arrow type the table's pandera model fixes, in the model's order; None where the model does
    not fix one (an `object` column without metadata["arrow"]: a test requires there are none)."""
    from schemas import schema_for  # schemas import nothing from here; imported late to keep arrow.py leaf-like

    out = {}
    for name, column in schema_for(table).to_schema().columns.items():
        named = (column.metadata or {}).get("arrow")
        out[name] = _NAMED.get(named) if named else _DTYPES.get(str(column.dtype))
    return out


def released_schema(table: str, source: pa.Schema | None = None) -> pa.Schema:
    """The Arrow schema a released table has: its pandera model's columns, in the model's order, each with the type
    the model fixes, never the rows' (an all-null column is the same type in every release). Only what the model
    leaves open comes from `source` (the file as written): the type of a column it does not fix, and columns it
    does not list, after its own (a test requires there are none: every released column is described)."""
    fields = []
    for name, type_ in fixed_types(table).items():
        if type_ is None:
            type_ = source.field(name).type if source is not None and name in source.names else pa.string()
        fields.append(pa.field(name, type_))
    listed = {f.name for f in fields}
    extra = [f for f in source if f.name not in listed] if source is not None else []
    return pa.schema(fields + extra)


def released_order(table: str, names: list[str]) -> list[str]:
    """`names` in the order the table is released in (released_schema): its model's columns first, in the model's
    order, then any the model does not list. A step that writes its file in this order lets the release copy the
    file instead of rewriting it (released_file)."""
    listed = [name for name in fixed_types(table) if name in names]
    return listed + [name for name in names if name not in listed]


def conform(part: pa.Table, schema: pa.Schema) -> pa.Table:
    """`part` with exactly `schema`'s columns, order and types; a column the schema lists and `part` lacks is null."""
    return _conform(part, schema)


def conform_file(table: str, source: Path, target: Path) -> list[str]:
    """Rewrite the Parquet file `source` as `target` with the table's released schema, a batch at a time; the
    columns its model does not describe (released after the others, typed as written)."""
    written = pq.read_schema(source)
    schema = released_schema(table, written)
    tmp = target.with_name(f".tmp-{uuid.uuid4().hex}-{target.name}")
    with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
        for batch in pq.ParquetFile(source).iter_batches(batch_size=CONFORM_BATCH_ROWS):
            writer.write_table(conform(pa.Table.from_batches([batch]), schema))
    os.replace(tmp, target)
    return [name for name in written.names if name not in fixed_types(table)]


WHOLE_ROW_GROUP_ROWS = 1024 * 1024  # the row groups of one pq.write_table call without row_group_size (pyarrow >= 15)


def _written_whole(meta: pq.FileMetaData) -> bool:
    """The file is what one pq.write_table(table, path, compression="zstd") call of this pyarrow writes, as every
    writer of the steps' files does (no other writer option is ever set): its row groups are cut every
    WHOLE_ROW_GROUP_ROWS rows (one empty row group for no rows) and every column chunk is zstd-compressed."""
    rows = meta.num_rows
    whole = [min(WHOLE_ROW_GROUP_ROWS, rows - start) for start in range(0, rows, WHOLE_ROW_GROUP_ROWS)] or [0]
    groups = [meta.row_group(i) for i in range(meta.num_row_groups)]
    return (meta.created_by == f"parquet-cpp-arrow version {pa.__version__}" and meta.format_version == "2.6"
            and [g.num_rows for g in groups] == whole
            and all(g.column(c).compression == "ZSTD" for g in groups for c in range(g.num_columns)))


def released_file(table: str, source: Path, target: Path) -> tuple[Path, list[str]]:
    """The table as released: `source` itself when it already is (exactly the released Arrow schema, metadata
    included, written whole: the bytes then follow from the rows and the schema alone, as conform_file's do, so
    the same input and code still give the same bytes), else conform_file's rewrite at `target`; with the columns
    its model does not describe. The steps replace their files by renaming a new one in, never write into one,
    so the release may copy `source` as it is (decoding and compressing every table again was most of the
    release's time)."""
    file = pq.ParquetFile(source)
    written = file.schema_arrow
    if _written_whole(file.metadata) and _stores(file.metadata, released_schema(table, written)):
        return source, [name for name in written.names if name not in fixed_types(table)]
    return target, conform_file(table, source, target)


def _stores(meta: pq.FileMetaData, schema: pa.Schema) -> bool:
    """The file holds what a write of `schema` stores: its Parquet schema and key-value metadata, the Arrow schema
    included as written (read back, a list's item field is always named "element", so the Arrow schema read from
    the file cannot tell)."""
    empty = pa.BufferOutputStream()
    pq.write_table(schema.empty_table(), empty, compression="zstd")
    expected = pq.ParquetFile(pa.BufferReader(empty.getvalue())).metadata
    return meta.schema.equals(expected.schema) and meta.metadata == expected.metadata
